from odoo import fields, models


class ResCompany(models.Model):
    """Where invoices created by a receivables list import are booked, and
    the column mapping the company used last time."""

    _inherit = "res.company"

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

    def _receivables_import_product(self):
        self.ensure_one()
        return self.receivables_import_product_id or self.env.ref(
            "nikki_dunning.product_imported_receivable", raise_if_not_found=False
        )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    receivables_import_product_id = fields.Many2one(
        related="company_id.receivables_import_product_id", readonly=False
    )
    receivables_import_account_id = fields.Many2one(
        related="company_id.receivables_import_account_id", readonly=False
    )
    receivables_import_journal_id = fields.Many2one(
        related="company_id.receivables_import_journal_id", readonly=False
    )
