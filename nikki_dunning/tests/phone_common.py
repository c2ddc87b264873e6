"""Helpers of the phone follow-up tests."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class PhoneCase(DunningCase):
    """The standard policy with phone follow-ups on, a salesperson, a
    default caller and an accountant in the test company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.phone = cls.env["nikki.dunning.channel.phone"]
        cls.Call = cls.env["nikki.dunning.call"]
        in_company = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.salesperson = new_test_user(
            cls.env,
            login="phone_sam",
            name="Sam Sales",
            groups="sales_team.group_sale_salesman",
            **in_company,
        )
        cls.other_salesperson = new_test_user(
            cls.env,
            login="phone_olga",
            name="Olga Other",
            groups="sales_team.group_sale_salesman",
            **in_company,
        )
        cls.default_caller = new_test_user(
            cls.env,
            login="phone_dana",
            name="Dana Default",
            groups="sales_team.group_sale_salesman",
            **in_company,
        )
        cls.accountant = new_test_user(
            cls.env,
            login="phone_alex",
            name="Alex Accountant",
            groups="account.group_account_invoice",
            **in_company,
        )
        cls.policy.write(
            {"phone_followup": True, "phone_user_id": cls.default_caller.id}
        )
        cls.jansen.write({"phone": "+31 20 555 0101", "mobile": "+31 6 5555 0102"})
        cls.de_vries.phone = "+31 30 555 0303"

    @classmethod
    def make_called_invoice(cls, partner, amount=100.0, salesperson=None, **kwargs):
        """An invoice whose salesperson is ``salesperson`` (default: the
        test salesperson; False for none)."""
        move = cls.make_invoice(partner, amount, **kwargs)
        move.invoice_user_id = cls.salesperson if salesperson is None else salesperson
        return move

    # ------------------------------------------------------------------
    # running the days
    # ------------------------------------------------------------------

    def calls_on(self, day, company=None):
        """The phone follow-up cron as it runs on ``day``."""
        company = company or self.company
        with freeze_time(day):
            return self.phone._cron_schedule_calls(company_ids=company.ids)

    def day(self, day):
        """A night: the dunning run, then the phone follow-up cron."""
        self.run_on(day)
        return self.calls_on(day)

    def days(self, first, last):
        current = first
        while current <= last:
            self.day(current)
            current += timedelta(days=1)

    def work_calls(self, first, last, partner, outcome="not_reached"):
        """Run the nights from ``first`` to ``last``; the caller makes each
        call of ``partner`` the day it is planned."""
        current = first
        while current <= last:
            self.day(current)
            call = self.open_call(partner)
            if call and call.date_due == current:
                self.record(call, outcome, current)
            current += timedelta(days=1)

    # ------------------------------------------------------------------
    # calls
    # ------------------------------------------------------------------

    def calls(self, partner=None, state=None):
        domain = [("company_id", "=", self.company.id)]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        if state:
            domain.append(("state", "=", state))
        return self.Call.search(domain, order="date_due, id")

    def open_call(self, partner):
        call = self.calls(partner, "open")
        self.assertLessEqual(len(call), 1, "never two open calls for a customer")
        return call

    def record(self, call, outcome, day, user=None, **values):
        """Record the outcome of ``call`` on ``day`` through the form, as
        ``user`` (default: the caller)."""
        user = user or call.user_id
        with freeze_time(day):
            wizard = (
                self.env["nikki.dunning.call.outcome"]
                .with_user(user)
                .create({"call_id": call.id, "outcome": outcome, **values})
            )
            return wizard.action_confirm()

    def call_logs(self, moves, action=None):
        domain = [("move_id", "in", moves.ids), ("action", "like", "call_")]
        if action:
            domain = [("move_id", "in", moves.ids), ("action", "=", action)]
        return self.env["nikki.dunning.log"].search(domain, order="id")

    def partner_notes(self, partner, text):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("body", "ilike", text),
            ]
        )
