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
    def test_one_year_at_one_rate(self):
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2025, 1, 1), date(2025, 12, 31), CONSUMER
            ),
            money("60.00"),
        )

    def test_periods_split_at_a_rate_change(self):
        # June at 12.5 %, July at 12.25 %: 10.27 + 10.40
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2024, 6, 1), date(2024, 7, 31), COMMERCIAL
            ),
            money("20.68"),
        )

    def test_across_new_year_and_yearly_compounding(self):
        # 184 days at 7 % in 2024, 181 days at 6 % in 2025
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2024, 7, 1), date(2025, 6, 30), CONSUMER
            ),
            money("65.04"),
        )
        # after the first full year the year's interest bears interest too
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2024, 7, 1), date(2025, 7, 31), CONSUMER
            ),
            money("70.47"),
        )
        # two full years at 6 %: 60.00 + 6 % of 1,060
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2025, 1, 1), date(2026, 12, 31), CONSUMER
            ),
            money("123.60"),
        )

    def test_nothing_before_the_first_known_rate(self):
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2023, 12, 1), date(2023, 12, 31), CONSUMER
            ),
            money("0.00"),
        )
        self.assertEqual(
            interest.statutory_interest(
                1000, date(2025, 1, 10), date(2025, 1, 9), CONSUMER
            ),
            money("0.00"),
            "no interest before it starts",
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
