import base64
import hashlib
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_datetime

from ..services import status_file
from ..services.case_state import OPEN_LINE_STATES


class NikkiCollectionStatusImport(models.TransientModel):
    """Import a status file of a collection agency.

    Every row ends up applied, unchanged or rejected with its reason on the
    imported file's record (``nikki.collection.exchange``, direction in).
    Rows are all parsed and decided before anything is written; the same
    file is never imported twice.
    """

    _name = "nikki.collection.status.import"
    _description = "Import Agency Status File"

    file = fields.Binary(string="Status File", attachment=False)
    filename = fields.Char()
    agency_id = fields.Many2one(
        "res.partner",
        string="Agency",
        domain="[('is_collection_agency', '=', True)]",
        help="The agency that sent the file. Empty: the agency of this "
        "company's cases, when there is only one.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    payment_mode = fields.Selection(related="company_id.collection_payment_mode")

    @api.model
    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Import Agency Status"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }

    def action_import(self):
        """Import the file; returns the action opening the imported file's
        record with each row's outcome."""
        self.ensure_one()
        return self._import()._action_open()

    # ------------------------------------------------------------------

    def _agency(self):
        if self.agency_id:
            return self.agency_id
        agencies = (
            self.env["nikki.collection.case"]
            .search([("company_id", "=", self.company_id.id)])
            .agency_id
        )
        if len(agencies) != 1:
            raise UserError(_("Choose the agency that sent the status file."))
        return agencies

    def _import(self):
        self.env["nikki.collection.case"].check_access("write")
        company = self.company_id
        if company not in self.env.companies:
            raise UserError(_("Switch to the company the status file is for."))
        content = base64.b64decode(self.file or b"")
        if not content:
            raise UserError(_("Choose the status file to import."))
        agency = self._agency()
        Exchange = self.env["nikki.collection.exchange"].sudo()
        checksum = hashlib.sha1(content).hexdigest()
        earlier = Exchange.search(
            [
                ("direction", "=", "in"),
                ("company_id", "=", company.id),
                ("agency_id", "=", agency.id),
                ("checksum", "=", checksum),
            ],
            limit=1,
        )
        if earlier:
            raise UserError(
                _(
                    "This file was already imported on %(date)s (%(file)s): nothing "
                    "was applied again.",
                    date=format_datetime(self.env, earlier.date),
                    file=earlier.name,
                )
            )
        today = fields.Date.context_today(self)
        try:
            kind = status_file.file_kind(content, self.filename)
            table = status_file.read_table(content, self.filename, kind)
            rows = status_file.parse_rows(table, today)
        except status_file.FileProblem as problem:
            raise UserError(self._file_message(problem)) from None
        if not rows:
            raise UserError(
                _("The file has a header row but no rows: nothing to import.")
            )
        cases, lines = self._facts(rows, company)
        decisions = status_file.decide_rows(rows, cases, agency.id)
        other = status_file.other_agency(decisions)
        if other:
            raise UserError(
                _(
                    "This file lists cases handed over to %(other)s, not to "
                    "%(agency)s: choose %(other)s as the agency, or import the "
                    "file of %(agency)s.",
                    other=self.env["res.partner"].browse(other).sudo().display_name,
                    agency=agency.display_name,
                )
            )
        money = [
            decision
            for decision in decisions
            if decision.result == "applied" and decision.delta_collected
        ]
        record = company.collection_payment_mode == "record" and money
        if record:
            self._check_can_record(company, money)

        exchange = Exchange.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            {
                "direction": "in",
                "company_id": company.id,
                "agency_id": agency.id,
                "file_format": kind,
                "checksum": checksum,
                "line_ids": [
                    fields.Command.create(self._row_values(decision, lines))
                    for decision in decisions
                ],
            }
        )
        exchange.attachment_id = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.filename
                    or f"{exchange.name.replace('/', '-')}.{kind}",
                    "raw": content,
                    "res_model": exchange._name,
                    "res_id": exchange.id,
                    "company_id": company.id,
                }
            )
        )
        self._apply(decisions, lines, company)
        if record:
            exchange.with_env(self.env).line_ids._record_payments()
        exchange.line_ids.filtered(
            lambda row: row.result == "applied"
        ).case_line_id._end_closed_by_agency()
        self._post_case_notes(exchange)
        return exchange

    def _check_can_record(self, company, money):
        try:
            self.env["account.payment"].check_access("create")
        except AccessError:
            raise UserError(
                _(
                    "This file brings money the agency collected, and recording "
                    "payments needs the right to register payments: ask an "
                    "accountant to import it."
                )
            ) from None
        problems = company._collection_payment_problems(
            need_fee=any(decision.delta_fee for decision in money)
        )
        if problems:
            raise UserError(
                _("The agency's payments cannot be recorded:")
                + "\n"
                + "\n".join(problems)
            )

    def _facts(self, rows, company):
        """The company's cases named in the file, as the decisions need them,
        and their lines by id."""
        references = {row.case_reference for row in rows if row.case_reference}
        cases = (
            self.env["nikki.collection.case"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    (
                        "name",
                        "in",
                        list(references | {ref.upper() for ref in references}),
                    ),
                ]
            )
        )
        case_lines = cases.line_ids
        proposed = defaultdict(float)
        for row in (
            self.env["nikki.collection.exchange.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", case_lines.move_id.ids),
                    ("payment_state", "=", "proposed"),
                ]
            )
        ):
            proposed[row.move_id] += row.delta_collected
        facts = {}
        for case in cases:
            by_invoice = {}
            for line in case.line_ids.sorted("id"):
                key = status_file.reference_key(line.move_id.name)
                if key not in by_invoice or line.state in OPEN_LINE_STATES:
                    by_invoice[key] = status_file.LineFacts(
                        id=line.id,
                        state=line.state,
                        exported=bool(line.export_exchange_id),
                        collected=line.agency_collected,
                        fee=line.agency_fee,
                        open=max(
                            0.0,
                            line.move_id.amount_residual - proposed[line.move_id]
                            if line.move_id.state == "posted"
                            else 0.0,
                        ),
                        digits=line.move_currency_id.decimal_places,
                    )
            facts[status_file.reference_key(case.name)] = status_file.CaseFacts(
                agency_id=case.agency_id.id, lines=by_invoice
            )
        return facts, {line.id: line for line in case_lines}

    def _row_values(self, decision, lines):
        row = decision.row
        line = lines.get(decision.line_id)
        ExchangeLine = self.env["nikki.collection.exchange.line"]
        return {
            "row_number": row.number,
            "kind": "status",
            "case_id": line.case_id.id if line else False,
            "case_line_id": line.id if line else False,
            "move_id": line.move_id.id if line else False,
            "case_reference": row.case_reference,
            "invoice_number": row.invoice_number,
            "status": row.status or False,
            "status_text": row.status_text,
            "status_date": row.date,
            "move_currency_id": line.move_currency_id.id if line else False,
            "amount_collected": decision.collected if line else row.collected,
            "amount_fee": decision.fee if line else (row.fee or 0.0),
            "delta_collected": decision.delta_collected,
            "delta_fee": decision.delta_fee,
            "result": decision.result,
            "message": ExchangeLine._problem_message(
                decision.problem,
                decision.details,
                currency=line.move_currency_id if line else None,
            )
            if decision.problem
            else False,
            "payment_state": "proposed"
            if decision.result == "applied" and decision.delta_collected
            else "none",
        }

    def _apply(self, decisions, lines, company):
        """Write what the applied rows say on the cases' invoices."""
        for decision in decisions:
            if decision.result != "applied":
                continue
            line = lines[decision.line_id].sudo()
            currency = line.move_currency_id
            date = decision.row.date

            def company_amount(amount, currency=currency, date=date):
                return currency._convert(amount, company.currency_id, company, date)

            line.write(
                {
                    "state": decision.state,
                    "agency_collected": decision.collected,
                    "agency_fee": decision.fee,
                    "amount_collected": line.amount_collected
                    + company_amount(decision.delta_collected),
                    "amount_fee": line.amount_fee + company_amount(decision.delta_fee),
                    "date_status": date,
                }
            )

    def _post_case_notes(self, exchange):
        labels = dict(
            self.env["nikki.collection.exchange.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        for case, rows in (
            exchange.line_ids.filtered(lambda row: row.result == "applied")
            .grouped("case_id")
            .items()
        ):
            case.message_post(
                body=_(
                    "Status file %(file)s of %(agency)s: %(rows)s.",
                    file=exchange.name,
                    agency=exchange.agency_id.name,
                    rows="; ".join(
                        self.env._(
                            "%(invoice)s %(status)s, collected %(collected)s "
                            "(fee %(fee)s)",
                            invoice=row.move_id.name,
                            status=labels.get(row.status, row.status),
                            collected=format_amount(
                                self.env, row.amount_collected, row.move_currency_id
                            ),
                            fee=format_amount(
                                self.env, row.amount_fee, row.move_currency_id
                            ),
                        )
                        for row in rows
                    ),
                )
            )

    def _file_message(self, problem):
        details = problem.details
        if problem.key == "empty":
            return _("The file is empty.")
        if problem.key == "format":
            return _(
                "Files of type .%s cannot be imported: use a CSV or XLSX status "
                "file.",
                details.get("extension"),
            )
        if problem.key == "not_csv":
            return _("The file is named .csv but is not a CSV file.")
        if problem.key == "missing_columns":
            return _(
                "The file misses the columns %(missing)s (found: %(found)s). A "
                "status file needs: case reference, invoice number, status, amount "
                "collected; optional: date, agency fee.",
                missing=", ".join(details["missing"]),
                found=", ".join(details["found"]) or _("no header"),
            )
        return _("The file cannot be read as CSV or XLSX.")
