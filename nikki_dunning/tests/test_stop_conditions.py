from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestStopConditions(DunningCase):
    """Checked right before anything is sent: nobody gets a reminder for
    an invoice that is paid, cancelled, on hold or excluded."""

    def setUp(self):
        super().setUp()
        self.invoice = self.make_invoice(self.de_vries, 100.0)
        self.submit_on(DAY0, self.invoice)
        self.assertEqual(len(self.dunning_mails()), 1)

    def assertEnded(self, reason):
        self.assertEqual(self.invoice.dunning_state, "done")
        self.assertEqual(self.invoice.dunning_end_reason, reason)
        self.assertFalse(self.invoice.dunning_next_date)
        self.env.cr.flush()  # the history line is written before commit
        end = self.invoice.dunning_log_ids.filtered(lambda log: log.action == "end")
        self.assertEqual(len(end), 1)
        self.run_on(DAY0 + timedelta(days=30))
        self.assertEqual(len(self.dunning_mails()), 1, "nothing more was sent")

    def test_payment_between_steps_ends_the_workflow(self):
        self.pay(self.invoice, on=DAY0 + timedelta(days=3))
        self.assertEnded("paid")
        end = self.invoice.dunning_log_ids.filtered(lambda log: log.action == "end")
        self.assertIn("Paid", end.note)

    def test_credit_note_ends_the_workflow(self):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=self.invoice.ids)
            .create({"journal_id": self.invoice.journal_id.id, "date": DAY0})
        )
        reversal.refund_moves()
        credit_note = self.env["account.move"].search(
            [("reversed_entry_id", "=", self.invoice.id)]
        )
        credit_note.action_post()  # reconciles it with the invoice
        self.assertEqual(self.invoice.payment_state, "reversed")
        self.assertEnded("paid")

    def test_reset_to_draft_ends_the_workflow(self):
        self.invoice.button_draft()
        self.assertEnded("cancelled")

    def test_part_payment_keeps_dunning_on_the_open_amount(self):
        self.pay(self.invoice, amount=40.0, on=DAY0 + timedelta(days=2))
        self.assertEqual(self.invoice.dunning_state, "active")
        self.run_on(DAY0 + timedelta(days=7))
        mail = self.dunning_mails()[-1]
        self.assertIn("60.00", mail.body_html)
        self.assertEqual(self.step_logs(self.invoice)[-1].amount_residual, 60.0)

    def test_part_payment_below_the_minimum_ends_it(self):
        self.policy.minimum_amount = 50.0
        self.pay(self.invoice, amount=60.0, on=DAY0 + timedelta(days=2))
        self.run_on(DAY0 + timedelta(days=7))
        self.assertEnded("below_minimum")

    def test_customer_excluded_mid_workflow(self):
        self.de_vries.dunning_excluded = True
        self.run_on(DAY0 + timedelta(days=7))
        self.assertEnded("excluded")

    def test_stop_button(self):
        self.invoice.action_dunning_stop()
        self.assertEnded("stopped")
        with self.assertRaises(UserError):
            self.invoice.action_dunning_stop()

    def test_hold_with_end_date_then_the_workflow_resumes(self):
        action = self.invoice.action_dunning_hold()
        with freeze_time(DAY0 + timedelta(days=1)):
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            wizard.reason = "Customer disputes the amount"
            wizard.until = DAY0 + timedelta(days=10)
            wizard.save().action_confirm()
        self.assertEqual(self.invoice.dunning_state, "on_hold")
        self.assertEqual(
            self.invoice.dunning_hold_reason, "Customer disputes the amount"
        )

        self.run_on(DAY0 + timedelta(days=7))
        self.assertEqual(len(self.dunning_mails()), 1, "held: no Day 7 reminder")
        self.run_on(DAY0 + timedelta(days=10))
        self.assertEqual(len(self.dunning_mails()), 1, "hold lasts until its date")

        self.run_on(DAY0 + timedelta(days=11))
        self.assertEqual(self.invoice.dunning_state, "active")
        self.assertEqual(len(self.dunning_mails()), 2, "the overdue Day 7 step ran")
        actions = self.invoice.dunning_log_ids.sorted("id").mapped("action")
        self.assertEqual(actions, ["reminder", "hold", "resume", "reminder"])

    def test_hold_and_resume_by_hand(self):
        self.invoice._dunning_hold("Payment plan agreed")
        with self.assertRaises(UserError):
            self.invoice._dunning_hold("twice")
        self.run_on(DAY0 + timedelta(days=7))
        self.assertEqual(len(self.dunning_mails()), 1)
        self.invoice.action_dunning_resume()
        with self.assertRaises(UserError):
            self.invoice.action_dunning_resume()
        self.run_on(DAY0 + timedelta(days=8))
        self.assertEqual(len(self.dunning_mails()), 2)

    def test_customer_hold_pauses_every_invoice(self):
        other = self.make_invoice(self.de_vries, 30.0)
        self.submit_on(DAY0 + timedelta(days=1), other)
        self.de_vries._dunning_set_hold(True, "Bankruptcy check")
        self.run_on(DAY0 + timedelta(days=8))
        self.assertEqual(len(self.dunning_mails()), 2, "only the two Day 0 emails")
        self.de_vries.action_dunning_resume()
        self.run_on(DAY0 + timedelta(days=9))
        mails = self.dunning_mails()
        self.assertEqual(len(mails), 3, "one email for both invoices")
        self.assertIn(self.invoice.name, mails[-1].body_html)
        self.assertIn(other.name, mails[-1].body_html)

    def test_customer_hold_until_a_date(self):
        self.de_vries._dunning_set_hold(True, "Holiday", DAY0 + timedelta(days=8))
        self.run_on(DAY0 + timedelta(days=8))
        self.assertEqual(len(self.dunning_mails()), 1)
        self.run_on(DAY0 + timedelta(days=9))
        self.assertEqual(len(self.dunning_mails()), 2)

    def test_hold_cannot_end_in_the_past(self):
        action = self.invoice.action_dunning_hold()
        with freeze_time(DAY0 + timedelta(days=1)):
            wizard = Form(
                self.env[action["res_model"]].with_context(**action["context"])
            )
            wizard.reason = "Dispute"
            wizard.until = DAY0
            with self.assertRaises(ValidationError):
                wizard.save()
        self.assertEqual(self.invoice.dunning_state, "active")
