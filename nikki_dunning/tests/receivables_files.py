"""Receivables list files built by the tests, in every supported format."""

import csv
import io
from datetime import date, datetime

import openpyxl
import xlsxwriter
import xlwt

from odoo.addons.nikki_dunning.services import receivables_file

DUTCH_HEADER = [
    "Factuurnummer",
    "Debiteur",
    "Debiteurnummer",
    "E-mail",
    "Factuurdatum",
    "Vervaldatum",
    "Bedrag",
    "Openstaand",
]
ENGLISH_HEADER = [
    "Invoice Number",
    "Customer",
    "Customer Reference",
    "Email",
    "Invoice Date",
    "Due Date",
    "Amount",
    "Open Amount",
]


def csv_file(rows, encoding="utf-8", delimiter=","):
    """Rows as CSV; dates written dd-mm-yyyy, numbers as given (strings)."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(
            [
                value.strftime("%d-%m-%Y") if isinstance(value, date) else value
                for value in row
            ]
        )
    return text.getvalue().encode(encoding)


def xlsx_file(rows, writer="xlsxwriter"):
    """Rows as an .xlsx workbook with real date cells."""
    buffer = io.BytesIO()
    if writer == "openpyxl":
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        book.save(buffer)
        return buffer.getvalue()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Debiteuren")
    date_format = book.add_format({"num_format": "dd-mm-yyyy"})
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(
                    row_index,
                    column,
                    datetime.combine(value, datetime.min.time()),
                    date_format,
                )
            elif value is not None:
                sheet.write(row_index, column, value)
    book.close()
    return buffer.getvalue()


def xls_file(rows):
    """Rows as an Excel 97-2003 .xls workbook with real date cells."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Debiteuren")
    date_style = xlwt.easyxf(num_format_str="DD-MM-YYYY")
    for row_index, row in enumerate(rows):
        for column, value in enumerate(row):
            if isinstance(value, date):
                sheet.write(row_index, column, value, date_style)
            elif value is not None:
                sheet.write(row_index, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_back(data, filename):
    """A written file's rows as the import reads them (for round trips)."""
    reader = receivables_file.ListReader(io.BytesIO(data), filename)
    try:
        return [cells for _row, cells in reader.rows()]
    finally:
        reader.close()
