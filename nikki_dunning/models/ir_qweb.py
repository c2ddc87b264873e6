from lxml import etree

from odoo import models


class CompiledTemplates:
    """Compiled QWeb templates of one batch of emails.

    Odoo compiles an inline mail template (an etree, not a view) anew for
    every record it renders; for a batch of hundreds of dunning emails on
    the same template that is most of the rendering time. Passing an
    instance in the context key ``nikki_dunning_compiled`` makes ir.qweb
    compile each (template, language) once for the batch.
    """

    def __init__(self):
        self.functions = {}


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        cache = self.env.context.get("nikki_dunning_compiled")
        if not isinstance(cache, CompiledTemplates) or not isinstance(
            template, etree._Element
        ):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(k) for k in self._get_template_cache_keys()),
        )
        if key not in cache.functions:
            cache.functions[key] = super()._compile(template)
        return cache.functions[key]
