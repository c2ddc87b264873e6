"""The case file handed to a collection agency: rows in, CSV bytes out.

Only what the agency needs to collect (data minimisation): the debtor's
identity and contact data and, per invoice handed over, its numbers, dates,
amounts and the reminders sent, and the interest and collection costs with
the date the costs may be claimed from (never before the fourteen-day term
of the consumer's notice has passed). No internal notes, no other invoices.
"""

import csv
import io

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
    ("invoice_date", "Invoice date"),
    ("due_date", "Due date"),
    ("currency", "Currency"),
    ("amount_original", "Original amount"),
    ("amount_open", "Open amount"),
    ("reminders", "Reminders sent"),
    ("interest_amount", "Interest"),
    ("costs_amount", "Collection costs"),
    ("costs_claimable_from", "Costs claimable from"),
]


def format_amount(value):
    return f"{value:.2f}"


def to_csv(rows):
    """CSV (UTF-8, comma separated, header row) of case file rows (dicts)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _key, label in COLUMNS])
    for row in rows:
        writer.writerow([_cell(row.get(key)) for key, _label in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _cell(value):
    if value is None or value is False:
        return ""
    if isinstance(value, float):
        return format_amount(value)
    return str(value)
