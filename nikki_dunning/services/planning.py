"""Pure planning rules of the dunning workflow.

Nothing here touches the ORM: functions take plain data (dates, numbers,
small named tuples) and return plain data, so the rules are easy to read,
to unit-test and to reuse from the engine, the views and the reports.
"""

from collections import namedtuple
from datetime import timedelta

# A policy step as the planner needs it.
Step = namedtuple("Step", "id day_offset action")

# An invoice as the planner needs it, read right before acting on it.
InvoiceFacts = namedtuple(
    "InvoiceFacts",
    "state move_type payment_state amount_residual dunning_state",
)

RUNNING_STATES = ("active", "on_hold", "handed_over")
PAID_PAYMENT_STATES = ("paid", "in_payment", "reversed")

# Why an invoice leaves the workflow; keys are stored on the invoice.
END_REASONS = {
    "paid": "Paid",
    "cancelled": "Cancelled or reset to draft",
    "below_minimum": "Open amount below the policy minimum",
    "excluded": "Customer excluded from dunning",
    "stopped": "Stopped by a user",
    "recalled": "Recalled from the collection agency",
    "agency_closed": "Closed by the collection agency",
}


def ordered(steps):
    """Steps in workflow order: by day offset (offsets are unique per policy)."""
    return sorted(steps, key=lambda step: (step.day_offset, step.id or 0))


def next_step(steps, done_offset=None):
    """The step that comes after the steps already done.

    ``done_offset`` is the day offset of the last step done for the invoice
    (None when none was done yet). Working from the offset rather than the
    step record keeps the plan right when a manager edits, adds or removes
    steps while invoices are in the workflow.
    """
    for step in ordered(steps):
        if done_offset is None or step.day_offset > done_offset:
            return step
    return None


def due_date(start_date, step, done_offset=None, last_date=None):
    """The date ``step`` is due for an invoice that entered on ``start_date``.

    A step is due on Day 0 + its offset, but never sooner after the previous
    step actually ran than the policy's gap between the two: when a run was
    missed (server down, invoice on hold), the customer still gets the full
    time between two messages.
    """
    date = start_date + timedelta(days=step.day_offset)
    if done_offset is not None and last_date:
        date = max(date, last_date + timedelta(days=step.day_offset - done_offset))
    return date


def end_reason(facts, minimum_amount=0.0, excluded=False):
    """Why an invoice must leave the workflow now, or None when it stays.

    Checked right before anything is sent for the invoice.
    """
    if facts.state != "posted":
        return "cancelled"
    if facts.payment_state in PAID_PAYMENT_STATES or facts.amount_residual <= 0:
        return "paid"
    if excluded:
        return "excluded"
    if minimum_amount and facts.amount_residual < minimum_amount:
        return "below_minimum"
    return None


def submission_problem(facts):
    """Why an invoice cannot be submitted to dunning, or None when it can."""
    if facts.move_type != "out_invoice":
        return "not_customer_invoice"
    if facts.state != "posted":
        return "not_posted"
    if facts.payment_state in PAID_PAYMENT_STATES or facts.amount_residual <= 0:
        return "paid"
    if facts.dunning_state in RUNNING_STATES:
        return "already_running"
    return None


def policy_problems(steps, has_agency):
    """Everything wrong with a policy's steps, as message keys with arguments.

    Returns a list of (key, detail) pairs; an empty list means the policy is
    valid.
    """
    problems = []
    if not steps:
        return [("no_steps", None)]
    offsets = [step.day_offset for step in steps]
    for step in steps:
        if step.day_offset < 0:
            problems.append(("negative_offset", step.day_offset))
    duplicates = sorted({offset for offset in offsets if offsets.count(offset) > 1})
    for offset in duplicates:
        problems.append(("duplicate_offset", offset))
    handovers = [step for step in steps if step.action == "handover"]
    if handovers and not has_agency:
        problems.append(("handover_without_agency", None))
    if handovers:
        first_handover = min(step.day_offset for step in handovers)
        after = [s for s in steps if s.day_offset > first_handover]
        if after or len(handovers) > 1:
            problems.append(("step_after_handover", first_handover))
    return problems


def lead_step(steps):
    """Of the steps due together for one customer, the one whose message
    is sent: the furthest in the workflow."""
    return max(steps, key=lambda step: (step.day_offset, step.id or 0))
