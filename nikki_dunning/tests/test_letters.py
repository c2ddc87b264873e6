"""The fourteen-day notice, collection costs and interest through the
engine: what is recorded per letter and what the agency gets."""

from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import DAY0
from .letter_common import LetterCase

# DAY0 is Monday 2 March 2026; invoices are due the day before.
EMAIL_DEADLINE = date(2026, 3, 17)  # email: delivered on Day 0
POST_DELIVERY = date(2026, 3, 4)  # post on Monday: delivered Wednesday
POST_DEADLINE = date(2026, 3, 19)


@tagged("post_install", "-at_install")
class TestNotice(LetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy._first_step()._set_notice_action("pre_collection")

    def test_consumer_notice_by_email_and_the_same_deadline_after(self):
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)

        notice = self.communication(invoice, DAY0)
        self.assertRecordValues(
            notice,
            [
                {
                    "action": "pre_collection",
                    "is_costs_notice": True,
                    "letter_channel": "email",
                    "letter_delivery_date": DAY0,
                    "costs_deadline": EMAIL_DEADLINE,
                    "costs_amount": 150.0,
                    "debtor_type": "consumer",
                    "partner_bank_id": self.bank_account.id,
                }
            ],
        )
        self.assertRecordValues(
            self.log_on(invoice, DAY0),
            [
                {
                    "action": "pre_collection",
                    "principal_amount": 1000.0,
                    "costs_amount": 150.0,
                    "costs_deadline": EMAIL_DEADLINE,
                    "costs_notice_id": notice.id,
                }
            ],
        )
        mail = self.dunning_mails(self.de_vries)
        self.assertIn("formal notice", mail.subject)
        self.assertIn("collection costs of", mail.body_html)
        self.assertIn("150.00", mail.body_html)

        self.run_on(self.day(7))
        reminder = self.communication(invoice, self.day(7))
        self.assertFalse(reminder.is_costs_notice)
        self.assertEqual(reminder.costs_deadline, EMAIL_DEADLINE, "same deadline")
        self.assertRecordValues(
            self.log_on(invoice, self.day(7)),
            [
                {
                    "action": "reminder",
                    "costs_amount": 150.0,
                    "costs_deadline": EMAIL_DEADLINE,
                    "costs_notice_id": notice.id,
                }
            ],
        )

    def test_post_notice_and_handover_before_the_deadline(self):
        invoice = self.make_invoice(self.no_email, 1000.0)
        self.submit_on(DAY0, invoice)
        notice = self.communication(invoice, DAY0)
        with freeze_time(DAY0):
            notice.action_mark_posted()  # printed and posted the same day
        self.assertRecordValues(
            notice,
            [
                {
                    "letter_channel": "post",
                    "letter_delivery_date": POST_DELIVERY,
                    "costs_deadline": POST_DEADLINE,
                }
            ],
        )
        self.run_on(self.day(7))
        self.run_on(self.day(15))  # 17 March: before the 19th
        self.assertEqual(invoice.dunning_state, "handed_over")
        handover = self.log_on(invoice, self.day(15))
        self.assertRecordValues(
            handover,
            [{"costs_amount": 150.0, "costs_deadline": POST_DEADLINE}],
        )
        self.assertEqual(
            self.env["nikki.dunning.communication"]._letter_totals(handover)[0][
                "costs"
            ],
            0.0,
            "costs are not claimed as owed before the deadline",
        )
        (row,) = self.case_rows()
        self.assertEqual(row["Collection costs"], "150.00")
        self.assertEqual(row["Costs claimable from"], str(POST_DEADLINE))
        self.assertEqual(row["Company or consumer"], "consumer")

    def test_not_yet_overdue_consumer_invoice_gets_a_plain_reminder(self):
        invoice = self.make_invoice(self.de_vries, 500.0, due=self.day(10))
        self.submit_on(DAY0, invoice)
        log = self.log_on(invoice, DAY0)
        self.assertEqual(log.action, "reminder")
        self.assertIn("Not yet overdue", log.note)
        self.assertFalse(log.costs_deadline)
        self.assertFalse(log.costs_amount)
        communication = log.communication_id
        self.assertEqual(communication.action, "reminder")
        self.assertFalse(communication.is_costs_notice)
        mail = self.dunning_mails(self.de_vries)
        self.assertIn("payment reminder", mail.subject)
        self.assertNotIn("fourteen days", mail.body_html)
        # no notice was ever valid: nothing claimable at the hand-over
        self.run_on(self.day(7))
        self.run_on(self.day(15))
        (row,) = self.case_rows()
        self.assertEqual(row["Collection costs"], "0.00")
        self.assertEqual(row["Costs claimable from"], "")

    def test_mixed_letter_keeps_the_not_yet_due_invoice_apart(self):
        overdue = self.make_invoice(self.de_vries, 300.0)
        later = self.make_invoice(self.de_vries, 200.0, due=self.day(10))
        self.submit_on(DAY0, overdue | later)
        communication = self.communication(overdue, DAY0)
        self.assertEqual(communication.action, "pre_collection")
        self.assertEqual(self.log_on(later, DAY0).action, "reminder")
        self.assertEqual(communication.costs_amount, 45.0, "costs on 300 only")
        letter = communication._letter_values()
        self.assertEqual([row["number"] for row in letter["rows"]], [overdue.name])
        self.assertEqual([row["number"] for row in letter["others"]], [later.name])

    def test_business_gets_the_notice_even_before_the_due_date(self):
        invoice = self.make_invoice(self.jansen, 500.0, due=self.day(3))
        self.submit_on(DAY0, invoice)
        self.assertRecordValues(
            self.log_on(invoice, DAY0),
            [{"action": "pre_collection", "costs_amount": 75.0}],
        )

    def test_part_payment_in_the_term_recomputes_the_costs(self):
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        self.pay(invoice, amount=600.0, on=self.day(3))
        self.run_on(self.day(7))
        self.assertRecordValues(
            self.log_on(invoice, self.day(7)),
            [
                {
                    "principal_amount": 400.0,
                    "costs_amount": 60.0,
                    "costs_deadline": EMAIL_DEADLINE,
                }
            ],
        )

    def test_payment_after_the_deadline_goes_to_the_costs_first(self):
        policy = self.policy.copy({"name": "Long term"})
        policy.step_ids.filtered(lambda step: step.day_offset == 15).day_offset = 30
        policy.step_ids.filtered(lambda step: step.day_offset == 7).day_offset = 20
        self.de_vries.dunning_policy_id = policy
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        self.pay(invoice, amount=500.0, on=date(2026, 3, 18))
        self.run_on(self.day(20))
        self.assertEqual(invoice.amount_residual, 500.0)
        self.assertRecordValues(
            self.log_on(invoice, self.day(20)),
            [
                {
                    "amount_residual": 500.0,
                    "costs_amount": 0.0,
                    "principal_amount": 650.0,
                    "costs_deadline": EMAIL_DEADLINE,
                }
            ],
        )

    def test_several_invoices_take_the_scale_once(self):
        first = self.make_invoice(self.de_vries, 1500.0)
        second = self.make_invoice(self.de_vries, 1500.0)
        self.submit_on(DAY0, first | second)
        communication = self.communication(first, DAY0)
        self.assertEqual(communication.costs_amount, 425.0)
        self.assertEqual(
            self.step_logs(first | second).mapped("costs_amount"), [212.5, 212.5]
        )

    def test_vat_uplift_for_a_company_that_cannot_reclaim_it(self):
        self.company.dunning_costs_include_vat = True
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        communication = self.communication(invoice, DAY0)
        self.assertEqual(communication.costs_amount, 181.5)
        self.assertEqual(communication.costs_vat_rate, 21.0)
        statements = " ".join(communication._letter_values()["statements"])
        self.assertIn("include 21% VAT, because we cannot reclaim VAT", statements)

    def test_no_vat_without_an_external_agency(self):
        self.company.dunning_costs_include_vat = True
        policy = self.env["nikki.dunning.policy"].create(
            {
                "name": "No agency",
                "step_ids": [
                    (
                        0,
                        0,
                        {"name": "Notice", "day_offset": 0, "action": "pre_collection"},
                    )
                ],
            }
        )
        self.de_vries.dunning_policy_id = policy
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        communication = self.communication(invoice, DAY0)
        self.assertEqual(communication.costs_amount, 150.0)
        self.assertEqual(communication.letter_channel, "post", "no email template")

    def test_foreign_currency_costs_only_when_the_policy_allows(self):
        dollar = self.setup_other_currency("USD", rates=[("2026-01-01", 2.0)])
        invoice = self.make_invoice(self.de_vries, 2000.0, post=False)
        invoice.currency_id = dollar
        invoice.action_post()
        self.submit_on(DAY0, invoice)
        self.assertEqual(self.log_on(invoice, DAY0).costs_amount, 0.0)

        other = self.make_invoice(self.jansen, 2000.0, post=False)
        other.currency_id = dollar
        other.action_post()
        self.policy.costs_foreign_currency = True
        self.submit_on(DAY0, other)
        log = self.log_on(other, DAY0)
        # 2,000 USD is 1,000 EUR: 150 EUR of costs, 300 USD on the invoice
        self.assertAlmostEqual(log.costs_amount, 300.0)
        self.assertAlmostEqual(log.communication_id.costs_amount, 150.0)

    def test_small_recurring_claims_cap(self):
        self.scale.write({"small_claims_cap": True, "small_claims_amount": 60})
        first = self.make_invoice(self.de_vries, 100.0)
        self.submit_on(DAY0, first)
        self.assertEqual(self.communication(first, DAY0).costs_amount, 40.0)
        second = self.make_invoice(self.de_vries, 100.0)
        self.submit_on(self.day(1), second)
        self.assertEqual(
            self.communication(second, self.day(1)).costs_amount,
            20.0,
            "20 left of the 60 the period allows",
        )

    def test_no_costs_when_the_policy_claims_none(self):
        self.policy.charge_costs = False
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        log = self.log_on(invoice, DAY0)
        self.assertEqual(log.costs_amount, 0.0)
        self.assertEqual(log.costs_deadline, EMAIL_DEADLINE, "the term still runs")


