from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .agency_common import HANDOVER_DAY, AgencyCase
from .common import DAY0


@tagged("post_install", "-at_install")
class TestAgencyMultiCompany(AgencyCase):
    """Two companies hand over to the same (shared) agency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.company_b.email = "billing@b.example.com"
        cls.invoice_a = cls.make_invoice(cls.de_vries, 100.0)
        cls.invoice_b = cls.make_invoice(cls.de_vries, 200.0, company=cls.company_b)
        cls.user_a = new_test_user(
            cls.env,
            login="agency_billing_a",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def hand_over_both(self):
        for company in (self.company, self.company_b):
            for day in (0, 7, 15):  # auto-enrolled on Day 0
                self.run_on(DAY0 + timedelta(days=day), company=company)
        return self.invoice_a.dunning_case_id, self.invoice_b.dunning_case_id

    def test_cases_and_files_stay_within_their_company(self):
        case_a, case_b = self.hand_over_both()
        self.assertNotEqual(case_a, case_b, "one case per company")
        self.assertEqual(case_a.company_id, self.company)
        self.assertEqual(case_b.company_id, self.company_b)
        file_a, file_b = self.files_out(), self.files_out(self.company_b)
        self.assertEqual(len(file_a), 1)
        self.assertEqual(len(file_b), 1)
        self.assertEqual(
            [row["Open amount"] for row in self.csv_rows(file_a.attachment_id)],
            ["100.00"],
        )
        self.assertEqual(
            [row["Open amount"] for row in self.csv_rows(file_b.attachment_id)],
            ["200.00"],
        )
        self.assertIn("b.example.com", self.agency_mails()[-1].email_from)
        # a user of company A sees A's cases and files only
        env = self.env(user=self.user_a)
        self.assertEqual(env["nikki.collection.case"].search([]), case_a)
        self.assertEqual(env["nikki.collection.exchange"].search([]), file_a)
        self.assertEqual(
            env["nikki.collection.exchange.line"].search([]).exchange_id, file_a
        )
        with self.assertRaises(AccessError):
            env["nikki.collection.exchange"].browse(file_b.id).read(["name"])
        with self.assertRaises(AccessError):
            env["ir.attachment"].browse(file_b.attachment_id.id).read(["datas"])
        self.assertEqual(
            self.agency.with_user(self.user_a).collection_exchange_count, 1
        )

    def test_a_status_file_acts_in_its_company_only(self):
        case_a, case_b = self.hand_over_both()
        file = self.import_status(
            self.status_csv(
                [
                    (case_b.name, self.invoice_b.name, "collected", "200", "", ""),
                    (case_a.name, self.invoice_a.name, "returned", "0", "", ""),
                ]
            ),
            user=self.user_a,
        )
        self.assertEqual(file.company_id, self.company)
        self.assertEqual(file.line_ids.mapped("result"), ["rejected", "applied"])
        self.assertIn("Unknown case reference", file.line_ids[0].message)
        self.assertEqual(case_b.state, "in_collection")
        self.assertEqual(self.invoice_b.amount_residual, 200.0)
        self.assertEqual(case_a.state, "returned")

    def test_a_direct_payment_is_told_in_its_company_file(self):
        case_a, case_b = self.hand_over_both()
        self.pay(self.invoice_b, on=HANDOVER_DAY + timedelta(days=1))
        self.env.cr.flush()
        self.assertEqual(case_b.line_ids.state, "paid_directly")
        self.run_on(HANDOVER_DAY + timedelta(days=2))
        self.assertEqual(len(self.files_out()), 1, "company A's run sends nothing")
        self.run_on(HANDOVER_DAY + timedelta(days=2), company=self.company_b)
        notice = self.files_out(self.company_b)[-1]
        self.assertEqual(notice.notice_count, 1)
        self.assertEqual(case_a.state, "in_collection")
