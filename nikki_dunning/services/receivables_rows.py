"""Reading one row of a receivables list into invoice values.

Pure: cells, the column mapping and what Odoo knows (active currencies,
countries, today) in; the row's values and the problems found out. Every
problem names the field it is about, so the caller can name the column.
"""

from odoo.tools import LazyTranslate

from . import receivables_values as values_
from .receivables_columns import normalise_header
from .receivables_problem import Problem

_lt = LazyTranslate(__name__)

EMPTY = _lt("is empty")
ZERO = _lt("the open amount is zero: there is nothing to collect")
NEGATIVE = _lt("the open amount %(value)s is negative (a credit): nothing to collect")
NEGATIVE_AMOUNT = _lt("the invoice amount %(value)s is negative")
OPEN_ABOVE_AMOUNT = _lt(
    "the open amount %(open)s is more than the invoice amount %(amount)s"
)
DUE_BEFORE_INVOICE = _lt("the due date %(due)s is before the invoice date %(date)s")
FUTURE_INVOICE = _lt("the invoice date %(date)s is in the future")
UNKNOWN_CURRENCY = _lt("the currency %(value)s is unknown or not active in Odoo")
TOO_MANY_DECIMALS = _lt("%(value)s has more decimals than %(currency)s allows")
UNKNOWN_COUNTRY = _lt("the country '%(value)s' is unknown")

TEXT_FIELDS = (
    "invoice_number",
    "partner_name",
    "partner_ref",
    "phone",
    "street",
    "zip",
    "city",
    "description",
)


def cell(cells, mapping, field):
    position = mapping.get(field)
    if position is None or position >= len(cells):
        return None
    return cells[position]


def parse_row(
    cells,
    mapping,
    *,
    today,
    currencies,
    default_currency,
    countries=None,
    decimal_separator=values_.DECIMAL_POINT,
):
    """Values of one row and the problems found.

    ``currencies`` maps the active currency codes to their decimal places,
    ``countries`` normalised country names and codes to country codes.
    Returns ``(values, problems)`` with ``problems`` a list of
    ``(field, Problem)``; the values are usable only without problems.
    """
    values, problems = {}, []

    def read(field, parser, *args):
        raw = cell(cells, mapping, field)
        if values_.is_empty(raw):
            return None
        try:
            return parser(raw, *args)
        except Problem as problem:
            problems.append((field, problem))
            return None

    for field in TEXT_FIELDS:
        values[field] = values_.text(cell(cells, mapping, field))
    for field in ("invoice_number", "partner_name"):
        if not values[field]:
            problems.append((field, Problem(EMPTY)))

    values["email"] = read("email", values_.parse_email) or ""
    values["vat"] = values_.normalise_vat(cell(cells, mapping, "vat"))
    values["currency"] = _currency(
        cells, mapping, currencies, default_currency, problems
    )
    values["country"] = _country(cells, mapping, countries or {}, problems)

    values["due_date"] = read("due_date", values_.parse_date)
    if values["due_date"] is None and not _has_problem(problems, "due_date"):
        problems.append(("due_date", Problem(EMPTY)))
    values["invoice_date"] = read("invoice_date", values_.parse_date)
    if values["invoice_date"] and values["invoice_date"] > today:
        problems.append(
            ("invoice_date", Problem(FUTURE_INVOICE, date=_day(values["invoice_date"])))
        )
    elif (
        values["invoice_date"]
        and values["due_date"]
        and values["due_date"] < values["invoice_date"]
    ):
        problems.append(
            (
                "due_date",
                Problem(
                    DUE_BEFORE_INVOICE,
                    due=_day(values["due_date"]),
                    date=_day(values["invoice_date"]),
                ),
            )
        )

    _amounts(cells, mapping, values, currencies, decimal_separator, problems, read)
    return values, problems


def _has_problem(problems, field):
    return any(name == field for name, _problem in problems)


def _day(date):
    return date.strftime("%d-%m-%Y")


def _currency(cells, mapping, currencies, default_currency, problems):
    raw = cell(cells, mapping, "currency")
    if values_.is_empty(raw):
        return default_currency
    try:
        code = values_.currency_code(raw)
    except Problem as problem:
        problems.append(("currency", problem))
        return None
    if code not in currencies:
        problems.append(("currency", Problem(UNKNOWN_CURRENCY, value=code)))
        return None
    return code


def _country(cells, mapping, countries, problems):
    raw = values_.text(cell(cells, mapping, "country"))
    if not raw:
        return ""
    code = countries.get(normalise_header(raw))
    if not code:
        problems.append(("country", Problem(UNKNOWN_COUNTRY, value=raw)))
        return ""
    return code


def _amounts(cells, mapping, values, currencies, decimal_separator, problems, read):
    currency = values["currency"]
    digits = currencies.get(currency, 2)
    for field in ("open_amount", "amount"):
        number = read(field, values_.parse_amount, decimal_separator)
        if number is not None and round(number, digits) != round(number, 6):
            problems.append(
                (
                    field,
                    Problem(
                        TOO_MANY_DECIMALS,
                        value=values_.text(cell(cells, mapping, field)),
                        currency=currency,
                    ),
                )
            )
            number = None
        values[field] = number
    open_amount, amount = values["open_amount"], values["amount"]
    if open_amount is None:
        if not _has_problem(problems, "open_amount"):
            problems.append(("open_amount", Problem(EMPTY)))
    elif open_amount == 0:
        problems.append(("open_amount", Problem(ZERO)))
    elif open_amount < 0:
        problems.append(
            ("open_amount", Problem(NEGATIVE, value=_money(open_amount, digits)))
        )
    if amount is not None and amount < 0:
        problems.append(
            ("amount", Problem(NEGATIVE_AMOUNT, value=_money(amount, digits)))
        )
    elif amount and open_amount and open_amount > amount:
        problems.append(
            (
                "open_amount",
                Problem(
                    OPEN_ABOVE_AMOUNT,
                    open=_money(open_amount, digits),
                    amount=_money(amount, digits),
                ),
            )
        )


def _money(number, digits):
    return f"{number:.{digits}f}"
