"""The pure phone follow-up rules, on plain data (no database needed)."""

from datetime import date, timedelta

from odoo.tests import BaseCase, tagged

from ..services import phone

MON = date(2026, 3, 2)
SAT, SUN = date(2026, 3, 7), date(2026, 3, 8)
WEEKENDS = {
    MON + timedelta(days=n) for n in range(60) if (MON + timedelta(n)).weekday() >= 5
}


@tagged("post_install", "-at_install")
class TestPhoneRules(BaseCase):
    def test_the_customer_choice_wins_over_the_policy(self):
        self.assertTrue(phone.phone_enabled(True, False))
        self.assertFalse(phone.phone_enabled(False, False))
        self.assertTrue(phone.phone_enabled(False, "yes"))
        self.assertFalse(phone.phone_enabled(True, "no"))

    def test_call_window(self):
        self.assertEqual(phone.window_opens(MON, 0), MON)
        self.assertEqual(phone.window_opens(MON, 2), MON + timedelta(days=2))
        self.assertEqual(phone.window_opens(MON, None), MON)
        # until the hand-over (no step chosen): always
        self.assertTrue(phone.still_called(7, None))
        # until the day 7 step: called before it, not once it is done
        self.assertTrue(phone.still_called(None, 7))
        self.assertTrue(phone.still_called(0, 7))
        self.assertFalse(phone.still_called(7, 7))
        self.assertFalse(phone.still_called(15, 7))

    def test_next_call_counts_from_the_last_call(self):
        self.assertEqual(phone.next_call_date(MON, None, 3), MON)
        self.assertEqual(
            phone.next_call_date(MON, MON + timedelta(days=1), 3),
            MON + timedelta(days=4),
        )
        # a call long ago does not hold back a new window
        self.assertEqual(phone.next_call_date(MON, MON - timedelta(days=30), 3), MON)
        # nor does a new window bring the next call sooner than the interval
        self.assertEqual(
            phone.next_call_date(MON, MON - timedelta(days=1), 3),
            MON + timedelta(days=2),
        )

    def test_closed_days_move_a_call_to_the_next_working_day(self):
        self.assertEqual(phone.working_day(SAT, WEEKENDS), SAT + timedelta(days=2))
        self.assertEqual(phone.working_day(SUN, WEEKENDS), SUN + timedelta(days=1))
        self.assertEqual(phone.working_day(MON, WEEKENDS), MON)
        holiday = {MON + timedelta(days=7)}
        self.assertEqual(
            phone.working_day(SAT, WEEKENDS | holiday), MON + timedelta(days=8)
        )
        # a calendar without any working day: the call keeps its day
        every_day = {MON + timedelta(days=n) for n in range(100)}
        self.assertEqual(phone.working_day(MON, every_day), MON)

    def test_a_missed_call_is_planned_today_on_a_working_day(self):
        self.assertEqual(
            phone.planned_call_date(MON - timedelta(days=5), MON, WEEKENDS), MON
        )
        self.assertEqual(
            phone.planned_call_date(MON - timedelta(days=5), SAT, WEEKENDS),
            SAT + timedelta(days=2),
        )
        self.assertEqual(
            phone.planned_call_date(MON + timedelta(days=3), MON, WEEKENDS),
            MON + timedelta(days=3),
        )

    def test_choose_user_takes_the_first_eligible(self):
        self.assertEqual(phone.choose_user([1, 2, 3], {2, 3}), 2)
        self.assertEqual(phone.choose_user([False, None, 3], {3}), 3)
        self.assertIsNone(phone.choose_user([1, 2], set()))
        self.assertIsNone(phone.choose_user([], {1}))

    def test_phone_settings_problems(self):
        self.assertEqual(phone.phone_settings_problems(True, 3, 0, None, True), [])
        self.assertEqual(phone.phone_settings_problems(False, 3, 0, None, False), [])
        self.assertEqual(
            phone.phone_settings_problems(True, 3, 0, None, False),
            ["no_default_caller"],
        )
        self.assertEqual(
            phone.phone_settings_problems(False, 0, 0, None, False), ["interval"]
        )
        self.assertEqual(
            phone.phone_settings_problems(False, 3, -1, None, False), ["from_day"]
        )
        self.assertEqual(
            phone.phone_settings_problems(False, 3, 7, 7, False), ["empty_window"]
        )
        self.assertEqual(phone.phone_settings_problems(False, 3, 2, 7, False), [])

    def test_outcome_problems(self):
        today = MON
        self.assertEqual(phone.outcome_problems("reached", False, today, 0), [])
        self.assertEqual(phone.outcome_problems(False, False, today, 0), ["no_outcome"])
        self.assertEqual(
            phone.outcome_problems("promise", False, today, 0), ["no_promise_date"]
        )
        self.assertEqual(
            phone.outcome_problems("promise", today - timedelta(days=1), today, 0),
            ["promise_in_past"],
        )
        self.assertEqual(phone.outcome_problems("promise", today, today, 0), [])
        self.assertEqual(
            phone.outcome_problems("promise", today + timedelta(days=90), today, 0),
            [],
        )
        self.assertEqual(
            phone.outcome_problems("promise", today + timedelta(days=91), today, 0),
            ["promise_too_far"],
        )
        self.assertEqual(
            phone.outcome_problems("dispute", False, today, 0), ["nothing_disputed"]
        )
        self.assertEqual(phone.outcome_problems("dispute", False, today, 1), [])

    def test_promise_hold_ends_a_grace_day_after_the_promised_date(self):
        self.assertEqual(phone.promise_hold_until(MON), MON + timedelta(days=1))
        self.assertEqual(phone.promise_hold_until(MON, 0), MON)
