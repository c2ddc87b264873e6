"""Dutch statutory interest (art. 6:119 and 6:119a BW), pure functions.

The rates come in as dated rows read from ``nikki.interest.rate`` records:
a rate applies from its date until the next row's date, so a period of
interest is split at every rate change. Interest compounds yearly: after
each full year, counted from the day interest started to run, the interest
of that year is added to the amount interest is computed on.

Interest is counted per day on an actual/365 basis, for every day from the
start day up to and including the last day asked for. Days before the first
known rate bear no interest (nothing is claimed without a known rate).
"""

from collections import namedtuple
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from .legal_costs import round_money, to_decimal

# A rate (percent a year) applying from ``date_from`` on.
Rate = namedtuple("Rate", "date_from percent")

DAYS_A_YEAR = Decimal(365)


def rate_on(rates, day):
    """The rate in force on ``day`` (0 before the first known rate)."""
    valid = [rate for rate in rates if rate.date_from <= day]
    if not valid:
        return Decimal(0)
    return to_decimal(max(valid, key=lambda rate: rate.date_from).percent)


def anniversary(start, years):
    """``start`` plus whole years (29 February falls back to the 28th)."""
    return start + relativedelta(years=years)


class InterestAccrual:
    """The interest of one claim, accrued period by period.

    ``capitalised`` is the interest of completed years, which bears interest
    itself; ``running`` is the interest of the current year so far.
    """

    def __init__(self, start, rates):
        self.start = start
        self.rates = sorted(rates, key=lambda rate: rate.date_from)
        self.day = start  # the first day not accrued yet
        self.years = 0
        self.capitalised = Decimal(0)
        self.running = Decimal(0)

    @property
    def open(self):
        return self.capitalised + self.running

    def accrue(self, principal, until):
        """Accrue every day before ``until`` on ``principal`` plus the
        capitalised interest; returns the interest open."""
        principal = to_decimal(principal)
        while self.day < until:
            next_year = anniversary(self.start, self.years + 1)
            stop = min(
                [until, next_year]
                + [rate.date_from for rate in self.rates if rate.date_from > self.day]
            )
            days = (stop - self.day).days
            rate = rate_on(self.rates, self.day)
            self.running += (
                (principal + self.capitalised) * rate / 100 * days / (DAYS_A_YEAR)
            )
            self.day = stop
            if stop == next_year:
                self.years += 1
                self.capitalised += self.running
                self.running = Decimal(0)
        return self.open

    def pay(self, amount):
        """Apply up to ``amount`` to the interest (oldest first); returns
        what was used."""
        amount = to_decimal(amount)
        used = min(amount, self.open)
        on_capitalised = min(used, self.capitalised)
        self.capitalised -= on_capitalised
        self.running -= used - on_capitalised
        return used


def statutory_interest(principal, start, end, rates):
    """Interest on ``principal`` for the days ``start`` to ``end``
    (inclusive), compounded yearly, rounded to cents."""
    if not start or end < start:
        return Decimal("0.00")
    accrual = InterestAccrual(start, rates)
    return round_money(accrual.accrue(principal, end + timedelta(days=1)))
