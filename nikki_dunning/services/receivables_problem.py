"""What is wrong with a value, a row or a file of a receivables list.

Services raise or return a ``Problem``: a translatable message template and
its parameters. The ORM glue renders it in the user's language; tests render
it in English without a database.
"""

from odoo.tools import LazyTranslate
from odoo.tools.translate import LazyGettext

_lt = LazyTranslate(__name__)


def render(text, lang="en_US"):
    """A plain or lazily translated text in ``lang``."""
    if isinstance(text, LazyGettext):
        return text._translate(lang or "en_US")
    return str(text)


class Problem(ValueError):
    """A message template (``_lt``) with named parameters."""

    def __init__(self, template, **params):
        super().__init__(template._source if hasattr(template, "_source") else template)
        self.template = template
        self.params = params

    def render(self, lang="en_US"):
        params = {key: render(value, lang) for key, value in self.params.items()}
        return render(self.template, lang) % params

    def __str__(self):
        return self.render()
