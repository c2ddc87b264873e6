"""What a debtor owes on a day: principal, interest and collection costs,
with payments applied as art. 6:44 BW says: first to the costs, then to the
interest, then to the principal.

Costs only exist from the day they are owed (for a consumer: the day after
the fourteen-day term of the pre-collection notice); a payment made before
that day goes to the interest and the principal, and the costs are worked
out on the principal left when they become owed. Pure functions.
"""

from collections import namedtuple
from datetime import timedelta
from decimal import Decimal

from .interest import InterestAccrual
from .legal_costs import round_money, to_decimal

# A payment (or other amount settled) on an invoice.
Payment = namedtuple("Payment", "date amount")

# The open amounts of a claim.
Claim = namedtuple("Claim", "principal interest costs")


def settle(
    principal,
    as_of,
    payments=(),
    interest_from=None,
    rates=(),
    costs=0,
    costs_from=None,
):
    """The open principal, interest and costs of one invoice at the end of
    ``as_of``.

    ``principal``: the amount of the invoice; ``payments``: what was paid
    and when (payments after ``as_of`` are ignored); interest runs from
    ``interest_from`` at ``rates`` when both are given; ``costs`` become owed
    on ``costs_from``. A payment takes effect at the end of its day.
    """
    open_principal = to_decimal(principal)
    open_costs = Decimal(0)
    costs_owed = False
    accrual = InterestAccrual(interest_from, rates) if interest_from and rates else None

    def owe_costs(day):
        nonlocal open_costs, costs_owed
        if not costs_owed and costs_from and costs_from <= day:
            open_costs += to_decimal(costs)
            costs_owed = True

    for payment in sorted(payments, key=lambda payment: payment.date):
        if payment.date > as_of:
            break
        if accrual:
            accrual.accrue(open_principal, payment.date + timedelta(days=1))
        owe_costs(payment.date)
        rest = to_decimal(payment.amount)
        on_costs = min(rest, open_costs)
        open_costs -= on_costs
        rest -= on_costs
        if accrual:
            rest -= accrual.pay(rest)
        open_principal -= min(rest, open_principal)
    if accrual:
        accrual.accrue(open_principal, as_of + timedelta(days=1))
    owe_costs(as_of)
    return Claim(
        round_money(open_principal),
        round_money(accrual.open if accrual else 0),
        round_money(open_costs),
    )


def principal_before(principal, day, payments=(), interest_from=None, rates=()):
    """The principal still open at the start of ``day`` (payments made
    before it applied to interest first, no costs being owed yet)."""
    return settle(
        principal,
        day - timedelta(days=1),
        payments,
        interest_from=interest_from,
        rates=rates,
    ).principal
