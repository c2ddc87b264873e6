"""A submitted receivables list: its file, its rows and their outcome.

Two phases:

- **check** (``_create_from_file``): the file is read row by row (streamed),
  every row parsed and validated and matched against Odoo, and stored as a
  line: 'To Import', 'Skipped as Duplicate' or 'Rejected' with the reason.
  Nothing else is created; the user sees the counts and confirms.
- **process** (``_process``): the rows to import go through in chunks of a
  few hundred, a customer's rows always in the same chunk. Per chunk, in one
  transaction: match again on fresh data, create the missing customers,
  create and post the invoices, link the existing ones, record the outcome
  on the lines and submit the invoices to dunning (Day 0 notice, one message
  per customer). In a cron worker each chunk commits, so a crash loses at
  most the chunk in progress and resuming creates only the rest.
"""

import base64
import io
import json
import logging
import time
from collections import defaultdict

from psycopg2 import IntegrityError, OperationalError

from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, formatLang

from ..services import receivables_columns as columns
from ..services import receivables_file as list_file
from ..services import receivables_matching as matching
from ..services import receivables_rows as rows_
from ..services import receivables_values as values_
from ..services.receivables_problem import Problem
from .dunning_engine import CRON_TIME_BUDGET
from .dunning_engine_letters import PAYING_ACTIONS
from .receivables_batch_line import DONE_NUMBER_INDEX, TEXT_FIELDS

_logger = logging.getLogger(__name__)

# rows created, posted and submitted per transaction
CHUNK_ROWS = 500
# rows checked and stored at a time
CHECK_ROWS = 1000
# lists with at most this many rows to import are processed at once, larger
# ones in the background
SYNC_ROWS = 500
# rows searched for the header row
HEADER_SCAN = 20
# rows of different customers failing alike one after the other: a problem
# of the list or the set-up, not of the rows (the list stops)
ALIKE_FAILURES = 3
# default maximum of rows in one list (system parameter below)
MAX_ROWS = 50000
MAX_ROWS_PARAM = "nikki_dunning.receivables_import_max_rows"

BATCH_STATES = [
    ("draft", "Checked"),
    ("queued", "In Progress"),
    ("done", "Done"),
    ("failed", "Stopped"),
]

# values of a line that make the invoice (parsed from the row)
VALUE_FIELDS = (
    *TEXT_FIELDS,
    "invoice_date",
    "due_date",
    "amount",
    "open_amount",
)


