from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .dunning_step import STEP_ACTIONS

LOG_ACTIONS = STEP_ACTIONS + [
    ("hold", "Put on Hold"),
    ("resume", "Resumed"),
    ("end", "Left the Workflow"),
    ("mail_failed", "Email Failed"),
    # phone follow-ups: the outcome of a call
    ("call_reached", "Call: Reached"),
    ("call_not_reached", "Call: Not Reached"),
    ("call_promise", "Call: Promise to Pay"),
    ("call_dispute", "Call: Disputed"),
    ("call_payment_plan", "Call: Payment Plan Asked"),
    ("call_done", "Call: Done Without Outcome"),
]


class NikkiDunningLog(models.Model):
    """The dunning history: one line per invoice per event.

    Step lines are unique per invoice, workflow cycle and step day: the
    database itself refuses a second line, so a step can never be executed
    (and its message queued) twice, whatever runs concurrently.
    """

    _name = "nikki.dunning.log"
    _description = "Dunning History"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    policy_id = fields.Many2one("nikki.dunning.policy", ondelete="set null")
    step_id = fields.Many2one("nikki.dunning.step", ondelete="set null", index=True)
    day_offset = fields.Integer(
        string="Day", help="Day of the step in the workflow, from Day 0."
    )
    cycle_start = fields.Date(
        string="Day 0", help="The day the invoice entered the workflow."
    )
    action = fields.Selection(LOG_ACTIONS, required=True, index=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary(
        string="Amount Open",
        currency_field="currency_id",
        help="Open amount of the invoice when the event happened.",
    )
    communication_id = fields.Many2one(
        "nikki.dunning.communication",
        string="Message",
        ondelete="set null",
        index="btree_not_null",
    )
    case_id = fields.Many2one(
        "nikki.collection.case", ondelete="set null", index="btree_not_null"
    )
    note = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    portal_url = fields.Char(compute="_compute_portal_url")

    # the legal figures of a step, stored as they were sent: amounts open on
    # the day of the step, in the invoice's currency, payments applied to
    # costs, then interest, then principal (art. 6:44 BW); a reprint of the
    # letter shows these, whatever changed since
    principal_amount = fields.Monetary(
        string="Principal Open",
        currency_field="currency_id",
        help="Open principal when the step ran, payments applied to costs and "
        "interest first.",
    )
    interest_amount = fields.Monetary(
        string="Interest",
        currency_field="currency_id",
        help="Statutory interest open when the step ran.",
    )
    costs_amount = fields.Monetary(
        string="Collection Costs",
        currency_field="currency_id",
        help="This invoice's part of the collection costs of its notice "
        "(still open), owed from the date below.",
    )
    costs_deadline = fields.Date(
        string="Costs Owed From",
        help="The day from which collection costs are owed: for consumers the "
        "day after the fourteen-day term of the pre-collection notice (from "
        "its assumed delivery); later letters repeat this same date.",
    )
    costs_notice_id = fields.Many2one(
        "nikki.dunning.communication",
        string="Pre-collection Notice",
        ondelete="set null",
        index="btree_not_null",
        help="The fourteen-day letter that set the deadline.",
    )

    def init(self):
        if not index_exists(self.env.cr, "nikki_dunning_log_step_once"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX nikki_dunning_log_step_once ON %s "
                    "(move_id, cycle_start, day_offset) "
                    "WHERE action IN ('reminder', 'pre_collection', 'handover')",
                    SQL.identifier(self._table),
                )
            )

    @api.depends("move_id.access_token")
    def _compute_portal_url(self):
        for log in self:
            move = log.move_id
            log.portal_url = (
                move.get_base_url() + move.get_portal_url()
                if move.access_token
                else False
            )

    def action_print_dunning_letters(self):
        """One PDF: the latest letter of each customer among the lines."""
        communications = self.communication_id
        if not communications:
            raise UserError(
                _("No dunning letter was sent for the selected history lines.")
            )
        Communication = self.env["nikki.dunning.communication"]
        return Communication._latest_per_customer(communications)._print_letters()
