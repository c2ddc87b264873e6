from odoo import fields, models


class NikkiDunningPolicy(models.Model):
    """What a policy claims on top of the invoices: collection costs and
    statutory interest."""

    _inherit = "nikki.dunning.policy"

    charge_costs = fields.Boolean(
        string="Claim Collection Costs",
        default=True,
        help="State statutory collection costs in the pre-collection notice "
        "and later letters, and hand them over to the agency. For consumers "
        "they are owed only after the notice's fourteen-day term.",
    )
    costs_foreign_currency = fields.Boolean(
        string="Costs on Foreign-Currency Invoices",
        help="Also claim statutory collection costs for invoices not in the "
        "scale's currency (euro).",
    )
    charge_interest = fields.Boolean(
        string="Claim Statutory Interest",
        help="Show statutory interest (consumers, art. 6:119 BW) or commercial "
        "interest (businesses, art. 6:119a BW) from the day after the due "
        "date in letters and in the case file.",
    )
