from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestSubmission(DunningCase):
    """How invoices enter the workflow, and what cannot enter."""

    def test_one_email_per_customer_listing_all_invoices(self):
        first = self.make_invoice(self.jansen, 100.0)
        second = self.make_invoice(self.jansen, 50.0)
        other = self.make_invoice(self.de_vries, 75.0)
        self.submit_on(DAY0, first | second | other)

        jansen_mails = self.dunning_mails(self.jansen_billing)
        self.assertEqual(len(jansen_mails), 1, "one email for both invoices")
        self.assertIn(first.name, jansen_mails.body_html)
        self.assertIn(second.name, jansen_mails.body_html)
        self.assertNotIn(other.name, jansen_mails.body_html)
        self.assertIn("150.00", jansen_mails.body_html, "the total due")
        self.assertEqual(len(self.dunning_mails(self.de_vries)), 1)
        # the customer's 'Invoice' contact gets it, not the company address
        self.assertFalse(self.dunning_mails(self.jansen))
        communication = self.env["nikki.dunning.communication"].browse(
            jansen_mails.res_id
        )
        self.assertEqual(communication.contact_id, self.jansen_billing)
        self.assertEqual(communication.log_ids.move_id, first | second)
        # every invoice got a history line and a chatter note
        for invoice in first | second | other:
            log = self.step_logs(invoice)
            self.assertEqual(len(log), 1)
            self.assertEqual(log.step_id.day_offset, 0)
            self.assertEqual(log.amount_residual, invoice.amount_residual)
            self.assertIn(
                "First reminder (day 0) emailed",
                invoice.message_ids[0].body,
            )

    def test_stored_invoice_pdf_is_attached(self):
        invoice = self.make_invoice(self.de_vries)
        pdf = self.env["ir.attachment"].create(
            {
                "name": "invoice.pdf",
                "raw": b"%PDF-1.4 stored",
                "res_model": "account.move",
                "res_id": invoice.id,
                "res_field": "invoice_pdf_report_file",
            }
        )
        self.submit_on(DAY0, invoice)
        self.assertEqual(self.dunning_mails(self.de_vries).attachment_ids, pdf)

    def test_auto_enrol_a_day_after_the_due_date(self):
        invoice = self.make_invoice(self.de_vries, due=DAY0)
        self.run_on(DAY0)
        self.assertEqual(invoice.dunning_state, "none", "not overdue yet")
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_source, "auto")
        self.assertEqual(invoice.dunning_start_date, DAY0 + timedelta(days=1))
        self.assertEqual(
            len(self.dunning_mails(self.de_vries)), 1, "Day 0 ran in the same run"
        )

    def test_auto_enrol_follows_the_policy_delay_and_switch(self):
        self.policy.auto_enrol_days = 5
        invoice = self.make_invoice(self.de_vries, due=DAY0)
        self.run_on(DAY0 + timedelta(days=4))
        self.assertEqual(invoice.dunning_state, "none")
        self.run_on(DAY0 + timedelta(days=5))
        self.assertEqual(invoice.dunning_state, "active")

        self.policy.auto_enrol = False
        later = self.make_invoice(self.jansen, due=DAY0)
        self.run_on(DAY0 + timedelta(days=30))
        self.assertEqual(later.dunning_state, "none")

    def test_auto_enrol_skips_excluded_customers_and_small_amounts(self):
        self.de_vries.dunning_excluded = True
        self.policy.minimum_amount = 10.0
        excluded = self.make_invoice(self.de_vries, 100.0)
        small = self.make_invoice(self.jansen, 5.0)
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(excluded.dunning_state, "none")
        self.assertEqual(small.dunning_state, "none")
        self.assertFalse(self.dunning_mails())

    def assertRefused(self, moves, *fragments):
        before = [(move.dunning_state, move.dunning_start_date) for move in moves]
        with self.assertRaises(UserError) as caught:
            self.submit_on(DAY0, moves)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        self.assertEqual(
            [(move.dunning_state, move.dunning_start_date) for move in moves], before
        )
        self.assertFalse(self.dunning_mails())

    def test_draft_paid_vendor_and_running_invoices_are_refused(self):
        draft = self.make_invoice(self.de_vries, post=False)
        self.assertRefused(draft, "it is not posted")

        paid = self.make_invoice(self.de_vries)
        self.pay(paid)
        self.assertRefused(paid, paid.name, "it is already paid")

        bill = self.init_invoice(
            "in_invoice", partner=self.de_vries, amounts=[100.0], post=True
        )
        self.assertRefused(bill, "it is not a customer invoice")

        credit_note = self.init_invoice(
            "out_refund", partner=self.de_vries, amounts=[100.0], post=True
        )
        self.assertRefused(credit_note, "it is not a customer invoice")

    def test_running_invoice_cannot_be_submitted_again(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        with self.assertRaises(UserError) as caught:
            self.submit_on(DAY0 + timedelta(days=1), invoice)
        self.assertIn("it is already in dunning", str(caught.exception))
        self.assertEqual(invoice.dunning_start_date, DAY0)
        self.assertEqual(len(self.dunning_mails()), 1)

    def test_excluded_customer_and_small_amount_are_refused(self):
        self.de_vries.dunning_excluded = True
        self.assertRefused(
            self.make_invoice(self.de_vries), "the customer is excluded from dunning"
        )
        self.policy.minimum_amount = 10.0
        self.assertRefused(
            self.make_invoice(self.jansen, 5.0), "below the policy's minimum"
        )

    def test_one_bad_invoice_refuses_the_whole_submission(self):
        good = self.make_invoice(self.de_vries)
        draft = self.make_invoice(self.jansen, post=False)
        self.assertRefused(good | draft, draft.display_name, "it is not posted")
        self.assertEqual(good.dunning_state, "none")

    def test_empty_submission(self):
        with self.assertRaises(UserError):
            self.env["account.move"].action_dunning_submit()

    def test_resubmit_after_stop_starts_a_new_cycle(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        invoice.action_dunning_stop()
        self.submit_on(DAY0 + timedelta(days=3), invoice)
        self.assertEqual(invoice.dunning_start_date, DAY0 + timedelta(days=3))
        self.assertEqual(len(self.dunning_mails()), 2)
