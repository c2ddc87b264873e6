from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import create_index, index_exists

from ..services import case_state

LINE_STATES = [
    ("in_collection", "In Collection"),
    ("partially_collected", "Partially Collected"),
    ("collected", "Collected"),
    ("uncollectable", "Uncollectable"),
    ("returned", "Returned"),
    ("paid_directly", "Paid Directly"),
    ("recalled", "Recalled"),
]


class NikkiCollectionCaseLine(models.Model):
    """One invoice of a collection case.

    The line is sent to the agency once: ``export_exchange_id`` is the file
    that carried it (empty: still to send). When the business closes it
    (paid directly, recalled) after the agency got it, ``notice_required``
    asks the next file to tell the agency, and ``notice_exchange_id`` is
    that file.
    """

    _name = "nikki.collection.case.line"
    _description = "Collection Case Invoice"
    _order = "case_id, date, id"
    _check_company_auto = True
    _rec_name = "move_id"

    case_id = fields.Many2one(
        "nikki.collection.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    partner_id = fields.Many2one(related="case_id.partner_id", string="Debtor")
    agency_id = fields.Many2one(related="case_id.agency_id")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    date = fields.Date(string="Handed Over On", required=True)
    currency_id = fields.Many2one(
        "res.currency", related="case_id.currency_id", string="Company Currency"
    )
    move_currency_id = fields.Many2one(
        related="move_id.currency_id", string="Invoice Currency"
    )
    amount_handed_over = fields.Monetary(
        help="Open amount at hand-over, in company currency."
    )
    amount_collected = fields.Monetary(
        help="Amount the agency reported as collected, in company currency."
    )
    amount_fee = fields.Monetary(
        string="Agency Fee",
        help="Fee the agency withheld from the money it collected, in company "
        "currency.",
    )
    amount_open = fields.Monetary(
        string="Still Open",
        related="move_id.amount_residual_signed",
        help="What is still open on the invoice, in company currency.",
    )
    agency_collected = fields.Monetary(
        string="Collected (Invoice Currency)",
        currency_field="move_currency_id",
        readonly=True,
        help="Cumulative amount collected the agency last reported.",
    )
    agency_fee = fields.Monetary(
        string="Fee (Invoice Currency)",
        currency_field="move_currency_id",
        readonly=True,
        help="Cumulative fee the agency last reported.",
    )
    state = fields.Selection(
        LINE_STATES, required=True, default="in_collection", index=True
    )
    date_status = fields.Date(
        string="Status Date", help="Date of the last status change."
    )
    export_exchange_id = fields.Many2one(
        "nikki.collection.exchange",
        string="Sent In",
        ondelete="restrict",
        index="btree_not_null",
        readonly=True,
        copy=False,
        help="The file that handed this invoice over to the agency. Empty: "
        "not sent yet.",
    )
    notice_required = fields.Boolean(
        readonly=True,
        copy=False,
        help="The agency must be told that this invoice was paid directly or "
        "recalled.",
    )
    notice_exchange_id = fields.Many2one(
        "nikki.collection.exchange",
        string="Agency Told In",
        ondelete="restrict",
        index="btree_not_null",
        readonly=True,
        copy=False,
    )
    recall_reason = fields.Char(readonly=True, copy=False)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Case File", ondelete="set null", readonly=True
    )

    def init(self):
        # an invoice is with an agency at most once at a time
        if not index_exists(self.env.cr, "nikki_collection_case_line_open_move"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX nikki_collection_case_line_open_move "
                    "ON %s (move_id) WHERE state IN %s",
                    SQL.identifier(self._table),
                    case_state.OPEN_LINE_STATES,
                )
            )
        # what the nightly agency export looks for: lines not exported yet,
        # and stop notices not sent yet
        create_index(
            self.env.cr,
            "nikki_collection_case_line_to_export",
            self._table,
            ["company_id", "case_id"],
            where="export_exchange_id IS NULL",
        )
        create_index(
            self.env.cr,
            "nikki_collection_case_line_notice_due",
            self._table,
            ["company_id", "case_id"],
            where="notice_required AND notice_exchange_id IS NULL",
        )

    @api.depends("move_id", "state")
    def _compute_display_name(self):
        labels = dict(LINE_STATES)
        for line in self:
            line.display_name = f"{line.move_id.name} ({labels.get(line.state)})"

    def _state_facts(self):
        """The line as the case state rule needs it."""
        self.ensure_one()
        return case_state.LineFacts(
            state=self.state,
            exported=bool(self.export_exchange_id),
            collected=self.amount_collected,
        )

    def _pending_handover(self):
        """Lines still with the case that the agency has not received."""
        return self.filtered(
            lambda line: line.state in case_state.OPEN_LINE_STATES
            and not line.export_exchange_id
        )

    def _pending_notice(self):
        """Lines the agency must still be told were paid directly or
        recalled."""
        return self.filtered(
            lambda line: line.notice_required and not line.notice_exchange_id
        )

    # ------------------------------------------------------------------
    # closing by the business
    # ------------------------------------------------------------------

    def _close_by_us(self, state, today, reason=False):
        """Paid directly or recalled: the line leaves the agency; when the
        agency had it, the next file tells it to stop."""
        for exported, lines in self.grouped(
            lambda line: bool(line.export_exchange_id)
        ).items():
            lines.write(
                {
                    "state": state,
                    "date_status": today,
                    "recall_reason": reason,
                    "notice_required": exported,
                }
            )

    @api.model
    def _close_ended(self, moves):
        """Invoices that left the workflow: those paid (or cancelled) while
        in an open case are taken off it, and the agency, when it had them,
        is told to stop in the next file."""
        settled = moves.filtered(
            lambda move: move.dunning_end_reason in ("paid", "cancelled")
        )
        if not settled:
            return self.browse()
        lines = self.sudo().search(
            [
                ("move_id", "in", settled.ids),
                ("state", "in", case_state.OPEN_LINE_STATES),
            ]
        )
        if not lines:
            return lines
        today = fields.Date.context_today(self)
        paid = lines.filtered(lambda line: line.move_id.dunning_end_reason == "paid")
        paid._close_by_us("paid_directly", today)
        (lines - paid)._close_by_us(
            "recalled", today, self.env._("The invoice was cancelled.")
        )
        subtype = self.env.ref("mail.mt_note")
        self.env["mail.message"].sudo().create(
            [
                {
                    "model": case._name,
                    "res_id": case.id,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "author_id": self.env.user.partner_id.id,
                    "body": self.env._(
                        "Paid directly or cancelled: %(invoices)s. %(agency)s is "
                        "told to stop in the next agency file.",
                        invoices=", ".join(case_lines.move_id.mapped("name")),
                        agency=case.agency_id.name,
                    )
                    if case_lines._pending_notice()
                    else self.env._(
                        "Paid directly or cancelled before going to the agency: " "%s.",
                        ", ".join(case_lines.move_id.mapped("name")),
                    ),
                }
                for case, case_lines in lines.grouped("case_id").items()
            ]
        )
        return lines

    def _end_closed_by_agency(self):
        """Invoices the agency closed (collected, uncollectable, returned)
        leave the workflow, unless money still to be recorded for them will
        settle them (the payment ends the workflow then)."""
        closed = self.filtered(
            lambda line: line.state in case_state.CLOSED_BY_AGENCY
            and line.move_id.dunning_state == "handed_over"
        )
        if not closed:
            return
        pending = (
            self.env["nikki.collection.exchange.line"]
            .sudo()
            .search(
                [
                    ("case_line_id", "in", closed.ids),
                    ("payment_state", "=", "proposed"),
                ]
            )
            .case_line_id
        )
        moves = (closed - pending).move_id
        if moves:
            self.env["nikki.dunning.engine"]._end(moves, "agency_closed")

    def action_recall(self):
        return (
            self.env["nikki.collection.recall.wizard"]
            .with_context(default_case_line_ids=[Command.set(self.ids)])
            ._open()
        )

    def _recall(self, reason, restart=False, today=None):
        """Take invoices back from the agency.

        The invoices leave the workflow (history line "recalled"); with
        ``restart`` they enter it again at once (Day 0 today, the first
        notice goes out now), else they stay stopped. The agency is told in
        the next file when it already had them.
        """
        today = today or fields.Date.context_today(self)
        if not reason or not reason.strip():
            raise UserError(_("Give the reason of the recall: the agency reads it."))
        wrong = self.filtered(
            lambda line: line.state not in case_state.OPEN_LINE_STATES
        )
        if wrong or not self:
            raise UserError(
                _("Only invoices still with the agency can be recalled:")
                + "\n"
                + "\n".join(f"- {line.display_name}" for line in wrong)
            )
        self.case_id.check_access("write")
        engine = self.env["nikki.dunning.engine"]
        moves = self.move_id
        # all or nothing, even when the restart is refused
        with self.env.cr.savepoint():
            self.sudo()._close_by_us("recalled", today, reason.strip())
            engine._end(moves, "recalled", today)
            for case, lines in self.grouped("case_id").items():
                case.message_post(
                    body=_(
                        "Recalled from %(agency)s: %(invoices)s. Reason: %(reason)s",
                        agency=case.agency_id.name,
                        invoices=", ".join(lines.move_id.mapped("name")),
                        reason=reason.strip(),
                    )
                )
            if restart:
                engine._submit(moves, source="manual", today=today)
        return moves
