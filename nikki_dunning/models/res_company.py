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
    collection_payment_mode = fields.Selection(
        [
            ("propose", "Propose the payments for review"),
            ("record", "Record the payments at once"),
        ],
        string="Agency Payments",
        default="propose",
        required=True,
        help="What a status file of the collection agency does with the money "
        "it collected: propose the payments (an accountant records them from "
        "the imported file) or record and reconcile them at once.",
    )
    collection_journal_id = fields.Many2one(
        "account.journal",
        string="Agency Payments Journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', id)]",
        help="Journal of the payments for money the agency collected (the bank "
        "account the agency pays into). Empty: the company's first bank journal.",
    )
    collection_fee_account_id = fields.Many2one(
        "account.account",
        string="Agency Fee Account",
        domain="[('account_type', 'in', ('expense', 'expense_direct_cost'))]",
        help="Expense account of the fees the agency withholds from the money "
        "it collected.",
    )

    def _collection_journal(self):
        self.ensure_one()
        return self.collection_journal_id or self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self),
                ("type", "=", "bank"),
            ],
            limit=1,
        )

    def _collection_payment_problems(self, need_fee):
        """What keeps the agency's money from being booked, as messages."""
        self.ensure_one()
        problems = []
        if not self._collection_journal():
            problems.append(
                self.env._(
                    "%s: set the journal for agency payments in Settings > Dunning.",
                    self.name,
                )
            )
        if need_fee and not self.collection_fee_account_id:
            problems.append(
                self.env._(
                    "%s: set the account for agency fees in Settings > Dunning.",
                    self.name,
                )
            )
        return problems

    dunning_costs_include_vat = fields.Boolean(
        string="Collection Costs Include VAT",
        help="Tick when the company cannot reclaim VAT (e.g. a VAT-exempt "
        "association) and uses an external collection agency: the costs are "
        "then raised by the scale's VAT rate and letters say so.",
    )
    dunning_digest_month = fields.Date(
        string="Last Dunning Digest",
        readonly=True,
        copy=False,
        help="First day of the month the last monthly dunning digest reported.",
    )

    def _dunning_policy(self):
        """The policy of customers without one of their own."""
        self.ensure_one()
        return self.dunning_policy_id or self.env.ref(
            "nikki_dunning.policy_nikki_standard", raise_if_not_found=False
        )

    def _dunning_own_policy(self):
        """The company's default policy, made the company's own first when
        it is shared by all companies: editing it then changes nothing for
        the other companies."""
        self.ensure_one()
        policy = self._dunning_policy()
        if policy.company_id == self:
            return policy
        own = policy.sudo().copy(
            {"company_id": self.id, "name": f"{policy.name} ({self.name})"}
        )
        self.sudo().dunning_policy_id = own
        return own
