"""The letters rendered for real (wkhtmltopdf) and read back as text."""

import io
import re
from datetime import date
from unittest.mock import patch

from pdfminer.high_level import extract_text

from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DAY0
from .letter_common import LetterCase

REPORT = "nikki_dunning.action_report_dunning_letter"


def pdf_text(pdf):
    return re.sub(r"\s+", " ", extract_text(io.BytesIO(pdf)))


@tagged("post_install", "-at_install")
class TestLetterPdf(LetterCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.engine = cls.engine.with_env(cls.env)
        cls.policy._first_step()._set_notice_action("pre_collection")
        cls.bank_account.acc_number = "NL91ABNA0417164300"

    def setUp(self):
        super().setUp()
        # Debian's wkhtmltopdf (unpatched Qt) warns about the header and
        # footer switches on every run; the letter body is what we check
        self.enterContext(mute_logger("odoo.addons.base.models.ir_actions_report"))

    def render(self, communications):
        pdf, report_format = self.env["ir.actions.report"]._render_qweb_pdf(
            REPORT, communications.ids
        )
        self.assertEqual(report_format, "pdf")
        return pdf

    def test_english_notice(self):
        first = self.make_invoice(self.de_vries, 1500.0)
        second = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, first | second)
        notice = self.communication(first, DAY0)
        text = pdf_text(self.render(notice))
        self.assertIn("Final notice before collection", text)
        self.assertIn("Dear Anna de Vries", text)
        for invoice in first | second:
            self.assertIn(invoice.name, text)
        self.assertIn("1,500.00", text)
        self.assertIn("2,500.00", text)
        self.assertIn(
            "within fourteen days from the day after this letter was delivered to you",
            text,
        )
        self.assertIn("extrajudicial collection costs of 375.00 €", text)
        self.assertIn("NL91ABNA0417164300", text)
        self.assertNotIn("14 days", text)

    def test_dutch_notice(self):
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(["nikki_dunning"], ["nl_NL"])
        self.de_vries.lang = "nl_NL"
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        text = pdf_text(self.render(self.communication(invoice, DAY0)))
        self.assertIn(invoice.name, text)
        self.assertIn(
            "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd",
            text,
        )
        self.assertIn("buitengerechtelijke incassokosten van 150,00 €", text)
        self.assertIn("Geachte Anna de Vries", text)
        self.assertIn("Openstaand bedrag", text)
        self.assertNotIn("fourteen", text)

    def test_later_reminder_repeats_the_deadline(self):
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        self.run_on(self.day(7))
        text = pdf_text(self.render(self.communication(invoice, self.day(7))))
        self.assertIn("Payment reminder", text)
        self.assertIn("In our letter of 03/02/2026", text)
        self.assertIn("That term ends on 03/16/2026", text)
        self.assertIn("collection costs of 150.00 € from 03/17/2026", text)

    def test_handover_letter_after_the_deadline_claims_the_costs(self):
        self.policy.charge_interest = True
        invoice = self.make_invoice(self.de_vries, 1000.0, due=date(2026, 2, 1))
        self.submit_on(DAY0, invoice)
        self.run_on(self.day(7))
        self.run_on(self.day(15))  # 17 March: costs owed since the email notice
        text = pdf_text(self.render(self.communication(invoice, self.day(15))))
        self.assertIn("handed over for collection", text)
        self.assertIn("CollectMasters", text)
        self.assertIn("The collection costs of 150.00 € are therefore owed", text)
        self.assertIn("Statutory interest", text)
        self.assertNotIn("Please transfer", text, "the agency collects now")

    def test_email_carries_the_letter_and_a_reprint_is_the_same_pdf(self):
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        notice = self.communication(invoice, DAY0)
        letters = notice.mail_id.attachment_ids.filtered(
            lambda attachment: attachment.name.startswith("Dunning letter")
        )
        self.assertEqual(len(letters), 1)
        self.assertIn(invoice.name, pdf_text(letters.raw))
        # the data changes; the reprint still is the letter as sent
        self.scale.bracket_ids.filtered(lambda b: b.amount_from == 0).rate = 20
        self.assertEqual(self.render(notice), letters.raw)

    def test_step_letter_text_with_placeholders_and_the_fallback(self):
        step = self.policy._first_step()
        step.letter_body = "<p>Hello {contact}, {company} asks {total_due}.</p>"
        step.letter_title = "Last call"
        invoice = self.make_invoice(self.de_vries, 1000.0)
        self.submit_on(DAY0, invoice)
        text = pdf_text(self.render(self.communication(invoice, DAY0)))
        self.assertIn("Last call", text)
        self.assertIn(
            f"Hello Anna de Vries, {self.company.name} asks 1,000.00 €.", text
        )
        self.assertIn("within fourteen days from the day after", text, "fixed part")

        step.write({"letter_body": "<p><br></p>", "letter_title": False})
        other = self.make_invoice(self.jansen, 300.0)
        self.submit_on(DAY0, other)
        text = pdf_text(self.render(self.communication(other, DAY0)))
        self.assertIn("Final notice before collection", text)
        self.assertIn("With this letter we give you a last opportunity", text)

    def test_batch_print_one_letter_per_customer(self):
        anna = self.make_invoice(self.de_vries, 100.0)
        anna_too = self.make_invoice(self.de_vries, 200.0)
        jansen = self.make_invoice(self.jansen, 300.0)
        self.submit_on(DAY0, anna | anna_too | jansen)
        self.run_on(self.day(7))
        action = (anna | anna_too | jansen).action_print_dunning_letters()
        communications = self.env["nikki.dunning.communication"].browse(
            action["context"]["active_ids"]
        )
        self.assertEqual(len(communications), 2, "one letter per customer")
        self.assertEqual(set(communications.mapped("date")), {self.day(7)}, "latest")
        text = pdf_text(self.render(communications))
        stored = self.env["ir.attachment"].search(
            [
                ("res_model", "=", communications._name),
                ("res_id", "in", communications.ids),
            ]
        )
        self.assertEqual(len(stored), 2, "each letter kept for reprints")
        for name in ("Anna de Vries", "Jansen", anna.name, anna_too.name, jansen.name):
            self.assertIn(name, text)
        # from history lines too
        action = self.step_logs(anna | jansen).action_print_dunning_letters()
        self.assertEqual(
            sorted(action["context"]["active_ids"]), sorted(communications.ids)
        )

    def test_batch_print_of_posted_letters_renders_each_once(self):
        other = self.env["res.partner"].create({"name": "Karel Zonder Mail"})
        first = self.make_invoice(self.no_email, 120.0)
        second = self.make_invoice(other, 80.0)
        self.submit_on(DAY0, first | second)
        communications = self.step_logs(first | second).communication_id
        self.assertEqual(set(communications.mapped("letter_channel")), {"post"})
        Attachment = self.env["ir.attachment"]
        domain = [
            ("res_model", "=", communications._name),
            ("res_id", "in", communications.ids),
        ]
        self.assertFalse(Attachment.search(domain), "nothing rendered yet")
        Report = type(self.env["ir.actions.report"])
        run_wkhtmltopdf, runs = Report._run_wkhtmltopdf, []

        def counted(report, *args, **kwargs):
            runs.append(report)
            return run_wkhtmltopdf(report, *args, **kwargs)

        with patch.object(Report, "_run_wkhtmltopdf", counted):
            action = (first | second).action_print_dunning_letters()
            pdf = self.render(communications.browse(action["context"]["active_ids"]))
            self.assertEqual(len(runs), 2, "one rendering per letter")
            # printed again: the stored letters, nothing rendered
            self.render(communications)
            self.assertEqual(len(runs), 2, "reprints are stored")
        text = pdf_text(pdf)
        for name in ("Piet Zonder Mail", "Karel Zonder Mail", first.name, second.name):
            self.assertIn(name, text)
        self.assertEqual(len(Attachment.search(domain)), 2, "kept for reprints")

    def test_a_billing_user_prints_and_the_letter_is_kept(self):
        user = new_test_user(
            self.env, login="nikki_printer", groups="account.group_account_invoice"
        )
        invoice = self.make_invoice(self.no_email, 250.0)
        self.submit_on(DAY0, invoice)
        action = invoice.with_user(user).action_print_dunning_letters()
        communication = self.communication(invoice, DAY0)
        self.assertEqual(action["context"]["active_ids"], communication.ids)
        pdf, _format = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_pdf(REPORT, communication.ids)
        )
        self.assertIn(invoice.name, pdf_text(pdf))
        self.assertEqual(pdf, self.render(communication), "the stored letter")
