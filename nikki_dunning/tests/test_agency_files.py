"""The pure agency rules: case state, case files, status files (no database)."""

import io
import zipfile
from datetime import date, datetime

import openpyxl

from odoo.tests import BaseCase, tagged

from ..services import case_file, case_state, status_file
from ..services.case_state import LineFacts as CaseLine
from ..services.status_file import CaseFacts, FileProblem, LineFacts, Row

TODAY = date(2026, 4, 1)


def row(status="collected", collected=0.0, fee=0.0, number=2, **values):
    base = {
        "number": number,
        "case_reference": "CASE/1",
        "invoice_number": "INV/1",
        "status": status,
        "status_text": status,
        "collected": collected,
        "fee": fee,
        "date": TODAY,
        "problems": [],
    }
    base.update(values)
    return Row(**base)


def line(state="in_collection", collected=0.0, fee=0.0, open_amount=100.0, **values):
    base = {
        "id": 7,
        "state": state,
        "exported": True,
        "collected": collected,
        "fee": fee,
        "open": open_amount,
        "digits": 2,
    }
    base.update(values)
    return LineFacts(**base)


@tagged("post_install", "-at_install")
class TestCaseState(BaseCase):
    def test_states(self):
        state = case_state.case_state
        self.assertEqual(state([]), "to_send")
        self.assertEqual(state([CaseLine("in_collection", False, 0)]), "to_send")
        self.assertEqual(
            state(
                [
                    CaseLine("in_collection", True, 0),
                    CaseLine("in_collection", False, 0),
                ]
            ),
            "to_send",
            "a case waits while any invoice waits",
        )
        self.assertEqual(state([CaseLine("in_collection", True, 0)]), "in_collection")
        self.assertEqual(
            state(
                [CaseLine("in_collection", True, 0), CaseLine("collected", True, 50)]
            ),
            "partially_collected",
        )
        self.assertEqual(
            state(
                [CaseLine("collected", True, 50), CaseLine("paid_directly", True, 0)]
            ),
            "collected",
        )
        self.assertEqual(state([CaseLine("paid_directly", True, 0)]), "paid_directly")
        self.assertEqual(state([CaseLine("recalled", True, 0)]), "recalled")
        self.assertEqual(
            state([CaseLine("recalled", True, 0), CaseLine("collected", True, 10)]),
            "collected",
            "recalled invoices do not decide once others were settled",
        )
        self.assertEqual(
            state(
                [CaseLine("collected", True, 10), CaseLine("uncollectable", True, 0)]
            ),
            "uncollectable",
        )
        self.assertEqual(
            state([CaseLine("returned", True, 0), CaseLine("collected", True, 5)]),
            "returned",
        )


