"""Unit tests of the pure parts of the receivables list import: no database."""

import io
import re
import unittest
import zipfile
from datetime import date, datetime

from odoo.addons.nikki_dunning.services import receivables_columns as columns
from odoo.addons.nikki_dunning.services import receivables_file as list_file
from odoo.addons.nikki_dunning.services import receivables_matching as matching
from odoo.addons.nikki_dunning.services import receivables_rows as rows_
from odoo.addons.nikki_dunning.services import receivables_values as values_
from odoo.addons.nikki_dunning.services.receivables_problem import Problem

from .receivables_files import (
    DUTCH_HEADER,
    ENGLISH_HEADER,
    csv_file,
    xls_file,
    xlsx_file,
)

TODAY = date(2026, 3, 2)
ROW = [
    "F-1",
    "Café Zoë",
    "D100",
    "info@zoe.example.com",
    date(2026, 1, 5),
    date(2026, 2, 4),
    "1.234,56",
    "1.234,56",
]


class TestValues(unittest.TestCase):
    def assertProblem(self, function, value, fragment, *args):
        with self.assertRaises(Problem) as caught:
            function(value, *args)
        self.assertIn(fragment, str(caught.exception))

    def test_dates(self):
        expected = date(2026, 3, 1)
        for value in (
            "01-03-2026",
            "1-3-2026",
            "01/03/2026",
            "01.03.2026",
            "2026-03-01",
            "2026-03-01 00:00:00",
            "2026-03-01T08:30",
            " 01-03-2026 ",
            datetime(2026, 3, 1, 0, 0),
            expected,
        ):
            self.assertEqual(values_.parse_date(value), expected, value)

    def test_bad_dates_say_why(self):
        self.assertProblem(values_.parse_date, "31-02-2026", "not an existing date")
        self.assertProblem(values_.parse_date, "01-03-26", "no four-digit year")
        self.assertProblem(values_.parse_date, "maart 2026", "is not a date")
        self.assertProblem(values_.parse_date, 46082.0, "is a number, not a date")
        self.assertProblem(values_.parse_date, "2026-13-01", "not an existing date")

    def test_amounts_with_decimal_comma_or_point(self):
        cases = [
            ("1.234,56", ",", 1234.56),
            ("1.234,56", ".", 1234.56),
            ("1,234.56", ",", 1234.56),
            ("1234,56", ".", 1234.56),
            ("12,5", ".", 12.5),
            ("1.234", ",", 1234.0),
            ("1,234", ".", 1234.0),
            ("1.234", ".", 1.234),
            ("1.234.567", ",", 1234567.0),
            ("€ 12,50", ",", 12.5),
            ("EUR 99", ".", 99.0),
            ("12,50 €", ",", 12.5),
            ("-12,00", ",", -12.0),
            ("(12.00)", ".", -12.0),
            ("1 234,56", ",", 1234.56),
            (121.0, ",", 121.0),
            (7, ".", 7.0),
        ]
        for value, separator, expected in cases:
            self.assertEqual(
                values_.parse_amount(value, separator), expected, (value, separator)
            )

    def test_bad_amounts(self):
        for value in ("abc", "12.5.6", "1.23.456", "12,", "1,2,3.4,5", "--", True):
            self.assertProblem(values_.parse_amount, value, "is not an amount", ",")

    def test_emails_currencies_vat(self):
        self.assertEqual(
            values_.parse_email(" Info@Zoe.Example.com "), "info@zoe.example.com"
        )
        self.assertEqual(values_.parse_email(""), "")
        for bad in ("info@", "info zoe@example.com", "a@b", "a@b.c;d@e.fg"):
            self.assertProblem(values_.parse_email, bad, "not a valid email address")
        self.assertEqual(values_.currency_code("€"), "EUR")
        self.assertEqual(values_.currency_code("eur"), "EUR")
        self.assertProblem(values_.currency_code, "euro", "not a currency code")
        self.assertEqual(values_.normalise_vat("nl 8512.34.567.B01"), "NL851234567B01")
        self.assertEqual(values_.text(12345.0), "12345")
        self.assertEqual(values_.text(datetime(2026, 3, 1)), "2026-03-01")


