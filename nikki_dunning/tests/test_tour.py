from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestSubmitTour(DunningCase, HttpCase):
    """An accountant submits an overdue invoice from the invoice list."""

    def test_submit_from_the_invoice_list(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Customer BV",
                "is_company": True,
                "email": "tour@example.com",
            }
        )
        today = fields.Date.context_today(self.env.user)
        invoice = self.make_invoice(customer, 321.0, due=today - timedelta(days=3))
        new_test_user(
            self.env,
            login="tour_accountant",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.start_tour(
            "/web#action=account.action_move_out_invoice_type",
            "nikki_dunning_submit_tour",
            login="tour_accountant",
        )
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_start_date, today)
        mail = self.dunning_mails(customer)
        self.assertEqual(len(mail), 1)
        self.assertIn(invoice.name, mail.body_html)


@tagged("post_install", "-at_install")
class TestReceivablesImportTour(DunningCase, HttpCase):
    """An accountant uploads a club's list in the browser."""

    def test_submit_a_receivables_list_in_the_browser(self):
        new_test_user(
            self.env,
            login="tour_importer",
            groups="base.group_user,account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.start_tour(
            "/web#action=nikki_dunning.action_receivables_batch",
            "nikki_dunning_import_tour",
            login="tour_importer",
        )
        batch = self.env["nikki.receivables.batch"].search(
            [("filename", "=", "leden.csv")]
        )
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.user_id.login, "tour_importer")
        self.assertEqual(
            batch.line_ids.sorted("row_number").mapped("state"),
            ["imported", "imported", "rejected"],
        )
        moves = batch.line_ids.move_id
        self.assertEqual(sorted(moves.mapped("ref")), ["TOUR-001", "TOUR-002"])
        self.assertEqual(set(moves.mapped("amount_residual")), {45.5})
        self.assertEqual(set(moves.mapped("dunning_state")), {"active"})
        for move in moves:
            self.assertEqual(len(self.dunning_mails(move.partner_id)), 1)
