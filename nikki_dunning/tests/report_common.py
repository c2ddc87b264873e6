"""A hand-built dunning history the analysis tests check figures against."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class DunningReportCase(DunningCase):
    """Four invoices submitted on Day 0 (100, 200, 300, 400):

    - A (100) is paid on day 3, after the Day 0 reminder;
    - B (200) is paid on day 10, after the Day 7 reminder;
    - C (300) is handed over on day 15 and paid on day 20, the agency
      reports 300 collected;
    - D (400) is handed over on day 15 and still open.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customers = Partner.create(
            [
                {"name": f"Customer {letter}", "email": f"{letter}@example.com"}
                for letter in "ABCD"
            ]
        )

    def pay_on(self, moves, day):
        """Pay ``moves`` on ``day``: the workflow ends on that day."""
        with freeze_time(day):
            self.pay(moves, on=day)
            self.env.flush_all()
        for move in moves:
            self.assertEqual(move.dunning_end_reason, "paid")

    def build_history(self, company=None):
        company = company or self.company
        invoices = [
            self.make_invoice(customer, amount, company=company)
            for customer, amount in zip(
                self.customers, (100.0, 200.0, 300.0, 400.0), strict=True
            )
        ]
        a, b, c, d = invoices
        self.submit_on(DAY0, (a | b | c | d).with_company(company))
        self.pay_on(a, DAY0 + timedelta(days=3))
        self.run_on(DAY0 + timedelta(days=7), company=company)
        self.pay_on(b, DAY0 + timedelta(days=10))
        self.run_on(DAY0 + timedelta(days=15), company=company)
        self.pay_on(c, DAY0 + timedelta(days=20))
        line = self.env["nikki.collection.case.line"].search([("move_id", "=", c.id)])
        line.write({"amount_collected": 300.0, "state": "collected"})
        self.env.flush_all()
        return a, b, c, d

    def by_day(self, aggregates, domain=(), env=None):
        """{day: {aggregate: value}} as the pivot reads it (public
        read_group, as the web client calls it)."""
        Report = (env or self.env)["nikki.dunning.report"]
        groups = Report.read_group(
            list(domain), list(aggregates), ["day_offset"], lazy=False
        )
        result = {}
        for group in groups:
            result[group["day_offset"]] = {
                spec: group[spec.split(":")[0]] for spec in aggregates
            }
        return result