class TestColumns(unittest.TestCase):
    def test_dutch_and_english_headers(self):
        for header in (DUTCH_HEADER, ENGLISH_HEADER):
            mapping = columns.recognise(header)
            self.assertEqual(
                mapping,
                {
                    "invoice_number": 0,
                    "partner_name": 1,
                    "partner_ref": 2,
                    "email": 3,
                    "invoice_date": 4,
                    "due_date": 5,
                    "amount": 6,
                    "open_amount": 7,
                },
            )
        mapping = columns.recognise(
            [
                "Telefoon",
                "Straat",
                "Postcode",
                "Plaats",
                "Land",
                "BTW-nummer",
                "Valuta",
                "Omschrijving",
            ]
        )
        self.assertEqual(
            list(mapping),
            [
                "phone",
                "street",
                "zip",
                "city",
                "country",
                "vat",
                "currency",
                "description",
            ],
        )

    def test_headers_compare_without_case_accents_and_punctuation(self):
        mapping = columns.recognise(
            ["FACTUUR-NUMMER", "Débiteur", " open bedrag ", "Due_Date"]
        )
        self.assertEqual(
            mapping,
            {"invoice_number": 0, "partner_name": 1, "open_amount": 2, "due_date": 3},
        )

    def test_saved_mapping_wins_and_each_column_maps_once(self):
        headers = ["Nr", "Lid", "Klantcode", "Te voldoen", "Uiterlijk", "Naam"]
        saved = {
            "invoice_number": "nr",
            "partner_name": "Lid",
            "partner_ref": "Klantcode",
            "open_amount": "Te voldoen",
            "due_date": "Uiterlijk",
        }
        mapping = columns.recognise(headers, saved)
        self.assertEqual(mapping["partner_name"], 1, "the saved column, not 'Naam'")
        self.assertEqual(columns.missing_required(mapping), [])
        self.assertEqual(
            columns.missing_required(columns.recognise(headers)),
            ["invoice_number", "open_amount", "due_date"],
        )
        self.assertEqual(
            columns.mapping_by_header(headers, mapping)["partner_ref"], "Klantcode"
        )


class TestRows(unittest.TestCase):
    mapping = columns.recognise(DUTCH_HEADER)

    def parse(self, row, **kwargs):
        mapping = kwargs.pop("mapping", self.mapping)
        options = {
            "today": TODAY,
            "currencies": {"EUR": 2, "USD": 2, "JPY": 0},
            "default_currency": "EUR",
            "countries": {"nl": "NL", "nederland": "NL"},
            "decimal_separator": ",",
        }
        options.update(kwargs)
        return rows_.parse_row(row, mapping, **options)

    def problems(self, row, **kwargs):
        _values, problems = self.parse(row, **kwargs)
        return {field: str(problem) for field, problem in problems}

    def test_a_good_row(self):
        values, problems = self.parse(ROW)
        self.assertEqual(problems, [])
        self.assertEqual(values["invoice_number"], "F-1")
        self.assertEqual(values["partner_name"], "Café Zoë")
        self.assertEqual(values["open_amount"], 1234.56)
        self.assertEqual(values["due_date"], date(2026, 2, 4))
        self.assertEqual(values["currency"], "EUR")

    def test_every_problem_names_its_field(self):
        def row(**changes):
            cells = list(ROW)
            for position, value in changes.items():
                cells[int(position[1:])] = value
            return cells

        self.assertEqual(
            self.problems(row(c0="", c1=" ")),
            {"invoice_number": "is empty", "partner_name": "is empty"},
        )
        self.assertIn("is not a date", self.problems(row(c5="morgen"))["due_date"])
        self.assertEqual(self.problems(row(c5=None))["due_date"], "is empty")
        self.assertIn("is zero", self.problems(row(c7="0,00"))["open_amount"])
        self.assertIn("is negative", self.problems(row(c7="-10,00"))["open_amount"])
        self.assertIn("is not an amount", self.problems(row(c7="tien"))["open_amount"])
        self.assertIn(
            "more than the invoice amount",
            self.problems(row(c6="100,00", c7="150,00"))["open_amount"],
        )
        self.assertIn(
            "before the invoice date",
            self.problems(row(c4=date(2026, 2, 10), c5=date(2026, 2, 1)))["due_date"],
        )
        self.assertIn(
            "in the future", self.problems(row(c4=date(2026, 4, 1)))["invoice_date"]
        )
        self.assertIn(
            "not a valid email", self.problems(row(c3="info(at)zoe.nl"))["email"]
        )
        self.assertIn(
            "has more decimals than EUR allows",
            self.problems(row(c6=None, c7="12,345"))["open_amount"],
        )

    def test_currency_and_country_columns(self):
        header = [*DUTCH_HEADER, "Valuta", "Land"]
        mapping = columns.recognise(header)
        values, problems = self.parse([*ROW, "usd", "Nederland"], mapping=mapping)
        self.assertEqual(problems, [])
        self.assertEqual((values["currency"], values["country"]), ("USD", "NL"))
        problems = self.problems([*ROW, "XYZ", "Atlantis"], mapping=mapping)
        self.assertIn("XYZ is unknown or not active", problems["currency"])
        self.assertIn("'Atlantis' is unknown", problems["country"])


