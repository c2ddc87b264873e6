from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class NikkiDunningHoldWizard(models.TransientModel):
    """Put invoices or customers on hold, with a reason and an end date."""

    _name = "nikki.dunning.hold.wizard"
    _description = "Put Dunning on Hold"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    reason = fields.Char(
        required=True, help="Why the workflow is paused, e.g. a dispute."
    )
    until = fields.Date(
        help="The workflow resumes on its own after this date. Leave empty "
        "to hold until someone resumes it.",
    )

    @api.model
    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Put Dunning on Hold"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self.env.context.get("active_model"),
                "default_res_ids": self.env.context.get("active_ids") or [],
            },
        }

    @api.constrains("until")
    def _check_until(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.until and wizard.until < today:
                raise ValidationError(_("The hold must end today or later."))

    def action_confirm(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(self.res_ids)
        if self.res_model == "account.move":
            records._dunning_hold(self.reason, self.until)
        elif self.res_model == "res.partner":
            records._dunning_set_hold(True, self.reason, self.until)
        else:
            raise UserError(_("Nothing to put on hold."))
        return {"type": "ir.actions.act_window_close"}
