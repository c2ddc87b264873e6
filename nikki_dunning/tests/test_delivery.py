"""Delivery days and the fourteen-day deadline, on plain data."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..services import delivery


@tagged("post_install", "-at_install")
class TestDelivery(BaseCase):
    def test_easter_and_the_public_holidays(self):
        self.assertEqual(delivery.easter_sunday(2024), date(2024, 3, 31))
        self.assertEqual(delivery.easter_sunday(2025), date(2025, 4, 20))
        self.assertEqual(delivery.easter_sunday(2026), date(2026, 4, 5))
        self.assertEqual(delivery.easter_sunday(2027), date(2027, 3, 28))
        self.assertEqual(
            sorted(delivery.dutch_public_holidays(2026)),
            [
                date(2026, 1, 1),
                date(2026, 4, 6),  # Easter Monday
                date(2026, 4, 27),  # King's Day
                date(2026, 5, 5),  # Liberation Day
                date(2026, 5, 14),  # Ascension Day
                date(2026, 5, 25),  # Whit Monday
                date(2026, 12, 25),
                date(2026, 12, 26),
            ],
        )
        self.assertIn(
            date(2025, 4, 26),
            delivery.dutch_public_holidays(2025),
            "King's Day moves to the 26th when the 27th is a Sunday",
        )

    def post(self, sent):
        return delivery.delivery_date(sent, "post", delivery.holidays_around(sent))

    def test_email_is_delivered_the_same_day(self):
        sent = date(2026, 3, 6)  # a Friday
        self.assertEqual(delivery.delivery_date(sent, "email", set()), sent)

    def test_post_skips_sundays_mondays_and_holidays(self):
        self.assertEqual(self.post(date(2026, 3, 2)), date(2026, 3, 4), "Mon -> Wed")
        self.assertEqual(self.post(date(2026, 3, 5)), date(2026, 3, 7), "Thu -> Sat")
        self.assertEqual(self.post(date(2026, 3, 6)), date(2026, 3, 10), "Fri -> Tue")
        self.assertEqual(self.post(date(2026, 3, 7)), date(2026, 3, 11), "Sat -> Wed")
        self.assertEqual(self.post(date(2026, 3, 8)), date(2026, 3, 11), "Sun -> Wed")
        self.assertEqual(
            self.post(date(2026, 4, 4)), date(2026, 4, 8), "Easter: Sat -> Wed"
        )
        self.assertEqual(
            self.post(date(2026, 5, 12)),
            date(2026, 5, 15),
            "Ascension Day does not count",
        )
        self.assertEqual(
            self.post(date(2026, 12, 24)),
            date(2026, 12, 30),
            "Christmas, Sunday and Monday do not count",
        )

    def test_deadline_is_the_day_after_fourteen_days_from_delivery(self):
        # email on Monday 2 March: term 3-16 March, costs owed from the 17th
        self.assertEqual(
            delivery.costs_deadline(date(2026, 3, 2), "email"),
            (date(2026, 3, 2), date(2026, 3, 17)),
        )
        # post on Monday 2 March: delivered Wednesday, costs from Thursday 19th
        delivered, deadline = delivery.costs_deadline(date(2026, 3, 2), "post")
        self.assertEqual((delivered, deadline), (date(2026, 3, 4), date(2026, 3, 19)))
        self.assertTrue(16 <= (deadline - date(2026, 3, 2)).days <= 21)

    def test_a_term_ending_on_a_weekend_or_holiday_runs_on(self):
        # email on Saturday 7 March: the 14th day is Saturday 21 March, the
        # term runs on to Monday 23rd, costs owed from Tuesday 24th
        self.assertEqual(
            delivery.costs_deadline(date(2026, 3, 7), "email")[1], date(2026, 3, 24)
        )
        # 14th day on Easter Monday 6 April 2026: term ends Tuesday 7th
        self.assertEqual(
            delivery.costs_deadline(date(2026, 3, 23), "email")[1], date(2026, 4, 8)
        )
        # post on Friday 11 December 2026: delivered Tuesday 15th, the 14th
        # day is 29 December (a Tuesday): no shift
        self.assertEqual(
            delivery.costs_deadline(date(2026, 12, 11), "post"),
            (date(2026, 12, 15), date(2026, 12, 30)),
        )
        # a term ending on Christmas Day runs on to Monday 28th
        self.assertEqual(
            delivery.costs_deadline(date(2026, 12, 11), "email")[1],
            date(2026, 12, 29),
        )
