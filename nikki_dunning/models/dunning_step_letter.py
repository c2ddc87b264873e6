from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import LazyTranslate, is_html_empty

from ..services.letter import PLACEHOLDERS

_lt = LazyTranslate(__name__)

# The shipped letter texts: used when a step has no text of its own.
DEFAULT_TITLES = {
    "reminder": _lt("Payment reminder"),
    "pre_collection": _lt("Final notice before collection"),
    "handover": _lt("Your claim has been handed over for collection"),
}
DEFAULT_BODIES = {
    "reminder": _lt(
        "<p>Dear {contact},</p>"
        "<p>According to our records, the invoices below are still unpaid "
        "after their due date. Perhaps this escaped your attention. We kindly "
        "ask you to pay the total due of {total_due} as soon as possible.</p>"
        "<p>If you have paid in the meantime, please disregard this letter.</p>"
    ),
    "pre_collection": _lt(
        "<p>Dear {contact},</p>"
        "<p>Despite our earlier requests, the invoices below are still unpaid. "
        "With this letter we give you a last opportunity to pay them before we "
        "hand the claim over for collection.</p>"
    ),
    "handover": _lt(
        "<p>Dear {contact},</p>"
        "<p>Despite our reminders we have not received payment of the invoices "
        "below. We have therefore handed the claim over to our collection "
        "agency {agency}, which will contact you. From now on, please settle "
        "the claim with the agency.</p>"
    ),
}


class NikkiDunningStep(models.Model):
    """The letter of a step: its title and text (with placeholders), and
    whether the step's email carries it as a PDF."""

    _inherit = "nikki.dunning.step"

    letter_title = fields.Char(
        translate=True, help="Leave empty to use the standard title."
    )
    letter_body = fields.Html(
        string="Letter Text",
        translate=True,
        help="Opening text of the letter, above the list of invoices. Leave "
        "empty to use the standard text. Placeholders: "
        + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
    )
    letter_body_default = fields.Html(
        string="Standard Letter Text", compute="_compute_letter_body_default"
    )
    attach_letter_pdf = fields.Boolean(
        string="Attach the Letter (PDF)",
        help="The step's email carries the letter as a PDF. Rendering a PDF "
        "costs about a second per customer message; the email itself already "
        "lists the invoices, and every letter can be printed or reprinted "
        "from the message. The pre-collection notice always carries its "
        "letter: it states the exact costs.",
    )

    @api.depends("action")
    def _compute_letter_body_default(self):
        for step in self:
            step.letter_body_default = step._default_letter_body(step.action)

    def _default_letter_title(self, action):
        title = DEFAULT_TITLES.get(action)
        return self.env._(title) if title else ""

    def _default_letter_body(self, action):
        body = DEFAULT_BODIES.get(action)
        return Markup(self.env._(body)) if body else Markup()

    def _letter_title(self, action=None):
        """The title of this step's letter; ``action`` is what the letter
        turned out to be (a notice sent as a plain reminder gets the
        reminder's standard text)."""
        self.ensure_one()
        action = action or self.action
        if action == self.action and self.letter_title:
            return self.letter_title
        return self._default_letter_title(action)

    def _letter_body(self, action=None):
        self.ensure_one()
        action = action or self.action
        if action == self.action and not is_html_empty(self.letter_body):
            return self.letter_body
        return self._default_letter_body(action)

    def action_edit_letter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Letter: %s", self.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("nikki_dunning.view_dunning_step_letter").id, "form")
            ],
            "target": "new",
        }

    def action_letter_customize(self):
        """Copy the standard title and text into the step, in every
        installed language, as a starting point for editing. The text is
        translated term by term (paragraphs), like any Odoo HTML field."""
        body_field = self._fields["letter_body"]
        languages = [
            code
            for code, _name in self.env["res.lang"].get_installed()
            if code != "en_US"
        ]
        for step in self:
            english = step.with_context(lang="en_US")
            english.write(
                {
                    "letter_title": english._default_letter_title(step.action),
                    "letter_body": english._default_letter_body(step.action),
                }
            )
            english.flush_recordset(["letter_title", "letter_body"])
            source_terms = body_field.get_trans_terms(english.letter_body)
            body_translations = {}
            for code in languages:
                translated = step.with_context(lang=code)
                translated.letter_title = translated._default_letter_title(step.action)
                translated.flush_recordset(["letter_title"])
                terms = body_field.get_trans_terms(
                    translated._default_letter_body(step.action)
                )
                if len(terms) == len(source_terms):
                    body_translations[code] = dict(
                        zip(source_terms, terms, strict=True)
                    )
            if body_translations:
                step.update_field_translations("letter_body", body_translations)
        return self.action_edit_letter() if len(self) == 1 else True
