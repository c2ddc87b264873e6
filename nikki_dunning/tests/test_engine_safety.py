from datetime import timedelta
from unittest.mock import patch

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestEngineSafety(DunningCase):
    """Never twice, never skipped."""

    def test_running_twice_the_same_day_sends_once(self):
        invoices = self.make_invoice(self.jansen) | self.make_invoice(self.de_vries)
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(len(self.dunning_mails()), 2)
        self.run_on(DAY0 + timedelta(days=1))
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(len(self.dunning_mails()), 2)
        self.assertEqual(len(self.step_logs(invoices)), 2)

    def test_the_database_refuses_a_second_step_line(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        log = self.step_logs(invoice)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.env.cr.savepoint(),
        ):
            log.sudo().copy()

    def test_one_failing_customer_does_not_stop_the_others(self):
        good = self.make_invoice(self.jansen)
        bad = self.make_invoice(self.de_vries)
        Email = type(self.env["nikki.dunning.channel.email"])
        original = Email._send

        def failing_send(channel, communications):
            if self.de_vries in communications.partner_id:
                raise ValueError("template broken for this customer")
            return original(channel, communications)

        with (
            patch.object(Email, "_send", failing_send),
            mute_logger("odoo.addons.nikki_dunning.models.dunning_engine"),
        ):
            stats = self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(stats["failed"], 1)
        self.assertEqual(len(self.dunning_mails(self.jansen_billing)), 1)
        self.assertFalse(self.dunning_mails(self.de_vries))
        self.assertEqual(good.dunning_step_offset, 0)
        self.assertTrue(good.dunning_step_date)
        # nothing half-done for the failing customer: no step, no message
        self.assertFalse(bad.dunning_step_date)
        self.assertFalse(self.step_logs(bad))
        failure = bad.dunning_log_ids.filtered(lambda log: log.action == "mail_failed")
        self.assertIn("template broken", failure.note)

        # the next run does it, and only it
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(len(self.dunning_mails(self.de_vries)), 1)
        self.assertEqual(len(self.dunning_mails(self.jansen_billing)), 1)
        self.assertEqual(len(self.step_logs(bad)), 1)

    def test_a_run_cut_short_is_finished_by_the_next(self):
        invoices = self.env["account.move"]
        customers = self.env["res.partner"].create(
            [{"name": f"Member {n}", "email": f"m{n}@example.com"} for n in range(5)]
        )
        for customer in customers:
            invoices |= self.make_invoice(customer)
        self.engine._auto_enrol(DAY0, self.company.ids)
        # batches of two customers, stopped after the first batch
        stats = self.engine._run_due(
            DAY0, company_ids=self.company.ids, batch_size=2, deadline=-1
        )
        self.assertEqual(stats["customers"], 2)
        self.assertEqual(stats["remaining"], 3)
        stats = self.engine._run_due(DAY0, company_ids=self.company.ids, batch_size=2)
        self.assertEqual(stats["customers"], 3)
        self.assertEqual(stats["remaining"], 0)
        self.assertEqual(len(self.dunning_mails()), 5)
        self.assertEqual(len(self.step_logs(invoices)), 5)

    def test_missed_runs_keep_the_time_between_steps(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        # the server was down from day 3 to day 20
        self.run_on(DAY0 + timedelta(days=20))
        self.assertEqual(
            invoice.dunning_state, "active", "second reminder, not hand-over"
        )
        self.assertEqual(len(self.dunning_mails()), 2)
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=28))
        self.run_on(DAY0 + timedelta(days=27))
        self.assertEqual(invoice.dunning_state, "active")
        self.run_on(DAY0 + timedelta(days=28))
        self.assertEqual(invoice.dunning_state, "handed_over")

    def test_failed_email_is_logged_and_sent_again(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        mail = self.dunning_mails()
        mail.write({"state": "exception", "failure_reason": "SMTP server down"})
        communication = self.env["nikki.dunning.communication"].browse(mail.res_id)
        self.assertEqual(communication.state, "failed")

        self.run_on(DAY0 + timedelta(days=1))
        failure = invoice.dunning_log_ids.filtered(
            lambda log: log.action == "mail_failed"
        )
        self.assertIn("SMTP server down", failure.note)
        self.assertIn("sent again", failure.note)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(communication.state, "queued")
        self.assertEqual(len(self.dunning_mails()), 1, "the same email, not a copy")

        # it keeps failing: after the last retry it is given up, and said so
        for day in range(2, 6):
            mail.write({"state": "exception", "failure_reason": "SMTP server down"})
            self.run_on(DAY0 + timedelta(days=day))
        failures = invoice.dunning_log_ids.filtered(
            lambda log: log.action == "mail_failed"
        )
        self.assertEqual(len(failures), 4)
        self.assertIn("Given up", failures.sorted("id")[-1].note)
        self.assertEqual(mail.state, "exception")

    def test_customer_without_email_is_recorded_not_skipped(self):
        invoice = self.make_invoice(self.no_email)
        self.submit_on(DAY0, invoice)
        self.assertFalse(self.dunning_mails())
        log = self.step_logs(invoice)
        self.assertEqual(log.communication_id.state, "no_email")
        self.assertIn("no email address", invoice.message_ids[0].body)
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=7))
