from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..services import phone, planning


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
    # phone follow-ups
    phone_followup = fields.Boolean(
        string="Phone Follow-ups",
        help="Plan a call to each customer with invoices in the workflow, "
        "every few days, for the sales staff.",
    )
    phone_interval_days = fields.Integer(
        string="Call Every (Days)",
        default=3,
        help="Days between two calls to the same customer, counted from the "
        "day the last call was done (or was due, when it was cancelled). A "
        "call due on a weekend or a company holiday moves to the next "
        "working day of the company's working-time calendar.",
    )
    phone_from_day = fields.Integer(
        string="Calls From Day",
        default=0,
        help="Day of the workflow (counted from Day 0) of the first call.",
    )
    phone_until_step_id = fields.Many2one(
        "nikki.dunning.step",
        string="Calls Until Step",
        copy=False,
        ondelete="set null",
        domain="[('policy_id', '=', id)]",
        help="Calls stop once an invoice has reached this step. Leave empty "
        "to call until the hand-over.",
    )
    phone_user_id = fields.Many2one(
        "res.users",
        string="Default Caller",
        domain="[('share', '=', False)]",
        help="Calls the customer when neither the invoice nor the customer "
        "has a salesperson.",
    )
    phone_dispute_user_id = fields.Many2one(
        "res.users",
        string="Disputes Handled By",
        domain="[('share', '=', False)]",
        help="Gets a to-do when a customer disputes an invoice or asks for "
        "a payment plan during a call. Leave empty for the user who created "
        "the invoice, else a billing user of the company.",
    )

    _sql_constraints = [
        (
            "auto_enrol_days_positive",
            "CHECK(auto_enrol_days >= 0)",
            "The automatic enrolment delay cannot be negative.",
        ),
        (
            "phone_interval_days_positive",
            "CHECK(phone_interval_days >= 1)",
            "Calls are at least one day apart.",
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

    @api.constrains(
        "phone_followup",
        "phone_interval_days",
        "phone_from_day",
        "phone_until_step_id",
        "phone_user_id",
    )
    def _check_phone_settings(self):
        _ = self.env._
        messages = {
            "interval": _("Calls are at least one day apart."),
            "from_day": _("Calls cannot start before Day 0."),
            "empty_window": _(
                "Calls stop at the step of a day before the first call: no "
                "call would ever be made."
            ),
            "no_default_caller": _(
                "Choose a default caller: it calls customers whose invoice "
                "and customer record have no salesperson."
            ),
        }
        for policy in self:
            until = policy.phone_until_step_id
            if until and until.policy_id != policy:
                raise ValidationError(
                    _(
                        "Policy “%s”: calls can only stop at one of the policy's "
                        "own steps.",
                        policy.display_name,
                    )
                )
            problems = phone.phone_settings_problems(
                policy.phone_followup,
                policy.phone_interval_days,
                policy.phone_from_day,
                until.day_offset if until else None,
                bool(policy.phone_user_id),
            )
            if problems:
                raise ValidationError(
                    _(
                        "Policy “%(policy)s”:\n%(problems)s",
                        policy=policy.display_name,
                        problems="\n".join(messages[key] for key in problems),
                    )
                )

    def copy(self, default=None):
        new_policies = super().copy(default=default)
        for policy, new_policy in zip(self, new_policies, strict=True):
            until = policy.phone_until_step_id
            if until:
                new_policy.phone_until_step_id = new_policy.step_ids.filtered(
                    lambda step, day=until.day_offset: step.day_offset == day
                )[:1]
        return new_policies

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
        if default and "name" in default:
            return vals_list
        return [
            dict(vals, name=self.env._("%s (copy)", policy.name))
            for policy, vals in zip(self, vals_list, strict=True)
        ]

    def _first_step(self):
        """The step run on Day 0 (or the earliest one), if any."""
        return self.step_ids.sorted(lambda step: (step.day_offset, step.id))[:1]
