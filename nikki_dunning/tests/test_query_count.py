from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestQueryCount(DunningCase):
    """The cost of enrolling and running grows with customers, not with
    their invoices."""

    def customers_with_invoices(self, customers, invoices_each):
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
        self.env.flush_all()
        self.env.invalidate_all()
        return partners, moves

    def count(self, func):
        before = self.env.cr.sql_log_count
        func()
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def run_queries(self, customers, invoices_each):
        partners, moves = self.customers_with_invoices(customers, invoices_each)
        self.engine._enrol(moves, "manual", DAY0)
        self.env.flush_all()
        self.env.invalidate_all()
        queries = self.count(
            lambda: self.engine._run_due(
                DAY0, company_ids=self.company.ids, customer_ids=partners.ids
            )
        )
        self.assertEqual(len(self.step_logs(moves)), customers * invoices_each)
        return queries

    def submit_queries(self, customers, invoices_each):
        _partners, moves = self.customers_with_invoices(customers, invoices_each)
        queries = self.count(lambda: self.engine._submit(moves, "manual", DAY0))
        self.assertEqual(len(self.step_logs(moves)), customers * invoices_each)
        return queries

    def enrol_queries(self, customers, invoices_each):
        _partners, moves = self.customers_with_invoices(customers, invoices_each)
        queries = self.count(lambda: self.engine._auto_enrol(DAY0, self.company.ids))
        self.assertEqual(set(moves.mapped("dunning_state")), {"active"})
        # the next test's invoices must not find these still waiting
        moves.sudo()._dunning_write({"dunning_state": "done"})
        return queries

    def test_a_run_does_not_grow_with_invoices_per_customer(self):
        self.run_queries(2, 1)  # warm the caches
        self.assertEqual(self.run_queries(5, 6), self.run_queries(5, 1))

    def test_submitting_does_not_grow_with_invoices_per_customer(self):
        self.submit_queries(2, 1)
        self.assertEqual(self.submit_queries(5, 6), self.submit_queries(5, 1))

    def test_auto_enrolment_does_not_grow_with_customers_or_invoices(self):
        self.enrol_queries(2, 1)
        one_each = self.enrol_queries(5, 1)
        self.assertEqual(self.enrol_queries(5, 6), one_each)
        self.assertEqual(self.enrol_queries(20, 1), one_each)

    def test_queries_per_customer_are_bounded(self):
        self.run_queries(2, 1)  # warm the caches
        five = self.run_queries(5, 2)
        twenty = self.run_queries(20, 2)
        per_customer = (twenty - five) / 15
        self.assertLess(per_customer, 5, f"{per_customer:.1f} queries per customer")
