from datetime import date, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..services import report_figures
from .common import DAY0
from .report_common import DunningReportCase

# every payment of the hand-built history falls in March 2026
LATER = DAY0 + timedelta(days=25)


@tagged("post_install", "-at_install")
class TestDashboard(DunningReportCase):
    def board(self, env=None, today=LATER):
        """{company: headline figures} as the dashboard shows them on
        ``today``."""
        env = env or self.env
        env["nikki.dunning.dashboard"].invalidate_model()
        with freeze_time(today):
            boards = env["nikki.dunning.dashboard"].search([])
            return {
                board["company_id"][0]: board
                for board in boards.read(
                    [
                        "company_id",
                        "currency_id",
                        "open_overdue_amount",
                        "open_overdue_count",
                        "in_dunning_amount",
                        "in_dunning_count",
                        "handed_over_amount",
                        "handed_over_count",
                        "recovered_month_amount",
                        "recovered_month_count",
                        "dso",
                        "dso_known",
                    ]
                )
            }

    def test_headline_figures(self):
        self.build_history()
        late = self.make_invoice(self.de_vries, 500.0)
        self.submit_on(DAY0 + timedelta(days=20), late)
        board = self.board()[self.company.id]
        self.assertEqual(board["currency_id"][0], self.company.currency_id.id)
        # D (400, with the agency) and the late invoice (500, in dunning)
        self.assertEqual(board["open_overdue_amount"], 900.0)
        self.assertEqual(board["open_overdue_count"], 2)
        self.assertEqual(board["in_dunning_amount"], 500.0)
        self.assertEqual(board["in_dunning_count"], 1)
        self.assertEqual(board["handed_over_amount"], 400.0)
        self.assertEqual(board["handed_over_count"], 1)
        # A, B and C were paid in March: 100 + 200 + 300
        self.assertEqual(board["recovered_month_amount"], 600.0)
        self.assertEqual(board["recovered_month_count"], 3)
        # 900 open on 1,500 invoiced in the last 90 days
        self.assertTrue(board["dso_known"])
        self.assertAlmostEqual(board["dso"], 54.0)

        april = self.board(today=date(2026, 4, 2))[self.company.id]
        self.assertEqual(april["recovered_month_amount"], 0.0, "a new month")
        self.assertEqual(april["open_overdue_amount"], 900.0)

    def test_without_sales_there_is_no_dso(self):
        board = self.board()[self.company.id]
        self.assertFalse(board["dso_known"])
        self.assertEqual(board["open_overdue_amount"], 0.0)

    def test_figures_drill_down_into_the_invoices(self):
        a, b, c, d = self.build_history()
        late = self.make_invoice(self.de_vries, 500.0)
        self.submit_on(DAY0 + timedelta(days=20), late)
        board = self.env["nikki.dunning.dashboard"].browse(self.company.id)
        Move = self.env["account.move"]
        with freeze_time(LATER):
            overdue = board.action_open_overdue()
            in_dunning = board.action_open_in_dunning()
            handed = board.action_open_handed_over()
            recovered = board.action_open_recovered()
        self.assertEqual(overdue["res_model"], "account.move")
        self.assertEqual(Move.search(overdue["domain"]), d | late)
        self.assertEqual(Move.search(in_dunning["domain"]), late)
        self.assertEqual(Move.search(handed["domain"]), d)
        rows = self.env[recovered["res_model"]].search(recovered["domain"])
        self.assertEqual(rows.move_id, a | b | c)
        self.assertEqual(sum(rows.mapped("amount")), 600.0)

    def test_one_card_per_company_of_the_user(self):
        company_b = self.setup_other_company(name="Company B")["company"]
        self.build_history()
        invoice_b = self.make_invoice(self.de_vries, 999.0, company=company_b)
        self.run_on(DAY0 + timedelta(days=1), company=company_b)
        self.assertEqual(invoice_b.dunning_state, "active")
        user = new_test_user(
            self.env,
            login="board_a",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[Command.set([self.company.id, company_b.id])],
        )
        env = self.env(user=user)
        boards = self.board(
            env(context=dict(env.context, allowed_company_ids=[self.company.id]))
        )
        self.assertEqual(list(boards), [self.company.id])
        self.assertEqual(boards[self.company.id]["open_overdue_amount"], 400.0)

        boards = self.board(
            env(
                context=dict(
                    env.context, allowed_company_ids=[self.company.id, company_b.id]
                )
            )
        )
        self.assertEqual(
            {company: board["in_dunning_amount"] for company, board in boards.items()},
            {self.company.id: 0.0, company_b.id: 999.0},
        )
        self.assertEqual(
            {
                company: board["open_overdue_amount"]
                for company, board in boards.items()
            },
            {self.company.id: 400.0, company_b.id: 999.0},
        )

    def test_dashboard_shows_odoo_views(self):
        """The dashboard is a board of Odoo's own kanban, graph and pivot
        views, each of which loads for a billing user."""
        user = new_test_user(
            self.env,
            login="board_views",
            groups="account.group_account_invoice",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        env = self.env(user=user)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_dunning_dashboard"
        )
        arch = env["board.board"].get_view(action["view_id"][0], "form")["arch"]
        nodes = etree.fromstring(arch).xpath("//action")
        modes = []
        for node in nodes:
            board_action = self.env["ir.actions.act_window"].browse(
                int(node.get("name"))
            )
            views = board_action.views
            mode = node.get("view_mode")
            modes.append((board_action.res_model, mode))
            view_id = dict((m, v) for v, m in views).get(mode)
            view = env[board_action.res_model].get_view(view_id, mode)
            self.assertTrue(view["arch"])
        self.assertEqual(
            modes,
            [
                ("nikki.dunning.dashboard", "kanban"),
                ("nikki.dunning.report", "graph"),
                ("nikki.dunning.report", "pivot"),
                ("nikki.dunning.report", "graph"),
                ("nikki.dunning.report.customer", "list"),
                ("nikki.dunning.report", "pivot"),
            ],
        )
        menu = self.env.ref("nikki_dunning.menu_dunning_reporting")
        self.assertEqual(menu.parent_id, self.env.ref("account.menu_finance_reports"))
        visible = env["ir.ui.menu"].search([("parent_id", "=", menu.id)])
        self.assertEqual(
            visible.mapped("name"),
            [
                "Dunning Dashboard",
                "Dunning Analysis",
                "Customers Handed Over",
                "Policy Comparison",
            ],
        )


