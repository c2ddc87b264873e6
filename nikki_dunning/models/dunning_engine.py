"""The dunning engine: enrol invoices, run the steps that are due, record.

Flow: sources (submit, auto-enrol, import) -> ``_enrol`` -> ``_run_due`` /
``_execute`` per batch of customers -> channels (email, hand-over) -> history.

Safety rules, enforced here and by the database:
- a customer is processed by one worker at a time: customers are claimed
  with a transaction-scoped advisory lock and their due invoices locked with
  ``FOR UPDATE``; another worker skips them instead of waiting;
- everything done for one customer (message queued, history lines, stage
  moved) commits together or not at all;
- a step line is unique per invoice, cycle and day (unique index), so even a
  worker working from a stale snapshot cannot send a step twice;
- stop conditions are re-checked on the locked rows right before acting.
"""

import logging
import threading
import time
from collections import defaultdict

from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, LazyTranslate, split_every

from ..services import planning

_logger = logging.getLogger(__name__)

# advisory lock namespace of the module ("NIKK")
LOCK_CLASS = 0x4E494B4B & 0x7FFFFFFF
# customers per batch (one transaction each when the cron commits)
BATCH_CUSTOMERS = 200
# ... when steps render PDF letters (about a second each): a batch keeps its
# invoices locked until it commits, and payments on them wait meanwhile
BATCH_CUSTOMERS_WITH_LETTERS = 20
# invoices enrolled at a time by the nightly enrolment
ENROL_CHUNK = 5000
# seconds one cron call may spend before handing over to the next call
CRON_TIME_BUDGET = 240
# how many times a failed email is queued again
MAIL_RETRIES = 3

_lt = LazyTranslate(__name__)

SUBMISSION_MESSAGES = {
    "not_customer_invoice": _lt("it is not a customer invoice"),
    "not_posted": _lt("it is not posted"),
    "paid": _lt("it is already paid"),
    "already_running": _lt("it is already in dunning"),
    "excluded": _lt("the customer is excluded from dunning"),
    "below_minimum": _lt("its open amount is below the policy's minimum"),
    "restarted_today": _lt(
        "it already went through the workflow today; submit it again tomorrow"
    ),
}


