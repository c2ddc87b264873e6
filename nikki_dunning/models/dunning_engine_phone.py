from odoo import api, models


class NikkiDunningEngine(models.AbstractModel):
    """The engine keeps the phone follow-ups in line with the workflow:
    when invoices leave it (paid, stopped...), are handed over, move past
    the step where calls stop or are put on hold, the open calls of their
    customers are cancelled (or refreshed when other invoices remain)."""

    _inherit = "nikki.dunning.engine"

    @api.model
    def _record_end(self, moves):
        result = super()._record_end(moves)
        self.env["nikki.dunning.channel.phone"]._sync_calls(moves, "ended")
        return result

    @api.model
    def _run_channels(self, communications, logs, today):
        sent = super()._run_channels(communications, logs, today)
        handed_over = logs.filtered(lambda log: log.action == "handover").move_id
        phone = self.env["nikki.dunning.channel.phone"]
        phone._sync_calls(handed_over, "handover")
        phone._sync_calls(logs.move_id - handed_over, "step")
        return sent

    @api.model
    def _hold(self, moves, reason, until=False):
        result = super()._hold(moves, reason, until)
        self.env["nikki.dunning.channel.phone"]._sync_calls(moves, "hold")
        return result
