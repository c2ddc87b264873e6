from odoo import api, fields, models

from ..services import interest

RATE_TYPES = [
    ("consumer", "Statutory Interest (art. 6:119 BW)"),
    ("commercial", "Commercial Interest (art. 6:119a BW)"),
]


class NikkiInterestRate(models.Model):
    """The statutory interest rates, one row per rate and start date.

    Rates are reset on 1 January and 1 July; a manager adds the new row when
    it is published. Running interest is split at each change.
    """

    _name = "nikki.interest.rate"
    _description = "Statutory Interest Rate"
    _order = "rate_type, date_from desc"
    _rec_name = "rate_type"

    rate_type = fields.Selection(RATE_TYPES, string="Interest", required=True)
    date_from = fields.Date(string="Valid From", required=True)
    rate = fields.Float(string="Rate (% a year)", digits=(5, 2), required=True)
    note = fields.Char(string="Source")

    _sql_constraints = [
        (
            "rate_unique",
            "UNIQUE(rate_type, date_from)",
            "There is already a rate of this kind starting on that date.",
        ),
        ("rate_positive", "CHECK(rate >= 0)", "A rate cannot be negative."),
    ]

    @api.model
    def _rates(self):
        """Every rate as plain data: {rate type: [Rate, ...]}."""
        result = {key: [] for key, _label in RATE_TYPES}
        for row in self.sudo().search_fetch([], ["rate_type", "date_from", "rate"]):
            result[row.rate_type].append(interest.Rate(row.date_from, row.rate))
        return result