class NikkiDunningEngine(models.AbstractModel):
    _name = "nikki.dunning.engine"
    _description = "Dunning Engine"

    # ------------------------------------------------------------------
    # policies and customers
    # ------------------------------------------------------------------

    @api.model
    def _policies_for(self, moves):
        """The policy of each invoice: the customer's own for the invoice's
        company, else the company's default, else the NIKKI standard."""
        result = {}
        standard = self.env.ref(
            "nikki_dunning.policy_nikki_standard", raise_if_not_found=False
        )
        for company, company_moves in moves.grouped("company_id").items():
            # one read of the company-dependent field for all customers
            own_policy = {
                partner.id: partner.dunning_policy_id
                for partner in company_moves.commercial_partner_id.with_company(company)
            }
            default = company.dunning_policy_id or standard
            for move in company_moves:
                policy = own_policy[move.commercial_partner_id.id] or default
                if policy.company_id and policy.company_id != company:
                    policy = default
                result[move] = policy.sudo()
        return result

    @api.model
    def _customer_flags(self, moves, today):
        """Exclusion, hold and phone follow-up choice of each (company,
        customer) of ``moves``."""
        flags = {}
        for company, company_moves in moves.grouped("company_id").items():
            for partner in company_moves.commercial_partner_id.with_company(company):
                held = partner.dunning_hold and not (
                    partner.dunning_hold_until and partner.dunning_hold_until < today
                )
                flags[(company.id, partner.id)] = {
                    "excluded": partner.dunning_excluded,
                    "held": held,
                    "phone": partner.dunning_phone_followup,
                }
        return flags

    @api.model
    def _check_dunning_access(self, records, message):
        """Dunning actions are for dunning users who may edit ``records``;
        others get an AccessError with ``message``. (The engine writes as
        superuser, and public methods are callable by anyone who can read
        the records, portal customers included.)"""
        if not self.env.su and not self.env.user.has_group(
            "nikki_dunning.group_dunning_user"
        ):
            raise AccessError(message)
        records.check_access("write")

    @api.model
    def _invoice_contacts(self, partners):
        """The address dunning messages go to: the customer's 'Invoice'
        contact when there is one, else the customer itself."""
        contacts = {partner.id: partner for partner in partners}
        children = self.env["res.partner"].search(
            [
                ("parent_id", "in", partners.ids),
                ("type", "=", "invoice"),
                ("active", "=", True),
            ],
            order="parent_id, id desc",
        )
        for child in children:
            contacts[child.parent_id.id] = child
        return contacts

    # ------------------------------------------------------------------
    # enrolment (Day 0)
    # ------------------------------------------------------------------

    @api.model
    def _submission_problems(self, moves):
        """(invoice, problem key) for every invoice that cannot enter."""
        problems = []
        today = fields.Date.context_today(self)
        policies = self._policies_for(moves)
        flags = self._customer_flags(moves, today)
        # a step line is unique per invoice, Day 0 and step day: an invoice
        # whose cycle started today and ran a step cannot start again today
        started_today = set(
            self.env["nikki.dunning.log"]
            .sudo()
            .search(
                [
                    ("move_id", "in", moves.ids),
                    ("cycle_start", "=", today),
                    ("action", "in", ("reminder", "pre_collection", "handover")),
                ]
            )
            .move_id.ids
        )
        for move in moves:
            problem = planning.submission_problem(move._dunning_facts())
            if not problem:
                if flags[(move.company_id.id, move.commercial_partner_id.id)][
                    "excluded"
                ]:
                    problem = "excluded"
                elif move.amount_residual < policies[move].minimum_amount:
                    problem = "below_minimum"
                elif move.id in started_today:
                    problem = "restarted_today"
            if problem:
                problems.append((move, problem))
        return problems

    @api.model
    def _submission_refusals(self, moves):
        """Invoice id -> why it cannot enter, in the user's language.
        ``_check_submittable`` refuses a submission with any; callers that
        submit the others (the receivables list import) use it directly.
        Extensions add their own reasons here."""
        lang = self.env.lang or "en_US"
        return {
            move.id: SUBMISSION_MESSAGES[problem]._translate(lang)
            for move, problem in self._submission_problems(moves)
        }

    @api.model
    def _check_submittable(self, moves):
        if not moves:
            raise UserError(_("Select the invoices to submit to dunning."))
        refusals = self._submission_refusals(moves)
        if refusals:
            lines = [
                self.env._(
                    "- %(invoice)s: %(reason)s",
                    invoice=move.display_name,
                    reason=refusals[move.id],
                )
                for move in moves
                if move.id in refusals
            ]
            raise UserError(
                _("These invoices cannot be submitted to dunning:")
                + "\n"
                + "\n".join(lines)
            )

    @api.model
    def _enrol(self, moves, source, today=None):
        """Put invoices in the workflow with Day 0 = ``today``."""
        today = today or fields.Date.context_today(self)
        policies = self._policies_for(moves)
        by_policy = defaultdict(lambda: self.env["account.move"])
        for move in moves:
            by_policy[policies[move]] |= move
        for policy, policy_moves in by_policy.items():
            policy_moves.sudo()._dunning_write(
                {
                    "dunning_policy_id": policy.id,
                    "dunning_state": "active",
                    "dunning_source": source,
                    "dunning_start_date": today,
                    "dunning_step_id": False,
                    "dunning_step_offset": 0,
                    "dunning_step_date": False,
                    "dunning_hold_reason": False,
                    "dunning_hold_until": False,
                    "dunning_end_reason": False,
                    "dunning_end_date": False,
                    "dunning_case_id": False,
                }
            )
        return moves

    @api.model
    def _submit(self, moves, source="manual", today=None):
        """Enrol ``moves`` and run their Day 0 step right away.

        Used by every source (list/form action, receivables import): the
        Day 0 notice does not wait for the night.
        """
        today = today or fields.Date.context_today(self)
        self._check_submittable(moves)
        self._enrol(moves, source, today)
        stats = self._run_due(
            today,
            commit=False,
            customer_ids=moves.commercial_partner_id.ids,
            company_ids=moves.company_id.ids,
        )
        message = _(
            "%(invoices)s invoice(s) entered the dunning workflow; "
            "%(messages)s customer message(s) queued.",
            invoices=len(moves),
            messages=stats["messages"],
        )
        if stats["busy"]:
            message += " " + _(
                "%s customer(s) were being processed by the scheduled run, "
                "which sends their Day 0 notice.",
                stats["busy"],
            )
        return dict(stats, message=message)

    @api.model
    def _auto_enrol(self, today, company_ids=None):
        """Enrol open invoices a policy's delay after their due date."""
        query = SQL(
            """
            SELECT id FROM account_move
             WHERE (dunning_state = 'none'
                    -- open again after the payment was undone or the
                    -- invoice reset to draft and posted again
                    OR (dunning_state = 'done'
                        AND dunning_end_reason IN ('paid', 'cancelled')))
               AND move_type = 'out_invoice'
               AND state = 'posted'
               AND payment_state IN ('not_paid', 'partial')
               AND invoice_date_due < %(today)s
               %(company)s
            """,
            today=today,
            company=SQL("AND company_id IN %s", tuple(company_ids))
            if company_ids
            else SQL(),
        )
        ids = [row[0] for row in self.env.execute_query(query)]
        enrolled = []
        # in chunks, the cache emptied between them: memory stays flat when
        # thousands of invoices fall due at once (the first night, a list)
        for chunk in split_every(ENROL_CHUNK, ids):
            moves = self.env["account.move"].browse(chunk)
            policies = self._policies_for(moves)
            flags = self._customer_flags(moves, today)
            to_enrol = moves.filtered(
                lambda move, policies=policies, flags=flags: policies[move].auto_enrol
                and fields.Date.add(
                    move.invoice_date_due, days=policies[move].auto_enrol_days
                )
                <= today
                and not flags[(move.company_id.id, move.commercial_partner_id.id)][
                    "excluded"
                ]
                and move.amount_residual >= policies[move].minimum_amount
            )
            self._enrol(to_enrol, "auto", today)
            enrolled += to_enrol.ids
            self.env.invalidate_all()
        return self.env["account.move"].browse(enrolled)

    # ------------------------------------------------------------------
    # the nightly run
    # ------------------------------------------------------------------

    @api.model
    def _cron_run(self, company_ids=None):
        """Daily job: enrol overdue invoices, end expired holds, retry failed
        emails, then run every step that has come due."""
        today = fields.Date.context_today(self)
        commit = self._can_commit()
        if self._prepare_day(today, company_ids):
            self._auto_enrol(today, company_ids)
            self._end_expired_holds(today, company_ids)
            self._retry_failed_mails(company_ids)
        if commit:
            # a cron worker commits its progress (see _can_commit): a late
            # failure must not undo the customers already messaged
            self.env.cr.commit()  # pylint: disable=invalid-commit
        stats = self._run_due(
            today,
            commit=commit,
            company_ids=company_ids,
            batch_size=self._batch_size(company_ids),
            deadline=time.monotonic() + CRON_TIME_BUDGET,
        )
        if not stats["remaining"]:
            # the run ends by sending the agencies their case files
            exchanges = self.env["nikki.collection.exchange"]._send_pending(
                today, company_ids=company_ids
            )
            stats["agency_files"] = len(exchanges)
            if commit:
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.env["ir.cron"]._notify_progress(
            done=stats["customers"], remaining=stats["remaining"]
        )
        return stats

    @api.model
    def _prepare_day(self, today, company_ids=None):
        """Whether this call does the day's preparation (enrolment, ended
        holds, email retries). A long run continues in further calls of the
        cron (see _notify_progress); they only work through the due steps, so
        a failed email is not retried several times in one night."""
        if company_ids:
            return True  # a run restricted by hand (or a test) does it all
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param("nikki_dunning.prepared_on") == str(today):
            return False
        params.set_param("nikki_dunning.prepared_on", str(today))
        return True

    @api.model
    def _batch_size(self, company_ids=None):
        """Customers per batch: small when a step may render PDF letters."""
        domain = [
            ("policy_id.active", "=", True),
            "|",
            ("attach_letter_pdf", "=", True),
            ("action", "=", "pre_collection"),
        ]
        if company_ids:
            domain += [
                "|",
                ("company_id", "=", False),
                ("company_id", "in", company_ids),
            ]
        letters = self.env["nikki.dunning.step"].sudo().search_count(domain, limit=1)
        return BATCH_CUSTOMERS_WITH_LETTERS if letters else BATCH_CUSTOMERS

    @api.model
    def _can_commit(self):
        """Commit per batch only inside a real cron worker (not in a user's
        request, nor in tests)."""
        return bool(self.env.context.get("cron_id")) and not getattr(
            threading.current_thread(), "testing", False
        )

    @api.model
    def _run_due(
        self,
        today,
        commit=False,
        company_ids=None,
        customer_ids=None,
        batch_size=BATCH_CUSTOMERS,
        deadline=None,
    ):
        """Process every customer with due steps, a batch at a time.

        Customers are walked in (customer, company) order; each batch is
        claimed, executed and (when ``commit``) committed before the next.
        Returns counters: customers and messages done, customers a concurrent
        worker held (busy), failed, and what remains when the deadline cut
        the run short.
        """
        stats = {"customers": 0, "messages": 0, "busy": 0, "failed": 0, "remaining": 0}
        after = (0, 0)
        retries = 0
        while True:
            candidates = self._due_customers(
                today, after, batch_size, company_ids, customer_ids
            )
            if not candidates:
                break
            try:
                claimed, busy = self._claim_customers(candidates)
                result = self._execute(claimed, today)
                if commit:
                    # one transaction per batch of customers (cron only)
                    self.env.cr.commit()  # pylint: disable=invalid-commit
            except (
                pg_errors.SerializationFailure,
                pg_errors.UniqueViolation,
                pg_errors.LockNotAvailable,
            ):
                # another worker committed work for these customers after our
                # snapshot was taken: start the batch again on fresh data
                if not commit or retries >= 3:
                    raise
                _logger.info("Dunning batch met a concurrent update; retrying it")
                self.env.cr.rollback()
                retries += 1
                continue
            retries = 0
            after = candidates[-1]
            stats["busy"] += busy
            for key in ("customers", "messages", "failed"):
                stats[key] += result[key]
            if deadline and time.monotonic() > deadline:
                stats["remaining"] = self._count_due_customers(
                    today, after, company_ids, customer_ids
                )
                break
        return stats

    def _due_filter(self, today, after, company_ids, customer_ids):
        return SQL(
            """
                dunning_state = 'active'
            AND dunning_next_date <= %(today)s
            AND (commercial_partner_id, company_id) > (%(partner)s, %(company)s)
            %(companies)s %(customers)s
            """,
            today=today,
            partner=after[0],
            company=after[1],
            companies=SQL("AND company_id IN %s", tuple(company_ids))
            if company_ids
            else SQL(),
            customers=SQL("AND commercial_partner_id IN %s", tuple(customer_ids))
            if customer_ids
            else SQL(),
        )

    @api.model
    def _due_customers(self, today, after, limit, company_ids=None, customer_ids=None):
        """The next ``limit`` (customer, company) pairs with due steps."""
        self.env["account.move"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT commercial_partner_id, company_id
                  FROM account_move
                 WHERE %s
              GROUP BY commercial_partner_id, company_id
              ORDER BY commercial_partner_id, company_id
                 LIMIT %s
                """,
                self._due_filter(today, after, company_ids, customer_ids),
                limit,
            )
        )
        return [tuple(row) for row in rows]

    @api.model
    def _count_due_customers(self, today, after, company_ids=None, customer_ids=None):
        rows = self.env.execute_query(
            SQL(
                "SELECT COUNT(DISTINCT (commercial_partner_id, company_id)) "
                "FROM account_move WHERE %s",
                self._due_filter(today, after, company_ids, customer_ids),
            )
        )
        return rows[0][0]

    @api.model
    def _claim_customers(self, candidates):
        """Claim customers for this transaction; those another worker holds
        are skipped, not waited for. Returns the due invoices claimed,
        locked against concurrent writes (payments wait for our commit), and
        the number of customers skipped as busy."""
        partner_ids = [partner_id for partner_id, _company in candidates]
        claimed = {
            row[0]
            for row in self.env.execute_query(
                SQL(
                    "SELECT p FROM unnest(%s) AS p "
                    "WHERE pg_try_advisory_xact_lock(%s, p)",
                    partner_ids,
                    LOCK_CLASS,
                )
            )
        }
        pairs = [pair for pair in candidates if pair[0] in claimed]
        busy = len(candidates) - len(pairs)
        if not pairs:
            return self.env["account.move"], busy
        # Raises SerializationFailure when another worker changed these rows
        # after our snapshot: the caller retries on fresh data. Not an error
        # worth a log line, hence log_exceptions=False.
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM account_move
                 WHERE dunning_state = 'active'
                   AND (commercial_partner_id, company_id) IN %s
                   AND dunning_next_date IS NOT NULL
              ORDER BY id
                   FOR UPDATE
                """,
                tuple(pairs),
            ),
            log_exceptions=False,
        )
        rows = self.env.cr.fetchall()
        moves = self.env["account.move"].browse(row[0] for row in rows)
        # the rows may have changed since they were cached: read them fresh
        moves.invalidate_recordset()
        return moves, busy

    # ------------------------------------------------------------------
    # execution
    # ------------------------------------------------------------------

    @api.model
    def _execute(self, moves, today):
        """Execute what is due for the claimed invoices ``moves``.

        Fast path: the whole batch in one savepoint with set-based writes.
        When something fails, the batch is replayed customer by customer so
        one customer's failure does not stop the others; the failing customer
        is logged and retried on the next run.
        """
        result = {"customers": 0, "messages": 0, "failed": 0}
        if not moves:
            return result
        try:
            with self.env.cr.savepoint():
                done = self._execute_batch(moves, today)
            result.update(done)
            return result
        except Exception:  # noqa: BLE001 -- replayed customer by customer below
            _logger.info("Dunning batch failed, replaying it customer by customer")
        for (_company, _partner), customer_moves in moves.grouped(
            lambda move: (move.company_id, move.commercial_partner_id)
        ).items():
            try:
                with self.env.cr.savepoint():
                    done = self._execute_batch(customer_moves, today)
            except Exception as error:  # noqa: BLE001
                _logger.exception(
                    "Dunning failed for customer %s",
                    customer_moves.commercial_partner_id.id,
                )
                result["failed"] += 1
                self._record_failure(customer_moves, error, today)
                continue
            result["customers"] += done["customers"]
            result["messages"] += done["messages"]
        return result

    @api.model
    def _execute_batch(self, moves, today):
        """Set-based execution of the due steps of ``moves`` (locked)."""
        moves = moves.sudo()
        moves.fetch(
            [
                "state",
                "move_type",
                "payment_state",
                "amount_residual",
                "currency_id",
                "company_id",
                "commercial_partner_id",
                "dunning_state",
                "dunning_policy_id",
                "dunning_next_step_id",
                "dunning_next_date",
                "dunning_start_date",
            ]
        )
        flags = self._customer_flags(moves, today)
        ended = defaultdict(lambda: self.env["account.move"])
        due = defaultdict(list)  # (company, partner) -> [(move, step)]
        for move in moves:
            key = (move.company_id.id, move.commercial_partner_id.id)
            policy = move.dunning_policy_id
            reason = planning.end_reason(
                move._dunning_facts(),
                minimum_amount=policy.minimum_amount,
                excluded=flags[key]["excluded"],
            )
            if reason:
                ended[reason] |= move
            elif (
                not flags[key]["held"]
                and move.dunning_next_step_id
                and move.dunning_next_date
                and move.dunning_next_date <= today
            ):
                due[key].append((move, move.dunning_next_step_id))
        for reason, reason_moves in ended.items():
            self._end(reason_moves, reason, today)
        if not due:
            return {"customers": 0, "messages": 0}

        communications, logs = self._record_steps(due, today)
        self._move_stages(logs, today)
        sent = self._run_channels(communications, logs, today)
        self._post_chatter(logs)
        return {"customers": len(due), "messages": len(sent)}

    @api.model
    def _run_channels(self, communications, logs, today):
        """Perform the steps: hand-overs first (the customer's notice names
        the case), then the customer emails. Returns the emails queued.
        Extension point for further channels (letters, SMS...)."""
        handover_logs = logs.filtered(lambda log: log.action == "handover")
        if handover_logs:
            self.env["nikki.dunning.channel.handover"]._hand_over(handover_logs, today)
        sent = self.env["nikki.dunning.channel.email"]._send(communications)
        # phone follow-ups follow the workflow: none after the hand-over, and
        # none past the step where the policy stops calling
        phone = self.env["nikki.dunning.channel.phone"]
        phone._sync_calls(
            logs.move_id - handover_logs.move_id,
            "step",
            handed_over=handover_logs.move_id,
        )
        return sent

    @api.model
    def _record_steps(self, due, today):
        """One message per customer, one history line per invoice."""
        partners = self.env["res.partner"].browse({key[1] for key in due})
        contacts = self._invoice_contacts(partners)
        Communication = self.env["nikki.dunning.communication"].with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        )
        comm_vals = []
        for (company_id, partner_id), items in due.items():
            lead = planning.lead_step(step for _move, step in items)
            comm_vals.append(
                self._communication_values(
                    company_id, partner_id, contacts[partner_id], lead, items, today
                )
            )
        communications = Communication.sudo().create(comm_vals)
        log_vals = []
        for communication, items in zip(communications, due.values(), strict=True):
            for move, step in items:
                log_vals.append(self._step_log_values(move, step, communication, today))
        logs = self.env["nikki.dunning.log"].sudo().create(log_vals)
        return communications, logs

    @api.model
    def _communication_values(
        self, company_id, partner_id, contact, lead, items, today
    ):
        """Values of the message to one customer; ``lead`` is the furthest
        step among ``items`` (pairs of invoice and due step)."""
        return {
            "company_id": company_id,
            "partner_id": partner_id,
            "contact_id": contact.id,
            "policy_id": lead.policy_id.id,
            "step_id": lead.id,
            "action": lead.action,
            "date": today,
            "channel": "email" if lead.mail_template_id else "none",
        }

    @api.model
    def _step_log_values(self, move, step, communication, today):
        """Values of the history line of one invoice reaching ``step``."""
        return {
            "move_id": move.id,
            "partner_id": communication.partner_id.id,
            "company_id": communication.company_id.id,
            "policy_id": move.dunning_policy_id.id,
            "step_id": step.id,
            "day_offset": step.day_offset,
            "cycle_start": move.dunning_start_date,
            "action": step.action,
            "date": today,
            "currency_id": move.currency_id.id,
            "amount_residual": move.amount_residual,
            "communication_id": communication.id,
        }

    @api.model
    def _move_stages(self, logs, today):
        """Record the step done on each invoice (the next step follows)."""
        for (step, action), step_logs in logs.grouped(
            lambda log: (log.step_id, log.action)
        ).items():
            step_logs.move_id._dunning_write(
                {
                    "dunning_step_id": step.id,
                    "dunning_step_offset": step.day_offset,
                    "dunning_step_date": today,
                    "dunning_state": "handed_over"
                    if action == "handover"
                    else "active",
                }
            )

    @api.model
    def _post_chatter(self, logs):
        """A chatter note on every invoice, created in one batch."""
        values = []
        for log in logs:
            communication = log.communication_id
            if log.action == "handover":
                body = _(
                    "Dunning: %(step)s (day %(day)s), case %(case)s with %(agency)s.",
                    step=log.step_id.name,
                    day=log.day_offset,
                    case=log.case_id.name,
                    agency=log.case_id.agency_id.name,
                )
            elif communication.state in ("queued", "sent"):
                body = _(
                    "Dunning: %(step)s (day %(day)s) emailed to %(contact)s.",
                    step=log.step_id.name,
                    day=log.day_offset,
                    contact=communication.contact_id.display_name,
                )
            elif communication.state == "no_email":
                body = _(
                    "Dunning: %(step)s (day %(day)s) not emailed: %(contact)s has "
                    "no email address.",
                    step=log.step_id.name,
                    day=log.day_offset,
                    contact=communication.contact_id.display_name,
                )
            else:
                body = _(
                    "Dunning: %(step)s (day %(day)s) recorded.",
                    step=log.step_id.name,
                    day=log.day_offset,
                )
            values.append(self._note_values(log.move_id, body))
        self.env["mail.message"].sudo().create(values)

    @api.model
    def _note_values(self, move, body):
        """A chatter note on an invoice, with every value mail.message would
        otherwise compute record by record (author, reply-to, record name)."""
        author = self.env.user.partner_id
        return {
            "model": "account.move",
            "res_id": move.id,
            "record_name": move.name,
            "message_type": "notification",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": author.id,
            "email_from": author.email_formatted,
            "reply_to": author.email_formatted,
            "body": body,
        }

    # ------------------------------------------------------------------
    # leaving and pausing the workflow
    # ------------------------------------------------------------------

    @api.model
    def _end(self, moves, reason, today=None):
        today = today or fields.Date.context_today(self)
        moves.sudo()._dunning_write(
            {
                "dunning_state": "done",
                "dunning_end_reason": reason,
                "dunning_end_date": today,
            }
        )
        self._record_end(moves)

    @api.model
    def _record_end(self, moves):
        """History line and chatter note for invoices that left the workflow."""
        reasons = dict(
            self.env["account.move"]
            ._fields["dunning_end_reason"]
            ._description_selection(self.env)
        )
        self._log_event(
            moves,
            "end",
            lambda move: reasons.get(move.dunning_end_reason, ""),
            date=None,
        )
        # an invoice of an open collection case that is paid or cancelled is
        # taken off the case (the next agency file says stop); nobody calls
        # a customer about it any more
        self.env["nikki.collection.case.line"]._close_ended(moves)
        self.env["nikki.dunning.channel.phone"]._sync_calls(moves, "ended")

    @api.model
    def _log_event(self, moves, action, note, date=None, post=True):
        """History line (and chatter note) for a user or accounting event."""
        date = date or fields.Date.context_today(self)
        labels = dict(
            self.env["nikki.dunning.log"]
            ._fields["action"]
            ._description_selection(self.env)
        )
        log_vals, message_vals = [], []
        for move in moves:
            text = note(move) if callable(note) else note
            log_vals.append(
                {
                    "move_id": move.id,
                    "partner_id": move.commercial_partner_id.id,
                    "company_id": move.company_id.id,
                    "policy_id": move.dunning_policy_id.id,
                    "cycle_start": move.dunning_start_date,
                    "action": action,
                    "date": date,
                    "currency_id": move.currency_id.id,
                    "amount_residual": move.amount_residual,
                    "note": text,
                }
            )
            message_vals.append(
                self._note_values(
                    move,
                    _(
                        "Dunning: %(event)s. %(note)s",
                        event=labels[action],
                        note=text or "",
                    ),
                )
            )
        self.env["nikki.dunning.log"].sudo().create(log_vals)
        if post:
            self.env["mail.message"].sudo().create(message_vals)

    @api.model
    def _hold(self, moves, reason, until=False):
        moves.sudo()._dunning_write(
            {
                "dunning_state": "on_hold",
                "dunning_hold_reason": reason,
                "dunning_hold_until": until,
            }
        )
        note = reason or ""
        if until:
            note = _("%(reason)s (until %(date)s)", reason=note, date=until)
        self._log_event(moves, "hold", note)
        self.env["nikki.dunning.channel.phone"]._sync_calls(moves, "hold")

    @api.model
    def _resume(self, moves, note=""):
        moves.sudo()._dunning_write(
            {
                "dunning_state": "active",
                "dunning_hold_reason": False,
                "dunning_hold_until": False,
            }
        )
        self._log_event(moves, "resume", note)

    @api.model
    def _stop(self, moves, reason="stopped"):
        self._end(moves, reason)

    @api.model
    def _end_expired_holds(self, today, company_ids=None):
        """Holds with an until-date in the past end: the workflow resumes."""
        domain = [
            ("dunning_state", "=", "on_hold"),
            ("dunning_hold_until", "!=", False),
            ("dunning_hold_until", "<", today),
        ]
        if company_ids:
            domain.append(("company_id", "in", company_ids))
        moves = self.env["account.move"].sudo().search(domain)
        if moves:
            self._resume(moves, _("hold period ended"))
        companies = self.env["res.company"].sudo().browse(company_ids)
        for company in companies or self.env["res.company"].sudo().search([]):
            partners = (
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .search(
                    [
                        ("dunning_hold", "=", True),
                        ("dunning_hold_until", "!=", False),
                        ("dunning_hold_until", "<", today),
                    ]
                )
            )
            if partners:
                partners._dunning_set_hold(False)
        return moves

    @api.model
    def _record_failure(self, moves, error, today):
        """A customer's batch failed: say so on each invoice; the invoices
        stay due and the next run tries again."""
        note = _("Processing failed and will be retried: %s", str(error)[:200])
        self._log_event(moves.sudo(), "mail_failed", note, date=today)

    @api.model
    def _retry_failed_mails(self, company_ids=None):
        """Failed dunning emails: recorded on the invoices, queued again
        (at most MAIL_RETRIES times)."""
        domain = [
            ("state", "=", "failed"),
            ("mail_id", "!=", False),
            ("retry_count", "<=", MAIL_RETRIES),
        ]
        if company_ids:
            domain.append(("company_id", "in", company_ids))
        communications = self.env["nikki.dunning.communication"].sudo().search(domain)
        today = fields.Date.context_today(self)
        moves = communications.log_ids.move_id
        flags = self._customer_flags(moves, today) if moves else {}
        notes = {}
        retrying = communications.browse()
        for communication in communications:
            comm_moves = communication.log_ids.move_id
            # the email lists these invoices: sent again only while every one
            # is still in the workflow and the customer still to be chased
            still_due = all(
                move.dunning_state in ("active", "handed_over")
                and not flags[(move.company_id.id, move.commercial_partner_id.id)][
                    "excluded"
                ]
                and not flags[(move.company_id.id, move.commercial_partner_id.id)][
                    "held"
                ]
                for move in comm_moves
            )
            retry = still_due and communication.retry_count < MAIL_RETRIES
            note = _(
                "Email to %(contact)s failed: %(reason)s.",
                contact=communication.contact_id.display_name,
                reason=communication.failure_reason or _("unknown error"),
            )
            if retry:
                note += " " + _("It is sent again.")
            elif not still_due:
                note += " " + _(
                    "Not sent again: an invoice it lists has left the workflow "
                    "or the customer is on hold or excluded."
                )
            else:
                note += " " + _("Given up after %s attempts.", MAIL_RETRIES + 1)
            for move in comm_moves:
                notes[move] = note
            # written in one batch at flush; past the limit it is not picked up
            communication.retry_count = (
                communication.retry_count + 1 if retry else MAIL_RETRIES + 1
            )
            if retry:
                retrying |= communication
        if notes:
            moves = self.env["account.move"].browse(move.id for move in notes)
            self._log_event(moves, "mail_failed", lambda move: notes[move])
        retrying.mail_id.mark_outgoing()
        return communications
