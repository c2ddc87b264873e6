from odoo import Command, api, models
from odoo.tools.safe_eval import safe_eval, time

from .dunning_letter import LETTER_REPORT


class NikkiDunningChannelEmail(models.AbstractModel):
    """The letter as the email's PDF attachment.

    Letters are rendered in one wkhtmltopdf run for all the messages of a
    batch; the report stores each as an attachment of its message, so a
    reprint gives the very PDF that was sent.
    """

    _inherit = "nikki.dunning.channel.email"

    @api.model
    def _send(self, communications):
        mails = super()._send(communications)
        with_letter = communications.filtered(
            lambda comm: comm.mail_id and comm._wants_letter_pdf()
        )
        if with_letter:
            attachments = self._letter_pdfs(with_letter)
            for comm in with_letter:
                if comm.id in attachments:
                    comm.mail_id.attachment_ids = [
                        Command.link(attachments[comm.id].id)
                    ]
        return mails

    @api.model
    def _letter_pdfs(self, communications):
        """{message id: stored letter PDF}, rendering the missing ones."""
        report = self.env.ref(LETTER_REPORT).sudo()
        self.env["ir.actions.report"].sudo()._render_qweb_pdf(
            report, communications.ids
        )
        names = {
            comm.id: safe_eval(report.attachment, {"object": comm, "time": time})
            for comm in communications
        }
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", communications._name),
                    ("res_id", "in", communications.ids),
                    ("name", "in", list(names.values())),
                ]
            )
        )
        return {
            attachment.res_id: attachment
            for attachment in attachments
            if names.get(attachment.res_id) == attachment.name
        }
