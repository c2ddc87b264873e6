from collections import defaultdict

from odoo import api, models

from .collection_case import OPEN_CASE_STATES


class NikkiDunningChannelHandover(models.AbstractModel):
    """Hand-over channel: invoices go to the policy's collection agency.

    Inside the customer's transaction, one open case per customer, agency
    and company is created or extended and the invoices get a case line,
    waiting to be sent. The file to the agency is made per run and agency
    afterwards (``nikki.collection.exchange._send_pending``): at once for
    agencies set to send automatically, on the accountant's approval for the
    others.
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
        return lines

    @api.model
    def _case_rows(self, lines):
        """Case file rows for case lines (one per invoice)."""
        moves = lines.move_id
        reminders = defaultdict(list)
        disputes = defaultdict(list)
        for log in (
            self.env["nikki.dunning.log"]
            .sudo()
            .search(
                [
                    ("move_id", "in", moves.ids),
                    ("action", "in", ("reminder", "pre_collection", "hold")),
                ],
                order="date, id",
            )
        ):
            if log.cycle_start != log.move_id.dunning_start_date:
                continue
            if log.action == "hold":
                disputes[log.move_id.id].append(f"{log.date} {log.note or ''}".strip())
                continue
            emailed = log.communication_id.state in ("queued", "sent")
            reminders[log.move_id.id].append(
                f"{log.date} {log.step_id.name or log.action}"
                + (" (email)" if emailed else "")
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
                    "description": "; ".join(
                        filter(
                            None,
                            move.invoice_line_ids.filtered(
                                lambda aml: aml.display_type == "product"
                            ).mapped("name"),
                        )
                    ),
                    "invoice_date": move.invoice_date,
                    "due_date": move.invoice_date_due,
                    "currency": move.currency_id.name,
                    "amount_original": move.amount_total,
                    "amount_open": move.amount_residual,
                    "disputes": "; ".join(disputes[move.id]),
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
    def _exchange_rows(self, handover_lines, notice_lines):
        """Rows of one file to the agency: the invoices handed over now
        (status ``new``) and the invoices the agency must stop collecting
        (``paid_directly``, ``recalled``), ordered by case and invoice."""
        lines = (handover_lines | notice_lines).sorted(
            lambda line: (line.case_id.name, line.move_id.name or "", line.id)
        )
        rows = self._case_rows(lines)
        handover_ids = set(handover_lines.ids)
        for line, row in zip(lines, rows, strict=True):
            if line.id in handover_ids:
                row.update(status="new", status_date=line.date, status_note="")
            else:
                row.update(
                    status=line.state,
                    status_date=line.date_status,
                    status_note=line.recall_reason or "",
                )
        return lines, rows
