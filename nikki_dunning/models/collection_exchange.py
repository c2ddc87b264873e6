import logging
from collections import defaultdict

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from ..services import case_file
from ..services.case_state import OPEN_LINE_STATES

_logger = logging.getLogger(__name__)

EXCHANGE_STATES = [
    ("queued", "Queued"),
    ("sent", "Sent"),
    ("failed", "Sending Failed"),
    ("no_email", "To Deliver by Hand"),
    ("imported", "Imported"),
]


class NikkiCollectionExchange(models.Model):
    """One file exchanged with a collection agency.

    Out: the case file of one run for one agency (new invoices and stop
    notices), attached here, on each case (its own rows) and emailed to the
    agency. In: a status file the agency sent back, with one line per row
    and what was done with it.
    """

    _name = "nikki.collection.exchange"
    _description = "Agency File"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    direction = fields.Selection(
        [("out", "Sent to Agency"), ("in", "Received from Agency")],
        required=True,
        readonly=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Agency",
        required=True,
        readonly=True,
        index=True,
        domain="[('is_collection_agency', '=', True)]",
    )
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    user_id = fields.Many2one(
        "res.users", string="By", readonly=True, default=lambda self: self.env.user
    )
    file_format = fields.Selection(
        [("csv", "CSV"), ("xlsx", "XLSX")], string="Format", readonly=True
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="File", readonly=True, ondelete="restrict"
    )
    filename = fields.Char(related="attachment_id.name", string="File Name")
    checksum = fields.Char(
        readonly=True, copy=False, help="SHA-1 of an imported file's content."
    )
    line_ids = fields.One2many(
        "nikki.collection.exchange.line", "exchange_id", string="Rows", readonly=True
    )
    case_ids = fields.Many2many(
        "nikki.collection.case",
        "nikki_collection_exchange_case_rel",
        "exchange_id",
        "case_id",
        string="Cases",
        compute="_compute_case_ids",
        store=True,
    )
    email_to = fields.Char(string="Sent To", readonly=True)
    mail_id = fields.Many2one(
        "mail.mail", string="Email", readonly=True, ondelete="set null"
    )
    state = fields.Selection(
        EXCHANGE_STATES, compute="_compute_state", store=True, index=True
    )
    failure_reason = fields.Text(compute="_compute_state", store=True)
    row_count = fields.Integer(
        string="Rows in File", compute="_compute_counts", store=True
    )
    new_count = fields.Integer(
        string="Invoices Handed Over", compute="_compute_counts", store=True
    )
    notice_count = fields.Integer(
        string="Stop Notices", compute="_compute_counts", store=True
    )
    applied_count = fields.Integer(
        string="Applied", compute="_compute_counts", store=True
    )
    unchanged_count = fields.Integer(
        string="Unchanged", compute="_compute_counts", store=True
    )
    rejected_count = fields.Integer(
        string="Rejected", compute="_compute_counts", store=True
    )
    proposed_count = fields.Integer(
        string="Payments to Record", compute="_compute_counts", store=True
    )

    def init(self):
        # the same status file is imported once per company and agency
        if not index_exists(self.env.cr, "nikki_collection_exchange_checksum_once"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX nikki_collection_exchange_checksum_once "
                    "ON %s (company_id, agency_id, checksum) WHERE direction = 'in'",
                    SQL.identifier(self._table),
                )
            )

    @api.depends("line_ids.case_id")
    def _compute_case_ids(self):
        for exchange in self:
            exchange.case_ids = exchange.line_ids.case_id

    @api.depends("direction", "mail_id.state", "mail_id.failure_reason", "email_to")
    def _compute_state(self):
        for exchange in self:
            mail = exchange.mail_id
            exchange.failure_reason = False
            if exchange.direction == "in":
                exchange.state = "imported"
            elif not exchange.email_to:
                exchange.state = "no_email"
            elif not mail or mail.state in ("sent", "received"):
                # (an email deleted from the queue after sending is sent too)
                exchange.state = "sent"
            elif mail.state in ("exception", "cancel"):
                exchange.state = "failed"
                exchange.failure_reason = mail.failure_reason
            else:
                exchange.state = "queued"

    @api.depends("line_ids.kind", "line_ids.result", "line_ids.payment_state")
    def _compute_counts(self):
        for exchange in self:
            lines = exchange.line_ids
            exchange.row_count = len(lines)
            exchange.new_count = len(lines.filtered(lambda row: row.kind == "new"))
            exchange.notice_count = len(
                lines.filtered(lambda row: row.kind in ("paid_directly", "recalled"))
            )
            exchange.applied_count = len(
                lines.filtered(lambda row: row.result == "applied")
            )
            exchange.unchanged_count = len(
                lines.filtered(lambda row: row.result == "unchanged")
            )
            exchange.rejected_count = len(
                lines.filtered(lambda row: row.result == "rejected")
            )
            exchange.proposed_count = len(
                lines.filtered(lambda row: row.payment_state == "proposed")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "nikki.collection.exchange"
                ) or _("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # sending files to the agency
    # ------------------------------------------------------------------

    @api.model
    def _send_pending(self, today, company_ids=None, cases=None):
        """Make and send the files of everything waiting for the agencies:
        one file per company and agency.

        Without ``cases`` (the nightly run): the new invoices of agencies set
        to send automatically, and every stop notice (paid directly,
        recalled), which never waits for approval. With ``cases`` (the
        accountant's approval): those cases' new invoices, and the stop
        notices waiting for the same agencies.
        """
        Line = self.env["nikki.collection.case.line"].sudo()
        company_domain = [("company_id", "in", company_ids)] if company_ids else []
        handover_domain = [
            ("state", "in", OPEN_LINE_STATES),
            ("export_exchange_id", "=", False),
            *company_domain,
        ]
        notice_domain = [
            ("notice_required", "=", True),
            ("notice_exchange_id", "=", False),
            *company_domain,
        ]
        if cases is None:
            # ``!=`` also matches an empty send mode (IS NULL), treated as "auto"
            handover_lines = Line.search(
                [
                    *handover_domain,
                    ("case_id.agency_id.collection_send_mode", "!=", "approval"),
                ]
            )
            notice_lines = Line.search(notice_domain)
        else:
            handover_lines = Line.search(
                [*handover_domain, ("case_id", "in", cases.ids)]
            )
            pairs = {(case.company_id, case.agency_id) for case in cases}
            notice_lines = Line.search(
                [*notice_domain, ("agency_id", "in", cases.agency_id.ids)]
            ).filtered(lambda line: (line.company_id, line.agency_id) in pairs)
        groups = defaultdict(lambda: [Line, Line])
        key = lambda line: (line.company_id, line.agency_id)  # noqa: E731
        for pair, lines in handover_lines.grouped(key).items():
            groups[pair][0] = lines
        for pair, lines in notice_lines.grouped(key).items():
            groups[pair][1] = lines
        exchanges = self.browse()
        for (company, agency), (new, notices) in sorted(
            groups.items(), key=lambda item: (item[0][0].id, item[0][1].id)
        ):
            if cases is not None:
                exchanges |= self._export(company, agency, new, notices, today)
                continue
            try:
                with self.env.cr.savepoint():
                    exchanges |= self._export(company, agency, new, notices, today)
            except Exception:  # noqa: BLE001 -- the other agencies go on
                _logger.exception(
                    "Case file for agency %s (company %s) failed; retried next run",
                    agency.id,
                    company.id,
                )
        return exchanges

    @api.model
    def _claim(self, lines):
        """Lock ``lines`` for this transaction; lines another transaction is
        exporting are skipped (it sends them), and the rest read fresh."""
        if not lines:
            return lines
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM nikki_collection_case_line WHERE id IN %s "
                "FOR UPDATE SKIP LOCKED",
                tuple(lines.ids),
            )
        )
        claimed = lines.browse(row[0] for row in rows)
        claimed.invalidate_recordset()
        return claimed

    @api.model
    def _export(self, company, agency, handover_lines, notice_lines, today):
        """One file to ``agency``: create it, attach it, mark its lines sent
        and queue the email, all in this transaction."""
        claimed = self._claim(handover_lines | notice_lines)
        handover_lines = (claimed & handover_lines)._pending_handover()
        notice_lines = (claimed & notice_lines)._pending_notice()
        if not handover_lines and not notice_lines:
            return self.browse()
        file_format = agency.collection_file_format or "csv"
        extension, mimetype = case_file.FORMATS[file_format]
        lines, rows = self.env["nikki.dunning.channel.handover"]._exchange_rows(
            handover_lines, notice_lines
        )
        exchange = (
            self.sudo()
            .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
            .create(
                {
                    "direction": "out",
                    "company_id": company.id,
                    "agency_id": agency.id,
                    "file_format": file_format,
                    "email_to": agency.collection_email or agency.email or False,
                    "line_ids": [
                        Command.create(
                            {
                                "row_number": number,
                                "kind": row["status"],
                                "case_id": line.case_id.id,
                                "case_line_id": line.id,
                                "move_id": line.move_id.id,
                                "case_reference": line.case_id.name,
                                "invoice_number": line.move_id.name,
                                "status_date": row["status_date"],
                                "move_currency_id": line.move_id.currency_id.id,
                                "amount_open": line.move_id.amount_residual,
                                "message": row["status_note"] or False,
                            }
                        )
                        for number, (line, row) in enumerate(
                            zip(lines, rows, strict=True), start=2
                        )
                    ],
                }
            )
        )
        stem = exchange.name.replace("/", "-")
        Attachment = self.env["ir.attachment"].sudo()
        attachment_values = [
            {
                "name": f"{stem}.{extension}",
                "raw": case_file.render(rows, file_format),
                "res_model": exchange._name,
                "res_id": exchange.id,
                "mimetype": mimetype,
                "company_id": company.id,
            }
        ]
        if agency.company_id == company:
            # the agency partner is this company's own: safe to attach there
            # (a shared agency partner is readable by every company)
            attachment_values.append(
                dict(attachment_values[0], res_model="res.partner", res_id=agency.id)
            )
        # per case, in file order: its rows and its handed-over line ids
        of_case = defaultdict(lambda: ([], []))
        handover_ids = set(handover_lines.ids)
        for line, row in zip(lines, rows, strict=True):
            case_rows, case_handover_ids = of_case[line.case_id]
            case_rows.append(row)
            if line.id in handover_ids:
                case_handover_ids.append(line.id)
        for case, (case_rows, _handover_ids) in of_case.items():
            attachment_values.append(
                {
                    "name": f"{case.name.replace('/', '-')}-{stem}.{extension}",
                    "raw": case_file.render(case_rows, file_format),
                    "res_model": case._name,
                    "res_id": case.id,
                    "mimetype": mimetype,
                    "company_id": company.id,
                }
            )
        attachments = Attachment.create(attachment_values)
        exchange.attachment_id = attachments[0]
        for (_rows, case_handover_ids), attachment in zip(
            of_case.values(), attachments[-len(of_case) :], strict=True
        ):
            handover_lines.browse(case_handover_ids).attachment_id = attachment
        handover_lines.export_exchange_id = exchange
        notice_lines.notice_exchange_id = exchange
        exchange._queue_mail()
        exchange._post_case_notes(handover_lines, notice_lines)
        return exchange

    def _queue_mail(self):
        """Queue the email with the file to the agency (or say on the file
        and its cases that it must be delivered by hand)."""
        self.ensure_one()
        if not self.email_to:
            self.message_post(
                body=_(
                    "The agency %s has no email address: download this file and "
                    "send it yourself.",
                    self.agency_id.display_name,
                )
            )
            return self.env["mail.mail"]
        template = self.env.ref("nikki_dunning.mail_template_collection_exchange")
        by_email = bool(self.agency_id.collection_email)
        mail_id = template.sudo().send_mail(
            self.id,
            email_values={
                "message_type": "email_outgoing",
                "auto_delete": False,
                "attachment_ids": [Command.link(self.attachment_id.id)],
                "email_to": self.email_to if by_email else False,
                "recipient_ids": [] if by_email else [Command.link(self.agency_id.id)],
            },
        )
        mail = self.env["mail.mail"].sudo().browse(mail_id)
        self.mail_id = mail
        return mail

    def _post_case_notes(self, handover_lines, notice_lines):
        """A note on each case of the file: what went to the agency."""
        self.ensure_one()
        subtype = self.env.ref("mail.mt_note")
        values = []
        new_of_case = handover_lines.grouped("case_id")
        notices_of_case = notice_lines.grouped("case_id")
        for case in (handover_lines | notice_lines).case_id:
            parts = []
            new = new_of_case.get(case)
            if new:
                parts.append(
                    self.env._("handed over %s", ", ".join(new.move_id.mapped("name")))
                )
            for line in notices_of_case.get(case, []):
                parts.append(
                    self.env._("told to stop on %s (paid directly)", line.move_id.name)
                    if line.state == "paid_directly"
                    else self.env._("told to stop on %s (recalled)", line.move_id.name)
                )
            values.append(
                {
                    "model": case._name,
                    "res_id": case.id,
                    "message_type": "notification",
                    "subtype_id": subtype.id,
                    "author_id": self.env.user.partner_id.id,
                    "body": self.env._(
                        "Agency file %(file)s to %(agency)s: %(what)s.",
                        file=self.name,
                        agency=self.agency_id.name,
                        what="; ".join(parts),
                    ),
                }
            )
        self.env["mail.message"].sudo().create(values)

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------

    def action_download(self):
        self.ensure_one()
        if not self.attachment_id:
            raise UserError(_("This agency file has no file attached."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.attachment_id.id}?download=true",
            "target": "self",
        }

    def action_send_again(self):
        """Queue the email of a file again (after a sending failure)."""
        for exchange in self:
            if exchange.direction != "out" or exchange.state not in (
                "failed",
                "no_email",
            ):
                raise UserError(
                    _(
                        "Only files whose email failed or could not be sent can be "
                        "sent again (%s).",
                        exchange.name,
                    )
                )
        for exchange in self.sudo():
            exchange.email_to = (
                exchange.agency_id.collection_email or exchange.agency_id.email
            )
            if not exchange.email_to:
                raise UserError(
                    _(
                        "The agency %s has no email address.",
                        exchange.agency_id.display_name,
                    )
                )
            if exchange.mail_id and exchange.mail_id.state in ("exception", "cancel"):
                exchange.mail_id.mark_outgoing()
            else:
                exchange._queue_mail()

    def action_record_payments(self):
        lines = self.line_ids.filtered(lambda row: row.payment_state == "proposed")
        if not lines:
            raise UserError(_("No payment of this file waits to be recorded."))
        lines._record_payments()

    def action_view_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_collection_case"
        )
        action.update(domain=[("id", "in", self.case_ids.ids)], context={})
        return action

    def _action_open(self, domain=None, always_list=False):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_collection_exchange"
        )
        if len(self) == 1 and not always_list:
            action.update(res_id=self.id, view_mode="form", views=[(False, "form")])
        else:
            action["domain"] = domain or [("id", "in", self.ids)]
        return action
