"""Statutory collection costs (WIK/BIK), on plain data."""

from datetime import date
from decimal import Decimal

from odoo.tests import BaseCase, tagged

from ..services import legal_costs
from ..services.legal_costs import Bracket, Scale

BIK = Scale(
    date_from=date(2012, 7, 1),
    brackets=[
        Bracket(0, 15),
        Bracket(2500, 10),
        Bracket(5000, 5),
        Bracket(10000, 1),
        Bracket(200000, 0.5),
    ],
    minimum=40,
    maximum=6775,
    vat_rate=21,
    small_claims_cap=True,
    small_claims_threshold=266.67,
    small_claims_amount=140,
    small_claims_months=6,
)


def costs(principal):
    return legal_costs.statutory_costs(
        principal, BIK.brackets, BIK.minimum, BIK.maximum
    )


@tagged("post_install", "-at_install")
class TestLegalCosts(BaseCase):
    def test_every_bracket_edge(self):
        expected = {
            100: "40.00",  # 15 % is 15.00: the minimum applies
            266.67: "40.00",  # 40.0005: still the minimum
            266.68: "40.00",  # 40.002 on the scale, rounded to cents
            300: "45.00",
            2500: "375.00",
            2501: "375.10",  # 10 % on the euro above 2,500
            5000: "625.00",
            10000: "875.00",
            200000: "2775.00",
            1000000: "6775.00",  # 0.5 % above 200,000 reaches the maximum
            1500000: "6775.00",  # capped
        }
        for principal, amount in expected.items():
            with self.subTest(principal=principal):
                self.assertEqual(costs(principal), Decimal(amount))

    def test_no_principal_no_costs(self):
        self.assertEqual(costs(0), Decimal("0.00"), "the minimum needs a claim")
        self.assertEqual(legal_costs.claim_costs([0, 0], BIK), Decimal("0.00"))

    def test_several_invoices_take_the_scale_once_on_their_sum(self):
        one_letter = legal_costs.claim_costs([1500, 1500], BIK)
        self.assertEqual(one_letter, Decimal("425.00"))
        self.assertLess(one_letter, costs(1500) * 2, "two letters would cost 450")
        self.assertEqual(legal_costs.claim_costs([100, 100, 66.67], BIK), 40)

    def test_vat_uplift_only_when_asked(self):
        self.assertEqual(legal_costs.claim_costs([3000], BIK), Decimal("425.00"))
        self.assertEqual(
            legal_costs.claim_costs([3000], BIK, vat=True), Decimal("514.25")
        )
        no_vat_rate = BIK._replace(vat_rate=0)
        self.assertEqual(
            legal_costs.claim_costs([3000], no_vat_rate, vat=True), Decimal("425.00")
        )

    def test_contract_amount_replaces_the_scale(self):
        self.assertEqual(
            legal_costs.claim_costs([3000], BIK, contract_amount=100),
            Decimal("100.00"),
        )
        self.assertEqual(
            legal_costs.claim_costs([0], BIK, contract_amount=100),
            Decimal("0.00"),
            "nothing is owed on a paid claim",
        )

    def test_small_recurring_claims_cap(self):
        small = [50, 60]
        self.assertEqual(
            legal_costs.claim_costs(small, BIK, small_claims=True, already_claimed=0),
            Decimal("40.00"),
        )
        self.assertEqual(
            legal_costs.claim_costs(small, BIK, small_claims=True, already_claimed=120),
            Decimal("20.00"),
            "only 20 left of the 140 of the period",
        )
        self.assertEqual(
            legal_costs.claim_costs(small, BIK, small_claims=True, already_claimed=200),
            Decimal("0.00"),
        )
        self.assertEqual(
            legal_costs.claim_costs(
                [50, 300], BIK, small_claims=True, already_claimed=140
            ),
            Decimal("52.50"),
            "a claim above the threshold is not a small claim",
        )
        off = BIK._replace(small_claims_cap=False)
        self.assertEqual(
            legal_costs.claim_costs(small, off, small_claims=True, already_claimed=140),
            Decimal("40.00"),
            "the cap is off unless the scale enables it",
        )

    def test_scale_in_force_on_a_date(self):
        newer = BIK._replace(date_from=date(2027, 1, 1), minimum=50)
        scales = [BIK, newer]
        self.assertIsNone(legal_costs.scale_on(scales, date(2012, 6, 30)))
        self.assertEqual(legal_costs.scale_on(scales, date(2026, 12, 31)), BIK)
        self.assertEqual(legal_costs.scale_on(scales, date(2027, 1, 1)), newer)

    def test_split_pro_rata_adds_up(self):
        shares = legal_costs.split_pro_rata(Decimal("100.00"), [1, 1, 1])
        self.assertEqual(sum(shares), Decimal("100.00"))
        self.assertEqual(
            sorted(shares), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
        )
        self.assertEqual(
            legal_costs.split_pro_rata(425, [1500, 1000, 500]),
            [Decimal("212.50"), Decimal("141.67"), Decimal("70.83")],
        )
        self.assertEqual(legal_costs.split_pro_rata(40, [0, 0]), [0, 0])
