from odoo import api, models


class ReportDunningLetter(models.AbstractModel):
    """Values of the dunning letter: each message's content worked out in
    its customer's language from the figures stored when it was sent."""

    _name = "report.nikki_dunning.report_dunning_letter"
    _description = "Dunning Letter"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["nikki.dunning.communication"].browse(docids)
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "letters": {doc.id: doc._letter_values() for doc in docs},
        }