class NikkiReceivablesBatch(models.Model):
    _name = "nikki.receivables.batch"
    _description = "Receivables List"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Submitted By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        BATCH_STATES, required=True, default="draft", readonly=True, index=True
    )
    file = fields.Binary(readonly=True, attachment=True, copy=False)
    filename = fields.Char(readonly=True)
    file_format = fields.Selection(
        [("csv", "CSV"), ("xls", "Excel 97-2003 (.xls)"), ("xlsx", "Excel (.xlsx)")],
        readonly=True,
    )
    csv_encoding = fields.Char(readonly=True)
    csv_delimiter = fields.Char(readonly=True)
    decimal_separator = fields.Selection(
        [(",", "Comma"), (".", "Point")], readonly=True
    )
    header = fields.Json(readonly=True, help="The header row of the file.")
    header_row = fields.Integer(readonly=True)
    mapping = fields.Json(readonly=True, help="Field -> column position.")
    import_date = fields.Date(
        string="Day 0",
        readonly=True,
        help="The day the list was confirmed: Day 0 of its invoices.",
    )
    error_message = fields.Text(readonly=True)
    line_ids = fields.One2many(
        "nikki.receivables.batch.line", "batch_id", string="Rows", readonly=True
    )
    row_count = fields.Integer(string="Rows Read", compute="_compute_counts")
    pending_count = fields.Integer(string="To Import", compute="_compute_counts")
    to_link_count = fields.Integer(string="To Link", compute="_compute_counts")
    new_customer_count = fields.Integer(
        string="New Customers", compute="_compute_counts"
    )
    imported_count = fields.Integer(string="Imported", compute="_compute_counts")
    linked_count = fields.Integer(string="Linked", compute="_compute_counts")
    duplicate_count = fields.Integer(string="Duplicates", compute="_compute_counts")
    rejected_count = fields.Integer(string="Rejected", compute="_compute_counts")
    submitted_count = fields.Integer(string="In Dunning", compute="_compute_counts")
    not_submitted_count = fields.Integer(
        string="Not in Dunning", compute="_compute_counts"
    )
    progress = fields.Float(compute="_compute_counts")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    def _compute_counts(self):
        Line = self.env["nikki.receivables.batch.line"]
        counts = defaultdict(int)
        for batch, state, matched_by, submitted, note, count in Line._read_group(
            [("batch_id", "in", self.ids)],
            ["batch_id", "state", "matched_by", "submitted", "submission_note"],
            ["__count"],
        ):
            counts[(batch.id, state)] += count
            counts[(batch.id, "rows")] += count
            if state == "pending" and matched_by == "invoice":
                counts[(batch.id, "to_link")] += count
            if submitted:
                counts[(batch.id, "submitted")] += count
            elif note:
                counts[(batch.id, "not_submitted")] += count
        new_customers = dict(
            Line._read_group(
                [
                    ("batch_id", "in", self.ids),
                    ("state", "=", "pending"),
                    ("matched_by", "=", "new"),
                ],
                ["batch_id"],
                ["customer_key:count_distinct"],
            )
        )
        for batch in self:
            key = batch.id
            batch.row_count = counts[(key, "rows")]
            batch.pending_count = counts[(key, "pending")]
            batch.to_link_count = counts[(key, "to_link")]
            batch.imported_count = counts[(key, "imported")]
            batch.linked_count = counts[(key, "linked")]
            batch.duplicate_count = counts[(key, "duplicate")]
            batch.rejected_count = counts[(key, "rejected")]
            batch.submitted_count = counts[(key, "submitted")]
            batch.not_submitted_count = counts[(key, "not_submitted")]
            batch.new_customer_count = new_customers.get(batch, 0)
            batch.progress = (
                100.0 * (batch.row_count - batch.pending_count) / batch.row_count
                if batch.row_count
                else 0.0
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("nikki.receivables.batch")
                    or "/"
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # reading the file
    # ------------------------------------------------------------------

    def _render(self, problem):
        return problem.render(self.env.lang or "en_US")

    @api.model
    def _open_list(self, data, filename):
        try:
            return list_file.ListReader(io.BytesIO(data), filename)
        except Problem as problem:
            raise UserError(self._render(problem)) from None

    @api.model
    def _find_header(self, reader, saved):
        """(row number, header texts) of the header row: the first of the
        first rows that names at least two known columns."""
        first = None
        for index, (row_number, cells) in enumerate(self._rows(reader)):
            if index >= HEADER_SCAN:
                break
            if columns.header_score(cells, saved) >= 2:
                return row_number, [values_.text(cell) for cell in cells]
            first = first or (row_number, cells)
        # unknown column names: the first row is the header when it holds
        # labels only (the user maps the columns)
        if first and columns.looks_like_header(first[1], values_.is_value):
            return first[0], [values_.text(cell) for cell in first[1]]
        raise UserError(
            _(
                "No header row found in '%(file)s': none of its first %(rows)s rows "
                "names the columns, such as 'Invoice number', 'Customer', 'Open "
                "amount' and 'Due date' (or 'Factuurnummer', 'Debiteur', "
                "'Openstaand' and 'Vervaldatum'). Add a header row above the "
                "invoices.",
                file=reader.filename,
                rows=HEADER_SCAN,
            )
        )

    @api.model
    def _rows(self, reader):
        try:
            yield from reader.rows()
        except Problem as problem:
            raise UserError(self._render(problem)) from None
        except UnicodeDecodeError as error:
            raise UserError(
                _(
                    "The file '%(file)s' could not be read as %(encoding)s text: "
                    "%(error)s",
                    file=reader.filename,
                    encoding=reader.dialect.encoding if reader.dialect else "",
                    error=error,
                )
            ) from None
        except Exception as error:  # noqa: BLE001 -- a damaged file, said clearly
            raise UserError(
                _(
                    "The file '%(file)s' could not be read: %(error)s",
                    file=reader.filename,
                    error=str(error) or type(error).__name__,
                )
            ) from None

    @api.model
    def _inspect(self, data, filename, mapping=None):
        """The layout of a list without reading it all: format, header row,
        headers, the column mapping (``mapping`` or recognised), a sample
        data row and the required fields left unmapped."""
        reader = self._open_list(data, filename)
        try:
            return self._layout(reader, mapping)
        finally:
            reader.close()

    @api.model
    def _layout(self, reader, mapping=None):
        """The layout of an open list (see ``_inspect``)."""
        saved = self.env.company.receivables_import_mapping or {}
        header_row, headers = self._find_header(reader, saved)
        if mapping is None:
            mapping = columns.recognise(headers, saved)
        sample = []
        for row_number, cells in self._rows(reader):
            if row_number > header_row:
                sample = [values_.text(cell) for cell in cells]
                break
        return {
            "file_format": reader.file_format,
            "dialect": reader.dialect,
            "header_row": header_row,
            "headers": headers,
            "mapping": mapping,
            "sample": sample,
            "missing": columns.missing_required(mapping),
        }

    @api.model
    def _field_labels(self):
        """Field key -> label in the user's language."""
        return dict(
            self.env["nikki.receivables.import.column"]
            ._fields["field"]
            ._description_selection(self.env)
        )

    @api.model
    def _missing_columns_message(self, missing):
        labels = self._field_labels()
        labels = ", ".join(labels[field] for field in missing)
        return _(
            "These required columns are not mapped: %(columns)s. Give the file "
            "a header for each (see the column names below) or choose the "
            "column for each.",
            columns=labels,
        )

    @api.model
    def _max_rows(self):
        value = self.env["ir.config_parameter"].sudo().get_param(MAX_ROWS_PARAM)
        try:
            return int(value) if value else MAX_ROWS
        except ValueError:
            return MAX_ROWS

    @api.model
    def _create_from_file(
        self, data, filename, mapping=None, decimal_separator=None, layout=None
    ):
        """Check a list and keep it as a draft batch with a line per row.

        ``mapping`` (field -> column position) overrides the recognised
        columns; ``decimal_separator`` (',' or '.') the list's convention;
        ``layout`` is the list's ``_inspect`` when the caller has it.
        Raises UserError for a problem with the whole file.
        """
        reader = self._open_list(data, filename)
        try:
            layout = layout or self._layout(reader, mapping)
            if layout["missing"]:
                raise UserError(self._missing_columns_message(layout["missing"]))
            dialect = layout["dialect"]
            if decimal_separator not in (",", "."):
                decimal_separator = (
                    ","
                    if dialect and dialect.delimiter == ";"
                    else values_.DECIMAL_POINT
                )
            self._check_size(reader, layout["header_row"])
            batch = self.create(
                {
                    "file": base64.b64encode(data),
                    "filename": filename,
                    "file_format": reader.file_format,
                    "csv_encoding": dialect.encoding if dialect else False,
                    "csv_delimiter": dialect.delimiter if dialect else False,
                    "decimal_separator": decimal_separator,
                    "header": layout["headers"],
                    "header_row": layout["header_row"],
                    "mapping": layout["mapping"],
                }
            )
            data_rows = (
                (row_number, cells)
                for row_number, cells in self._rows(reader)
                if row_number > layout["header_row"]
            )
            stored = batch._store_rows(data_rows)
        finally:
            reader.close()
        if not stored:
            raise UserError(
                _(
                    "The file '%(file)s' has a header row (row %(row)s) but no "
                    "invoice rows below it.",
                    file=filename,
                    row=layout["header_row"],
                )
            )
        return batch

    @api.model
    def _check_size(self, reader, header_row):
        """Refuse lists above the row limit before storing anything."""
        limit = self._max_rows()
        if not reader.size_hint or reader.size_hint - header_row <= limit:
            return
        count = 0
        for row_number, _cells in self._rows(reader):
            if row_number <= header_row:
                continue
            count += 1
            if count > limit:
                raise UserError(
                    _(
                        "The file '%(file)s' has more than %(limit)s invoice rows "
                        "(row %(row)s is one too many). Split the list into files "
                        "of at most %(limit)s rows and submit them one by one.",
                        file=reader.filename,
                        limit=limit,
                        row=row_number,
                    )
                )

    def _parse_context(self):
        """What parsing a row needs to know about Odoo, read once."""
        self.ensure_one()
        currencies = self.env["res.currency"].search_fetch(
            [], ["name", "decimal_places", "rounding"]
        )
        countries = {}
        for lang in {"en_US", self.env.lang or "en_US"}:
            for country in self.env["res.country"].with_context(lang=lang).search([]):
                countries[columns.normalise_header(country.name)] = country.code
                countries[columns.normalise_header(country.code)] = country.code
        for alias, code in values_.COUNTRY_ALIASES.items():
            countries.setdefault(columns.normalise_header(alias), code)
        return {
            "today": fields.Date.context_today(self),
            "currencies": {c.name: c.decimal_places for c in currencies},
            "default_currency": self.company_id.currency_id.name,
            "countries": countries,
            "decimal_separator": self.decimal_separator or values_.DECIMAL_POINT,
        }

    def _store_rows(self, data_rows):
        """Parse, validate and match every row; store one line per row.

        Rows with the same invoice number are all rejected: which of them is
        right cannot be known. Returns the number of rows stored.
        """
        self.ensure_one()
        context = self._parse_context()
        mapping = {field: int(position) for field, position in self.mapping.items()}
        headers = self.header or []
        limit = self._max_rows()
        rows_by_number = defaultdict(list)
        buffer, stored = [], 0
        for row_number, cells in data_rows:
            stored += 1
            if stored > limit:
                raise UserError(
                    _(
                        "The file has more than %(limit)s invoice rows (row %(row)s "
                        "is one too many). Split the list into smaller files.",
                        limit=limit,
                        row=row_number,
                    )
                )
            values, problems = rows_.parse_row(cells, mapping, **context)
            vals = {
                "batch_id": self.id,
                "row_number": row_number,
                "raw_values": [list_file.cell_to_json(cell) for cell in cells],
                "invoice_number": values["invoice_number"],
                "invoice_number_key": matching.number_key(values["invoice_number"]),
            }
            if values["invoice_number"]:
                rows_by_number[vals["invoice_number_key"]].append(row_number)
            if problems:
                vals["state"] = "rejected"
                vals["message"] = self._row_message(
                    row_number, problems, headers, mapping
                )
                buffer.append((vals, None))
            else:
                buffer.append((vals, values))
            if len(buffer) >= CHECK_ROWS:
                self._store_lines(buffer)
                buffer = []
        if buffer:
            self._store_lines(buffer)
        self._reject_repeated_numbers(rows_by_number)
        return stored

    @api.model
    def _row_message(self, row_number, problems, headers, mapping):
        labels = self._field_labels()
        parts = []
        for field, problem in problems:
            position = mapping.get(field)
            column = (
                headers[position]
                if position is not None and position < len(headers)
                else labels[field]
            )
            parts.append(
                self.env._(
                    "Row %(row)s, column '%(column)s': %(problem)s",
                    row=row_number,
                    column=column or position + 1,
                    problem=self._render(problem),
                )
            )
        return "; ".join(parts)

    def _store_lines(self, buffer):
        """Match the valid rows of ``buffer`` and create its lines."""
        valid = [(vals, values) for vals, values in buffer if values]
        if valid:
            currencies = self._currencies()
            decisions = self._decide([values for _vals, values in valid], currencies)
            for (vals, values), decision in zip(valid, decisions, strict=True):
                vals.update(self._line_values(values, currencies))
                vals.update(self._decision_values(decision, values))
        self._insert_lines([vals for vals, _values in buffer])

    def _insert_lines(self, vals_list):
        """Insert rows' lines with one query: a list of tens of thousands of
        rows is checked within a request (the ORM would spend most of the
        check creating the lines one by one). The lines are plain data: no
        computed field, no side effect."""
        Line = self.env["nikki.receivables.batch.line"]
        names = [
            "batch_id",
            "row_number",
            "state",
            "message",
            "raw_values",
            "matched_by",
            "partner_id",
            "customer_key",
            "invoice_number",
            "invoice_number_key",
            *VALUE_FIELDS[1:],
            "country_code",
            "currency_id",
        ]
        now, uid = self.env.cr.now(), self.env.uid
        rows = []
        for vals in vals_list:
            row = [
                None if vals.get(name) is False else vals.get(name) for name in names
            ]
            row[names.index("state")] = vals.get("state") or "pending"
            row[names.index("raw_values")] = json.dumps(vals["raw_values"])
            rows.append(
                SQL("%s", (*row, self.company_id.id, False, False, uid, now, uid, now))
            )
        columns = SQL(", ").join(
            SQL.identifier(name)
            for name in [
                *names,
                "company_id",
                "partner_created",
                "submitted",
                "create_uid",
                "create_date",
                "write_uid",
                "write_date",
            ]
        )
        Line.flush_model()
        self.env.cr.execute(
            SQL(
                "INSERT INTO nikki_receivables_batch_line (%s) VALUES %s",
                columns,
                SQL(", ").join(rows),
            )
        )
        self.invalidate_recordset(["line_ids"])

    @api.model
    def _line_values(self, values, currencies):
        vals = {field: values[field] for field in VALUE_FIELDS}
        vals["country_code"] = values["country"]
        vals["currency_id"] = currencies[values["currency"]].id
        return vals

    def _decision_values(self, decision, values):
        if decision.outcome in ("duplicate", "reject"):
            return {
                "state": "duplicate" if decision.outcome == "duplicate" else "rejected",
                "message": self._render(decision.problem),
            }
        key = (
            f"partner:{decision.partner_id}"
            if decision.partner_id
            else matching.customer_key(values)
        )
        return {
            "state": "pending",
            "matched_by": decision.matched_by,
            "partner_id": decision.partner_id or False,
            "customer_key": key,
        }

    def _reject_repeated_numbers(self, rows_by_number):
        repeated = {key: rows for key, rows in rows_by_number.items() if len(rows) > 1}
        if not repeated:
            return
        lines = self.env["nikki.receivables.batch.line"].search(
            [
                ("batch_id", "=", self.id),
                ("invoice_number_key", "in", list(repeated)),
            ]
        )
        outcomes = {}
        for line in lines:
            rows = repeated[line.invoice_number_key]
            message = self.env._(
                "Row %(row)s: invoice number %(number)s appears more than once in "
                "the list (rows %(rows)s); keep one row per invoice.",
                row=line.row_number,
                number=line.invoice_number,
                rows=", ".join(str(row) for row in rows),
            )
            if line.state == "rejected" and line.message:
                message = f"{line.message}; {message}"
            outcomes[line.id] = {"state": "rejected", "message": message}
        self._write_outcomes(outcomes)

    # ------------------------------------------------------------------
    # matching (bulk look-ups around services/receivables_matching.py)
    # ------------------------------------------------------------------

    @api.model
    def _currencies(self):
        return {
            currency.name: currency for currency in self.env["res.currency"].search([])
        }

    def _decide(self, values_list, currencies):
        """One decision per row of ``values_list`` (valid rows)."""
        lookups = self._lookups(values_list)
        return [
            matching.decide(
                values,
                lookups,
                rounding=currencies[values["currency"]].rounding
                if values.get("currency") in currencies
                else 0.01,
            )
            for values in values_list
        ]

    def _lookups(self, values_list):
        self.ensure_one()
        company = self.company_id
        keys = {matching.number_key(values["invoice_number"]) for values in values_list}
        numbers = {values["invoice_number"] for values in values_list}
        self.env["nikki.receivables.batch.line"].flush_model()
        imported = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT DISTINCT ON (line.invoice_number_key)
                           line.invoice_number_key, batch.name
                      FROM nikki_receivables_batch_line line
                      JOIN nikki_receivables_batch batch ON batch.id = line.batch_id
                     WHERE line.company_id = %(company)s
                       AND line.state IN ('imported', 'linked')
                       AND line.move_id IS NOT NULL
                       AND line.batch_id != %(batch)s
                       AND line.invoice_number_key IN %(keys)s
                  ORDER BY line.invoice_number_key, line.id
                    """,
                    company=company.id,
                    batch=self.id,
                    keys=tuple(keys),
                )
            )
        )
        invoices = defaultdict(list)
        for move in self.env["account.move"].search_fetch(
            [
                ("company_id", "=", company.id),
                ("move_type", "=", "out_invoice"),
                ("name", "in", list(numbers)),
            ],
            [
                "name",
                "state",
                "amount_residual",
                "currency_id",
                "commercial_partner_id",
            ],
        ):
            invoices[move.name].append(
                matching.OdooInvoice(
                    move.id,
                    move.name,
                    move.state,
                    move.amount_residual,
                    move.currency_id.name,
                    move.commercial_partner_id.id,
                )
            )
        refs = {
            values["partner_ref"] for values in values_list if values["partner_ref"]
        }
        vats = {values["vat"] for values in values_list if values["vat"]}
        emails = {values["email"] for values in values_list if values["email"]}
        return matching.Lookups(
            imported=imported,
            invoices=invoices,
            by_ref=self._customers_by("ref", refs),
            by_vat=self._customers_by("vat", vats),
            by_email=self._customers_by("email_normalized", emails),
        )

    def _customers_by(self, field, keys):
        """Key -> customers (commercial partners) of the company with it."""
        if not keys:
            return {}
        Partner = self.env["res.partner"]
        company_domain = [("company_id", "in", [False, self.company_id.id])]
        if field == "vat":
            Partner.flush_model(["vat", "company_id", "active"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT id, upper(regexp_replace(vat, '[^0-9A-Za-z]', '', 'g'))
                      FROM res_partner
                     WHERE active
                       AND vat IS NOT NULL
                       AND (company_id IS NULL OR company_id = %(company)s)
                       AND upper(regexp_replace(vat, '[^0-9A-Za-z]', '', 'g'))
                           IN %(keys)s
                    """,
                    company=self.company_id.id,
                    keys=tuple(keys),
                )
            )
            partners = Partner.browse(row[0] for row in rows)
            key_of = {row[0]: row[1] for row in rows}
        else:
            partners = Partner.search_fetch(
                [(field, "in", list(keys))] + company_domain,
                [field, "commercial_partner_id"],
            )
            key_of = {partner.id: partner[field] for partner in partners}
        found = defaultdict(dict)
        for partner in partners:
            customer = partner.commercial_partner_id
            found[key_of[partner.id]][customer.id] = matching.Customer(
                customer.id, customer.display_name
            )
        return {key: sorted(customers.values()) for key, customers in found.items()}

    # ------------------------------------------------------------------
    # processing
    # ------------------------------------------------------------------

    def _start(self):
        """Confirm the checked list: Day 0 is today; the column mapping is
        remembered for the company's next list."""
        self.env["account.move"].check_access("create")
        for batch in self:
            if batch.state != "draft":
                raise UserError(
                    _("The list %s was already confirmed.", batch.display_name)
                )
            batch._invoice_setup()
            batch._check_payable()
            batch.write(
                {"state": "queued", "import_date": fields.Date.context_today(batch)}
            )
            batch.company_id.sudo().receivables_import_mapping = (
                columns.mapping_by_header(
                    batch.header or [],
                    {field: int(pos) for field, pos in (batch.mapping or {}).items()},
                )
            )
            batch._run_or_queue()

    def _check_payable(self):
        """Refuse a list whose Day 0 letters could not say how to pay: every
        row would fail alike (checked again before each background run)."""
        self.ensure_one()
        company = self.company_id
        policy = company._dunning_policy()
        if (
            policy
            and policy._first_step().action in PAYING_ACTIONS
            and not company.partner_id.bank_ids
        ):
            raise UserError(
                _(
                    "%(company)s has no bank account to be paid on, so the Day 0 "
                    "letters could not say how to pay. Add one to the company's "
                    "contact (Invoicing tab), then import the list.",
                    company=company.name,
                )
            )

    def _run_or_queue(self):
        """Small lists are processed at once, larger ones in the background
        (the user is notified when they are done)."""
        self.ensure_one()
        if self.pending_count <= SYNC_ROWS and not self.env.context.get(
            "nikki_import_background"
        ):
            self._process()
        else:
            self.env.ref("nikki_dunning.ir_cron_receivables_import").sudo()._trigger()
            self.message_post(
                body=_(
                    "%s rows are being imported in the background; you will be "
                    "notified when the list is done.",
                    self.pending_count,
                )
            )

    def _pending_chunk(self):
        """The next rows to import: up to CHUNK_ROWS, completed with every
        other row of the last customer (a customer's invoices are submitted
        together, so its Day 0 notice lists them all)."""
        Line = self.env["nikki.receivables.batch.line"]
        lines = Line.search(
            [("batch_id", "=", self.id), ("state", "=", "pending")],
            order="customer_key, row_number",
            limit=CHUNK_ROWS,
        )
        if len(lines) == CHUNK_ROWS:
            lines |= Line.search(
                [
                    ("batch_id", "=", self.id),
                    ("state", "=", "pending"),
                    ("customer_key", "=", lines[-1].customer_key),
                    ("id", "not in", lines.ids),
                ]
            )
        return lines

    def _process(self, commit=False, deadline=None):
        """Import the rows still to import, chunk by chunk.

        Returns True when the list is done, False when ``deadline`` (a
        ``time.monotonic()`` value) cut the work short. When a chunk fails
        for a reason other than its data, the list stops ('Stopped') with
        the reason; the rows done so far stay done.
        """
        self.ensure_one()
        try:
            self._check_payable()
        except UserError as error:
            return self._stop(error, commit)
        while True:
            if not self._lock():
                return False
            lines = self._pending_chunk()
            if not lines:
                break
            try:
                with self.env.cr.savepoint():
                    self._process_lines(lines)
            except AccessError as error:
                return self._stop(error, commit)
            except (UserError, IntegrityError) as error:
                _logger.info(
                    "Receivables list %s: chunk failed (%s), retried row by row",
                    self.name,
                    error,
                )
                stopped_by = self._process_rows_one_by_one(lines)
                if stopped_by:
                    return self._stop(stopped_by, commit)
            except (OperationalError, MemoryError):
                raise
            except Exception as error:  # noqa: BLE001 -- reported on the list
                _logger.exception("Receivables list %s stopped", self.name)
                return self._stop(error, commit)
            if commit:
                # one transaction per chunk (cron only): a crash loses at
                # most the chunk in progress
                self.env.cr.commit()  # pylint: disable=invalid-commit
            self.env.invalidate_all()
            if deadline and time.monotonic() > deadline:
                return False
        self._finish()
        return True

    def _stop(self, error, commit):
        """The list stops with ``error`` (kept in the cron's transaction);
        True: nothing more to do for it now."""
        self._fail(error)
        if commit:
            self.env.cr.commit()  # pylint: disable=invalid-commit
        return True

    def _lock(self):
        """Claim the list for this transaction; False when another worker
        is processing it."""
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM nikki_receivables_batch WHERE id = %s "
                "FOR NO KEY UPDATE SKIP LOCKED",
                self.id,
            )
        )
        return bool(rows)

    def _process_rows_one_by_one(self, lines):
        """A chunk failed on its data: each row on its own, so one bad row
        is rejected with the reason and the others go through.

        Returns the error when rows of different customers fail alike one
        after the other: a problem of the set-up, not of the rows. The list
        then stops with it and those rows stay to import (after the fix,
        *Resume*)."""
        alike = []  # failed rows with the same message, not yet rejected
        for line in lines:
            try:
                with self.env.cr.savepoint():
                    self._process_lines(line)
            except (UserError, IntegrityError) as error:
                if (
                    isinstance(error, IntegrityError)
                    and error.diag.constraint_name == DONE_NUMBER_INDEX
                ):
                    line.write(
                        {
                            "state": "duplicate",
                            "message": self.env._(
                                "invoice %(number)s was imported by another list "
                                "at the same time",
                                number=line.invoice_number,
                            ),
                        }
                    )
                    continue
                message = (
                    error.args[0]
                    if isinstance(error, UserError)
                    else str(error).strip()
                )
                if alike and alike[0][1] != message:
                    self._reject_failed(alike)
                    alike = []
                alike.append((line, message))
                if (
                    len(alike) >= ALIKE_FAILURES
                    and len({failed.customer_key for failed, _text in alike}) > 1
                ):
                    return error
            else:
                self._reject_failed(alike)
                alike = []
        self._reject_failed(alike)
        return None

    def _reject_failed(self, failures):
        for line, message in failures:
            line.write(
                {
                    "state": "rejected",
                    "message": self.env._(
                        "Row %(row)s could not be imported: %(error)s",
                        row=line.row_number,
                        error=message,
                    ),
                }
            )

    def _process_lines(self, lines):
        """One chunk: match on fresh data, create customers and invoices,
        submit the invoices to dunning and record every row's outcome."""
        currencies = self._currencies()
        values_list = [line._import_values() for line in lines]
        decisions = self._decide(values_list, currencies)
        outcomes, to_create, to_submit = {}, [], {}
        for line, values, decision in zip(lines, values_list, decisions, strict=True):
            if decision.outcome in ("duplicate", "reject"):
                outcomes[line.id] = self._decision_values(decision, values)
            elif decision.outcome == "link":
                outcomes[line.id] = {
                    "state": "linked",
                    "move_id": decision.move_id,
                    "partner_id": decision.partner_id,
                    "matched_by": "invoice",
                }
                to_submit[line.id] = decision.move_id
            else:
                to_create.append((line, values, decision))
        partners = self._customers_for(to_create)
        moves = self._create_invoices(to_create, partners, currencies)
        for (line, _values, decision), move in zip(to_create, moves, strict=True):
            outcomes[line.id] = {
                "state": "imported",
                "move_id": move.id,
                "partner_id": partners[line.id],
                "matched_by": decision.matched_by,
                "partner_created": decision.matched_by == "new",
            }
            to_submit[line.id] = move.id
        notes = self._submit_moves(self.env["account.move"].browse(to_submit.values()))
        for line_id, move_id in to_submit.items():
            outcomes[line_id]["submitted"] = move_id not in notes
            outcomes[line_id]["submission_note"] = notes.get(move_id)
        self._write_outcomes(outcomes)

    def _write_outcomes(self, outcomes):
        """Record the outcome of many rows in one query (line id -> values;
        the columns not given are cleared)."""
        Line = self.env["nikki.receivables.batch.line"]
        Line.flush_model()
        rows = SQL(", ").join(
            SQL(
                "(%s::int, %s::varchar, %s::varchar, %s::int, %s::int, %s::varchar, "
                "%s::bool, %s::bool, %s::varchar)",
                line_id,
                values["state"],
                values.get("message"),
                values.get("move_id"),
                values.get("partner_id"),
                values.get("matched_by"),
                bool(values.get("partner_created")),
                bool(values.get("submitted")),
                values.get("submission_note"),
            )
            for line_id, values in outcomes.items()
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE nikki_receivables_batch_line AS line
                   SET state = row.state,
                       message = row.message,
                       move_id = row.move_id,
                       partner_id = row.partner_id,
                       matched_by = row.matched_by,
                       partner_created = row.partner_created,
                       submitted = row.submitted,
                       submission_note = row.submission_note,
                       write_uid = %(uid)s,
                       write_date = %(now)s
                  FROM (VALUES %(rows)s) AS row(
                       id, state, message, move_id, partner_id, matched_by,
                       partner_created, submitted, submission_note)
                 WHERE line.id = row.id
                """,
                rows=rows,
                uid=self.env.uid,
                now=self.env.cr.now(),
            ),
            # a duplicate number refused by the database is handled row by row
            log_exceptions=False,
        )
        Line.browse(outcomes).invalidate_recordset()

    def _submit_moves(self, moves):
        """Submit ``moves`` to dunning, Day 0 = the list's date. Returns, for
        the invoices that cannot enter, why (invoice id -> text)."""
        engine = self.env["nikki.dunning.engine"]
        if not moves:
            return {}
        try:
            with self.env.cr.savepoint():
                engine._submit(moves, source="import", today=self.import_date)
        except UserError:
            # some cannot enter: say which and why, submit the others
            return self._submit_the_others(moves)
        return {}

    def _submit_the_others(self, moves):
        engine = self.env["nikki.dunning.engine"]
        notes = engine._submission_refusals(moves)
        ready = moves.filtered(lambda move: move.id not in notes)
        if ready:
            engine._submit(ready, source="import", today=self.import_date)
        return notes

    def _customers_for(self, to_create):
        """Customer of each row to create (by line id): the one found, or
        one new customer per customer key, shared with the rows of earlier
        chunks of this list."""
        partners = {}
        new_rows = defaultdict(list)
        for line, values, decision in to_create:
            if decision.partner_id:
                partners[line.id] = decision.partner_id
            else:
                new_rows[line.customer_key].append((line, values))
        if not new_rows:
            return partners
        existing = {
            line.customer_key: line.partner_id.id
            for line in self.env["nikki.receivables.batch.line"].search(
                [
                    ("batch_id", "=", self.id),
                    ("customer_key", "in", list(new_rows)),
                    ("partner_created", "=", True),
                    ("partner_id", "!=", False),
                ]
            )
        }
        keys = [key for key in new_rows if key not in existing]
        countries = {
            country.code: country.id for country in self.env["res.country"].search([])
        }
        # the list's customers are created by the import itself, also for
        # users who may not create contacts otherwise
        created = (
            self.env["res.partner"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [self._partner_values(new_rows[key][0][1], countries) for key in keys]
            )
        )
        existing.update(zip(keys, created.ids, strict=True))
        for key, rows in new_rows.items():
            for line, _values in rows:
                partners[line.id] = existing[key]
        return partners

    def _partner_values(self, values, countries):
        return {
            "name": values["partner_name"],
            "ref": values["partner_ref"] or False,
            "vat": values["vat"] or False,
            "email": values["email"] or False,
            "phone": values["phone"] or False,
            "street": values["street"] or False,
            "zip": values["zip"] or False,
            "city": values["city"] or False,
            "country_id": countries.get(values["country"]) or False,
            "is_company": bool(values["vat"]),
            "company_id": self.company_id.id,
            "customer_rank": 1,
        }

    def _invoice_setup(self):
        """Journal, product and account of the invoices created."""
        company = self.company_id
        journal = company.receivables_import_journal_id or self.env[
            "account.journal"
        ].search(
            [("company_id", "=", company.id), ("type", "=", "sale")],
            order="sequence, id",
            limit=1,
        )
        if not journal:
            raise UserError(
                _(
                    "The company %s has no sales journal to create the invoices in.",
                    company.name,
                )
            )
        product = company.receivables_import_product_id or self.env.ref(
            "nikki_dunning.product_imported_receivable", raise_if_not_found=False
        )
        return journal, product, company.receivables_import_account_id

    def _create_invoices(self, to_create, partners, currencies):
        """Posted customer invoices for the rows ``to_create``, in order."""
        Move = self.env["account.move"]
        if not to_create:
            return Move
        journal, product, account = self._invoice_setup()
        vals_list = []
        for line, values, _decision in to_create:
            label = values["description"] or self.env._(
                "Open balance of invoice %(number)s", number=values["invoice_number"]
            )
            if values["amount"] and values["amount"] != values["open_amount"]:
                label += " " + self.env._(
                    "(invoice amount %(amount)s)",
                    amount=formatLang(
                        self.env,
                        values["amount"],
                        currency_obj=currencies[values["currency"]],
                    ),
                )
            line_vals = {
                "name": label,
                "quantity": 1,
                "price_unit": values["open_amount"],
                "tax_ids": [Command.clear()],
            }
            if product:
                line_vals["product_id"] = product.id
            if account:
                line_vals["account_id"] = account.id
            vals_list.append(
                {
                    # numbered when posted, right below (as Odoo does for
                    # entries posted at once: no sequence look-up for drafts)
                    "name": "/",
                    "move_type": "out_invoice",
                    "journal_id": journal.id,
                    "partner_id": partners[line.id],
                    "invoice_date": values["invoice_date"]
                    or min(values["due_date"], self.import_date),
                    "invoice_date_due": values["due_date"],
                    "invoice_payment_term_id": False,
                    "currency_id": currencies[values["currency"]].id,
                    "ref": values["invoice_number"],
                    "payment_reference": values["invoice_number"],
                    "invoice_origin": self.name,
                    "invoice_line_ids": [Command.create(line_vals)],
                }
            )
        moves = Move.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        ).create(vals_list)
        self._subscribe_customers(moves)
        moves.action_post()
        return moves

    def _subscribe_customers(self, moves):
        """Each customer follows its invoice, as posting makes it do, but in
        one batch: posting then finds the customers following and skips its
        queries per invoice."""
        default, _internal, external = self.env[
            "mail.message.subtype"
        ].default_subtypes(moves._name)
        following = {
            (follower.res_id, follower.partner_id.id)
            for follower in self.env["mail.followers"]
            .sudo()
            .search([("res_model", "=", moves._name), ("res_id", "in", moves.ids)])
        }
        values = [
            {
                "res_model": moves._name,
                "res_id": move.id,
                "partner_id": move.partner_id.id,
                "subtype_ids": [
                    Command.set(
                        (external if move.partner_id.partner_share else default).ids
                    )
                ],
            }
            for move in moves
            if move.partner_id.active and (move.id, move.partner_id.id) not in following
        ]
        self.env["mail.followers"].sudo().with_context(default_partner_id=False).create(
            values
        )

    def _finish(self):
        self.ensure_one()
        self.write({"state": "done", "error_message": False})
        body = _(
            "Receivables list done: %(imported)s invoice(s) imported, %(linked)s "
            "linked to existing invoices, %(duplicates)s duplicate(s) skipped, "
            "%(rejected)s row(s) rejected; %(submitted)s invoice(s) entered "
            "dunning.",
            imported=self.imported_count,
            linked=self.linked_count,
            duplicates=self.duplicate_count,
            rejected=self.rejected_count,
            submitted=self.submitted_count,
        )
        if self.not_submitted_count:
            body += " " + _(
                "%s invoice(s) did not enter dunning (see the rows).",
                self.not_submitted_count,
            )
        self._notify_user(body)

    def _fail(self, error):
        self.ensure_one()
        message = str(error) or type(error).__name__
        self.write({"state": "failed", "error_message": message})
        self._notify_user(
            _(
                "Receivables list stopped: %(error)s. The rows imported so far "
                "are kept; resume the list to import the rest.",
                error=message,
            )
        )

    def _notify_user(self, body):
        """A message on the list; after background work it notifies the
        user who submitted the list (in their inbox)."""
        background = self.env.context.get("nikki_import_cron")
        self.sudo().message_post(
            body=body,
            author_id=self.env.ref("base.partner_root").id,
            partner_ids=self.user_id.partner_id.ids if background else [],
            message_type="comment" if background else "notification",
            subtype_xmlid="mail.mt_comment" if background else "mail.mt_note",
        )

    # ------------------------------------------------------------------
    # background processing
    # ------------------------------------------------------------------

    @api.model
    def _cron_process(self):
        """Import the confirmed lists, a chunk per transaction, within the
        cron's time budget; what remains is picked up by the next call."""
        engine = self.env["nikki.dunning.engine"]
        commit = engine._can_commit()
        deadline = time.monotonic() + CRON_TIME_BUDGET
        self._gc_drafts()
        done = 0
        for batch in self.search([("state", "=", "queued")], order="id"):
            batch = (
                batch.with_user(batch.user_id)
                .with_company(batch.company_id)
                .with_context(nikki_import_cron=True)
            )
            before = batch.pending_count
            finished = batch._process(commit=commit, deadline=deadline)
            done += before - batch.pending_count
            if not finished:
                break
        remaining = sum(self.search([("state", "=", "queued")]).mapped("pending_count"))
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return remaining

    @api.model
    def _gc_drafts(self):
        """Checked lists never confirmed are forgotten after two days."""
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=2)
        self.search([("state", "=", "draft"), ("create_date", "<", limit)]).unlink()

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------

    def action_confirm(self):
        self._start()
        return self._form_action()

    def action_resume(self):
        for batch in self:
            if batch.state not in ("failed", "queued"):
                raise UserError(_("Only a stopped or unfinished list can be resumed."))
            batch.write({"state": "queued", "error_message": False})
            batch._run_or_queue()
        return self._form_action()

    def action_download_rejected(self):
        """The rejected rows as a file in the list's own format (same
        columns, plus the problem), to fix and submit again."""
        self.ensure_one()
        lines = self.line_ids.filtered(lambda line: line.state == "rejected")
        if not lines:
            raise UserError(_("No row of this list was rejected."))
        header = list(self.header or [])
        width = max([len(header)] + [len(line.raw_values or []) for line in lines])
        header += [""] * (width - len(header)) + [_("Problem")]
        rows = []
        for line in lines.sorted("row_number"):
            cells = [list_file.cell_from_json(cell) for cell in line.raw_values or []]
            rows.append(cells + [None] * (width - len(cells)) + [line.message])
        dialect = (
            list_file.CsvDialect(self.csv_encoding, self.csv_delimiter)
            if self.file_format == "csv"
            else None
        )
        data = list_file.write_rows(self.file_format, header, rows, dialect)
        stem = (self.filename or self.name).rsplit(".", 1)[0]
        extension = {"csv": "csv", "xls": "xls", "xlsx": "xlsx"}[self.file_format]
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{stem}-rejected.{extension}",
                "raw": data,
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.line_ids.move_id.ids)]
        action["context"] = {"create": False}
        return action

    def _form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
