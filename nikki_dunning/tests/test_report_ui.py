import io
import json

from openpyxl import load_workbook

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .report_common import DunningReportCase


@tagged("post_install", "-at_install")
class TestReportUi(DunningReportCase, HttpCase):
    """What a billing user does with the analysis in the browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="report_clerk",
            groups="base.group_user,base.group_allow_export,"
            "account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )

    def export_xlsx(self, fields, groupby=()):
        self.authenticate("report_clerk", "report_clerk")
        response = self.url_open(
            "/web/export/xlsx",
            data={
                "data": json.dumps(
                    {
                        "model": "nikki.dunning.report",
                        "fields": [
                            {
                                "name": name,
                                "label": name,
                                "type": self.env["nikki.dunning.report"]
                                ._fields[name]
                                .type,
                            }
                            for name in fields
                        ],
                        "ids": False,
                        "domain": [],
                        "groupby": list(groupby),
                        "context": {"allowed_company_ids": [self.company.id]},
                        "import_compat": False,
                    }
                ),
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]

    def test_export_the_analysis_to_xlsx(self):
        a, b, c, d = self.build_history()
        rows = self.export_xlsx(["move_id", "day_offset", "amount", "outcome"])
        self.assertEqual(rows[0], ["move_id", "day_offset", "amount", "outcome"])
        body = sorted((row[0], row[1], row[2], row[3]) for row in rows[1:])
        self.assertEqual(len(body), 9)
        self.assertIn((d.name, 15, 400.0, "With the Agency"), body)
        self.assertIn((a.name, 0, 100.0, "Paid"), body)

    def test_export_grouped_by_step(self):
        self.build_history()
        rows = self.export_xlsx(["move_id", "amount", "paid"], groupby=["step_id"])
        steps = {step.day_offset: step.name for step in self.policy.step_ids}
        groups = {row[0]: row[1:] for row in rows[1:] if str(row[0]).endswith(")")}
        self.assertEqual(groups[f"{steps[0]} (4)"], [1000.0, "3"])
        self.assertEqual(groups[f"{steps[7]} (3)"], [900.0, "2"])
        self.assertEqual(groups[f"{steps[15]} (2)"], [700.0, "1"])

    def test_dashboard_in_the_browser(self):
        self.build_history()
        self.start_tour(
            "/web#action=nikki_dunning.action_dunning_dashboard",
            "nikki_dunning_dashboard_tour",
            login="report_clerk",
        )
