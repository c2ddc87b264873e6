"""What a letter says, on plain data."""

from datetime import date

from odoo.tests import BaseCase, tagged

from ..services import letter


@tagged("post_install", "-at_install")
class TestLetterRules(BaseCase):
    def test_placeholders_are_filled_and_escaped(self):
        text = letter.fill_placeholders(
            "<p>Dear {contact}, pay {total_due} to {company}. {unknown}</p>",
            {"contact": "Anna <b>", "total_due": "€ 10.00", "company": "Club"},
        )
        self.assertEqual(
            str(text),
            "<p>Dear Anna &lt;b&gt;, pay € 10.00 to Club. {unknown}</p>",
        )
        self.assertEqual(str(letter.fill_placeholders(False, {})), "")

    def test_notice_only_for_overdue_consumer_invoices(self):
        today = date(2026, 3, 2)
        self.assertTrue(letter.is_notice_allowed("consumer", date(2026, 3, 1), today))
        self.assertFalse(letter.is_notice_allowed("consumer", today, today))
        self.assertFalse(letter.is_notice_allowed("consumer", date(2026, 3, 9), today))
        self.assertTrue(
            letter.is_notice_allowed("business", date(2026, 3, 9), today),
            "the fourteen-day rule protects consumers only",
        )

    def test_costs_statement(self):
        deadline = date(2026, 3, 17)
        self.assertEqual(
            letter.costs_statement(True, deadline, date(2026, 3, 2), 40), "notice"
        )
        self.assertEqual(
            letter.costs_statement(False, deadline, date(2026, 3, 9), 40), "pending"
        )
        self.assertEqual(
            letter.costs_statement(False, deadline, date(2026, 3, 17), 40), "owed"
        )
        self.assertIsNone(letter.costs_statement(False, deadline, date(2026, 3, 9), 0))
        self.assertIsNone(letter.costs_statement(False, None, date(2026, 3, 9), 40))
