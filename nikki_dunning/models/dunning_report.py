"""Dunning analysis: one row per invoice per workflow step it reached.

A read-only SQL view over the step lines of the dunning history
(``nikki.dunning.log``). What became of each step (paid and when, still
open, handed over, collected) is stored on the line and kept current from
the invoice and its collection case line (``dunning_log_report.py``), so the
view reads a single table and stays fast on large histories.

Amounts are in company currency: the open amount a step line recorded (in
the invoice currency) converted at the invoice's own booking rate
(``amount_total_signed / amount_total``), the rate its receivable is carried
at in the books, so the figures agree with the aged receivables.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index, drop_view_if_exists

from .dunning_log_report import OUTCOMES, STEP_ACTION_KEYS
from .dunning_step import STEP_ACTIONS

PAID_WITHIN_DAYS = (7, 14, 30)

# the step lines' actions as an SQL list: ('reminder', 'pre_collection', ...)
STEP_ACTIONS_SQL = "({})".format(", ".join(f"'{key}'" for key in STEP_ACTION_KEYS))

# medians: computed over the group's rows, not averaged
MEDIAN_AGGREGATES = {
    "days_to_pay_median:avg": "days_to_pay",
    "days_after_step_median:avg": "days_after_step",
}


class NikkiDunningReport(models.Model):
    _name = "nikki.dunning.report"
    _description = "Dunning Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"
    # flushed (and recomputed) before the view is read
    _depends = {
        "nikki.dunning.log": [
            "move_id",
            "step_id",
            "policy_id",
            "company_id",
            "partner_id",
            "currency_id",
            "action",
            "day_offset",
            "date",
            "cycle_start",
            "report_amount",
            "report_user_id",
            "report_outcome",
            "report_date_paid",
            "report_last_step",
            "report_amount_open",
            "report_handed_over",
            "report_amount_handed_over",
            "report_amount_collected",
        ],
        "res.company": ["currency_id"],
    }

    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    step_id = fields.Many2one("nikki.dunning.step", string="Step", readonly=True)
    policy_id = fields.Many2one("nikki.dunning.policy", string="Policy", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Invoice Currency", readonly=True
    )
    company_currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    action = fields.Selection(STEP_ACTIONS, string="Step Type", readonly=True)
    day_offset = fields.Integer(
        string="Day",
        readonly=True,
        aggregator=False,
        help="Day of the step from Day 0.",
    )
    date = fields.Date(string="Step Date", readonly=True)
    cycle_start = fields.Date(string="Day 0", readonly=True)
    date_paid = fields.Date(
        string="Paid On",
        readonly=True,
        help="The day the payment ended the workflow.",
    )
    outcome = fields.Selection(
        OUTCOMES,
        readonly=True,
        help="Where the invoice's workflow stands now (or how it ended).",
    )
    is_last_step = fields.Boolean(
        string="Last Step Reached",
        readonly=True,
        help="The furthest step this invoice reached: a payment after it is "
        "recovered by this step.",
    )

    amount = fields.Monetary(
        string="Amount at Step",
        currency_field="company_currency_id",
        readonly=True,
        help="Open amount of the invoice when the step ran, in company currency.",
    )
    paid = fields.Integer(
        string="Paid Afterwards",
        readonly=True,
        help="Invoices paid after the step (any time).",
    )
    paid_within_7 = fields.Integer(
        string="Paid within 7 Days",
        readonly=True,
        help="Invoices paid at most 7 days after the step.",
    )
    paid_within_14 = fields.Integer(string="Paid within 14 Days", readonly=True)
    paid_within_30 = fields.Integer(string="Paid within 30 Days", readonly=True)
    amount_paid = fields.Monetary(
        string="Amount Paid Afterwards",
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_paid_within_7 = fields.Monetary(
        string="Amount Paid within 7 Days",
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_paid_within_14 = fields.Monetary(
        string="Amount Paid within 14 Days",
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_paid_within_30 = fields.Monetary(
        string="Amount Paid within 30 Days",
        currency_field="company_currency_id",
        readonly=True,
    )
    amount_recovered = fields.Monetary(
        string="Recovered after this Step",
        currency_field="company_currency_id",
        readonly=True,
        help="Paid when this was the last step the invoice reached: the money "
        "this step brought in.",
    )
    still_open = fields.Integer(
        readonly=True, help="Invoices still in dunning or with the agency."
    )
    amount_still_open = fields.Monetary(
        currency_field="company_currency_id",
        readonly=True,
        help="What the invoice still owes today, in company currency.",
    )
    handed_over = fields.Integer(
        readonly=True, help="Invoices handed over to the agency (now or later)."
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
    days_to_pay = fields.Float(
        string="Days Day 0 to Payment (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )
    days_to_pay_median = fields.Float(
        string="Days Day 0 to Payment (median)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )
    days_after_step = fields.Float(
        string="Days Step to Payment (avg)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )
    days_after_step_median = fields.Float(
        string="Days Step to Payment (median)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )
    recovery_rate = fields.Float(
        string="Recovery Rate (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of the amount that reached the step paid afterwards.",
    )
    rate_paid_7 = fields.Float(
        string="Paid within 7 Days (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Share of the invoices that reached the step paid within 7 days.",
    )
    rate_paid_14 = fields.Float(
        string="Paid within 14 Days (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )
    rate_paid_30 = fields.Float(
        string="Paid within 30 Days (%)",
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # the view
    # ------------------------------------------------------------------

    def init(self):
        cr = self.env.cr
        # what the analysis filters by: the company (record rule) and a period
        create_index(
            cr,
            "nikki_dunning_log_report_index",
            "nikki_dunning_log",
            ["company_id", "date", "step_id"],
            where=f"action IN {STEP_ACTIONS_SQL}",
        )
        # the dashboard's "recovered this month"
        create_index(
            cr,
            "nikki_dunning_log_report_paid_index",
            "nikki_dunning_log",
            ["report_date_paid", "company_id"],
            where="report_outcome = 'paid' AND report_last_step",
        )
        drop_view_if_exists(cr, self._table)
        cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._view_query(),
            )
        )

    @api.model
    def _view_query(self):
        """The rows: step lines (inner query ``b``) and the measures derived
        from them. The inner query is flattened into the outer one by
        PostgreSQL."""
        within = SQL(", ").join(
            SQL(
                """
                CASE WHEN b.days_after_step <= %(days)s THEN 1 ELSE 0 END
                    AS %(count)s,
                CASE WHEN b.days_after_step <= %(days)s THEN b.amount ELSE 0 END
                    AS %(amount)s,
                CASE WHEN b.days_after_step <= %(days)s
                     THEN 100.0::float8 ELSE 0.0::float8 END
                    AS %(rate)s
                """,
                days=days,
                count=SQL.identifier(f"paid_within_{days}"),
                amount=SQL.identifier(f"amount_paid_within_{days}"),
                rate=SQL.identifier(f"rate_paid_{days}"),
            )
            for days in PAID_WITHIN_DAYS
        )
        return SQL(
            """
            SELECT b.*,
                   CASE WHEN b.outcome = 'paid' THEN 1 ELSE 0 END AS paid,
                   CASE WHEN b.outcome = 'paid' THEN b.amount ELSE 0 END
                       AS amount_paid,
                   CASE WHEN b.outcome = 'paid' AND b.is_last_step
                        THEN b.amount ELSE 0 END AS amount_recovered,
                   CASE WHEN b.outcome IN ('open', 'handed_over') THEN 1 ELSE 0 END
                       AS still_open,
                   b.days_to_pay AS days_to_pay_median,
                   b.days_after_step AS days_after_step_median,
                   CASE WHEN b.outcome = 'paid'
                        THEN 100.0::float8 ELSE 0.0::float8 END AS recovery_rate,
                   %(within)s
              FROM (
                SELECT l.id, l.move_id, l.step_id, l.policy_id, l.company_id,
                       l.partner_id, l.report_user_id AS user_id, l.currency_id,
                       c.currency_id AS company_currency_id, l.action,
                       l.day_offset, l.date, l.cycle_start,
                       l.report_outcome AS outcome,
                       l.report_date_paid AS date_paid,
                       l.report_last_step AS is_last_step,
                       COALESCE(l.report_amount, 0) AS amount,
                       COALESCE(l.report_amount_open, 0) AS amount_still_open,
                       CASE WHEN l.report_handed_over THEN 1 ELSE 0 END
                           AS handed_over,
                       COALESCE(l.report_amount_handed_over, 0)
                           AS amount_handed_over,
                       COALESCE(l.report_amount_collected, 0) AS amount_collected,
                       l.report_date_paid - l.cycle_start AS days_to_pay,
                       l.report_date_paid - l.date AS days_after_step
                  FROM nikki_dunning_log l
                  LEFT JOIN res_company c ON c.id = l.company_id
                 WHERE l.action IN %(step_actions)s
              ) b
            """,
            within=within,
            step_actions=SQL(STEP_ACTIONS_SQL),
        )

    # ------------------------------------------------------------------
    # measures that are not a plain sum or average of the rows
    # ------------------------------------------------------------------

    @api.model
    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        """Groups in their natural order, sorted after aggregation.

        Ordering groups of a many2one (step, policy, customer...) by the
        related model's order makes PostgreSQL join that model to every
        history line and group by its columns (the policy's translated
        name...) before aggregating: seconds on a million lines. Grouped
        by ids, then sorted here, the same groups cost a fraction.
        """
        natural = [spec.strip() for spec in (order or "").split(",") if spec]
        if (
            limit
            or offset
            or natural != list(groupby)
            or not any(
                self._fields[spec].type == "many2one"
                for spec in groupby
                if spec in self._fields
            )
        ):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        rows = super()._read_group(domain, groupby, aggregates, having)
        return sorted(rows, key=self._group_sort_key(groupby, rows))

    def _group_sort_key(self, groupby, rows):
        """Sort key of read_group rows: many2one groups in the order of
        their model, other groups by value, empty groups last."""
        positions = {}
        for index, spec in enumerate(groupby):
            field = self._fields.get(spec)
            if field and field.type == "many2one":
                ids = {row[index].id for row in rows if row[index]}
                comodel = self.env[field.comodel_name]
                ordered = (
                    comodel.sudo()
                    .with_context(active_test=False)
                    .search([("id", "in", list(ids))], order=comodel._order)
                    .ids
                )
                positions[index] = {
                    record_id: position for position, record_id in enumerate(ordered)
                }

        booleans = {
            index
            for index, spec in enumerate(groupby)
            if spec in self._fields and self._fields[spec].type == "boolean"
        }

        def key(row):
            parts = []
            for index, value in enumerate(row[: len(groupby)]):
                if index in positions:
                    parts.append((not value, positions[index].get(value.id, 0)))
                elif index in booleans:
                    parts.append((False, bool(value)))
                else:
                    parts.append((value is None or value is False, value or 0))
            return parts

        return key

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "recovery_rate:avg":
            # weighted by amount: the share of the money that reached the
            # step which was paid afterwards
            return SQL(
                "SUM(%s) * 100.0 / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "amount_paid", query),
                self._field_to_sql(self._table, "amount", query),
            )
        if aggregate_spec in MEDIAN_AGGREGATES:
            # the values of each group gathered by a hash aggregate, then
            # sorted group by group: PERCENTILE_CONT over the rows directly
            # would sort every row of the view by the group first
            column = self._field_to_sql(
                self._table, MEDIAN_AGGREGATES[aggregate_spec], query
            )
            return SQL(
                "(SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY value) "
                "FROM UNNEST(ARRAY_AGG(%s) FILTER (WHERE %s IS NOT NULL)) "
                "AS value)",
                column,
                column,
            )
        return super()._read_group_select(aggregate_spec, query)