class TestMatching(unittest.TestCase):
    values = {
        "invoice_number": "F-1",
        "partner_name": "Café Zoë",
        "partner_ref": "D100",
        "vat": "NL851234567B01",
        "email": "info@zoe.example.com",
        "open_amount": 100.0,
        "currency": "EUR",
    }

    def test_precedence(self):
        invoice = matching.OdooInvoice(7, "F-1", "posted", 100.0, "EUR", 3)
        by_ref = {"D100": [matching.Customer(1, "By Ref")]}
        by_vat = {"NL851234567B01": [matching.Customer(2, "By VAT")]}
        by_email = {"info@zoe.example.com": [matching.Customer(3, "By Email")]}
        lookups = matching.Lookups(
            {"F-1": "RL/1"}, {"F-1": [invoice]}, by_ref, by_vat, by_email
        )
        decide = matching.decide

        self.assertEqual(decide(self.values, lookups).outcome, "duplicate")
        lookups = lookups._replace(imported={})
        self.assertEqual(decide(self.values, lookups)[:3], ("link", 7, 3))
        lookups = lookups._replace(invoices={})
        self.assertEqual(decide(self.values, lookups)[:4], ("create", None, 1, "ref"))
        lookups = lookups._replace(by_ref={})
        self.assertEqual(decide(self.values, lookups)[:4], ("create", None, 2, "vat"))
        lookups = lookups._replace(by_vat={})
        self.assertEqual(decide(self.values, lookups)[:4], ("create", None, 3, "email"))
        lookups = lookups._replace(by_email={})
        self.assertEqual(
            decide(self.values, lookups)[:4], ("create", None, None, "new")
        )

    def test_linking_checks_amount_currency_and_state(self):
        def decide(invoice, **values):
            lookups = matching.Lookups(invoices={"F-1": [invoice]})
            return matching.decide(dict(self.values, **values), lookups)

        posted = matching.OdooInvoice(7, "F-1", "posted", 80.0, "EUR", 3)
        decision = decide(posted)
        self.assertEqual(decision.outcome, "reject")
        self.assertIn(
            "100.00 differs from Odoo's open amount 80.00", str(decision.problem)
        )
        self.assertEqual(decide(posted, open_amount=80.004).outcome, "link")
        self.assertIn(
            "already paid", str(decide(posted._replace(residual=0.0)).problem)
        )
        self.assertIn("differs from", str(decide(posted, currency="USD").problem))
        draft = posted._replace(state="draft")
        self.assertIn("not posted", str(decide(draft).problem))
        twice = matching.Lookups(invoices={"F-1": [posted, posted]})
        decision = matching.decide(self.values, twice)
        self.assertIn("several invoices", str(decision.problem))

    def test_ambiguous_customer_is_rejected_never_guessed(self):
        lookups = matching.Lookups(
            by_ref={
                "D100": [matching.Customer(1, "Zoë BV"), matching.Customer(2, "Zoë")]
            }
        )
        decision = matching.decide(self.values, lookups)
        self.assertEqual(decision.outcome, "reject")
        self.assertIn(
            "customer reference D100 matches several customers: Zoë, Zoë BV",
            str(decision.problem),
        )

    def test_customer_key(self):
        self.assertEqual(matching.customer_key(self.values), "ref:D100")
        anonymous = {
            "partner_name": "Jan  Jansen",
            "street": "Dorpsstraat 1",
            "city": "Ede",
        }
        self.assertEqual(
            matching.customer_key(anonymous),
            matching.customer_key(dict(anonymous, partner_name="jan jansen")),
        )
        self.assertNotEqual(
            matching.customer_key(anonymous),
            matching.customer_key(dict(anonymous, street="Dorpsstraat 2")),
        )
        self.assertEqual(matching.number_key(" f-1  a "), "F-1 A")


