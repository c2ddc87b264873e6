from odoo import api, fields, models


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
