from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .phone_common import PhoneCase


@tagged("post_install", "-at_install")
class TestCallTour(PhoneCase, HttpCase):
    """A salesperson makes a dunning call and records a promise to pay."""

    def test_complete_a_call_with_a_promise(self):
        seller = new_test_user(
            self.env,
            login="tour_seller",
            name="Tess Seller",
            groups="base.group_user,sales_team.group_sale_salesman",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Call Customer BV",
                "is_company": True,
                "email": "calls@example.com",
                "phone": "+31 10 555 0404",
            }
        )
        today = fields.Date.context_today(seller)
        invoice = self.make_called_invoice(
            customer, 432.0, salesperson=seller, due=today - timedelta(days=3)
        )
        invoice.action_dunning_submit()
        # the tour runs on the real date: any day counts as a working day
        self.company.resource_calendar_id = False
        self.phone._cron_schedule_calls(company_ids=self.company.ids)
        call = self.open_call(customer)
        self.assertEqual(call.user_id, seller)

        self.start_tour(
            "/web#action=nikki_dunning.action_my_dunning_calls",
            "nikki_dunning_call_tour",
            login="tour_seller",
        )
        promised = today + timedelta(days=5)
        self.assertEqual(call.state, "done")
        self.assertEqual(call.outcome, "promise")
        self.assertEqual(call.promise_date, promised)
        self.assertEqual(call.note, "Pays after the weekend")
        self.assertEqual(invoice.dunning_state, "on_hold")
        self.assertEqual(invoice.dunning_hold_until, promised + timedelta(days=1))
        self.assertFalse(customer.activity_ids)
        self.assertEqual(self.call_logs(invoice, "call_promise").user_id, seller)
