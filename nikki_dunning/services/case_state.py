"""Where a collection case stands, from the states of its invoices.

Each invoice of a case (a case line) has its own state: with the agency
(``in_collection``, ``partially_collected``), closed by the agency
(``collected``, ``uncollectable``, ``returned``) or closed by the business
(``paid_directly``, ``recalled``). The case state follows from them.
"""

from collections import namedtuple

OPEN_LINE_STATES = ("in_collection", "partially_collected")
CLOSED_BY_AGENCY = ("collected", "uncollectable", "returned")
CLOSED_BY_US = ("paid_directly", "recalled")

# A case line as the rule needs it: its state, whether the agency got it
# (it was in a file sent out) and the amount the agency collected on it.
LineFacts = namedtuple("LineFacts", "state exported collected")


def case_state(lines):
    """The state of a case whose invoices are ``lines`` (``LineFacts``).

    - ``to_send``: an invoice still with the case waits to be sent to the
      agency (approval mode, or the file has not gone out yet);
    - ``in_collection`` / ``partially_collected``: invoices are with the
      agency, the latter once the agency collected money on any of them;
    - once every invoice is closed: ``recalled`` when all were recalled;
      otherwise, ignoring recalled ones, ``collected`` (or ``paid_directly``
      when nothing went through the agency) when all were settled, else
      ``uncollectable`` or ``returned`` by what the agency gave up on.
    """
    lines = list(lines)
    if not lines:
        return "to_send"
    open_lines = [line for line in lines if line.state in OPEN_LINE_STATES]
    if any(not line.exported for line in open_lines):
        return "to_send"
    if open_lines:
        if any(line.collected for line in lines):
            return "partially_collected"
        return "in_collection"
    kept = [line for line in lines if line.state != "recalled"]
    if not kept:
        return "recalled"
    states = {line.state for line in kept}
    if states <= {"collected", "paid_directly"}:
        return "collected" if "collected" in states else "paid_directly"
    if "uncollectable" in states:
        return "uncollectable"
    return "returned"
