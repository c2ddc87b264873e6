"""18.0.1.1.0: the agency exchange (files out and in, per run and agency).

Before, each hand-over emailed the agency a CSV of its own case. Those
invoices are with the agency already: they are recorded as sent, in one
"sent before the upgrade" agency file per company and agency, so the first
nightly run does not hand them over a second time. Invoices paid or
cancelled since their hand-over were never reported to the agency: they
leave their case now and the next file tells the agency to stop. Case states
follow the new rule, and the old per-case email template goes.
"""

from openupgradelib import openupgrade

from odoo import Command


@openupgrade.migrate()
def migrate(env, version):
    Line = env["nikki.collection.case.line"].sudo()
    lines = Line.search([("export_exchange_id", "=", False)], order="id")
    Exchange = (
        env["nikki.collection.exchange"]
        .sudo()
        .with_context(mail_create_nolog=True, mail_create_nosubscribe=True)
    )
    for (company, agency), group in lines.grouped(
        lambda line: (line.company_id, line.agency_id)
    ).items():
        exchange = Exchange.create(
            {
                "direction": "out",
                "company_id": company.id,
                "agency_id": agency.id,
                "date": min(group.mapped("create_date")),
                "file_format": "csv",
                "email_to": agency.email or False,
                "line_ids": [
                    Command.create(
                        {
                            "row_number": number,
                            "kind": "new",
                            "case_id": line.case_id.id,
                            "case_line_id": line.id,
                            "move_id": line.move_id.id,
                            "case_reference": line.case_id.name,
                            "invoice_number": line.move_id.name,
                            "status_date": line.date,
                            "move_currency_id": line.move_id.currency_id.id,
                        }
                    )
                    for number, line in enumerate(group, start=2)
                ],
            }
        )
        exchange.message_post(
            body=env._(
                "Invoices handed over before the agency files were introduced: "
                "each case's own file, as emailed then, is attached to its case."
            )
        )
        group.write({"export_exchange_id": exchange.id})
    ended = lines.move_id.filtered(lambda move: move.dunning_state == "done")
    Line._close_ended(ended)
    cases = env["nikki.collection.case"].sudo().search([])
    env.add_to_compute(cases._fields["state"], cases)
    env.flush_all()
    openupgrade.delete_records_safely_by_xml_id(
        env, ["nikki_dunning.mail_template_collection_handover"]
    )
