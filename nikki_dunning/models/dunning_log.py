from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .dunning_step import STEP_ACTIONS

LOG_ACTIONS = STEP_ACTIONS + [
    ("hold", "Put on Hold"),
    ("resume", "Resumed"),
    ("end", "Left the Workflow"),
    ("mail_failed", "Email Failed"),
    # phone follow-ups: the outcome of a call
    ("call_reached", "Call: Reached"),
    ("call_not_reached", "Call: Not Reached"),
    ("call_promise", "Call: Promise to Pay"),
    ("call_dispute", "Call: Disputed"),
    ("call_payment_plan", "Call: Payment Plan Asked"),
    ("call_done", "Call: Done Without Outcome"),
]


class NikkiDunningLog(models.Model):
    """The dunning history: one line per invoice per event.

    Step lines are unique per invoice, workflow cycle and step day: the
    database itself refuses a second line, so a step can never be executed
    (and its message queued) twice, whatever runs concurrently.
    """

    _name = "nikki.dunning.log"
    _description = "Dunning History"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "move_id"

    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    policy_id = fields.Many2one("nikki.dunning.policy", ondelete="set null")
    step_id = fields.Many2one("nikki.dunning.step", ondelete="set null", index=True)
    day_offset = fields.Integer(
        string="Day", help="Day of the step in the workflow, from Day 0."
    )
    cycle_start = fields.Date(
        string="Day 0", help="The day the invoice entered the workflow."
    )
    action = fields.Selection(LOG_ACTIONS, required=True, index=True)
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary(
        string="Amount Open",
        currency_field="currency_id",
        help="Open amount of the invoice when the event happened.",
    )
    communication_id = fields.Many2one(
        "nikki.dunning.communication",
        string="Message",
        ondelete="set null",
        index="btree_not_null",
    )
    case_id = fields.Many2one(
        "nikki.collection.case", ondelete="set null", index="btree_not_null"
    )
    note = fields.Char()
    user_id = fields.Many2one(
        "res.users", string="By", default=lambda self: self.env.user
    )
    portal_url = fields.Char(compute="_compute_portal_url")

    def init(self):
        if not index_exists(self.env.cr, "nikki_dunning_log_step_once"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX nikki_dunning_log_step_once ON %s "
                    "(move_id, cycle_start, day_offset) "
                    "WHERE action IN ('reminder', 'pre_collection', 'handover')",
                    SQL.identifier(self._table),
                )
            )

    @api.depends("move_id.access_token")
    def _compute_portal_url(self):
        for log in self:
            move = log.move_id
            log.portal_url = (
                move.get_base_url() + move.get_portal_url()
                if move.access_token
                else False
            )
