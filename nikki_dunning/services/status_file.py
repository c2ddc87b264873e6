"""The status file a collection agency sends back: bytes in, decisions out.

One row per invoice: case reference, invoice number, status, amount
collected, date and agency fee. Amounts are cumulative (everything the agency
collected on the invoice so far, and the fee it withheld from that money), in
the invoice's currency, so importing the same figures twice changes nothing.

``read_table`` turns a CSV or XLSX file into numbered rows of cells (read
by the receivables lists' ``ListReader``), ``parse_rows`` maps and parses
the cells, ``decide_rows`` decides for every row what
happens: ``applied``, ``unchanged`` or ``rejected`` with the reason (a
problem key and its details, turned into a message by the caller). Nothing
here touches the database.
"""

import csv
import io
import re
from collections import defaultdict, namedtuple
from datetime import date, datetime

from .case_state import CLOSED_BY_US, OPEN_LINE_STATES
from .receivables_columns import normalise_header
from .receivables_file import EMPTY_FILE, ListReader
from .receivables_problem import Problem

# the statuses an agency reports (the keys, in this order) and the accepted
# spellings of each status (normalised: lower case, no accents,
# words joined by "_"), English and Dutch
STATUS_ALIASES = {
    "in_collection": ("in_collection", "open", "in_behandeling", "in_incasso"),
    "partially_collected": (
        "partially_collected",
        "partial",
        "partly_collected",
        "deels_geind",
        "gedeeltelijk_geind",
    ),
    "collected": ("collected", "geind", "voldaan"),
    "uncollectable": ("uncollectable", "uncollectible", "oninbaar"),
    "returned": ("returned", "retour", "teruggestuurd", "returned_to_client"),
}

# column key -> (label, required, accepted headers, normalised)
COLUMNS = {
    "case_reference": (
        "Case reference",
        True,
        ("case reference", "case", "case ref", "dossier", "dossiernummer"),
    ),
    "invoice_number": (
        "Invoice number",
        True,
        ("invoice number", "invoice", "factuurnummer", "factuur"),
    ),
    "status": ("Status", True, ("status", "state")),
    "amount_collected": (
        "Amount collected",
        True,
        ("amount collected", "collected", "geind", "geind bedrag", "ontvangen"),
    ),
    "date": ("Date", False, ("date", "status date", "datum")),
    "amount_fee": (
        "Agency fee",
        False,
        ("agency fee", "fee", "provisie", "incassoprovisie"),
    ),
}

# a parsed row; ``fee`` is None when the file has no fee column;
# ``problems`` lists (key, details) found while parsing
Row = namedtuple(
    "Row",
    "number case_reference invoice_number status status_text collected fee date "
    "problems",
)
# an invoice of a case as the decision needs it: what the agency reported so
# far (cumulative, invoice currency), what is still open on the invoice and
# not yet claimed by an unrecorded payment, and its currency's decimals
LineFacts = namedtuple("LineFacts", "id state exported collected fee open digits")
# a case as the decision needs it; ``lines`` maps invoice numbers to LineFacts
CaseFacts = namedtuple("CaseFacts", "agency_id lines")
Decision = namedtuple(
    "Decision",
    "row line_id result state collected fee delta_collected delta_fee problem "
    "details",
)


class FileProblem(Exception):
    """The whole file is refused; ``key`` and ``details`` say why."""

    def __init__(self, key, **details):
        super().__init__(key)
        self.key = key
        self.details = details


# ----------------------------------------------------------------------
# reading
# ----------------------------------------------------------------------


def file_kind(content, filename):
    """``csv`` or ``xlsx`` from the file's name and first bytes."""
    name = (filename or "").lower()
    if content[:4] == b"PK\x03\x04":
        if name.endswith((".csv", ".txt")):
            raise FileProblem("not_csv")
        return "xlsx"
    if name.endswith(".xlsx"):
        raise FileProblem("unreadable")
    if name.endswith((".csv", ".txt")) or not name or "." not in name:
        return "csv"
    raise FileProblem("format", extension=name.rsplit(".", 1)[-1])


def read_table(content, filename, kind=None):
    """The non-empty rows of the file's first sheet as ``(row number,
    cells)``, header first; row numbers as the file (or a spreadsheet)
    shows them. ``kind`` is the file's ``file_kind`` when known."""
    if not content:
        raise FileProblem("empty")
    kind = kind or file_kind(content, filename)
    name = filename or "status"
    if not name.lower().endswith(("." + kind, ".txt")):
        # the reader goes by the name too: give it the kind found above
        name = f"{name}.{kind}"
    try:
        reader = ListReader(io.BytesIO(content), name)
        try:
            table = list(reader.rows())
        finally:
            reader.close()
    except Problem as problem:
        if problem.template is EMPTY_FILE:
            raise FileProblem("empty") from None
        raise FileProblem("unreadable", error=problem.render()) from None
    except csv.Error as error:
        raise FileProblem("unreadable", error=str(error)) from None
    if not table:
        raise FileProblem("empty")
    return table


