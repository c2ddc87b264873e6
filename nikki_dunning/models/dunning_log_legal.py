from odoo import _, fields, models
from odoo.exceptions import UserError


class NikkiDunningLog(models.Model):
    """The legal figures of a step, stored as they were sent.

    Amounts are open amounts on the day of the step, in the invoice's
    currency, with payments applied to costs, then interest, then principal
    (art. 6:44 BW). A reprint of the letter shows these figures, whatever
    changed since. Selected lines print the latest letter of each customer.
    """

    _inherit = "nikki.dunning.log"

    principal_amount = fields.Monetary(
        string="Principal Open",
        currency_field="currency_id",
        help="Open principal when the step ran, payments applied to costs and "
        "interest first.",
    )
    interest_amount = fields.Monetary(
        string="Interest",
        currency_field="currency_id",
        help="Statutory interest open when the step ran.",
    )
    costs_amount = fields.Monetary(
        string="Collection Costs",
        currency_field="currency_id",
        help="This invoice's part of the collection costs of its notice "
        "(still open), owed from the date below.",
    )
    costs_deadline = fields.Date(
        string="Costs Owed From",
        help="The day from which collection costs are owed: for consumers the "
        "day after the fourteen-day term of the pre-collection notice (from "
        "its assumed delivery); later letters repeat this same date.",
    )
    costs_notice_id = fields.Many2one(
        "nikki.dunning.communication",
        string="Pre-collection Notice",
        ondelete="set null",
        index="btree_not_null",
        help="The fourteen-day letter that set the deadline.",
    )

    def action_print_dunning_letters(self):
        """One PDF: the latest letter of each customer among the lines."""
        communications = self.communication_id
        if not communications:
            raise UserError(
                _("No dunning letter was sent for the selected history lines.")
            )
        Communication = self.env["nikki.dunning.communication"]
        return Communication._latest_per_customer(communications)._print_letters()
