from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index

from ..services import planning

DUNNING_STATES = [
    ("none", "Not in Dunning"),
    ("active", "In Dunning"),
    ("on_hold", "On Hold"),
    ("handed_over", "Handed Over"),
    ("done", "Done"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    dunning_policy_id = fields.Many2one(
        "nikki.dunning.policy",
        string="Dunning Policy",
        copy=False,
        readonly=True,
        index="btree_not_null",
        check_company=True,
    )
    dunning_state = fields.Selection(
        DUNNING_STATES,
        string="Dunning Stage",
        compute="_compute_dunning_state",
        store=True,
        readonly=False,
        copy=False,
        index=True,
        help="Where the invoice stands in the dunning workflow. A payment, "
        "cancellation or reversal ends the workflow (Done).",
    )
    dunning_end_reason = fields.Selection(
        [(key, label) for key, label in planning.END_REASONS.items()],
        string="Dunning Ended Because",
        compute="_compute_dunning_state",
        store=True,
        readonly=False,
        copy=False,
    )
    dunning_end_date = fields.Date(
        string="Dunning Ended On",
        compute="_compute_dunning_state",
        store=True,
        readonly=False,
        copy=False,
    )
    dunning_source = fields.Selection(
        [
            ("manual", "Submitted by a User"),
            ("auto", "Enrolled when Overdue"),
            ("import", "Receivables List"),
        ],
        string="Entered Dunning By",
        readonly=True,
        copy=False,
    )
    dunning_start_date = fields.Date(
        string="Day 0",
        readonly=True,
        copy=False,
        help="The day the invoice entered the dunning workflow.",
    )
    dunning_step_id = fields.Many2one(
        "nikki.dunning.step",
        string="Last Dunning Step",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    dunning_step_offset = fields.Integer(
        string="Last Step Day", readonly=True, copy=False
    )
    dunning_step_date = fields.Date(
        string="Last Step Done On", readonly=True, copy=False
    )
    dunning_next_step_id = fields.Many2one(
        "nikki.dunning.step",
        string="Next Dunning Step",
        compute="_compute_dunning_next",
        store=True,
        copy=False,
    )
    dunning_next_date = fields.Date(
        string="Next Dunning Action",
        compute="_compute_dunning_next",
        store=True,
        copy=False,
    )
    dunning_hold_reason = fields.Char(string="Hold Reason", readonly=True, copy=False)
    dunning_hold_until = fields.Date(string="On Hold Until", readonly=True, copy=False)
    dunning_case_id = fields.Many2one(
        "nikki.collection.case",
        string="Collection Case",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    dunning_log_ids = fields.One2many(
        "nikki.dunning.log", "move_id", string="Dunning History", readonly=True
    )

    def init(self):
        res = super().init()
        # the nightly run walks the customers with due steps in (customer,
        # company) order and claims their active invoices; auto-enrolment
        # looks for open overdue customer invoices outside the workflow
        self.env.cr.execute(
            "DROP INDEX IF EXISTS account_move_dunning_due_index, "
            "account_move_dunning_enrol_index"
        )
        create_index(
            self.env.cr,
            "account_move_dunning_active_customer_index",
            self._table,
            ["commercial_partner_id", "company_id", "dunning_next_date"],
            where="dunning_state = 'active'",
        )
        create_index(
            self.env.cr,
            "account_move_dunning_enrol_candidates_index",
            self._table,
            ["invoice_date_due", "company_id"],
            where="dunning_state IN ('none', 'done') AND move_type = 'out_invoice' "
            "AND state = 'posted' AND payment_state IN ('not_paid', 'partial')",
        )
        return res

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------

    @api.depends("state", "payment_state", "amount_residual")
    def _compute_dunning_state(self):
        """Accounting events end the workflow: a payment (or 'in payment'),
        a reversal, a cancellation or a reset to draft."""
        today = fields.Date.context_today(self)
        ended = self.browse()
        for move in self:
            state = move.dunning_state or "none"
            reason = state in planning.RUNNING_STATES and planning.end_reason(
                move._dunning_facts()
            )
            if reason:
                move.dunning_state = "done"
                move.dunning_end_reason = reason
                move.dunning_end_date = today
                ended |= move
            else:
                move.dunning_state = state
                move.dunning_end_reason = move.dunning_end_reason
                move.dunning_end_date = move.dunning_end_date
        if ended.ids:
            pending = self.env.cr.precommit.data.setdefault(
                "nikki_dunning.ended", set()
            )
            if not pending:
                self.env.cr.precommit.add(self._dunning_record_accounting_end)
            pending.update(ended.ids)

    @api.depends(
        "dunning_state",
        "dunning_start_date",
        "dunning_step_date",
        "dunning_step_offset",
        "dunning_policy_id",
    )
    def _compute_dunning_next(self):
        """Next step and date of running invoices. Edits of a policy's steps
        recompute only its running invoices (see nikki.dunning.step), not
        every invoice the policy ever dunned."""
        plans = {}
        for move in self:
            policy = move.dunning_policy_id
            step = False
            if (
                move.dunning_state in ("active", "on_hold")
                and policy
                and move.dunning_start_date
            ):
                if policy not in plans:
                    plans[policy] = policy._plan_steps()
                done_offset = (
                    move.dunning_step_offset if move.dunning_step_date else None
                )
                step = planning.next_step(plans[policy], done_offset)
            if step:
                move.dunning_next_step_id = step.id
                move.dunning_next_date = planning.due_date(
                    move.dunning_start_date, step, done_offset, move.dunning_step_date
                )
            else:
                move.dunning_next_step_id = False
                move.dunning_next_date = False

    def _dunning_replan(self, policies):
        """Recompute the next step of the running invoices of ``policies``
        (their steps changed)."""
        moves = self.sudo().search(
            [
                ("dunning_policy_id", "in", policies.ids),
                ("dunning_state", "in", ("active", "on_hold")),
            ]
        )
        for fname in ("dunning_next_step_id", "dunning_next_date"):
            self.env.add_to_compute(self._fields[fname], moves)

    def _dunning_write(self, vals):
        """Write workflow fields. Nothing accounting changes, so the invoice
        line synchronisation and balance checks of ``account.move.write``
        are skipped: they cost queries per invoice for nothing."""
        return self.with_context(
            skip_invoice_sync=True,
            check_move_validity=False,
            skip_is_manually_modified=True,
            tracking_disable=True,
        ).write(vals)

    def _dunning_facts(self):
        self.ensure_one()
        return planning.InvoiceFacts(
            state=self.state,
            move_type=self.move_type,
            payment_state=self.payment_state,
            amount_residual=self.amount_residual,
            dunning_state=self.dunning_state,
        )

    def _dunning_record_accounting_end(self):
        """After a payment, cancellation or reversal ended the workflow:
        the history line, the chatter note and the end of open follow-ups."""
        ids = self.env.cr.precommit.data.pop("nikki_dunning.ended", set())
        moves = (
            self.browse(sorted(ids))
            .exists()
            .filtered(lambda move: move.dunning_state == "done")
        )
        if moves:
            self.env["nikki.dunning.engine"]._record_end(moves)
            # precommit hooks run after the transaction's flush: flush what
            # they wrote, or it would be lost at commit
            self.env.flush_all()

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------

    def _dunning_check_access(self):
        """Dunning actions are for dunning users who may edit the invoices."""
        self.env["nikki.dunning.engine"]._check_dunning_access(
            self, _("Only dunning users can change the dunning of invoices.")
        )

    def action_dunning_submit(self):
        """Submit the invoices to dunning: Day 0 is today and the Day 0 step
        runs at once."""
        self._dunning_check_access()
        result = self.env["nikki.dunning.engine"]._submit(self, source="manual")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Submitted to dunning"),
                "message": result["message"],
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_dunning_hold(self):
        self._dunning_check_access()
        self._dunning_check_state(
            ("active",), _("Only invoices in dunning can be put on hold.")
        )
        return (
            self.env["nikki.dunning.hold.wizard"]
            .with_context(active_model="account.move", active_ids=self.ids)
            ._open()
        )

    def action_dunning_resume(self):
        self._dunning_check_access()
        self._dunning_check_state(
            ("on_hold",), _("Only invoices on hold can be resumed.")
        )
        self.env["nikki.dunning.engine"]._resume(self)

    def action_dunning_stop(self):
        self._dunning_check_access()
        self._dunning_check_state(
            ("active", "on_hold"),
            _(
                "Only invoices in dunning or on hold can be stopped; an invoice "
                "handed over to an agency is recalled from its collection case."
            ),
        )
        self.env["nikki.dunning.engine"]._stop(self, reason="stopped")

    def action_dunning_recall(self):
        """Recall handed-over invoices from their collection agency."""
        lines = self.env["nikki.collection.case.line"].search(
            [
                ("move_id", "in", self.ids),
                ("state", "in", ("in_collection", "partially_collected")),
            ]
        )
        if not lines:
            raise UserError(_("These invoices are not with a collection agency."))
        return lines.action_recall()

    def _dunning_hold(self, reason, until=False):
        self._dunning_check_access()
        self._dunning_check_state(
            ("active",), _("Only invoices in dunning can be put on hold.")
        )
        self.env["nikki.dunning.engine"]._hold(self, reason, until)

    def _dunning_check_state(self, states, message):
        wrong = self.filtered(lambda move: move.dunning_state not in states)
        if wrong or not self:
            raise UserError(
                message
                + "\n"
                + "\n".join(
                    f"- {move.name}: {dict(DUNNING_STATES)[move.dunning_state]}"
                    for move in wrong
                )
            )

    def action_view_dunning_log(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "nikki_dunning.action_dunning_log"
        )
        action["domain"] = [("move_id", "=", self.id)]
        return action

    def action_print_dunning_letters(self):
        """One PDF: the latest dunning letter of each customer among the
        selected invoices."""
        logs = self.env["nikki.dunning.log"].search(
            [("move_id", "in", self.ids), ("communication_id", "!=", False)]
        )
        if not logs:
            raise UserError(
                _(
                    "No dunning letter was sent for the selected invoices: %s.",
                    ", ".join(self.mapped("display_name")),
                )
            )
        return logs.action_print_dunning_letters()
