from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import legal_costs


class NikkiCostScale(models.Model):
    """A dated version of the statutory collection costs scale (WIK/BIK).

    When the law changes, a manager adds a new version from the date it
    applies; letters sent before keep the amounts they stated (stored on
    the history lines), later letters use the version in force on the day
    their costs are worked out.
    """

    _name = "nikki.cost.scale"
    _description = "Collection Costs Scale"
    _order = "date_from desc, id desc"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    date_from = fields.Date(
        string="Valid From",
        required=True,
        help="The scale applies to costs worked out on or after this date, "
        "until the next version starts.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.ref("base.EUR", raise_if_not_found=False),
        help="Currency the scale's amounts are stated in. Invoices in another "
        "currency get statutory costs only when their policy allows it.",
    )
    bracket_ids = fields.One2many(
        "nikki.cost.scale.bracket", "scale_id", string="Brackets", copy=True
    )
    minimum_amount = fields.Monetary(string="Minimum Costs")
    maximum_amount = fields.Monetary(string="Maximum Costs")
    vat_rate = fields.Float(
        string="VAT on Costs (%)",
        digits=(5, 2),
        help="Added to the costs for companies that cannot reclaim VAT and "
        "use an external collection agency (Settings > Dunning).",
    )
    small_claims_cap = fields.Boolean(
        string="Cap Costs of Small Recurring Claims",
        help="When every invoice of a letter is below the threshold, the "
        "costs stated to a consumer over the period may not exceed the "
        "maximum in total. Off by default: check the current rules first.",
    )
    small_claims_threshold = fields.Monetary(string="Small Claim Below")
    small_claims_amount = fields.Monetary(string="Maximum Costs per Period")
    small_claims_months = fields.Integer(string="Period (Months)", default=6)
    note = fields.Text(string="Source")

    _sql_constraints = [
        (
            "amounts_positive",
            "CHECK(minimum_amount >= 0 AND maximum_amount >= 0 AND vat_rate >= 0)",
            "Scale amounts and the VAT rate cannot be negative.",
        ),
    ]

    @api.constrains("bracket_ids", "minimum_amount", "maximum_amount", "date_from")
    def _check_scale(self):
        for scale in self:
            if not scale.bracket_ids:
                raise ValidationError(
                    _("The costs scale “%s” needs at least one bracket.", scale.name)
                )
            if min(scale.bracket_ids.mapped("amount_from")) != 0:
                raise ValidationError(
                    _(
                        "The first bracket of the costs scale “%s” must start " "at 0.",
                        scale.name,
                    )
                )
            if scale.maximum_amount and scale.maximum_amount < scale.minimum_amount:
                raise ValidationError(
                    _(
                        "The maximum costs of the scale “%s” are below its " "minimum.",
                        scale.name,
                    )
                )
            twins = self.search_count(
                [("id", "!=", scale.id), ("date_from", "=", scale.date_from)]
            )
            if twins:
                raise ValidationError(
                    _(
                        "Another costs scale already starts on %s: give each "
                        "version its own start date.",
                        scale.date_from,
                    )
                )

    # ------------------------------------------------------------------
    # reading the scale as plain data
    # ------------------------------------------------------------------

    def _as_data(self):
        self.ensure_one()
        return legal_costs.Scale(
            date_from=self.date_from,
            brackets=[
                legal_costs.Bracket(bracket.amount_from, bracket.rate)
                for bracket in self.bracket_ids
            ],
            minimum=self.minimum_amount,
            maximum=self.maximum_amount,
            vat_rate=self.vat_rate,
            small_claims_cap=self.small_claims_cap,
            small_claims_threshold=self.small_claims_threshold,
            small_claims_amount=self.small_claims_amount,
            small_claims_months=self.small_claims_months,
        )

    @api.model
    def _scale_on(self, on_date, scales=None):
        """The scale version in force on ``on_date`` (empty if none), from
        ``scales`` (in this model's order, newest first) when read already."""
        if scales is None:
            return self.sudo().search([("date_from", "<=", on_date)], limit=1)
        return scales.filtered(lambda scale: scale.date_from <= on_date)[:1]

    @api.model
    def compute_statutory_costs(self, principal, on_date=None):
        """Statutory collection costs (before VAT) for ``principal``, both in
        the current company's currency, on the scale in force on
        ``on_date`` (today by default)."""
        on_date = on_date or fields.Date.context_today(self)
        scale = self._scale_on(on_date)
        if not scale:
            return 0.0
        company = self.env.company
        amount = company.currency_id._convert(
            principal, scale.currency_id, company, on_date
        )
        data = scale._as_data()
        costs = legal_costs.statutory_costs(
            amount, data.brackets, data.minimum, data.maximum
        )
        return scale.currency_id._convert(
            float(costs), company.currency_id, company, on_date
        )


class NikkiCostScaleBracket(models.Model):
    _name = "nikki.cost.scale.bracket"
    _description = "Collection Costs Scale Bracket"
    _order = "scale_id, amount_from"

    scale_id = fields.Many2one(
        "nikki.cost.scale", required=True, ondelete="cascade", index=True
    )
    currency_id = fields.Many2one(related="scale_id.currency_id")
    amount_from = fields.Monetary(
        string="From Principal",
        help="The part of the principal above this amount (up to the next "
        "bracket) is charged at this bracket's rate.",
    )
    rate = fields.Float(string="Rate (%)", digits=(6, 3), required=True)

    _sql_constraints = [
        (
            "bracket_positive",
            "CHECK(amount_from >= 0 AND rate >= 0)",
            "A bracket's amount and rate cannot be negative.",
        ),
        (
            "bracket_unique",
            "UNIQUE(scale_id, amount_from)",
            "Two brackets of a scale cannot start at the same amount.",
        ),
    ]
