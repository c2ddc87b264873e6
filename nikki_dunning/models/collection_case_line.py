from odoo import fields, models

LINE_STATES = [
    ("in_collection", "In Collection"),
    ("collected", "Collected"),
    ("paid_directly", "Paid Directly"),
    ("recalled", "Recalled"),
]


class NikkiCollectionCaseLine(models.Model):
    _name = "nikki.collection.case.line"
    _description = "Collection Case Invoice"
    _order = "case_id, date, id"
    _check_company_auto = True

    case_id = fields.Many2one(
        "nikki.collection.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    date = fields.Date(string="Handed Over On", required=True)
    currency_id = fields.Many2one(
        "res.currency", related="case_id.currency_id", string="Company Currency"
    )
    amount_handed_over = fields.Monetary(
        help="Open amount at hand-over, in company currency."
    )
    amount_collected = fields.Monetary(
        help="Amount the agency reported as collected, in company currency."
    )
    state = fields.Selection(LINE_STATES, required=True, default="in_collection")
    attachment_id = fields.Many2one(
        "ir.attachment", string="Case File", ondelete="set null"
    )

    _sql_constraints = [
        (
            "move_once_per_case",
            "UNIQUE(case_id, move_id)",
            "An invoice is listed only once in a collection case.",
        ),
    ]
