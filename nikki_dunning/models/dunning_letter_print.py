from odoo import _, models
from odoo.exceptions import UserError


class NikkiDunningLog(models.Model):
    _inherit = "nikki.dunning.log"

    def action_print_dunning_letters(self):
        """One PDF: the latest letter of each customer among the lines."""
        communications = self.communication_id
        if not communications:
            raise UserError(
                _("No dunning letter was sent for the selected history lines.")
            )
        Communication = self.env["nikki.dunning.communication"]
        return Communication._latest_per_customer(communications)._print_letters()


class AccountMove(models.Model):
    _inherit = "account.move"

    def action_print_dunning_letters(self):
        """One PDF: the latest dunning letter of each customer among the
        selected invoices."""
        logs = self.env["nikki.dunning.log"].search(
            [("move_id", "in", self.ids), ("communication_id", "!=", False)]
        )
        if not logs:
            raise UserError(
                _(
                    "No dunning letter was sent for the selected invoices: " "%s.",
                    ", ".join(self.mapped("display_name")),
                )
            )
        return logs.action_print_dunning_letters()
