from odoo import Command, api, models


class NikkiDunningChannelEmail(models.AbstractModel):
    """The letter as the email's PDF attachment.

    Each letter is rendered once and stored on its message (the report's
    attachment), so a reprint gives the very PDF that was sent. The
    pre-collection notice always carries it: it states the exact costs.
    """

    _inherit = "nikki.dunning.channel.email"

    @api.model
    def _send(self, communications):
        mails = super()._send(communications)
        with_letter = communications.filtered(
            lambda comm: comm.mail_id and comm._wants_letter_pdf()
        )
        if with_letter:
            attachments = with_letter._store_letter_pdfs()
            for comm in with_letter:
                if comm.id in attachments:
                    comm.mail_id.attachment_ids = [
                        Command.link(attachments[comm.id].id)
                    ]
        return mails
