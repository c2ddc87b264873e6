import csv
import io
from datetime import timedelta

from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestHandover(DunningCase):
    def rows(self, attachment):
        return list(csv.DictReader(io.StringIO(attachment.raw.decode())))

    def test_handover_creates_then_extends_one_case(self):
        first = self.make_invoice(self.jansen, 200.0)
        second = self.make_invoice(self.jansen, 80.0)
        self.submit_on(DAY0, first)
        self.submit_on(DAY0 + timedelta(days=5), second)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=12))

        self.run_on(DAY0 + timedelta(days=15))
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
        mails = self.agency_mails()
        self.assertEqual(len(mails), 2, "one email per hand-over run")
        self.assertEqual(
            [row["Invoice number"] for row in self.rows(mails[0].attachment_ids)],
            [first.name],
        )
        self.assertEqual(
            [row["Invoice number"] for row in self.rows(mails[1].attachment_ids)],
            [second.name],
        )
        self.assertEqual(
            len(
                self.env["ir.attachment"].search(
                    [("res_model", "=", case._name), ("res_id", "=", case.id)]
                )
            ),
            2,
            "each case file stays on the case",
        )

    def test_case_file_holds_what_the_agency_needs_and_no_more(self):
        self.jansen.write(
            {
                "street": "Dorpsstraat 1",
                "zip": "1234 AB",
                "city": "Utrecht",
                "country_id": self.env.ref("base.nl").id,
                "phone": "+31 30 123 4567",
                "ref": "DEB-42",
                "comment": "Internal: difficult customer",
            }
        )
        handed = self.make_invoice(self.jansen, 200.0)
        not_due = self.make_invoice(self.jansen, 99.0, due=DAY0 + timedelta(days=30))
        self.submit_on(DAY0, handed)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=15))

        attachment = self.agency_mails().attachment_ids
        (row,) = self.rows(attachment)
        self.assertEqual(row["Case reference"], handed.dunning_case_id.name)
        self.assertEqual(row["Debtor"], "Jansen BV")
        self.assertEqual(row["Debtor number"], "DEB-42")
        self.assertEqual(row["Company or consumer"], "company")
        self.assertEqual(row["Street"], "Dorpsstraat 1")
        self.assertEqual(row["Country"], "NL")
        self.assertEqual(row["Email"], "info@jansen.example.com")
        self.assertEqual(row["Invoice number"], handed.name)
        self.assertEqual(row["Due date"], str(DAY0 - timedelta(days=1)))
        self.assertEqual(row["Original amount"], "200.00")
        self.assertEqual(row["Open amount"], "200.00")
        self.assertIn(str(DAY0), row["Reminders sent"])
        self.assertIn(str(DAY0 + timedelta(days=7)), row["Reminders sent"])
        raw = attachment.raw.decode()
        self.assertNotIn(not_due.name, raw)
        self.assertNotIn("difficult customer", raw)

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
        self.submit_on(DAY0, invoice)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=15))
        self.assertEqual(invoice.dunning_case_id.agency_id, agency)
        self.assertEqual(self.agency_mails().recipient_ids, agency)

    def test_agency_without_email_gets_a_note_on_the_case(self):
        self.agency.email = False
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=15))
        self.assertFalse(self.agency_mails())
        self.assertIn("no email address", invoice.dunning_case_id.message_ids[0].body)
        self.assertEqual(invoice.dunning_state, "handed_over")

    def test_payment_after_handover_ends_the_workflow(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=15))
        self.pay(invoice, on=DAY0 + timedelta(days=16))
        self.assertEqual(invoice.dunning_state, "done")
        self.assertEqual(invoice.dunning_case_id.amount_open, 0.0)
