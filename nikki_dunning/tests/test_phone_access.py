from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DAY0
from .phone_common import PhoneCase


@tagged("post_install", "-at_install")
class TestPhoneAccess(PhoneCase):
    """Sales staff make their own calls without any rights on invoices."""

    def setUp(self):
        super().setUp()
        self.invoice = self.make_called_invoice(self.jansen, 150.0)
        self.other_invoice = self.make_called_invoice(
            self.de_vries, 90.0, salesperson=self.other_salesperson
        )
        self.submit_on(DAY0, self.invoice | self.other_invoice)
        self.calls_on(DAY0)
        self.call = self.open_call(self.jansen)
        self.other_call = self.open_call(self.de_vries)

    def test_a_salesperson_has_no_accounting_rights(self):
        sales = self.salesperson
        self.assertTrue(sales.has_group("nikki_dunning.group_dunning_caller"))
        self.assertFalse(sales.has_group("nikki_dunning.group_dunning_user"))
        self.assertFalse(sales.has_group("account.group_account_invoice"))
        with self.assertRaises(AccessError):
            self.invoice.with_user(sales).read(["name"])
        with self.assertRaises(AccessError):
            self.env["nikki.dunning.log"].with_user(sales).search([])
        with self.assertRaises(AccessError):
            self.call.with_user(sales).line_ids.read(["move_id"])

    def test_a_salesperson_sees_and_completes_their_own_calls(self):
        sales = self.salesperson
        calls = self.Call.with_user(sales)
        self.assertEqual(calls.search([]), self.call, "only their own calls")
        [row] = calls.search_read(
            [], ["partner_id", "phone", "mobile", "amount_due", "date_due", "state"]
        )
        self.assertEqual(row["partner_id"][0], self.jansen.id)
        self.assertEqual(row["phone"], "+31 20 555 0101")
        self.assertEqual(row["amount_due"], 150.0)
        [line] = self.call.with_user(sales).line_ids.read(
            ["name", "invoice_date_due", "amount_residual", "last_step"]
        )
        self.assertEqual(line["name"], self.invoice.name)
        self.assertEqual(line["last_step"], "First reminder")
        # the activity on the customer is theirs, the partner form offers it
        activity = (
            self.env["mail.activity"]
            .with_user(sales)
            .search([("user_id", "=", sales.id)])
        )
        self.assertEqual(activity, self.call.activity_id)
        self.assertEqual(self.jansen.with_user(sales).dunning_call_id, self.call)
        self.assertFalse(self.de_vries.with_user(sales).dunning_call_id)

        promised = DAY0 + timedelta(days=3)
        self.record(self.call, "promise", DAY0, user=sales, promise_date=promised)
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.invoice.dunning_state, "on_hold")
        self.assertEqual(self.invoice.dunning_hold_until, promised + timedelta(days=1))
        hold = self.call_logs(self.invoice, "hold")
        self.assertEqual(hold.user_id, sales, "the history says who did it")

    def test_a_salesperson_cannot_touch_other_calls(self):
        sales = self.salesperson
        with self.assertRaises(AccessError):
            self.other_call.with_user(sales).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.record(self.other_call, "reached", DAY0, user=sales)
        with self.assertRaises(AccessError):
            self.call.with_user(sales).write({"state": "done"})
        with self.assertRaises(AccessError):
            self.call.with_user(sales).unlink()
        self.assertEqual(self.other_call.state, "open")
        self.assertEqual(self.call.state, "open")
        self.assertEqual(self.other_invoice.dunning_state, "active")

    def test_sales_managers_and_accountants_see_all_calls(self):
        manager = new_test_user(
            self.env,
            login="phone_manager",
            groups="sales_team.group_sale_salesman_all_leads",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        both = self.call | self.other_call
        self.assertEqual(self.Call.with_user(manager).search([]), both)
        self.assertEqual(self.Call.with_user(self.accountant).search([]), both)
        # a manager covers for a colleague
        self.record(self.other_call, "not_reached", DAY0, user=manager)
        self.assertEqual(self.other_call.state, "done")
        log = self.call_logs(self.other_invoice, "call_not_reached")
        self.assertEqual(log.user_id, manager)

    def test_the_screens_open_for_a_salesperson(self):
        sales = self.salesperson
        for model, views in (
            ("nikki.dunning.call", ["list", "form", "search"]),
            ("nikki.dunning.call.outcome", ["form"]),
            ("res.partner", ["form"]),
        ):
            result = (
                self.env[model]
                .with_user(sales)
                .get_views([(False, view) for view in views])
            )
            self.assertEqual(set(result["views"]), set(views), model)
        form = self.env["res.partner"].with_user(sales).get_views([(False, "form")])
        self.assertIn("action_open_dunning_call", form["views"]["form"]["arch"])
        self.assertNotIn("dunning_policy_id", form["views"]["form"]["arch"])
        action = self.jansen.with_user(sales).action_open_dunning_call()
        self.assertEqual(action["res_id"], self.call.id)

    def test_my_dunning_calls_menu(self):
        menus = self.env["ir.ui.menu"].with_user(self.salesperson)._visible_menu_ids()
        self.assertIn(self.env.ref("nikki_dunning.menu_my_dunning_calls").id, menus)
        self.assertNotIn(self.env.ref("nikki_dunning.menu_all_dunning_calls").id, menus)
        self.assertNotIn(self.env.ref("nikki_dunning.menu_dunning").id, menus)
        action = self.env.ref("nikki_dunning.action_my_dunning_calls")
        self.assertIn("search_default_my_calls", action.context)
        self.assertIn("search_default_due", action.context)
        accountant_menus = (
            self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        )
        self.assertIn(
            self.env.ref("nikki_dunning.menu_dunning_call").id, accountant_menus
        )
