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
