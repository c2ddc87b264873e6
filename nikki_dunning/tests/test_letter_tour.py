from odoo.tests import HttpCase, new_test_user, tagged

from .common import DunningCase


@tagged("post_install", "-at_install")
class TestLetterTour(DunningCase, HttpCase):
    """A manager gives a policy step its own letter text."""

    def test_edit_a_step_letter(self):
        new_test_user(
            self.env,
            login="tour_manager",
            groups="base.group_user,account.group_account_manager",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self.start_tour(
            "/web#action=nikki_dunning.action_dunning_policy",
            "nikki_dunning_letter_tour",
            login="tour_manager",
        )
        step = self.policy._first_step()
        self.assertIn("Dear {contact},", step.letter_body)
        self.assertEqual(step.letter_title, "Payment reminder")
