from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import planning


class NikkiDunningPolicy(models.Model):
    _name = "nikki.dunning.policy"
    _description = "Dunning Policy"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to offer the policy to every company.",
    )
    step_ids = fields.One2many(
        "nikki.dunning.step", "policy_id", string="Steps", copy=True
    )
    agency_id = fields.Many2one(
        "res.partner",
        string="Collection Agency",
        domain="[('is_collection_agency', '=', True)]",
        check_company=True,
        help="The agency that receives the hand-over step's cases.",
    )
    auto_enrol = fields.Boolean(
        string="Enrol Overdue Invoices Automatically",
        default=True,
        help="Open customer invoices enter the workflow on their own a number "
        "of days after their due date.",
    )
    auto_enrol_days = fields.Integer(
        string="Days After Due Date",
        default=1,
        help="Days after the due date at which an unpaid invoice enters the "
        "workflow (Day 0).",
    )
    minimum_amount = fields.Float(
        string="Minimum Open Amount",
        digits="Account",
        help="Invoices whose open amount (in the invoice currency) is below "
        "this amount are not chased; they leave the workflow when a part "
        "payment brings them below it.",
    )
    note = fields.Html(string="Internal Notes")
    step_count = fields.Integer(compute="_compute_step_count")

    _sql_constraints = [
        (
            "auto_enrol_days_positive",
            "CHECK(auto_enrol_days >= 0)",
            "The automatic enrolment delay cannot be negative.",
        ),
        (
            "minimum_amount_positive",
            "CHECK(minimum_amount >= 0)",
            "The minimum open amount cannot be negative.",
        ),
    ]

    @api.depends("step_ids")
    def _compute_step_count(self):
        for policy in self:
            policy.step_count = len(policy.step_ids)

    def _plan_steps(self):
        """The policy's steps as plain planning data, in workflow order."""
        self.ensure_one()
        return planning.ordered(
            planning.Step(step.id, step.day_offset, step.action)
            for step in self.step_ids
        )

    @api.constrains("step_ids", "agency_id")
    def _check_steps(self):
        for policy in self:
            problems = planning.policy_problems(
                policy._plan_steps(), has_agency=bool(policy.agency_id)
            )
            if problems:
                raise ValidationError(
                    _(
                        "Policy “%(policy)s”:\n%(problems)s",
                        policy=policy.display_name,
                        problems="\n".join(
                            policy._problem_message(key, detail)
                            for key, detail in problems
                        ),
                    )
                )

    def _problem_message(self, key, detail):
        _ = self.env._
        if key == "no_steps":
            return _("A dunning policy needs at least one step.")
        if key == "negative_offset":
            return _(
                "Step days are counted from Day 0 and cannot be negative (%s).", detail
            )
        if key == "duplicate_offset":
            return _(
                "Two steps are planned on day %s; give each step its own day.", detail
            )
        if key == "handover_without_agency":
            return _("The policy hands invoices over but has no collection agency.")
        return _(
            "The hand-over (day %s) must be the last step: nothing is sent "
            "to a customer whose invoices are with the agency.",
            detail,
        )

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        return [
            dict(vals, name=self.env._("%s (copy)", policy.name))
            for policy, vals in zip(self, vals_list, strict=True)
        ]

    def _first_step(self):
        """The step run on Day 0 (or the earliest one), if any."""
        return self.step_ids.sorted(lambda step: (step.day_offset, step.id))[:1]
