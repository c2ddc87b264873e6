"""The engine's legal side: what each letter says about costs, interest and
the fourteen-day deadline, worked out before the step is recorded.

Hooks used: ``_submission_refusals`` (payment details at submission),
``_record_steps`` (hold back customers whose letter cannot say how to pay;
compute the figures of the whole batch at once), ``_communication_values``
and ``_step_log_values`` (store the figures on the message and the history
lines). The rules themselves are pure functions in ``services/``.
"""

from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, models
from odoo.exceptions import UserError

from ..services import claim as claim_rules
from ..services import delivery, legal_costs, planning
from ..services import letter as letter_rules

# context key carrying the figures of a batch to the value hooks
LETTER_FIGURES = "nikki_dunning_letter_figures"
# a history line of the notice being recorded: its own message is the notice
NEW_NOTICE = "new"
# steps whose letter asks the customer to pay the company
PAYING_ACTIONS = ("reminder", "pre_collection")
STEP_ACTIONS = ("reminder", "pre_collection", "handover")


class NikkiDunningEngine(models.AbstractModel):
    _inherit = "nikki.dunning.engine"

    # ------------------------------------------------------------------
    # bad input: the letter must say how to pay
    # ------------------------------------------------------------------

    @api.model
    def _submission_refusals(self, moves):
        """Invoices whose Day 0 letter asks to pay but could not say how."""
        refusals = super()._submission_refusals(moves)
        candidates = moves.filtered(lambda move: move.id not in refusals)
        policies = self._policies_for(candidates)
        paying = candidates.filtered(
            lambda move: policies[move]._first_step().action in PAYING_ACTIONS
        )
        problems = self._payment_detail_problems(paying)
        for move in paying:
            lines = problems.get((move.company_id.id, move.commercial_partner_id.id))
            if lines:
                refusals[move.id] = _(
                    "the letter cannot say how to pay: %s", "; ".join(lines)
                )
        return refusals

    @api.model
    def _payment_detail_problems(self, moves):
        """{(company id, customer id): [problem, ...]} for invoices whose
        letter would lack the bank account or the payment reference."""
        problems = defaultdict(list)
        moves = moves.sudo()
        for move in moves:
            key = (move.company_id.id, move.commercial_partner_id.id)
            if not self._pay_to_account(move):
                problems[key].append(
                    _(
                        "%(company)s has no bank account to be paid on (add one "
                        "to the company's contact, Invoicing tab)",
                        company=move.company_id.name,
                    )
                )
            if not move.payment_reference:
                problems[key].append(
                    _("%(invoice)s has no payment reference", invoice=move.name)
                )
        return {key: list(dict.fromkeys(lines)) for key, lines in problems.items()}

    @api.model
    def _pay_to_account(self, move):
        return move.partner_bank_id or move.company_id.partner_id.bank_ids[:1]

    @api.model
    def _hold_back_unpayable(self, due, today):
        """Leave out of ``due`` (in place) the customers whose letter cannot
        say how to pay; the failure is logged on their invoices and the
        next run tries again."""
        paying = self.env["account.move"].browse(
            move.id
            for items in due.values()
            for move, step in items
            if step.action in PAYING_ACTIONS
        )
        for key, lines in self._payment_detail_problems(paying).items():
            moves = self.env["account.move"].browse(move.id for move, _step in due[key])
            self._record_failure(
                moves,
                UserError(_("the letter cannot say how to pay: %s", "; ".join(lines))),
                today,
            )
            del due[key]

    # ------------------------------------------------------------------
    # recording the steps with their figures
    # ------------------------------------------------------------------

    @api.model
    def _record_steps(self, due, today):
        self._hold_back_unpayable(due, today)
        figures = self._letter_figures(due, today) if due else {}
        communications, logs = super(
            NikkiDunningEngine, self.with_context(**{LETTER_FIGURES: figures})
        )._record_steps(due, today)
        # the records keep their access rights, without the figures in context
        context = self.env.context
        return (
            communications.with_env(communications.env(context=context)),
            logs.with_env(logs.env(context=context)),
        )

    @api.model
    def _communication_values(
        self, company_id, partner_id, contact, lead, items, today
    ):
        values = super()._communication_values(
            company_id, partner_id, contact, lead, items, today
        )
        figures = self.env.context.get(LETTER_FIGURES) or {}
        values.update(figures.get("comms", {}).get((company_id, partner_id), {}))
        return values

    @api.model
    def _step_log_values(self, move, step, communication, today):
        values = super()._step_log_values(move, step, communication, today)
        figures = self.env.context.get(LETTER_FIGURES) or {}
        extra = dict(figures.get("logs", {}).get(move.id, {}))
        if extra.get("costs_notice_id") == NEW_NOTICE:
            extra["costs_notice_id"] = communication.id
        values.update(extra)
        return values

    # ------------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------------

    @api.model
    def _letter_figures(self, due, today):
        """Values of the messages and history lines of ``due`` (pairs of
        invoice and step per (company, customer)): channel, delivery,
        deadline, costs, interest, as plain values keyed by
        (company id, customer id) and invoice id."""
        moves = self.env["account.move"].browse(
            move.id for items in due.values() for move, _step in items
        )
        partners = self.env["res.partner"].browse({key[1] for key in due})
        contacts = self._invoice_contacts(partners)
        prior = self._prior_notices(moves)
        members = self._notice_members(
            self.env["nikki.dunning.communication"].browse(
                {log.costs_notice_id.id for log in prior.values()}
            )
        )
        all_moves = moves | self.env["account.move"].browse(
            move_id for stated in members.values() for move_id in stated
        )
        facts = self._claim_facts(all_moves.sudo())
        customers = {}
        for company_id in {key[0] for key in due}:
            company = self.env["res.company"].browse(company_id)
            for partner in partners.filtered(
                lambda partner, company_id=company_id: (company_id, partner.id) in due
            ).with_company(company):
                customers[(company_id, partner.id)] = partner
        scales = self.env["nikki.cost.scale"].sudo().search([])
        context = {
            "today": today,
            "customers": customers,
            "scales": scales,
            "holidays": delivery.holidays_around(today),
            "rates": self.env["nikki.interest.rate"]._rates(),
            "facts": facts,
            "members": members,
            "claimed": self._small_claims_claimed(due, today, scales),
        }
        figures = {"comms": {}, "logs": {}}
        for key, items in due.items():
            comm_values, log_values = self._customer_figures(
                key, items, contacts, prior, context
            )
            figures["comms"][key] = comm_values
            figures["logs"].update(log_values)
        return figures

    @api.model
    def _customer_figures(self, key, items, contacts, prior, context):
        today = context["today"]
        company = self.env["res.company"].browse(key[0])
        partner = context["customers"][key]
        debtor = partner.dunning_debtor_type or "consumer"
        lead = planning.lead_step(step for _move, step in items)
        channel = (
            "email" if lead.mail_template_id and contacts[partner.id].email else "post"
        )
        delivered, new_deadline = delivery.costs_deadline(
            today, channel, context["holidays"]
        )
        log_values = {}
        groups = defaultdict(list)  # (kind, notice) -> invoices announced together
        for move, step in items:
            values = {}
            notice = prior.get(move.id)
            if notice:
                values["costs_deadline"] = notice.costs_deadline
                values["costs_notice_id"] = notice.costs_notice_id.id
                groups[("notice", notice.costs_notice_id)].append(move)
            elif step.action == "pre_collection":
                if letter_rules.is_notice_allowed(debtor, move.invoice_date_due, today):
                    values["costs_deadline"] = new_deadline
                    values["costs_notice_id"] = NEW_NOTICE
                    groups[("new", None)].append(move)
                else:
                    values["action"] = "reminder"
                    values["note"] = _(
                        "Not yet overdue: sent as a plain reminder instead of the "
                        "pre-collection notice; it starts no fourteen-day term "
                        "and announces no collection costs."
                    )
            elif step.action == "handover" and debtor == "business":
                # a business owes the costs once the payment term has passed
                values["costs_deadline"] = (move.invoice_date_due or today) + timedelta(
                    days=1
                )
                groups[("business", None)].append(move)
            log_values[move.id] = values

        shares, vat_rate = {}, 0.0
        for (kind, notice), group_moves in groups.items():
            group_shares, group_vat = self._group_costs(
                kind,
                notice,
                group_moves,
                company,
                partner,
                debtor,
                lead,
                context,
                log_values,
            )
            shares.update(group_shares)
            vat_rate = vat_rate or group_vat

        comm_costs = comm_interest = 0.0
        for move, _step in items:
            values = log_values[move.id]
            fact = context["facts"][move.id]
            interest_from, rates = self._interest_terms(move, debtor, context)
            deadline = values.get("costs_deadline")
            share = shares.get(move.id, 0.0)
            claim = claim_rules.settle(
                fact["principal"],
                today,
                fact["payments"],
                interest_from=interest_from,
                rates=rates,
                costs=share,
                costs_from=deadline,
            )
            costs = float(claim.costs) if deadline and deadline <= today else share
            values.update(
                {
                    "principal_amount": float(claim.principal),
                    "interest_amount": float(claim.interest),
                    "costs_amount": costs,
                }
            )
            comm_costs += costs * fact["ratio"]
            comm_interest += float(claim.interest) * fact["ratio"]

        actions = {
            log_values[move.id].get("action", step.action) for move, step in items
        }
        deadlines = [
            values["costs_deadline"]
            for values in log_values.values()
            if values.get("costs_notice_id")
        ]
        comm_values = {
            "letter_channel": channel,
            "letter_delivery_date": delivered,
            "debtor_type": debtor,
            "is_costs_notice": ("new", None) in groups,
            "costs_deadline": min(deadlines) if deadlines else False,
            "costs_amount": company.currency_id.round(comm_costs),
            "interest_amount": company.currency_id.round(comm_interest),
            "costs_vat_rate": vat_rate,
            "partner_bank_id": self._pay_to_account(items[0][0].sudo()).id,
        }
        if lead.action == "pre_collection" and "pre_collection" not in actions:
            comm_values["action"] = "reminder"
        return comm_values, log_values

    @api.model
    def _group_costs(
        self, kind, notice, moves, company, partner, debtor, lead, context, log_values
    ):
        """The costs of one group of invoices announced together, split over
        them: {invoice id: share in the invoice currency}, and the VAT rate
        included. The scale is applied once to the principals the group has
        left when the costs become owed (or today, before that)."""
        today = context["today"]
        facts = context["facts"]
        stated = context["members"].get(notice.id) if kind == "notice" else None
        if stated:
            member_ids = list(stated)
            scale_date = notice.date
        else:
            member_ids = [move.id for move in moves]
            scale_date = notice.date if kind == "notice" else today
        members = self.env["account.move"].browse(member_ids).sudo()
        scale_record = self.env["nikki.cost.scale"]._scale_on(
            scale_date, context["scales"]
        )
        if not scale_record:
            return {}, 0.0
        scale = scale_record._as_data()
        eligible, principals = [], []
        for member in members:
            policy = member.dunning_policy_id
            if not policy.charge_costs or (
                member.currency_id != scale_record.currency_id
                and not policy.costs_foreign_currency
            ):
                continue
            fact = facts[member.id]
            deadline = (
                log_values.get(member.id, {}).get("costs_deadline")
                if kind != "notice"
                else notice.costs_deadline
            )
            cutoff = min(today + timedelta(days=1), deadline or today)
            interest_from, rates = self._interest_terms(member, debtor, context)
            principal = claim_rules.principal_before(
                fact["principal"], cutoff, fact["payments"], interest_from, rates
            )
            eligible.append(member)
            principals.append(
                company.currency_id._convert(
                    float(principal) * fact["ratio"],
                    scale_record.currency_id,
                    company,
                    scale_date,
                )
            )
        if not eligible:
            return {}, 0.0
        if kind == "notice":
            vat = bool(notice.costs_vat_rate)
        else:
            vat = bool(company.dunning_costs_include_vat and lead.policy_id.agency_id)
        contract = partner._dunning_contract_costs()
        if contract is not None:
            contract = company.currency_id._convert(
                contract, scale_record.currency_id, company, scale_date
            )
        costs = legal_costs.claim_costs(
            principals,
            scale,
            contract_amount=contract,
            vat=vat,
            small_claims=kind == "new" and debtor == "consumer",
            already_claimed=context["claimed"].get((company.id, partner.id), 0.0),
        )
        costs = scale_record.currency_id._convert(
            float(costs), company.currency_id, company, scale_date
        )
        if stated:
            # never more than the notice stated
            costs = min(
                costs,
                sum(
                    amount * facts[move_id]["ratio"]
                    for move_id, amount in stated.items()
                ),
            )
        shares = legal_costs.split_pro_rata(costs, principals)
        return (
            {
                member.id: float(share) / facts[member.id]["ratio"]
                for member, share in zip(eligible, shares, strict=True)
            },
            scale.vat_rate if vat else 0.0,
        )

    @api.model
    def _interest_terms(self, move, debtor, context):
        """(first day of interest, rates) of an invoice, or (None, ()) when
        its policy claims no interest."""
        if not move.dunning_policy_id.charge_interest or not move.invoice_date_due:
            return None, ()
        kind = "commercial" if debtor == "business" else "consumer"
        return move.invoice_date_due + timedelta(days=1), context["rates"][kind]

    # ------------------------------------------------------------------
    # batch reads
    # ------------------------------------------------------------------

    @api.model
    def _prior_notices(self, moves):
        """{invoice id: history line} of the fourteen-day notice each invoice
        already got in its current workflow cycle."""
        logs = (
            self.env["nikki.dunning.log"]
            .sudo()
            .search(
                [
                    ("move_id", "in", moves.ids),
                    ("costs_notice_id", "!=", False),
                    ("action", "in", STEP_ACTIONS),
                ],
                order="date, id",
            )
        )
        prior = {}
        for log in logs:
            if (
                log.cycle_start == log.move_id.dunning_start_date
                and log.costs_notice_id._notice_went_out()
            ):
                prior.setdefault(log.move_id.id, log)
        return prior

    @api.model
    def _notice_members(self, notices):
        """{notice id: {invoice id: costs stated}}: the invoices each notice
        covered, with their part of the costs it stated (invoice currency)."""
        members = defaultdict(dict)
        if not notices:
            return members
        for log in (
            self.env["nikki.dunning.log"]
            .sudo()
            .search([("communication_id", "in", notices.ids)], order="id")
        ):
            if log.costs_notice_id == log.communication_id:
                members[log.communication_id.id][log.move_id.id] = log.costs_amount
        return members

    @api.model
    def _claim_facts(self, moves):
        """Per invoice: the principal, the payments (dated), and the rate
        from invoice to company currency."""
        lines = moves.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        payments = defaultdict(list)
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search([("debit_move_id", "in", lines.ids)])
        )
        for partial in partials:
            if partial.credit_move_id.move_id.move_type == "out_refund":
                continue  # a credit note lowers the principal itself
            payments[partial.debit_move_id.move_id.id].append(
                claim_rules.Payment(partial.max_date, partial.debit_amount_currency)
            )
        facts = {}
        for move in moves:
            paid = sum(payment.amount for payment in payments[move.id])
            facts[move.id] = {
                "principal": move.amount_residual + paid,
                "payments": payments[move.id],
                "ratio": abs(move.amount_total_signed / move.amount_total)
                if move.amount_total
                else 1.0,
            }
        return facts

    @api.model
    def _small_claims_claimed(self, due, today, scales):
        """{(company id, customer id): costs stated in fourteen-day notices
        within the small-claims period}, when the scale caps them."""
        scale = self.env["nikki.cost.scale"]._scale_on(today, scales)
        if not scale or not scale.small_claims_cap or not due:
            return {}
        since = today - relativedelta(months=scale.small_claims_months or 0)
        groups = (
            self.env["nikki.dunning.communication"]
            .sudo()
            ._read_group(
                [
                    ("is_costs_notice", "=", True),
                    ("company_id", "in", [key[0] for key in due]),
                    ("partner_id", "in", [key[1] for key in due]),
                    ("date", ">", since),
                    ("date", "<=", today),
                ],
                ["company_id", "partner_id"],
                ["costs_amount:sum"],
            )
        )
        return {(company.id, partner.id): amount for company, partner, amount in groups}
