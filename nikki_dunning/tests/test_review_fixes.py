"""Safety rules found in review: who may change dunning, what an email
retry, a shared policy, a posted letter and a restart may and may not do."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import BaseCase, new_test_user, tagged

from ..services import delivery, status_file
from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestWhoMayChangeDunning(DunningCase):
    def test_a_portal_customer_cannot_stop_or_submit_its_own_invoice(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        portal = new_test_user(
            self.env,
            login="nikki_portal",
            groups="base.group_portal",
            partner_id=self.de_vries.id,
        )
        mine = invoice.with_user(portal)
        mine.check_access("read")  # the portal shows customers their invoices
        for action in ("action_dunning_stop", "action_dunning_hold"):
            with self.assertRaises(AccessError):
                getattr(mine, action)()
        other = self.make_invoice(self.de_vries).with_user(portal)
        with self.assertRaises(AccessError):
            other.action_dunning_submit()
        self.assertEqual(invoice.dunning_state, "active")

    def test_a_salesperson_cannot_exclude_or_release_a_customer(self):
        salesperson = new_test_user(
            self.env,
            login="nikki_seller",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        customer = self.de_vries.with_user(salesperson)
        with self.assertRaises(AccessError):
            customer.write({"dunning_excluded": True})
        self.de_vries._dunning_set_hold(True, "Dispute")
        with self.assertRaises(AccessError):
            customer.action_dunning_resume()
        self.assertTrue(self.de_vries.dunning_hold)
        # editing the contact itself still works
        customer.write({"phone": "+31 6 0000 0000"})


@tagged("post_install", "-at_install")
class TestEmailRetries(DunningCase):
    def failed_reminder(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        mail = self.dunning_mails()
        mail.write({"state": "exception", "failure_reason": "SMTP down"})
        return invoice, mail

    def test_a_failed_reminder_is_not_sent_again_once_paid(self):
        invoice, mail = self.failed_reminder()
        self.pay(invoice, on=DAY0)
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(mail.state, "exception", "not queued again")
        failure = invoice.dunning_log_ids.filtered(
            lambda log: log.action == "mail_failed"
        )
        self.assertIn("Not sent again", failure.note)
        self.run_on(DAY0 + timedelta(days=2))
        self.assertEqual(
            len(
                invoice.dunning_log_ids.filtered(
                    lambda log: log.action == "mail_failed"
                )
            ),
            1,
            "and not looked at again",
        )

    def test_a_cancelled_email_stays_cancelled(self):
        _invoice, mail = self.failed_reminder()
        mail.write({"state": "cancel"})
        communication = self.env["nikki.dunning.communication"].browse(mail.res_id)
        self.assertEqual(communication.state, "cancelled")
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(mail.state, "cancel")


@tagged("post_install", "-at_install")
class TestSharedPolicy(DunningCase):
    def test_settings_of_one_company_leave_the_others_alone(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        company_b.dunning_policy_id = self.policy
        settings = self.env["res.config.settings"].create({})
        settings.dunning_auto_enrol = False
        settings.execute()
        self.assertFalse(self.company.dunning_policy_id.auto_enrol)
        self.assertTrue(self.policy.auto_enrol)
        self.assertEqual(company_b.dunning_policy_id, self.policy)


@tagged("post_install", "-at_install")
class TestRestarts(DunningCase):
    def test_an_invoice_cannot_go_through_day0_twice_in_one_day(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        with freeze_time(DAY0):
            invoice.action_dunning_stop()
        with self.assertRaises(UserError) as caught:
            self.submit_on(DAY0, invoice)
        self.assertIn("submit it again tomorrow", str(caught.exception))
        self.submit_on(DAY0 + timedelta(days=1), invoice)
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(len(self.dunning_mails()), 2)

    def test_an_invoice_posted_again_is_enrolled_again(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        invoice.button_draft()
        self.assertEqual(invoice.dunning_end_reason, "cancelled")
        invoice.action_post()
        self.run_on(DAY0 + timedelta(days=3))
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_start_date, DAY0 + timedelta(days=3))

    def test_a_stopped_invoice_is_not_enrolled_again(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        invoice.action_dunning_stop()
        self.run_on(DAY0 + timedelta(days=3))
        self.assertEqual(invoice.dunning_state, "done")


@tagged("post_install", "-at_install")
class TestPostedNotice(DunningCase):
    def test_a_notice_by_post_starts_its_term_when_posted(self):
        policy = self.policy.copy({"company_id": self.company.id})
        policy._first_step()._set_notice_action("pre_collection")
        self.no_email.dunning_policy_id = policy
        invoice = self.make_invoice(self.no_email, 500.0, due=DAY0 - timedelta(days=10))
        self.submit_on(DAY0, invoice)
        notice = self.step_logs(invoice).communication_id
        self.assertEqual(notice.letter_channel, "post")
        self.assertTrue(notice.is_costs_notice)
        self.assertFalse(notice.letter_posted_on)

        self.run_on(DAY0 + timedelta(days=7))
        second = self.step_logs(invoice)[-1]
        self.assertFalse(second.costs_deadline, "an unposted notice sets no term")

        posted = DAY0 + timedelta(days=8)
        with freeze_time(posted):
            notice.action_mark_posted()
        delivered, deadline = delivery.costs_deadline(posted, "post")
        self.assertEqual(notice.letter_posted_on, posted)
        self.assertEqual(notice.letter_delivery_date, delivered)
        self.assertEqual(notice.costs_deadline, deadline)
        with self.assertRaises(UserError):
            notice.action_mark_posted()

        self.run_on(DAY0 + timedelta(days=15))
        handover = self.step_logs(invoice)[-1]
        self.assertEqual(handover.action, "handover")
        self.assertEqual(handover.costs_deadline, deadline, "the term is repeated")


@tagged("post_install", "-at_install")
class TestStatusFileInput(BaseCase):
    def test_an_unreadable_file_is_refused_clearly(self):
        with self.assertRaises(status_file.FileProblem):
            status_file.read_table(b"\x81\x8d\x90\x9d" * 10, "status.csv")

    def test_an_ambiguous_amount_is_refused(self):
        for text in ("1.234", "12,500"):
            with self.assertRaises(ValueError):
                status_file.parse_amount(text)
        self.assertEqual(status_file.parse_amount("1.234,50"), 1234.5)
        self.assertEqual(status_file.parse_amount("12,50"), 12.5)
        self.assertEqual(status_file.parse_amount("1234"), 1234.0)
