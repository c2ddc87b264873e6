"""Translations: the template matches the code, Dutch is complete and used."""

import io
from pathlib import Path

import polib

from odoo.tests import tagged
from odoo.tools.translate import trans_export

from .common import DAY0, DunningCase

I18N = Path(__file__).resolve().parent.parent / "i18n"
FIX = "run scripts/i18n.sh, translate what it lists and commit the i18n/ files"


def _entries(po):
    """Comparable content of a .po/.pot: everything but header and dates."""
    return [
        (entry.msgctxt, entry.msgid, tuple(entry.occurrences), entry.comment)
        for entry in po
        if not entry.obsolete
    ]


def _summary(entries, limit=10):
    return "\n".join(f"  {msgid[:100]!r}" for _ctx, msgid, *_rest in entries[:limit])


@tagged("post_install", "-at_install")
class TestTranslations(DunningCase):
    def test_pot_matches_the_installed_module(self):
        """i18n/nikki_dunning.pot holds exactly the terms Odoo exports from
        the installed module (code, views, data, mail templates)."""
        buffer = io.BytesIO()
        trans_export(None, ["nikki_dunning"], buffer, "po", self.env.cr)
        exported = _entries(polib.pofile(buffer.getvalue().decode()))
        committed = _entries(polib.pofile(str(I18N / "nikki_dunning.pot")))
        self.assertGreater(len(exported), 100, "the export found the module's terms")
        missing = [entry for entry in exported if entry not in committed]
        extra = [entry for entry in committed if entry not in exported]
        if missing or extra:
            self.fail(
                f"i18n/nikki_dunning.pot is out of date ({FIX}).\n"
                f"New or changed in the module:\n{_summary(missing)}\n"
                f"Only in the .pot:\n{_summary(extra)}"
            )
        self.assertEqual(exported, committed, f"same terms, other order: {FIX}")

    def test_dutch_translates_every_term(self):
        pot = polib.pofile(str(I18N / "nikki_dunning.pot"))
        dutch = polib.pofile(str(I18N / "nl.po"))
        self.assertEqual(
            [(e.msgctxt, e.msgid) for e in dutch if not e.obsolete],
            [(e.msgctxt, e.msgid) for e in pot],
            f"nl.po does not follow the .pot: {FIX}",
        )
        untranslated = [e.msgid for e in dutch if not e.msgstr.strip()]
        fuzzy = [e.msgid for e in dutch if e.fuzzy]
        self.assertFalse(untranslated, f"untranslated in nl.po: {untranslated[:10]}")
        self.assertFalse(fuzzy, f"fuzzy (to review) in nl.po: {fuzzy[:10]}")

    def test_dutch_customer_gets_dutch_reminders(self):
        """With Dutch loaded, a Dutch-speaking customer's Day 0 reminder is
        Dutch, while an English-speaking customer's stays English."""
        self.env["res.lang"]._activate_lang("nl_NL")
        self.env["ir.module.module"]._load_module_terms(
            ["nikki_dunning"], ["nl_NL"], overwrite=True
        )
        self.de_vries.lang = "nl_NL"
        dutch_invoice = self.make_invoice(self.de_vries, 80.0)
        english_invoice = self.make_invoice(self.jansen, 90.0)
        self.submit_on(DAY0, dutch_invoice | english_invoice)

        dutch_mail = self.dunning_mails(self.de_vries)
        self.assertEqual(len(dutch_mail), 1)
        self.assertIn("betalingsherinnering", dutch_mail.subject)
        self.assertIn("Volgens onze administratie", dutch_mail.body_html)
        self.assertIn("Vervaldatum", dutch_mail.body_html)
        self.assertIn(dutch_invoice.name, dutch_mail.body_html)
        self.assertNotIn("Kind regards", dutch_mail.body_html)

        english_mail = self.dunning_mails(self.jansen_billing)
        self.assertEqual(len(english_mail), 1)
        self.assertIn("payment reminder", english_mail.subject)
        self.assertIn("Kind regards", english_mail.body_html)

        # the user interface speaks Dutch too: the stage of the invoice
        stages = dict(
            self.env["account.move"]
            .with_context(lang="nl_NL")
            ._fields["dunning_state"]
            ._description_selection(self.env(context={"lang": "nl_NL"}))
        )
        self.assertEqual(stages["active"], "In aanmaningstraject")
