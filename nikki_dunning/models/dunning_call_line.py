from odoo import api, fields, models
from odoo.tools.misc import formatLang


class NikkiDunningCallLine(models.Model):
    """An invoice a dunning call is about, as the caller may see it: number,
    due date, open amount and the last dunning step, copied from the
    invoice (sales staff have no access to invoices)."""

    _name = "nikki.dunning.call.line"
    _description = "Dunning Call Invoice"
    _order = "call_id, invoice_date_due, id"

    call_id = fields.Many2one(
        "nikki.dunning.call", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="call_id.company_id", store=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice Record",
        required=True,
        ondelete="cascade",
        index=True,
        groups="account.group_account_invoice",
    )
    name = fields.Char(string="Invoice", required=True)
    invoice_date_due = fields.Date(string="Due Date")
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary(
        string="Amount Open", currency_field="currency_id"
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    amount_company = fields.Monetary(
        string="Amount Open (Company Currency)", currency_field="company_currency_id"
    )
    last_step = fields.Char(string="Last Dunning Step")
    last_step_date = fields.Date(string="Last Step On")

    @api.depends("name", "amount_residual", "currency_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = "{} ({})".format(
                line.name,
                formatLang(
                    line.env, line.amount_residual, currency_obj=line.currency_id
                ),
            )

    @api.model
    def _values_for(self, move):
        """Line values of an invoice (read as superuser by the caller)."""
        return {
            "move_id": move.id,
            "name": move.name,
            "invoice_date_due": move.invoice_date_due,
            "currency_id": move.currency_id.id,
            "amount_residual": move.amount_residual,
            "amount_company": move.amount_residual_signed,
            "last_step": move.dunning_step_id.name if move.dunning_step_date else False,
            "last_step_date": move.dunning_step_date,
        }
