"""Base class of the receivables list import tests."""

import base64
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from . import receivables_files as files
from .common import DAY0, DunningCase

ROWS = [
    [
        "F-1001",
        "Bakkerij Jansen",
        "D100",
        "info@bakkerij.example.com",
        date(2026, 1, 10),
        date(2026, 2, 9),
        121.0,
        121.0,
    ],
    [
        "F-1002",
        "Bakkerij Jansen",
        "D100",
        "info@bakkerij.example.com",
        date(2026, 1, 20),
        date(2026, 2, 19),
        60.5,
        30.25,
    ],
    [
        "F-1003",
        "Café De Vries",
        "D200",
        "kas@devries.example.com",
        date(2026, 1, 15),
        date(2026, 2, 14),
        1234.5,
        1234.5,
    ],
]


def decimal_comma(rows):
    """Amounts written as text with a decimal comma (1.234,50)."""

    def fmt(value):
        if isinstance(value, float):
            whole, cents = f"{value:,.2f}".split(".")
            return whole.replace(",", ".") + "," + cents
        return value

    return [[fmt(value) for value in row] for row in rows]


@tagged("post_install", "-at_install")
class ReceivablesImportCase(DunningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Batch = cls.env["nikki.receivables.batch"]
        cls.Wizard = cls.env["nikki.receivables.import"]

    def wizard(self, data, filename, **values):
        return self.Wizard.create(
            dict(values, file=base64.b64encode(data), filename=filename)
        )

    def import_file(self, data, filename, day=DAY0, **values):
        """Import a list directly (no preview), as integrations do."""
        with freeze_time(day):
            action = self.wizard(data, filename, **values).action_import()
        self.assertEqual(action["res_model"], "nikki.receivables.batch")
        return self.Batch.browse(action["res_id"])

    def check_file(self, data, filename, **values):
        wizard = self.wizard(data, filename, **values)
        with freeze_time(DAY0):
            wizard.action_check()
        return wizard

    def freeze(self):
        return freeze_time(DAY0)

    def b64(self, data):
        return base64.b64encode(data)

    def line(self, batch, row_number):
        return batch.line_ids.filtered(lambda line: line.row_number == row_number)

    def imported_moves(self, batch):
        return batch.line_ids.filtered(lambda line: line.state == "imported").move_id

    files = files
