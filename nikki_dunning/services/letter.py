"""Decisions about a dunning letter's content, as pure functions.

- ``fill_placeholders``: the step's editable letter text with ``{name}``
  placeholders replaced by escaped values (unknown names stay as written,
  so a typo shows in the preview instead of breaking the letter).
- ``costs_statement``: which legal statement about collection costs an
  invoice group gets in a letter.
- ``is_notice_allowed``: whether a step may be sent as the fourteen-day
  pre-collection notice for an invoice.
"""

import re

from markupsafe import Markup, escape

PLACEHOLDERS = ("customer", "contact", "company", "date", "total_due", "agency")
_TOKEN = re.compile(r"\{(\w+)\}")


def fill_placeholders(html, values):
    """``html`` (the letter text) with its ``{name}`` placeholders filled."""

    def replace(match):
        name = match.group(1)
        if name in values:
            return str(escape(values[name] if values[name] is not None else ""))
        return match.group(0)

    return Markup(_TOKEN.sub(replace, str(html or "")))


def is_notice_allowed(debtor_type, due_date, send_date):
    """A pre-collection notice only counts as the fourteen-day letter for a
    consumer when the invoice is already overdue on the day it is sent; the
    rule does not apply to business debtors."""
    return debtor_type != "consumer" or (bool(due_date) and due_date < send_date)


def costs_statement(new_notice, deadline, letter_date, costs):
    """The statement about collection costs for one group of invoices.

    - 'notice': the fourteen-day letter itself, stating the exact costs
      owed if the term passes unpaid;
    - 'pending': a later letter before the tracked deadline, repeating that
      same deadline and the costs;
    - 'owed': the deadline has passed, the costs are owed now;
    - None: nothing to say (no costs, or no deadline tracked).
    """
    if new_notice:
        return "notice"
    if not deadline or not costs:
        return None
    return "owed" if letter_date >= deadline else "pending"
