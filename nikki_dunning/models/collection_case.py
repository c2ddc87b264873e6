from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services import case_state

CASE_STATES = [
    ("to_send", "To Send"),
    ("in_collection", "In Collection"),
    ("partially_collected", "Partially Collected"),
    ("collected", "Collected"),
    ("paid_directly", "Paid Directly"),
    ("uncollectable", "Uncollectable"),
    ("returned", "Returned"),
    ("recalled", "Recalled"),
]
OPEN_CASE_STATES = ("to_send", "in_collection", "partially_collected")


class NikkiCollectionCase(models.Model):
    """A customer's balance handed over to a collection agency.

    One open case per customer, agency and company: later hand-overs of the
    same customer extend it, so the agency never gets a duplicate case. The
    case's state follows from its invoices (``services/case_state.py``); the
    files exchanged with the agency are ``nikki.collection.exchange``.
    """

    _name = "nikki.collection.case"
    _description = "Collection Case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_handover desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Case Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda s: s.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, index=True, tracking=True
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Agency",
        required=True,
        index=True,
        domain="[('is_collection_agency', '=', True)]",
        tracking=True,
    )
    state = fields.Selection(
        CASE_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
        help="To Send: waiting to go to the agency. In Collection / Partially "
        "Collected: with the agency. The other states close the case.",
    )
    date_handover = fields.Date(string="Handed Over On", index=True)
    line_ids = fields.One2many(
        "nikki.collection.case.line", "case_id", string="Invoices"
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices Handed Over",
        compute="_compute_move_ids",
        store=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_handed_over = fields.Monetary(
        compute="_compute_amounts", store=True, currency_field="currency_id"
    )
    amount_collected = fields.Monetary(
        compute="_compute_amounts", store=True, currency_field="currency_id"
    )
    amount_fee = fields.Monetary(
        string="Agency Fees",
        compute="_compute_amounts",
        store=True,
        currency_field="currency_id",
    )
    amount_open = fields.Monetary(
        string="Still Open",
        compute="_compute_amount_open",
        currency_field="currency_id",
    )
    exchange_line_ids = fields.One2many(
        "nikki.collection.exchange.line", "case_id", string="Agency File Rows"
    )
    exchange_ids = fields.Many2many(
        "nikki.collection.exchange",
        string="Agency Files",
        compute="_compute_exchange_ids",
    )
    exchange_count = fields.Integer(compute="_compute_exchange_ids")
    to_send_count = fields.Integer(
        string="Waiting to Be Sent",
        compute="_compute_to_send_count",
        help="Invoices and notices of this case the agency has not received yet.",
    )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for case in self:
            case.move_ids = case.line_ids.move_id

    @api.depends(
        "line_ids.state", "line_ids.export_exchange_id", "line_ids.amount_collected"
    )
    def _compute_state(self):
        for case in self:
            case.state = case_state.case_state(
                line._state_facts() for line in case.line_ids
            )

    @api.depends(
        "line_ids.amount_handed_over",
        "line_ids.amount_collected",
        "line_ids.amount_fee",
    )
    def _compute_amounts(self):
        for case in self:
            case.amount_handed_over = sum(case.line_ids.mapped("amount_handed_over"))
            case.amount_collected = sum(case.line_ids.mapped("amount_collected"))
            case.amount_fee = sum(case.line_ids.mapped("amount_fee"))

    @api.depends("line_ids.state", "line_ids.move_id.amount_residual_signed")
    def _compute_amount_open(self):
        for case in self:
            case.amount_open = sum(
                case.line_ids.filtered(
                    lambda line: line.state in case_state.OPEN_LINE_STATES
                ).move_id.mapped("amount_residual_signed")
            )

    @api.depends("exchange_line_ids.exchange_id")
    def _compute_exchange_ids(self):
        for case in self:
            case.exchange_ids = case.exchange_line_ids.exchange_id.sorted()
            case.exchange_count = len(case.exchange_ids)

    @api.depends(
        "line_ids.state",
        "line_ids.export_exchange_id",
        "line_ids.notice_required",
        "line_ids.notice_exchange_id",
    )
    def _compute_to_send_count(self):
        for case in self:
            case.to_send_count = len(case.line_ids._pending_handover()) + len(
                case.line_ids._pending_notice()
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "nikki.collection.case"
                ) or _("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------

    def action_send_to_agency(self):
        """Send the selected cases' waiting invoices (and every stop notice
        waiting for the same agency) to the agency now: one file per agency."""
        self.check_access("write")
        if (
            not self.line_ids._pending_handover()
            and not self.line_ids._pending_notice()
        ):
            raise UserError(
                _("Nothing of these cases is waiting to be sent to the agency.")
            )
        exchanges = self.env["nikki.collection.exchange"]._send_pending(
            fields.Date.context_today(self),
            company_ids=self.company_id.ids,
            cases=self,
        )
        return exchanges._action_open()

    def action_recall(self):
        lines = self.line_ids.filtered(
            lambda line: line.state in case_state.OPEN_LINE_STATES
        )
        if not lines:
            raise UserError(_("No invoice of these cases is with the agency."))
        return lines.action_recall()

    def action_import_status(self):
        agencies = self.agency_id
        return (
            self.env["nikki.collection.status.import"]
            .with_context(
                default_agency_id=agencies.id if len(agencies) == 1 else False
            )
            ._open()
        )

    def action_view_exchanges(self):
        self.ensure_one()
        return self.exchange_ids._action_open(
            domain=[("case_ids", "in", self.ids)], always_list=True
        )
