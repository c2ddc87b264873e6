from odoo import _, api, fields, models

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
    same customer extend it, so the agency never gets a duplicate case.
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
        CASE_STATES, required=True, default="in_collection", index=True, tracking=True
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
    amount_open = fields.Monetary(
        string="Still Open",
        compute="_compute_amount_open",
        currency_field="currency_id",
    )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for case in self:
            case.move_ids = case.line_ids.move_id

    @api.depends("line_ids.amount_handed_over", "line_ids.amount_collected")
    def _compute_amounts(self):
        for case in self:
            case.amount_handed_over = sum(case.line_ids.mapped("amount_handed_over"))
            case.amount_collected = sum(case.line_ids.mapped("amount_collected"))

    @api.depends("line_ids.state", "line_ids.move_id.amount_residual_signed")
    def _compute_amount_open(self):
        for case in self:
            case.amount_open = sum(
                case.line_ids.filtered(
                    lambda line: line.state != "recalled"
                ).move_id.mapped("amount_residual_signed")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "nikki.collection.case"
                ) or _("New")
        return super().create(vals_list)
