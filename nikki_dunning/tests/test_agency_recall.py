from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .agency_common import HANDOVER_DAY, AgencyCase
from .common import DAY0


@tagged("post_install", "-at_install")
class TestPaidDirectlyAndRecall(AgencyCase):
    def recall(self, lines, reason, after="stop", on=None):
        with freeze_time(on or HANDOVER_DAY + timedelta(days=2)):
            action = lines.action_recall()
            wizard = (
                self.env[action["res_model"]]
                .with_context(**action["context"])
                .create({"reason": reason, "after_recall": after})
            )
            self.assertEqual(wizard.case_line_ids, lines)
            wizard.action_confirm()

    # ------------------------------------------------------------------
    # paid directly
    # ------------------------------------------------------------------

    def test_paid_directly_after_handover_tells_the_agency_in_the_next_file(self):
        paid = self.make_invoice(self.de_vries, 100.0)
        kept = self.make_invoice(self.jansen, 200.0)
        self.hand_over(paid | kept)
        case = paid.dunning_case_id
        paid_on = HANDOVER_DAY + timedelta(days=2)
        with freeze_time(paid_on):
            self.pay(paid, on=paid_on)
            self.env.cr.flush()
        line = case.line_ids
        self.assertEqual(paid.dunning_state, "done")
        self.assertEqual(line.state, "paid_directly")
        self.assertTrue(line.notice_required)
        self.assertFalse(line.notice_exchange_id)
        self.assertEqual(case.state, "paid_directly")
        self.assertEqual(case.amount_open, 0.0)
        self.assertEqual(case.to_send_count, 1)
        self.assertTrue(
            case.message_ids.filtered(
                lambda message: "told to stop in the next agency file" in message.body
            )
        )

        self.run_on(paid_on + timedelta(days=1))
        first, notice = self.files_out()
        self.assertEqual(notice.notice_count, 1)
        self.assertEqual(notice.new_count, 0)
        (row,) = self.csv_rows(notice.attachment_id)
        self.assertEqual(row["Case reference"], case.name)
        self.assertEqual(row["Invoice number"], paid.name)
        self.assertEqual(row["Status"], "paid_directly")
        self.assertEqual(row["Status date"], str(paid_on))
        self.assertEqual(row["Open amount"], "0.00")
        self.assertNotIn(kept.name, notice.attachment_id.raw.decode())
        self.assertEqual(line.notice_exchange_id, notice)
        self.assertEqual(case.to_send_count, 0)
        mail = self.agency_mails()[-1]
        self.assertIn("stop collecting", mail.body_html)
        self.assertIn("paid to us directly", mail.body_html)
        self.assertEqual(case.exchange_ids, first | notice)

        self.run_on(paid_on + timedelta(days=2))
        self.assertEqual(len(self.files_out()), 2, "told once")
        self.assertEqual(kept.dunning_case_id.state, "in_collection")

    def test_stop_notices_do_not_wait_for_approval(self):
        self.agency.collection_send_mode = "approval"
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        case.action_send_to_agency()
        with freeze_time(HANDOVER_DAY + timedelta(days=1)):
            self.pay(invoice, on=HANDOVER_DAY + timedelta(days=1))
            self.env.cr.flush()
        self.run_on(HANDOVER_DAY + timedelta(days=2))
        notice = self.files_out()[-1]
        self.assertEqual(notice.notice_count, 1)
        self.assertEqual(
            self.csv_rows(notice.attachment_id)[0]["Status"], "paid_directly"
        )

    def test_paid_before_the_case_went_out_needs_no_notice(self):
        self.agency.collection_send_mode = "approval"
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        self.assertEqual(case.state, "to_send")
        self.pay(invoice, on=HANDOVER_DAY + timedelta(days=1))
        self.env.cr.flush()
        self.assertEqual(case.line_ids.state, "paid_directly")
        self.assertFalse(case.line_ids.notice_required)
        self.assertEqual(case.state, "paid_directly")
        self.run_on(HANDOVER_DAY + timedelta(days=2))
        self.assertFalse(self.files_out())
        with self.assertRaisesRegex(UserError, "Nothing of these cases"):
            case.action_send_to_agency()

    def test_a_part_payment_keeps_the_invoice_with_the_agency(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        self.pay(invoice, amount=30.0, on=HANDOVER_DAY + timedelta(days=1))
        self.env.cr.flush()
        self.assertEqual(case.line_ids.state, "in_collection")
        self.assertEqual(case.amount_open, 70.0)
        self.assertEqual(invoice.dunning_state, "handed_over")

    def test_cancelled_invoice_is_recalled_from_the_agency(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        invoice.button_draft()
        self.env.cr.flush()
        self.assertEqual(case.line_ids.state, "recalled")
        self.assertEqual(case.line_ids.recall_reason, "The invoice was cancelled.")
        self.run_on(HANDOVER_DAY + timedelta(days=1))
        (row,) = self.csv_rows(self.files_out()[-1].attachment_id)
        self.assertEqual(row["Status"], "recalled")
        self.assertEqual(row["Note to agency"], "The invoice was cancelled.")

    # ------------------------------------------------------------------
    # recall
    # ------------------------------------------------------------------

    def test_recall_one_invoice_and_stop(self):
        recalled = self.make_invoice(self.jansen, 200.0)
        kept = self.make_invoice(self.jansen, 80.0)
        case = self.hand_over(recalled | kept)
        self.assertEqual(len(case), 1)
        line = case.line_ids.filtered(lambda line: line.move_id == recalled)
        self.recall(line, "Payment plan agreed with the customer")
        self.assertEqual(line.state, "recalled")
        self.assertEqual(line.recall_reason, "Payment plan agreed with the customer")
        self.assertEqual(recalled.dunning_state, "done")
        self.assertEqual(recalled.dunning_end_reason, "recalled")
        self.assertEqual(case.state, "in_collection", "the other invoice stays")
        self.assertEqual(case.amount_open, 80.0)
        self.assertIn("Payment plan agreed", "".join(case.message_ids.mapped("body")))

        self.run_on(HANDOVER_DAY + timedelta(days=3))
        notice = self.files_out()[-1]
        (row,) = self.csv_rows(notice.attachment_id)
        self.assertEqual(row["Invoice number"], recalled.name)
        self.assertEqual(row["Status"], "recalled")
        self.assertEqual(row["Status date"], str(HANDOVER_DAY + timedelta(days=2)))
        self.assertEqual(row["Note to agency"], "Payment plan agreed with the customer")
        self.assertIn("Payment plan agreed", self.agency_mails()[-1].body_html)
        # the recalled invoice stays stopped: no reminder ever again
        mails = len(self.dunning_mails(self.jansen))
        self.run_on(HANDOVER_DAY + timedelta(days=30))
        self.assertEqual(len(self.dunning_mails(self.jansen)), mails)

    def test_recall_a_case_and_restart_our_own_reminders(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        before = len(self.dunning_mails(self.de_vries))
        restart_day = HANDOVER_DAY + timedelta(days=2)
        with freeze_time(restart_day):
            action = case.action_recall()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create(
                {"reason": "Customer disputes the service", "after_recall": "restart"}
            )
        )
        with freeze_time(restart_day):
            wizard.action_confirm()
        self.assertEqual(case.state, "recalled")
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_start_date, restart_day)
        self.assertFalse(invoice.dunning_case_id)
        mails = self.dunning_mails(self.de_vries)
        self.assertEqual(len(mails), before + 1, "the Day 0 notice goes out again")
        self.assertIn(invoice.name, mails[-1].body_html)

        # the agency hears of it once; then the invoice may go to it again
        self.run_on(restart_day + timedelta(days=1))
        self.assertEqual(self.files_out()[-1].notice_count, 1)
        self.run_on(restart_day + timedelta(days=7))
        self.run_on(restart_day + timedelta(days=15))
        new_case = invoice.dunning_case_id
        self.assertTrue(new_case)
        self.assertNotEqual(new_case, case)
        self.assertEqual(new_case.state, "in_collection")
        self.assertEqual(case.line_ids.state, "recalled")

    def test_recall_refuses_what_is_not_with_the_agency(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        with self.assertRaisesRegex(UserError, "Give the reason"):
            case.line_ids._recall("  ")
        self.pay(invoice, on=HANDOVER_DAY + timedelta(days=1))
        self.env.cr.flush()
        with self.assertRaisesRegex(UserError, "Only invoices still with the agency"):
            case.line_ids._recall("Too late")
        with self.assertRaisesRegex(UserError, "No invoice of these cases"):
            case.action_recall()

    def test_restart_refused_for_an_excluded_customer_changes_nothing(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        self.de_vries.dunning_excluded = True
        wizard = self.env["nikki.collection.recall.wizard"].create(
            {
                "case_line_ids": [Command.set(case.line_ids.ids)],
                "reason": "Settled",
                "after_recall": "restart",
            }
        )
        with self.assertRaisesRegex(UserError, "excluded from dunning"):
            wizard.action_confirm()
        # the error undoes the whole recall
        self.assertEqual(case.line_ids.state, "in_collection")
        self.assertEqual(invoice.dunning_state, "handed_over")

    def test_recall_before_sending_needs_no_notice(self):
        self.agency.collection_send_mode = "approval"
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice, day0=DAY0)
        self.recall(case.line_ids, "Sent by mistake")
        self.assertEqual(case.state, "recalled")
        self.assertFalse(case.line_ids.notice_required)
        self.run_on(HANDOVER_DAY + timedelta(days=3))
        self.assertFalse(self.files_out())

    def test_recall_from_the_invoice(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        case = self.hand_over(invoice)
        action = invoice.action_dunning_recall()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"reason": "Customer went bankrupt"})
        )
        self.assertEqual(wizard.case_line_ids, case.line_ids)
        self.assertEqual(wizard.after_recall, "stop")
        wizard.action_confirm()
        self.assertEqual(invoice.dunning_end_reason, "recalled")
        with self.assertRaisesRegex(UserError, "not with a collection agency"):
            invoice.action_dunning_recall()
