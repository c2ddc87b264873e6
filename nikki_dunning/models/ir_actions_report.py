from collections import OrderedDict

from odoo import models

from .dunning_letter import LETTER_REPORT


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Dunning letters are rendered one wkhtmltopdf run per letter, then
        merged: wkhtmltopdf built on an unpatched Qt (Debian's package)
        renders only one document per run, and each letter is stored on its
        own message anyway (a reprint is the letter as sent)."""
        report = self._get_report(report_ref)
        if (
            report.xml_id != LETTER_REPORT
            or not res_ids
            or len(res_ids) < 2
            or len(set(res_ids)) != len(res_ids)
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        streams = OrderedDict()
        for res_id in res_ids:
            streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
            )
        return streams
