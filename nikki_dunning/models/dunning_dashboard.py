"""Headline figures of the dunning dashboard, one record per company.

A read-only SQL view with a row per active company; the figures are computed
on read (they depend on today), for the companies the user works in.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import drop_view_if_exists

from ..services import report_figures

OPEN_PAYMENT_STATES = ("not_paid", "partial")
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class NikkiDunningDashboard(models.Model):
    _name = "nikki.dunning.dashboard"
    _description = "Dunning Headline Figures"
    _auto = False
    _order = "id"
    _rec_name = "company_id"
    _depends = {"res.company": ["currency_id", "active"]}

    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    open_overdue_amount = fields.Monetary(
        string="Open Overdue",
        compute="_compute_figures",
        help="Open amount of customer invoices past their due date.",
    )
    open_overdue_count = fields.Integer(compute="_compute_figures")
    in_dunning_amount = fields.Monetary(
        string="In Dunning",
        compute="_compute_figures",
        help="Open amount of invoices in the workflow (on hold included), "
        "not yet with the agency.",
    )
    in_dunning_count = fields.Integer(compute="_compute_figures")
    handed_over_amount = fields.Monetary(
        string="Handed Over",
        compute="_compute_figures",
        help="Open amount of invoices with the collection agency.",
    )
    handed_over_count = fields.Integer(compute="_compute_figures")
    recovered_month_amount = fields.Monetary(
        string="Recovered this Month",
        compute="_compute_figures",
        help="Invoices in dunning paid this month: their open amount at the "
        "last step they reached.",
    )
    recovered_month_count = fields.Integer(compute="_compute_figures")
    dso = fields.Float(
        string="DSO (days)",
        digits=(16, 1),
        compute="_compute_figures",
        help="Days sales outstanding: open customer invoices divided by the "
        "sales of the last 90 days, times 90.",
    )
    dso_known = fields.Boolean(compute="_compute_figures")

    def init(self):
        drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT id, id AS company_id, currency_id
                      FROM res_company
                     WHERE active
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def _compute_figures(self):
        today = fields.Date.context_today(self)
        figures = self._figures(self.company_id, today)
        for board in self:
            values = figures[board.company_id.id]
            board.update(dict(values, dso=values["dso"] or 0.0))
            board.dso_known = values["dso"] is not None

    # ------------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------------

    @api.model
    def _move_domains(self, company_ids, today):
        """The invoices behind each headline figure."""
        company = [("company_id", "in", company_ids)]
        invoices = company + [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
        ]
        return {
            "open_overdue": invoices
            + [
                ("payment_state", "in", OPEN_PAYMENT_STATES),
                ("invoice_date_due", "<", today),
            ],
            "in_dunning": company + [("dunning_state", "in", ("active", "on_hold"))],
            "handed_over": company + [("dunning_state", "=", "handed_over")],
        }

    @api.model
    def _recovered_domain(self, company_ids, date_from, date_to):
        """Report rows of invoices in dunning paid between the two dates."""
        return [
            ("company_id", "in", company_ids),
            ("outcome", "=", "paid"),
            ("is_last_step", "=", True),
            ("date_paid", ">=", date_from),
            ("date_paid", "<=", date_to),
        ]

    @api.model
    def _figures(self, companies, today, recovered_period=None):
        """{company id: headline figures} as of ``today``, in company
        currency. Aggregates only: read as superuser for the companies
        given (which the caller is allowed to see).

        ``recovered_period`` is the (first, last) day the ``recovered_month``
        figures count; by default this month up to ``today``."""
        Move = self.env["account.move"].sudo()
        ids = companies.ids
        result = {
            company_id: {
                "open_overdue_amount": 0.0,
                "open_overdue_count": 0,
                "in_dunning_amount": 0.0,
                "in_dunning_count": 0,
                "handed_over_amount": 0.0,
                "handed_over_count": 0,
                "recovered_month_amount": 0.0,
                "recovered_month_count": 0,
                "dso": None,
            }
            for company_id in ids
        }
        if not ids:
            return result
        for key, domain in self._move_domains(ids, today).items():
            for company, amount, count in Move._read_group(
                domain, ["company_id"], ["amount_residual_signed:sum", "__count"]
            ):
                result[company.id][f"{key}_amount"] = amount
                result[company.id][f"{key}_count"] = count

        recovered_from, recovered_to = recovered_period or (
            report_figures.month_start(today),
            today,
        )
        recovered = (
            self.env["nikki.dunning.report"]
            .sudo()
            ._read_group(
                self._recovered_domain(ids, recovered_from, recovered_to),
                ["company_id"],
                ["amount_recovered:sum", "__count"],
            )
        )
        for company, amount, count in recovered:
            result[company.id]["recovered_month_amount"] = amount
            result[company.id]["recovered_month_count"] = count

        customer_moves = [
            ("company_id", "in", ids),
            ("move_type", "in", CUSTOMER_MOVE_TYPES),
            ("state", "=", "posted"),
        ]
        receivable = dict(
            Move._read_group(
                customer_moves + [("payment_state", "in", OPEN_PAYMENT_STATES)],
                ["company_id"],
                ["amount_residual_signed:sum"],
            )
        )
        date_from, date_to = report_figures.sales_period(today)
        sales = dict(
            Move._read_group(
                customer_moves
                + [("invoice_date", ">=", date_from), ("invoice_date", "<=", date_to)],
                ["company_id"],
                ["amount_total_signed:sum"],
            )
        )
        for company in companies:
            result[company.id]["dso"] = report_figures.dso(
                receivable.get(company, 0.0), sales.get(company, 0.0)
            )
        return result

    # ------------------------------------------------------------------
    # drill-down
    # ------------------------------------------------------------------

    def _open_invoices(self, key, name):
        self.ensure_one()
        today = fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action.update(
            name=name,
            domain=self._move_domains(self.company_id.ids, today)[key],
            context={"default_move_type": "out_invoice", "create": False},
        )
        return action

    def action_open_overdue(self):
        return self._open_invoices("open_overdue", self.env._("Open Overdue Invoices"))

    def action_open_in_dunning(self):
        return self._open_invoices("in_dunning", self.env._("Invoices in Dunning"))

    def action_open_handed_over(self):
        return self._open_invoices(
            "handed_over", self.env._("Invoices with the Collection Agency")
        )

    def action_open_recovered(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_dunning_report"
        )
        action.update(
            name=self.env._("Recovered this Month"),
            domain=self._recovered_domain(
                self.company_id.ids, report_figures.month_start(today), today
            ),
            context={},
            views=[(False, "list"), (False, "pivot"), (False, "form")],
            view_mode="list,pivot,form",
        )
        return action
