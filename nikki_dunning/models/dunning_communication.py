from odoo import api, fields, models

from .dunning_step import STEP_ACTIONS


class NikkiDunningCommunication(models.Model):
    """What one customer received on one day: one email (or letter) listing
    every invoice of that customer that reached a step that day.

    Mail templates of the steps render on this model: ``object.log_ids`` are
    the invoices' history lines (invoice, step, open amount, portal link).
    """

    _name = "nikki.dunning.communication"
    _description = "Dunning Message"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Sent To",
        help="The customer's invoice address (the 'Invoice' contact when there "
        "is one).",
    )
    policy_id = fields.Many2one("nikki.dunning.policy", ondelete="set null")
    step_id = fields.Many2one(
        "nikki.dunning.step",
        ondelete="set null",
        help="The furthest step among the invoices of this message.",
    )
    action = fields.Selection(STEP_ACTIONS, required=True)
    date = fields.Date(required=True, index=True)
    log_ids = fields.One2many(
        "nikki.dunning.log", "communication_id", string="Invoices"
    )
    mail_id = fields.Many2one(
        "mail.mail", string="Email", ondelete="set null", index="btree_not_null"
    )
    mail_body = fields.Text(related="mail_id.body_html", string="Email Sent")
    mail_message_id = fields.Many2one(
        "mail.message", string="Email Message", ondelete="set null"
    )
    channel = fields.Selection(
        [("email", "Email"), ("none", "No Message")], required=True, default="none"
    )
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
            ("no_email", "No Email Address"),
            ("none", "Nothing to Send"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    failure_reason = fields.Text(compute="_compute_state", store=True)
    retry_count = fields.Integer(default=0, copy=False)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_amount_residual", store=False
    )
    amount_residual = fields.Monetary(
        string="Total Due",
        compute="_compute_amount_residual",
        help="Sum of the open amounts listed, when they share one currency.",
    )

    @api.depends("partner_id", "date", "step_id")
    def _compute_name(self):
        for communication in self:
            communication.name = " - ".join(
                filter(
                    None,
                    [
                        communication.partner_id.display_name,
                        communication.step_id.name,
                        communication.date and str(communication.date),
                    ],
                )
            )

    @api.depends("mail_id.state", "mail_id.failure_reason", "channel", "contact_id")
    def _compute_state(self):
        for communication in self:
            mail = communication.mail_id
            communication.failure_reason = False
            if communication.channel == "none":
                communication.state = "none"
            elif not mail:
                communication.state = (
                    "sent" if communication.mail_message_id else "no_email"
                )
            elif mail.state in ("sent", "received"):
                communication.state = "sent"
            elif mail.state == "exception":
                communication.state = "failed"
                communication.failure_reason = mail.failure_reason
            elif mail.state == "cancel":
                communication.state = "cancelled"
            else:
                communication.state = "queued"

    @api.depends("log_ids.amount_residual", "log_ids.currency_id")
    def _compute_amount_residual(self):
        for communication in self:
            currencies = communication.log_ids.currency_id
            communication.currency_id = currencies if len(currencies) == 1 else False
            communication.amount_residual = (
                sum(communication.log_ids.mapped("amount_residual"))
                if len(currencies) == 1
                else 0.0
            )

    def _mail_get_partner_fields(self, introspect_fields=False):
        return ["contact_id"]
