#!/usr/bin/env python3
"""Benchmark of the nightly dunning run (issue 8).

Builds (once, then reuses) a database with N customers and M overdue open
invoices, copies it, and times in separate processes:
  day0   auto-enrolment + the Day 0 step for all invoices (as the cron does)
  day7   the Day 7 run (one queued email per customer, history, stage moves)
  day15  the Day 15 hand-over run (cases, case files, agency emails)
and, with --oca, OCA account_credit_control 18.0 on a copy of the same
database (installed from its PyPI wheel into .run/bench/oca, not committed):
line generation, marking and queuing the emails of one level.

Prints seconds, SQL queries (total, per invoice, per customer) and peak
memory (RSS) per phase. Run from the repository root:
    make bench                       # 2,000 customers, 20,000 invoices
    scripts/bench.sh --customers 200 --invoices 2000 --oca
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DAY0 = date.today()


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def odoo_env(db, extra_addons=None):
    import odoo
    from odoo.tools import config

    args = ["-c", os.environ["ODOO_CONF"], "-d", db, "--log-level=warn"]
    config.parse_config(args)
    if extra_addons:
        config["addons_path"] = config["addons_path"] + "," + extra_addons
        odoo.addons.__path__.append(extra_addons)
    registry = odoo.modules.registry.Registry(db)
    cr = registry.cursor()
    env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tz": "UTC"})
    return env


# ----------------------------------------------------------------------
# data
# ----------------------------------------------------------------------


def ensure_bank_account(env):
    """Dunning letters say where to pay: no company bank account, no run."""
    partner = env.company.partner_id
    if not partner.bank_ids:
        env["res.partner.bank"].create(
            {"acc_number": "NL91ABNA0417164300", "partner_id": partner.id}
        )


def build(db, customers, invoices):
    from odoo import Command

    env = odoo_env(db)
    env = env(
        context=dict(
            env.context,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
    )
    company = env.company
    company.email = "billing@bench.example.com"
    ensure_bank_account(env)
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Customer {n:05d}",
                "email": f"customer{n}@bench.example.com",
                "is_company": True,
            }
            for n in range(customers)
        ]
    )
    env.cr.commit()
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    start = time.monotonic()
    batch = 500
    for offset in range(0, invoices, batch):
        vals = []
        for n in range(offset, min(offset + batch, invoices)):
            due = DAY0 - timedelta(days=2 + n % 5)
            vals.append(
                {
                    "move_type": "out_invoice",
                    "journal_id": journal.id,
                    "partner_id": partners[n % customers].id,
                    "invoice_date": due - timedelta(days=14),
                    "invoice_date_due": due,
                    "invoice_payment_term_id": False,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Membership fee",
                                "quantity": 1,
                                "price_unit": 50 + n % 200,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        moves = env["account.move"].create(vals)
        moves.action_post()
        env.cr.commit()
        env.invalidate_all()
        done = offset + len(vals)
        print(
            f"  built {done}/{invoices} invoices "
            f"({(time.monotonic() - start) / done * 1000:.0f} ms each)",
            file=sys.stderr,
        )
    env.cr.close()


# ----------------------------------------------------------------------
# phases
# ----------------------------------------------------------------------


def measure(env, label, func):
    import odoo

    env.cr.commit()
    queries = odoo.sql_db.sql_counter
    base_mb = peak_mb()
    start = time.monotonic()
    result = func()
    env.cr.commit()
    return {
        "phase": label,
        "seconds": round(time.monotonic() - start, 2),
        "queries": odoo.sql_db.sql_counter - queries,
        "peak_mb": round(peak_mb(), 1),
        "rss_before_mb": round(base_mb, 1),
        **(result or {}),
    }


def phase(db, name):
    env = odoo_env(db)
    ensure_bank_account(env)
    engine = env["nikki.dunning.engine"]
    today = {"day0": DAY0, "day7": DAY0 + timedelta(7), "day15": DAY0 + timedelta(15)}[
        name
    ]

    def run():
        enrolled = engine._auto_enrol(today) if name == "day0" else []
        stats = engine._run_due(today, commit=True)
        return {
            "enrolled": len(enrolled),
            "customers": stats["customers"],
            "messages": stats["messages"],
        }

    result = measure(env, name, run)
    env.cr.execute(
        "SELECT count(*) FROM nikki_dunning_log WHERE date = %s AND action IN "
        "('reminder', 'pre_collection', 'handover')",
        (today,),
    )
    result["invoices"] = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM mail_mail")
    result["mails_in_queue"] = env.cr.fetchone()[0]
    env.cr.close()
    print(json.dumps(result))


def oca(db, oca_path):
    """OCA account_credit_control: one level for all overdue invoices."""
    env = odoo_env(db, oca_path)
    policy = env.ref("account_credit_control.credit_control_3_time")
    level = policy.level_ids.sorted("level")[0]
    level.delay_days = 0
    accounts = env["account.account"].search(
        [
            ("account_type", "=", "asset_receivable"),
            ("company_ids", "in", env.company.ids),
        ]
    )
    policy.account_ids = [(6, 0, accounts.ids)]
    # like-for-like with the NIKKI run, which queues emails without rendering
    # a PDF per customer: the OCA template's summary report is detached
    # (with it, wkhtmltopdf adds about a second per customer message)
    level.email_template_id.report_template_ids = [(5, 0, 0)]
    env.company.credit_policy_id = policy
    env["res.partner"].search([("customer_rank", ">", 0)]).credit_policy_id = policy
    env.cr.commit()
    results = []

    def generate():
        run = env["credit.control.run"].create(
            {"date": DAY0 + timedelta(days=1), "policy_ids": [(6, 0, policy.ids)]}
        )
        run.generate_credit_lines()
        return {"lines": len(run.line_ids), "run_id": run.id}

    gen = measure(env, "oca_generate", generate)
    results.append(gen)
    run = env["credit.control.run"].browse(gen.pop("run_id"))

    def mark():
        marker = (
            env["credit.control.marker"]
            .with_context(
                active_model="credit.control.line", active_ids=run.line_ids.ids
            )
            .create({"name": "to_be_sent"})
        )
        marker.mark_lines()
        return {}

    results.append(measure(env, "oca_mark", mark))

    def send():
        lines = run.line_ids.filtered(lambda line: line.state == "to_be_sent")
        emailer = (
            env["credit.control.emailer"]
            .with_context(active_model="credit.control.line", active_ids=lines.ids)
            .create({})
        )
        emailer.email_lines()
        env.cr.execute("SELECT count(*) FROM mail_mail")
        return {"mails_in_queue": env.cr.fetchone()[0]}

    results.append(measure(env, "oca_send", send))
    env.cr.close()
    for result in results:
        print(json.dumps(result))


# ----------------------------------------------------------------------
# orchestration
# ----------------------------------------------------------------------


def sh(*cmd, **kwargs):
    return subprocess.run(cmd, check=True, text=True, **kwargs)


def db_exists(name):
    out = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip() == "1"


def child(*args):
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return [
        json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")
    ]


def odoo_bin(*args):
    sh(
        sys.executable,
        os.path.join(os.environ["ODOO_SRC"], "odoo-bin"),
        "-c",
        os.environ["ODOO_CONF"],
        "--log-level=warn",
        "--stop-after-init",
        *args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def fetch_oca():
    target = os.path.join(ROOT, ".run", "bench", "oca")
    if os.path.isdir(os.path.join(target, "account_credit_control")):
        return target
    wheels = os.path.join(ROOT, ".run", "bench", "wheels")
    os.makedirs(wheels, exist_ok=True)
    sh(
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "-q",
        "-d",
        wheels,
        "odoo-addon-account-credit-control==18.0.*",
    )
    import glob
    import zipfile

    wheel = sorted(
        glob.glob(os.path.join(wheels, "odoo_addon_account_credit_control-*.whl"))
    )[-1]
    os.makedirs(target, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith("odoo/addons/account_credit_control/"):
                archive.extract(member, os.path.join(target, "_wheel"))
    os.rename(
        os.path.join(target, "_wheel", "odoo", "addons", "account_credit_control"),
        os.path.join(target, "account_credit_control"),
    )
    return target


def report(rows, invoices, customers):
    print()
    header = ("phase", "seconds", "queries", "q/inv", "q/cust", "peak MB")
    print(f"{header[0]:<14}" + "".join(f"{h:>9}" for h in header[1:]) + "  details")
    for row in rows:
        details = {
            k: v
            for k, v in row.items()
            if k not in {"phase", "seconds", "queries", "peak_mb", "rss_before_mb"}
        }
        print(
            f"{row['phase']:<14}{row['seconds']:>9.1f}{row['queries']:>9}"
            f"{row['queries'] / invoices:>9.2f}{row['queries'] / customers:>9.1f}"
            f"{row['peak_mb']:>9.0f}  {details}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=20000)
    parser.add_argument(
        "--oca", action="store_true", help="also time OCA credit control"
    )
    parser.add_argument("--keep", action="store_true", help="keep the run databases")
    parser.add_argument(
        "--build-only", action="store_true", help="only build the data (reused later)"
    )
    args = parser.parse_args()

    base = f"nikki_bench_{args.customers}_{args.invoices}"
    if not db_exists(base):
        print(f"Building {base} (once; reused by later runs)...", file=sys.stderr)
        sh("createdb", "-T", os.environ["NIKKI_TPL"], base)
        odoo_bin("-d", base, "-i", "nikki_dunning", "--without-demo=all")
        subprocess.run(
            [
                sys.executable,
                __file__,
                "_build",
                base,
                str(args.customers),
                str(args.invoices),
            ],
            check=True,
        )
    if args.build_only:
        return
    run_db = base + "_run"
    sh("dropdb", "--if-exists", run_db)
    sh("createdb", "-T", base, run_db)
    rows = []
    for name in ("day0", "day7", "day15"):
        rows += child("_phase", run_db, name)
    if args.oca:
        oca_path = fetch_oca()
        oca_db = base + "_oca"
        sh("dropdb", "--if-exists", oca_db)
        sh("createdb", "-T", base, oca_db)
        odoo_bin(
            "-d",
            oca_db,
            "-i",
            "account_credit_control",
            f"--addons-path={read_addons_path()},{oca_path}",
        )
        rows += child("_oca", oca_db, oca_path)
        if not args.keep:
            sh("dropdb", "--if-exists", oca_db)
    if not args.keep:
        sh("dropdb", "--if-exists", run_db)
    print(
        f"\n{args.customers} customers, {args.invoices} invoices, "
        f"{os.cpu_count()} CPU(s), {date.today()}"
    )
    report(rows, args.invoices, args.customers)
    ours = next(row for row in rows if row["phase"] == "day7")
    oca_rows = [row for row in rows if row["phase"].startswith("oca_")]
    if oca_rows:
        oca_total = sum(row["seconds"] for row in oca_rows)
        print(
            f"\nOCA credit control, one level: {oca_total:.1f} s; "
            f"NIKKI Day 7 run: {ours['seconds']:.1f} s; "
            f"ratio {oca_total / ours['seconds']:.1f}x"
        )


def read_addons_path():
    import configparser

    parser = configparser.ConfigParser()
    parser.read(os.environ["ODOO_CONF"])
    return parser["options"]["addons_path"]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        build(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) > 1 and sys.argv[1] == "_phase":
        phase(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "_oca":
        oca(sys.argv[2], sys.argv[3])
    else:
        main()