def _filled(cell):
    return cell is not None and str(cell).strip() != ""


def map_header(header):
    """Column key -> index in the row, from the header cells."""
    headers = [normalise_header(cell) for cell in header]
    mapping = {}
    for key, (_label, _required, accepted) in COLUMNS.items():
        for index, text in enumerate(headers):
            if text in accepted and index not in mapping.values():
                mapping[key] = index
                break
    missing = [
        label
        for key, (label, required, _accepted) in COLUMNS.items()
        if required and key not in mapping
    ]
    if missing:
        raise FileProblem(
            "missing_columns",
            missing=missing,
            found=[str(cell) for cell in header if _filled(cell)],
        )
    return mapping


# ----------------------------------------------------------------------
# parsing cells
# ----------------------------------------------------------------------


def normalise_status(value):
    """The status key of a cell, or None when it is not a known status."""
    text = normalise_header(value).replace(" ", "_")
    for status, aliases in STATUS_ALIASES.items():
        if text in aliases:
            return status
    return None


def parse_amount(value):
    """A number from a cell: 1234.5, "1.234,50", "1,234.50", "€ 12,50".
    Empty is 0. Raises ValueError for anything else, and for an amount
    whose only separator is followed by exactly three digits ("1.234"):
    a thousands separator or a decimal point, it cannot tell."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    text = re.sub(r"[\s€$£]|EUR", "", str(value))
    if not text:
        return 0.0
    if not re.fullmatch(r"-?[0-9.,]+", text):
        raise ValueError(value)
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif re.fullmatch(r"-?[0-9]{1,3}[.,][0-9]{3}", text):
        # "1.234" is 1234 in Dutch and 1.234 in English: refuse to guess
        raise ValueError(value)
    elif "," in text:
        text = text.replace(",", ".")
    if text.count(".") > 1:
        raise ValueError(value)
    return float(text)


def parse_date(value):
    """A date from a cell: a spreadsheet date, yyyy-mm-dd, dd-mm-yyyy,
    dd/mm/yyyy or dd.mm.yyyy. Empty is None. Raises ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    # a datetime written as text: keep its date
    match = re.match(r"(\d{4}-\d{2}-\d{2})[ T]", text)
    if match:
        return datetime.strptime(match.group(1), "%Y-%m-%d").date()
    raise ValueError(value)


def parse_rows(table, today):
    """Parsed rows of a ``read_table`` table (header first), numbered as in
    the table (the file's line numbers)."""
    mapping = map_header(table[0][1])
    rows = []
    for number, cells in table[1:]:

        def cell(key, cells=cells):
            index = mapping.get(key)
            if index is None or index >= len(cells):
                return None
            value = cells[index]
            return value.strip() if isinstance(value, str) else value

        problems = []
        reference = str(cell("case_reference") or "").strip()
        invoice = cell("invoice_number")
        invoice = str(invoice).strip() if invoice is not None else ""
        status_text = str(cell("status") or "").strip()
        status = normalise_status(status_text)
        if not reference:
            problems.append(("no_case_reference", {}))
        if not invoice:
            problems.append(("no_invoice_number", {}))
        if not status_text:
            problems.append(("no_status", {}))
        elif not status:
            problems.append(("unknown_status", {"status": status_text}))
        amounts = {}
        for key in ("amount_collected", "amount_fee"):
            if key not in mapping:
                amounts[key] = None
                continue
            raw = cell(key)
            try:
                amounts[key] = parse_amount(raw)
            except ValueError:
                amounts[key] = 0.0
                problems.append(
                    ("bad_amount", {"column": COLUMNS[key][0], "value": str(raw)})
                )
                continue
            if amounts[key] < 0:
                problems.append(
                    (
                        "negative_amount",
                        {"column": COLUMNS[key][0], "value": str(raw)},
                    )
                )
        raw_date = cell("date")
        try:
            row_date = parse_date(raw_date)
        except ValueError:
            row_date = None
            problems.append(("bad_date", {"value": str(raw_date)}))
        if row_date and row_date > today:
            problems.append(("future_date", {"date": row_date}))
        rows.append(
            Row(
                number=number,
                case_reference=reference,
                invoice_number=invoice,
                status=status,
                status_text=status_text,
                collected=amounts["amount_collected"],
                fee=amounts["amount_fee"],
                date=row_date or today,
                problems=problems,
            )
        )
    return rows


# ----------------------------------------------------------------------
# deciding
# ----------------------------------------------------------------------


