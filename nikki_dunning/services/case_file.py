"""The case file handed to a collection agency: rows in, CSV or XLSX bytes out.

Only what the agency needs to collect (data minimisation): the debtor's
identity and contact data and, per invoice handed over, its numbers, dates,
amounts, what it is for, disputes and the reminders sent, and the interest and
collection costs with the date the costs may be claimed from (never before
the fourteen-day term of the consumer's notice has passed). No internal
notes, no other invoices.

A row is a dict keyed by the column keys of ``COLUMNS``; missing keys give
empty cells. The ``status`` column tells the agency what the row is:
``new`` (a claim handed over), ``paid_directly`` (the debtor paid the
business: stop collecting) or ``recalled`` (the business takes the claim
back: stop collecting).
"""

import csv
import io
from datetime import date, datetime

import xlsxwriter

COLUMNS = [
    ("case_reference", "Case reference"),
    ("debtor_name", "Debtor"),
    ("debtor_reference", "Debtor number"),
    ("debtor_type", "Company or consumer"),
    ("street", "Street"),
    ("zip", "Zip"),
    ("city", "City"),
    ("country", "Country"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("vat", "VAT number"),
    ("company_registry", "Chamber of commerce number"),
    ("language", "Language"),
    ("invoice_number", "Invoice number"),
    ("status", "Status"),
    ("status_date", "Status date"),
    ("status_note", "Note to agency"),
    ("description", "Description"),
    ("invoice_date", "Invoice date"),
    ("due_date", "Due date"),
    ("currency", "Currency"),
    ("amount_original", "Original amount"),
    ("amount_open", "Open amount"),
    ("disputes", "Disputes"),
    ("reminders", "Reminders sent"),
    ("interest_amount", "Interest"),
    ("costs_amount", "Collection costs"),
    ("costs_claimable_from", "Costs claimable from"),
]

FORMATS = {
    "csv": ("csv", "text/csv"),
    "xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}


def format_amount(value):
    return f"{value:.2f}"


def render(rows, file_format):
    """The file of ``rows`` in ``file_format`` (``csv`` or ``xlsx``)."""
    if file_format == "xlsx":
        return to_xlsx(rows)
    if file_format == "csv":
        return to_csv(rows)
    raise ValueError(f"unknown case file format {file_format!r}")


def to_csv(rows):
    """CSV (UTF-8, comma separated, header row) of case file rows (dicts)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _key, label in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _label in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows):
    """XLSX workbook (one sheet, header row) of case file rows (dicts):
    amounts are numbers and dates real dates, so the agency's software reads
    them without guessing."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("Cases")
    bold = workbook.add_format({"bold": True})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    amount_format = workbook.add_format({"num_format": "0.00"})
    for col, (_key, label) in enumerate(COLUMNS):
        sheet.write_string(0, col, label, bold)
    for row_index, row in enumerate(rows, start=1):
        for col, (key, _label) in enumerate(COLUMNS):
            value = row.get(key)
            if value is None or value is False:
                continue
            if isinstance(value, date):
                if not isinstance(value, datetime):
                    value = datetime.combine(value, datetime.min.time())
                sheet.write_datetime(row_index, col, value, date_format)
            elif isinstance(value, float | int) and not isinstance(value, bool):
                sheet.write_number(row_index, col, value, amount_format)
            else:
                sheet.write_string(row_index, col, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _cell(value):
    if value is None or value is False:
        return ""
    if isinstance(value, float):
        return format_amount(value)
    return str(value)