@tagged("post_install", "-at_install")
class TestReportFigures(DunningReportCase):
    """The pure rules behind the headline figures."""

    def test_periods(self):
        self.assertEqual(
            report_figures.month_start(date(2026, 3, 17)), date(2026, 3, 1)
        )
        self.assertEqual(
            report_figures.previous_month(date(2026, 3, 1)),
            (date(2026, 2, 1), date(2026, 2, 28)),
        )
        self.assertEqual(
            report_figures.previous_month(date(2026, 1, 15)),
            (date(2025, 12, 1), date(2025, 12, 31)),
        )
        self.assertEqual(
            report_figures.sales_period(date(2026, 3, 31)),
            (date(2026, 1, 1), date(2026, 3, 31)),
        )

    def test_dso(self):
        self.assertEqual(report_figures.dso(900.0, 1500.0), 54.0)
        self.assertEqual(report_figures.dso(0.0, 1500.0), 0.0)
        self.assertEqual(report_figures.dso(-50.0, 1500.0), 0.0, "credit balance")
        self.assertIsNone(report_figures.dso(900.0, 0.0))
        self.assertIsNone(report_figures.dso(900.0, -10.0), "only credit notes")
        self.assertEqual(report_figures.dso(100.0, 100.0, days=30), 30.0)

    def test_ratio(self):
        self.assertEqual(report_figures.ratio(1, 3), 33.3)
        self.assertEqual(report_figures.ratio(0, 3), 0.0)
        self.assertIsNone(report_figures.ratio(1, 0))
