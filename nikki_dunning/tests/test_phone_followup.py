from datetime import date, datetime, time, timedelta
from unittest.mock import patch

import psycopg2
import pytz
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models import dunning_channel_phone
from .common import DAY0, DunningCase
from .phone_common import PhoneCase

THU = DAY0 + timedelta(days=3)
SAT = DAY0 + timedelta(days=5)
MON2 = DAY0 + timedelta(days=7)


@tagged("post_install", "-at_install")
class TestShippedPolicy(DunningCase):
    def test_phone_followups_are_off_in_the_shipped_policy(self):
        policy = self.env.ref("nikki_dunning.policy_nikki_standard")
        self.assertFalse(policy.phone_followup)
        self.assertEqual(policy.phone_interval_days, 3)
        self.assertFalse(policy.phone_until_step_id, "until the hand-over")
        invoice = self.make_invoice(self.jansen)
        self.run_on(DAY0)
        self.assertEqual(invoice.dunning_state, "active")
        with freeze_time(DAY0):
            result = self.env["nikki.dunning.channel.phone"]._cron_schedule_calls(
                company_ids=self.company.ids
            )
        self.assertEqual(result["created"], 0)
        self.assertFalse(self.jansen.activity_ids)


@tagged("post_install", "-at_install")
class TestPhoneFollowup(PhoneCase):
    """The daily cron plans one call per customer, every three days, on
    working days, for the right caller, and cancels calls nobody needs."""

    def test_calls_every_three_days_over_several_cycles(self):
        invoice = self.make_called_invoice(self.jansen, 250.0)
        self.submit_on(DAY0, invoice)
        day, last = DAY0, DAY0 + timedelta(days=20)
        while day <= last:
            self.day(day)
            call = self.open_call(self.jansen)
            if call:
                self.assertEqual(call.date_due, day, "planned the day it is due")
                self.assertNotIn(day.weekday(), (5, 6), "never on a weekend")
                self.record(call, "not_reached", day)
            day += timedelta(days=1)
        calls = self.calls(self.jansen)
        # Mon 2, Thu 5, Sun 8 -> Mon 9, Thu 12, Sun 15 -> Mon 16; hand-over
        # on the 17th ends the calls
        self.assertEqual(
            calls.mapped("date_due"),
            [
                date(2026, 3, 2),
                date(2026, 3, 5),
                date(2026, 3, 9),
                date(2026, 3, 12),
                date(2026, 3, 16),
            ],
        )
        self.assertEqual(set(calls.mapped("state")), {"done"})
        self.assertEqual(invoice.dunning_state, "handed_over")
        self.assertEqual(len(self.call_logs(invoice, "call_not_reached")), 5)

    def test_next_call_counts_from_the_day_the_call_was_done(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        # the call waits two days, so the next comes three days after that
        self.days(DAY0 + timedelta(days=1), DAY0 + timedelta(days=2))
        self.assertEqual(self.calls(self.jansen), call, "no new call meanwhile")
        self.record(call, "reached", DAY0 + timedelta(days=2))
        self.assertEqual(call.interval_from, DAY0 + timedelta(days=2))
        self.days(DAY0 + timedelta(days=3), DAY0 + timedelta(days=6))
        self.assertFalse(self.open_call(self.jansen), "Thu 5 is too soon, Sat-Sun")
        self.day(MON2)
        self.assertEqual(self.open_call(self.jansen).date_due, MON2)

    def test_one_call_per_customer_with_all_their_invoices(self):
        first = self.make_called_invoice(
            self.jansen, 120.0, due=DAY0 - timedelta(days=20)
        )
        second = self.make_called_invoice(self.jansen, 80.5)
        third = self.make_called_invoice(self.jansen, 40.0)
        other = self.make_called_invoice(self.de_vries, 60.0)
        self.submit_on(DAY0, first | second | third | other)
        self.calls_on(DAY0)

        calls = self.calls(state="open")
        self.assertEqual(calls.partner_id, self.jansen | self.de_vries)
        call = self.open_call(self.jansen)
        self.assertEqual(call.invoice_count, 3)
        self.assertEqual(call.amount_due, 240.5)
        self.assertEqual(call.line_ids[0].name, first.name, "oldest due first")
        self.assertEqual(call.last_reminder_name, "First reminder")
        self.assertEqual(call.last_reminder_date, DAY0)

        activity = call.activity_id
        self.assertEqual(activity.res_model, "res.partner")
        self.assertEqual(activity.res_id, self.jansen.id)
        self.assertEqual(activity.activity_type_id.category, "phonecall")
        self.assertEqual(activity.user_id, self.salesperson)
        self.assertEqual(activity.date_deadline, DAY0)
        self.assertIn("3 invoice(s)", activity.summary)
        self.assertIn("240.50", activity.summary)
        note = str(activity.note)
        for text in (
            first.name,
            second.name,
            third.name,
            "120.00",
            "80.50",
            "+31 20 555 0101",
            "+31 6 5555 0102",
            "First reminder",
        ):
            self.assertIn(text, note)
        self.assertNotIn(other.name, note)
        self.assertEqual(
            len(self.jansen.activity_ids), 1, "one activity, not one per invoice"
        )
        # the salesperson was not emailed for each call
        self.assertFalse(
            self.env["mail.mail"].search(
                [("recipient_ids", "in", self.salesperson.partner_id.ids)]
            )
        )

    def test_no_second_call_on_reruns(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        for _run in range(3):
            self.calls_on(DAY0)
        self.days(DAY0 + timedelta(days=1), DAY0 + timedelta(days=4))
        call = self.calls(self.jansen)
        self.assertEqual(len(call), 1, "the open call is not duplicated")
        self.assertEqual(len(self.jansen.activity_ids), 1)
        # and the database refuses a second open call outright
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.Call.sudo().create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.jansen.id,
                    "user_id": self.salesperson.id,
                    "date_due": THU,
                }
            ).flush_recordset()

    def test_a_call_due_on_a_weekend_moves_to_monday(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(SAT, invoice)
        self.day(SAT)
        self.day(SAT + timedelta(days=1))
        self.assertFalse(self.calls(self.jansen), "no call on Saturday or Sunday")
        self.day(MON2)
        self.assertEqual(self.open_call(self.jansen).date_due, MON2)

    def test_a_call_due_on_a_holiday_moves_to_the_next_working_day(self):
        calendar = self.company.resource_calendar_id
        self.assertTrue(calendar, "companies get a working-time calendar")
        tz = pytz.timezone(calendar.tz or "UTC")

        def utc(day, at):
            local = tz.localize(datetime.combine(day, at))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        self.env["resource.calendar.leaves"].create(
            {
                "name": "Company holiday",
                "calendar_id": calendar.id,
                "company_id": self.company.id,
                "date_from": utc(MON2, time.min),
                "date_to": utc(MON2, time(23, 59, 59)),
            }
        )
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(SAT, invoice)
        self.days(SAT, MON2)
        self.assertFalse(self.calls(self.jansen), "weekend, then the holiday")
        self.day(MON2 + timedelta(days=1))
        self.assertEqual(self.open_call(self.jansen).date_due, MON2 + timedelta(days=1))

    def test_who_calls(self):
        partner_sales = new_test_user(
            self.env,
            login="phone_pat",
            name="Pat Partner",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        elsewhere = self.setup_other_company(name="Elsewhere")["company"]
        outsider = new_test_user(
            self.env,
            login="phone_out",
            name="Outsider",
            groups="sales_team.group_sale_salesman",
            company_id=elsewhere.id,
            company_ids=[elsewhere.id],
        )
        archived = new_test_user(
            self.env,
            login="phone_gone",
            groups="sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        Partner = self.env["res.partner"]
        cases = {
            # customer: (invoice salespeople, customer salesperson, caller)
            "Invoice salesperson": (
                [self.salesperson],
                partner_sales,
                self.salesperson,
            ),
            "Customer salesperson": ([False], partner_sales, partner_sales),
            "Default caller": ([False], False, self.default_caller),
            "Outsider skipped": ([outsider], partner_sales, partner_sales),
            "Archived skipped": ([archived], False, self.default_caller),
            "Oldest invoice": (
                [self.other_salesperson, self.salesperson],
                partner_sales,
                self.other_salesperson,
            ),
        }
        customers = {}
        for name, (salespeople, customer_sales, _caller) in cases.items():
            customer = Partner.create(
                {
                    "name": name,
                    "is_company": True,
                    "user_id": customer_sales.id if customer_sales else False,
                }
            )
            customers[name] = customer
            for age, salesperson in enumerate(salespeople):
                invoice = self.make_called_invoice(
                    customer,
                    salesperson=salesperson,
                    due=DAY0 - timedelta(days=10 - age),
                )
                self.submit_on(DAY0, invoice)
        archived.active = False
        self.calls_on(DAY0)
        for name, (_salespeople, _customer_sales, caller) in cases.items():
            call = self.open_call(customers[name])
            self.assertEqual(call.user_id, caller, name)
            self.assertEqual(call.activity_id.user_id, caller, name)

    def test_nobody_to_call_leaves_no_call(self):
        elsewhere = self.setup_other_company(name="Elsewhere")["company"]
        outsider = new_test_user(
            self.env,
            login="phone_out2",
            groups="sales_team.group_sale_salesman",
            company_id=elsewhere.id,
            company_ids=[elsewhere.id],
        )
        self.policy.phone_user_id = outsider
        invoice = self.make_called_invoice(self.jansen, salesperson=False)
        self.submit_on(DAY0, invoice)
        with patch.object(dunning_channel_phone._logger, "info") as info:
            result = self.calls_on(DAY0)
        self.assertIn("No caller", info.call_args[0][0])
        self.assertEqual(result["created"], 0)
        self.assertFalse(self.calls(self.jansen))
        # once somebody calls the customer, the call comes
        self.jansen.user_id = self.other_salesperson
        self.calls_on(DAY0)
        self.assertEqual(self.open_call(self.jansen).user_id, self.other_salesperson)

    # ------------------------------------------------------------------
    # calls nobody needs any more
    # ------------------------------------------------------------------

    def assertCancelled(self, call, reason):
        self.assertEqual(call.state, "cancelled")
        self.assertIn(reason, call.cancel_reason)
        self.assertFalse(call.activity_id.exists())
        self.assertFalse(self.jansen.activity_ids)
        self.assertTrue(self.partner_notes(self.jansen, "cancelled"))

    def test_payment_removes_the_call(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        self.pay(invoice, on=DAY0)
        self.env.cr.flush()
        self.assertCancelled(call, "left the dunning workflow")
        self.days(DAY0 + timedelta(days=1), DAY0 + timedelta(days=10))
        self.assertEqual(self.calls(self.jansen), call, "nobody calls a payer")

    def test_part_of_the_invoices_paid_keeps_the_call_up_to_date(self):
        first = self.make_called_invoice(self.jansen, 100.0)
        second = self.make_called_invoice(self.jansen, 50.0)
        self.submit_on(DAY0, first | second)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        self.assertEqual(call.amount_due, 150.0)
        self.pay(first, on=DAY0)
        self.env.cr.flush()
        self.assertEqual(call.state, "open")
        self.assertEqual(call.line_ids.name, second.name)
        self.assertEqual(call.amount_due, 50.0)
        self.assertNotIn(first.name, str(call.activity_id.note))
        self.assertIn("1 invoice(s)", call.activity_id.summary)
        # a part payment shows on the next run
        self.pay(second, amount=20.0, on=DAY0 + timedelta(days=1))
        self.calls_on(DAY0 + timedelta(days=1))
        self.assertEqual(call.amount_due, 30.0)
        self.assertIn("30.00", str(call.activity_id.note))

    def test_hand_over_removes_the_call(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.days(DAY0, DAY0 + timedelta(days=14))
        call = self.open_call(self.jansen)
        self.assertTrue(call)
        self.run_on(DAY0 + timedelta(days=15))
        self.assertEqual(invoice.dunning_state, "handed_over")
        self.assertCancelled(call, "handed over")

    def test_stop_removes_the_call(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        invoice.action_dunning_stop()
        self.assertCancelled(call, "left the dunning workflow")

    def test_hold_removes_the_call_and_resume_brings_calls_back(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        invoice._dunning_hold("Checking a delivery")
        self.assertCancelled(call, "on hold")
        self.days(DAY0 + timedelta(days=1), DAY0 + timedelta(days=3))
        self.assertFalse(self.open_call(self.jansen), "no calls while on hold")
        invoice.action_dunning_resume()
        # the cancelled call was due on Monday: the next one is due Thursday,
        # and planned on Friday, the first run after the resume
        self.day(DAY0 + timedelta(days=4))
        self.assertEqual(self.open_call(self.jansen).date_due, DAY0 + timedelta(days=4))

    def test_customer_on_hold_or_excluded_gets_no_calls(self):
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.jansen.with_company(self.company)._dunning_set_hold(True, "Talks")
        self.calls_on(DAY0)
        self.assertFalse(self.calls(self.jansen))
        self.jansen._dunning_set_hold(False)
        self.calls_on(DAY0)
        call = self.open_call(self.jansen)
        self.jansen.dunning_excluded = True
        self.calls_on(DAY0 + timedelta(days=1))
        self.assertCancelled(call, "no invoice")

    def test_calls_stop_at_the_chosen_step(self):
        second_reminder = self.policy.step_ids.filtered(lambda s: s.day_offset == 7)
        self.policy.phone_until_step_id = second_reminder
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.work_calls(DAY0, DAY0 + timedelta(days=2), self.jansen)
        # Thursday's call is left open until the second reminder goes out
        self.days(THU, MON2)
        self.assertEqual(invoice.dunning_step_offset, 7)
        calls = self.calls(self.jansen)
        self.assertEqual(calls.mapped("date_due"), [DAY0, THU])
        self.assertEqual(calls.mapped("state"), ["done", "cancelled"])
        self.assertIn("reached the step", calls[1].cancel_reason)
        self.work_calls(MON2, DAY0 + timedelta(days=14), self.jansen)
        self.assertEqual(len(self.calls(self.jansen)), 2, "no calls after it")

    def test_calls_start_on_the_chosen_day(self):
        self.policy.phone_from_day = 2
        invoice = self.make_called_invoice(self.jansen)
        self.submit_on(DAY0, invoice)
        self.days(DAY0, DAY0 + timedelta(days=1))
        self.assertFalse(self.calls(self.jansen))
        self.day(DAY0 + timedelta(days=2))
        self.assertEqual(self.open_call(self.jansen).date_due, DAY0 + timedelta(days=2))

    def test_the_customer_choice_overrides_the_policy(self):
        yes = self.make_called_invoice(self.jansen)
        no = self.make_called_invoice(self.de_vries)
        self.submit_on(DAY0, yes | no)
        self.policy.phone_followup = False
        self.jansen.dunning_phone_followup = "yes"
        self.calls_on(DAY0)
        self.assertTrue(self.open_call(self.jansen))
        self.assertFalse(self.calls(self.de_vries))
        # the other way round: a call already planned is cancelled
        self.policy.phone_followup = True
        self.calls_on(DAY0)
        call = self.open_call(self.de_vries)
        self.assertTrue(call)
        self.de_vries.dunning_phone_followup = "no"
        self.calls_on(DAY0 + timedelta(days=1))
        self.assertEqual(call.state, "cancelled")
        self.assertIn("no invoice", call.cancel_reason)

    def test_new_policies_call_every_three_days_when_switched_on(self):
        defaults = self.env["nikki.dunning.policy"].default_get(
            ["phone_followup", "phone_interval_days", "phone_from_day"]
        )
        self.assertFalse(defaults.get("phone_followup"))
        self.assertEqual(defaults["phone_interval_days"], 3)
        self.assertEqual(defaults["phone_from_day"], 0)
        self.assertTrue(self.policy.copy().phone_followup, "copies keep it")

    def test_policy_settings_are_checked(self):
        cases = [
            ({"phone_interval_days": 0}, "at least one day"),
            ({"phone_from_day": -1}, "before Day 0"),
            ({"phone_user_id": False}, "default caller"),
            (
                {
                    "phone_from_day": 7,
                    "phone_until_step_id": self.policy.step_ids.filtered(
                        lambda s: s.day_offset == 7
                    ).id,
                },
                "no call would ever be made",
            ),
        ]
        for values, message in cases:
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, message):
                    with self.env.cr.savepoint():
                        self.policy.write(values)
        other = self.policy.copy()
        with self.assertRaisesRegex(ValidationError, "policy's own steps"):
            self.policy.phone_until_step_id = other.step_ids[0]

    def test_a_copied_policy_stops_calls_at_its_own_step(self):
        step = self.policy.step_ids.filtered(lambda s: s.day_offset == 7)
        self.policy.phone_until_step_id = step
        copy = self.policy.copy()
        self.assertEqual(copy.phone_until_step_id.policy_id, copy)
        self.assertEqual(copy.phone_until_step_id.day_offset, 7)
        self.assertEqual(self.policy.phone_until_step_id, step)
