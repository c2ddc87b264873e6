from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DAY0
from .report_common import DunningReportCase

STEP_MEASURES = [
    "__count",
    "amount:sum",
    "paid:sum",
    "paid_within_7:sum",
    "paid_within_14:sum",
    "paid_within_30:sum",
    "amount_paid:sum",
    "amount_paid_within_7:sum",
    "amount_recovered:sum",
    "still_open:sum",
    "amount_still_open:sum",
    "handed_over:sum",
    "amount_handed_over:sum",
    "amount_collected:sum",
]
RATE_MEASURES = [
    "rate_paid_7:avg",
    "rate_paid_14:avg",
    "rate_paid_30:avg",
    "recovery_rate:avg",
    "days_to_pay:avg",
    "days_to_pay_median:avg",
    "days_after_step:avg",
    "days_after_step_median:avg",
]


@tagged("post_install", "-at_install")
class TestDunningReport(DunningReportCase):
    def test_counts_and_amounts_per_step(self):
        self.build_history()
        figures = self.by_day(STEP_MEASURES)
        self.assertEqual(sorted(figures), [0, 7, 15])
        self.assertEqual(
            figures[0],
            {
                "__count": 4,
                "amount:sum": 1000.0,
                "paid:sum": 3,  # A, B, C
                "paid_within_7:sum": 1,  # A (3 days)
                "paid_within_14:sum": 2,  # A, B (10 days)
                "paid_within_30:sum": 3,  # A, B, C (20 days)
                "amount_paid:sum": 600.0,
                "amount_paid_within_7:sum": 100.0,
                "amount_recovered:sum": 100.0,  # only A stopped at Day 0
                "still_open:sum": 1,  # D
                "amount_still_open:sum": 400.0,
                "handed_over:sum": 2,  # C, D later went to the agency
                "amount_handed_over:sum": 700.0,
                "amount_collected:sum": 300.0,
            },
        )
        self.assertEqual(
            figures[7],
            {
                "__count": 3,
                "amount:sum": 900.0,
                "paid:sum": 2,  # B, C
                "paid_within_7:sum": 1,  # B (3 days after the Day 7 reminder)
                "paid_within_14:sum": 2,  # C (13 days)
                "paid_within_30:sum": 2,
                "amount_paid:sum": 500.0,
                "amount_paid_within_7:sum": 200.0,
                "amount_recovered:sum": 200.0,
                "still_open:sum": 1,
                "amount_still_open:sum": 400.0,
                "handed_over:sum": 2,
                "amount_handed_over:sum": 700.0,
                "amount_collected:sum": 300.0,
            },
        )
        self.assertEqual(
            figures[15],
            {
                "__count": 2,
                "amount:sum": 700.0,
                "paid:sum": 1,  # C, 5 days after the hand-over
                "paid_within_7:sum": 1,
                "paid_within_14:sum": 1,
                "paid_within_30:sum": 1,
                "amount_paid:sum": 300.0,
                "amount_paid_within_7:sum": 300.0,
                "amount_recovered:sum": 300.0,
                "still_open:sum": 1,
                "amount_still_open:sum": 400.0,
                "handed_over:sum": 2,
                "amount_handed_over:sum": 700.0,
                "amount_collected:sum": 300.0,
            },
        )

    def test_rates_and_medians_per_step(self):
        self.build_history()
        figures = self.by_day(RATE_MEASURES)
        # Day 0: A, B, C paid 3, 10 and 20 days after Day 0; D is open
        self.assertAlmostEqual(figures[0]["rate_paid_7:avg"], 25.0)
        self.assertAlmostEqual(figures[0]["rate_paid_14:avg"], 50.0)
        self.assertAlmostEqual(figures[0]["rate_paid_30:avg"], 75.0)
        self.assertAlmostEqual(figures[0]["recovery_rate:avg"], 60.0)  # 600/1000
        self.assertAlmostEqual(figures[0]["days_to_pay:avg"], 11.0)  # (3+10+20)/3
        self.assertAlmostEqual(figures[0]["days_to_pay_median:avg"], 10.0)
        self.assertAlmostEqual(figures[0]["days_after_step_median:avg"], 10.0)
        # Day 7: B paid 3 days after it, C 13 days; D open
        self.assertAlmostEqual(figures[7]["rate_paid_7:avg"], 100 / 3)
        self.assertAlmostEqual(figures[7]["recovery_rate:avg"], 500 / 9)  # 500/900
        self.assertAlmostEqual(figures[7]["days_to_pay:avg"], 15.0)
        self.assertAlmostEqual(figures[7]["days_to_pay_median:avg"], 15.0)
        self.assertAlmostEqual(figures[7]["days_after_step:avg"], 8.0)
        self.assertAlmostEqual(figures[7]["days_after_step_median:avg"], 8.0)
        # Day 15 (hand-over): C paid 5 days after it, D open
        self.assertAlmostEqual(figures[15]["rate_paid_7:avg"], 50.0)
        self.assertAlmostEqual(figures[15]["recovery_rate:avg"], 300 / 7)
        self.assertAlmostEqual(figures[15]["days_to_pay_median:avg"], 20.0)
        self.assertAlmostEqual(figures[15]["days_after_step_median:avg"], 5.0)

    def test_median_is_a_median_not_a_mean(self):
        """Four paid invoices paid 1, 2, 3 and 30 days after Day 0: the
        median is 2.5 days, the mean 9."""
        invoices = self.env["account.move"]
        for customer in self.customers:
            invoice = self.make_invoice(customer, 50.0)
            invoices |= invoice
            self.submit_on(DAY0, invoice)
        for invoice, days in zip(invoices, (1, 2, 3, 30), strict=True):
            self.pay_on(invoice, DAY0 + timedelta(days=days))
        figures = self.by_day(["days_to_pay:avg", "days_to_pay_median:avg"])
        self.assertAlmostEqual(figures[0]["days_to_pay:avg"], 9.0)
        self.assertAlmostEqual(figures[0]["days_to_pay_median:avg"], 2.5)

    def test_rows_name_the_invoice_step_and_outcome(self):
        a, b, c, d = self.build_history()
        rows = (
            self.env["nikki.dunning.report"]
            .search([("move_id", "in", (a | b | c | d).ids)])
            .sorted(lambda row: (row.move_id.id, row.day_offset))
        )
        self.assertEqual(
            [(row.move_id, row.day_offset, row.outcome) for row in rows],
            [
                (a, 0, "paid"),
                (b, 0, "paid"),
                (b, 7, "paid"),
                (c, 0, "paid"),
                (c, 7, "paid"),
                (c, 15, "paid"),
                (d, 0, "handed_over"),
                (d, 7, "handed_over"),
                (d, 15, "handed_over"),
            ],
        )
        last = rows.filtered("is_last_step")
        self.assertEqual(
            [(row.move_id, row.day_offset) for row in last],
            [(a, 0), (b, 7), (c, 15), (d, 15)],
        )
        self.assertEqual(set(rows.policy_id), {self.policy})
        self.assertEqual(set(rows.company_id), {self.company})
        self.assertEqual(
            rows.filtered(lambda r: r.move_id == c).mapped("date_paid"),
            [DAY0 + timedelta(days=20)] * 3,
        )
        self.assertEqual(
            rows.filtered(lambda r: r.move_id == d).mapped("date_paid"), [False] * 3
        )
        handover = rows.filtered(lambda r: r.day_offset == 15)
        self.assertEqual(handover.step_id.action, "handover")
        self.assertEqual(set(handover.mapped("action")), {"handover"})
        self.assertEqual(set(rows.partner_id), set(self.customers))

    def test_amounts_in_company_currency(self):
        """A foreign-currency invoice counts at its own booking rate."""
        eur = self.setup_other_currency("EUR", rates=[("2020-01-01", 2.0)])
        invoice = self.make_invoice(self.de_vries, 200.0, post=False)
        invoice.currency_id = eur
        invoice.action_post()
        self.assertAlmostEqual(invoice.amount_total_signed, 100.0)
        self.submit_on(DAY0, invoice)
        row = self.env["nikki.dunning.report"].search([("move_id", "=", invoice.id)])
        self.assertEqual(row.currency_id, eur)
        self.assertEqual(row.company_currency_id, self.company.currency_id)
        self.assertAlmostEqual(row.amount, 100.0)
        self.assertAlmostEqual(row.amount_still_open, 100.0)
        by_currency = self.env["nikki.dunning.report"].read_group(
            [("currency_id", "=", eur.id)], ["amount:sum"], ["currency_id"]
        )
        self.assertEqual(by_currency[0]["amount"], 100.0)

    def test_restarted_workflow_counts_the_old_steps_as_reached_only(self):
        invoice = self.make_invoice(self.de_vries, 150.0)
        self.submit_on(DAY0, invoice)
        self.run_on(DAY0 + timedelta(days=7))
        with freeze_time(DAY0 + timedelta(days=8)):
            invoice.action_dunning_stop()
        self.submit_on(DAY0 + timedelta(days=20), invoice)
        self.pay_on(invoice, DAY0 + timedelta(days=22))
        rows = self.env["nikki.dunning.report"].search(
            [("move_id", "=", invoice.id)], order="date"
        )
        self.assertEqual(
            [(row.cycle_start, row.day_offset, row.outcome) for row in rows],
            [
                (DAY0, 0, "restarted"),
                (DAY0, 7, "restarted"),
                (DAY0 + timedelta(days=20), 0, "paid"),
            ],
        )
        self.assertEqual(rows.mapped("paid"), [0, 0, 1])
        self.assertEqual(rows.mapped("days_to_pay"), [0.0, 0.0, 2.0])
        self.assertEqual(rows.mapped("amount_recovered"), [0.0, 0.0, 150.0])

    def test_stopped_and_open_invoices_are_not_paid(self):
        stopped = self.make_invoice(self.de_vries, 80.0)
        running = self.make_invoice(self.jansen, 90.0)
        self.submit_on(DAY0, stopped | running)
        stopped.action_dunning_stop()
        figures = self.by_day(
            ["__count", "paid:sum", "still_open:sum", "amount_still_open:sum"]
        )
        self.assertEqual(
            figures[0],
            {
                "__count": 2,
                "paid:sum": 0,
                "still_open:sum": 1,
                "amount_still_open:sum": 90.0,
            },
        )
        outcomes = self.env["nikki.dunning.report"].search([]).mapped("outcome")
        self.assertEqual(sorted(outcomes), ["ended", "open"])

    def test_policies_side_by_side(self):
        """Two policies: the comparison shows each one's own steps and rates."""
        fast = self.policy.copy({"company_id": self.company.id})
        fast.name = "Fast"
        fast.step_ids.filtered(lambda s: s.day_offset == 7).day_offset = 5
        self.customers[1].with_company(self.company).dunning_policy_id = fast
        standard_invoice = self.make_invoice(self.customers[0], 100.0)
        fast_invoice = self.make_invoice(self.customers[1], 100.0)
        self.submit_on(DAY0, standard_invoice | fast_invoice)
        self.run_on(DAY0 + timedelta(days=5))
        self.pay_on(fast_invoice, DAY0 + timedelta(days=6))
        self.run_on(DAY0 + timedelta(days=7))
        self.pay_on(standard_invoice, DAY0 + timedelta(days=12))
        groups = self.env["nikki.dunning.report"].read_group(
            [],
            ["rate_paid_7:avg", "days_to_pay_median:avg"],
            ["policy_id", "day_offset"],
            lazy=False,
        )
        figures = {
            (group["policy_id"][1], group["day_offset"]): (
                group["__count"],
                group["rate_paid_7"],
                group["days_to_pay_median"],
            )
            for group in groups
        }
        self.assertEqual(
            figures,
            {
                ("Fast", 0): (1, 100.0, 6.0),
                ("Fast", 5): (1, 100.0, 6.0),
                ("NIKKI Standard", 0): (1, 0.0, 12.0),
                ("NIKKI Standard", 7): (1, 100.0, 12.0),
            },
        )

    def test_step_groups_come_in_step_order_with_the_empty_group_last(self):
        """Grouped by step, the groups follow the steps' own order (policy
        sequence and name, then day), not their ids; the lines of a deleted
        step come last."""
        fast = self.policy.copy({"company_id": self.company.id})
        fast.write({"name": "Fast", "sequence": self.policy.sequence - 1})
        fast.step_ids.filtered(lambda s: s.day_offset == 7).day_offset = 5
        self.customers[1].with_company(self.company).dunning_policy_id = fast
        standard_invoice = self.make_invoice(self.customers[0], 100.0)
        fast_invoice = self.make_invoice(self.customers[1], 100.0)
        self.submit_on(DAY0, standard_invoice | fast_invoice)
        self.run_on(DAY0 + timedelta(days=5))
        self.pay_on(fast_invoice, DAY0 + timedelta(days=6))
        self.run_on(DAY0 + timedelta(days=7))
        self.pay_on(standard_invoice, DAY0 + timedelta(days=12))
        fast_steps = fast.step_ids.sorted("day_offset")
        standard_steps = self.policy.step_ids.sorted("day_offset")
        # the copied policy's steps have the higher ids, yet come first
        self.assertGreater(min(fast_steps.ids), max(standard_steps.ids))
        fast_steps.filtered(lambda s: s.day_offset == 5).unlink()
        self.env.flush_all()

        groups = self.env["nikki.dunning.report"].read_group(
            [], ["__count"], ["step_id"], lazy=False
        )
        self.assertEqual(
            [
                (group["step_id"] and group["step_id"][0], group["__count"])
                for group in groups
            ],
            [
                (fast_steps[0].id, 1),
                (standard_steps[0].id, 1),
                (standard_steps.filtered(lambda s: s.day_offset == 7).id, 1),
                (False, 1),  # the deleted Day 5 step of the fast policy
            ],
        )

    def test_customers_most_often_handed_over(self):
        a, b, c, d = self.build_history()
        twice = self.make_invoice(self.jansen, 50.0) | self.make_invoice(
            self.jansen, 60.0
        )
        self.submit_on(DAY0 + timedelta(days=1), twice)
        self.run_on(DAY0 + timedelta(days=8))
        self.run_on(DAY0 + timedelta(days=16))
        rows = self.env["nikki.dunning.report.customer"].search([])
        self.assertEqual(
            [
                (
                    row.partner_id,
                    row.handover_count,
                    row.paid_count,
                    row.amount_handed_over,
                    row.amount_collected,
                    row.amount_open,
                    row.last_handover,
                )
                for row in rows
            ],
            [
                (self.jansen, 2, 0, 110.0, 0.0, 110.0, DAY0 + timedelta(days=16)),
                (d.partner_id, 1, 0, 400.0, 0.0, 400.0, DAY0 + timedelta(days=15)),
                (c.partner_id, 1, 1, 300.0, 300.0, 0.0, DAY0 + timedelta(days=15)),
            ],
            "the most frequent first, then the largest amount",
        )
        action = rows[2].action_open_invoices()
        handovers = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(handovers.move_id, c)
        self.assertEqual(handovers.action, "handover")

    def test_recovery_rate_of_an_empty_group_is_empty_not_an_error(self):
        groups = self.env["nikki.dunning.report"].read_group(
            [], ["recovery_rate:avg", "days_to_pay_median:avg"], [], lazy=False
        )
        self.assertEqual(groups[0]["__count"], 0)
        self.assertFalse(groups[0]["recovery_rate"])
        self.assertFalse(groups[0]["days_to_pay_median"])

    def test_report_is_read_only(self):
        self.build_history()
        user = new_test_user(
            self.env,
            login="billing_report",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        Report = self.env(user=user)["nikki.dunning.report"]
        row = Report.search([], limit=1)
        self.assertTrue(row)
        with self.assertRaises(AccessError):
            row.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            Report.create({"amount": 1.0})
        with self.assertRaises(AccessError):
            row.unlink()


@tagged("post_install", "-at_install")
class TestDunningReportCompanies(DunningReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.company_b.email = "billing@b.example.com"

    def make_user(self, login, companies):
        return new_test_user(
            self.env,
            login=login,
            groups="account.group_account_invoice",
            company_id=companies[0].id,
            company_ids=[Command.set([company.id for company in companies])],
        )

    def test_users_see_the_figures_of_their_companies_only(self):
        self.build_history()
        invoice_b = self.make_invoice(self.de_vries, 999.0, company=self.company_b)
        self.run_on(DAY0 + timedelta(days=1), company=self.company_b)
        self.assertEqual(invoice_b.dunning_state, "active")

        env_a = self.env(user=self.make_user("report_a", [self.company]))
        self.assertEqual(
            self.by_day(["__count", "amount:sum"], env=env_a)[0],
            {"__count": 4, "amount:sum": 1000.0},
        )
        rows = env_a["nikki.dunning.report"].search([])
        self.assertEqual(rows.company_id, self.company)
        self.assertNotIn(invoice_b, rows.move_id)
        self.assertFalse(
            env_a["nikki.dunning.report"].search_count(
                [("company_id", "=", self.company_b.id)]
            )
        )
        self.assertFalse(
            env_a["nikki.dunning.report"].read_group(
                [("move_id", "=", invoice_b.id)], ["amount:sum"], [], lazy=False
            )[0]["__count"]
        )

        env_b = self.env(user=self.make_user("report_b", [self.company_b]))
        self.assertEqual(
            self.by_day(["__count", "amount:sum"], env=env_b),
            {0: {"__count": 1, "amount:sum": 999.0}},
        )

        env_ab = self.env(
            user=self.make_user("report_ab", [self.company, self.company_b])
        )
        env_ab = env_ab(
            context=dict(env_ab.context, allowed_company_ids=[self.company.id])
        )
        self.assertEqual(
            env_ab["nikki.dunning.report"].search([]).company_id,
            self.company,
            "only the companies selected in the switcher",
        )
        env_ab = env_ab(
            context=dict(
                env_ab.context,
                allowed_company_ids=[self.company.id, self.company_b.id],
            )
        )
        self.assertEqual(
            self.by_day(["__count", "amount:sum"], env=env_ab)[0],
            {"__count": 5, "amount:sum": 1999.0},
        )
