"""A euro company for the letter tests: the statutory scale is in euro."""

import csv
import io
from datetime import timedelta

from odoo.tests import tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class LetterCase(DunningCase):
    @classmethod
    def setup_independent_company(cls, **kwargs):
        euro = cls._enable_currency("EUR")
        return super().setup_independent_company(currency_id=euro.id, **kwargs)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank_account = cls.company.partner_id.bank_ids
        cls.scale = cls.env.ref("nikki_dunning.cost_scale_nl_2012")

    def use_notice_first(self, policy=None):
        """Day 0 sends the formal pre-collection notice."""
        policy = policy or self.policy
        policy._first_step()._set_notice_action("pre_collection")
        return policy

    def communication(self, moves, day):
        return (
            self.step_logs(moves)
            .filtered(lambda log: log.date == day)[:1]
            .communication_id
        )

    def log_on(self, move, day):
        return self.step_logs(move).filtered(lambda log: log.date == day)

    def case_rows(self):
        attachment = self.agency_mails()[-1:].attachment_ids
        return list(csv.DictReader(io.StringIO(attachment.raw.decode())))

    def day(self, offset):
        return DAY0 + timedelta(days=offset)
