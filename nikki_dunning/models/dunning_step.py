from odoo import api, fields, models

STEP_ACTIONS = [
    ("reminder", "Reminder"),
    ("pre_collection", "Pre-collection Notice"),
    ("handover", "Hand-over to Agency"),
]


class NikkiDunningStep(models.Model):
    _name = "nikki.dunning.step"
    _description = "Dunning Policy Step"
    _order = "policy_id, day_offset, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "nikki.dunning.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    day_offset = fields.Integer(
        string="Day",
        required=True,
        help="Days after Day 0 (the day the invoice entered the workflow).",
    )
    action = fields.Selection(STEP_ACTIONS, required=True, default="reminder")
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'nikki.dunning.communication')]",
        help="Email sent to the customer at this step. Leave empty to send "
        "no email (the step is still recorded).",
    )
    attach_invoice_pdf = fields.Boolean(
        string="Attach Invoice PDFs",
        default=True,
        help="Attach the invoice PDFs Odoo already stored when the invoices "
        "were sent.",
    )
    render_missing_pdf = fields.Boolean(
        string="Render Missing PDFs",
        help="Render the PDF of invoices that have none stored. Rendering "
        "costs about a second per invoice.",
    )

    @api.onchange("action")
    def _onchange_action(self):
        if self.action and not self.mail_template_id:
            self.mail_template_id = self._default_template(self.action)

    @api.constrains("day_offset", "action", "policy_id")
    def _check_policy_steps(self):
        self.policy_id._check_steps()

    @api.model_create_multi
    def create(self, vals_list):
        steps = super().create(vals_list)
        self.env["account.move"]._dunning_replan(steps.policy_id)
        return steps

    def write(self, vals):
        policies = self.policy_id
        res = super().write(vals)
        if {"day_offset", "policy_id"} & set(vals):
            self.env["account.move"]._dunning_replan(policies | self.policy_id)
        return res

    def unlink(self):
        policies = self.policy_id
        res = super().unlink()
        policies = policies.exists()
        policies._check_steps()
        self.env["account.move"]._dunning_replan(policies)
        return res

    def _default_template(self, action):
        return self.env.ref(
            {
                "reminder": "nikki_dunning.mail_template_dunning_reminder",
                "pre_collection": "nikki_dunning.mail_template_dunning_pre_collection",
                "handover": "nikki_dunning.mail_template_dunning_handover",
            }[action],
            raise_if_not_found=False,
        )

    def _set_notice_action(self, action):
        """Switch a step between reminder and pre-collection notice, taking
        the matching shipped template when the step used the shipped one."""
        for step in self:
            if step.action == action:
                continue
            vals = {"action": action}
            if step.mail_template_id == step._default_template(step.action):
                vals["mail_template_id"] = step._default_template(action).id
            step.write(vals)
