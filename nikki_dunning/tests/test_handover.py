from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .agency_common import HANDOVER_DAY, AgencyCase
from .common import DAY0

EXPORT = "odoo.addons.nikki_dunning.models.collection_exchange"


@tagged("post_install", "-at_install")
class TestHandover(AgencyCase):
    def test_handover_creates_then_extends_one_case(self):
        first = self.make_invoice(self.jansen, 200.0)
        second = self.make_invoice(self.jansen, 80.0)
        self.submit_on(DAY0, first)
        self.submit_on(DAY0 + timedelta(days=5), second)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=12))

        self.run_on(HANDOVER_DAY)
        case = first.dunning_case_id
        self.assertEqual(case.state, "in_collection")
        self.assertEqual(case.move_ids, first)
        self.assertEqual(second.dunning_state, "active")

        self.run_on(DAY0 + timedelta(days=20))
        self.assertEqual(second.dunning_case_id, case, "the open case is extended")
        self.assertEqual(case.move_ids, first | second)
        self.assertEqual(case.amount_handed_over, 280.0)
        self.assertEqual(
            self.env["nikki.collection.case"].search_count(
                [("partner_id", "=", self.jansen.id)]
            ),
            1,
        )
        files = self.files_out()
        self.assertEqual(len(files), 2, "one file per hand-over run")
        self.assertEqual(
            [row["Invoice number"] for row in self.csv_rows(files[0].attachment_id)],
            [first.name],
        )
        self.assertEqual(
            [row["Invoice number"] for row in self.csv_rows(files[1].attachment_id)],
            [second.name],
        )
        mails = self.agency_mails()
        self.assertEqual(len(mails), 2)
        self.assertEqual(mails.attachment_ids, files.attachment_id)
        self.assertEqual(mails.recipient_ids, self.agency)
        self.assertEqual(case.exchange_ids, files)
        self.assertEqual(
            len(
                self.env["ir.attachment"].search(
                    [("res_model", "=", case._name), ("res_id", "=", case.id)]
                )
            ),
            2,
            "each case file stays on the case",
        )
        self.assertEqual(case.line_ids.export_exchange_id, files)

    def test_one_file_per_run_and_agency_with_every_case(self):
        jansen = self.make_invoice(self.jansen, 200.0)
        de_vries = self.make_invoice(self.de_vries, 50.0)
        self.hand_over(jansen | de_vries)
        file = self.files_out()
        self.assertEqual(len(file), 1)
        self.assertEqual(file.new_count, 2)
        self.assertEqual(
            sorted(row["Invoice number"] for row in self.csv_rows(file.attachment_id)),
            sorted([jansen.name, de_vries.name]),
        )
        self.assertEqual(file.case_ids, (jansen | de_vries).dunning_case_id)
        # each case keeps its own part of the file, not the other debtor's
        for invoice, other in ((jansen, de_vries), (de_vries, jansen)):
            case = invoice.dunning_case_id
            attachment = case.line_ids.attachment_id
            self.assertEqual(attachment.res_id, case.id)
            rows = self.csv_rows(attachment)
            self.assertEqual([row["Invoice number"] for row in rows], [invoice.name])
            self.assertNotIn(other.partner_id.name, attachment.raw.decode())
        mail = self.agency_mails()
        self.assertIn(jansen.name, mail.body_html)
        self.assertIn(de_vries.dunning_case_id.name, mail.body_html)

    def test_case_file_row_by_row_and_nothing_more(self):
        self.jansen.write(
            {
                "street": "Dorpsstraat 1",
                "street2": "Unit 4",
                "zip": "1234 AB",
                "city": "Utrecht",
                "country_id": self.env.ref("base.nl").id,
                "phone": "+31 30 123 4567",
                "ref": "DEB-42",
                "vat": "NL123456782B01",
                "company_registry": "30123456",
                "comment": "Internal: difficult customer",
            }
        )
        handed = self.make_invoice(self.jansen, 200.0)
        handed.message_post(body="Internal: gave them a discount once")
        not_due = self.make_invoice(self.jansen, 99.0, due=DAY0 + timedelta(days=30))
        company_b = self.setup_other_company(name="Company B")["company"]
        other_company = self.make_invoice(self.jansen, 77.0, company=company_b)
        self.submit_on(DAY0, handed)
        with freeze_time(DAY0 + timedelta(days=2)):
            handed._dunning_hold("Disputes the delivery date")
            handed.action_dunning_resume()
        self.run_on(DAY0 + timedelta(days=7))
        self.pay(handed, amount=50.0, on=DAY0 + timedelta(days=10))
        self.run_on(HANDOVER_DAY)

        file = self.files_out()
        (row,) = self.csv_rows(file.attachment_id)
        case = handed.dunning_case_id
        expected = {
            "Case reference": case.name,
            "Debtor": "Jansen BV",
            "Debtor number": "DEB-42",
            "Company or consumer": "company",
            "Street": "Dorpsstraat 1 Unit 4",
            "Zip": "1234 AB",
            "City": "Utrecht",
            "Country": "NL",
            "Email": "info@jansen.example.com",
            "Phone": "+31 30 123 4567",
            "VAT number": "NL123456782B01",
            "Chamber of commerce number": "30123456",
            "Language": "en_US",
            "Invoice number": handed.name,
            "Status": "new",
            "Status date": str(HANDOVER_DAY),
            "Note to agency": "",
            "Description": "Membership fee",
            "Invoice date": str(handed.invoice_date),
            "Due date": str(DAY0 - timedelta(days=1)),
            "Currency": handed.currency_id.name,
            "Original amount": "200.00",
            "Open amount": "150.00",
        }
        for column, value in expected.items():
            self.assertEqual(row[column], value, column)
        self.assertEqual(
            row["Disputes"], f"{DAY0 + timedelta(days=2)} Disputes the delivery date"
        )
        steps = self.policy.step_ids.sorted("day_offset")
        self.assertEqual(
            row["Reminders sent"],
            f"{DAY0} {steps[0].name} (email); "
            f"{DAY0 + timedelta(days=7)} {steps[1].name} (email)",
        )
        raw = file.attachment_id.raw.decode()
        self.assertEqual(other_company.name, handed.name, "own sequence per company")
        for absent in (
            not_due.name,
            "99.00",
            "77.00",
            "difficult customer",
            "discount once",
            "Jansen Accounts",  # the invoice contact is not the debtor
        ):
            self.assertNotIn(absent, raw)
        self.assertEqual(case.line_ids.amount_handed_over, 150.0)

    def test_case_file_in_xlsx_for_an_agency_that_wants_it(self):
        self.agency.collection_file_format = "xlsx"
        invoice = self.make_invoice(self.de_vries, 120.5)
        self.hand_over(invoice)
        file = self.files_out()
        self.assertEqual(file.file_format, "xlsx")
        self.assertTrue(file.attachment_id.name.endswith(".xlsx"))
        self.assertEqual(
            file.attachment_id.mimetype,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        (row,) = self.xlsx_rows(file.attachment_id)
        self.assertEqual(row["Case reference"], invoice.dunning_case_id.name)
        self.assertEqual(row["Debtor"], "Anna de Vries")
        self.assertEqual(row["Company or consumer"], "consumer")
        self.assertEqual(row["Invoice number"], invoice.name)
        self.assertEqual(row["Status"], "new")
        self.assertEqual(row["Original amount"], 120.5)
        self.assertEqual(row["Open amount"], 120.5)
        self.assertEqual(
            row["Due date"],
            datetime.combine(invoice.invoice_date_due, datetime.min.time()),
        )
        self.assertIsNone(row["Debtor number"])
        case_attachment = invoice.dunning_case_id.line_ids.attachment_id
        self.assertEqual(self.xlsx_rows(case_attachment), [row])

    def test_approval_mode_keeps_cases_until_the_accountant_sends(self):
        self.agency.collection_send_mode = "approval"
        jansen = self.make_invoice(self.jansen, 200.0)
        de_vries = self.make_invoice(self.de_vries, 50.0)
        self.hand_over(jansen | de_vries)
        cases = (jansen | de_vries).dunning_case_id
        self.assertEqual(set(cases.mapped("state")), {"to_send"})
        self.assertEqual(cases.mapped("to_send_count"), [1, 1])
        self.assertEqual(jansen.dunning_state, "handed_over")
        self.assertFalse(self.files_out())
        self.assertFalse(self.agency_mails())
        self.run_on(HANDOVER_DAY + timedelta(days=1))
        self.assertFalse(self.files_out(), "the nightly run does not send them")

        with freeze_time(HANDOVER_DAY + timedelta(days=2)):
            action = jansen.dunning_case_id.action_send_to_agency()
        file = self.files_out()
        self.assertEqual(action["res_id"], file.id)
        self.assertEqual(
            [row["Invoice number"] for row in self.csv_rows(file.attachment_id)],
            [jansen.name],
            "only the approved case",
        )
        self.assertEqual(jansen.dunning_case_id.state, "in_collection")
        self.assertEqual(de_vries.dunning_case_id.state, "to_send")
        self.assertEqual(len(self.agency_mails()), 1)
        with self.assertRaisesRegex(UserError, "Nothing of these cases"):
            jansen.dunning_case_id.action_send_to_agency()

    def test_a_billing_user_approves_and_sends(self):
        self.agency.collection_send_mode = "approval"
        billing = new_test_user(
            self.env,
            login="agency_approver",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        case = self.hand_over(self.make_invoice(self.de_vries))
        case.with_user(billing).action_send_to_agency()
        self.assertEqual(case.state, "in_collection")
        self.assertEqual(self.files_out().user_id, billing)
        self.assertIn("Agency file", case.message_ids.mapped("body")[0])

    def test_cases_approved_together_go_in_one_file(self):
        self.agency.collection_send_mode = "approval"
        invoices = self.make_invoice(self.jansen, 200.0) | self.make_invoice(
            self.de_vries, 50.0
        )
        cases = self.hand_over(invoices)
        self.assertEqual(len(cases), 2)
        cases.action_send_to_agency()
        file = self.files_out()
        self.assertEqual(len(file), 1)
        self.assertEqual(file.new_count, 2)
        self.assertEqual(set(cases.mapped("state")), {"in_collection"})
        self.assertEqual(len(self.agency_mails()), 1)

    def test_case_file_email_goes_to_the_exchange_address(self):
        self.agency.collection_email = "dossiers@collectmasters.example.com"
        invoice = self.make_invoice(self.de_vries)
        self.hand_over(invoice)
        mail = self.agency_mails()
        self.assertEqual(mail.email_to, "dossiers@collectmasters.example.com")
        self.assertFalse(mail.recipient_ids)
        self.assertEqual(self.files_out().state, "queued")
        self.assertIn("case file", mail.subject)

    def test_handover_goes_to_the_policy_agency(self):
        agency = self.env["res.partner"].create(
            {
                "name": "Incasso Noord",
                "is_company": True,
                "is_collection_agency": True,
                "email": "dossiers@noord.example.com",
            }
        )
        self.policy.agency_id = agency
        invoice = self.make_invoice(self.de_vries)
        self.hand_over(invoice)
        self.assertEqual(invoice.dunning_case_id.agency_id, agency)
        self.assertEqual(self.agency_mails().recipient_ids, agency)
        self.assertEqual(self.files_out().agency_id, agency)

    def test_agency_without_email_gets_the_file_to_deliver_by_hand(self):
        self.agency.email = False
        invoice = self.make_invoice(self.de_vries)
        self.hand_over(invoice)
        self.assertFalse(self.agency_mails())
        file = self.files_out()
        self.assertEqual(file.state, "no_email")
        self.assertIn("no email address", file.message_ids[0].body)
        self.assertEqual(invoice.dunning_state, "handed_over")
        self.assertEqual(invoice.dunning_case_id.state, "in_collection")
        # once the address is known, the same file goes out
        self.agency.email = "cases@collectmasters.example.com"
        file.action_send_again()
        self.assertEqual(self.agency_mails().attachment_ids, file.attachment_id)
        self.assertEqual(file.state, "queued")
        with self.assertRaisesRegex(UserError, "can be sent again"):
            file.action_send_again()

    def test_file_can_be_downloaded_again(self):
        invoice = self.make_invoice(self.de_vries)
        self.hand_over(invoice)
        file = self.files_out()
        action = file.action_download()
        self.assertEqual(
            action["url"], f"/web/content/{file.attachment_id.id}?download=true"
        )
        self.assertEqual(self.agency_mails().attachment_ids.raw, file.attachment_id.raw)
        partner_action = self.agency.action_view_collection_exchanges()
        self.assertEqual(
            self.env["nikki.collection.exchange"].search(partner_action["domain"]),
            file,
        )
        self.assertEqual(self.agency.collection_exchange_count, 1)

    def test_file_is_attached_to_a_company_own_agency_only(self):
        shared = self.make_invoice(self.de_vries)
        self.hand_over(shared)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.agency.id)]
            ),
            "a shared agency partner is readable by every company",
        )
        own = self.agency.copy({"name": "Own Agency", "company_id": self.company.id})
        self.company.dunning_policy_id = self.policy.copy(
            {"company_id": self.company.id, "agency_id": own.id}
        )
        invoice = self.make_invoice(self.jansen)
        self.hand_over(invoice, day0=DAY0 + timedelta(days=1))
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", own.id)]
        )
        self.assertEqual(attachment.raw, self.files_out()[-1].attachment_id.raw)

    def test_failed_export_leaves_the_invoices_to_send_and_the_next_run_sends(self):
        invoice = self.make_invoice(self.de_vries)
        Exchange = self.registry["nikki.collection.exchange"]
        with (
            patch.object(Exchange, "_queue_mail", side_effect=OSError("disk full")),
            mute_logger(EXPORT),
        ):
            self.hand_over(invoice)
        case = invoice.dunning_case_id
        self.assertEqual(invoice.dunning_state, "handed_over")
        self.assertEqual(case.state, "to_send")
        self.assertFalse(case.line_ids.export_exchange_id)
        self.assertFalse(self.files_out(), "nothing half-made")
        self.assertFalse(self.agency_mails())

        self.run_on(HANDOVER_DAY + timedelta(days=1))
        self.run_on(HANDOVER_DAY + timedelta(days=2))
        self.assertEqual(len(self.files_out()), 1)
        self.assertEqual(len(self.agency_mails()), 1, "sent once")
        self.assertEqual(case.state, "in_collection")
