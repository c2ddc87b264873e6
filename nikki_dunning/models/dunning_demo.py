from datetime import timedelta

from odoo import Command, api, fields, models


class NikkiDunningDemo(models.AbstractModel):
    """Demo data: invoices at every stage of the workflow.

    Called once from demo/dunning_demo.xml. The engine itself runs the past
    days (Day 0 three weeks ago, Day 7, ...) so the history, messages and
    cases are the real thing. Demo emails are marked sent: a demo database
    has no mail server.
    """

    _name = "nikki.dunning.demo"
    _description = "Dunning Demo Data"

    @api.model
    def _populate(self):
        today = fields.Date.context_today(self)
        ref = self.env.ref
        engine = self.env["nikki.dunning.engine"]
        days = lambda n: today - timedelta(days=n)  # noqa: E731

        def invoice(partner, amount, due, label="Membership fee 2026"):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": ref(partner).id,
                    "invoice_date": due - timedelta(days=14),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
            return move

        bakery = "nikki_dunning.demo_partner_bakkerij"
        jansen = "nikki_dunning.demo_partner_jansen"
        anna = "nikki_dunning.demo_partner_member_anna"
        piet = "nikki_dunning.demo_partner_member_piet"
        sanne = "nikki_dunning.demo_partner_member_sanne"
        acme = "nikki_dunning.demo_partner_acme"
        sponsor = "nikki_dunning.demo_partner_sponsor"

        handed_over = invoice(jansen, 1850.0, days(26), "Installation works")
        handed_over |= invoice(jansen, 420.0, days(24), "Maintenance contract")
        second = invoice(bakery, 365.0, days(12), "Catering order")
        second |= invoice(bakery, 98.5, days(11), "Bread delivery")
        first = invoice(acme, 2400.0, days(5), "Consultancy")
        member_notice = invoice(anna, 180.0, days(9))
        member_reminder = invoice(piet, 180.0, days(16))
        paid = invoice(sanne, 180.0, days(13))
        on_hold = invoice(acme, 640.0, days(10), "Training day")
        invoice(sponsor, 1200.0, days(20), "Sponsorship 2026")
        invoice(bakery, 45.0, days(2), "Bread delivery")
        invoice(jansen, 310.0, today + timedelta(days=14), "Spare parts")

        engine._submit(handed_over, "manual", days(23))
        engine._submit(member_reminder, "auto", days(14))
        engine._submit(second | member_notice, "auto", days(8))
        engine._submit(paid, "auto", days(10))
        engine._submit(first | on_hold, "manual", days(3))
        for day in range(23, 0, -1):
            if day == 6:
                self.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=paid.ids
                ).create({"payment_date": days(6)})._create_payments()
            if day == 2:
                on_hold._dunning_hold("Customer disputes the number of training hours")
            engine._run_due(days(day))
        # the members' policy has phone follow-ups: today's calls
        self.env["nikki.dunning.channel.phone"]._cron_schedule_calls()
        self.env["mail.mail"].search(
            [("state", "=", "outgoing"), ("model", "in", self._demo_models())]
        ).write({"state": "sent"})

    @api.model
    def _demo_models(self):
        return ["nikki.dunning.communication", "nikki.collection.case"]
