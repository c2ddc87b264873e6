from datetime import date

from odoo.tests import tagged

from .receivables_case import ReceivablesImportCase
from .receivables_files import ENGLISH_HEADER, xlsx_file

HEADER = [*ENGLISH_HEADER, "VAT", "Country"]


def row(number, name, ref="", email="", vat="", amount=50.0, country=""):
    return [
        number,
        name,
        ref,
        email,
        date(2026, 1, 5),
        date(2026, 2, 4),
        amount,
        amount,
        vat,
        country,
    ]


@tagged("post_install", "-at_install")
class TestReceivablesImportMatching(ReceivablesImportCase):
    """Which invoice a row links to and which customer it is for."""

    def run_list(self, *rows):
        batch = self.import_file(xlsx_file([HEADER, *rows]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        return batch

    def test_customer_by_reference_then_vat_then_email(self):
        Partner = self.env["res.partner"]
        by_ref = Partner.create({"name": "Ref Customer", "ref": "D100"})
        by_vat = Partner.create({"name": "VAT Customer", "vat": "NL 8512.34.567.B01"})
        by_email = Partner.create(
            {"name": "Email Customer", "email": "Boekhouding@Email.example.com"}
        )
        batch = self.run_list(
            row(
                "F-1",
                "Whatever",
                ref="D100",
                vat="NL851234567B01",
                email="boekhouding@email.example.com",
            ),
            row(
                "F-2",
                "Whatever",
                ref="D999",
                vat="nl851234567b01",
                email="boekhouding@email.example.com",
            ),
            row("F-3", "Whatever", ref="D999", email="boekhouding@email.example.com"),
        )
        self.assertEqual(batch.line_ids.move_id.partner_id, by_ref | by_vat | by_email)
        self.assertEqual(batch.line_ids.mapped("matched_by"), ["ref", "vat", "email"])
        self.assertEqual(batch.line_ids.mapped("partner_created"), [False] * 3)
        self.assertEqual(by_ref.name, "Ref Customer", "an existing customer is kept")

    def test_never_by_name_alone(self):
        namesake = self.env["res.partner"].create({"name": "Piet de Boer"})
        batch = self.run_list(
            row("F-1", "Piet de Boer"),
            row("F-2", "Piet de Boer", email="piet@boer.example.com"),
        )
        partners = batch.line_ids.move_id.partner_id
        self.assertNotIn(namesake, partners)
        self.assertEqual(len(partners), 2, "no identifier in common: two customers")
        self.assertEqual(batch.line_ids.mapped("matched_by"), ["new", "new"])

    def test_rows_of_one_new_customer_share_it(self):
        batch = self.run_list(
            row("F-1", "Nieuw BV", vat="NL 0001.23.456.B01", country="Nederland"),
            row("F-2", "Nieuw B.V.", vat="NL000123456B01", country="NL"),
            row("F-3", "Jan Zonder", amount=10.0),
            row("F-4", "Jan Zonder", amount=20.0),
        )
        moves = batch.line_ids.move_id
        self.assertEqual(moves[0].partner_id, moves[1].partner_id)
        self.assertEqual(moves[2].partner_id, moves[3].partner_id)
        nieuw = moves[0].partner_id
        self.assertEqual(nieuw.vat, "NL000123456B01")
        self.assertEqual(nieuw.country_id, self.env.ref("base.nl"))
        self.assertTrue(nieuw.is_company)
        messages = self.env["nikki.dunning.communication"].search(
            [("partner_id", "in", moves.partner_id.ids)]
        )
        self.assertEqual(len(messages), 2, "one Day 0 message per customer")
        self.assertEqual(set(messages.mapped("state")), {"no_email"})

    def test_an_invoice_contact_leads_to_its_company(self):
        batch = self.run_list(row("F-1", "Jansen", email="accounts@jansen.example.com"))
        line = batch.line_ids
        self.assertEqual(line.move_id.partner_id, self.jansen)
        self.assertEqual(line.matched_by, "email")
        self.assertEqual(
            self.dunning_mails(self.jansen_billing).res_id,
            line.move_id.dunning_log_ids.communication_id.id,
        )

    def test_ambiguous_customer_is_rejected(self):
        self.env["res.partner"].create(
            [
                {"name": "Twin One", "ref": "D500"},
                {"name": "Twin Two", "ref": "D500"},
            ]
        )
        batch = self.run_list(row("F-1", "Twin", ref="D500"))
        self.assertEqual(batch.line_ids.state, "rejected")
        self.assertIn(
            "the customer reference D500 matches several customers: Twin One, Twin Two",
            batch.line_ids.message,
        )

    def test_existing_invoice_is_linked_not_duplicated(self):
        invoice = self.make_invoice(self.de_vries, 80.0)
        self.pay(invoice, amount=30.0)
        batch = self.run_list(row(invoice.name, "Anna", amount=50.0))
        line = batch.line_ids
        self.assertEqual((line.state, line.move_id), ("linked", invoice))
        self.assertEqual(line.partner_id, self.de_vries)
        self.assertEqual(invoice.dunning_state, "active")
        self.assertEqual(invoice.dunning_source, "import")
        self.assertFalse(
            self.env["account.move"].search(
                [("ref", "=", invoice.name), ("move_type", "=", "out_invoice")]
            )
        )
        # the list links it again next time? No: the number is now known
        again = self.run_list(row(invoice.name, "Anna", amount=50.0))
        self.assertEqual(again.line_ids.state, "duplicate")

    def test_other_companies_are_never_touched(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        other_invoice = self.make_invoice(self.de_vries, 50.0, company=company_b)
        other_customer = (
            self.env["res.partner"]
            .with_company(company_b)
            .create({"name": "B Only", "ref": "D777", "company_id": company_b.id})
        )
        batch = self.run_list(
            row(other_invoice.name, "Anna"), row("F-2", "B Only", ref="D777")
        )
        self.assertEqual(batch.line_ids.mapped("state"), ["imported", "imported"])
        moves = batch.line_ids.move_id
        self.assertNotIn(other_invoice, moves)
        self.assertNotEqual(moves[1].partner_id, other_customer)
        self.assertEqual(moves.company_id, self.company)
        self.assertEqual(moves.partner_id.company_id, self.company)
        self.assertEqual(other_invoice.dunning_state, "none")
