from odoo import _, api, fields, models


class NikkiCollectionRecallWizard(models.TransientModel):
    """Recall invoices (a whole case or one invoice) from the agency."""

    _name = "nikki.collection.recall.wizard"
    _description = "Recall from Collection Agency"

    case_line_ids = fields.Many2many(
        "nikki.collection.case.line", string="Invoices", required=True
    )
    reason = fields.Char(
        required=True,
        help="Why the claim is taken back. The agency reads it in the next file.",
    )
    after_recall = fields.Selection(
        [
            ("stop", "Stop: no more reminders"),
            ("restart", "Restart our own reminders now (Day 0 today)"),
        ],
        string="Then",
        required=True,
        default="stop",
    )

    @api.model
    def _open(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Recall from Agency"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }

    def action_confirm(self):
        self.ensure_one()
        self.case_line_ids._recall(self.reason, restart=self.after_recall == "restart")
        return {"type": "ir.actions.act_window_close"}
