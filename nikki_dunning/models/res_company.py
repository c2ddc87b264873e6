from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # receivables lists: where the invoices created from them are booked,
    # and the column mapping the company used last time
    receivables_import_product_id = fields.Many2one(
        "product.product",
        string="Imported Receivables Product",
        check_company=True,
        help="The product of the single line of invoices created from a "
        "receivables list. Empty: the shipped 'Imported receivable' product.",
    )
    receivables_import_account_id = fields.Many2one(
        "account.account",
        string="Imported Receivables Account",
        check_company=True,
        domain="[('deprecated', '=', False), ('account_type', 'not in', "
        "('asset_receivable', 'liability_payable', 'off_balance'))]",
        help="The account of that line (e.g. a transit account when the "
        "revenue was booked in another system). Empty: the product's income "
        "account, else the journal's default account.",
    )
    receivables_import_journal_id = fields.Many2one(
        "account.journal",
        string="Imported Receivables Journal",
        check_company=True,
        domain="[('type', '=', 'sale')]",
        help="Sales journal of invoices created from a receivables list. "
        "Empty: the company's first sales journal.",
    )
    receivables_import_mapping = fields.Json(
        string="Receivables List Columns",
        help="The column headers mapped at the last import, reused next time.",
    )

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
