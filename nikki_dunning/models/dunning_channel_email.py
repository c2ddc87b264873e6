from odoo import Command, api, models
from odoo.tools import SQL

RENDER_FIELDS = (
    "attachment_ids",
    "body_html",
    "email_cc",
    "email_from",
    "email_to",
    "mail_server_id",
    "partner_to",
    "reply_to",
    "report_template_ids",
    "scheduled_date",
    "subject",
)


class NikkiDunningChannelEmail(models.AbstractModel):
    """Email channel: one queued email per customer message.

    Emails are rendered in batch per template and language and created in
    one go as ``mail.mail`` records in Odoo's outgoing queue; the mail queue
    sends them. Nothing is sent inside the dunning transaction, so a rollback
    never leaves an email behind.
    """

    _name = "nikki.dunning.channel.email"
    _description = "Dunning Channel: Email"

    @api.model
    def _send(self, communications):
        """Queue the emails of ``communications`` (channel 'email').

        Returns the ``mail.mail`` records queued. Messages whose contact has
        no email address are left unsent (state 'no_email')."""
        mails = self.env["mail.mail"].sudo()
        to_send = communications.filtered(
            lambda comm: comm.channel == "email" and comm.contact_id.email
        )
        if not to_send:
            return mails
        moves = to_send.log_ids.move_id
        self._ensure_portal_tokens(moves)
        invoice_pdfs = self._invoice_pdfs(to_send)
        for template, template_comms in to_send.grouped(
            lambda comm: comm.step_id.mail_template_id
        ).items():
            rendered = template.sudo()._generate_template(
                template_comms.ids, RENDER_FIELDS
            )
            values_list, reports = [], []
            for comm in template_comms:
                values = rendered[comm.id]
                reports.append(values.pop("attachments", []))
                attachment_ids = list(values.pop("attachment_ids", []))
                attachment_ids += invoice_pdfs.get(comm.id, [])
                partner_ids = values.pop("partner_ids", []) or [comm.contact_id.id]
                values.pop("partner_to", None)
                if not values.get("email_from"):
                    values.pop("email_from", None)
                values.update(
                    {
                        "body": values.get("body_html"),
                        "model": comm._name,
                        "res_id": comm.id,
                        "message_type": "email_outgoing",
                        "auto_delete": False,
                        "recipient_ids": [Command.link(pid) for pid in partner_ids],
                        "attachment_ids": [Command.link(aid) for aid in attachment_ids],
                    }
                )
                values_list.append(values)
            template_mails = self.env["mail.mail"].sudo().create(values_list)
            self._attach_reports(template_mails, reports)
            for comm, mail in zip(template_comms, template_mails, strict=True):
                comm.mail_id = mail
                comm.mail_message_id = mail.mail_message_id
            mails |= template_mails
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()
        return mails

    @api.model
    def _ensure_portal_tokens(self, moves):
        """Give the invoices a portal access token (one query for all)."""
        moves.flush_recordset(["access_token"])
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::text "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(moves.ids),
            )
        )
        moves.invalidate_recordset(["access_token"])

    @api.model
    def _invoice_pdfs(self, communications):
        """Invoice PDF attachments per message, where the step wants them:
        the ones Odoo stored, and rendered ones when the step asks for it."""
        result = {}
        wanted = communications.filtered(lambda comm: comm.step_id.attach_invoice_pdf)
        if not wanted:
            return result
        moves = wanted.log_ids.move_id
        stored = {
            attachment.res_id: attachment.id
            for attachment in self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "in", moves.ids),
                    ("res_field", "=", "invoice_pdf_report_file"),
                ]
            )
        }
        render = wanted.filtered(lambda comm: comm.step_id.render_missing_pdf)
        missing = render.log_ids.move_id.filtered(lambda move: move.id not in stored)
        for move in missing:
            pdf, _format = (
                self.env["ir.actions.report"]
                .sudo()
                ._render_qweb_pdf("account.account_invoices", [move.id])
            )
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": move._get_invoice_report_filename(),
                        "raw": pdf,
                        "res_model": "account.move",
                        "res_id": move.id,
                        "res_field": "invoice_pdf_report_file",
                        "mimetype": "application/pdf",
                    }
                )
            )
            stored[move.id] = attachment.id
        for comm in wanted:
            result[comm.id] = [
                stored[move.id] for move in comm.log_ids.move_id if move.id in stored
            ]
        return result

    @api.model
    def _attach_reports(self, mails, reports):
        """Rendered report attachments (name, base64) of the template."""
        values, owners = [], []
        for mail, attachments in zip(mails, reports, strict=True):
            for name, datas in attachments:
                values.append(
                    {
                        "name": name,
                        "datas": datas,
                        "type": "binary",
                        "res_model": "mail.message",
                        "res_id": mail.mail_message_id.id,
                    }
                )
                owners.append(mail)
        if not values:
            return
        attachments = self.env["ir.attachment"].sudo().create(values)
        for mail, attachment in zip(owners, attachments, strict=True):
            mail.attachment_ids = [Command.link(attachment.id)]
