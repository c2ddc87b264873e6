"""Customers most often handed over to the collection agency.

A read-only SQL view with one row per customer and company: how many of its
invoices reached the hand-over step, for how much, what came back.
"""

from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists


class NikkiDunningReportCustomer(models.Model):
    _name = "nikki.dunning.report.customer"
    _description = "Customers Handed Over"
    _auto = False
    _order = "handover_count desc, amount_handed_over desc, id"
    _rec_name = "partner_id"
    _depends = {
        "nikki.dunning.log": [
            "company_id",
            "partner_id",
            "action",
            "date",
            "report_amount",
            "report_outcome",
            "report_amount_open",
            "report_amount_collected",
        ],
        "res.company": ["currency_id"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    handover_count = fields.Integer(
        string="Invoices Handed Over",
        readonly=True,
        help="Invoices of the customer that reached the hand-over step.",
    )
    paid_count = fields.Integer(
        string="Paid after Hand-over",
        readonly=True,
    )
    amount_handed_over = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_collected = fields.Monetary(
        string="Collected by Agency",
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_open = fields.Monetary(
        string="Still with the Agency",
        currency_field="company_currency_id",
        readonly=True,
    )
    last_handover = fields.Date(string="Last Hand-over", readonly=True)

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT MIN(l.id) AS id,
                           l.company_id,
                           l.partner_id,
                           c.currency_id AS company_currency_id,
                           COUNT(*) AS handover_count,
                           COUNT(*) FILTER (WHERE l.report_outcome = 'paid')
                               AS paid_count,
                           SUM(COALESCE(l.report_amount, 0)) AS amount_handed_over,
                           SUM(COALESCE(l.report_amount_collected, 0))
                               AS amount_collected,
                           SUM(CASE WHEN l.report_outcome = 'handed_over'
                                    THEN COALESCE(l.report_amount_open, 0)
                                    ELSE 0 END) AS amount_open,
                           MAX(l.date) AS last_handover
                      FROM nikki_dunning_log l
                      JOIN res_company c ON c.id = l.company_id
                     WHERE l.action = 'handover'
                  GROUP BY l.company_id, l.partner_id, c.currency_id
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_invoices(self):
        """The customer's invoices that were handed over."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_dunning_report"
        )
        action.update(
            name=self.env._("Hand-overs of %s", self.partner_id.display_name),
            domain=[
                ("company_id", "=", self.company_id.id),
                ("partner_id", "=", self.partner_id.id),
                ("action", "=", "handover"),
            ],
            context={},
            views=[(False, "list"), (False, "form")],
            view_mode="list,form",
        )
        return action
