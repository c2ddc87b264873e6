from datetime import date
from unittest.mock import patch

from freezegun import freeze_time

from odoo import _
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.nikki_dunning.models import receivables_batch

from .common import DAY0
from .receivables_case import ROWS, ReceivablesImportCase
from .receivables_files import DUTCH_HEADER, xlsx_file

Batch = receivables_batch.NikkiReceivablesBatch

# five invoices of three customers: Bakkerij (3), Café (1), Kees (1)
FIVE_ROWS = [
    *ROWS,
    [
        "F-1004",
        "Bakkerij Jansen",
        "D100",
        "info@bakkerij.example.com",
        date(2026, 1, 25),
        date(2026, 2, 24),
        20.0,
        20.0,
    ],
    [
        "F-1005",
        "Kees Klant",
        "D400",
        "kees@klant.example.com",
        None,
        date(2026, 2, 1),
        15.0,
        15.0,
    ],
]


@tagged("post_install", "-at_install")
class TestReceivablesImportBackground(ReceivablesImportCase):
    """Large lists run in the background, a chunk per transaction; a batch
    that stopped resumes with only the rows left."""

    def test_large_list_runs_in_the_background_and_notifies_the_user(self):
        cron = self.env.ref("nikki_dunning.ir_cron_receivables_import")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with patch.object(receivables_batch, "SYNC_ROWS", 2):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *FIVE_ROWS]), "big.xlsx")
        self.assertEqual(batch.state, "queued")
        self.assertEqual(batch.import_date, DAY0)
        self.assertEqual(batch.pending_count, 5)
        self.assertFalse(batch.line_ids.move_id, "nothing created in the request")
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
            triggers + 1,
        )
        self.assertIn("being imported in the background", batch.message_ids[0].body)

        with freeze_time(DAY0), patch.object(receivables_batch, "CHUNK_ROWS", 2):
            remaining = self.Batch._cron_process()
        self.assertEqual(remaining, 0)
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.imported_count, 5)
        self.assertEqual(batch.submitted_count, 5)
        self.assertEqual(len(self.dunning_mails()), 3, "one Day 0 message per customer")
        notice = batch.message_ids[0]
        self.assertIn("5 invoice(s) imported", notice.body)
        self.assertEqual(notice.partner_ids, batch.user_id.partner_id)
        self.assertEqual(notice.author_id, self.env.ref("base.partner_root"))

    def test_a_customers_rows_stay_in_one_chunk(self):
        chunks = []
        process_lines = Batch._process_lines

        def record(batch, lines):
            chunks.append(sorted(lines.mapped("invoice_number")))
            return process_lines(batch, lines)

        with (
            patch.object(receivables_batch, "CHUNK_ROWS", 2),
            patch.object(Batch, "_process_lines", record),
        ):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *FIVE_ROWS]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        self.assertIn(["F-1001", "F-1002", "F-1004"], chunks)
        self.assertEqual(sum(len(chunk) for chunk in chunks), 5)
        bakkerij = self.line(batch, 2).move_id.partner_id
        mail = self.dunning_mails(bakkerij)
        self.assertEqual(len(mail), 1)
        for row_number in (2, 3, 5):
            self.assertIn(self.line(batch, row_number).move_id.name, mail.body_html)

    def test_a_stopped_list_resumes_with_only_the_rest(self):
        calls = []
        create_invoices = Batch._create_invoices

        def crash_on_second_chunk(batch, to_create, partners, currencies):
            calls.append(len(to_create))
            if len(calls) == 2:
                raise RuntimeError("server crashed")
            return create_invoices(batch, to_create, partners, currencies)

        with (
            patch.object(receivables_batch, "CHUNK_ROWS", 2),
            patch.object(Batch, "_create_invoices", crash_on_second_chunk),
            mute_logger("odoo.addons.nikki_dunning.models.receivables_batch"),
        ):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *FIVE_ROWS]), "list.xlsx")
        self.assertEqual(batch.state, "failed")
        self.assertIn("server crashed", batch.error_message)
        self.assertIn("resume the list", batch.message_ids[0].body)
        done = batch.line_ids.filtered(lambda line: line.state == "imported")
        pending = batch.line_ids.filtered(lambda line: line.state == "pending")
        self.assertEqual(len(done), 3, "the first chunk: Bakkerij's three invoices")
        self.assertEqual(len(pending), 2)
        self.assertFalse(pending.move_id, "the failed chunk left nothing behind")
        first_moves = done.move_id
        self.assertEqual(len(self.dunning_mails()), 1)

        with freeze_time(DAY0):
            batch.action_resume()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.imported_count, 5)
        self.assertEqual(done.move_id, first_moves, "the rows done stay as they were")
        for number in ("F-1001", "F-1002", "F-1003", "F-1004", "F-1005"):
            self.assertEqual(
                self.env["account.move"].search_count([("ref", "=", number)]), 1
            )
        self.assertEqual(len(self.dunning_mails()), 3)

    def test_a_row_that_cannot_be_created_is_rejected_alone(self):
        create_invoices = Batch._create_invoices

        def refuse_one(self, to_create, partners, currencies):
            if any(line.invoice_number == "F-1002" for line, _v, _d in to_create):
                raise ValidationError(_("The journal refuses this invoice."))
            return create_invoices(self, to_create, partners, currencies)

        with patch.object(Batch, "_create_invoices", refuse_one):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *ROWS]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        self.assertEqual(
            batch.line_ids.mapped("state"), ["imported", "rejected", "imported"]
        )
        self.assertEqual(
            self.line(batch, 3).message,
            "Row 3 could not be imported: The journal refuses this invoice.",
        )
        self.assertFalse(self.env["account.move"].search([("ref", "=", "F-1002")]))
        # it can be downloaded, fixed and submitted again like any rejected row
        self.assertEqual(batch.rejected_count, 1)

    def test_rows_of_several_customers_failing_alike_stop_the_list(self):
        """A set-up problem fails every row the same way: the list stops with
        the reason instead of rejecting each row, and resumes after the fix."""
        create_invoices = Batch._create_invoices
        broken = {"journal": True}

        def refuse_all(self, to_create, partners, currencies):
            if broken["journal"] and to_create:
                raise ValidationError(_("The journal refuses this invoice."))
            return create_invoices(self, to_create, partners, currencies)

        with (
            patch.object(Batch, "_create_invoices", refuse_all),
            mute_logger("odoo.addons.nikki_dunning.models.receivables_batch"),
        ):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *FIVE_ROWS]), "list.xlsx")
            self.assertEqual(batch.state, "failed")
            self.assertEqual(batch.error_message, "The journal refuses this invoice.")
            self.assertEqual(batch.pending_count, 5, "no row is rejected for it")
            self.assertFalse(batch.rejected_count)
            self.assertIn("Receivables list stopped", batch.message_ids[0].body)
            broken["journal"] = False
            with freeze_time(DAY0):
                batch.action_resume()
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.imported_count, 5)
        self.assertEqual(len(self.dunning_mails()), 3)

    def test_a_company_without_bank_account_is_told_before_anything(self):
        """Day 0 letters must say where to pay: without a bank account the
        import is refused at once, with what to do, and creates nothing."""
        self.env.company.partner_id.bank_ids.unlink()
        wizard = self.check_file(xlsx_file([DUTCH_HEADER, *ROWS]), "list.xlsx")
        self.assertEqual(wizard.pending_count, 3)
        with (
            self.assertRaisesRegex(
                UserError,
                "has no bank account to be paid on, so the Day 0 letters could "
                "not say how to pay. Add one to the company's contact",
            ),
            freeze_time(DAY0),
        ):
            wizard.action_import()
        self.assertEqual(wizard.batch_id.state, "draft")
        self.assertFalse(wizard.batch_id.line_ids.move_id)
        self.assertFalse(
            self.env["account.move"].search([("ref", "in", ["F-1001", "F-1003"])])
        )

    def test_a_list_queued_before_the_bank_account_was_removed_stops(self):
        with patch.object(receivables_batch, "SYNC_ROWS", 2):
            batch = self.import_file(xlsx_file([DUTCH_HEADER, *FIVE_ROWS]), "list.xlsx")
        self.assertEqual(batch.state, "queued")
        self.env.company.partner_id.bank_ids.unlink()
        with freeze_time(DAY0):
            self.Batch.with_context(nikki_import_cron=True)._cron_process()
        self.assertEqual(batch.state, "failed")
        self.assertIn("has no bank account", batch.error_message)
        self.assertEqual(batch.pending_count, 5)
        self.assertFalse(self.dunning_mails())

    def test_invoices_that_cannot_enter_dunning_say_why(self):
        excluded = self.env["res.partner"].create(
            {"name": "Bakkerij Jansen", "ref": "D100", "dunning_excluded": True}
        )
        running = self.make_invoice(self.de_vries, 45.0)
        self.submit_on(DAY0, running)
        rows = [
            *ROWS,
            [running.name, "Anna de Vries", "", "", None, date(2026, 2, 1), 45.0, 45.0],
        ]
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *rows]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        self.assertEqual(
            batch.line_ids.mapped("state"),
            ["imported", "imported", "imported", "linked"],
        )
        for row_number in (2, 3):
            line = self.line(batch, row_number)
            self.assertEqual(line.move_id.partner_id, excluded)
            self.assertFalse(line.submitted)
            self.assertEqual(
                line.submission_note, "the customer is excluded from dunning"
            )
            self.assertEqual(line.move_id.dunning_state, "none")
        self.assertTrue(self.line(batch, 4).submitted)
        self.assertEqual(
            self.line(batch, 5).submission_note, "it is already in dunning"
        )
        self.assertEqual(batch.not_submitted_count, 3)
        self.assertIn("3 invoice(s) did not enter dunning", batch.message_ids[0].body)
        self.assertFalse(self.dunning_mails(excluded))

    def test_an_invoice_whose_letter_cannot_say_how_to_pay_stays_out(self):
        """An existing invoice without payment reference is linked but does
        not enter dunning (its letter could not say how to pay); the list's
        other invoices do."""
        unpayable = self.make_invoice(self.de_vries, 45.0)
        unpayable.payment_reference = False
        rows = [
            *ROWS,
            [unpayable.name, "Anna de Vries", "", "", None, date(2026, 2, 1), 45, 45],
        ]
        batch = self.import_file(xlsx_file([DUTCH_HEADER, *rows]), "list.xlsx")
        self.assertEqual(batch.state, "done")
        line = self.line(batch, 5)
        self.assertEqual((line.state, line.submitted), ("linked", False))
        self.assertEqual(
            line.submission_note,
            f"the letter cannot say how to pay: {unpayable.name} has no payment "
            "reference",
        )
        self.assertEqual(unpayable.dunning_state, "none")
        self.assertEqual(batch.submitted_count, 3)
        self.assertFalse(self.dunning_mails(self.de_vries))

    def test_checked_lists_never_confirmed_are_forgotten(self):
        wizard = self.check_file(xlsx_file([DUTCH_HEADER, *ROWS]), "list.xlsx")
        draft = wizard.batch_id
        self.assertEqual(draft.state, "draft")
        self.env.cr.execute(
            "UPDATE nikki_receivables_batch SET create_date = %s WHERE id = %s",
            ["2026-03-02 08:00:00", draft.id],
        )
        draft.invalidate_recordset()
        with freeze_time("2026-03-03"):
            self.Batch._cron_process()
        self.assertTrue(draft.exists(), "kept for two days")
        with freeze_time("2026-03-05"):
            self.Batch._cron_process()
        self.assertFalse(draft.exists())

    def test_two_lists_with_the_same_invoices_at_the_same_time(self):
        data = xlsx_file([DUTCH_HEADER, *ROWS])
        with freeze_time(DAY0):
            first = self.wizard(data, "a.xlsx")
            first.action_check()
            second = self.wizard(data, "b.xlsx")
            second.action_check()
            first.action_import()
            self.assertEqual(first.batch_id.imported_count, 3)
            # the second list was matched before the first one was imported:
            # the database refuses the numbers a second time
            lookups = Batch._lookups

            def stale(batch, values_list):
                return lookups(batch, values_list)._replace(imported={})

            with patch.object(Batch, "_lookups", stale):
                second.action_import()
        batch = second.batch_id
        self.assertEqual(batch.state, "done")
        self.assertEqual(batch.line_ids.mapped("state"), ["duplicate"] * 3)
        self.assertIn(
            "invoice F-1001 was imported by another list at the same time",
            self.line(batch, 2).message,
        )
        self.assertEqual(
            self.env["account.move"].search_count([("ref", "=", "F-1001")]), 1
        )
        self.assertEqual(len(self.dunning_mails()), 2)
