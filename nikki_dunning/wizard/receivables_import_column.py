from odoo import fields, models

from ..services.receivables_columns import FIELDS


class NikkiReceivablesImportColumn(models.TransientModel):
    """A column of the uploaded list and what it is imported as."""

    _name = "nikki.receivables.import.column"
    _description = "Receivables List Column"
    _order = "position"

    wizard_id = fields.Many2one(
        "nikki.receivables.import", required=True, ondelete="cascade"
    )
    position = fields.Integer(required=True)
    header = fields.Char(string="Column in the File", readonly=True)
    field = fields.Selection(
        list(FIELDS.items()),
        string="Import As",
        help="Leave empty to ignore the column.",
    )
    sample = fields.Char(string="First Row", readonly=True)
