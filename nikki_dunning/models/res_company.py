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
    dunning_digest_month = fields.Date(
        string="Last Dunning Digest",
        readonly=True,
        copy=False,
        help="First day of the month the last monthly dunning digest reported.",
    )
