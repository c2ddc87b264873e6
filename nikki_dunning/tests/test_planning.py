"""The pure planning rules, on plain data (no database needed)."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..services import case_file, planning
from ..services.planning import InvoiceFacts, Step

STANDARD = [
    Step(1, 0, "reminder"),
    Step(2, 7, "reminder"),
    Step(3, 15, "handover"),
]


def facts(**values):
    base = {
        "state": "posted",
        "move_type": "out_invoice",
        "payment_state": "not_paid",
        "amount_residual": 100.0,
        "dunning_state": "none",
    }
    base.update(values)
    return InvoiceFacts(**base)


@tagged("post_install", "-at_install")
class TestPlanning(BaseCase):
    def test_next_step_follows_the_last_day_done(self):
        self.assertEqual(planning.next_step(STANDARD, None).id, 1)
        self.assertEqual(planning.next_step(STANDARD, 0).id, 2)
        self.assertEqual(planning.next_step(STANDARD, 7).id, 3)
        self.assertIsNone(planning.next_step(STANDARD, 15))
        # a step inserted or removed while invoices are under way
        self.assertEqual(planning.next_step(STANDARD, 3).id, 2)
        self.assertIsNone(planning.next_step([], None))

    def test_steps_are_ordered_by_day_not_by_input(self):
        shuffled = [STANDARD[2], STANDARD[0], STANDARD[1]]
        self.assertEqual(planning.next_step(shuffled, None).id, 1)

    def test_due_date_is_day0_plus_offset(self):
        start = date(2026, 3, 2)
        self.assertEqual(planning.due_date(start, STANDARD[0]), start)
        self.assertEqual(
            planning.due_date(start, STANDARD[1], 0, start), date(2026, 3, 9)
        )

    def test_due_date_keeps_the_gap_after_a_late_step(self):
        """Day 0 sent late (on day 10): the Day 7 step waits 7 more days."""
        start = date(2026, 3, 2)
        late = date(2026, 3, 12)
        self.assertEqual(
            planning.due_date(start, STANDARD[1], 0, late), date(2026, 3, 19)
        )

    def test_end_reasons(self):
        self.assertIsNone(planning.end_reason(facts()))
        self.assertEqual(planning.end_reason(facts(payment_state="paid")), "paid")
        self.assertEqual(planning.end_reason(facts(payment_state="in_payment")), "paid")
        self.assertEqual(planning.end_reason(facts(payment_state="reversed")), "paid")
        self.assertEqual(planning.end_reason(facts(amount_residual=0.0)), "paid")
        self.assertEqual(planning.end_reason(facts(state="cancel")), "cancelled")
        self.assertEqual(planning.end_reason(facts(state="draft")), "cancelled")
        self.assertEqual(planning.end_reason(facts(), excluded=True), "excluded")
        self.assertEqual(
            planning.end_reason(facts(amount_residual=4.0), minimum_amount=5.0),
            "below_minimum",
        )
        self.assertIsNone(
            planning.end_reason(
                facts(payment_state="partial", amount_residual=5.0), 5.0
            )
        )

    def test_submission_problems(self):
        self.assertIsNone(planning.submission_problem(facts()))
        self.assertEqual(
            planning.submission_problem(facts(move_type="in_invoice")),
            "not_customer_invoice",
        )
        self.assertEqual(
            planning.submission_problem(facts(move_type="out_refund")),
            "not_customer_invoice",
        )
        self.assertEqual(
            planning.submission_problem(facts(state="draft")), "not_posted"
        )
        self.assertEqual(
            planning.submission_problem(facts(payment_state="paid")), "paid"
        )
        for state in ("active", "on_hold", "handed_over"):
            self.assertEqual(
                planning.submission_problem(facts(dunning_state=state)),
                "already_running",
            )
        self.assertIsNone(planning.submission_problem(facts(dunning_state="done")))

    def test_policy_problems(self):
        self.assertEqual(planning.policy_problems(STANDARD, has_agency=True), [])
        self.assertEqual(
            planning.policy_problems([], has_agency=True), [("no_steps", None)]
        )
        self.assertIn(
            ("negative_offset", -1),
            planning.policy_problems([Step(1, -1, "reminder")], True),
        )
        self.assertIn(
            ("duplicate_offset", 7),
            planning.policy_problems(
                [Step(1, 7, "reminder"), Step(2, 7, "reminder")], True
            ),
        )
        self.assertIn(
            ("handover_without_agency", None),
            planning.policy_problems(STANDARD, has_agency=False),
        )
        self.assertIn(
            ("step_after_handover", 15),
            planning.policy_problems(STANDARD + [Step(4, 20, "reminder")], True),
        )

    def test_case_file_csv(self):
        data = case_file.to_csv(
            [
                {
                    "case_reference": "CASE/2026/00001",
                    "debtor_name": "Jansen, BV",
                    "invoice_number": "INV/2026/00001",
                    "amount_open": 120.5,
                    "due_date": date(2026, 3, 1),
                }
            ]
        ).decode()
        header, row = data.splitlines()
        self.assertTrue(header.startswith("Case reference,Debtor,"))
        self.assertIn('"Jansen, BV"', row)
        self.assertIn("INV/2026/00001", row)
        self.assertIn("120.50", row)
        self.assertIn("2026-03-01", row)
