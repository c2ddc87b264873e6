"""Statutory interest and the art. 6:44 BW order of payments, on plain
data."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..services import claim, interest
from ..services.claim import Payment
from ..services.interest import Rate

CONSUMER = [Rate(date(2024, 1, 1), 7), Rate(date(2025, 1, 1), 6)]
COMMERCIAL = [
    Rate(date(2024, 1, 1), 12.5),
    Rate(date(2024, 7, 1), 12.25),
    Rate(date(2025, 1, 1), 11.15),
    Rate(date(2025, 7, 1), 10.15),
]


def money(value):
    return Decimal(value)


@tagged("post_install", "-at_install")
class TestInterest(BaseCase):
    def test_statutory_interest(self):
        """Interest on 1,000 from start to end (both included)."""
        cases = [
            # one year at one rate
            ("2025-01-01", "2025-12-31", CONSUMER, "60.00"),
            # June at 12.5 %, July at 12.25 %: 10.27 + 10.40
            ("2024-06-01", "2024-07-31", COMMERCIAL, "20.68"),
            # 184 days at 7 % in 2024, 181 days at 6 % in 2025
            ("2024-07-01", "2025-06-30", CONSUMER, "65.04"),
            # after the first full year the year's interest bears interest too
            ("2024-07-01", "2025-07-31", CONSUMER, "70.47"),
            # two full years at 6 %: 60.00 + 6 % of 1,060
            ("2025-01-01", "2026-12-31", CONSUMER, "123.60"),
            # nothing before the first known rate
            ("2023-12-01", "2023-12-31", CONSUMER, "0.00"),
            # no interest before it starts
            ("2025-01-10", "2025-01-09", CONSUMER, "0.00"),
        ]
        for start, end, rates, expected in cases:
            with self.subTest(start=start, end=end):
                self.assertEqual(
                    interest.statutory_interest(
                        1000, date.fromisoformat(start), date.fromisoformat(end), rates
                    ),
                    money(expected),
                )

    def test_anniversary_of_29_february(self):
        self.assertEqual(interest.anniversary(date(2024, 2, 29), 1), date(2025, 2, 28))
        self.assertEqual(interest.anniversary(date(2024, 2, 29), 4), date(2028, 2, 29))


@tagged("post_install", "-at_install")
class TestPaymentOrder(BaseCase):
    """Payments go to costs, then interest, then principal (art. 6:44 BW)."""

    def test_costs_first_once_they_are_owed(self):
        result = claim.settle(
            1000,
            date(2026, 4, 30),
            [Payment(date(2026, 4, 20), 500)],
            costs=150,
            costs_from=date(2026, 4, 1),
        )
        self.assertEqual(result, (money("650.00"), money("0.00"), money("0.00")))

    def test_payment_before_the_deadline_does_not_touch_costs(self):
        result = claim.settle(
            1000,
            date(2026, 4, 30),
            [Payment(date(2026, 3, 20), 500)],
            costs=75,
            costs_from=date(2026, 4, 1),
        )
        self.assertEqual(result, (money("500.00"), money("0.00"), money("75.00")))
        self.assertEqual(
            claim.principal_before(
                1000, date(2026, 4, 1), [Payment(date(2026, 3, 20), 500)]
            ),
            money("500.00"),
        )
        self.assertEqual(
            claim.principal_before(
                1000, date(2026, 3, 20), [Payment(date(2026, 3, 20), 500)]
            ),
            money("1000.00"),
            "a payment counts from the end of its day",
        )

    def test_interest_before_principal(self):
        result = claim.settle(
            1000,
            date(2025, 12, 31),
            [Payment(date(2025, 12, 31), 100)],
            interest_from=date(2025, 1, 1),
            rates=CONSUMER,
        )
        self.assertEqual(result, (money("960.00"), money("0.00"), money("0.00")))

    def test_costs_then_interest_then_principal(self):
        result = claim.settle(
            1000,
            date(2025, 12, 31),
            [Payment(date(2025, 12, 31), 200)],
            interest_from=date(2025, 1, 1),
            rates=CONSUMER,
            costs=150,
            costs_from=date(2025, 6, 1),
        )
        self.assertEqual(result, (money("1000.00"), money("10.00"), money("0.00")))

    def test_payments_after_the_day_are_ignored(self):
        result = claim.settle(
            1000, date(2026, 3, 1), [Payment(date(2026, 3, 2), 1000)], costs=0
        )
        self.assertEqual(result.principal, money("1000.00"))
