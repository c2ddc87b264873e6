"""Statutory extrajudicial collection costs (Dutch WIK, BIK decree art. 2).

Pure functions over plain data: the scale comes in as dated rows read from
``nikki.cost.scale`` records (no rate or amount is written in this code).

The scale is degressive: each bracket has the amount it starts at and the
percentage charged on the part of the principal inside it; the sum is then
held between a minimum and a maximum. One letter covering several invoices
applies the scale once, to the sum of their principals.
"""

from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

# One bracket of the scale: from ``amount_from`` on, ``rate`` percent.
Bracket = namedtuple("Bracket", "amount_from rate")

# One dated version of the scale, as stored in the database.
Scale = namedtuple(
    "Scale",
    "date_from brackets minimum maximum vat_rate "
    "small_claims_cap small_claims_threshold small_claims_amount "
    "small_claims_months",
)

CENT = Decimal("0.01")


def to_decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def round_money(value):
    """Round half up to cents, as amounts are stated in letters."""
    return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def scale_on(scales, on_date):
    """The scale in force on ``on_date``: the latest one starting on or
    before it. None when no scale was in force yet."""
    valid = [scale for scale in scales if scale.date_from <= on_date]
    return max(valid, key=lambda scale: scale.date_from) if valid else None


def statutory_costs(principal, brackets, minimum, maximum):
    """Costs for ``principal`` on the scale, before VAT.

    A principal of zero (or less) costs nothing: the minimum only applies to
    a claim that exists.
    """
    principal = to_decimal(principal)
    if principal <= 0:
        return Decimal("0.00")
    ordered = sorted(brackets, key=lambda bracket: to_decimal(bracket.amount_from))
    total = Decimal(0)
    for index, bracket in enumerate(ordered):
        start = to_decimal(bracket.amount_from)
        end = (
            to_decimal(ordered[index + 1].amount_from)
            if index + 1 < len(ordered)
            else None
        )
        if principal <= start:
            break
        part = (min(principal, end) if end is not None else principal) - start
        total += part * to_decimal(bracket.rate) / 100
    total = round_money(total)
    if minimum:
        total = max(total, round_money(minimum))
    if maximum:
        total = min(total, round_money(maximum))
    return total


def add_vat(costs, vat_rate):
    """Costs raised by VAT, for a creditor who cannot reclaim it."""
    return round_money(to_decimal(costs) * (1 + to_decimal(vat_rate) / 100))


def cap_small_claims(costs, principals, threshold, cap, already_claimed):
    """Small recurring claims: when every principal is below ``threshold``,
    the costs stated in the period may not exceed ``cap`` in total, of which
    ``already_claimed`` was used by earlier letters."""
    if not principals or any(
        to_decimal(p) >= to_decimal(threshold) for p in principals
    ):
        return round_money(costs)
    room = max(to_decimal(cap) - to_decimal(already_claimed), Decimal(0))
    return round_money(min(to_decimal(costs), room))


def claim_costs(
    principals,
    scale,
    contract_amount=None,
    vat=False,
    small_claims=False,
    already_claimed=0,
):
    """Collection costs of one letter.

    ``principals``: the open principal of each invoice (in the scale's
    currency); the scale is applied once to their sum, or the contractual
    amount agreed with a business debtor replaces it. ``vat``: add the
    scale's VAT rate. ``small_claims``: apply the small-recurring-claims cap
    when the scale has it enabled.
    """
    total = sum((to_decimal(p) for p in principals), Decimal(0))
    if total <= 0 or scale is None:
        return Decimal("0.00")
    if contract_amount is not None:
        costs = round_money(contract_amount)
    else:
        costs = statutory_costs(total, scale.brackets, scale.minimum, scale.maximum)
    if small_claims and scale.small_claims_cap:
        costs = cap_small_claims(
            costs,
            principals,
            scale.small_claims_threshold,
            scale.small_claims_amount,
            already_claimed,
        )
    if vat and scale.vat_rate:
        costs = add_vat(costs, scale.vat_rate)
    return costs


def split_pro_rata(total, weights):
    """Split ``total`` over ``weights`` in cents; the shares add up to the
    total exactly (the rounding rest goes to the largest weight)."""
    total = round_money(total)
    weights = [to_decimal(w) for w in weights]
    whole = sum(weights, Decimal(0))
    if whole <= 0:
        return [Decimal("0.00") for _w in weights]
    shares = [round_money(total * weight / whole) for weight in weights]
    rest = total - sum(shares, Decimal(0))
    if rest:
        largest = max(range(len(weights)), key=lambda index: weights[index])
        shares[largest] += rest
    return shares
