from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DAY0
from .phone_common import PhoneCase


@tagged("post_install", "-at_install")
class TestCallOutcomes(PhoneCase):
    """What the caller records, and how the workflow reacts."""

    def setUp(self):
        super().setUp()
        self.first = self.make_called_invoice(
            self.jansen, 300.0, due=DAY0 - timedelta(days=10)
        )
        self.second = self.make_called_invoice(self.jansen, 75.0)
        self.invoices = self.first | self.second
        self.submit_on(DAY0, self.invoices)
        self.calls_on(DAY0)
        self.call = self.open_call(self.jansen)
        self.activity = self.call.activity_id
        self.assertEqual(self.call.user_id, self.salesperson)

    def assertCallDone(self, outcome, log_action, text):
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.call.outcome, outcome)
        self.assertEqual(self.call.date_done, DAY0)
        self.assertFalse(self.activity.exists(), "the activity is marked done")
        logs = self.call_logs(self.invoices, log_action)
        self.assertEqual(logs.move_id, self.invoices, "in each invoice's history")
        self.assertEqual(logs.user_id, self.salesperson)
        for log in logs:
            self.assertIn(text, log.note)
        # chatter: the customer's (activity done) and the invoices'
        done = self.partner_notes(self.jansen, text)
        self.assertTrue(done.filtered(lambda m: m.mail_activity_type_id))
        for invoice in self.invoices:
            self.assertTrue(
                invoice.message_ids.filtered(lambda m, t=text: t in str(m.body))
            )

    def test_reached(self):
        self.record(self.call, "reached", DAY0, note="Will check with finance")
        self.assertCallDone("reached", "call_reached", "Will check with finance")
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"active"})
        self.assertEqual(self.call.note, "Will check with finance")

    def test_not_reached(self):
        self.record(self.call, "not_reached", DAY0, note="Voicemail")
        self.assertCallDone("not_reached", "call_not_reached", "Voicemail")
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"active"})

    def test_promise_holds_the_invoices_then_the_workflow_resumes(self):
        promised = DAY0 + timedelta(days=8)  # Tuesday 10th
        self.record(
            self.call, "promise", DAY0, promise_date=promised, note="Pays next week"
        )
        self.assertCallDone("promise", "call_promise", "Pays next week")
        self.assertEqual(self.call.promise_date, promised)
        for invoice in self.invoices:
            self.assertEqual(invoice.dunning_state, "on_hold")
            self.assertEqual(invoice.dunning_hold_until, promised + timedelta(days=1))
            self.assertIn("Promised to pay", invoice.dunning_hold_reason)
        self.assertEqual(len(self.call_logs(self.invoices, "hold")), 2)

        # no second reminder (due on day 7) and no calls while the promise runs
        self.days(DAY0 + timedelta(days=1), promised + timedelta(days=1))
        self.assertEqual(len(self.dunning_mails(self.jansen_billing)), 1)
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"on_hold"})
        self.assertEqual(self.calls(self.jansen), self.call)

        # the grace day is over and nothing was paid: reminder and call
        self.day(promised + timedelta(days=2))
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"active"})
        self.assertEqual(len(self.call_logs(self.invoices, "resume")), 2)
        self.assertEqual(len(self.dunning_mails(self.jansen_billing)), 2)
        self.assertEqual(
            self.open_call(self.jansen).date_due, promised + timedelta(days=2)
        )

    def test_promise_kept_ends_the_workflow(self):
        promised = DAY0 + timedelta(days=4)
        self.record(self.call, "promise", DAY0, promise_date=promised)
        self.pay(self.invoices, on=promised)
        self.days(promised, promised + timedelta(days=10))
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"done"})
        self.assertEqual(len(self.dunning_mails(self.jansen_billing)), 1)
        self.assertEqual(self.calls(self.jansen), self.call, "no call after payment")

    def test_dispute_holds_the_invoice_and_tells_the_accountant(self):
        self.policy.phone_dispute_user_id = self.accountant
        line = self.call.line_ids.filtered(lambda line: line.name == self.second.name)
        self.record(
            self.call,
            "dispute",
            DAY0,
            disputed_line_ids=[line.id],
            note="Goods arrived damaged",
        )
        self.assertCallDone("dispute", "call_dispute", self.second.name)
        self.assertEqual(self.second.dunning_state, "on_hold")
        self.assertIn("Goods arrived damaged", self.second.dunning_hold_reason)
        self.assertFalse(self.second.dunning_hold_until, "until resolved")
        self.assertEqual(self.first.dunning_state, "active", "not disputed")
        todo = self.second.activity_ids
        self.assertEqual(todo.user_id, self.accountant)
        self.assertEqual(
            todo.activity_type_id, self.env.ref("mail.mail_activity_data_todo")
        )
        self.assertIn("Goods arrived damaged", str(todo.note))
        self.assertIn("Sam Sales", str(todo.note))
        self.assertFalse(self.first.activity_ids)
        # the accountant is notified by email, the customer is not
        mail = self.env["mail.mail"].search(
            [("model", "=", "account.move"), ("res_id", "=", self.second.id)]
        )
        self.assertEqual(mail.recipient_ids, self.accountant.partner_id)

    def test_dispute_goes_to_the_invoice_creator_without_a_handler(self):
        self.assertFalse(self.policy.phone_dispute_user_id)
        self.record(
            self.call,
            "dispute",
            DAY0,
            disputed_line_ids=self.call.line_ids.ids,
            note="Never ordered",
        )
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"on_hold"})
        creator = self.first.create_uid
        self.assertTrue(creator.has_group("account.group_account_invoice"))
        self.assertEqual(self.invoices.activity_ids.user_id, creator)
        self.assertEqual(len(self.invoices.activity_ids), 2)

    def test_payment_plan_tells_the_accountant(self):
        self.policy.phone_dispute_user_id = self.accountant
        self.record(self.call, "payment_plan", DAY0, note="Three instalments")
        self.assertCallDone("payment_plan", "call_payment_plan", "Three instalments")
        todo = self.first.activity_ids
        self.assertEqual(todo.user_id, self.accountant, "on the oldest invoice")
        self.assertIn("375.00", str(todo.note))
        self.assertFalse(self.second.activity_ids)
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"active"})

    def test_bad_input_is_refused_and_changes_nothing(self):
        cases = [
            ("promise", {}, "promised to pay"),
            (
                "promise",
                {"promise_date": DAY0 - timedelta(days=1)},
                "in the past",
            ),
            (
                "promise",
                {"promise_date": DAY0 + timedelta(days=365)},
                "payment plan",
            ),
            ("dispute", {"disputed_line_ids": [(6, 0, [])]}, "Tick the invoices"),
        ]
        for outcome, values, message in cases:
            with self.subTest(outcome=outcome, values=values):
                with self.assertRaisesRegex(UserError, message):
                    self.record(self.call, outcome, DAY0, **values)
        self.assertEqual(self.call.state, "open")
        self.assertTrue(self.activity.exists())
        self.assertFalse(self.call_logs(self.invoices))
        self.assertEqual(set(self.invoices.mapped("dunning_state")), {"active"})
        # a line of another customer's call cannot be disputed through this one
        other = self.make_called_invoice(self.de_vries)
        self.submit_on(DAY0, other)
        self.calls_on(DAY0)
        stranger = self.open_call(self.de_vries).line_ids
        with self.assertRaisesRegex(UserError, "Only invoices of this call"):
            self.record(self.call, "dispute", DAY0, disputed_line_ids=stranger.ids)
        self.assertEqual(other.dunning_state, "active")
        # a call is recorded once
        self.record(self.call, "reached", DAY0)
        with self.assertRaisesRegex(UserError, "no longer open"):
            self.record(self.call, "not_reached", DAY0)
        with self.assertRaisesRegex(UserError, "no longer open"):
            self.call.action_record_outcome()
        self.assertEqual(len(self.call_logs(self.invoices)), 2)

    def test_the_form_offers_the_single_invoice_for_a_dispute(self):
        self.pay(self.first, on=DAY0)
        self.env.cr.flush()
        action = self.call.with_user(self.salesperson).action_record_outcome()
        wizard_model = self.env[action["res_model"]].with_user(self.salesperson)
        form = Form(wizard_model.with_context(**action["context"]))
        self.assertEqual(form.partner_id, self.jansen)
        self.assertEqual(form.amount_due, 75.0)
        form.outcome = "dispute"
        form.note = "Wrong price"
        self.assertEqual(len(form.disputed_line_ids), 1)
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual(self.second.dunning_state, "on_hold")

    # ------------------------------------------------------------------
    # the activity handled from the chatter or the activity list
    # ------------------------------------------------------------------

    def test_activity_marked_done_directly_closes_the_call(self):
        self.activity.with_user(self.salesperson).action_feedback(
            feedback="Spoke to the owner"
        )
        self.assertEqual(self.call.state, "done")
        self.assertEqual(self.call.outcome, "done")
        logs = self.call_logs(self.invoices, "call_done")
        self.assertEqual(logs.move_id, self.invoices)
        self.assertIn("Spoke to the owner", logs[0].note)
        self.assertFalse(self.activity.exists())

    def test_activity_cancelled_cancels_the_call(self):
        self.activity.with_user(self.salesperson).action_cancel()
        self.assertEqual(self.call.state, "cancelled")
        self.assertIn("activity was cancelled", self.call.cancel_reason)
        # the next one comes three days after the cancelled one was due
        self.days(DAY0 + timedelta(days=1), DAY0 + timedelta(days=2))
        self.assertFalse(self.open_call(self.jansen))
        self.day(DAY0 + timedelta(days=3))
        self.assertEqual(self.open_call(self.jansen).date_due, DAY0 + timedelta(days=3))

    def test_activity_reassigned_or_moved_the_call_follows(self):
        self.activity.write(
            {"user_id": self.other_salesperson.id, "date_deadline": DAY0 + timedelta(1)}
        )
        self.assertEqual(self.call.user_id, self.other_salesperson)
        self.assertEqual(self.call.date_due, DAY0 + timedelta(days=1))
        self.record(self.call, "reached", DAY0 + timedelta(days=1))
        self.assertEqual(self.call.state, "done")
