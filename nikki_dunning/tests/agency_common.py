"""Helpers of the collection agency tests (hand-over, files, status)."""

import base64
import csv
import io
from datetime import timedelta

import openpyxl
from freezegun import freeze_time

from .common import DAY0, DunningCase

HANDOVER_DAY = DAY0 + timedelta(days=15)


class AgencyCase(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "collection_journal_id": cls.company_data["default_journal_bank"].id,
                "collection_fee_account_id": cls.company_data[
                    "default_account_expense"
                ].id,
            }
        )

    def hand_over(self, invoices, day0=DAY0):
        """Take ``invoices`` through Day 0, Day 7 and the Day 15 hand-over."""
        self.submit_on(day0, invoices)
        self.run_on(day0 + timedelta(days=7))
        self.run_on(day0 + timedelta(days=15))
        return invoices.dunning_case_id

    def files_out(self, company=None):
        return self.env["nikki.collection.exchange"].search(
            [
                ("direction", "=", "out"),
                ("company_id", "=", (company or self.company).id),
            ],
            order="id",
        )

    @staticmethod
    def csv_rows(attachment):
        return list(csv.DictReader(io.StringIO(attachment.raw.decode())))

    @staticmethod
    def xlsx_rows(attachment):
        workbook = openpyxl.load_workbook(io.BytesIO(attachment.raw), data_only=True)
        sheet = workbook.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]

    @staticmethod
    def status_csv(rows, header=None, delimiter=","):
        """A status file (bytes) with one line per tuple of ``rows``."""
        header = header or [
            "Case reference",
            "Invoice number",
            "Status",
            "Amount collected",
            "Date",
            "Agency fee",
        ]
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        return buffer.getvalue().encode()

    def import_status(
        self,
        content,
        filename="status.csv",
        agency=None,
        user=None,
        company=None,
        on=None,
    ):
        """Import a status file on day ``on``; returns the imported file's
        record."""
        with freeze_time(on or HANDOVER_DAY + timedelta(days=5)):
            return self._import_status(content, filename, agency, user, company)

    def _import_status(self, content, filename, agency, user, company):
        env = self.env(user=user) if user else self.env
        wizard = (
            env["nikki.collection.status.import"]
            .with_company(company or self.company)
            .create(
                {
                    "file": base64.b64encode(content),
                    "filename": filename,
                    "agency_id": (agency or self.agency).id,
                }
            )
        )
        action = wizard.action_import()
        return self.env["nikki.collection.exchange"].browse(action["res_id"])
