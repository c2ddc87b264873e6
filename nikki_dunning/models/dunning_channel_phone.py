import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import LazyTranslate

from ..services import phone

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

# the invoices of one customer (and company) that calls are made about
CallGroup = namedtuple("CallGroup", "company partner policy moves window_open")

CANCEL_REASONS = {
    "ended": _lt("the invoices left the dunning workflow (paid, stopped or cancelled)"),
    "handover": _lt("the invoices were handed over to the collection agency"),
    "hold": _lt("the invoices were put on hold"),
    "step": _lt("the invoices reached the step after which nobody calls"),
    "none_left": _lt("no invoice of the customer is left to call about"),
}


class NikkiDunningChannelPhone(models.AbstractModel):
    """Phone channel: call activities for the sales staff.

    The daily cron (``nikki_dunning.ir_cron_phone_followup``) plans one call
    per customer and company with invoices running in the workflow, when the
    policy (or the customer) asks for phone follow-ups: a
    ``nikki.dunning.call`` with a "Dunning Call" activity on the customer
    for the caller. Never a second while one is open; the next one comes the
    policy's interval after the last was done (or was due), on a working day
    of the company's working-time calendar. Open calls are cancelled, with
    a note, as soon as nothing is left to call about.
    """

    _name = "nikki.dunning.channel.phone"
    _description = "Dunning Channel: Phone Follow-ups"

    # ------------------------------------------------------------------
    # the daily run
    # ------------------------------------------------------------------

    @api.model
    def _cron_schedule_calls(self, company_ids=None):
        """Plan the calls due today, refresh and cancel the open ones."""
        today = fields.Date.context_today(self)
        groups = self._call_groups(today, company_ids=company_ids)
        domain = [("state", "=", "open")]
        if company_ids:
            domain.append(("company_id", "in", company_ids))
        open_calls = self.env["nikki.dunning.call"].sudo().search(domain)
        stale = open_calls.filtered(lambda call: self._key(call) not in groups)
        stale._cancel(str(CANCEL_REASONS["none_left"]))
        self._refresh(open_calls - stale, groups)
        busy = {self._key(call) for call in open_calls - stale}
        created = self._plan(
            {key: group for key, group in groups.items() if key not in busy}, today
        )
        return {
            "created": len(created),
            "cancelled": len(stale),
            "open": len(open_calls - stale),
        }

    @api.model
    def _key(self, record):
        return (record.company_id.id, record.partner_id.id)

    @api.model
    def _call_groups(self, today, company_ids=None, partner_ids=None):
        """The invoices to call about today, grouped per (company, customer).

        An invoice is called about while it runs in the workflow (not on
        hold, not handed over), its policy or its customer asks for calls,
        the call window of its policy is open (from the policy's first call
        day until the step where calls stop) and its customer is neither
        excluded nor on hold. Read in one go, decided by services/phone.py.
        """
        domain = [("dunning_state", "=", "active"), ("dunning_policy_id", "!=", False)]
        if company_ids:
            domain.append(("company_id", "in", list(company_ids)))
        if partner_ids:
            domain.append(("commercial_partner_id", "in", list(partner_ids)))
        moves = (
            self.env["account.move"]
            .sudo()
            .search_fetch(
                domain,
                [
                    "name",
                    "company_id",
                    "commercial_partner_id",
                    "dunning_policy_id",
                    "dunning_start_date",
                    "dunning_step_id",
                    "dunning_step_offset",
                    "dunning_step_date",
                    "invoice_date_due",
                    "invoice_user_id",
                    "currency_id",
                    "amount_residual",
                    "amount_residual_signed",
                ],
                order="invoice_date_due, id",
            )
        )
        if not moves:
            return {}
        engine = self.env["nikki.dunning.engine"]
        flags = engine._customer_flags(moves, today)
        groups = {}
        for move in moves:
            key = (move.company_id.id, move.commercial_partner_id.id)
            policy = move.dunning_policy_id
            if flags[key]["excluded"] or flags[key]["held"]:
                continue
            if not phone.phone_enabled(policy.phone_followup, flags[key]["phone"]):
                continue
            window_open = phone.window_opens(
                move.dunning_start_date, policy.phone_from_day
            )
            until = policy.phone_until_step_id
            done_offset = move.dunning_step_offset if move.dunning_step_date else None
            if window_open > today or not phone.still_called(
                done_offset, until.day_offset if until else None
            ):
                continue
            group = groups.get(key)
            if group:
                groups[key] = group._replace(
                    moves=group.moves | move,
                    window_open=min(group.window_open, window_open),
                )
            else:
                # the oldest invoice's policy sets the pace
                groups[key] = CallGroup(
                    move.company_id,
                    move.commercial_partner_id,
                    policy,
                    move,
                    window_open,
                )
        return groups

    @api.model
    def _closed_days(self, companies, today):
        """Per company, the days its working-time calendar does not work
        (weekends, public holidays) from ``today`` on."""
        start = datetime.combine(today, time.min)
        end = datetime.combine(
            today + timedelta(days=phone.WORKING_DAY_HORIZON * 2), time.max
        )
        closed = {}
        for company in companies:
            calendar = company.resource_calendar_id
            unusual = (
                calendar._get_unusual_days(start, end, company_id=company)
                if calendar
                else {}
            )
            closed[company.id] = {
                fields.Date.to_date(day)
                for day, is_closed in unusual.items()
                if is_closed
            }
        return closed

    @api.model
    def _last_calls(self, keys):
        """Per (company, customer), the day the next call counts from."""
        if not keys:
            return {}
        rows = (
            self.env["nikki.dunning.call"]
            .sudo()
            ._read_group(
                [
                    ("state", "in", ("done", "cancelled")),
                    ("company_id", "in", list({key[0] for key in keys})),
                    ("partner_id", "in", list({key[1] for key in keys})),
                ],
                ["company_id", "partner_id"],
                ["interval_from:max"],
            )
        )
        return {
            (company.id, partner.id): last for company, partner, last in rows if last
        }

    @api.model
    def _plan(self, groups, today):
        """Create the calls that are due today among ``groups`` (customers
        without an open call)."""
        last = self._last_calls(list(groups))
        companies = self.env["res.company"].browse({key[0] for key in groups})
        closed = self._closed_days(companies, today)
        due = {}
        for key, group in groups.items():
            due_date = phone.next_call_date(
                group.window_open, last.get(key), group.policy.phone_interval_days
            )
            planned = phone.planned_call_date(due_date, today, closed[key[0]])
            if planned <= today:
                due[key] = group
        callers = self._callers(due)
        reminders = self._last_reminders(list(due))
        values = []
        for key, group in due.items():
            if not callers.get(key):
                _logger.info(
                    "No caller for the dunning call to customer %s (company %s): "
                    "no salesperson and no default caller in the company",
                    key[1],
                    key[0],
                )
                continue
            values.append(
                {
                    "company_id": key[0],
                    "partner_id": key[1],
                    "user_id": callers[key],
                    "policy_id": group.policy.id,
                    "date_due": today,
                    "line_ids": self._line_commands(group.moves),
                    "last_reminder_name": reminders.get(key, (False, False))[0],
                    "last_reminder_date": reminders.get(key, (False, False))[1],
                }
            )
        calls = (
            self.env["nikki.dunning.call"]
            .sudo()
            .with_context(tracking_disable=True)
            .create(values)
        )
        self._create_activities(calls)
        return calls

    @api.model
    def _callers(self, groups):
        """Who calls each customer: the salesperson of the oldest invoice
        that has one, else the customer's salesperson, else the policy's
        default caller; only active internal users of the company."""
        candidates = {
            key: [move.invoice_user_id.id for move in group.moves]
            + [group.partner.user_id.id, group.policy.phone_user_id.id]
            for key, group in groups.items()
        }
        users = (
            self.env["res.users"]
            .sudo()
            .browse(
                {user_id for ids in candidates.values() for user_id in ids if user_id}
            )
        )
        eligible = {}
        for company_id in {key[0] for key in groups}:
            eligible[company_id] = {
                user.id
                for user in users
                if user.active and not user.share and company_id in user.company_ids.ids
            }
        return {
            key: phone.choose_user(ids, eligible[key[0]])
            for key, ids in candidates.items()
        }

    @api.model
    def _line_commands(self, moves):
        Line = self.env["nikki.dunning.call.line"]
        return [fields.Command.create(Line._values_for(move)) for move in moves]

    @api.model
    def _last_reminders(self, keys):
        """Per (company, customer), the last reminder sent: (name, date)."""
        if not keys:
            return {}
        Communication = self.env["nikki.dunning.communication"].sudo()
        rows = Communication._read_group(
            [
                ("company_id", "in", list({key[0] for key in keys})),
                ("partner_id", "in", list({key[1] for key in keys})),
                ("action", "in", ("reminder", "pre_collection")),
            ],
            ["company_id", "partner_id"],
            ["id:max"],
        )
        latest = Communication.browse(row[2] for row in rows)
        return {
            self._key(communication): (
                communication.step_id.name or communication.name,
                communication.date,
            )
            for communication in latest
        }

    @api.model
    def _create_activities(self, calls):
        """One "Dunning Call" activity on the customer per call, for the
        caller, due on the call's day (no email: the call shows in the
        caller's activities and calendar)."""
        if not calls:
            return
        activity_type = self.env.ref("nikki_dunning.mail_activity_type_dunning_call")
        model_id = self.env["ir.model"]._get_id("res.partner")
        activities = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "activity_type_id": activity_type.id,
                        "res_model_id": model_id,
                        "res_id": call.partner_id.id,
                        "user_id": call.user_id.id,
                        "date_deadline": call.date_due,
                        "summary": call._activity_summary(),
                        "note": call._render_note(),
                    }
                    for call in calls
                ]
            )
        )
        for call, activity in zip(calls, activities, strict=True):
            call.activity_id = activity

    @api.model
    def _refresh(self, calls, groups):
        """Bring open calls up to date with their customer's invoices (a
        part payment, an invoice added or gone)."""
        changed = self.env["nikki.dunning.call"]
        for call in calls:
            group = groups.get(self._key(call))
            if not group:
                continue
            current = {(move.id, move.amount_residual) for move in group.moves}
            listed = {(line.move_id.id, line.amount_residual) for line in call.line_ids}
            if current != listed:
                call.line_ids = [fields.Command.clear()] + self._line_commands(
                    group.moves
                )
                changed |= call
        for call in changed.filtered("activity_id"):
            call.activity_id.with_context(mail_activity_quick_update=True).write(
                {"summary": call._activity_summary(), "note": call._render_note()}
            )
        return changed

    # ------------------------------------------------------------------
    # keeping open calls in line with the workflow
    # ------------------------------------------------------------------

    @api.model
    def _sync_calls(self, moves, reason, handed_over=None):
        """After ``moves`` changed in the workflow (paid, stopped, put on
        hold, moved a step) and ``handed_over`` went to the agency: cancel
        the open calls of their customers when nothing is left to call about
        (saying ``reason``, a key of CANCEL_REASONS, or the hand-over),
        refresh the others."""
        handed_over = handed_over or moves.browse()
        moves |= handed_over
        if not moves:
            return
        keys = {(move.company_id.id, move.commercial_partner_id.id) for move in moves}
        calls = (
            self.env["nikki.dunning.call"]
            .sudo()
            .search(
                [
                    ("state", "=", "open"),
                    ("company_id", "in", list({key[0] for key in keys})),
                    ("partner_id", "in", list({key[1] for key in keys})),
                ]
            )
            .filtered(lambda call: self._key(call) in keys)
        )
        if not calls:
            return
        today = fields.Date.context_today(self)
        groups = self._call_groups(
            today, company_ids=calls.company_id.ids, partner_ids=calls.partner_id.ids
        )
        gone = calls.filtered(lambda call: self._key(call) not in groups)
        handover_keys = {
            (move.company_id.id, move.commercial_partner_id.id) for move in handed_over
        }
        gone_to_agency = gone.filtered(lambda call: self._key(call) in handover_keys)
        gone_to_agency._cancel(str(CANCEL_REASONS["handover"]))
        (gone - gone_to_agency)._cancel(str(CANCEL_REASONS[reason]))
        self._refresh(calls - gone, groups)
