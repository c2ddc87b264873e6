#!/usr/bin/env python3
"""Write the addon's translation template and bring its .po files in line.

Input: a .pot exported by Odoo (odoo-bin --i18n-export, see scripts/i18n.sh).
Output:
- nikki_dunning/i18n/nikki_dunning.pot: the export with a fixed header (no
  dates, no platform name), so it only changes when the terms change;
- every nikki_dunning/i18n/<lang>.po: the template's entries in the template's
  order with the existing translations kept (same msgid and context), new
  terms untranslated, terms that left the code dropped. A translation whose
  source changed is not guessed: the term shows up as untranslated.

Prints, per language, how many terms still need a translation.

Usage: i18n_sync.py EXPORTED_POT [--lang nl]   (--lang creates a new .po)
"""

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
ADDON = "nikki_dunning"
I18N = ROOT / ADDON / "i18n"

HEADER = (
    "Translation of Odoo Server.\n"
    "This file contains the translation of the following modules:\n"
    f"\t* {ADDON}\n"
)
POT_METADATA = {
    "Project-Id-Version": "Odoo Server 18.0",
    "Report-Msgid-Bugs-To": "",
    "Last-Translator": "",
    "Language-Team": "",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "",
    "Plural-Forms": "",
}
PLURAL_FORMS = {"nl": "nplurals=2; plural=(n != 1);"}


def key(entry):
    return (entry.msgctxt, entry.msgid)


def template(exported_path):
    """The exported template, with our fixed header."""
    exported = polib.pofile(str(exported_path), wrapwidth=78)
    pot = polib.POFile(wrapwidth=78)
    pot.header = HEADER
    pot.metadata = dict(POT_METADATA)
    for entry in exported:
        entry.msgstr = ""
        pot.append(entry)
    return pot


def merged(pot, po_path, lang):
    """The .po for ``lang``: the template's entries with known translations."""
    known = {}
    if po_path.exists():
        known = {
            key(entry): entry
            for entry in polib.pofile(str(po_path))
            if not entry.obsolete and entry.msgstr
        }
    po = polib.POFile(wrapwidth=78)
    po.header = HEADER
    po.metadata = dict(
        POT_METADATA,
        Language=lang,
        **{"Plural-Forms": PLURAL_FORMS.get(lang, "")},
    )
    for source in pot:
        entry = polib.POEntry(
            msgid=source.msgid,
            msgctxt=source.msgctxt,
            msgstr="",
            occurrences=source.occurrences,
            comment=source.comment,
            tcomment=source.tcomment,
            flags=[flag for flag in source.flags if flag != "fuzzy"],
        )
        previous = known.get(key(source))
        if previous:
            entry.msgstr = previous.msgstr
            entry.tcomment = previous.tcomment or source.tcomment
            if "fuzzy" in previous.flags:
                entry.flags.append("fuzzy")
        po.append(entry)
    return po


def untranslated(po):
    return [e for e in po if not e.obsolete and (not e.msgstr or e.fuzzy)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("exported_pot")
    parser.add_argument(
        "--lang", action="append", default=[], help="also create <lang>.po"
    )
    args = parser.parse_args(argv)
    I18N.mkdir(parents=True, exist_ok=True)
    pot = template(args.exported_pot)
    pot.save(str(I18N / f"{ADDON}.pot"))
    print(f"{I18N / f'{ADDON}.pot'}: {len(pot)} terms")
    langs = {path.stem for path in I18N.glob("*.po")} | set(args.lang)
    for lang in sorted(langs):
        po_path = I18N / f"{lang}.po"
        po = merged(pot, po_path, lang)
        po.save(str(po_path))
        missing = untranslated(po)
        print(f"{po_path}: {len(po) - len(missing)} translated, {len(missing)} to do")
    return 0


if __name__ == "__main__":
    sys.exit(main())
