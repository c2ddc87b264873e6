from odoo import api, fields, models

# settings field: the field of the company's policy it shows and changes
_POLICY_SETTINGS = {
    "dunning_auto_enrol": "auto_enrol",
    "dunning_auto_enrol_days": "auto_enrol_days",
    "dunning_agency_id": "agency_id",
}


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
    dunning_policy_id = fields.Many2one(
        related="company_id.dunning_policy_id", readonly=False
    )
    # What Settings change is the company's own policy: when the company
    # still uses a policy shared by all companies (the NIKKI standard), the
    # first change copies it for the company, so no other company changes.
    dunning_first_notice = fields.Selection(
        [
            ("reminder", "First reminder"),
            ("pre_collection", "Formal pre-collection notice"),
        ],
        string="First Notice",
        compute="_compute_dunning_first_notice",
        inverse="_inverse_dunning_first_notice",
        help="What the customer receives on Day 0, when the invoice enters "
        "the workflow.",
    )
    # The settings below show a field of the company's policy (see
    # _POLICY_SETTINGS). Each has its own compute and inverse: fields sharing
    # a compute are protected together while one of them is written, and
    # would read empty.
    dunning_auto_enrol = fields.Boolean(
        string="Enrol Overdue Invoices Automatically",
        compute=lambda self: self._compute_from_policy("dunning_auto_enrol"),
        inverse=lambda self: self._inverse_to_policy("dunning_auto_enrol"),
        depends=["company_id.dunning_policy_id.auto_enrol"],
    )
    dunning_auto_enrol_days = fields.Integer(
        string="Days After Due Date",
        compute=lambda self: self._compute_from_policy("dunning_auto_enrol_days"),
        inverse=lambda self: self._inverse_to_policy("dunning_auto_enrol_days"),
        depends=["company_id.dunning_policy_id.auto_enrol_days"],
    )
    dunning_agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('is_collection_agency', '=', True)]",
        compute=lambda self: self._compute_from_policy("dunning_agency_id"),
        inverse=lambda self: self._inverse_to_policy("dunning_agency_id"),
        depends=["company_id.dunning_policy_id.agency_id"],
    )
    collection_payment_mode = fields.Selection(
        related="company_id.collection_payment_mode", readonly=False
    )
    collection_journal_id = fields.Many2one(
        related="company_id.collection_journal_id", readonly=False
    )
    collection_fee_account_id = fields.Many2one(
        related="company_id.collection_fee_account_id", readonly=False
    )
    dunning_costs_include_vat = fields.Boolean(
        related="company_id.dunning_costs_include_vat", readonly=False
    )
    dunning_digest = fields.Boolean(
        string="Monthly Digest",
        help="On the first day of each month, the dunning managers of each "
        "company receive the headline figures of the month just ended.",
    )

    @api.depends(
        "company_id.dunning_policy_id", "company_id.dunning_policy_id.step_ids.action"
    )
    def _compute_dunning_first_notice(self):
        for settings in self:
            first = settings.company_id._dunning_policy()._first_step()
            settings.dunning_first_notice = (
                first.action
                if first.action in ("reminder", "pre_collection")
                else False
            )

    def _inverse_dunning_first_notice(self):
        for settings in self:
            notice = settings.dunning_first_notice
            first = settings.company_id._dunning_policy()._first_step()
            if notice and first and first.action != notice:
                own = settings.company_id._dunning_own_policy()
                own._first_step()._set_notice_action(notice)

    def _compute_from_policy(self, fname):
        policy_fname = _POLICY_SETTINGS[fname]
        for settings in self:
            settings[fname] = settings.company_id._dunning_policy()[policy_fname]

    def _inverse_to_policy(self, fname):
        for settings in self:
            settings._set_policy_value(_POLICY_SETTINGS[fname], settings[fname])

    def _set_policy_value(self, fname, value):
        """Write a setting into the company's own policy (copied from the
        shared one on the first change), only when it changes."""
        self.ensure_one()
        if self.company_id._dunning_policy()[fname] == value:
            return
        policy = self.company_id._dunning_own_policy()
        policy.write({fname: policy._fields[fname].convert_to_write(value, policy)})

    # the monthly digest: its scheduled action is the setting

    def _dunning_digest_cron(self):
        return self.env.ref(
            "nikki_dunning.ir_cron_dunning_digest", raise_if_not_found=False
        )

    @api.model
    def get_values(self):
        values = super().get_values()
        cron = self._dunning_digest_cron()
        values["dunning_digest"] = bool(cron and cron.sudo().active)
        return values

    def set_values(self):
        result = super().set_values()
        cron = self._dunning_digest_cron()
        for settings in self:
            if cron and cron.sudo().active != settings.dunning_digest:
                cron.sudo().active = settings.dunning_digest
        return result
