from odoo import fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

DONE_NUMBER_INDEX = "nikki_receivables_batch_line_number_unique"

LINE_STATES = [
    ("pending", "To Import"),
    ("imported", "Imported"),
    ("linked", "Linked to Existing Invoice"),
    ("duplicate", "Skipped as Duplicate"),
    ("rejected", "Rejected"),
]

# the row's values kept as text (the others are dates, amounts, a country
# and a currency)
TEXT_FIELDS = (
    "invoice_number",
    "partner_name",
    "partner_ref",
    "email",
    "phone",
    "street",
    "zip",
    "city",
    "vat",
    "description",
)

MATCHED_BY = [
    ("invoice", "Existing invoice"),
    ("ref", "Customer reference"),
    ("vat", "VAT number"),
    ("email", "Email address"),
    ("new", "New customer"),
]


class NikkiReceivablesBatchLine(models.Model):
    """One row of a submitted receivables list and what became of it.

    The row's values as read from the file are kept (``raw_values``) so the
    rejected rows can be handed back as a file; the parsed values are what
    the invoice is made of. ``move_id`` is written in the same transaction
    as the invoice it points to: a line still 'To Import' created nothing.
    """

    _name = "nikki.receivables.batch.line"
    _description = "Receivables List Row"
    _order = "batch_id, row_number"
    _check_company_auto = True
    _rec_name = "invoice_number"

    batch_id = fields.Many2one(
        "nikki.receivables.batch",
        string="Receivables List",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(
        related="batch_id.company_id", store=True, index=True, precompute=True
    )
    row_number = fields.Integer(string="Row", required=True, readonly=True)
    state = fields.Selection(
        LINE_STATES,
        string="Outcome",
        required=True,
        default="pending",
        readonly=True,
        index=True,
    )
    message = fields.Char(readonly=True)
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        ondelete="set null",
        index="btree_not_null",
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, ondelete="set null"
    )
    matched_by = fields.Selection(MATCHED_BY, string="Customer Found By", readonly=True)
    partner_created = fields.Boolean(string="New Customer", readonly=True)
    customer_key = fields.Char(readonly=True)
    submitted = fields.Boolean(
        string="In Dunning",
        readonly=True,
        help="The invoice entered the dunning workflow with this list.",
    )
    submission_note = fields.Char(
        string="Dunning",
        readonly=True,
        help="Why the invoice did not enter the dunning workflow.",
    )

    invoice_number = fields.Char(readonly=True)
    invoice_number_key = fields.Char(readonly=True)
    partner_name = fields.Char(string="Customer Name", readonly=True)
    partner_ref = fields.Char(string="Customer Reference", readonly=True)
    email = fields.Char(readonly=True)
    phone = fields.Char(readonly=True)
    street = fields.Char(readonly=True)
    zip = fields.Char(readonly=True)
    city = fields.Char(readonly=True)
    country_code = fields.Char(string="Country", readonly=True)
    vat = fields.Char(string="VAT Number", readonly=True)
    invoice_date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(string="Invoice Amount", readonly=True)
    open_amount = fields.Monetary(readonly=True)
    description = fields.Char(readonly=True)
    raw_values = fields.Json(
        readonly=True, help="The row's cells as read from the file."
    )

    def init(self):
        result = super().init()
        # the duplicate check: an invoice number is imported (or linked) once
        # per company; the database refuses a second time, even when two
        # lists with the same number are processed at the same time
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s
                       (company_id, invoice_number_key)
                 WHERE state IN ('imported', 'linked') AND move_id IS NOT NULL
                """,
                SQL.identifier(DONE_NUMBER_INDEX),
                SQL.identifier(self._table),
            )
        )
        # the next rows to process, a customer's rows together
        create_index(
            self.env.cr,
            "nikki_receivables_batch_line_pending_index",
            self._table,
            ["batch_id", "customer_key", "row_number"],
            where="state = 'pending'",
        )
        return result

    def _import_values(self):
        """The row's values as the matching and the invoice need them."""
        self.ensure_one()
        values = {field: self[field] or "" for field in TEXT_FIELDS}
        values.update(
            {
                "country": self.country_code or "",
                "currency": self.currency_id.name,
                "invoice_date": self.invoice_date or None,
                "due_date": self.due_date,
                "amount": self.amount or None,
                "open_amount": self.open_amount,
            }
        )
        return values
