from collections import defaultdict
from datetime import date, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_amount, format_date
from odoo.tools.safe_eval import safe_eval, time

from ..services import delivery
from ..services import letter as letter_rules

LETTER_REPORT = "nikki_dunning.action_report_dunning_letter"


class NikkiDunningCommunication(models.Model):
    """The letter of a customer message: how and when it went out, the
    fourteen-day deadline it set or repeats, and everything the letter
    shows, as sent."""

    _inherit = "nikki.dunning.communication"

    letter_channel = fields.Selection(
        [("email", "Email"), ("post", "Post")],
        string="Letter Sent By",
        help="Email when the step emails the customer and the customer has "
        "an email address; otherwise the letter is printed and posted.",
    )
    letter_delivery_date = fields.Date(
        string="Assumed Delivery",
        help="Email: the day it is sent. Post: the second day after sending, "
        "Sundays, Mondays and public holidays not counted.",
    )
    letter_posted_on = fields.Date(
        string="Posted On",
        readonly=True,
        copy=False,
        help="The day the printed letter was posted (Mark as Posted). A "
        "notice sent by post starts its fourteen-day term only from then.",
    )
    is_costs_notice = fields.Boolean(
        string="Fourteen-Day Notice",
        help="This letter is the pre-collection notice that starts the "
        "fourteen-day term before collection costs are owed.",
    )
    costs_deadline = fields.Date(
        string="Costs Owed From",
        help="The day from which collection costs are owed, set by this "
        "notice or repeated from an earlier one.",
    )
    debtor_type = fields.Selection(
        [("consumer", "Consumer"), ("business", "Business")],
        help="The customer's debtor type when the letter was sent.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    costs_amount = fields.Monetary(
        string="Collection Costs",
        currency_field="company_currency_id",
        help="Collection costs stated in the letter, in the company currency.",
    )
    interest_amount = fields.Monetary(
        string="Interest",
        currency_field="company_currency_id",
        help="Statutory interest stated in the letter, in the company currency.",
    )
    costs_vat_rate = fields.Float(
        string="VAT in Costs (%)",
        help="VAT included in the collection costs (the company cannot " "reclaim it).",
    )
    partner_bank_id = fields.Many2one(
        "res.partner.bank",
        string="Pay To",
        ondelete="restrict",
        help="The company's bank account printed on the letter.",
    )

    # ------------------------------------------------------------------
    # channels
    # ------------------------------------------------------------------

    def _mail_template(self):
        """The email template of this message: the step's, except for a
        notice that went out as a plain reminder (the invoice was not yet
        overdue): that gets the reminder template."""
        self.ensure_one()
        template = self.step_id.mail_template_id
        if self.action != self.step_id.action and self.action == "reminder":
            template = (
                self.env.ref(
                    "nikki_dunning.mail_template_dunning_reminder",
                    raise_if_not_found=False,
                )
                or template
            )
        return template

    def _notice_went_out(self):
        """Whether this pre-collection notice reached the customer as far as
        the term is concerned: an email queued or sent (not failed, not
        cancelled), or a letter marked as posted. A notice that never went
        out starts no term, and no costs can ever rest on it."""
        self.ensure_one()
        if self.letter_channel == "post":
            return bool(self.letter_posted_on)
        return self.state in ("queued", "sent")

    def action_mark_posted(self):
        """The printed letters went into the post today: their delivery and,
        for a pre-collection notice, the fourteen-day term count from now."""
        self.env["account.move"]._dunning_check_access()
        letters = self.filtered(
            lambda comm: comm.letter_channel == "post" and not comm.letter_posted_on
        )
        if not letters:
            raise UserError(_("Select letters to post that are not posted yet."))
        today = fields.Date.context_today(self)
        delivered, deadline = delivery.costs_deadline(today, "post")
        letters.sudo().write(
            {"letter_posted_on": today, "letter_delivery_date": delivered}
        )
        notices = letters.filtered("is_costs_notice").sudo()
        if notices:
            notices.write({"costs_deadline": deadline})
            self.env["nikki.dunning.log"].sudo().search(
                [("costs_notice_id", "in", notices.ids)]
            ).write({"costs_deadline": deadline})
        body = _("Letter posted on %s.", format_date(self.env, today))
        letters.sudo()._message_log_batch(dict.fromkeys(letters.ids, body))
        return True

    def _wants_letter_pdf(self):
        self.ensure_one()
        return self.step_id.attach_letter_pdf or self.is_costs_notice

    # ------------------------------------------------------------------
    # printing
    # ------------------------------------------------------------------

    def action_print_letter(self):
        return self._print_letters()

    def _print_letters(self):
        """One PDF with the letter of each message (one per customer)."""
        if not self:
            raise UserError(_("There is no dunning letter to print."))
        self._store_letter_pdfs()
        return (
            self.env.ref(LETTER_REPORT)
            .with_context(discard_logo_check=True)
            .report_action(self.sorted(lambda comm: (comm.partner_id.name, comm.id)))
        )

    def _store_letter_pdfs(self):
        """{message id: letter PDF attachment}: the letters stored on their
        messages, rendering (as superuser, so they can be stored whoever
        prints first) those not rendered yet. A reprint is then the very PDF
        first sent or printed."""
        report = self.env.ref(LETTER_REPORT).sudo()
        self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        names = {
            comm.id: safe_eval(report.attachment, {"object": comm, "time": time})
            for comm in self
        }
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("name", "in", list(names.values())),
                ]
            )
        )
        return {
            attachment.res_id: attachment
            for attachment in attachments
            if names.get(attachment.res_id) == attachment.name
        }

    @api.model
    def _latest_per_customer(self, communications):
        """Of several messages, the latest one of each customer and company."""
        latest = {}
        for comm in communications.sorted(lambda comm: (comm.date, comm.id)):
            latest[(comm.company_id.id, comm.partner_id.id)] = comm
        return self.browse([comm.id for comm in latest.values()])

    # ------------------------------------------------------------------
    # the letter's content
    # ------------------------------------------------------------------

    def _letter_lang(self):
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for lang in (
            self.contact_id.lang,
            self.partner_id.lang,
            self.company_id.partner_id.lang,
        ):
            if lang in installed:
                return lang
        return "en_US"

    def _letter_values(self):
        """Everything the letter prints, in the customer's language."""
        self.ensure_one()
        lang = self._letter_lang()
        return self.with_context(lang=lang)._letter_content(lang)

    def _letter_content(self, lang):
        env = self.env
        step = self.step_id
        logs = self.log_ids.sorted(
            lambda log: (log.move_id.invoice_date_due or date.min, log.move_id.name)
        )
        if self.action == "handover":
            main = logs.filtered(lambda log: log.action == "handover")
            others = logs - main
        elif self.action == "pre_collection":
            # invoices not yet overdue got no notice: listed apart
            others = logs.filtered(
                lambda log: log.action == "reminder"
                and log.step_id.action == "pre_collection"
            )
            main = logs - others
        else:
            main, others = logs, logs.browse()

        def money(amount, currency):
            return format_amount(env, amount, currency, lang_code=lang)

        def day(value):
            return format_date(env, value, lang_code=lang) if value else ""

        online = self._online_payment_enabled()
        totals = self._letter_totals(main)
        total_text = " + ".join(
            money(total["total"], total["currency"]) for total in totals
        )
        placeholders = {
            "customer": self.partner_id.name,
            "contact": self.contact_id.name or self.partner_id.name,
            "company": self.company_id.name,
            "date": day(self.date),
            "total_due": total_text,
            "agency": self.policy_id.agency_id.name or "",
        }
        body = letter_rules.fill_placeholders(
            step._letter_body(self.action) if step else "", placeholders
        )
        return {
            "lang": lang,
            "title": step._letter_title(self.action) if step else "",
            "body": body,
            "date": day(self.date),
            "customer_ref": self.partner_id.ref or "",
            "rows": [self._letter_row(log, money, day, online) for log in main],
            "others": [self._letter_row(log, money, day, online) for log in others],
            "others_title": self._letter_others_title(),
            "totals": [
                {
                    key: money(value, total["currency"]) if value else ""
                    for key, value in total.items()
                    if key != "currency"
                }
                for total in totals
            ],
            "statements": self._letter_statements(main, money, day),
            "payment": self._letter_payment(main | others, online),
            "company": self.company_id.name,
        }

    def _letter_row(self, log, money, day, online):
        move = log.move_id
        return {
            "number": move.name,
            "invoice_date": day(move.invoice_date),
            "due_date": day(move.invoice_date_due),
            "days_overdue": max((self.date - move.invoice_date_due).days, 0)
            if move.invoice_date_due
            else 0,
            "amount_total": money(move.amount_total, move.currency_id),
            "amount_open": money(log.amount_residual, log.currency_id),
            "reference": move.payment_reference or move.name,
            "portal_url": log.portal_url if online else "",
        }

    def _letter_others_title(self):
        if self.action == "handover":
            return _(
                "The following invoices are also overdue but not handed over; "
                "please pay them to us directly:"
            )
        if self.action == "pre_collection":
            return _(
                "The following invoices are not yet overdue; please pay them "
                "by their due date. This notice does not concern them:"
            )
        return ""

    @api.model
    def _letter_totals(self, logs):
        """Principal, interest, costs owed and total per currency."""
        totals = {}
        for log in logs:
            total = totals.setdefault(
                log.currency_id,
                {
                    "currency": log.currency_id,
                    "principal": 0.0,
                    "interest": 0.0,
                    "costs": 0.0,
                },
            )
            total["principal"] += log.principal_amount or log.amount_residual
            total["interest"] += log.interest_amount
            owed = log.costs_deadline and log.costs_deadline <= log.date
            if owed:
                total["costs"] += log.costs_amount
        for total in totals.values():
            total["total"] = total["principal"] + total["interest"] + total["costs"]
        return list(totals.values())

    def _letter_statements(self, logs, money, day):
        """The legal paragraphs: the fourteen-day term and the costs, the
        repeated deadline, the VAT statement and the interest."""
        statements = []
        groups = defaultdict(lambda: logs.browse())
        for log in logs.filtered("costs_deadline"):
            groups[(log.costs_notice_id, log.costs_deadline)] |= log
        for (notice, deadline), group in sorted(
            groups.items(), key=lambda item: item[0][1]
        ):
            currency = group.currency_id[:1]
            costs = sum(group.mapped("costs_amount"))
            new_notice = notice == self
            kind = letter_rules.costs_statement(new_notice, deadline, self.date, costs)
            concerning = ""
            if group != logs:
                concerning = _("Invoices %s: ", ", ".join(group.move_id.mapped("name")))
            params = {
                "costs": money(costs, currency),
                "deadline": day(deadline),
                "last_day": day(deadline - timedelta(days=1)),
                "notice_date": day(notice.date),
                "total": money(
                    sum(log.principal_amount or log.amount_residual for log in group)
                    + sum(group.mapped("interest_amount")),
                    currency,
                ),
            }
            if kind == "notice":
                text = _(
                    "We ask you to pay the total of %(total)s within fourteen "
                    "days from the day after this letter was delivered to you.",
                    **params,
                )
                if costs:
                    text += " " + _(
                        "If you have not paid within this term, you will also "
                        "owe extrajudicial collection costs of %(costs)s, "
                        "calculated on the statutory scale (Besluit vergoeding "
                        "voor buitengerechtelijke incassokosten).",
                        **params,
                    )
                    if self.costs_vat_rate:
                        vat = "%g" % self.costs_vat_rate  # noqa: UP031
                        text += " " + _(
                            "These costs include %(vat)s%% VAT, because we "
                            "cannot reclaim VAT.",
                            vat=vat,
                        )
            elif kind == "pending":
                text = _(
                    "In our letter of %(notice_date)s we asked you to pay within "
                    "fourteen days from the day after it was delivered to you. "
                    "That term ends on %(last_day)s. If you have not paid by "
                    "then, you will owe collection costs of %(costs)s from "
                    "%(deadline)s.",
                    **params,
                )
            elif kind == "owed" and notice:
                text = _(
                    "The term of our letter of %(notice_date)s ended on "
                    "%(last_day)s without payment. The collection costs of "
                    "%(costs)s are therefore owed and included in the total due.",
                    **params,
                )
            elif kind == "owed":
                text = _(
                    "As the payment term has passed, collection costs of "
                    "%(costs)s are owed (article 6:96 of the Dutch Civil Code) "
                    "and included in the total due.",
                    **params,
                )
            else:
                continue
            statements.append(concerning + text)
        interest = sum(logs.mapped("interest_amount"))
        if interest:
            amount = money(interest, logs.currency_id[:1])
            if self.debtor_type == "business":
                text = _(
                    "Commercial interest (article 6:119a of the Dutch Civil Code) "
                    "runs from the day after each due date: %s up to the date of "
                    "this letter. It continues to run until you have paid.",
                    amount,
                )
            else:
                text = _(
                    "Statutory interest (article 6:119 of the Dutch Civil Code) "
                    "runs from the day after each due date: %s up to the date of "
                    "this letter. It continues to run until you have paid.",
                    amount,
                )
            statements.append(text)
        return statements

    def _letter_payment(self, logs, online):
        """How to pay: the bank account and references, and the online
        payment links when online payment is set up."""
        if self.action == "handover" and not logs.filtered(
            lambda log: log.action != "handover"
        ):
            return None
        bank = self.partner_bank_id
        if not bank:
            return None
        account = bank.acc_number
        if bank.bank_id:
            bic = f", BIC {bank.bank_id.bic}" if bank.bank_id.bic else ""
            account += f" ({bank.bank_id.name}{bic})"
        return {
            "text": _(
                "Please transfer the amount due to account %(account)s in the "
                "name of %(holder)s, stating the payment reference of each "
                "invoice.",
                account=account,
                holder=bank.acc_holder_name or bank.partner_id.name,
            ),
            "online": online,
        }

    def _online_payment_enabled(self):
        """Whether the company takes online payments (payment providers)."""
        if "payment.provider" not in self.env:
            return False
        return bool(
            self.env["payment.provider"]
            .sudo()
            .search_count(
                [
                    ("state", "in", ("enabled", "test")),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )
