from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .report_common import DunningReportCase

# the first of the month after the hand-built history (March 2026)
FIRST_OF_APRIL = date(2026, 4, 1)


@tagged("post_install", "-at_install")
class TestDigest(DunningReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.manager = new_test_user(
            cls.env,
            login="dunning_manager_a",
            name="Manager A",
            email="manager.a@company.example.com",
            groups="base.group_user,nikki_dunning.group_dunning_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.manager_b = new_test_user(
            cls.env,
            login="dunning_manager_b",
            name="Manager B",
            email="manager.b@b.example.com",
            groups="base.group_user,nikki_dunning.group_dunning_manager",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
        )
        cls.billing = new_test_user(
            cls.env,
            login="billing_clerk_a",
            email="clerk@company.example.com",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def send(self, day=FIRST_OF_APRIL):
        with freeze_time(day):
            return self.env["nikki.dunning.digest"]._cron_send()

    def digest_for(self, mails, user):
        mail = mails.filtered(lambda m: user.partner_id in m.recipient_ids)
        self.assertEqual(len(mail), 1, f"one digest for {user.name}")
        return mail

    def text(self, mail):
        return " ".join(
            mail.body_html.replace("\xa0", " ").replace("\u202f", " ").split()
        )

    def test_managers_get_the_figures_of_the_month_just_ended(self):
        a, b, c, d = self.build_history()
        mails = self.send()
        mail = self.digest_for(mails, self.manager)
        self.assertNotIn(self.billing.partner_id, mail.recipient_ids)
        self.assertNotIn(self.manager_b.partner_id, mail.recipient_ids)
        self.assertIn("March 2026", mail.subject)
        self.assertIn(self.company.name, mail.subject)
        body = self.text(mail)
        symbol = self.company.currency_id.symbol
        # headline figures: D is open with the agency; A, B, C paid in March
        self.assertRegex(body, r"Open overdue</td> <td[^>]*>[^<]*400\.00<")
        self.assertIn("With the agency", body)
        self.assertRegex(body, r"Recovered last month</td> <td[^>]*>[^<]*600\.00")
        self.assertIn(symbol, body)
        self.assertRegex(body, r"DSO[^<]*</td> <td[^>]*>36\.0<")
        # steps in March: 4 invoices on Day 0, 3 on Day 7, 2 handed over
        self.assertRegex(body, r">0</td> <td>Reminder</td> <td[^>]*>4</td>")
        self.assertRegex(body, r">7</td> <td>Reminder</td> <td[^>]*>3</td>")
        self.assertRegex(body, r">15</td> <td>Hand-over to Agency</td> <td[^>]*>2</td>")
        self.assertIn("25.0%", body, "Day 0: 1 of 4 paid within 7 days")
        # C and D were handed over
        self.assertIn("Customer C", body)
        self.assertIn("Customer D", body)
        self.assertNotIn("Customer A", body)
        action = self.env.ref("nikki_dunning.action_dunning_dashboard")
        self.assertIn(f"/web#action={action.id}", mail.body_html)
        self.assertEqual(self.company.dunning_digest_month, date(2026, 3, 1))

    def test_a_month_is_reported_once(self):
        self.build_history()
        first = self.send()
        self.digest_for(first, self.manager)
        again = self.send(date(2026, 4, 15))
        self.assertFalse(
            again.filtered(lambda m: self.manager.partner_id in m.recipient_ids),
            "no second digest for March",
        )
        may = self.send(date(2026, 5, 1))
        mail = self.digest_for(may, self.manager)
        self.assertIn("April 2026", mail.subject)
        self.assertIn("No dunning step ran that month.", mail.body_html)

    def test_each_company_reports_its_own_figures(self):
        self.build_history()
        invoice_b = self.make_invoice(self.de_vries, 777.0, company=self.company_b)
        self.run_on(date(2026, 3, 3), company=self.company_b)
        self.assertEqual(invoice_b.dunning_state, "active")
        mails = self.send()
        body_a = self.text(self.digest_for(mails, self.manager))
        body_b = self.text(self.digest_for(mails, self.manager_b))
        self.assertNotIn("777.00", body_a)
        self.assertIn("777.00", body_b)
        self.assertNotIn("Customer D", body_b)
        self.assertIn("Customer D", body_a)

    def test_each_language_gets_the_same_figures_read_once(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["nikki_dunning"], ["nl_NL"])
        dutch = new_test_user(
            self.env,
            login="dunning_manager_nl",
            name="Manager NL",
            email="manager.nl@company.example.com",
            lang="nl_NL",
            groups="base.group_user,nikki_dunning.group_dunning_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.assertEqual(self.manager.lang, "en_US")
        self.build_history()
        Dashboard = self.registry["nikki.dunning.dashboard"]
        with patch.object(
            Dashboard, "_figures", autospec=True, side_effect=Dashboard._figures
        ) as figures:
            mails = self.send()
        self.assertEqual(
            [call.args[1] for call in figures.call_args_list].count(self.company),
            1,
            "the figures are read once per company, not once per language",
        )
        english = self.digest_for(mails, self.manager)
        nl = self.digest_for(mails, dutch)
        self.assertNotEqual(english, nl)
        self.assertNotIn(dutch.partner_id, english.recipient_ids)
        self.assertIn("March 2026", english.subject)
        self.assertIn("maart 2026", nl.subject)
        body_en, body_nl = self.text(english), self.text(nl)
        self.assertRegex(body_en, r"Open overdue</td> <td[^>]*>[^<]*400\.00<")
        self.assertRegex(body_nl, r"Vervallen en openstaand</td> <td[^>]*>[^<]*400,00<")
        self.assertRegex(body_en, r"Recovered last month</td> <td[^>]*>[^<]*600\.00")
        self.assertRegex(
            body_nl, r"Vorige maand binnengehaald</td> <td[^>]*>[^<]*600,00"
        )
        for body in (body_en, body_nl):
            self.assertRegex(body, r"</td> <td[^>]*>36\.0<", "DSO")
            self.assertRegex(body, r">0</td> <td>[^<]+</td> <td[^>]*>4</td>")
            self.assertRegex(body, r">7</td> <td>[^<]+</td> <td[^>]*>3</td>")
            self.assertRegex(body, r">15</td> <td>[^<]+</td> <td[^>]*>2</td>")
            self.assertIn("25.0%", body, "Day 0: 1 of 4 paid within 7 days")
            self.assertIn("Customer C", body)
            self.assertIn("Customer D", body)
            self.assertNotIn("Customer A", body)

    def test_managers_without_email_get_nothing(self):
        self.manager.email = False
        self.build_history()
        mails = self.send()
        self.assertFalse(
            mails.filtered(lambda m: self.manager.partner_id in m.recipient_ids)
        )

    def test_the_digest_is_off_until_switched_on(self):
        cron = self.env.ref("nikki_dunning.ir_cron_dunning_digest")
        self.assertFalse(cron.active)
        self.assertEqual(cron.interval_type, "months")
        Settings = self.env["res.config.settings"]
        self.assertFalse(Settings.default_get(["dunning_digest"])["dunning_digest"])
        Settings.create({"dunning_digest": True}).execute()
        self.assertTrue(cron.active)
        self.assertTrue(Settings.default_get(["dunning_digest"])["dunning_digest"])
        Settings.create({"dunning_digest": False}).execute()
        self.assertFalse(cron.active)