class TestFiles(unittest.TestCase):
    rows = [DUTCH_HEADER, ROW]

    def read_file(self, data, filename):
        reader = list_file.ListReader(io.BytesIO(data), filename)
        try:
            return reader, [cells for _number, cells in reader.rows()]
        finally:
            reader.close()

    def test_csv_dialects(self):
        for encoding, bom in (("utf-8", False), ("utf-8-sig", True), ("cp1252", False)):
            for delimiter in (",", ";", "\t"):
                data = csv_file(self.rows, encoding, delimiter)
                self.assertEqual(data.startswith(b"\xef\xbb\xbf"), bom)
                reader, rows = self.read_file(data, "list.csv")
                self.assertEqual(reader.file_format, "csv")
                self.assertEqual(reader.dialect, (encoding, delimiter))
                self.assertEqual(rows[1][1], "Café Zoë")
                self.assertEqual(rows[1][5], "04-02-2026")
                self.assertEqual(rows[1][7], "1.234,56")

    def test_unicode_text_export_of_excel(self):
        # Excel's "Unicode text": UTF-16 with BOM, tab separated, .txt
        data = csv_file(self.rows, "utf-16", "\t")
        reader, rows = self.read_file(data, "export.txt")
        self.assertEqual(reader.dialect, ("utf-16", "\t"))
        self.assertEqual(rows[1][1], "Café Zoë")

    def test_workbooks_keep_real_dates(self):
        for data, filename in (
            (xlsx_file(self.rows), "list.xlsx"),
            (xlsx_file(self.rows, writer="openpyxl"), "list.xlsx"),
            (xls_file(self.rows), "list.xls"),
        ):
            reader, rows = self.read_file(data, filename)
            self.assertEqual(reader.file_format, filename.rsplit(".")[1])
            self.assertEqual(rows[0], DUTCH_HEADER)
            self.assertEqual(values_.parse_date(rows[1][4]), date(2026, 1, 5))
            self.assertEqual(rows[1][1], "Café Zoë")

    def test_a_workbook_claiming_a_wrong_size_is_read_whole(self):
        source = zipfile.ZipFile(io.BytesIO(xlsx_file([DUTCH_HEADER, ROW, ROW])))
        target = io.BytesIO()
        with zipfile.ZipFile(target, "w") as archive:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    content = re.sub(
                        rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', content
                    )
                archive.writestr(item, content)
        _reader, rows = self.read_file(target.getvalue(), "list.xlsx")
        self.assertEqual(len(rows), 3)

    def test_empty_rows_are_skipped_and_row_numbers_kept(self):
        data = csv_file([DUTCH_HEADER, [], ["", ""], ROW])
        reader = list_file.ListReader(io.BytesIO(data), "list.csv")
        self.assertEqual([number for number, _cells in reader.rows()], [1, 4])

    def test_bad_files_say_what_is_wrong(self):
        cases = [
            (b"", "list.csv", "The file is empty"),
            (b"  \r\n", "list.xlsx", "The file is empty"),
            (b"%PDF-1.4 ...", "list.pdf", "is not a supported list"),
            (b"%PDF-1.4 ...", "list.csv", "looks like a PDF document"),
            (
                b"<html><table><tr><td>x</td></tr></table></html>",
                "list.xls",
                "web page",
            ),
            (b"PK\x03\x04 broken", "list.xlsx", "cannot be read as an Excel workbook"),
            (b"\x81\x8d\x8f\x90\x9d", "list.csv", "neither UTF-8 nor Windows-1252"),
            (b"\x00\x01\x02\x03binary", "list.csv", "looks like a binary file"),
            (
                xlsx_file(self.rows),
                "list.xls",
                "its content is an Excel workbook (.xlsx)",
            ),
            (csv_file(self.rows), "list.xlsx", "its content is a CSV text file"),
        ]
        for data, filename, message in cases:
            with self.assertRaises(Problem, msg=filename) as caught:
                list_file.ListReader(io.BytesIO(data), filename)
            self.assertIn(message, str(caught.exception), (data[:10], filename))

    def test_written_rows_read_back_the_same(self):
        header, row = DUTCH_HEADER + ["Problem"], ROW + ["Row 2: bad"]
        for file_format, dialect in (
            ("csv", list_file.CsvDialect("cp1252", ";")),
            ("csv", list_file.CsvDialect("utf-8-sig", ",")),
            ("xlsx", None),
            ("xls", None),
        ):
            data = list_file.write_rows(file_format, header, [row], dialect)
            reader, rows = self.read_file(data, f"rejected.{file_format}")
            self.assertEqual(reader.dialect, dialect)
            self.assertEqual(rows[0], header)
            self.assertEqual(rows[1][1], "Café Zoë")
            self.assertEqual(values_.parse_date(rows[1][5]), date(2026, 2, 4))

    def test_cells_keep_their_type_in_json(self):
        for cell in (
            "x",
            12.5,
            3,
            None,
            True,
            date(2026, 1, 5),
            datetime(2026, 1, 5, 8),
        ):
            self.assertEqual(
                list_file.cell_from_json(list_file.cell_to_json(cell)), cell
            )