@tagged("post_install", "-at_install")
class TestBusinessAndInterest(LetterCase):
    def test_business_owes_costs_at_the_handover_without_a_notice(self):
        invoice = self.make_invoice(self.jansen, 1000.0)
        self.submit_on(DAY0, invoice)
        self.assertFalse(self.log_on(invoice, DAY0).costs_amount, "plain reminder")
        self.run_on(self.day(7))
        self.run_on(self.day(15))
        self.assertRecordValues(
            self.log_on(invoice, self.day(15)),
            [{"costs_amount": 150.0, "costs_deadline": DAY0}],
        )
        (row,) = self.case_rows()
        self.assertEqual(row["Company or consumer"], "company")
        self.assertEqual(row["Collection costs"], "150.00")
        self.assertEqual(row["Costs claimable from"], str(DAY0))

    def test_contract_costs_of_a_business(self):
        self.jansen.write(
            {"dunning_costs_basis": "contract", "dunning_contract_costs": 95.0}
        )
        invoice = self.make_invoice(self.jansen, 1000.0)
        self.submit_on(DAY0, invoice)
        self.run_on(self.day(7))
        self.run_on(self.day(15))
        self.assertEqual(self.log_on(invoice, self.day(15)).costs_amount, 95.0)

    def test_a_consumer_never_gets_contract_costs(self):
        self.de_vries.write(
            {"dunning_costs_basis": "contract", "dunning_contract_costs": 500.0}
        )
        self.assertIsNone(self.de_vries._dunning_contract_costs())

    def test_statutory_and_commercial_interest(self):
        self.policy.charge_interest = True
        consumer = self.make_invoice(self.de_vries, 1000.0, due=date(2025, 3, 1))
        business = self.make_invoice(self.jansen, 1000.0, due=date(2025, 3, 1))
        self.submit_on(DAY0, consumer | business)
        # 6 % for a year, then a day on 1,060
        self.assertEqual(self.log_on(consumer, DAY0).interest_amount, 60.17)
        # 11.15 % then 10.15 % from 1 July 2025, compounded after a year
        self.assertEqual(self.log_on(business, DAY0).interest_amount, 105.12)
        communication = self.communication(consumer, DAY0)
        self.assertEqual(communication.interest_amount, 60.17)
        self.assertIn(
            "article 6:119 of the Dutch Civil Code",
            " ".join(communication._letter_values()["statements"]),
        )
        self.run_on(self.day(7))
        self.run_on(self.day(15))
        rows = {row["Invoice number"]: row for row in self.case_rows()}
        self.assertEqual(rows[business.name]["Interest"], "109.73")

    def test_no_interest_unless_the_policy_claims_it(self):
        invoice = self.make_invoice(self.de_vries, 1000.0, due=date(2025, 3, 1))
        self.submit_on(DAY0, invoice)
        self.assertEqual(self.log_on(invoice, DAY0).interest_amount, 0.0)


