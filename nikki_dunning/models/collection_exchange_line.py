from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, format_amount

from ..services import status_file

ROW_KINDS = [
    ("new", "Handed Over"),
    ("paid_directly", "Paid Directly"),
    ("recalled", "Recalled"),
    ("status", "Status Update"),
]
AGENCY_STATUSES = [
    ("in_collection", "In Collection"),
    ("partially_collected", "Partially Collected"),
    ("collected", "Collected"),
    ("uncollectable", "Uncollectable"),
    ("returned", "Returned"),
]


class NikkiCollectionExchangeLine(models.Model):
    """One row of an agency file, and (for status files) what it did."""

    _name = "nikki.collection.exchange.line"
    _description = "Agency File Row"
    _order = "exchange_id, row_number, id"
    _check_company_auto = True

    exchange_id = fields.Many2one(
        "nikki.collection.exchange", required=True, ondelete="cascade", index=True
    )
    direction = fields.Selection(related="exchange_id.direction", store=True)
    company_id = fields.Many2one(
        related="exchange_id.company_id", store=True, index=True
    )
    agency_id = fields.Many2one(related="exchange_id.agency_id")
    row_number = fields.Integer(string="Row", help="Line number in the file.")
    kind = fields.Selection(ROW_KINDS, required=True)
    case_id = fields.Many2one(
        "nikki.collection.case", ondelete="set null", index="btree_not_null"
    )
    case_line_id = fields.Many2one(
        "nikki.collection.case.line", ondelete="set null", index="btree_not_null"
    )
    move_id = fields.Many2one(
        "account.move", string="Invoice", ondelete="set null", check_company=True
    )
    case_reference = fields.Char(help="The case reference as written in the file.")
    invoice_number = fields.Char(help="The invoice number as written in the file.")
    status = fields.Selection(AGENCY_STATUSES, help="The agency's status, understood.")
    status_text = fields.Char(help="The status as written in the file.")
    status_date = fields.Date()
    move_currency_id = fields.Many2one("res.currency", string="Currency")
    amount_open = fields.Monetary(
        currency_field="move_currency_id", help="Open amount when the file was made."
    )
    amount_collected = fields.Monetary(
        string="Collected (Total)",
        currency_field="move_currency_id",
        help="Everything the agency reports as collected on the invoice so far.",
    )
    amount_fee = fields.Monetary(
        string="Agency Fee (Total)", currency_field="move_currency_id"
    )
    delta_collected = fields.Monetary(
        string="Newly Collected", currency_field="move_currency_id"
    )
    delta_fee = fields.Monetary(string="New Fee", currency_field="move_currency_id")
    amount_net = fields.Monetary(
        string="Remitted",
        currency_field="move_currency_id",
        compute="_compute_amount_net",
        help="Newly collected minus the new fee: what the agency pays out.",
    )
    result = fields.Selection(
        [("applied", "Applied"), ("unchanged", "Unchanged"), ("rejected", "Rejected")]
    )
    message = fields.Char()
    payment_state = fields.Selection(
        [
            ("none", "No Payment"),
            ("proposed", "To Record"),
            ("recorded", "Recorded"),
            ("discarded", "Discarded"),
        ],
        default="none",
        required=True,
    )
    payment_id = fields.Many2one("account.payment", ondelete="set null")

    @api.depends("delta_collected", "delta_fee")
    def _compute_amount_net(self):
        for line in self:
            line.amount_net = line.delta_collected - line.delta_fee

    # ------------------------------------------------------------------
    # payments of the money the agency collected
    # ------------------------------------------------------------------

    def _record_payments(self):
        """Book the money the agency collected, per invoice: a customer
        payment of the money remitted (collected minus fee) in the company's
        collection journal, with the agency fee as a write-off line on the
        fee account, reconciled with the invoice for the whole amount
        collected -- the steps of ``account.payment.register``."""
        lines = self.filtered(lambda line: line.payment_state == "proposed")
        payments = self.env["account.payment"]
        if not lines:
            return payments
        try:
            payments.check_access("create")
        except AccessError:
            raise UserError(
                _(
                    "Recording the payments of the agency needs the right to "
                    "register payments: ask an accountant."
                )
            ) from None
        problems = []
        for company, company_lines in lines.grouped("company_id").items():
            problems += company._collection_payment_problems(
                need_fee=any(company_lines.mapped("delta_fee"))
            )
        for move, move_lines in lines.grouped("move_id").items():
            total = sum(move_lines.mapped("delta_collected"))
            if (
                move.state != "posted"
                or float_compare(
                    total,
                    move.amount_residual,
                    precision_rounding=move.currency_id.rounding,
                )
                > 0
            ):
                problems.append(
                    self.env._(
                        "%(invoice)s: the agency collected %(amount)s but only "
                        "%(open)s is open (paid or changed in the meantime); settle "
                        "the difference with the agency and discard the proposal.",
                        invoice=move.display_name,
                        amount=format_amount(self.env, total, move.currency_id),
                        open=format_amount(
                            self.env,
                            move.amount_residual if move.state == "posted" else 0.0,
                            move.currency_id,
                        ),
                    )
                )
        if problems:
            raise UserError("\n".join(problems))
        for company, company_lines in lines.grouped("company_id").items():
            Payment = self.env["account.payment"].with_company(company)
            payments |= company_lines._create_payments(
                Payment, company._collection_journal()
            )
        return payments

    def _create_payments(self, Payment, journal):
        vals_list = [line._payment_values(journal) for line in self]
        payments = Payment.with_context(skip_invoice_sync=True).create(vals_list)
        payments.action_post()
        domain = [
            ("parent_state", "=", "posted"),
            ("account_type", "in", Payment._get_valid_payment_account_types()),
            ("reconciled", "=", False),
        ]
        for line, payment in zip(self, payments, strict=True):
            to_reconcile = payment.move_id.line_ids.filtered_domain(
                domain
            ) | line.move_id.line_ids.filtered_domain(domain)
            for account in to_reconcile.account_id:
                to_reconcile.filtered(
                    lambda aml, account=account: aml.account_id == account
                ).reconcile()
            line.move_id.matched_payment_ids += payment
            line.sudo().write({"payment_state": "recorded", "payment_id": payment.id})
        self.case_line_id._end_closed_by_agency()
        for case, case_lines in self.grouped("case_id").items():
            case.message_post(
                body=_(
                    "Payments recorded for the money %(agency)s collected: "
                    "%(payments)s.",
                    agency=case.agency_id.name,
                    payments=", ".join(case_lines.payment_id.mapped("name")),
                )
            )
        return payments

    def _payment_values(self, journal):
        self.ensure_one()
        move = self.move_id
        company = move.company_id
        receivable = move.line_ids.filtered(
            lambda aml: aml.account_type == "asset_receivable"
        )[:1]
        currency = move.currency_id
        date = self.status_date or fields.Date.context_today(self)
        label = _(
            "%(case)s %(invoice)s collected by %(agency)s",
            case=self.case_id.name,
            invoice=move.name,
            agency=self.agency_id.name,
        )
        write_off = []
        if not currency.is_zero(self.delta_fee):
            write_off.append(
                {
                    "name": _("Collection fee %(agency)s", agency=self.agency_id.name)
                    + f" ({self.case_id.name} {move.name})",
                    "account_id": company.collection_fee_account_id.id,
                    "partner_id": self.agency_id.id,
                    "currency_id": currency.id,
                    "amount_currency": self.delta_fee,
                    "balance": currency._convert(
                        self.delta_fee, company.currency_id, company, date
                    ),
                }
            )
        return {
            "date": date,
            "amount": self.delta_collected - self.delta_fee,
            "payment_type": "inbound",
            "partner_type": "customer",
            "memo": label,
            "payment_reference": self.exchange_id.name,
            "journal_id": journal.id,
            "company_id": company.id,
            "currency_id": currency.id,
            "partner_id": move.commercial_partner_id.id,
            "destination_account_id": receivable.account_id.id,
            "write_off_line_vals": write_off,
        }

    def action_discard_payment(self):
        """Leave the money of a row out of the books (settled otherwise)."""
        lines = self.filtered(lambda line: line.payment_state == "proposed")
        if not lines:
            raise UserError(_("Only payments still to record can be discarded."))
        lines.exchange_id.check_access("read")
        lines.sudo().payment_state = "discarded"
        lines.case_line_id._end_closed_by_agency()
        for case, case_lines in lines.grouped("case_id").items():
            case.message_post(
                body=_(
                    "Payment proposal of %(file)s discarded for %(invoices)s.",
                    file=", ".join(case_lines.exchange_id.mapped("name")),
                    invoices=", ".join(case_lines.move_id.mapped("name")),
                )
            )

    def action_record_payment(self):
        self._record_payments()

    @api.model
    def _problem_message(self, key, details, currency=None):
        """The message of a status file row's problem key."""
        _ = self.env._
        details = {
            name: (
                format_amount(self.env, value, currency) if currency else f"{value:.2f}"
            )
            if isinstance(value, float)
            else value
            for name, value in details.items()
        }
        labels = dict(AGENCY_STATUSES) | {
            "paid_directly": _("paid directly"),
            "recalled": _("recalled"),
        }
        state = labels.get(details.get("state"), details.get("state"))
        messages = {
            "no_case_reference": lambda: _("No case reference."),
            "no_invoice_number": lambda: _("No invoice number."),
            "no_status": lambda: _("No status."),
            "unknown_status": lambda: _(
                "Unknown status “%(status)s”; known statuses: %(known)s.",
                status=details["status"],
                known=", ".join(status_file.STATUS_ALIASES),
            ),
            "bad_amount": lambda: _(
                "%(column)s “%(value)s” is not an amount.",
                column=details["column"],
                value=details["value"],
            ),
            "negative_amount": lambda: _(
                "%(column)s cannot be negative (%(value)s).",
                column=details["column"],
                value=details["value"],
            ),
            "bad_date": lambda: _(
                "Date “%s” is not a date (use yyyy-mm-dd or dd-mm-yyyy).",
                details["value"],
            ),
            "future_date": lambda: _(
                "The date %s lies in the future.", details["date"]
            ),
            "unknown_case": lambda: _(
                "Unknown case reference “%s”.", details["reference"]
            ),
            "other_agency": lambda: _(
                "Case %(case)s is with another agency (%(agency)s).",
                case=details["reference"],
                agency=self.env["res.partner"]
                .browse(details["agency_id"])
                .sudo()
                .display_name,
            ),
            "unknown_invoice": lambda: _(
                "Invoice “%(invoice)s” is not in case %(case)s.",
                invoice=details["invoice"],
                case=details["reference"],
            ),
            "duplicate_row": lambda: _(
                "The file lists this invoice more than once (rows %s): nothing "
                "applied.",
                details["rows"],
            ),
            "not_sent": lambda: _("This invoice was not sent to the agency yet."),
            "collected_decreased": lambda: _(
                "The amount collected cannot go down: %(previous)s was reported "
                "before, the file says %(amount)s.",
                previous=details["previous"],
                amount=details["amount"],
            ),
            "fee_decreased": lambda: _(
                "The agency fee cannot go down: %(previous)s was reported before, "
                "the file says %(amount)s.",
                previous=details["previous"],
                amount=details["amount"],
            ),
            "fee_above_collected": lambda: _(
                "The new agency fee (%(fee)s) is more than the money newly "
                "collected (%(collected)s).",
                fee=details["fee"],
                collected=details["collected"],
            ),
            "money_after_close": lambda: _(
                "The agency reports money on an invoice that was %s: settle it "
                "with the agency by hand.",
                state,
            ),
            "closed_by_us": lambda: _(
                "The invoice was %s; the agency was or will be told.", state
            ),
            "already_closed": lambda: _(
                "The agency already closed this invoice as %s.", state
            ),
            "above_open": lambda: _(
                "Newly collected %(collected)s is more than the %(open)s still open.",
                collected=details["collected"],
                open=details["open"],
            ),
            "money_in_collection": lambda: _(
                "Status “in collection” with money collected: the status should be "
                "partially collected or collected."
            ),
            "partial_without_money": lambda: _(
                "Status “partially collected” without any amount collected."
            ),
            "partial_settles_all": lambda: _(
                "The amount collected settles the invoice in full: the status "
                "should be collected."
            ),
            "remains_open": lambda: _(
                "Closed as collected; %s remains open on the invoice.",
                details["amount"],
            ),
        }
        return messages[key]() if key in messages else key
