from lxml import etree

from odoo import models

# context key of a QwebCompileCache: see IrQweb._compile
COMPILE_CACHE = "nikki_qweb_compile_cache"


class QwebCompileCache:
    """Templates compiled during one rendering batch (e.g. the Day 0 emails
    of a whole receivables list), each compiled once instead of once per
    email. Lives as long as the batch's context."""

    __slots__ = ("compiled",)

    def __init__(self):
        self.compiled = {}


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Mail templates are rendered from a fresh tree per record, which
        Odoo compiles every time (only stored views are cached). With a
        QwebCompileCache in the context, a tree already compiled under the
        same context is not compiled again: rendering a dunning email per
        customer costs a render, not a compilation."""
        cache = self.env.context.get(COMPILE_CACHE)
        if not isinstance(cache, QwebCompileCache) or not isinstance(
            template, etree._Element
        ):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(
                sorted(
                    (name, repr(value))
                    for name, value in self.env.context.items()
                    if name != COMPILE_CACHE
                )
            ),
        )
        compiled = cache.compiled.get(key)
        if compiled is None:
            compiled = cache.compiled[key] = super()._compile(template)
        return compiled
