from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date, formatLang
from odoo.tools.sql import index_exists

from ..services import phone

CALL_STATES = [
    ("open", "To Call"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]

CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("not_reached", "Not Reached"),
    ("promise", "Promised to Pay"),
    ("dispute", "Disputes an Invoice"),
    ("payment_plan", "Asked for a Payment Plan"),
    ("done", "Done Without Outcome"),
]


class NikkiDunningCall(models.Model):
    """One phone call to a customer about their invoices in dunning.

    The call activity the caller sees (in their activities and calendar)
    sits on the customer; this record keeps what the call was about (the
    invoices, a snapshot a salesperson may read without accounting rights),
    who calls and when, and what came of it. At most one call per customer
    and company is open at a time (unique index); the next one is planned
    the policy's interval after the last one was done (or was due).
    """

    _name = "nikki.dunning.call"
    _description = "Dunning Call"
    _order = "date_due desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    user_id = fields.Many2one("res.users", string="Caller", index=True, readonly=True)
    policy_id = fields.Many2one(
        "nikki.dunning.policy", ondelete="set null", readonly=True
    )
    activity_id = fields.Many2one(
        "mail.activity",
        string="Activity",
        ondelete="set null",
        readonly=True,
        index="btree_not_null",
    )
    state = fields.Selection(
        CALL_STATES, required=True, default="open", readonly=True, index=True
    )
    date_due = fields.Date(string="Call On", required=True, readonly=True, index=True)
    date_done = fields.Date(string="Called On", readonly=True)
    interval_from = fields.Date(
        string="Next Call Counts From",
        compute="_compute_interval_from",
        store=True,
        help="The day the next call to the customer is counted from: the "
        "day this call was done, or was due when it was cancelled.",
    )
    outcome = fields.Selection(CALL_OUTCOMES, readonly=True)
    promise_date = fields.Date(string="Promised Payment Date", readonly=True)
    note = fields.Text(string="Call Notes", readonly=True)
    cancel_reason = fields.Char(string="Cancelled Because", readonly=True)
    phone = fields.Char(related="partner_id.phone")
    mobile = fields.Char(related="partner_id.mobile")
    line_ids = fields.One2many(
        "nikki.dunning.call.line", "call_id", string="Invoices", readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_due = fields.Monetary(
        string="Total Due",
        compute="_compute_amounts",
        store=True,
        help="Open amount of the invoices the call is about, in the "
        "company's currency.",
    )
    invoice_count = fields.Integer(
        string="Invoices Open", compute="_compute_amounts", store=True
    )
    last_reminder_name = fields.Char(string="Last Reminder", readonly=True)
    last_reminder_date = fields.Date(string="Last Reminder On", readonly=True)

    def init(self):
        # the database refuses a second open call for a customer
        if not index_exists(self.env.cr, "nikki_dunning_call_one_open"):
            self.env.cr.execute(
                SQL(
                    "CREATE UNIQUE INDEX nikki_dunning_call_one_open ON %s "
                    "(company_id, partner_id) WHERE state = 'open'",
                    SQL.identifier(self._table),
                )
            )

    @api.depends("partner_id", "date_due")
    def _compute_name(self):
        for call in self:
            call.name = " - ".join(
                filter(
                    None,
                    [
                        call.partner_id.display_name,
                        call.date_due and str(call.date_due),
                    ],
                )
            )

    @api.depends("state", "date_done", "date_due")
    def _compute_interval_from(self):
        for call in self:
            if call.state == "done":
                call.interval_from = call.date_done
            elif call.state == "cancelled":
                call.interval_from = call.date_due
            else:
                call.interval_from = False

    @api.depends("line_ids.amount_company")
    def _compute_amounts(self):
        for call in self:
            call.amount_due = sum(call.line_ids.mapped("amount_company"))
            call.invoice_count = len(call.line_ids)

    # ------------------------------------------------------------------
    # what the caller sees
    # ------------------------------------------------------------------

    def _activity_summary(self):
        self.ensure_one()
        return self.env._(
            "Dunning call: %(count)s invoice(s), %(amount)s due",
            count=self.invoice_count,
            amount=formatLang(self.env, self.amount_due, currency_obj=self.currency_id),
        )

    def _render_note(self):
        """The activity note: invoices, amounts, phone numbers, last
        reminder, in the caller's language."""
        self.ensure_one()
        call = self.with_context(lang=self.user_id.lang or self.env.lang)
        return call.env["ir.qweb"]._render(
            "nikki_dunning.dunning_call_note",
            {
                "call": call,
                "phones": [number for number in (call.phone, call.mobile) if number],
            },
        )

    def _open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Dunning Call"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # user actions
    # ------------------------------------------------------------------

    def _check_open(self):
        labels = dict(CALL_STATES)
        closed = self.filtered(lambda call: call.state != "open")
        if closed:
            raise UserError(
                _(
                    "The call to %(customer)s is no longer open (%(state)s): "
                    "nothing to record.",
                    customer=closed[0].partner_id.display_name,
                    state=labels[closed[0].state],
                )
            )

    def action_record_outcome(self):
        """Open the call-outcome form of this call."""
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": _("Call %s", self.partner_id.display_name),
            "res_model": "nikki.dunning.call.outcome",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_call_id": self.id},
        }

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # the workflow side (run as superuser: callers have checked access)
    # ------------------------------------------------------------------

    def _moves_in_dunning(self):
        """The customer's invoices in the workflow (running or on hold),
        oldest due first."""
        self.ensure_one()
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("dunning_state", "in", ("active", "on_hold")),
                ],
                order="invoice_date_due, id",
            )
        )

    def _outcome_text(self, disputed_names=()):
        """The outcome in words, for the history and the chatter."""
        self.ensure_one()
        _ = self.env._
        label = dict(self._fields["outcome"]._description_selection(self.env))[
            self.outcome
        ]
        if self.outcome == "promise":
            label = _("Promised to pay on %s", format_date(self.env, self.promise_date))
        elif self.outcome == "dispute" and disputed_names:
            label = _("Disputes %s", ", ".join(disputed_names))
        parts = [label, self.note or ""]
        return ": ".join(part for part in parts if part)

    def _complete(
        self,
        outcome,
        note=False,
        promise_date=False,
        disputed=None,
        activity_done=False,
    ):
        """Record what came of the call and let the workflow react.

        - every outcome: a history line on each of the customer's invoices
          in dunning (and a chatter note), the activity marked done;
        - promise to pay: the running invoices on hold until the promised
          date plus a grace day; the workflow resumes afterwards if unpaid;
        - dispute: the disputed invoices on hold, a to-do for the accountant;
        - payment plan: a to-do for the accountant.

        ``activity_done``: the activity is being marked done already.
        """
        self.ensure_one()
        self._check_open()
        call = self.sudo()
        today = fields.Date.context_today(self)
        moves = call._moves_in_dunning()
        disputed = (disputed or self.env["account.move"]).sudo() & moves
        call.write(
            {
                "state": "done",
                "date_done": today,
                "outcome": outcome,
                "note": note or False,
                "promise_date": promise_date if outcome == "promise" else False,
            }
        )
        text = call._outcome_text(disputed.mapped("name"))
        if call.activity_id and not activity_done:
            call.activity_id.action_feedback(feedback=text)
        engine = self.env["nikki.dunning.engine"].sudo()
        engine._log_event(moves, f"call_{outcome}", text)
        running = moves.filtered(lambda move: move.dunning_state == "active")
        if outcome == "promise" and running:
            engine._hold(
                running,
                _("Promised to pay on %s", format_date(self.env, promise_date)),
                until=phone.promise_hold_until(promise_date),
            )
        elif outcome == "dispute":
            held = disputed.filtered(lambda move: move.dunning_state == "active")
            if held:
                engine._hold(held, _("Disputed by the customer: %s", note or "-"))
            call._notify_accountant(
                disputed,
                _("Disputed invoice"),
                _(
                    "%(customer)s disputes this invoice (call by %(caller)s): "
                    "%(note)s",
                    customer=call.partner_id.display_name,
                    caller=self.env.user.name,
                    note=note or "-",
                ),
            )
        elif outcome == "payment_plan" and moves:
            call._notify_accountant(
                moves[:1],
                _("Payment plan requested"),
                _(
                    "%(customer)s asks for a payment plan for %(amount)s "
                    "(call by %(caller)s): %(note)s",
                    customer=call.partner_id.display_name,
                    amount=formatLang(
                        self.env,
                        sum(moves.mapped("amount_residual_signed")),
                        currency_obj=call.currency_id,
                    ),
                    caller=self.env.user.name,
                    note=note or "-",
                ),
            )
        return True

    def _notify_accountant(self, moves, summary, note):
        """A to-do on each of ``moves`` for the accountant: the policy's
        dispute handler, else the user who created the invoice when they
        have billing rights, else a billing user of the company."""
        if not moves:
            return self.env["mail.activity"]
        billing_group = self.env.ref("account.group_account_invoice")
        company = self.company_id
        users = self.env["res.users"].sudo()
        candidates = users.browse(
            {
                user.id
                for move in moves
                for user in (
                    move.dunning_policy_id.phone_dispute_user_id,
                    move.create_uid,
                )
                if user
            }
        )
        eligible = {
            user.id
            for user in candidates
            if user.active
            and not user.share
            and company in user.company_ids
            and billing_group in user.groups_id
        }
        fallback = users.search(
            [
                ("groups_id", "in", billing_group.id),
                ("share", "=", False),
                ("company_ids", "in", company.id),
            ],
            order="id",
            limit=1,
        )
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("account.move")
        values = []
        for move in moves:
            user_id = (
                phone.choose_user(
                    [
                        move.dunning_policy_id.phone_dispute_user_id.id,
                        move.create_uid.id,
                    ],
                    eligible,
                )
                or fallback.id
            )
            if not user_id:
                continue
            values.append(
                {
                    "activity_type_id": todo.id,
                    "res_model_id": model_id,
                    "res_id": move.id,
                    "user_id": user_id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        return self.env["mail.activity"].sudo().create(values)

    def _cancel(self, reason, unlink_activity=True):
        """Cancel open calls: their activity is removed and the customer's
        chatter says why. ``unlink_activity``: False when the activity is
        being deleted already."""
        calls = self.sudo().filtered(lambda call: call.state == "open")
        if not calls:
            return calls
        calls.write({"state": "cancelled", "cancel_reason": reason})
        if unlink_activity:
            calls.activity_id.unlink()
        lines = defaultdict(list)
        for call in calls:
            lines[call.partner_id.id].append(
                _(
                    "Dunning call of %(date)s cancelled: %(reason)s.",
                    date=format_date(self.env, call.date_due),
                    reason=reason,
                )
            )
        calls.partner_id._message_log_batch(
            {
                partner_id: Markup("<br/>").join(texts)
                for partner_id, texts in lines.items()
            }
        )
        return calls
