from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestAccess(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.billing = new_test_user(
            cls.env, login="nikki_billing", groups="account.group_account_invoice"
        )
        cls.salesperson = new_test_user(
            cls.env, login="nikki_sales", groups="sales_team.group_sale_salesman"
        )
        cls.invoice = cls.make_invoice(cls.de_vries)

    def test_billing_user_works_the_workflow(self):
        self.assertTrue(self.billing.has_group("nikki_dunning.group_dunning_user"))
        self.assertFalse(self.billing.has_group("nikki_dunning.group_dunning_manager"))
        invoice = self.invoice.with_user(self.billing)
        self.submit_on(DAY0, invoice)
        self.assertEqual(self.invoice.dunning_state, "active")
        self.assertEqual(len(self.dunning_mails()), 1)
        invoice._dunning_hold("Dispute")
        invoice.action_dunning_resume()
        invoice.action_dunning_stop()
        logs = self.env["nikki.dunning.log"].with_user(self.billing).search([])
        self.assertEqual(logs.mapped("action"), ["end", "resume", "hold", "reminder"])
        # but does not configure
        with self.assertRaises(AccessError):
            self.policy.with_user(self.billing).write({"auto_enrol_days": 4})
        with self.assertRaises(AccessError):
            logs.with_user(self.billing).unlink()

    def test_accounting_manager_configures(self):
        manager = new_test_user(
            self.env, login="nikki_manager", groups="account.group_account_manager"
        )
        self.assertTrue(manager.has_group("nikki_dunning.group_dunning_manager"))
        self.policy.with_user(manager).write({"auto_enrol_days": 4})
        self.assertEqual(self.policy.auto_enrol_days, 4)

    def test_salesperson_has_no_dunning_access(self):
        self.assertFalse(self.salesperson.has_group("nikki_dunning.group_dunning_user"))
        with self.assertRaises(AccessError):
            self.invoice.with_user(self.salesperson).action_dunning_submit()
        with self.assertRaises(AccessError):
            self.env["nikki.dunning.log"].with_user(self.salesperson).search([])
        with self.assertRaises(AccessError):
            self.env["nikki.collection.case"].with_user(self.salesperson).search([])
        self.assertEqual(self.invoice.dunning_state, "none")
