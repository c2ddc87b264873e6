"""Two workers at once, and a worker killed between batches.

These tests need real, separate database connections (Odoo's test cursor
shares one connection), so they commit their data in a company of their own
and delete it again afterwards.
"""

import uuid
from datetime import date, timedelta

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, get_db_name, tagged

DAY0 = date(2026, 3, 2)
CUSTOMERS = 12
INVOICES_PER_CUSTOMER = 2


@tagged("post_install", "-at_install")
class TestConcurrentWorkers(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.db = sql_db.db_connect(get_db_name())
        with cls.worker() as env:
            company = env["res.company"].create(
                {"name": f"Concurrency Test Co {uuid.uuid4().hex[:8]}"}
            )
            env["account.chart.template"].try_loading(
                "generic_coa", company=company, install_demo=False
            )
            # letters say where to pay: no bank account, no dunning
            env["res.partner.bank"].create(
                {
                    "acc_number": "NL20INGB0001234567",
                    "partner_id": company.partner_id.id,
                }
            )
            env = env(context={"allowed_company_ids": company.ids})
            partners = env["res.partner"].create(
                [
                    {"name": f"Worker test {n}", "email": f"w{n}@example.com"}
                    for n in range(CUSTOMERS)
                ]
            )
            moves = env["account.move"].create(
                [
                    {
                        "move_type": "out_invoice",
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "invoice_date": DAY0 - timedelta(days=20),
                        "invoice_date_due": DAY0 - timedelta(days=5),
                        "invoice_payment_term_id": False,
                        "invoice_line_ids": [
                            Command.create(
                                {"name": "Fee", "price_unit": 10.0 + n, "tax_ids": []}
                            )
                        ],
                    }
                    for partner in partners
                    for n in range(INVOICES_PER_CUSTOMER)
                ]
            )
            moves.action_post()
            cls.company_id = company.id
            cls.move_ids = moves.ids

    @classmethod
    def tearDownClass(cls):
        with cls.db.cursor() as cr:
            cls.wipe(cr)
            cr.execute("DELETE FROM account_move WHERE id IN %s", [tuple(cls.move_ids)])
        super().tearDownClass()

    @classmethod
    def wipe(cls, cr):
        """Remove what the engine wrote for the test company."""
        params = {"company": cls.company_id, "moves": tuple(cls.move_ids)}
        cr.execute(
            """
            DELETE FROM mail_mail WHERE mail_message_id IN (
                SELECT id FROM mail_message
                 WHERE model = 'nikki.dunning.communication' AND res_id IN (
                    SELECT id FROM nikki_dunning_communication
                     WHERE company_id = %(company)s));
            DELETE FROM mail_message
             WHERE (model = 'nikki.dunning.communication' AND res_id IN (
                    SELECT id FROM nikki_dunning_communication
                     WHERE company_id = %(company)s))
                OR (model = 'account.move' AND res_id IN %(moves)s);
            DELETE FROM nikki_dunning_log WHERE company_id = %(company)s;
            DELETE FROM nikki_dunning_communication WHERE company_id = %(company)s;
            """,
            params,
        )

    @classmethod
    def worker(cls):
        """A real, independent connection, as a second cron worker has."""
        return _Worker(cls.db, cls.registry)

    def setUp(self):
        super().setUp()
        with self.worker() as env:
            moves = env["account.move"].browse(self.move_ids)
            self.env_reset(env, moves)

    def env_reset(self, env, moves):
        """Start every test from invoices just enrolled on DAY0."""
        self.wipe(env.cr)
        env["nikki.dunning.engine"]._enrol(moves, "manual", DAY0)

    def processed(self):
        """Step lines and messages per customer, from a fresh connection."""
        with self.db.cursor() as cr:
            cr.execute(
                """
                SELECT partner_id, COUNT(*) FROM nikki_dunning_log
                 WHERE company_id = %s AND action = 'reminder' GROUP BY partner_id
                """,
                [self.company_id],
            )
            lines = dict(cr.fetchall())
            cr.execute(
                """
                SELECT partner_id, COUNT(*) FROM nikki_dunning_communication
                 WHERE company_id = %s AND date = %s GROUP BY partner_id
                """,
                [self.company_id, DAY0],
            )
            messages = dict(cr.fetchall())
        return lines, messages

    def assertEveryCustomerOnce(self):
        lines, messages = self.processed()
        self.assertEqual(len(lines), CUSTOMERS, "every customer was processed")
        self.assertEqual(set(lines.values()), {INVOICES_PER_CUSTOMER})
        self.assertEqual(set(messages.values()), {1}, "one message per customer")

    def run_due(self, env, **kwargs):
        return env["nikki.dunning.engine"]._run_due(
            DAY0, company_ids=[self.company_id], batch_size=4, **kwargs
        )

    def test_a_second_worker_skips_what_the_first_holds(self):
        with self.worker() as env1, self.worker() as env2:
            # worker 1 has claimed its first batch and not committed yet
            first = self.run_due(env1, deadline=-1)
            self.assertEqual(first["customers"], 4)
            # worker 2 does not wait for it: it takes the others
            env2.cr.execute("SET LOCAL lock_timeout = '5s'")
            second = self.run_due(env2)
            self.assertEqual(second["customers"], CUSTOMERS - 4)
            self.assertEqual(second["busy"], 4)
        self.assertEveryCustomerOnce()
        # a third run later finds nothing left to do
        with self.worker() as env3:
            self.assertEqual(self.run_due(env3)["customers"], 0)
        self.assertEveryCustomerOnce()

    def test_a_worker_with_a_stale_snapshot_sends_nothing_twice(self):
        with self.worker() as env2:
            env2.cr.execute("SELECT COUNT(*) FROM account_move")  # snapshot taken
            with self.worker() as env1:
                self.run_due(env1)  # does everything and commits
            # worker 2 still sees the invoices as due; the engine notices the
            # rows changed under it, rolls back and starts on fresh data
            stats = self.run_due(env2, commit=True)
            self.assertEqual(stats["customers"], 0)
        self.assertEveryCustomerOnce()

    def test_a_worker_killed_between_batches(self):
        with self.worker() as env1:
            # commits each batch; the process dies after the first one
            self.run_due(env1, commit=True, deadline=-1)
            env1.cr.rollback()
        lines, _messages = self.processed()
        self.assertEqual(len(lines), 4, "the committed batch stays done")
        with self.worker() as env2:
            stats = self.run_due(env2, commit=True)
            self.assertEqual(stats["customers"], CUSTOMERS - 4)
        self.assertEveryCustomerOnce()


class _Worker:
    """Context manager: an Environment on its own connection, committed on
    a clean exit and rolled back otherwise."""

    def __init__(self, db, registry):
        self.db, self.registry = db, registry

    def __enter__(self):
        self.cr = self.db.cursor()
        return api.Environment(self.cr, SUPERUSER_ID, {})

    def __exit__(self, exc_type, exc, tb):
        try:
            if exc_type is None:
                # a worker's own transaction, on its own connection: these
                # tests are about what is committed
                self.cr.commit()  # pylint: disable=invalid-commit
            else:
                self.cr.rollback()
        finally:
            self.cr.close()
