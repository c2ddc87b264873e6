"""Pure rules of the phone follow-ups: who is called, when, and by whom.

Nothing here touches the ORM: the channel (models/dunning_channel_phone.py)
reads the facts in batch, asks these functions, and writes the answers.
"""

from datetime import timedelta

# how far ahead a call due on a closed day may move before we give up
# looking for a working day (a calendar without any working day)
WORKING_DAY_HORIZON = 45

# days a promise to pay is given on top of the promised date before the
# workflow resumes
PROMISE_GRACE_DAYS = 1

# a promise further ahead than this is a payment plan, or a typo
PROMISE_MAX_DAYS = 90


def phone_enabled(policy_enabled, customer_choice):
    """Whether a customer gets calls: the customer's own choice ("yes" or
    "no") wins over the policy's setting; empty follows the policy."""
    if customer_choice == "yes":
        return True
    if customer_choice == "no":
        return False
    return bool(policy_enabled)


def window_opens(start_date, from_day):
    """The first day calls are made about an invoice that entered the
    workflow on ``start_date``."""
    return start_date + timedelta(days=from_day or 0)


def still_called(done_offset, until_offset):
    """Whether an invoice is still called about after it reached the step of
    day ``done_offset`` (None: no step done yet). Calls stop once the
    invoice has reached the step of day ``until_offset``; None means until
    the hand-over (handed-over invoices are not called about at all)."""
    if until_offset is None or done_offset is None:
        return True
    return done_offset < until_offset


def next_call_date(window_open, last_call_date, interval_days):
    """The day the next call is due, before moving it to a working day.

    ``last_call_date`` is the day the customer's previous call was done (or
    was due, when it was cancelled); None when there was none. A call never
    comes sooner than ``interval_days`` after the previous one, nor before
    the call window of the customer's invoices opens.
    """
    if last_call_date is None:
        return window_open
    return max(window_open, last_call_date + timedelta(days=interval_days))


def working_day(day, closed_days, horizon=WORKING_DAY_HORIZON):
    """``day`` or the first day after it that is not in ``closed_days``
    (weekends and holidays of the company's working-time calendar).

    When no working day comes within ``horizon`` days (a calendar without
    working days), ``day`` itself is kept: a call on a closed day is better
    than none.
    """
    for shift in range(horizon + 1):
        candidate = day + timedelta(days=shift)
        if candidate not in closed_days:
            return candidate
    return day


def planned_call_date(due_date, today, closed_days):
    """The day a call due on ``due_date`` is put in the caller's agenda: a
    call overdue since a missed run is planned today, and any call falling
    on a closed day moves to the next working day."""
    return working_day(max(due_date, today), closed_days)


def choose_user(candidates, eligible):
    """The first of ``candidates`` (user ids in order of preference, falsy
    entries skipped) that is in ``eligible``; None when none is."""
    for user_id in candidates:
        if user_id and user_id in eligible:
            return user_id
    return None


def phone_settings_problems(
    enabled, interval_days, from_day, until_offset, has_default_caller
):
    """Everything wrong with a policy's phone follow-up settings, as keys.

    ``until_offset`` is the day of the step at which calls stop (None: until
    the hand-over).
    """
    problems = []
    if interval_days is None or interval_days < 1:
        problems.append("interval")
    if from_day is None or from_day < 0:
        problems.append("from_day")
    if (
        until_offset is not None
        and from_day is not None
        and from_day >= 0
        and until_offset <= from_day
    ):
        problems.append("empty_window")
    if enabled and not has_default_caller:
        problems.append("no_default_caller")
    return problems


def outcome_problems(outcome, promise_date, today, disputed_count):
    """What is missing or wrong in a call outcome, as keys."""
    problems = []
    if not outcome:
        return ["no_outcome"]
    if outcome == "promise":
        if not promise_date:
            problems.append("no_promise_date")
        elif promise_date < today:
            problems.append("promise_in_past")
        elif promise_date > today + timedelta(days=PROMISE_MAX_DAYS):
            problems.append("promise_too_far")
    if outcome == "dispute" and not disputed_count:
        problems.append("nothing_disputed")
    return problems


def promise_hold_until(promise_date, grace_days=PROMISE_GRACE_DAYS):
    """The last day of the hold after a promise to pay: the promised date
    plus the grace days. The workflow resumes the day after."""
    return promise_date + timedelta(days=grace_days)
