from odoo import _, api, fields, models
from odoo.exceptions import UserError

DEBTOR_TYPES = [("consumer", "Consumer"), ("business", "Business")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dunning_policy_id = fields.Many2one(
        "nikki.dunning.policy",
        string="Dunning Policy",
        company_dependent=True,
        domain="['|', ('company_id', '=', False), "
        "('company_id', '=', current_company_id)]",
        help="Leave empty to use the company's default dunning policy.",
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_excluded = fields.Boolean(
        string="Excluded from Dunning",
        company_dependent=True,
        help="Never send this customer dunning messages; invoices in the "
        "workflow leave it.",
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_hold = fields.Boolean(
        string="Dunning on Hold",
        company_dependent=True,
        help="Pause the dunning workflow for all of this customer's invoices.",
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_hold_reason = fields.Char(
        company_dependent=True, groups="nikki_dunning.group_dunning_user"
    )
    dunning_hold_until = fields.Date(
        company_dependent=True,
        help="The workflow resumes on its own after this date. Leave empty "
        "to hold until someone resumes it.",
        groups="nikki_dunning.group_dunning_user",
    )
    is_collection_agency = fields.Boolean(
        string="Collection Agency",
        help="This partner collects unpaid invoices for you.",
        groups="nikki_dunning.group_dunning_user",
    )
    collection_file_format = fields.Selection(
        [("csv", "CSV"), ("xlsx", "Excel (XLSX)")],
        string="Case File Format",
        default="csv",
        help="Format of the case files sent to this collection agency.",
        groups="nikki_dunning.group_dunning_manager",
    )
    collection_email = fields.Char(
        string="Case File Email",
        help="Where case files go. Empty: the agency's email address.",
        groups="nikki_dunning.group_dunning_manager",
    )
    collection_send_mode = fields.Selection(
        [
            ("auto", "Send automatically"),
            ("approval", "Wait for an accountant's approval"),
        ],
        string="Sending Case Files",
        default="auto",
        help="Send new cases to the agency with the nightly run, or keep them "
        "in “To Send” until an accountant sends them. Notices that an invoice "
        "was paid directly or recalled never wait.",
        groups="nikki_dunning.group_dunning_manager",
    )
    collection_exchange_count = fields.Integer(
        compute="_compute_collection_exchange_count"
    )
    dunning_log_count = fields.Integer(compute="_compute_dunning_log_count")
    dunning_phone_followup = fields.Selection(
        [("yes", "Call"), ("no", "Do Not Call")],
        string="Phone Follow-ups",
        company_dependent=True,
        help="Whether the sales staff call this customer about invoices in "
        "the dunning workflow. Leave empty to follow the dunning policy.",
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_call_id = fields.Many2one(
        "nikki.dunning.call",
        string="Open Dunning Call",
        compute="_compute_dunning_call_id",
        groups="nikki_dunning.group_dunning_caller",
    )
    # consumer or business: decides the collection costs, the interest
    # (statutory or commercial) and whether the fourteen-day rules apply
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
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_costs_basis = fields.Selection(
        [("scale", "Statutory scale"), ("contract", "Amount agreed by contract")],
        string="Collection Costs",
        company_dependent=True,
        help="For business debtors, costs agreed by contract replace the "
        "statutory scale. Consumers always get the scale.",
        groups="nikki_dunning.group_dunning_user",
    )
    dunning_contract_costs = fields.Float(
        string="Agreed Collection Costs",
        company_dependent=True,
        digits="Account",
        help="Collection costs agreed with this business, in the company's "
        "currency.",
        groups="nikki_dunning.group_dunning_user",
    )

    @api.depends("is_company", "parent_id.is_company")
    def _compute_dunning_debtor_type(self):
        for partner in self:
            company = partner.is_company or partner.parent_id.is_company
            partner.dunning_debtor_type = "business" if company else "consumer"

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

    def _compute_dunning_log_count(self):
        counts = dict(
            self.env["nikki.dunning.log"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.dunning_log_count = counts.get(partner.commercial_partner_id, 0)

    def _compute_dunning_call_id(self):
        calls = self.env["nikki.dunning.call"].search(
            [
                ("state", "=", "open"),
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", self.env.company.id),
            ]
        )
        open_call = {call.partner_id: call for call in calls}
        for partner in self:
            partner.dunning_call_id = open_call.get(partner.commercial_partner_id)

    def _compute_collection_exchange_count(self):
        Exchange = self.env["nikki.collection.exchange"]
        agencies = self.filtered("is_collection_agency")
        if not Exchange.has_access("read"):
            agencies = agencies.browse()
        counts = dict(
            Exchange._read_group(
                [("agency_id", "in", agencies.ids)], ["agency_id"], ["__count"]
            )
            if agencies
            else []
        )
        for partner in self:
            partner.collection_exchange_count = counts.get(partner, 0)

    def action_view_collection_exchanges(self):
        self.ensure_one()
        return self.env["nikki.collection.exchange"]._action_open(
            domain=[("agency_id", "=", self.id)], always_list=True
        )

    @api.model
    def _commercial_fields(self):
        # synced to the contacts as superuser by Odoo (the fields are for
        # dunning users only); the engine itself reads the commercial partner
        return super()._commercial_fields() + [
            "dunning_policy_id",
            "dunning_excluded",
            "dunning_phone_followup",
            "dunning_debtor_type",
        ]

    def action_view_dunning_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_dunning_log"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_move": 1}
        return action

    def action_open_dunning_call(self):
        self.ensure_one()
        return self.dunning_call_id._open_form()

    def _dunning_check_access(self):
        self.env["nikki.dunning.engine"]._check_dunning_access(
            self.commercial_partner_id,
            _("Only dunning users can hold or resume dunning."),
        )

    def action_dunning_hold(self):
        self._dunning_check_access()
        return (
            self.env["nikki.dunning.hold.wizard"]
            .with_context(active_model="res.partner", active_ids=self.ids)
            ._open()
        )

    def action_dunning_resume(self):
        self._dunning_check_access()
        partners = self.commercial_partner_id
        if not all(partners.mapped("dunning_hold")):
            raise UserError(_("Only customers on hold can be resumed."))
        partners._dunning_set_hold(False)

    def _dunning_set_hold(self, hold, reason=False, until=False):
        self._dunning_check_access()
        self.commercial_partner_id.write(
            {
                "dunning_hold": hold,
                "dunning_hold_reason": reason if hold else False,
                "dunning_hold_until": until if hold else False,
            }
        )
        if hold:
            body = _("Dunning put on hold: %(reason)s", reason=reason or "-")
            if until:
                body += _(" (until %s)", until)
        else:
            body = _("Dunning resumed.")
        partners = self.commercial_partner_id
        partners._message_log_batch(dict.fromkeys(partners.ids, body))
