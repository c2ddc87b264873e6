from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dunning_policy_id = fields.Many2one(
        related="company_id.dunning_policy_id", readonly=False
    )
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
    dunning_auto_enrol = fields.Boolean(
        related="company_id.dunning_policy_id.auto_enrol", readonly=False
    )
    dunning_auto_enrol_days = fields.Integer(
        related="company_id.dunning_policy_id.auto_enrol_days", readonly=False
    )
    dunning_agency_id = fields.Many2one(
        related="company_id.dunning_policy_id.agency_id", readonly=False
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

    @api.depends("company_id.dunning_policy_id.step_ids.action")
    def _compute_dunning_first_notice(self):
        for settings in self:
            first = settings.company_id.dunning_policy_id._first_step()
            settings.dunning_first_notice = (
                first.action
                if first.action in ("reminder", "pre_collection")
                else False
            )

    def _inverse_dunning_first_notice(self):
        for settings in self:
            first = settings.company_id.dunning_policy_id._first_step()
            if first and settings.dunning_first_notice:
                first._set_notice_action(settings.dunning_first_notice)

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
