from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_costs_include_vat = fields.Boolean(
        string="Collection Costs Include VAT",
        help="Tick when the company cannot reclaim VAT (e.g. a VAT-exempt "
        "association) and uses an external collection agency: the costs are "
        "then raised by the scale's VAT rate and letters say so.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_costs_include_vat = fields.Boolean(
        related="company_id.dunning_costs_include_vat", readonly=False
    )