@tagged("post_install", "-at_install")
class TestPaymentDetails(LetterCase):
    def test_missing_bank_account_is_refused_at_submission(self):
        invoice = self.make_invoice(self.de_vries, post=False)
        invoice.partner_bank_id = False
        invoice.action_post()
        self.bank_account.active = False
        with self.assertRaisesRegex(UserError, "has no bank account"):
            self.submit_on(DAY0, invoice)
        self.assertEqual(invoice.dunning_state, "none")
        self.assertFalse(self.dunning_mails())

    def test_missing_payment_reference_is_refused_at_submission(self):
        invoice = self.make_invoice(self.de_vries)
        invoice.payment_reference = False
        with self.assertRaisesRegex(UserError, f"{invoice.name} has no payment ref"):
            self.submit_on(DAY0, invoice)

    def test_nightly_run_holds_back_a_customer_it_cannot_write_to(self):
        bad = self.make_invoice(self.de_vries)
        bad.payment_reference = False
        good = self.make_invoice(self.jansen)
        self.run_on(DAY0)
        self.assertEqual((bad | good).mapped("dunning_state"), ["active", "active"])
        self.assertFalse(self.dunning_mails(self.de_vries), "not sent")
        self.assertTrue(self.dunning_mails(self.jansen_billing), "others go through")
        failure = bad.dunning_log_ids.filtered(lambda log: log.action == "mail_failed")
        self.assertIn("no payment reference", failure.note)
        self.assertFalse(self.step_logs(bad))

        bad.payment_reference = "RF18 0000 0000 0000 0000 0001"
        self.run_on(self.day(1))
        self.assertEqual(len(self.dunning_mails(self.de_vries)), 1, "sent once fixed")

    def test_handover_letter_needs_no_bank_account(self):
        invoice = self.make_invoice(self.de_vries, post=False)
        invoice.partner_bank_id = False
        invoice.action_post()
        self.submit_on(DAY0, invoice)
        self.run_on(self.day(7))
        self.bank_account.active = False
        self.run_on(self.day(15))
        self.assertEqual(invoice.dunning_state, "handed_over")