@tagged("post_install", "-at_install")
class TestCaseFile(BaseCase):
    ROWS = [
        {
            "case_reference": "CASE/2026/00001",
            "debtor_name": "Jansen, BV",
            "invoice_number": "INV/2026/00001",
            "status": "new",
            "amount_open": 120.5,
            "due_date": date(2026, 3, 1),
            "vat": False,
        }
    ]

    def test_xlsx_keeps_types(self):
        data = case_file.render(self.ROWS, "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        header, values = list(sheet.iter_rows(values_only=True))
        self.assertEqual(list(header), [label for _key, label in case_file.COLUMNS])
        record = dict(zip(header, values, strict=True))
        self.assertEqual(record["Debtor"], "Jansen, BV")
        self.assertEqual(record["Open amount"], 120.5)
        self.assertEqual(record["Due date"], datetime(2026, 3, 1))
        self.assertEqual(record["Status"], "new")
        self.assertIsNone(record["VAT number"])

    def test_csv_and_unknown_format(self):
        text = case_file.render(self.ROWS, "csv").decode()
        self.assertIn('"Jansen, BV"', text)
        self.assertIn(",new,", text)
        with self.assertRaises(ValueError):
            case_file.render(self.ROWS, "pdf")


@tagged("post_install", "-at_install")
class TestStatusFileParsing(BaseCase):
    def test_amounts(self):
        parse = status_file.parse_amount
        for value, expected in (
            ("", 0.0),
            (None, 0.0),
            (12, 12.0),
            (12.5, 12.5),
            ("12.50", 12.5),
            ("12,50", 12.5),
            ("1.234,56", 1234.56),
            ("1,234.56", 1234.56),
            ("€ 1.000,00", 1000.0),
            ("EUR 7", 7.0),
            ("-3,5", -3.5),
        ):
            self.assertEqual(parse(value), expected, value)
        for value in ("abc", "12,3,4", "1.2.3", True, "12 ab"):
            with self.assertRaises(ValueError, msg=value):
                parse(value)

    def test_dates(self):
        parse = status_file.parse_date
        for value in (
            "2026-03-31",
            "31-03-2026",
            "31/03/2026",
            "31.03.2026",
            "2026-03-31 10:00:00",
            date(2026, 3, 31),
            datetime(2026, 3, 31, 12, 0),
        ):
            self.assertEqual(parse(value), date(2026, 3, 31), value)
        self.assertIsNone(parse(""))
        for value in ("31-02-2026", "tomorrow", "2026/31/03"):
            with self.assertRaises(ValueError, msg=value):
                parse(value)

    def test_statuses(self):
        normalise = status_file.normalise_status
        self.assertEqual(normalise("Collected"), "collected")
        self.assertEqual(normalise("partially-collected"), "partially_collected")
        self.assertEqual(normalise("Deels geïnd"), "partially_collected")
        self.assertEqual(normalise(" ONINBAAR "), "uncollectable")
        self.assertEqual(normalise("in collection"), "in_collection")
        self.assertIsNone(normalise("paid directly"), "ours, not the agency's")
        self.assertIsNone(normalise(""))

    def test_header_and_file_kind(self):
        mapping = status_file.map_header(
            ["Dossiernummer", "Factuur", "STATUS", "Geïnd bedrag", "x", "Provisie"]
        )
        self.assertEqual(
            mapping,
            {
                "case_reference": 0,
                "invoice_number": 1,
                "status": 2,
                "amount_collected": 3,
                "amount_fee": 5,
            },
        )
        with self.assertRaises(FileProblem) as caught:
            status_file.map_header(["Case reference", "Status"])
        self.assertEqual(caught.exception.key, "missing_columns")
        self.assertEqual(
            caught.exception.details["missing"], ["Invoice number", "Amount collected"]
        )
        self.assertEqual(status_file.file_kind(b"a,b", "s.CSV"), "csv")
        self.assertEqual(status_file.file_kind(b"PK\x03\x04...", "s.xlsx"), "xlsx")
        with self.assertRaises(FileProblem):
            status_file.file_kind(b"\xd0\xcf\x11\xe0", "old.xls")

    def test_csv_dialects(self):
        content = (
            "\ufeffCase reference;Invoice number;Status;Amount collected\r\n"
            "CASE/1;INV/1;geïnd;1.234,50\r\n"
            ";;;\r\n"
        ).encode()
        table = status_file.read_table(content, "status.csv")
        self.assertEqual(len(table), 2, "blank lines are not rows")
        (parsed,) = status_file.parse_rows(table, TODAY)
        self.assertEqual(parsed.status, "collected")
        self.assertEqual(parsed.collected, 1234.5)
        self.assertIsNone(parsed.fee, "no fee column: the fee is not reported")
        self.assertEqual(parsed.date, TODAY)
        windows = "Case,Invoice,Status,Collected\r\nCASE/1,INV/1,geïnd,5\r\n".encode(
            "cp1252"
        )
        (parsed,) = status_file.parse_rows(status_file.read_table(windows, ""), TODAY)
        self.assertEqual(parsed.status, "collected")
        with self.assertRaises(FileProblem):
            status_file.read_table(b"", "status.csv")

    def test_rows_keep_the_file_line_numbers(self):
        content = (
            b"Case reference,Invoice number,Status,Amount collected\r\n"
            b"CASE/1,INV/1,collected,5\r\n"
            b"\r\n"
            b" , , ,\r\n"
            b"CASE/1,INV/2,collected,6\r\n"
            b"CASE/1,INV/3,collected,7\r\n"
        )
        rows = status_file.parse_rows(
            status_file.read_table(content, "status.csv"), TODAY
        )
        self.assertEqual(
            [(parsed.number, parsed.invoice_number) for parsed in rows],
            [(2, "INV/1"), (5, "INV/2"), (6, "INV/3")],
            "blank lines are skipped, the later rows keep their line numbers",
        )

    def test_xlsx_rows_beyond_the_stored_size_are_read(self):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Case reference", "Invoice number", "Status", "Collected"])
        sheet.append(["CASE/1", "INV/1", "collected", 5])
        sheet.append([])
        sheet.append(["CASE/1", "INV/2", "collected", 6.5])
        buffer = io.BytesIO()
        book.save(buffer)
        # some programs store a wrong size: here one row where there are four
        source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
        target = io.BytesIO()
        with zipfile.ZipFile(target, "w") as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "xl/worksheets/sheet1.xml":
                    self.assertIn(b'<dimension ref="A1:D4"/>', data)
                    data = data.replace(b'ref="A1:D4"', b'ref="A1:D1"')
                archive.writestr(item, data)
        content = target.getvalue()
        kind = status_file.file_kind(content, "status.xlsx")
        self.assertEqual(kind, "xlsx")
        rows = status_file.parse_rows(
            status_file.read_table(content, "status.xlsx", kind), TODAY
        )
        self.assertEqual(
            [
                (parsed.number, parsed.invoice_number, parsed.collected)
                for parsed in rows
            ],
            [(2, "INV/1", 5.0), (4, "INV/2", 6.5)],
        )


@tagged("post_install", "-at_install")
class TestStatusDecisions(BaseCase):
    def decide(self, status_row, facts):
        return status_file.decide(status_row, facts)

    def test_applied(self):
        decision = self.decide(row("partially_collected", 40, 6), line())
        self.assertEqual(
            (decision.result, decision.state, decision.delta_collected),
            ("applied", "partially_collected", 40),
        )
        self.assertEqual(decision.delta_fee, 6)
        decision = self.decide(
            row("collected", 100, 15), line("partially_collected", 40, 6, 60)
        )
        self.assertEqual(
            (
                decision.result,
                decision.state,
                decision.delta_collected,
                decision.delta_fee,
            ),
            ("applied", "collected", 60, 9),
        )
        decision = self.decide(
            row("uncollectable", 40, fee=None), line("partially_collected", 40, 6, 60)
        )
        self.assertEqual(
            (decision.result, decision.delta_fee), ("applied", 0), "fee kept"
        )
        decision = self.decide(row("collected", 80), line())
        self.assertEqual(
            (decision.problem, decision.details), ("remains_open", {"amount": 20})
        )

    def test_unchanged(self):
        self.assertEqual(self.decide(row("in_collection"), line()).result, "unchanged")
        self.assertEqual(
            self.decide(
                row("in_collection", 40), line("partially_collected", 40, 0, 60)
            ).result,
            "unchanged",
        )
        self.assertEqual(
            self.decide(row("collected", 100), line("collected", 100, 0, 0)).result,
            "unchanged",
        )
        decision = self.decide(
            row("in_collection"), line("paid_directly", open_amount=0)
        )
        self.assertEqual(
            (decision.result, decision.problem), ("unchanged", "closed_by_us")
        )

    def test_rejected(self):
        cases = [
            (row("collected", 10), line(exported=False), "not_sent"),
            (
                row("collected", 10),
                line("partially_collected", 20, 0, 80),
                "collected_decreased",
            ),
            (
                row("collected", 30, 1),
                line("partially_collected", 20, 2, 80),
                "fee_decreased",
            ),
            (row("partially_collected", 10, 11), line(), "fee_above_collected"),
            (row("collected", 100.01), line(), "above_open"),
            (row("collected", 50), line(open_amount=40), "above_open"),
            (row("in_collection", 5), line(), "money_in_collection"),
            (row("partially_collected", 0), line(), "partial_without_money"),
            (row("partially_collected", 100), line(), "partial_settles_all"),
            (row("collected", 10), line("recalled"), "money_after_close"),
            (row("collected", 100), line("uncollectable", 0, 0, 100), "already_closed"),
            (row("returned", 100), line("collected", 100, 0, 0), "already_closed"),
        ]
        for status_row, facts, problem in cases:
            with self.subTest(problem=problem):
                decision = self.decide(status_row, facts)
                self.assertEqual(
                    (decision.result, decision.problem), ("rejected", problem)
                )
                self.assertEqual(decision.delta_collected, 0.0)

    def test_matching_duplicates_and_agencies(self):
        cases = {
            "CASE/1": CaseFacts(
                agency_id=1, lines={"INV/1": line(), "INV/2": line(id=8)}
            )
        }
        decisions = status_file.decide_rows(
            [
                row("collected", 100, number=2),
                row("collected", 100, number=3, invoice_number="inv/1"),
                row("collected", 10, number=4, invoice_number="INV/2"),
                row(number=5, case_reference="CASE/9"),
                row(number=6, invoice_number="INV/3"),
                row(number=7, invoice_number="", problems=[("no_invoice_number", {})]),
            ],
            cases,
            agency_id=1,
        )
        self.assertEqual(
            [(d.result, d.problem) for d in decisions],
            [
                ("rejected", "duplicate_row"),
                ("rejected", "duplicate_row"),
                ("applied", "remains_open"),
                ("rejected", "unknown_case"),
                ("rejected", "unknown_invoice"),
                ("rejected", "no_invoice_number"),
            ],
        )
        self.assertEqual(decisions[0].details["rows"], "2, 3")
        self.assertIsNone(status_file.other_agency(decisions))
        foreign = status_file.decide_rows(
            [row(), row(number=3, case_reference="x")], cases, agency_id=2
        )
        self.assertEqual(foreign[0].problem, "other_agency")
        self.assertEqual(status_file.other_agency(foreign), 1)
