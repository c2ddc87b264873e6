import io
import zipfile
from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .receivables_case import ROWS, ReceivablesImportCase, decimal_comma
from .receivables_files import DUTCH_HEADER, csv_file, xls_file, xlsx_file


@tagged("post_install", "-at_install")
class TestReceivablesImportBadInput(ReceivablesImportCase):
    """Bad input gets a clear message naming what is wrong, and nothing is
    half-imported."""

    def counts(self):
        return (
            self.Batch.search_count([]),
            self.env["account.move"].search_count([]),
            self.env["res.partner"].search_count([]),
            len(self.dunning_mails()),
        )

    def assertRefused(self, data, filename, *fragments, steps=("check", "import")):
        """The whole file is refused with a message; nothing is created."""
        before = self.counts()
        for step in steps:
            with self.assertRaises(UserError, msg=step) as caught:
                if step == "check":
                    self.check_file(data, filename)
                else:
                    self.import_file(data, filename)
            for fragment in fragments:
                self.assertIn(fragment, str(caught.exception))
        self.assertEqual(self.counts(), before)

    def test_wrong_and_corrupt_files(self):
        self.assertRefused(
            b"%PDF-1.7\n...", "debiteuren.pdf", "is not a supported list"
        )
        self.assertRefused(
            b"<html><body><table><tr><td>F-1</td></tr></table></body></html>",
            "export.xls",
            "is named .xls but its content is a web page",
        )
        workbook = xlsx_file([DUTCH_HEADER, *ROWS])
        self.assertRefused(
            workbook[: len(workbook) // 2],
            "half.xlsx",
            "cannot be read as an Excel workbook (.xlsx)",
        )
        document = io.BytesIO()
        with zipfile.ZipFile(document, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        self.assertRefused(
            document.getvalue(), "brief.xlsx", "ZIP archive or another Office document"
        )
        self.assertRefused(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "kapot.xls",
            "cannot be read as an Excel 97-2003 workbook (.xls)",
        )
        self.assertRefused(
            workbook, "list.csv", "is named .csv but its content is an Excel workbook"
        )
        self.assertRefused(
            b"\x00\x01\x02\x03\x04", "list.csv", "is not a CSV text file"
        )
        self.assertRefused(
            b"Factuurnummer;Debiteur\n\x81\x8d;\x8f\x90\n",
            "list.csv",
            "neither UTF-8 nor Windows-1252",
        )

    def test_empty_file_and_missing_rows(self):
        self.assertRefused(b"", "list.csv", "The file is empty.")
        self.assertRefused(b"\xef\xbb\xbf\r\n\r\n", "list.csv", "The file is empty.")
        self.assertRefused(
            xlsx_file([DUTCH_HEADER]),
            "list.xlsx",
            "has a header row (row 1) but no invoice rows",
        )

    def test_no_header_row(self):
        self.assertRefused(
            xls_file(ROWS), "list.xls", "No header row found", "Add a header row"
        )
        self.assertRefused(
            csv_file([["F-1", "Jansen", "12,50", "01-02-2026"]]),
            "list.csv",
            "No header row found",
        )

    def test_a_title_above_the_header_is_skipped(self):
        rows = [["Debiteurenlijst per 1 maart 2026"], [], DUTCH_HEADER, *ROWS]
        batch = self.import_file(xlsx_file(rows), "list.xlsx")
        self.assertEqual(batch.header_row, 3)
        self.assertEqual(batch.line_ids.mapped("row_number"), [4, 5, 6])
        self.assertEqual(batch.imported_count, 3)

    def test_unmapped_required_columns(self):
        header = [
            name for name in DUTCH_HEADER if name not in ("Vervaldatum", "Openstaand")
        ]
        rows = [[cell for cell in row[:5]] + [row[6]] for row in ROWS]
        data = xlsx_file([header, *rows])
        self.assertRefused(
            data,
            "list.xlsx",
            "required columns are not mapped: Open amount, Due date",
            steps=("import",),
        )
        wizard = self.check_file(data, "list.xlsx")
        self.assertEqual(wizard.state, "preview")
        self.assertIn("Open amount, Due date", wizard.mapping_problem)
        self.assertFalse(wizard.batch_id)
        self.assertEqual(
            wizard.column_ids.mapped("header"), header, "the user can map them"
        )

    def test_bad_rows_are_rejected_naming_row_and_column(self):
        header = [*DUTCH_HEADER, "Valuta"]
        good = [*ROWS[0], "EUR"]

        def row(number, **changes):
            cells = [f"F-{number}", *good[1:]]
            for index, value in changes.items():
                cells[DUTCH_HEADER.index(index) if index in DUTCH_HEADER else 8] = value
            return cells

        rows = [
            good,
            row(2, Vervaldatum="31-02-2026"),
            row(3, Factuurdatum="gisteren"),
            row(4, Openstaand="twaalf euro"),
            row(5, Openstaand=0.0),
            row(6, Openstaand=-25.0),
            row(7, Valuta="XYZ"),
            row(8, **{"E-mail": "info@bakkerij"}),
            row(9, Debiteur=""),
            row(10, Vervaldatum=None),
            row(11, Bedrag=100.0, Openstaand=150.0),
            ["F-1001", *good[1:]],
        ]
        batch = self.import_file(xlsx_file([header, *rows]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        messages = {line.row_number: line.message for line in batch.line_ids}
        expected = {
            3: "Row 3, column 'Vervaldatum': '31-02-2026' is not an existing date",
            4: "Row 4, column 'Factuurdatum': 'gisteren' is not a date",
            5: "Row 5, column 'Openstaand': 'twaalf euro' is not an amount",
            6: "Row 6, column 'Openstaand': the open amount is zero",
            7: "Row 7, column 'Openstaand': the open amount -25.00 is negative",
            8: "Row 8, column 'Valuta': the currency XYZ is unknown or not active",
            9: "Row 9, column 'E-mail': 'info@bakkerij' is not a valid email address",
            10: "Row 10, column 'Debiteur': is empty",
            11: "Row 11, column 'Vervaldatum': is empty",
            12: "Row 12, column 'Openstaand': the open amount 150.00 is more than "
            "the invoice amount 100.00",
        }
        for row_number, message in expected.items():
            self.assertIn(message, messages[row_number])
        self.assertEqual(self.line(batch, 3).state, "rejected")
        # the same invoice number twice in the list: both rows are refused
        for row_number in (2, 13):
            line = self.line(batch, row_number)
            self.assertEqual(line.state, "rejected")
            self.assertIn(
                "invoice number F-1001 appears more than once in the list (rows 2, 13)",
                line.message,
            )
        self.assertEqual(batch.rejected_count, 12)
        self.assertFalse(batch.line_ids.move_id)
        self.assertFalse(self.dunning_mails())

    def test_csv_values_that_cannot_be_read(self):
        rows = decimal_comma(ROWS)
        rows[0][5] = "2026-02-30"
        rows[1][7] = "30,25,1"
        rows[2][5] = "14-02-26"
        batch = self.import_file(
            csv_file([DUTCH_HEADER, *rows], "utf-8", ";"), "list.csv"
        )
        self.assertEqual(batch.rejected_count, 3)
        self.assertIn(
            "Row 2, column 'Vervaldatum': '2026-02-30' is not an existing date",
            self.line(batch, 2).message,
        )
        self.assertIn(
            "Row 3, column 'Openstaand': '30,25,1' is not an amount",
            self.line(batch, 3).message,
        )
        self.assertIn(
            "Row 4, column 'Vervaldatum': '14-02-26' has no four-digit year",
            self.line(batch, 4).message,
        )

    def test_a_list_of_100000_rows_is_refused(self):
        row = decimal_comma(ROWS)[0]
        data = csv_file(
            [DUTCH_HEADER] + [[f"F-{number}", *row[1:]] for number in range(100000)],
            "utf-8",
            ";",
        )
        self.assertRefused(
            data,
            "groot.csv",
            "has more than 50000 invoice rows (row 50002 is one too many)",
            "Split the list",
        )

    def test_linking_refuses_amounts_that_disagree_with_odoo(self):
        invoice = self.make_invoice(self.de_vries, 100.0)
        paid = self.make_invoice(self.de_vries, 50.0)
        self.pay(paid)
        draft = self.make_invoice(self.de_vries, 70.0, post=False)
        draft.name = "F-DRAFT"
        due = date(2026, 2, 1)
        rows = [
            [invoice.name, "Anna de Vries", "", "", None, due, 100.0, 90.0],
            [paid.name, "Anna de Vries", "", "", None, due, 50.0, 50.0],
            ["F-DRAFT", "Anna de Vries", "", "", None, due, 70.0, 70.0],
        ]
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *rows]), "list.xlsx")
        self.assertEqual(batch.line_ids.mapped("state"), ["rejected"] * 3)
        self.assertIn(
            f"the open amount 90.00 differs from Odoo's open amount 100.00 of "
            f"invoice {invoice.name}",
            self.line(batch, 2).message,
        )
        self.assertIn(
            f"invoice {paid.name} is already paid", self.line(batch, 3).message
        )
        self.assertIn(
            "F-DRAFT exists in Odoo but is not posted", self.line(batch, 4).message
        )
        self.assertEqual(invoice.dunning_state, "none")
        self.assertFalse(self.dunning_mails())
