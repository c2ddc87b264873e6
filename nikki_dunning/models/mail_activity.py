from odoo import _, models


class MailActivity(models.Model):
    """A dunning call activity handled outside the call-outcome form still
    closes its call: marked done (outcome unknown, recorded as such) or
    cancelled; reassigned or moved, the call follows."""

    _inherit = "mail.activity"

    def _dunning_open_calls(self):
        call_type = self.env.ref(
            "nikki_dunning.mail_activity_type_dunning_call", raise_if_not_found=False
        )
        activities = self.filtered(
            lambda activity: activity.activity_type_id == call_type
        )
        if not activities:
            return self.env["nikki.dunning.call"]
        return (
            self.env["nikki.dunning.call"]
            .sudo()
            .search([("activity_id", "in", activities.ids), ("state", "=", "open")])
        )

    def _action_done(self, feedback=False, attachment_ids=None):
        for call in self._dunning_open_calls():
            call._complete("done", note=feedback, activity_done=True)
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        self._dunning_open_calls()._cancel(
            _("the call activity was cancelled"), unlink_activity=False
        )
        return super().unlink()

    def write(self, vals):
        res = super().write(vals)
        if vals.get("user_id") or vals.get("date_deadline"):
            for call in self._dunning_open_calls():
                activity = call.activity_id
                call.write(
                    {"user_id": activity.user_id.id, "date_due": activity.date_deadline}
                )
        return res
