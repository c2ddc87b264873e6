from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dunning_policy_id = fields.Many2one(
        "nikki.dunning.policy",
        string="Default Dunning Policy",
        domain="['|', ('company_id', '=', False), ('company_id', '=', id)]",
        default=lambda self: self.env.ref(
            "nikki_dunning.policy_nikki_standard", raise_if_not_found=False
        ),
        help="Policy for customers that have none of their own. Without one, "
        "the NIKKI standard policy applies.",
    )
    dunning_costs_include_vat = fields.Boolean(
        string="Collection Costs Include VAT",
        help="Tick when the company cannot reclaim VAT (e.g. a VAT-exempt "
        "association) and uses an external collection agency: the costs are "
        "then raised by the scale's VAT rate and letters say so.",
    )
