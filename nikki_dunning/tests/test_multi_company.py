from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestMultiCompany(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.company_b.email = "billing@b.example.com"
        cls.invoice_a = cls.make_invoice(cls.de_vries, 100.0)
        cls.invoice_b = cls.make_invoice(cls.de_vries, 200.0, company=cls.company_b)

    def test_a_run_never_acts_for_another_company(self):
        self.run_on(DAY0 + timedelta(days=1))
        self.assertEqual(self.invoice_a.dunning_state, "active")
        self.assertEqual(self.invoice_b.dunning_state, "none")
        self.run_on(DAY0 + timedelta(days=1), company=self.company_b)
        self.assertEqual(self.invoice_b.dunning_state, "active")
        mails = self.dunning_mails(self.de_vries)
        self.assertEqual(len(mails), 2, "one email per company")
        for mail in mails:
            communication = self.env["nikki.dunning.communication"].browse(mail.res_id)
            self.assertEqual(len(communication.log_ids.move_id.company_id), 1)
        by_company = {
            self.env["nikki.dunning.communication"].browse(mail.res_id).company_id: mail
            for mail in mails
        }
        body_b = by_company[self.company_b].body_html
        self.assertIn(f"/my/invoices/{self.invoice_b.id}?", body_b)
        self.assertNotIn(f"/my/invoices/{self.invoice_a.id}?", body_b)
        self.assertIn("b.example.com", by_company[self.company_b].email_from)

    def test_the_standard_policy_serves_a_company_without_one(self):
        self.company_b.dunning_policy_id = False
        self.run_on(DAY0 + timedelta(days=1), company=self.company_b)
        self.assertEqual(self.invoice_b.dunning_policy_id, self.policy)

    def test_customer_policy_is_per_company(self):
        policy_b = self.policy.copy({"company_id": self.company_b.id})
        self.de_vries.with_company(self.company_b).dunning_policy_id = policy_b
        self.run_on(DAY0 + timedelta(days=1))
        self.run_on(DAY0 + timedelta(days=1), company=self.company_b)
        self.assertEqual(self.invoice_a.dunning_policy_id, self.policy)
        self.assertEqual(self.invoice_b.dunning_policy_id, policy_b)

    def test_users_see_only_their_companies(self):
        self.run_on(DAY0 + timedelta(days=1))
        self.run_on(DAY0 + timedelta(days=1), company=self.company_b)
        policy_b = self.policy.copy({"company_id": self.company_b.id, "name": "B only"})
        user_a = new_test_user(
            self.env,
            login="billing_a",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        env = self.env(user=user_a)
        logs = env["nikki.dunning.log"].search([])
        self.assertEqual(logs.move_id, self.invoice_a)
        self.assertEqual(
            env["nikki.dunning.communication"].search([]).company_id, self.company
        )
        policies = env["nikki.dunning.policy"].search([])
        self.assertIn(self.policy, policies)
        self.assertNotIn(policy_b, policies)
        with self.assertRaises(AccessError):
            env["account.move"].browse(self.invoice_b.id).action_dunning_submit()