def decide_rows(rows, cases, agency_id):
    """A decision for every row.

    ``cases`` maps normalised case references (``reference_key``) to
    ``CaseFacts`` of the importing company's cases; ``agency_id`` is the
    agency the file comes from. An invoice named by several rows is rejected
    on all of them: which one is right is for the agency to say. Rows that
    name no known invoice are rejected for that before any other problem.
    """
    decisions = [_decide(row, cases, agency_id) for row in rows]
    rows_of_line = defaultdict(list)
    for decision in decisions:
        if decision.line_id:
            rows_of_line[decision.line_id].append(decision.row.number)
    result = []
    for decision in decisions:
        numbers = rows_of_line.get(decision.line_id, [])
        if len(numbers) > 1:
            decision = _reject(
                decision.row,
                "duplicate_row",
                line_id=decision.line_id,
                rows=", ".join(str(number) for number in numbers),
            )
        result.append(decision)
    return result


def other_agency(decisions):
    """When no row names a case of the importing agency but rows name cases
    of one other agency: that agency's id (the file is from it)."""
    agencies = set()
    for decision in decisions:
        if decision.problem == "other_agency":
            agencies.add(decision.details["agency_id"])
        elif decision.line_id:
            return None
    return agencies.pop() if len(agencies) == 1 else None


def reference_key(reference):
    return str(reference or "").strip().upper()


def _reject(row, problem, line_id=None, **details):
    return Decision(
        row, line_id, "rejected", None, 0.0, 0.0, 0.0, 0.0, problem, details
    )


def _decide(row, cases, agency_id):
    if not row.case_reference:
        return _reject(row, "no_case_reference")
    case = cases.get(reference_key(row.case_reference))
    if case is None:
        return _reject(row, "unknown_case", reference=row.case_reference)
    if case.agency_id != agency_id:
        return _reject(
            row, "other_agency", reference=row.case_reference, agency_id=case.agency_id
        )
    if not row.invoice_number:
        return _reject(row, "no_invoice_number")
    line = case.lines.get(reference_key(row.invoice_number))
    if line is None:
        return _reject(
            row,
            "unknown_invoice",
            invoice=row.invoice_number,
            reference=row.case_reference,
        )
    if row.problems:
        problem, details = row.problems[0]
        return _reject(row, problem, line_id=line.id, **details)
    return decide(row, line)


def decide(row, line):
    """What a parsed, matched row does to its invoice (``LineFacts``)."""
    digits = line.digits
    collected = round(row.collected, digits)
    # without an agency fee column the fee reported so far stands
    fee = round(line.fee if row.fee is None else row.fee, digits)
    problem = _amount_problem(line, collected, fee)
    if problem:
        return _reject(row, problem[0], line_id=line.id, **problem[1])
    delta_collected = round(collected - line.collected, digits)
    delta_fee = round(fee - line.fee, digits)
    result, state, problem, details = _status_outcome(
        row, line, delta_collected, bool(delta_collected or delta_fee)
    )
    if result == "rejected":
        return _reject(row, problem, line_id=line.id, **details)
    return Decision(
        row,
        line.id,
        result,
        state,
        collected,
        fee,
        delta_collected,
        delta_fee,
        problem,
        details,
    )


def _amount_problem(line, collected, fee):
    """(problem, details) when the reported totals cannot be right."""
    digits = line.digits
    if not line.exported:
        return "not_sent", {}
    if collected < round(line.collected, digits):
        return "collected_decreased", {"previous": line.collected, "amount": collected}
    if fee < round(line.fee, digits):
        return "fee_decreased", {"previous": line.fee, "amount": fee}
    delta_collected = round(collected - line.collected, digits)
    delta_fee = round(fee - line.fee, digits)
    if delta_fee > delta_collected:
        return "fee_above_collected", {"fee": delta_fee, "collected": delta_collected}
    if line.state in OPEN_LINE_STATES and delta_collected > round(line.open, digits):
        return "above_open", {
            "collected": delta_collected,
            "open": round(line.open, digits),
        }
    return None


def _status_outcome(row, line, delta_collected, news):
    """(result, new state, problem, details) of the row's status."""
    if line.state in CLOSED_BY_US:
        if news:
            return "rejected", None, "money_after_close", {"state": line.state}
        return "unchanged", line.state, "closed_by_us", {"state": line.state}
    if line.state not in OPEN_LINE_STATES:
        if news or row.status != line.state:
            return "rejected", None, "already_closed", {"state": line.state}
        return "unchanged", line.state, None, {}
    open_amount = round(line.open, line.digits)
    status = row.status
    if status == "in_collection":
        if news:
            return "rejected", None, "money_in_collection", {}
        status = "partially_collected" if line.collected else "in_collection"
    elif status == "partially_collected":
        if not (line.collected or delta_collected):
            return "rejected", None, "partial_without_money", {}
        if delta_collected == open_amount:
            return "rejected", None, "partial_settles_all", {}
    if status == line.state and not news:
        return "unchanged", status, None, {}
    if status == "collected" and delta_collected < open_amount:
        remains = round(open_amount - delta_collected, line.digits)
        return "applied", status, "remains_open", {"amount": remains}
    return "applied", status, None, {}
