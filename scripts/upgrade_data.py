"""Data side of the upgrade test (scripts/upgrade_test.sh); runs inside
``odoo-bin shell`` (``env`` is given), phase chosen by UPGRADE_PHASE:

fill  (on the PREVIOUS release) creates customers, invoices and a policy of
      its own and runs them through every stage with the module's user
      actions and nightly job: reminded, second reminder, handed over (case,
      case file), on hold, paid, stopped. Then it writes a snapshot of every
      stored column the module owns, row by row, to UPGRADE_SNAPSHOT.
check (on the WORKING TREE, after -u nikki_dunning) compares the database
      with the snapshot: every row is still there and every value is the
      same, except the columns a migration declares it converts, renames or
      removes; then it runs the migration's own checks.

The expectations of a migration live in scripts/upgrade_checks/<version>.py
(one file per version that ships a migrations/<version>/ script):

    CONVERTED = {"table": {"column", ...}}   # values changed on purpose
    RENAMED = {"table": {"old_column": "new_column"}}
    REMOVED = {"table": {"column", ...}}     # columns dropped on purpose
    def check(env, snapshot): ...            # assert the conversion itself

The fill phase uses only the module's user-level entry points (buttons, the
nightly job), so it keeps working on older releases.
"""

import importlib.util
import json
import os
from datetime import date, timedelta
from pathlib import Path

from freezegun import freeze_time

from odoo import Command

MODULE = "nikki_dunning"
DAY0 = date(2026, 3, 2)
# tables of other modules with columns this module adds: only their rows
# that take part in the workflow are compared
FOREIGN_ROWS = {
    "account_move": "dunning_state IS NOT NULL AND dunning_state != 'none'",
    "res_partner": "id IN (SELECT DISTINCT partner_id FROM account_move "
    "WHERE dunning_state != 'none') OR is_collection_agency",
    "res_company": "TRUE",
}


# ----------------------------------------------------------------------
# snapshot
# ----------------------------------------------------------------------


# who changed a record and when: an upgrade that recomputes a stored field
# legitimately touches them; they are not data the upgrade must keep
LOG_ACCESS_FIELDS = {"create_uid", "create_date", "write_uid", "write_date"}


def owned_columns(env):
    """{table: [columns]} of the stored fields this module defines."""
    env.cr.execute(
        """
        SELECT m.model, f.name
          FROM ir_model_fields f
          JOIN ir_model m ON m.id = f.model_id
          JOIN ir_model_data d ON d.model = 'ir.model.fields' AND d.res_id = f.id
         WHERE d.module = %s AND f.store AND f.ttype NOT IN ('one2many', 'many2many')
        """,
        [MODULE],
    )
    columns = {}
    for model, field in env.cr.fetchall():
        if model not in env or env[model]._abstract or env[model]._transient:
            continue
        records = env[model]
        if field not in records._fields or not records._fields[field].column_type:
            continue
        if field in LOG_ACCESS_FIELDS:
            continue
        columns.setdefault(records._table, set()).add(field)
    return {table: ["id"] + sorted(cols - {"id"}) for table, cols in columns.items()}


def take_snapshot(env):
    snapshot = {}
    for table, columns in owned_columns(env).items():
        where = FOREIGN_ROWS.get(table, "TRUE")
        env.cr.execute(
            f'SELECT {", ".join(f"{c}::text" for c in columns)} '
            f"FROM {table} WHERE {where} ORDER BY id"
        )
        snapshot[table] = {
            "columns": columns,
            "rows": {
                str(row[0]): dict(zip(columns, row, strict=True))
                for row in env.cr.fetchall()
            },
        }
    return snapshot


# ----------------------------------------------------------------------
# fill (previous release)
# ----------------------------------------------------------------------


