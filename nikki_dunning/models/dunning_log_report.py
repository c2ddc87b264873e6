"""What became of each dunning step: the facts the analysis counts.

Stored on the step lines of the history and kept current by the ORM from
the invoice (paid? when? still open? how much?) and its collection case
line (handed over, collected by the agency). The analysis view
(``nikki.dunning.report``) then reads one table: with a million history
lines a join to the invoices on every pivot cell costs seconds, these
columns cost nothing to read.

What happened after a step is known for the invoice's current workflow
cycle (the line's Day 0 is the invoice's Day 0). Lines of an earlier cycle of
an invoice that was submitted again count as reached, outcome "Restarted".
"""

from odoo import api, fields, models

from .dunning_step import STEP_ACTIONS

STEP_ACTION_KEYS = tuple(key for key, _label in STEP_ACTIONS)

OUTCOMES = [
    ("paid", "Paid"),
    ("open", "In Dunning"),
    ("handed_over", "With the Agency"),
    ("ended", "Ended Otherwise"),
    ("restarted", "Restarted Later"),
]


def step_outcome(line_start, move_start, dunning_state, end_reason):
    """Where the workflow of a step line's cycle stands now."""
    if line_start != move_start:
        return "restarted"
    if dunning_state == "done":
        return "paid" if end_reason == "paid" else "ended"
    if dunning_state == "handed_over":
        return "handed_over"
    return "open"


class NikkiDunningLog(models.Model):
    _inherit = "nikki.dunning.log"

    company_currency_id = fields.Many2one(
        "res.currency", related="company_id.currency_id", string="Company Currency"
    )
    report_amount = fields.Monetary(
        string="Amount at Step (Company Currency)",
        currency_field="company_currency_id",
        compute="_compute_report_amount",
        store=True,
        help="The open amount at the step converted at the invoice's own "
        "rate (its receivable's book value).",
    )
    report_user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        related="move_id.invoice_user_id",
        store=True,
    )
    report_outcome = fields.Selection(
        OUTCOMES,
        string="Outcome",
        compute="_compute_report_facts",
        store=True,
    )
    report_date_paid = fields.Date(
        string="Paid On", compute="_compute_report_facts", store=True
    )
    report_last_step = fields.Boolean(
        string="Last Step Reached", compute="_compute_report_facts", store=True
    )
    report_amount_open = fields.Monetary(
        string="Amount Still Open",
        currency_field="company_currency_id",
        compute="_compute_report_facts",
        store=True,
    )
    report_handed_over = fields.Boolean(
        string="Handed Over", compute="_compute_report_facts", store=True
    )
    report_amount_handed_over = fields.Monetary(
        string="Amount Handed Over",
        currency_field="company_currency_id",
        compute="_compute_report_facts",
        store=True,
    )
    report_amount_collected = fields.Monetary(
        string="Collected by Agency",
        currency_field="company_currency_id",
        compute="_compute_report_facts",
        store=True,
    )

    @api.depends(
        "action",
        "amount_residual",
        "move_id.amount_total",
        "move_id.amount_total_signed",
    )
    def _compute_report_amount(self):
        for log in self:
            move = log.move_id
            if log.action not in STEP_ACTION_KEYS:
                log.report_amount = 0.0
            elif move.amount_total:
                log.report_amount = log.amount_residual * abs(
                    move.amount_total_signed / move.amount_total
                )
            else:
                log.report_amount = log.amount_residual

    @api.depends(
        "action",
        "cycle_start",
        "day_offset",
        "move_id.dunning_start_date",
        "move_id.dunning_state",
        "move_id.dunning_end_reason",
        "move_id.dunning_end_date",
        "move_id.dunning_step_offset",
        "move_id.dunning_step_date",
        "move_id.amount_residual_signed",
        "move_id.dunning_case_id.line_ids.amount_handed_over",
        "move_id.dunning_case_id.line_ids.amount_collected",
    )
    def _compute_report_facts(self):
        # {(case, invoice): the case's lines of the invoice}, built once
        case_lines = {
            (case, move): lines
            for case in self.move_id.dunning_case_id
            for move, lines in case.line_ids.grouped("move_id").items()
        }
        no_lines = self.env["nikki.collection.case.line"]
        for log in self:
            move = log.move_id
            facts = {
                "report_outcome": False,
                "report_date_paid": False,
                "report_last_step": False,
                "report_amount_open": 0.0,
                "report_handed_over": False,
                "report_amount_handed_over": 0.0,
                "report_amount_collected": 0.0,
            }
            if log.action in STEP_ACTION_KEYS:
                outcome = step_outcome(
                    log.cycle_start,
                    move.dunning_start_date,
                    move.dunning_state,
                    move.dunning_end_reason,
                )
                current = outcome != "restarted"
                lines = (
                    case_lines.get((move.dunning_case_id, move), no_lines)
                    if current
                    else False
                )
                facts.update(
                    report_outcome=outcome,
                    report_date_paid=move.dunning_end_date
                    if outcome == "paid"
                    else False,
                    report_last_step=current
                    and bool(move.dunning_step_date)
                    and move.dunning_step_offset == log.day_offset,
                    report_amount_open=abs(move.amount_residual_signed)
                    if outcome in ("open", "handed_over")
                    else 0.0,
                    report_handed_over=bool(lines),
                    report_amount_handed_over=sum(lines.mapped("amount_handed_over"))
                    if lines
                    else 0.0,
                    report_amount_collected=sum(lines.mapped("amount_collected"))
                    if lines
                    else 0.0,
                )
            log.update(facts)
