"""Which column of a receivables list holds what.

Pure functions: headers in, a mapping out. A mapping is a dict from a field
key (``invoice_number``, ``open_amount``...) to the column's position in the
header row. Headers are compared in a normalised form (lower case, accents
and punctuation dropped), so "Factuur-nummer", "factuurnummer" and
"FACTUUR NUMMER" are the same header.
"""

import re
import unicodedata

# field key -> label shown to the user (English; translated in the wizard)
FIELDS = {
    "invoice_number": "Invoice number",
    "partner_name": "Customer",
    "partner_ref": "Customer reference",
    "email": "Email",
    "phone": "Phone",
    "street": "Street",
    "zip": "Zip",
    "city": "City",
    "country": "Country",
    "vat": "VAT number",
    "invoice_date": "Invoice date",
    "due_date": "Due date",
    "amount": "Amount",
    "open_amount": "Open amount",
    "currency": "Currency",
    "description": "Description",
}

REQUIRED_FIELDS = ("invoice_number", "partner_name", "open_amount", "due_date")

# common English and Dutch headers, in normalised form (see normalise_header)
SYNONYMS = {
    "invoice_number": [
        "invoice number",
        "invoice no",
        "invoice nr",
        "invoice",
        "invoice id",
        "invoice reference",
        "document number",
        "factuurnummer",
        "factuur nummer",
        "factuurnr",
        "factuur nr",
        "factuur",
        "factuurreferentie",
    ],
    "partner_name": [
        "customer",
        "customer name",
        "client",
        "client name",
        "debtor",
        "debtor name",
        "name",
        "debiteur",
        "debiteurnaam",
        "debiteur naam",
        "naam",
        "klant",
        "klantnaam",
        "relatie",
        "relatienaam",
    ],
    "partner_ref": [
        "customer reference",
        "customer ref",
        "customer number",
        "customer no",
        "customer nr",
        "customer code",
        "customer id",
        "debtor number",
        "debtor no",
        "debtor reference",
        "account number",
        "debiteurnummer",
        "debiteur nummer",
        "debiteurnr",
        "debiteur nr",
        "debiteurcode",
        "klantnummer",
        "klant nummer",
        "klantnr",
        "relatienummer",
        "relatiecode",
        "lidnummer",
    ],
    "email": [
        "email",
        "e mail",
        "email address",
        "e mail address",
        "emailadres",
        "e mailadres",
        "mail",
    ],
    "phone": [
        "phone",
        "phone number",
        "telephone",
        "tel",
        "mobile",
        "telefoon",
        "telefoonnummer",
        "mobiel",
    ],
    "street": ["street", "address", "street address", "straat", "adres"],
    "zip": ["zip", "zip code", "zipcode", "postal code", "postcode"],
    "city": ["city", "town", "plaats", "woonplaats", "stad"],
    "country": ["country", "country code", "land", "landcode"],
    "vat": [
        "vat",
        "vat number",
        "vat no",
        "vat id",
        "tax id",
        "btw",
        "btw nummer",
        "btwnummer",
        "btw nr",
        "btw id",
    ],
    "invoice_date": [
        "invoice date",
        "date",
        "document date",
        "factuurdatum",
        "factuur datum",
        "datum",
    ],
    "due_date": [
        "due date",
        "due",
        "date due",
        "payment due",
        "payment due date",
        "vervaldatum",
        "verval datum",
        "vervaldag",
        "uiterste betaaldatum",
    ],
    "amount": [
        "amount",
        "invoice amount",
        "total",
        "total amount",
        "original amount",
        "bedrag",
        "factuurbedrag",
        "totaal",
        "totaalbedrag",
    ],
    "open_amount": [
        "open amount",
        "outstanding",
        "outstanding amount",
        "amount due",
        "balance",
        "balance due",
        "residual",
        "openstaand",
        "openstaand bedrag",
        "open bedrag",
        "saldo",
        "te betalen",
    ],
    "currency": ["currency", "currency code", "valuta", "munteenheid", "munt"],
    "description": [
        "description",
        "memo",
        "details",
        "label",
        "omschrijving",
        "beschrijving",
    ],
}

_HEADER_INDEX = {
    synonym: field for field, synonyms in SYNONYMS.items() for synonym in synonyms
}


def normalise_header(text):
    """Lower case, without accents, punctuation and repeated spaces."""
    text = unicodedata.normalize("NFKD", str(text or ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return text.strip()


def field_for_header(header):
    """The field a header names, or None."""
    return _HEADER_INDEX.get(normalise_header(header))


def recognise(headers, saved=None):
    """Map fields to column positions.

    ``saved`` is a mapping remembered from an earlier import (field key ->
    header text); it wins over the built-in synonyms for the headers it
    names. A column maps to one field, a field to the first column naming
    it.
    """
    mapping = {}
    by_header = {}
    for position, header in enumerate(headers):
        key = normalise_header(header)
        if key:
            by_header.setdefault(key, position)
    for field, header in (saved or {}).items():
        position = by_header.get(normalise_header(header))
        if field in FIELDS and position is not None:
            if position not in mapping.values():
                mapping[field] = position
    for position, header in enumerate(headers):
        field = field_for_header(header)
        if field and field not in mapping and position not in mapping.values():
            mapping[field] = position
    return mapping


def missing_required(mapping):
    """Required fields that no column is mapped to."""
    return [field for field in REQUIRED_FIELDS if field not in mapping]


def header_score(cells, saved=None):
    """How much a row looks like the header row: fields it recognises."""
    headers = [cell if isinstance(cell, str) else "" for cell in cells]
    return len(recognise(headers, saved))


def looks_like_header(cells, is_value):
    """A row of labels only (no dates, no amounts): a header row with
    unknown column names. ``is_value(cell)`` tells a data value."""
    labels = [cell for cell in cells if cell not in (None, "")]
    return len(labels) >= 2 and all(
        isinstance(cell, str) and not is_value(cell) for cell in labels
    )


def mapping_by_header(headers, mapping):
    """The mapping as field -> header text, to remember for next time."""
    return {
        field: str(headers[position])
        for field, position in mapping.items()
        if position < len(headers) and headers[position]
    }
