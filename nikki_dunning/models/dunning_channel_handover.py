from collections import defaultdict

from odoo import Command, _, api, models

from ..services import case_file
from .collection_case import OPEN_CASE_STATES


class NikkiDunningChannelHandover(models.AbstractModel):
    """Hand-over channel: invoices go to the policy's collection agency.

    Per customer and agency one open case is created or extended; the
    invoices handed over get a case line, the case gets the case file (CSV)
    as an attachment, and the agency an email with that file.
    """

    _name = "nikki.dunning.channel.handover"
    _description = "Dunning Channel: Hand-over"

    @api.model
    def _hand_over(self, logs, today):
        Case = self.env["nikki.collection.case"].sudo()
        groups = logs.grouped(
            lambda log: (log.company_id, log.partner_id, log.policy_id.agency_id)
        )
        existing = Case.search(
            [
                ("state", "in", OPEN_CASE_STATES),
                ("company_id", "in", logs.company_id.ids),
                ("partner_id", "in", logs.partner_id.ids),
                ("agency_id", "in", logs.policy_id.agency_id.ids),
            ]
        )
        cases = {
            (case.company_id, case.partner_id, case.agency_id): case
            for case in existing
        }
        missing = [key for key in groups if key not in cases]
        new_cases = Case.with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True
        ).create(
            [
                {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "agency_id": agency.id,
                    "date_handover": today,
                    "state": "in_collection",
                }
                for company, partner, agency in missing
            ]
        )
        cases.update(zip(missing, new_cases, strict=True))

        line_vals = []
        for key, key_logs in groups.items():
            case = cases[key]
            for log in key_logs:
                log.case_id = case
                line_vals.append(
                    {
                        "case_id": case.id,
                        "move_id": log.move_id.id,
                        "date": today,
                        "amount_handed_over": abs(log.move_id.amount_residual_signed),
                    }
                )
        lines = self.env["nikki.collection.case.line"].sudo().create(line_vals)
        for case, case_logs in logs.grouped("case_id").items():
            case_logs.move_id._dunning_write({"dunning_case_id": case.id})
        attachments = self._attach_case_files(lines, today)
        self._notify_agencies(attachments)
        return lines

    @api.model
    def _case_rows(self, lines):
        """Case file rows for case lines (one per invoice)."""
        moves = lines.move_id
        reminders = defaultdict(list)
        for log in (
            self.env["nikki.dunning.log"]
            .sudo()
            .search(
                [
                    ("move_id", "in", moves.ids),
                    ("action", "in", ("reminder", "pre_collection")),
                ],
                order="date, id",
            )
        ):
            if log.cycle_start == log.move_id.dunning_start_date:
                reminders[log.move_id.id].append(
                    f"{log.date} {log.step_id.name or log.action}"
                )
        legal = self._case_legal_figures(lines)
        rows = []
        for line in lines:
            move, partner = line.move_id, line.case_id.partner_id
            rows.append(
                {
                    "case_reference": line.case_id.name,
                    "debtor_name": partner.name,
                    "debtor_reference": partner.ref,
                    "debtor_type": "company"
                    if partner.dunning_debtor_type == "business"
                    else "consumer",
                    "street": " ".join(filter(None, [partner.street, partner.street2])),
                    "zip": partner.zip,
                    "city": partner.city,
                    "country": partner.country_id.code,
                    "email": partner.email,
                    "phone": partner.phone or partner.mobile,
                    "vat": partner.vat,
                    "company_registry": partner.company_registry,
                    "language": partner.lang,
                    "invoice_number": move.name,
                    "invoice_date": move.invoice_date,
                    "due_date": move.invoice_date_due,
                    "currency": move.currency_id.name,
                    "amount_original": move.amount_total,
                    "amount_open": move.amount_residual,
                    "reminders": "; ".join(reminders[move.id]),
                    **legal.get(line.id, {}),
                }
            )
        return rows

    @api.model
    def _case_legal_figures(self, lines):
        """Interest, collection costs and the day the costs may be claimed
        from, as the hand-over step recorded them, per case line."""
        logs = (
            self.env["nikki.dunning.log"]
            .sudo()
            .search(
                [
                    ("case_id", "in", lines.case_id.ids),
                    ("move_id", "in", lines.move_id.ids),
                    ("action", "=", "handover"),
                ],
                order="date, id",
            )
        )
        by_key = {(log.case_id.id, log.move_id.id): log for log in logs}
        figures = {}
        for line in lines:
            log = by_key.get((line.case_id.id, line.move_id.id))
            if log:
                figures[line.id] = {
                    "interest_amount": log.interest_amount,
                    "costs_amount": log.costs_amount,
                    "costs_claimable_from": log.costs_deadline or "",
                }
        return figures

    @api.model
    def _attach_case_files(self, lines, today):
        """One CSV per case for the invoices handed over now."""
        values, groups = [], []
        for case, case_lines in lines.grouped("case_id").items():
            values.append(
                {
                    "name": f"{case.name.replace('/', '-')}-{today}.csv",
                    "raw": case_file.to_csv(self._case_rows(case_lines)),
                    "res_model": case._name,
                    "res_id": case.id,
                    "mimetype": "text/csv",
                }
            )
            groups.append(case_lines)
        attachments = self.env["ir.attachment"].sudo().create(values)
        for attachment, case_lines in zip(attachments, groups, strict=True):
            case_lines.attachment_id = attachment
        return attachments

    @api.model
    def _notify_agencies(self, attachments):
        """Queue the hand-over email with the case file to each agency."""
        template = self.env.ref(
            "nikki_dunning.mail_template_collection_handover", raise_if_not_found=False
        )
        cases = self.env["nikki.collection.case"].browse(attachments.mapped("res_id"))
        if not template or not cases:
            return
        reachable = cases.filtered(lambda case: case.agency_id.email)
        for case in cases - reachable:
            case.message_post(
                body=_(
                    "The agency %s has no email address: send the case file "
                    "attached to this case yourself.",
                    case.agency_id.display_name,
                )
            )
        if not reachable:
            return
        rendered = template.sudo()._generate_template(
            reachable.ids,
            ("subject", "body_html", "email_from", "partner_to", "reply_to"),
        )
        attachment_of = {attachment.res_id: attachment for attachment in attachments}
        values_list = []
        for case in reachable:
            values = rendered[case.id]
            values.pop("partner_to", None)
            partner_ids = values.pop("partner_ids", []) or [case.agency_id.id]
            if not values.get("email_from"):
                values.pop("email_from", None)
            values.update(
                {
                    "body": values.get("body_html"),
                    "model": case._name,
                    "res_id": case.id,
                    "message_type": "email_outgoing",
                    "auto_delete": False,
                    "recipient_ids": [Command.link(pid) for pid in partner_ids],
                    "attachment_ids": [Command.link(attachment_of[case.id].id)],
                }
            )
            values_list.append(values)
        self.env["mail.mail"].sudo().create(values_list)
