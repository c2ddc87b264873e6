"""Helpers the dunning tests (and other addons' tests) build on."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

DAY0 = date(2026, 3, 2)  # a Monday


@tagged("post_install", "-at_install")
class DunningCase(AccountTestInvoicingCommon):
    """A company with the NIKKI standard policy and a few customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.engine = cls.env["nikki.dunning.engine"]
        cls.policy = cls.env.ref("nikki_dunning.policy_nikki_standard")
        cls.agency = cls.env.ref("nikki_dunning.partner_collectmasters")
        cls.company = cls.company_data["company"]
        cls.company.dunning_policy_id = cls.policy
        cls.company.email = "billing@company.example.com"
        Partner = cls.env["res.partner"]
        cls.jansen = Partner.create(
            {
                "name": "Jansen BV",
                "is_company": True,
                "email": "info@jansen.example.com",
                "lang": "en_US",
            }
        )
        cls.jansen_billing = Partner.create(
            {
                "name": "Jansen Accounts",
                "parent_id": cls.jansen.id,
                "type": "invoice",
                "email": "accounts@jansen.example.com",
            }
        )
        cls.de_vries = Partner.create(
            {"name": "Anna de Vries", "email": "anna@devries.example.com"}
        )
        cls.no_email = Partner.create({"name": "Piet Zonder Mail"})

    @classmethod
    def _create_company(cls, **create_values):
        """Every test company has a bank account: dunning letters must say
        where to pay, and are not sent without one."""
        company = super()._create_company(**create_values)
        cls.env["res.partner.bank"].create(
            {"acc_number": "NL91ABNA0417164300", "partner_id": company.partner_id.id}
        )
        return company

    # ------------------------------------------------------------------
    # building data
    # ------------------------------------------------------------------

    @classmethod
    def make_invoice(
        cls, partner, amount=100.0, due=None, invoice_date=None, post=True, company=None
    ):
        """A customer invoice of ``amount`` (no tax) due on ``due``."""
        due = due or DAY0 - timedelta(days=1)
        invoice_date = invoice_date or due - timedelta(days=14)
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": invoice_date,
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Membership fee",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, moves, amount=None, on=None):
        """Register a payment (full, or ``amount``) on ``moves``."""
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create({"payment_date": on or DAY0})
        )
        if amount is not None:
            wizard.amount = amount
        return wizard._create_payments()

    # ------------------------------------------------------------------
    # running the workflow
    # ------------------------------------------------------------------

    def run_on(self, day, company=None):
        """The nightly job as it runs on ``day`` (company restricted)."""
        company = company or self.company
        with freeze_time(day):
            return self.engine._cron_run(company_ids=company.ids)

    def submit_on(self, day, moves):
        with freeze_time(day):
            return moves.action_dunning_submit()

    # ------------------------------------------------------------------
    # what the customer got
    # ------------------------------------------------------------------

    def dunning_mails(self, partner=None):
        """Queued dunning emails (to ``partner`` when given), oldest first."""
        domain = [("model", "=", "nikki.dunning.communication")]
        if partner:
            domain.append(("recipient_ids", "in", partner.ids))
        return self.env["mail.mail"].sudo().search(domain, order="id")

    def agency_mails(self):
        """Queued emails with case files to agencies, oldest first."""
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "nikki.collection.exchange")], order="id")
        )

    def step_logs(self, moves):
        return self.env["nikki.dunning.log"].search(
            [
                ("move_id", "in", moves.ids),
                ("action", "in", ("reminder", "pre_collection", "handover")),
            ],
            order="date, id",
        )
