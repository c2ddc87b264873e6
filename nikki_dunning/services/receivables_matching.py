"""What to do with a valid row of a receivables list.

Pure decision, in this order:

1. the invoice number was already imported (or linked) by an earlier list
   of the company: skip the row as a duplicate;
2. the number is a posted customer invoice of the company: link the row to
   it, when the open amounts (and currencies) agree;
3. otherwise an invoice is created, for the customer found by reference,
   then VAT number, then email address (never by name alone), or for a new
   customer.

The caller looks everything up in bulk and passes dictionaries in.
"""

from collections import namedtuple

from odoo.tools import LazyTranslate

from .receivables_columns import normalise_header
from .receivables_problem import Problem

_lt = LazyTranslate(__name__)

ALREADY_IMPORTED = _lt("invoice %(number)s was already imported in %(batch)s")
SEVERAL_INVOICES = _lt("invoice number %(number)s matches several invoices in Odoo")
NOT_POSTED = _lt("invoice %(number)s exists in Odoo but is not posted")
ALREADY_PAID = _lt("invoice %(number)s is already paid in Odoo")
OTHER_CURRENCY = _lt(
    "the currency %(currency)s differs from invoice %(number)s's %(odoo)s"
)
OTHER_AMOUNT = _lt(
    "the open amount %(amount)s differs from Odoo's open amount %(odoo)s of "
    "invoice %(number)s"
)
SEVERAL_CUSTOMERS = _lt("the %(key)s %(value)s matches several customers: %(names)s")
KEY_LABELS = {
    "ref": _lt("customer reference"),
    "vat": _lt("VAT number"),
    "email": _lt("email address"),
}

# what Odoo has under an invoice number (one per invoice found)
OdooInvoice = namedtuple(
    "OdooInvoice", "id name state residual currency partner_id", defaults=[None]
)
# a customer found under a reference, VAT number or email address
Customer = namedtuple("Customer", "id name")
# everything the decision needs, looked up in bulk by the caller
Lookups = namedtuple(
    "Lookups", "imported invoices by_ref by_vat by_email", defaults=[{}, {}, {}, {}, {}]
)
# the decision: outcome is 'duplicate', 'link', 'create' or 'reject'
Decision = namedtuple(
    "Decision", "outcome move_id partner_id matched_by problem", defaults=[None] * 4
)


def number_key(number):
    """Invoice numbers compare without case and repeated spaces."""
    return " ".join(str(number or "").split()).upper()


def customer_key(values):
    """Who a row is about, to create one customer for several rows of a
    list: the strongest identifier present, else all address details
    together (identical name and address in one list)."""
    if values.get("partner_ref"):
        return "ref:" + values["partner_ref"]
    if values.get("vat"):
        return "vat:" + values["vat"]
    if values.get("email"):
        return "email:" + values["email"]
    details = [
        normalise_header(values.get(field) or "")
        for field in ("partner_name", "street", "zip", "city", "country", "phone")
    ]
    return "details:" + "|".join(details)


def decide(values, lookups, rounding=0.01):
    """The decision for one valid row (see the module's docstring)."""
    number = values["invoice_number"]
    earlier = lookups.imported.get(number_key(number))
    if earlier:
        return Decision(
            "duplicate", problem=Problem(ALREADY_IMPORTED, number=number, batch=earlier)
        )
    found = lookups.invoices.get(number) or []
    posted = [invoice for invoice in found if invoice.state == "posted"]
    if len(posted) > 1:
        return Decision("reject", problem=Problem(SEVERAL_INVOICES, number=number))
    if posted:
        return _link(values, posted[0], rounding)
    if found:
        return Decision("reject", problem=Problem(NOT_POSTED, number=number))
    return _customer(values, lookups)


def _link(values, invoice, rounding):
    if values.get("currency") and values["currency"] != invoice.currency:
        return Decision(
            "reject",
            problem=Problem(
                OTHER_CURRENCY,
                currency=values["currency"],
                number=invoice.name,
                odoo=invoice.currency,
            ),
        )
    if invoice.residual <= rounding / 2:
        return Decision("reject", problem=Problem(ALREADY_PAID, number=invoice.name))
    if abs(values["open_amount"] - invoice.residual) >= rounding / 2:
        return Decision(
            "reject",
            problem=Problem(
                OTHER_AMOUNT,
                amount=_amount(values["open_amount"], rounding),
                odoo=_amount(invoice.residual, rounding),
                number=invoice.name,
            ),
        )
    return Decision(
        "link", move_id=invoice.id, partner_id=invoice.partner_id, matched_by="invoice"
    )


def _customer(values, lookups):
    for key, table, value in (
        ("ref", lookups.by_ref, values.get("partner_ref")),
        ("vat", lookups.by_vat, values.get("vat")),
        ("email", lookups.by_email, values.get("email")),
    ):
        customers = table.get(value) if value else None
        if not customers:
            continue
        if len(customers) > 1:
            names = ", ".join(sorted(customer.name for customer in customers))
            return Decision(
                "reject",
                problem=Problem(
                    SEVERAL_CUSTOMERS, key=KEY_LABELS[key], value=value, names=names
                ),
            )
        return Decision("create", partner_id=customers[0].id, matched_by=key)
    return Decision("create", matched_by="new")


def _amount(number, rounding):
    digits = max(0, len(f"{rounding:.10f}".rstrip("0").split(".")[1]))
    return f"{number:.{digits}f}"