@tagged("post_install", "-at_install")
class TestLegalData(LetterCase):
    def test_statutory_costs_from_the_dated_scale(self):
        Scale = self.env["nikki.cost.scale"]
        self.assertEqual(Scale.compute_statutory_costs(2501), 375.1)
        self.assertEqual(Scale.compute_statutory_costs(100, date(2026, 1, 1)), 40.0)
        self.assertEqual(Scale.compute_statutory_costs(100, date(2012, 1, 1)), 0.0)
        newer = self.scale.copy(
            {"name": "Scale 2027", "date_from": "2027-01-01", "minimum_amount": 50}
        )
        self.assertEqual(Scale.compute_statutory_costs(100, date(2027, 1, 2)), 50.0)
        self.assertEqual(Scale.compute_statutory_costs(100, date(2026, 12, 31)), 40.0)
        self.assertEqual(len(newer.bracket_ids), 5)

    def test_scale_input_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "already starts on"):
            self.scale.copy({"name": "Twin"})
        with self.assertRaisesRegex(ValidationError, "below its minimum"):
            self.scale.maximum_amount = 10
        with self.assertRaisesRegex(ValidationError, "must start at 0"):
            first = self.scale.bracket_ids.filtered(lambda b: b.amount_from == 0)
            self.scale.bracket_ids = [Command.delete(first.id)]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                self.env["nikki.interest.rate"].create(
                    {"rate_type": "consumer", "date_from": "2025-01-01", "rate": 5}
                )

    def test_debtor_type_follows_company_and_can_be_overridden(self):
        self.assertEqual(self.jansen.dunning_debtor_type, "business")
        self.assertEqual(self.jansen_billing.dunning_debtor_type, "business")
        self.assertEqual(self.de_vries.dunning_debtor_type, "consumer")
        self.de_vries.dunning_debtor_type = "business"
        self.assertEqual(self.de_vries.dunning_debtor_type, "business")
        self.jansen.dunning_debtor_type = "consumer"  # a sole trader
        self.assertEqual(self.jansen_billing.dunning_debtor_type, "consumer")


@tagged("post_install", "-at_install")
class TestLetterSetup(LetterCase):
    def test_start_from_the_standard_text_in_every_language(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        step = self.policy._first_step()
        self.assertFalse(step.letter_body)
        self.assertIn("{total_due}", step.letter_body_default)
        step.action_letter_customize()
        self.assertIn("<p>Dear {contact},</p>", step.letter_body)
        self.assertEqual(step.letter_title, "Payment reminder")
        dutch = step.with_context(lang="nl_NL")
        self.assertIn("<p>Geachte {contact},</p>", dutch.letter_body)
        self.assertEqual(dutch.letter_title, "Betalingsherinnering")

    def test_printing_without_letters_says_so(self):
        invoice = self.make_invoice(self.de_vries)
        with self.assertRaisesRegex(UserError, "No dunning letter was sent"):
            invoice.action_print_dunning_letters()
        self.submit_on(DAY0, invoice)
        action = invoice.action_print_dunning_letters()
        self.assertEqual(action["report_name"], "nikki_dunning.report_dunning_letter")
        event = invoice.dunning_log_ids.filtered(lambda log: not log.communication_id)
        self.assertFalse(event)
        with self.assertRaisesRegex(UserError, "No dunning letter was sent"):
            self.env["nikki.dunning.log"].action_print_dunning_letters()
