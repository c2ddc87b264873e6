from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.mail.tests.common import MockEmail

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestWorkflow(DunningCase):
    """The NIKKI path: Day 0 notice, Day 7 reminder, Day 15 hand-over."""

    def test_day0_day7_day15_with_first_reminder(self):
        invoice = self.make_invoice(self.de_vries, 120.0)
        self.submit_on(DAY0, invoice)

        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_start_date, DAY0)
        mails = self.dunning_mails(self.de_vries)
        self.assertEqual(len(mails), 1, "Day 0 notice goes out at once")
        self.assertIn("payment reminder", mails.subject)
        self.assertIn(invoice.name, mails.body_html)
        self.assertIn(f"/my/invoices/{invoice.id}?access_token=", mails.body_html)
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=7))

        # nothing happens in between
        self.run_on(DAY0 + timedelta(days=3))
        self.assertEqual(len(self.dunning_mails(self.de_vries)), 1)

        self.run_on(DAY0 + timedelta(days=7))
        mails = self.dunning_mails(self.de_vries)
        self.assertEqual(len(mails), 2)
        self.assertIn("second payment reminder", mails[-1].subject)
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=15))

        self.run_on(DAY0 + timedelta(days=15))
        self.assertEqual(invoice.dunning_state, "handed_over")
        case = invoice.dunning_case_id
        self.assertEqual(case.agency_id, self.agency)
        self.assertEqual(case.partner_id, self.de_vries)
        self.assertEqual(case.move_ids, invoice)
        self.assertEqual(case.amount_handed_over, 120.0)
        agency_mail = self.agency_mails()
        self.assertEqual(agency_mail.recipient_ids, self.agency)
        self.assertEqual(len(agency_mail.attachment_ids), 1)
        csv = agency_mail.attachment_ids.raw.decode()
        self.assertIn(invoice.name, csv)
        self.assertIn("120.00", csv)
        # the customer is told, then the business's reminders stop
        self.assertIn("handed over", self.dunning_mails(self.de_vries)[-1].subject)
        self.run_on(DAY0 + timedelta(days=30))
        self.assertEqual(len(self.dunning_mails(self.de_vries)), 3)
        self.assertEqual(
            self.step_logs(invoice).mapped("action"),
            ["reminder", "reminder", "handover"],
        )


@tagged("post_install", "-at_install")
class TestEmailDelivery(DunningCase, MockEmail):
    """What actually leaves Odoo's mail queue."""

    def test_the_queued_email_reaches_the_invoice_address(self):
        first = self.make_invoice(self.jansen, 100.0)
        second = self.make_invoice(self.jansen, 25.0)
        self.submit_on(DAY0, first | second)
        with self.mock_mail_gateway():
            self.env["mail.mail"].sudo().process_email_queue()
        self.assertEqual(len(self._mails), 1)
        sent = self._mails[0]
        self.assertEqual(
            sent["email_to"], ['"Jansen Accounts" <accounts@jansen.example.com>']
        )
        self.assertIn("billing@company.example.com", sent["email_from"])
        self.assertIn("payment reminder", sent["subject"])
        self.assertIn(first.name, sent["body"])
        self.assertIn(second.name, sent["body"])
        self.assertIn("125.00", sent["body"])
        communication = self.step_logs(first).communication_id
        self.assertEqual(communication.state, "sent")


@tagged("post_install", "-at_install")
class TestScheduledAction(DunningCase):
    def test_one_call_of_the_scheduled_action_does_all_due_work(self):
        invoices = self.make_invoice(self.jansen) | self.make_invoice(self.de_vries)
        cron = self.env.ref("nikki_dunning.ir_cron_dunning_run")
        self.assertEqual(cron.interval_type, "days")
        with freeze_time(DAY0 + timedelta(days=1)):
            cron.method_direct_trigger()
        self.assertEqual(set(invoices.mapped("dunning_state")), {"active"})
        self.assertEqual(len(self.dunning_mails()), 2)
        progress = self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )
        self.assertEqual(progress.done, 2)
        self.assertEqual(progress.remaining, 0)
