import base64
import io
from datetime import datetime, timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .agency_common import HANDOVER_DAY, AgencyCase

STATUS_DAY = HANDOVER_DAY + timedelta(days=5)


@tagged("post_install", "-at_install")
class TestAgencyStatus(AgencyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.collection_payment_mode = "record"

    def setUp(self):
        super().setUp()
        self.invoice = self.make_invoice(self.de_vries, 100.0)
        self.case = self.hand_over(self.invoice)

    def row(self, status, collected, fee="", date=STATUS_DAY, invoice=None):
        return (
            self.case.name,
            (invoice or self.invoice).name,
            status,
            collected,
            str(date),
            fee,
        )

    def payments(self):
        return self.env["account.payment"].search(
            [("partner_id", "=", self.de_vries.id)], order="id"
        )

    # ------------------------------------------------------------------
    # each status
    # ------------------------------------------------------------------

    def test_partial_then_full_collection_books_payments_and_fees(self):
        file = self.import_status(
            self.status_csv([self.row("partially_collected", "40.00", "6.00")])
        )
        self.assertEqual(file.direction, "in")
        self.assertEqual(file.state, "imported")
        self.assertEqual((file.applied_count, file.rejected_count), (1, 0))
        row = file.line_ids
        self.assertEqual((row.delta_collected, row.delta_fee), (40.0, 6.0))
        self.assertEqual(row.payment_state, "recorded")
        payment = self.payments()
        self.assertEqual(row.payment_id, payment)
        self.assertEqual(payment.amount, 34.0, "what the agency pays out")
        self.assertEqual(payment.date, STATUS_DAY)
        self.assertEqual(payment.journal_id, self.company_data["default_journal_bank"])
        self.assertEqual(payment.payment_reference, file.name)
        lines = payment.move_id.line_ids
        fee_line = lines.filtered(
            lambda line: line.account_id == self.company_data["default_account_expense"]
        )
        self.assertEqual(fee_line.debit, 6.0, "the fee on its own account")
        self.assertEqual(fee_line.partner_id, self.agency)
        receivable = lines.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.credit, 40.0)
        self.assertTrue(receivable.reconciled)
        self.assertEqual(self.invoice.amount_residual, 60.0)
        self.assertEqual(self.invoice.payment_state, "partial")
        self.assertIn(payment, self.invoice.matched_payment_ids)
        self.assertEqual(self.invoice.dunning_state, "handed_over")
        self.assertEqual(self.case.state, "partially_collected")
        self.assertEqual(self.case.line_ids.state, "partially_collected")
        self.assertEqual(self.case.amount_collected, 40.0)
        self.assertEqual(self.case.amount_fee, 6.0)
        self.assertEqual(self.case.amount_open, 60.0)
        self.assertIn(file.name, self.case.message_ids[0].body)

        # the rest, cumulative figures: only the difference is booked
        self.import_status(
            self.status_csv([self.row("collected", "100.00", "15.00")]),
            filename="status-2.csv",
            on=STATUS_DAY + timedelta(days=7),
        )
        second = self.payments()[-1]
        self.assertEqual(len(self.payments()), 2)
        self.assertEqual(second.amount, 51.0)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(self.invoice.amount_residual, 0.0)
        self.assertEqual(self.case.state, "collected")
        self.assertEqual(self.case.line_ids.state, "collected", "not paid directly")
        self.assertEqual((self.case.amount_collected, self.case.amount_fee), (100, 15))
        self.env.cr.flush()
        self.assertEqual(self.invoice.dunning_state, "done")
        self.assertEqual(self.invoice.dunning_end_reason, "paid")
        self.assertFalse(self.case.line_ids.notice_required)
        self.run_on(STATUS_DAY + timedelta(days=8))
        self.assertEqual(len(self.files_out()), 1, "nothing to tell the agency")

    def test_proposed_payments_wait_for_the_accountant(self):
        self.company.collection_payment_mode = "propose"
        content = self.status_csv([self.row("collected", "100.00", "15.00")])
        file = self.import_status(content)
        self.assertFalse(self.payments(), "only proposed")
        self.assertEqual(file.proposed_count, 1)
        self.assertEqual(file.line_ids.payment_state, "proposed")
        self.assertEqual(file.line_ids.amount_net, 85.0)
        self.assertEqual(self.invoice.amount_residual, 100.0)
        self.assertEqual(self.case.state, "collected")
        self.assertEqual(self.invoice.dunning_state, "handed_over")

        # the same figures again (another file): nothing new, nothing twice
        again = self.import_status(
            content.replace(b",", b";"), filename="status-again.csv"
        )
        self.assertEqual(again.line_ids.result, "unchanged")
        self.assertEqual(again.line_ids.payment_state, "none")

        file.action_record_payments()
        payment = self.payments()
        self.assertEqual(payment.amount, 85.0)
        self.assertEqual(self.invoice.payment_state, "paid")
        self.assertEqual(file.line_ids.payment_state, "recorded")
        self.assertEqual(file.proposed_count, 0)
        self.env.cr.flush()
        self.assertEqual(self.invoice.dunning_state, "done")
        self.assertEqual(self.case.line_ids.state, "collected")
        with self.assertRaisesRegex(UserError, "No payment of this file"):
            file.action_record_payments()

    def test_proposal_for_an_invoice_paid_meanwhile_is_refused_then_discarded(self):
        self.company.collection_payment_mode = "propose"
        file = self.import_status(
            self.status_csv([self.row("partially_collected", "40.00")])
        )
        self.pay(self.invoice, on=STATUS_DAY + timedelta(days=1))
        with self.assertRaisesRegex(UserError, "paid or changed in the meantime"):
            file.action_record_payments()
        self.assertEqual(file.line_ids.payment_state, "proposed")
        file.line_ids.action_discard_payment()
        self.assertEqual(file.line_ids.payment_state, "discarded")
        self.assertEqual(len(self.payments()), 1, "only the customer's own payment")

    def test_uncollectable_and_returned_close_the_case_and_the_workflow(self):
        other = self.make_invoice(self.jansen, 70.0)
        other_case = self.hand_over(other)
        file = self.import_status(
            self.status_csv(
                [
                    self.row("uncollectable", "0"),
                    (other_case.name, other.name, "returned", "0", str(STATUS_DAY), ""),
                ]
            )
        )
        self.assertEqual(file.applied_count, 2)
        self.assertEqual(self.case.state, "uncollectable")
        self.assertEqual(other_case.state, "returned")
        for invoice in (self.invoice, other):
            self.assertEqual(invoice.dunning_state, "done")
            self.assertEqual(invoice.dunning_end_reason, "agency_closed")
            self.assertEqual(invoice.payment_state, "not_paid", "books untouched")
        # the business can take it up again
        self.submit_on(STATUS_DAY + timedelta(days=1), self.invoice)
        self.assertEqual(self.invoice.dunning_state, "active")

    def test_uncollectable_after_part_collected_keeps_the_money(self):
        self.import_status(
            self.status_csv([self.row("uncollectable", "30.00", "3.00")])
        )
        self.assertEqual(self.payments().amount, 27.0)
        self.assertEqual(self.invoice.amount_residual, 70.0)
        self.assertEqual(self.case.state, "uncollectable")
        self.assertEqual(self.case.amount_collected, 30.0)
        self.assertEqual(self.invoice.dunning_end_reason, "agency_closed")

    def test_collected_for_less_than_open_says_what_remains(self):
        file = self.import_status(self.status_csv([self.row("collected", "80.00")]))
        self.assertEqual(file.line_ids.result, "applied")
        self.assertIn("remains open", file.line_ids.message)
        self.assertEqual(self.invoice.amount_residual, 20.0)
        self.assertEqual(self.case.state, "collected")
        self.assertEqual(self.invoice.dunning_end_reason, "agency_closed")

    def test_in_collection_acknowledgement_changes_nothing(self):
        file = self.import_status(self.status_csv([self.row("In collection", "0")]))
        self.assertEqual(file.line_ids.result, "unchanged")
        self.assertEqual(file.line_ids.status, "in_collection")
        self.assertEqual(self.case.state, "in_collection")
        self.assertFalse(self.payments())

    # ------------------------------------------------------------------
    # bad input
    # ------------------------------------------------------------------

    def test_the_same_file_is_never_applied_twice(self):
        content = self.status_csv([self.row("partially_collected", "40.00")])
        file = self.import_status(content)
        with self.assertRaisesRegex(UserError, f"already imported .*{file.name}"):
            self.import_status(content, on=STATUS_DAY + timedelta(days=1))
        self.assertEqual(len(self.payments()), 1)
        self.assertEqual(self.invoice.amount_residual, 60.0)
        self.assertEqual(
            self.env["nikki.collection.exchange"].search_count(
                [("direction", "=", "in")]
            ),
            1,
        )

    def test_every_bad_row_gets_its_reason_and_nothing_of_it_is_applied(self):
        invoices = self.env["account.move"]
        for _index in range(9):
            invoices |= self.make_invoice(self.no_email, 30.0)
        other_case = self.hand_over(invoices)
        self.assertEqual(len(other_case), 1)
        name = other_case.name
        inv = invoices.mapped("name")
        future = STATUS_DAY + timedelta(days=1)
        bad = [
            ("CASE/1999/99999", self.invoice.name, "collected", "10", "", ""),
            (self.case.name, "INV/1999/0001", "collected", "10", "", ""),
            self.row("collected", "150.00"),
            (name, inv[0], "paid-ish", "0", "", ""),
            (name, inv[1], "collected", "12,3,4", "", ""),
            (name, inv[2], "collected", "10", "31-02-2026", ""),
            (name, inv[3], "collected", "10", str(future), ""),
            (name, inv[4], "collected", "-5", "", ""),
            (name, inv[5], "partially_collected", "10", "", "12"),
            ("", inv[6], "collected", "10", "", ""),
            (name, inv[7], "collected", "30", "", ""),
            (name, inv[7].lower(), "collected", "30", "", ""),
            (name, inv[8], "in_collection", "5", "", ""),
        ]
        file = self.import_status(self.status_csv(bad))
        self.assertEqual(file.row_count, len(bad), "every row accounted for")
        self.assertEqual(file.rejected_count, len(bad))
        messages = file.line_ids.sorted("row_number").mapped("message")
        expected = [
            "Unknown case reference “CASE/1999/99999”",
            f"Invoice “INV/1999/0001” is not in case {self.case.name}",
            "is more than the $\xa0100.00 still open",
            "Unknown status “paid-ish”",
            "Amount collected “12,3,4” is not an amount",
            "Date “31-02-2026” is not a date",
            f"The date {future} lies in the future",
            "Amount collected cannot be negative",
            "The new agency fee ($\xa012.00) is more than the money newly collected",
            "No case reference",
            "lists this invoice more than once (rows 12, 13)",
            "lists this invoice more than once (rows 12, 13)",
            "Status “in collection” with money collected",
        ]
        for message, text in zip(messages, expected, strict=True):
            self.assertIn(text, message)
        self.assertEqual(file.line_ids.mapped("row_number"), list(range(2, 15)))
        self.assertFalse(self.env["account.payment"].search([]))
        self.assertEqual(
            (self.case | other_case).mapped("state"), ["in_collection"] * 2
        )
        self.assertEqual(set(other_case.line_ids.mapped("state")), {"in_collection"})

    def test_malformed_files_are_refused_whole(self):
        cases = [
            (b"", "status.csv", "Choose the status file"),
            (
                b"Case reference,Invoice number,Status,Amount collected\r\n",
                "s.csv",
                "header row but no rows",
            ),
            (
                b"Case,Status\r\nCASE/1,collected\r\n",
                "s.csv",
                "misses the columns Invoice number, Amount collected",
            ),
            (b"%PDF-1.4 ...", "status.pdf", "Files of type .pdf cannot be imported"),
            (b"not a workbook", "status.xlsx", "cannot be read as CSV or XLSX"),
            (b"PK\x03\x04 zipped", "status.csv", "named .csv but is not a CSV"),
            (b"PK\x03\x04 broken zip", "status.xlsx", "cannot be read as CSV or XLSX"),
        ]
        for content, filename, message in cases:
            with self.subTest(filename=filename, message=message):
                with self.assertRaisesRegex(UserError, message):
                    self.import_status(content, filename=filename)
        self.assertFalse(
            self.env["nikki.collection.exchange"].search([("direction", "=", "in")])
        )

    def test_a_file_of_another_agency_is_refused(self):
        noord = self.env["res.partner"].create(
            {
                "name": "Incasso Noord",
                "is_company": True,
                "is_collection_agency": True,
                "email": "dossiers@noord.example.com",
            }
        )
        self.policy.agency_id = noord
        noord_invoice = self.make_invoice(self.jansen, 50.0)
        noord_case = self.hand_over(noord_invoice, day0=HANDOVER_DAY)
        noord_row = (
            noord_case.name,
            noord_invoice.name,
            "collected",
            "50",
            str(HANDOVER_DAY + timedelta(days=20)),
            "",
        )
        on = HANDOVER_DAY + timedelta(days=20)
        with self.assertRaisesRegex(UserError, "cases handed over to Incasso Noord"):
            self.import_status(self.status_csv([noord_row]), on=on)
        # mixed: the other agency's row is rejected, ours applied
        file = self.import_status(
            self.status_csv([noord_row, self.row("partially_collected", "10")]),
            on=on,
        )
        self.assertIn(
            "is with another agency (Incasso Noord)", file.line_ids[0].message
        )
        self.assertEqual(file.line_ids.mapped("result"), ["rejected", "applied"])
        self.assertEqual(noord_case.state, "in_collection")

    def test_invoice_not_sent_to_the_agency_yet_is_rejected(self):
        self.agency.collection_send_mode = "approval"
        waiting = self.make_invoice(self.jansen, 50.0)
        case = self.hand_over(waiting)
        self.assertEqual(case.state, "to_send")
        file = self.import_status(
            self.status_csv(
                [(case.name, waiting.name, "collected", "50", str(STATUS_DAY), "")]
            )
        )
        self.assertIn("not sent to the agency yet", file.line_ids.message)
        self.assertFalse(self.payments())

    def test_money_reported_after_a_direct_payment_is_rejected(self):
        self.pay(self.invoice, on=HANDOVER_DAY + timedelta(days=1))
        self.env.cr.flush()
        self.assertEqual(self.case.line_ids.state, "paid_directly")
        file = self.import_status(
            self.status_csv(
                [self.row("in_collection", "0"), self.row("collected", "100")]
            )
        )
        # both rows name the invoice: a file must say one thing per invoice
        self.assertEqual(file.rejected_count, 2)
        crossing = self.import_status(
            self.status_csv([self.row("in_collection", "0")]), filename="s2.csv"
        )
        self.assertEqual(crossing.line_ids.result, "unchanged")
        self.assertIn("paid directly", crossing.line_ids.message)
        money = self.import_status(
            self.status_csv([self.row("collected", "100")]), filename="s3.csv"
        )
        self.assertEqual(money.line_ids.result, "rejected")
        self.assertIn("settle it with the agency by hand", money.line_ids.message)
        self.assertEqual(len(self.payments()), 1)

    def test_recording_needs_the_fee_account(self):
        self.company.collection_fee_account_id = False
        with self.assertRaisesRegex(UserError, "set the account for agency fees"):
            self.import_status(self.status_csv([self.row("collected", "100", "15")]))
        self.assertFalse(self.payments())
        self.assertEqual(self.case.state, "in_collection")
        self.assertFalse(
            self.env["nikki.collection.exchange"].search([("direction", "=", "in")])
        )
        # without a fee, no fee account is needed
        self.import_status(self.status_csv([self.row("collected", "100")]))
        self.assertEqual(self.payments().amount, 100.0)

    # ------------------------------------------------------------------
    # formats and users
    # ------------------------------------------------------------------

    def test_xlsx_with_dutch_headers_and_semicolon_csv_with_decimal_comma(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(
            [
                "Dossiernummer",
                "Factuurnummer",
                "Status",
                "Geïnd bedrag",
                "Datum",
                "Provisie",
            ]
        )
        sheet.append(
            [
                self.case.name,
                self.invoice.name,
                "Deels geïnd",
                25.5,
                datetime.combine(STATUS_DAY, datetime.min.time()),
                2.55,
            ]
        )
        buffer = io.BytesIO()
        workbook.save(buffer)
        file = self.import_status(buffer.getvalue(), filename="status.xlsx")
        self.assertEqual(file.file_format, "xlsx")
        self.assertEqual(file.line_ids.result, "applied")
        self.assertEqual(file.line_ids.status, "partially_collected")
        self.assertEqual(self.payments().amount, 22.95)
        self.assertEqual(self.payments().date, STATUS_DAY)

        csv_file = self.import_status(
            self.status_csv(
                [
                    self.row(
                        "gedeeltelijk geïnd",
                        "40,00",
                        "4,00",
                        date=STATUS_DAY.strftime("%d-%m-%Y"),
                    )
                ],
                delimiter=";",
            )
            .decode()
            .encode("cp1252"),
            on=STATUS_DAY + timedelta(days=1),
        )
        self.assertEqual(csv_file.line_ids.result, "applied")
        self.assertEqual(csv_file.line_ids.delta_collected, 14.5)
        self.assertEqual(self.invoice.amount_residual, 60.0)

    def test_billing_user_imports_and_records(self):
        billing = new_test_user(
            self.env,
            login="nikki_status_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        file = self.import_status(
            self.status_csv([self.row("collected", "100", "10")]), user=billing
        )
        self.assertEqual(file.line_ids.payment_id.create_uid, billing)
        self.assertEqual(self.invoice.payment_state, "paid")

    def test_dunning_user_without_payment_rights_cannot_record(self):
        clerk = new_test_user(
            self.env,
            login="nikki_status_clerk",
            groups="nikki_dunning.group_dunning_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        with self.assertRaisesRegex(UserError, "right to register payments"):
            self.import_status(
                self.status_csv([self.row("collected", "100")]), user=clerk
            )
        # a status without money is fine
        file = self.import_status(
            self.status_csv([self.row("returned", "0")]), user=clerk
        )
        self.assertEqual(file.line_ids.result, "applied")

    def test_the_agency_defaults_to_the_only_one_with_cases(self):
        wizard = self.env["nikki.collection.status.import"].create(
            {
                "file": base64.b64encode(
                    self.status_csv([self.row("in_collection", "0")])
                ),
                "filename": "status.csv",
            }
        )
        with freeze_time(STATUS_DAY):
            action = wizard.action_import()
        file = self.env["nikki.collection.exchange"].browse(action["res_id"])
        self.assertEqual(file.agency_id, self.agency)
        self.assertEqual(file.line_ids.result, "unchanged")
