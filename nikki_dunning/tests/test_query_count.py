from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestQueryCount(DunningCase):
    """The cost of a run grows with customers, not with their invoices."""

    def queries_for(self, customers, invoices_each):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Q{invoices_each}-{n}",
                    "email": f"q{invoices_each}{n}@ex.com",
                }
                for n in range(customers)
            ]
        )
        moves = self.env["account.move"]
        for partner in partners:
            for _n in range(invoices_each):
                moves |= self.make_invoice(partner)
        self.engine._enrol(moves, "manual", DAY0)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        stats = self.engine._run_due(
            DAY0, company_ids=self.company.ids, customer_ids=partners.ids
        )
        self.env.flush_all()
        self.assertEqual(stats["customers"], customers)
        self.assertEqual(len(self.step_logs(moves)), customers * invoices_each)
        return self.env.cr.sql_log_count - before

    def test_queries_do_not_grow_with_invoices_per_customer(self):
        self.queries_for(2, 1)  # warm the caches
        one_each = self.queries_for(5, 1)
        six_each = self.queries_for(5, 6)
        self.assertEqual(six_each, one_each)

    def test_queries_per_customer_are_bounded(self):
        self.queries_for(2, 1)  # warm the caches
        five = self.queries_for(5, 2)
        twenty = self.queries_for(20, 2)
        per_customer = (twenty - five) / 15
        self.assertLess(per_customer, 12, f"{per_customer:.1f} queries per customer")