def invoice(env, partner, amount, company):
    move = (
        env["account.move"]
        .with_company(company)
        .create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": DAY0 - timedelta(days=20),
                "invoice_date_due": DAY0 - timedelta(days=2),
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
    move.action_post()
    return move


def fill(env):
    company = env.ref("base.main_company")
    company.email = company.email or "billing@upgrade.example.com"
    # letters say where to pay (from 18.0.1.1.0 on, no bank account: no dunning)
    if not company.partner_id.bank_ids:
        env["res.partner.bank"].create(
            {"acc_number": "NL91ABNA0417164300", "partner_id": company.partner_id.id}
        )
    engine = env["nikki.dunning.engine"]
    Partner = env["res.partner"]
    customers = Partner.create(
        [
            {"name": f"Upgrade Customer {n}", "email": f"c{n}@upgrade.example.com"}
            for n in range(1, 7)
        ]
    )
    own_policy = env.ref(f"{MODULE}.policy_nikki_standard").copy(
        {"name": "Upgrade Members Policy", "minimum_amount": 10.0}
    )
    customers[5].with_company(company).dunning_policy_id = own_policy
    moves = [
        invoice(env, customer, 100.0 + 10 * n, company)
        for n, customer in enumerate(customers)
    ]
    moves.append(invoice(env, customers[0], 55.0, company))
    everything = env["account.move"].concat(*moves)

    with freeze_time(DAY0):
        everything.action_dunning_submit()
    with freeze_time(DAY0 + timedelta(days=3)):
        env["nikki.dunning.hold.wizard"].create(
            {
                "res_model": "account.move",
                "res_ids": moves[2].ids,
                "reason": "Customer disputes the amount",
                "until": DAY0 + timedelta(days=60),
            }
        ).action_confirm()
        moves[4].action_dunning_stop()
        register = (
            env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves[3].ids)
            .create({"payment_date": DAY0 + timedelta(days=3)})
        )
        register._create_payments()
    for day in (7, 15):
        with freeze_time(DAY0 + timedelta(days=day)):
            engine._cron_run(company_ids=company.ids)
    env.flush_all()
    states = sorted(set(everything.mapped("dunning_state")))
    print(f"upgrade fill: {len(everything)} invoices in stages {states}")
    if not {"handed_over", "on_hold", "done"} <= set(states):
        raise SystemExit(f"the fill did not reach every stage: {states}")
    env.cr.commit()
    snapshot = take_snapshot(env)
    Path(os.environ["UPGRADE_SNAPSHOT"]).write_text(json.dumps(snapshot, indent=1))
    rows = sum(len(t["rows"]) for t in snapshot.values())
    print(f"upgrade fill: snapshot of {rows} rows in {len(snapshot)} tables")


# ----------------------------------------------------------------------
# check (working tree, after the upgrade)
# ----------------------------------------------------------------------


def load_expectations(paths):
    merged = {"CONVERTED": {}, "RENAMED": {}, "REMOVED": {}, "checks": []}
    for path in filter(None, paths):
        spec = importlib.util.spec_from_file_location(Path(path).stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name in ("CONVERTED", "REMOVED"):
            for table, columns in getattr(module, name, {}).items():
                merged[name].setdefault(table, set()).update(columns)
        for table, renames in getattr(module, "RENAMED", {}).items():
            merged["RENAMED"].setdefault(table, {}).update(renames)
        if hasattr(module, "check"):
            merged["checks"].append((path, module.check))
    return merged


def check(env):
    snapshot = json.loads(Path(os.environ["UPGRADE_SNAPSHOT"]).read_text())
    expect = load_expectations(os.environ.get("UPGRADE_CHECKS", "").split(","))
    problems = []
    for table, data in snapshot.items():
        renamed = expect["RENAMED"].get(table, {})
        skipped = expect["CONVERTED"].get(table, set()) | expect["REMOVED"].get(
            table, set()
        )
        env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            [table],
        )
        existing = {row[0] for row in env.cr.fetchall()}
        if not existing:
            problems.append(f"{table}: the table is gone")
            continue
        compared = []
        for column in data["columns"]:
            new = renamed.get(column, column)
            if column in skipped:
                continue
            if new not in existing:
                problems.append(f"{table}.{column}: the column is gone (not declared)")
                continue
            compared.append((column, new))
        ids = list(data["rows"])
        env.cr.execute(
            f'SELECT {", ".join(f"{new}::text" for _old, new in compared)} '
            f"FROM {table} WHERE id = ANY(%s)",
            [[int(i) for i in ids]],
        )
        now = {row[0]: row for row in env.cr.fetchall()}
        lost = [i for i in ids if i not in now]
        if lost:
            problems.append(f"{table}: {len(lost)} row(s) lost, ids {lost[:10]}")
        for row_id, old_row in data["rows"].items():
            if row_id not in now:
                continue
            for index, (old, new) in enumerate(compared):
                if old_row[old] != now[row_id][index]:
                    problems.append(
                        f"{table}.{new} id {row_id}: {old_row[old]!r} became "
                        f"{now[row_id][index]!r} (not declared as converted)"
                    )
    for path, version_check in expect["checks"]:
        try:
            version_check(env, snapshot)
        except AssertionError as error:
            problems.append(f"{path}: {error}")
    if problems:
        print("upgrade check FAILED:\n  " + "\n  ".join(problems[:50]))
        raise SystemExit(1)
    rows = sum(len(t["rows"]) for t in snapshot.values())
    print(f"upgrade check: {rows} rows in {len(snapshot)} tables kept and as expected")


PHASES = {"fill": fill, "check": check}
PHASES[os.environ["UPGRADE_PHASE"]](env)  # noqa: F821 -- given by odoo-bin shell
