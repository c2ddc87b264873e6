from datetime import timedelta

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import DAY0, DunningCase


@tagged("post_install", "-at_install")
class TestPolicy(DunningCase):
    def new_policy(self, steps, agency=True, name="Members"):
        return self.env["nikki.dunning.policy"].create(
            {
                "name": name,
                "company_id": self.company.id,
                "agency_id": self.agency.id if agency else False,
                "step_ids": [
                    Command.create(
                        {"name": f"Day {day}", "day_offset": day, "action": action}
                    )
                    for day, action in steps
                ],
            }
        )

    def assertInvalid(self, message, steps, agency=True):
        with self.assertRaises(ValidationError) as caught:
            self.new_policy(steps, agency)
        self.assertIn(message, str(caught.exception))

    def test_invalid_policies_are_refused_with_a_clear_message(self):
        self.assertInvalid("needs at least one step", [])
        self.assertInvalid("cannot be negative (-2)", [(-2, "reminder")])
        self.assertInvalid(
            "Two steps are planned on day 7", [(7, "reminder"), (7, "reminder")]
        )
        self.assertInvalid(
            "hands invoices over but has no collection agency",
            [(0, "reminder"), (15, "handover")],
            agency=False,
        )
        self.assertInvalid(
            "must be the last step",
            [(0, "reminder"), (15, "handover"), (20, "reminder")],
        )

    def test_editing_a_policy_is_validated_too(self):
        policy = self.new_policy([(0, "reminder"), (14, "handover")])
        with self.assertRaises(ValidationError):
            policy.step_ids.filtered(lambda s: s.day_offset == 0).day_offset = 14
        with self.assertRaises(ValidationError):
            policy.step_ids.unlink()
        with self.assertRaises(ValidationError):
            policy.agency_id = False
        # the form: add a step after the hand-over
        with self.assertRaises(ValidationError), Form(policy) as form:
            with form.step_ids.new() as step:
                step.name = "Too late"
                step.day_offset = 30
                step.action = "reminder"

    def test_customer_policy_overrides_the_company_default(self):
        policy = self.new_policy([(0, "pre_collection"), (10, "handover")])
        policy.step_ids.filtered(
            lambda s: s.day_offset == 0
        ).mail_template_id = self.env.ref(
            "nikki_dunning.mail_template_dunning_pre_collection"
        )
        self.de_vries.dunning_policy_id = policy
        invoice = self.make_invoice(self.de_vries)
        other = self.make_invoice(self.jansen)
        self.submit_on(DAY0, invoice | other)
        self.assertEqual(invoice.dunning_policy_id, policy)
        self.assertEqual(other.dunning_policy_id, self.policy)
        self.assertIn("formal notice", self.dunning_mails(self.de_vries).subject)
        self.assertIn(
            "fourteen days from the day after",
            self.dunning_mails(self.de_vries).body_html,
        )
        self.run_on(DAY0 + timedelta(days=10))
        self.assertEqual(invoice.dunning_state, "handed_over")
        self.assertEqual(other.dunning_state, "active")

    def test_child_contact_uses_the_customer_policy(self):
        policy = self.new_policy([(0, "reminder"), (3, "handover")])
        self.jansen.dunning_policy_id = policy
        invoice = self.make_invoice(self.jansen_billing)
        self.submit_on(DAY0, invoice)
        self.assertEqual(invoice.dunning_policy_id, policy)

    def test_editing_steps_moves_the_next_date_of_running_invoices(self):
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=7))
        second = self.policy.step_ids.filtered(lambda s: s.day_offset == 7)
        second.day_offset = 9
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=9))
        self.run_on(DAY0 + timedelta(days=8))
        self.assertEqual(len(self.dunning_mails()), 1)
        self.run_on(DAY0 + timedelta(days=9))
        self.assertEqual(len(self.dunning_mails()), 2)

    def test_the_standard_policy_applies_without_a_company_policy(self):
        self.company.dunning_policy_id = False
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.assertEqual(invoice.dunning_policy_id, self.policy)

    def test_steps_without_template_send_nothing_but_are_recorded(self):
        policy = self.new_policy([(0, "reminder"), (5, "handover")])
        self.de_vries.dunning_policy_id = policy
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.assertFalse(self.dunning_mails())
        self.assertEqual(self.step_logs(invoice).communication_id.state, "none")
        self.assertEqual(invoice.dunning_next_date, DAY0 + timedelta(days=5))

    def test_copy(self):
        copy = self.policy.copy()
        self.assertEqual(copy.name, "NIKKI Standard (copy)")
        self.assertEqual(copy.step_ids.mapped("day_offset"), [0, 7, 15])

    def test_first_notice_setting_switches_the_day0_step(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dunning_first_notice, "reminder")
        settings.dunning_first_notice = "pre_collection"
        settings.execute()
        # the shared standard policy is copied for the company, not changed
        own = self.company.dunning_policy_id
        self.assertNotEqual(own, self.policy)
        self.assertEqual(own.company_id, self.company)
        self.assertEqual(
            self.policy.step_ids.sorted("day_offset")[0].action, "reminder"
        )
        first = own.step_ids.sorted("day_offset")[0]
        self.assertEqual(first.action, "pre_collection")
        self.assertEqual(
            first.mail_template_id,
            self.env.ref("nikki_dunning.mail_template_dunning_pre_collection"),
        )
        invoice = self.make_invoice(self.de_vries)
        self.submit_on(DAY0, invoice)
        self.assertIn("formal notice", self.dunning_mails().subject)
        self.assertEqual(self.step_logs(invoice).action, "pre_collection")
        # the full path still runs: Day 7 reminder, Day 15 hand-over
        self.run_on(DAY0 + timedelta(days=7))
        self.run_on(DAY0 + timedelta(days=15))
        self.assertEqual(
            self.step_logs(invoice).mapped("action"),
            ["pre_collection", "reminder", "handover"],
        )

        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.dunning_first_notice, "pre_collection")
        settings.dunning_first_notice = "reminder"
        settings.execute()
        self.assertEqual(self.company.dunning_policy_id, own, "no second copy")
        self.assertEqual(first.action, "reminder")
        self.assertEqual(
            first.mail_template_id,
            self.env.ref("nikki_dunning.mail_template_dunning_reminder"),
        )

    def test_settings_edit_the_company_policy(self):
        settings = self.env["res.config.settings"].create({})
        settings.execute()
        self.assertEqual(
            self.company.dunning_policy_id, self.policy, "nothing changed, no copy"
        )
        settings = self.env["res.config.settings"].create({})
        settings.dunning_auto_enrol_days = 3
        settings.execute()
        own = self.company.dunning_policy_id
        self.assertEqual(own.company_id, self.company)
        self.assertEqual(own.auto_enrol_days, 3)
        self.assertEqual(own.step_ids.mapped("day_offset"), [0, 7, 15])
        self.assertEqual(self.policy.auto_enrol_days, 1, "the standard is untouched")
