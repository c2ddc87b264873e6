from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, new_test_user, tagged
from odoo.tools import file_open

from .common import DAY0
from .receivables_case import ROWS, ReceivablesImportCase, decimal_comma
from .receivables_files import (
    DUTCH_HEADER,
    ENGLISH_HEADER,
    csv_file,
    read_back,
    xls_file,
    xlsx_file,
)


@tagged("post_install", "-at_install")
class TestReceivablesImport(ReceivablesImportCase):
    """A list goes in, its invoices enter dunning at once."""

    def assertImported(self, batch):
        """The three rows of ROWS became posted invoices in dunning."""
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.line_ids.mapped("state"), ["imported"] * 3)
        moves = batch.line_ids.move_id
        self.assertEqual(moves.mapped("ref"), ["F-1001", "F-1002", "F-1003"])
        self.assertEqual(set(moves.mapped("state")), {"posted"})
        self.assertEqual(moves.mapped("amount_residual"), [121.0, 30.25, 1234.5])
        self.assertEqual(
            moves.mapped("invoice_date"),
            [date(2026, 1, 10), date(2026, 1, 20), date(2026, 1, 15)],
        )
        self.assertEqual(
            moves.mapped("invoice_date_due"),
            [date(2026, 2, 9), date(2026, 2, 19), date(2026, 2, 14)],
        )
        self.assertEqual(set(moves.mapped("dunning_state")), {"active"})
        self.assertEqual(set(moves.mapped("dunning_source")), {"import"})
        self.assertEqual(set(moves.mapped("dunning_start_date")), {DAY0})
        self.assertTrue(all(batch.line_ids.mapped("submitted")))
        return moves

    def test_xlsx_with_dutch_headers(self):
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *ROWS]), "debiteuren.xlsx")
        moves = self.assertImported(batch)
        bakkerij = moves[0].partner_id
        self.assertEqual(moves[1].partner_id, bakkerij, "one customer for D100")
        self.assertEqual(
            (bakkerij.name, bakkerij.ref, bakkerij.email),
            ("Bakkerij Jansen", "D100", "info@bakkerij.example.com"),
        )
        self.assertEqual(bakkerij.company_id, self.company)
        self.assertEqual(batch.line_ids.mapped("partner_created"), [True] * 3)
        line = moves.invoice_line_ids[0]
        self.assertEqual(
            line.product_id, self.env.ref("nikki_dunning.product_imported_receivable")
        )
        self.assertFalse(moves.invoice_line_ids.tax_ids)

    def test_xlsx_written_by_openpyxl(self):
        data = xlsx_file([ENGLISH_HEADER, *ROWS], writer="openpyxl")
        self.assertImported(self.import_file(data, "receivables.xlsx"))

    def test_xls_with_english_headers(self):
        data = xls_file([ENGLISH_HEADER, *ROWS])
        self.assertImported(self.import_file(data, "receivables.xls"))

    def test_csv_in_every_encoding_and_separator(self):
        for encoding in ("utf-8", "utf-8-sig", "cp1252"):
            for delimiter, rows in ((",", ROWS), (";", decimal_comma(ROWS))):
                with self.subTest(encoding=encoding, delimiter=delimiter):
                    with self.env.cr.savepoint() as savepoint:
                        data = csv_file([DUTCH_HEADER, *rows], encoding, delimiter)
                        batch = self.import_file(data, "debiteuren.csv")
                        moves = self.assertImported(batch)
                        self.assertEqual(moves[2].partner_id.name, "Café De Vries")
                        self.assertEqual(batch.csv_encoding, encoding)
                        self.assertEqual(batch.csv_delimiter, delimiter)
                        savepoint.rollback()

    def test_decimal_comma_in_a_comma_separated_file(self):
        # quoted amounts with a decimal comma, dates as yyyy-mm-dd
        rows = [
            [row[0], row[1], row[2], row[3], row[4].isoformat(), row[5].isoformat()]
            + decimal_comma([row[6:]])[0]
            for row in ROWS
        ]
        data = csv_file([DUTCH_HEADER, *rows], "utf-8", ",")
        self.assertIn(b'"1.234,50"', data)
        self.assertImported(self.import_file(data, "list.csv"))

    def test_one_day0_message_per_customer_right_after_import(self):
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *ROWS]), "debiteuren.xlsx")
        moves = batch.line_ids.move_id
        bakkerij, club = moves[0].partner_id, moves[2].partner_id
        mails = self.dunning_mails(bakkerij)
        self.assertEqual(len(mails), 1, "one message for both invoices")
        self.assertIn(moves[0].name, mails.body_html)
        self.assertIn(moves[1].name, mails.body_html)
        self.assertEqual(len(self.dunning_mails(club)), 1)
        self.assertEqual(len(self.dunning_mails()), 2)
        for move in moves:
            self.assertEqual(len(self.step_logs(move)), 1)
            self.assertEqual(self.step_logs(move).day_offset, 0)
        self.assertEqual(batch.submitted_count, 3)

    def test_preview_counts_then_import(self):
        existing = self.make_invoice(self.de_vries, 80.0)
        rows = [
            *ROWS,
            [
                existing.name,
                "Anna de Vries",
                "",
                "",
                None,
                existing.invoice_date_due,
                80.0,
                80.0,
            ],
            ["F-1004", "Kapot", "", "", None, "morgen", 10.0, 10.0],
        ]
        wizard = self.check_file(xlsx_file([DUTCH_HEADER, *rows]), "list.xlsx")
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(
            (
                wizard.row_count,
                wizard.to_create_count,
                wizard.to_link_count,
                wizard.new_customer_count,
                wizard.duplicate_count,
                wizard.rejected_count,
            ),
            (5, 3, 1, 2, 0, 1),
        )
        self.assertIn("row 1", wizard.file_summary)
        self.assertIn(
            "Row 6, column 'Vervaldatum': 'morgen' is not a date",
            wizard.rejected_line_ids.message,
        )
        self.assertEqual(
            [column.field for column in wizard.column_ids],
            [
                "invoice_number",
                "partner_name",
                "partner_ref",
                "email",
                "invoice_date",
                "due_date",
                "amount",
                "open_amount",
            ],
        )
        self.assertEqual(wizard.column_ids[1].sample, "Bakkerij Jansen")
        # nothing was created by the check
        self.assertFalse(self.env["account.move"].search([("ref", "=", "F-1001")]))
        self.assertFalse(self.dunning_mails())

        with self.freeze():
            action = wizard.action_import()
        batch = self.Batch.browse(action["res_id"])
        self.assertEqual(batch.state, "done")
        self.assertEqual(
            batch.line_ids.mapped("state"),
            ["imported", "imported", "imported", "linked", "rejected"],
        )
        self.assertEqual(self.line(batch, 5).move_id, existing)
        self.assertEqual(existing.dunning_state, "active")
        self.assertEqual(existing.dunning_source, "import")
        self.assertEqual(len(self.dunning_mails()), 3)

    def test_reimporting_the_same_list_creates_nothing(self):
        data = xlsx_file([DUTCH_HEADER, *ROWS])
        first = self.import_file(data, "debiteuren.xlsx")
        moves = self.env["account.move"].search_count([])
        partners = self.env["res.partner"].search_count([])
        mails = len(self.dunning_mails())
        again = self.import_file(data, "debiteuren.xlsx")
        self.assertEqual(again.state, "done")
        self.assertEqual(again.line_ids.mapped("state"), ["duplicate"] * 3)
        self.assertIn(
            f"invoice F-1001 was already imported in {first.name}",
            self.line(again, 2).message,
        )
        self.assertEqual(self.env["account.move"].search_count([]), moves)
        self.assertEqual(self.env["res.partner"].search_count([]), partners)
        self.assertEqual(len(self.dunning_mails()), mails)
        # the preview says so before anything happens
        wizard = self.check_file(data, "debiteuren.xlsx")
        self.assertEqual((wizard.duplicate_count, wizard.pending_count), (3, 0))

    def test_rejected_rows_download_round_trip(self):
        rows = [
            *ROWS,
            ["F-2001", "Zonder Datum", "D300", "", None, "31-02-2026", 10.0, 10.0],
            ["F-2002", "Nul Euro", "D301", "", None, date(2026, 2, 1), 0.0, 0.0],
        ]
        for name, data in (
            ("list.xlsx", xlsx_file([DUTCH_HEADER, *rows])),
            ("list.xls", xls_file([DUTCH_HEADER, *rows])),
            ("list.csv", csv_file([DUTCH_HEADER, *decimal_comma(rows)], "cp1252", ";")),
        ):
            with self.subTest(file=name), self.env.cr.savepoint() as savepoint:
                batch = self.import_file(data, name)
                self.assertEqual(batch.rejected_count, 2)
                action = batch.action_download_rejected()
                attachment = self.env["ir.attachment"].browse(
                    int(action["url"].split("/")[3].split("?")[0])
                )
                extension = name.rsplit(".", 1)[1]
                self.assertEqual(attachment.name, f"list-rejected.{extension}")
                rejected = read_back(attachment.raw, attachment.name)
                self.assertEqual(rejected[0], [*DUTCH_HEADER, "Problem"])
                self.assertEqual([row[0] for row in rejected[1:]], ["F-2001", "F-2002"])
                self.assertIn("Row 5, column 'Vervaldatum'", rejected[1][8])
                self.assertIn("is zero", rejected[2][8])
                if extension == "csv":
                    self.assertEqual(attachment.raw.count(b";"), 3 * 8)
                    self.assertIn("Nul Euro".encode("cp1252"), attachment.raw)
                # fix the rows in the downloaded file and submit it again
                fixed = [rejected[0]]
                for row in rejected[1:]:
                    row = list(row)
                    row[5] = "28-02-2026" if row[0] == "F-2001" else row[5]
                    row[7] = row[6] = "10,00" if extension == "csv" else 10.0
                    fixed.append(row)
                data = (
                    csv_file(fixed, "cp1252", ";")
                    if extension == "csv"
                    else xlsx_file(fixed)
                    if extension == "xlsx"
                    else xls_file(fixed)
                )
                again = self.import_file(data, attachment.name)
                self.assertEqual(again.line_ids.mapped("state"), ["imported"] * 2)
                self.assertEqual(
                    again.line_ids.move_id.mapped("ref"), ["F-2001", "F-2002"]
                )
                savepoint.rollback()

    def test_saved_column_mapping_is_reused(self):
        header = ["Nr", "Lid", "Lidcode", "Te voldoen", "Uiterlijk op"]
        rows = [["C-1", "Piet Pietersen", "L1", "25,00", "01-02-2026"]]
        wizard = self.check_file(csv_file([header, *rows], delimiter=";"), "leden.csv")
        self.assertTrue(wizard.mapping_problem)
        self.assertIn("Invoice number", wizard.mapping_problem)
        self.assertFalse(wizard.batch_id)
        choices = [
            "invoice_number",
            "partner_name",
            "partner_ref",
            "open_amount",
            "due_date",
        ]
        for column, field in zip(wizard.column_ids, choices, strict=True):
            column.field = field
        wizard.action_check()
        self.assertFalse(wizard.mapping_problem)
        self.assertEqual(wizard.pending_count, 1)
        with self.freeze():
            wizard.action_import()
        self.assertEqual(
            self.company.receivables_import_mapping,
            dict(zip(choices, header, strict=True)),
        )
        # the next list of the club is recognised at once
        rows = [["C-2", "Klaas Klaassen", "L2", "30,00", "01-02-2026"]]
        batch = self.import_file(csv_file([header, *rows], delimiter=";"), "leden.csv")
        self.assertEqual(batch.imported_count, 1)
        self.assertEqual(batch.line_ids.move_id.partner_id.ref, "L2")
        self.assertEqual(batch.line_ids.move_id.amount_residual, 30.0)

    def test_changed_columns_are_checked_again_before_import(self):
        wizard = self.check_file(xlsx_file([DUTCH_HEADER, *ROWS]), "list.xlsx")
        wizard.column_ids.filtered(lambda column: column.field == "email").field = False
        with self.freeze():
            action = wizard.action_import()
        self.assertEqual(action["res_model"], "nikki.receivables.import")
        self.assertEqual(wizard.batch_id.state, "draft")
        self.assertNotIn("email", wizard.batch_id.mapping)
        with self.freeze():
            wizard.action_import()
        self.assertEqual(wizard.batch_id.state, "done")
        self.assertEqual(
            wizard.batch_id.line_ids.move_id.partner_id.mapped("email"), [False] * 2
        )

    def test_configured_journal_product_and_account(self):
        journal = self.company_data["default_journal_sale"].copy(
            {"name": "Imported", "code": "IMP"}
        )
        product = self.product_a
        account = self.company_data["default_account_revenue"].copy(
            {"code": "899999", "name": "Transit receivables"}
        )
        self.company.write(
            {
                "receivables_import_journal_id": journal.id,
                "receivables_import_product_id": product.id,
                "receivables_import_account_id": account.id,
            }
        )
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *ROWS]), "list.xlsx")
        moves = batch.line_ids.move_id
        self.assertEqual(moves.journal_id, journal)
        self.assertEqual(moves.invoice_line_ids.product_id, product)
        self.assertEqual(moves.invoice_line_ids.account_id, account)
        self.assertFalse(moves.invoice_line_ids.tax_ids, "the open amount is final")
        self.assertEqual(moves.mapped("amount_total"), [121.0, 30.25, 1234.5])

    def test_billing_user_submits_a_list(self):
        billing = new_test_user(
            self.env,
            login="nikki_list_billing",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        Wizard = self.Wizard.with_user(billing)
        with self.freeze():
            wizard = Wizard.create(
                {
                    "file": self.b64(xlsx_file([DUTCH_HEADER, *ROWS])),
                    "filename": "list.xlsx",
                }
            )
            wizard.action_check()
            action = wizard.action_import()
        batch = self.Batch.with_user(billing).browse(action["res_id"])
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.user_id, billing)
        self.assertEqual(batch.imported_count, 3)
        self.assertEqual(batch.line_ids.move_id.create_uid, billing)

    def test_wizard_and_list_forms_as_a_user_sees_them(self):
        # the upload widget sets the file and its name together
        wizard = self.wizard(xlsx_file([DUTCH_HEADER, *ROWS]), "debiteuren.xlsx")
        with Form(wizard) as form:
            self.assertEqual(form.state, "upload")
            form.decimal_separator = ","
        with self.freeze():
            action = wizard.action_check()
        self.assertEqual(
            (action["res_model"], action["res_id"]), (wizard._name, wizard.id)
        )
        with Form(wizard) as form:
            self.assertEqual(form.state, "preview")
            self.assertEqual(form.row_count, 3)
            with form.column_ids.edit(3) as column:
                self.assertEqual(column.header, "E-mail")
                column.field = False
        with self.freeze():
            action = wizard.action_import()  # checks again: the columns changed
            action = wizard.action_import()
        batch = self.Batch.browse(action["res_id"])
        with Form(batch) as form:
            self.assertEqual(form.state, "done")
            self.assertEqual(form.imported_count, 3)
            self.assertEqual(len(form.line_ids), 3)
        menu = self.env.ref("nikki_dunning.menu_receivables_import")
        self.assertEqual(
            menu.action, self.env.ref("nikki_dunning.action_receivables_import")
        )
        self.assertEqual(menu.parent_id, self.env.ref("nikki_dunning.menu_dunning"))

    def test_club_list_one_day0_email_per_member(self):
        rows = [
            [
                f"F-{n}",
                f"Lid {n}",
                f"L{n}",
                f"lid{n}@club.example.com",
                None,
                date(2026, 2, 1),
                10.0 + n,
                10.0 + n,
            ]
            for n in range(1, 6)
        ]
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *rows]), "leden.xlsx")
        self.assertEqual(batch.submitted_count, 5)
        for line in batch.line_ids:
            mail = self.dunning_mails(line.move_id.partner_id)
            self.assertEqual(len(mail), 1)
            self.assertIn(line.partner_name, mail.body_html)
            self.assertIn(line.move_id.name, mail.body_html)
            for other in batch.line_ids - line:
                self.assertNotIn(other.move_id.name, mail.body_html)

    def test_the_example_list_offered_in_the_wizard_imports_cleanly(self):
        """The example file the upload step links to is a list a user can
        copy: every column recognised, every row imported, one Day 0 email
        per customer."""
        arch = self.env.ref("nikki_dunning.view_receivables_import_form").arch
        path = "/nikki_dunning/static/samples/receivables_list_example.csv"
        self.assertIn(f'href="{path}"', arch)
        with file_open(path.lstrip("/"), "rb") as handle:
            data = handle.read()
        wizard = self.check_file(data, "receivables_list_example.csv")
        self.assertFalse(wizard.column_ids.filtered(lambda column: not column.field))
        self.assertEqual(
            (wizard.row_count, wizard.to_create_count, wizard.rejected_count),
            (4, 4, 0),
        )
        with freeze_time(DAY0):
            action = wizard.action_import()
        batch = self.Batch.browse(action["res_id"])
        self.assertEqual(batch.imported_count, 4)
        self.assertEqual(batch.submitted_count, 4)
        visser = batch.line_ids.move_id.partner_id.filtered(
            lambda partner: partner.vat == "NL001234567B01"
        )
        self.assertEqual(visser.name, "Bouwbedrijf Visser B.V.")
        self.assertEqual(visser.country_id.code, "NL")
        self.assertEqual(len(self.dunning_mails(visser)), 1)
        self.assertEqual(len(self.dunning_mails()), 3)
        self.assertEqual(
            sorted(batch.line_ids.move_id.mapped("amount_residual")),
            [90.0, 180.0, 312.5, 1250.0],
        )
