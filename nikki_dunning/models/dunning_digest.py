"""Monthly digest email to the dunning managers of each company.

Sent by the scheduled action "Dunning: monthly digest" (off by default; the
Dunning settings switch it on). Each company's managers get one email per
month about the month just ended; the company remembers the month it last
reported, so a second run in the same month sends nothing.
"""

import logging
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.tools.misc import format_amount, format_date

from ..services import report_figures

_logger = logging.getLogger(__name__)

# customers listed in the digest's "most often handed over"
TOP_CUSTOMERS = 5
# ... over the last TOP_CUSTOMERS_DAYS days
TOP_CUSTOMERS_DAYS = 365


class NikkiDunningDigest(models.AbstractModel):
    _name = "nikki.dunning.digest"
    _description = "Dunning Monthly Digest"

    @api.model
    def _cron_send(self):
        """Queue this month's digest for every company that has not had it."""
        today = fields.Date.context_today(self)
        period_start, _period_end = report_figures.previous_month(today)
        companies = self.env["res.company"].sudo().search([])
        sent = self.env["mail.mail"]
        for company in companies:
            if (
                company.dunning_digest_month
                and company.dunning_digest_month >= period_start
            ):
                continue
            managers = self._recipients(company)
            if not managers:
                _logger.info(
                    "Dunning digest: company %s has no dunning manager with an "
                    "email address",
                    company.id,
                )
                continue
            sent |= self._queue(company, managers, today)
            company.dunning_digest_month = period_start
        return sent

    @api.model
    def _recipients(self, company):
        """Active internal dunning managers of ``company`` with an email."""
        group = self.env.ref("nikki_dunning.group_dunning_manager")
        return (
            group.sudo()
            .users.filtered(
                lambda user: user.active
                and not user.share
                and user.email
                and company in user.company_ids
            )
            .sorted("id")
        )

    @api.model
    def _queue(self, company, managers, today):
        """One email per language of the managers, in their language. The
        figures are read once; only their formatting depends on the language."""
        mails = self.env["mail.mail"].sudo()
        data = self._data(company, today)
        for lang, users in managers.grouped(lambda user: user.lang or "en_US").items():
            digest = self.with_context(lang=lang)
            values = digest._values(company, today, data)
            body = digest.env["ir.qweb"]._render(
                "nikki_dunning.dunning_digest_email", values
            )
            mails |= mails.create(
                {
                    "subject": digest.env._(
                        "Dunning digest %(company)s: %(month)s",
                        company=company.name,
                        month=values["period_label"],
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted
                    or company.partner_id.email_formatted
                    or False,
                    "recipient_ids": [Command.set(users.partner_id.ids)],
                    "auto_delete": True,
                }
            )
        return mails

    @api.model
    def _data(self, company, today):
        """The raw figures of the digest of ``company``, in any language:
        headline figures today (recovered: in the month just ended), the
        month just ended per step, and the customers most often handed over.
        Aggregates only, read as superuser."""
        Report = self.env["nikki.dunning.report"].sudo()
        period_start, period_end = report_figures.previous_month(today)
        figures = self.env["nikki.dunning.dashboard"]._figures(
            company, today, recovered_period=(period_start, period_end)
        )[company.id]
        step_rows = Report._read_group(
            [
                ("company_id", "=", company.id),
                ("date", ">=", period_start),
                ("date", "<=", period_end),
            ],
            ["day_offset", "action"],
            [
                "__count",
                "amount:sum",
                "paid_within_7:sum",
                "paid:sum",
                "amount_paid:sum",
            ],
            order="day_offset, action",
        )
        customers = Report._read_group(
            [
                ("company_id", "=", company.id),
                ("action", "=", "handover"),
                ("date", ">", today - timedelta(days=TOP_CUSTOMERS_DAYS)),
            ],
            ["partner_id"],
            ["__count", "amount:sum"],
            order="__count desc, amount:sum desc",
            limit=TOP_CUSTOMERS,
        )
        return {
            "period_start": period_start,
            "figures": figures,
            "step_rows": step_rows,
            "customers": customers,
        }

    @api.model
    def _values(self, company, today, data=None):
        """What the digest of ``company`` says, formatted in the context's
        language; ``data`` is what :meth:`_data` read (read now if not
        given)."""
        if data is None:
            data = self._data(company, today)
        env = self.env
        currency = company.currency_id
        figures = data["figures"]

        def money(amount):
            return format_amount(env, amount or 0.0, currency)

        def percent(part, whole):
            value = report_figures.ratio(part, whole)
            return "-" if value is None else f"{value:.1f}%"

        actions = dict(
            env["nikki.dunning.report"]._fields["action"]._description_selection(env)
        )
        action = env.ref("nikki_dunning.action_dunning_dashboard")
        return {
            "company": company,
            "period_label": format_date(
                env, data["period_start"], date_format="MMMM y"
            ),
            "headline": [
                (
                    env._("Open overdue"),
                    money(figures["open_overdue_amount"]),
                    figures["open_overdue_count"],
                ),
                (
                    env._("In dunning"),
                    money(figures["in_dunning_amount"]),
                    figures["in_dunning_count"],
                ),
                (
                    env._("With the agency"),
                    money(figures["handed_over_amount"]),
                    figures["handed_over_count"],
                ),
                (
                    env._("Recovered last month"),
                    money(figures["recovered_month_amount"]),
                    figures["recovered_month_count"],
                ),
            ],
            "dso": "-" if figures["dso"] is None else f"{figures['dso']:.1f}",
            "steps": [
                {
                    "day": day,
                    "action": actions.get(step_action, step_action),
                    "count": count,
                    "amount": money(amount),
                    "paid_7": percent(paid_7, count),
                    "paid": percent(paid, count),
                    "amount_paid": money(amount_paid),
                }
                for day, step_action, count, amount, paid_7, paid, amount_paid in (
                    data["step_rows"]
                )
            ],
            "customers": [
                {
                    "name": partner.with_context(lang=env.lang).display_name,
                    "count": count,
                    "amount": money(amount),
                }
                for partner, count, amount in data["customers"]
            ],
            "url": f"{company.get_base_url()}/web#action={action.id}",
        }
