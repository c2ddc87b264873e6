from odoo import api, fields, models


class NikkiDunningEngine(models.AbstractModel):
    """The engine's side of the agency exchange: the nightly run ends by
    sending the agencies their files, and an invoice of an open case that
    gets paid (or cancelled) while with the agency is taken off the case,
    so the next file tells the agency to stop."""

    _inherit = "nikki.dunning.engine"

    @api.model
    def _cron_run(self, company_ids=None):
        stats = super()._cron_run(company_ids=company_ids)
        today = fields.Date.context_today(self)
        exchanges = self.env["nikki.collection.exchange"]._send_pending(
            today, company_ids=company_ids
        )
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit
        stats["agency_files"] = len(exchanges)
        return stats

    @api.model
    def _record_end(self, moves):
        result = super()._record_end(moves)
        self.env["nikki.collection.case.line"]._close_ended(moves)
        return result
