"""Pure rules of the dunning dashboard and digest: periods and key figures.

Plain dates and numbers in, plain dates and numbers out.
"""

from datetime import timedelta

# DSO looks at the sales of the last DSO_DAYS days
DSO_DAYS = 90


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def previous_month(day):
    """(first day, last day) of the month before ``day``'s month."""
    last = month_start(day) - timedelta(days=1)
    return month_start(last), last


def sales_period(day, days=DSO_DAYS):
    """(first day, last day) of the ``days`` days up to and including ``day``."""
    return day - timedelta(days=days - 1), day


def dso(receivable, sales, days=DSO_DAYS):
    """Days sales outstanding: how many days of sales the open receivable
    represents, ``receivable / sales * days``. None without sales in the
    period (the figure would be meaningless)."""
    if sales <= 0:
        return None
    return round(max(receivable, 0.0) / sales * days, 1)


def ratio(part, whole):
    """``part`` as a percentage of ``whole`` (None when ``whole`` is 0)."""
    if not whole:
        return None
    return round(part * 100.0 / whole, 1)
