"""Reading single values of a receivables list: text, dates, amounts,
email addresses, VAT numbers and currencies.

Pure functions. A value that cannot be read raises a ``Problem`` saying
what is wrong with it (without row and column: the caller adds them).
"""

import math
import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from odoo.tools import LazyTranslate

from .receivables_problem import Problem

_lt = LazyTranslate(__name__)

NOT_A_DATE = _lt("'%(value)s' is not a date (use dd-mm-yyyy or yyyy-mm-dd)")
NUMBER_NOT_DATE = _lt(
    "%(value)s is a number, not a date (format the cells as dates, or write "
    "them as dd-mm-yyyy)"
)
SHORT_YEAR = _lt("'%(value)s' has no four-digit year (use dd-mm-yyyy or yyyy-mm-dd)")
NO_SUCH_DATE = _lt("'%(value)s' is not an existing date")
NOT_AN_AMOUNT = _lt("'%(value)s' is not an amount")
NOT_AN_EMAIL = _lt("'%(value)s' is not a valid email address")
NOT_A_CURRENCY = _lt("'%(value)s' is not a currency code (such as EUR)")

DECIMAL_COMMA = ","
DECIMAL_POINT = "."

_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2,4})$")
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_TIME_PART = re.compile(r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_EMAIL = re.compile(r"^[^@\s,;<>()\[\]\"']+@[^@\s,;<>()\[\]\"']+\.[a-z]{2,}$", re.I)
_AMOUNT_CHARS = re.compile(r"^[0-9.,]+$")
_CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP"}
_CURRENCY_MARK = re.compile(r"^(?:€|\$|£|[A-Z]{3}|eur)|(?:€|\$|£|[A-Z]{3}|eur)$")


def is_empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


def is_value(value):
    """Whether a cell reads as a date or an amount (data, not a label)."""
    for parse in (parse_date, parse_amount):
        try:
            parse(value)
        except Problem:
            continue
        return True
    return False


def text(value):
    """A cell as text: whole numbers without '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time.min:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def parse_date(value):
    """A date from a spreadsheet date, or text as dd-mm-yyyy or yyyy-mm-dd
    (also with / or . between the parts, and an optional time)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise Problem(NUMBER_NOT_DATE, value=text(value))
    raw = text(value)
    candidate = _TIME_PART.sub("", raw)
    match = _YEAR_FIRST.match(candidate)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _DAY_FIRST.match(candidate)
        if not match:
            raise Problem(NOT_A_DATE, value=raw)
        day, month, year = (int(part) for part in match.groups())
        if len(match.group(3)) != 4:
            raise Problem(SHORT_YEAR, value=raw)
    try:
        return date(year, month, day)
    except ValueError:
        raise Problem(NO_SUCH_DATE, value=raw) from None


def parse_amount(value, decimal_separator=DECIMAL_POINT):
    """An amount from a number, or text such as '1.234,56', '1,234.56',
    '€ 12,50' or '(12.50)'.

    With both '.' and ',' in the text, the last one is the decimal
    separator. With only one of them, it is the decimal separator unless it
    is followed by exactly three digits or appears more than once (then it
    groups thousands), except that ``decimal_separator`` decides '1,234' and
    '1.234': the list's own convention.
    """
    if isinstance(value, bool):
        raise Problem(NOT_AN_AMOUNT, value=text(value))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise Problem(NOT_AN_AMOUNT, value=text(value))
        return round(float(value), 6)
    raw = text(value)
    cleaned = re.sub(r"[\s\u00a0']", "", raw)
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    cleaned = _CURRENCY_MARK.sub("", cleaned)
    if cleaned[:1] in ("-", "+"):
        negative, cleaned = negative or cleaned[0] == "-", cleaned[1:]
    elif cleaned[-1:] in ("-", "+"):
        negative, cleaned = negative or cleaned[-1] == "-", cleaned[:-1]
    cleaned = _CURRENCY_MARK.sub("", cleaned)
    if not cleaned or not _AMOUNT_CHARS.match(cleaned) or not cleaned[0].isdigit():
        raise Problem(NOT_AN_AMOUNT, value=raw)
    try:
        decimal = _decimal_mark(cleaned, decimal_separator)
    except Problem:
        raise Problem(NOT_AN_AMOUNT, value=raw) from None
    if decimal is None:
        digits = cleaned.replace(".", "").replace(",", "")
    else:
        whole, _mark, fraction = cleaned.rpartition(decimal)
        if not fraction:
            raise Problem(NOT_AN_AMOUNT, value=raw)
        digits = whole.replace(".", "").replace(",", "") + "." + fraction
    try:
        number = Decimal(digits)
    except InvalidOperation:
        raise Problem(NOT_AN_AMOUNT, value=raw) from None
    return float(-number if negative else number)


def _decimal_mark(cleaned, decimal_separator):
    """Which character separates the decimals in ``cleaned`` (or None)."""
    points, commas = cleaned.count("."), cleaned.count(",")
    if points and commas:
        mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        other = "," if mark == "." else "."
        if cleaned.count(mark) > 1 or cleaned.rfind(other) > cleaned.rfind(mark):
            raise Problem(NOT_AN_AMOUNT, value=cleaned)
        _check_groups(cleaned.rpartition(mark)[0], other, cleaned)
        return mark
    if not points and not commas:
        return None
    mark = "." if points else ","
    if cleaned.count(mark) > 1:
        _check_groups(cleaned, mark, cleaned)
        return None
    if len(cleaned.rpartition(mark)[2]) == 3:
        return mark if mark == decimal_separator else None
    return mark


def _check_groups(whole, separator, raw):
    """Thousands groups must have three digits: '1.23.456' is a typo."""
    groups = whole.split(separator)
    if any(len(group) != 3 for group in groups[1:]) or not groups[0]:
        raise Problem(NOT_AN_AMOUNT, value=raw)


def parse_email(value):
    """A lower-case email address, or '' for an empty cell."""
    raw = text(value)
    if not raw:
        return ""
    if not _EMAIL.match(raw):
        raise Problem(NOT_AN_EMAIL, value=raw)
    return raw.lower()


def normalise_vat(value):
    """A VAT number without spaces, dots and dashes, upper case."""
    return re.sub(r"[^0-9A-Za-z]", "", text(value)).upper()


def currency_code(value):
    """An ISO currency code from a code or a common symbol ('€' is EUR)."""
    raw = text(value)
    code = _CURRENCY_SYMBOLS.get(raw, raw.upper())
    if not code or not re.fullmatch(r"[A-Z]{3}", code):
        raise Problem(NOT_A_CURRENCY, value=raw)
    return code


# country names lists use that Odoo's country names do not cover
COUNTRY_ALIASES = {
    "Holland": "NL",
    "Nederland": "NL",
    "The Netherlands": "NL",
    "België": "BE",
    "Belgie": "BE",
    "Belgique": "BE",
    "Duitsland": "DE",
    "Deutschland": "DE",
    "Frankrijk": "FR",
    "Luxemburg": "LU",
    "UK": "GB",
    "Great Britain": "GB",
    "Engeland": "GB",
    "Verenigd Koninkrijk": "GB",
    "USA": "US",
}
