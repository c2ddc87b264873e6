from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.dunning_call import CALL_OUTCOMES
from ..services import phone


class NikkiDunningCallOutcome(models.TransientModel):
    """What came of a dunning call, recorded by the caller.

    Sales staff have no rights on invoices: the form shows the call's own
    snapshot of the invoices, and the workflow side (history, holds, the
    accountant's to-do) runs as superuser once the caller has proved they
    may read the call (record rules: their own calls).
    """

    _name = "nikki.dunning.call.outcome"
    _description = "Dunning Call Outcome"

    call_id = fields.Many2one(
        "nikki.dunning.call", required=True, readonly=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="call_id.partner_id")
    phone = fields.Char(related="call_id.phone")
    mobile = fields.Char(related="call_id.mobile")
    currency_id = fields.Many2one(related="call_id.currency_id")
    amount_due = fields.Monetary(related="call_id.amount_due")
    line_ids = fields.One2many(related="call_id.line_ids")
    outcome = fields.Selection(
        [item for item in CALL_OUTCOMES if item[0] != "done"],
        required=True,
        default="reached",
    )
    promise_date = fields.Date(
        string="Pays On",
        help="The workflow waits until this date plus a grace day; it "
        "resumes if the invoices are still unpaid then.",
    )
    disputed_line_ids = fields.Many2many(
        "nikki.dunning.call.line",
        string="Disputed Invoices",
        compute="_compute_disputed_line_ids",
        store=True,
        readonly=False,
        help="They are put on hold and the accountant gets a to-do.",
    )
    note = fields.Text(
        string="Notes", help="What the customer said; kept in the history."
    )

    @api.depends("call_id")
    def _compute_disputed_line_ids(self):
        for wizard in self:
            lines = wizard.call_id.line_ids
            wizard.disputed_line_ids = lines if len(lines) == 1 else False

    def _problem_message(self, key):
        _ = self.env._
        return {
            "no_outcome": _("Choose what came of the call."),
            "no_promise_date": _("Enter the date the customer promised to pay."),
            "promise_in_past": _(
                "The promised payment date is in the past: enter today or a "
                "later date."
            ),
            "promise_too_far": _(
                "The promised payment date is more than %s days away: record "
                "it as a payment plan request instead.",
                phone.PROMISE_MAX_DAYS,
            ),
            "nothing_disputed": _("Tick the invoices the customer disputes."),
        }[key]

    def action_confirm(self):
        self.ensure_one()
        call = self.call_id
        # record rules: sales staff complete their own calls only
        call.check_access("read")
        call._check_open()
        problems = phone.outcome_problems(
            self.outcome,
            self.promise_date,
            fields.Date.context_today(self),
            len(self.disputed_line_ids),
        )
        if problems:
            raise UserError("\n".join(self._problem_message(key) for key in problems))
        disputed = self.disputed_line_ids if self.outcome == "dispute" else False
        if disputed and disputed - call.line_ids:
            raise UserError(_("Only invoices of this call can be disputed."))
        call._complete(
            self.outcome,
            note=self.note,
            promise_date=self.promise_date,
            disputed=disputed.sudo().move_id if disputed else None,
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Call recorded"),
                "message": _(
                    "%(customer)s: %(outcome)s",
                    customer=call.partner_id.display_name,
                    outcome=dict(
                        self._fields["outcome"]._description_selection(self.env)
                    )[self.outcome],
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
