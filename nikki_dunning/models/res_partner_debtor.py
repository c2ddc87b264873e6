from odoo import api, fields, models

DEBTOR_TYPES = [("consumer", "Consumer"), ("business", "Business")]


class ResPartner(models.Model):
    """Consumer or business: decides the collection costs, the interest
    (statutory or commercial) and whether the fourteen-day rules apply."""

    _inherit = "res.partner"

    dunning_debtor_type = fields.Selection(
        DEBTOR_TYPES,
        string="Debtor Type",
        compute="_compute_dunning_debtor_type",
        store=True,
        readonly=False,
        precompute=True,
        help="Consumers get the fourteen-day pre-collection notice before any "
        "collection costs and statutory interest; businesses owe costs once "
        "the payment term has passed and commercial interest. Set from "
        "'Company' by default.",
    )
    dunning_costs_basis = fields.Selection(
        [("scale", "Statutory scale"), ("contract", "Amount agreed by contract")],
        string="Collection Costs",
        company_dependent=True,
        help="For business debtors, costs agreed by contract replace the "
        "statutory scale. Consumers always get the scale.",
    )
    dunning_contract_costs = fields.Float(
        string="Agreed Collection Costs",
        company_dependent=True,
        digits="Account",
        help="Collection costs agreed with this business, in the company's "
        "currency.",
    )

    @api.depends("is_company", "parent_id.is_company")
    def _compute_dunning_debtor_type(self):
        for partner in self:
            company = partner.is_company or partner.parent_id.is_company
            partner.dunning_debtor_type = "business" if company else "consumer"

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + ["dunning_debtor_type"]

    def _dunning_contract_costs(self):
        """The costs agreed with this business debtor, or None when the
        statutory scale applies (always for consumers)."""
        self.ensure_one()
        if (
            self.dunning_debtor_type == "business"
            and self.dunning_costs_basis == "contract"
        ):
            return self.dunning_contract_costs
        return None
