"""Benchmark of the dunning analysis (``nikki.dunning.report``) on a large history.

Fills a database with 200,000 invoices and about 1,000,000 dunning history
lines with PostgreSQL COPY (no ORM), then times what the web client does
when a user opens the analysis: the pivot grouped by step and month (its
four read_group calls, run one after the other here; the browser sends them
at once), and the other views of the dashboard.

Run from the repository root once ``scripts/test.sh`` (or ``make run``) has
built .venv and started PostgreSQL:

    source scripts/env.sh
    .venv/bin/python bench/bench_report.py              # db nikki_bench
    .venv/bin/python bench/bench_report.py --explain    # and the query plan

The database is created (module installed) and filled on the first run and
reused afterwards; ``--refill`` drops and rebuilds it.

Every invoice reaches every step of its policy, so every invoice is handed
over: half are on the NIKKI standard policy (0/7/15), an eighth of those
restarted once, half on a five-step policy (0/4/8/12/20); 60% end paid, 5%
stopped; 10% are in a foreign currency. That is about 850,000 step lines (the
rows of the report) and 150,000 other events. ``--worst-case`` makes every
one of 1,000,000 lines a step line (six-step policy, more restarts).

Figures printed per case: the wall time of the first run and the median of
the next runs (as measured, on a machine that may be busy), and the CPU time
PostgreSQL spent on the median run (one process, parallel query off): what
the case costs on an idle core whatever else runs on the machine.
"""

import argparse
import io
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

ODOO_SRC = os.environ.get(
    "ODOO_SRC", os.path.expanduser("~/.cache/nikki_dunning/odoo-18.0")
)
sys.path.insert(0, ODOO_SRC)

import odoo  # noqa: E402
from odoo import Command, api  # noqa: E402
from odoo.modules.registry import Registry  # noqa: E402
from odoo.tools import config  # noqa: E402

BENCH_REF = "BENCH-"
START = date(2024, 1, 1)
STRICT_STEPS = [
    (0, "reminder"),
    (4, "reminder"),
    (8, "pre_collection"),
    (12, "reminder"),
    (20, "handover"),
]
# what the pivot asks for when it opens (rows x columns, their totals)
PIVOT_GROUPBYS = [[], ["step_id"], ["date:month"], ["step_id", "date:month"]]
PIVOT_MEASURES = ["__count", "amount:sum", "rate_paid_7:avg", "recovery_rate:avg"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", default="nikki_bench")
    parser.add_argument("-c", "--config", default=os.environ.get("ODOO_CONF"))
    parser.add_argument("--invoices", type=int, default=200_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--refill", action="store_true")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--worst-case",
        action="store_true",
        help="1,000,000 step lines: every history line is a row of the report",
    )
    args = parser.parse_args()
    if not re.fullmatch(r"[A-Za-z0-9_]+", args.database):
        parser.error(f"invalid database name {args.database!r}: letters, digits, _")
    return args


def ensure_database(args):
    """Create the database with nikki_dunning installed, when missing."""
    exists = subprocess.run(
        [
            "psql",
            "-d",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname = '{args.database}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists and args.refill:
        subprocess.run(["dropdb", args.database], check=True)
        exists = False
    if not exists:
        print(f"Creating {args.database} with nikki_dunning installed ...", flush=True)
        # start from the test suite's template (dependencies installed) if any
        template = subprocess.run(
            [
                "psql",
                "-d",
                "postgres",
                "-tAc",
                "SELECT datname FROM pg_database WHERE datname LIKE 'nikki_tpl_%' "
                "ORDER BY oid DESC LIMIT 1",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if template:
            subprocess.run(["createdb", "-T", template, args.database], check=True)
        subprocess.run(
            [
                sys.executable,
                os.path.join(ODOO_SRC, "odoo-bin"),
                "-c",
                args.config,
                "-d",
                args.database,
                "-i",
                "nikki_dunning",
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
            ],
            check=True,
        )


def copy_rows(cr, table, columns, rows):
    """COPY ``rows`` (tuples) into ``table``."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cr._obj.copy_from(buffer, table, columns=columns, null="\\N")


def next_ids(cr, table, count):
    cr.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
    first = cr.fetchone()[0] + 1
    cr.execute(f"SELECT setval('{table}_id_seq', %s)", [first + count])
    return first


def fill(env, args):
    """The history, written with COPY (no ORM, no computes)."""
    cr = env.cr
    cr.execute("SELECT 1 FROM res_partner WHERE ref LIKE %s LIMIT 1", [BENCH_REF + "%"])
    if cr.fetchone():
        print("Reusing the data already in the database (--refill rebuilds it).")
        return
    began = time.monotonic()
    rng = random.Random(42)
    company = env.ref("base.main_company")
    currency = company.currency_id
    usd = env.ref("base.USD")
    if usd == currency:
        usd = env.ref("base.EUR")
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    if not journal:
        journal = env["account.journal"].create(
            {"name": "Bench Sales", "code": "BSAL", "type": "sale"}
        )
    agency = env.ref("nikki_dunning.partner_collectmasters")
    standard = env.ref("nikki_dunning.policy_nikki_standard")
    strict = env["nikki.dunning.policy"].create(
        {
            "name": "Bench strict",
            "company_id": company.id,
            "agency_id": agency.id,
            "step_ids": [
                Command.create({"name": f"Day {day}", "day_offset": day, "action": act})
                for day, act in STRICT_STEPS
                + ([(16, "reminder")] if args.worst_case else [])
            ],
        }
    )
    policies = [
        (standard, [(s.day_offset, s.action, s.id) for s in standard.step_ids]),
        (strict, [(s.day_offset, s.action, s.id) for s in strict.step_ids]),
    ]
    restart_every = 4 if args.worst_case else 8
    env.flush_all()

    first_partner = next_ids(cr, "res_partner", args.customers)
    copy_rows(
        cr,
        "res_partner",
        [
            "id",
            "name",
            "complete_name",
            "ref",
            "active",
            "is_company",
            "type",
            "autopost_bills",
            "commercial_partner_id",
            "company_id",
        ],
        (
            (
                pid,
                f"Bench Customer {pid}",
                f"Bench Customer {pid}",
                f"{BENCH_REF}{pid}",
                "t",
                "t",
                "contact",
                "ask",
                pid,
                company.id,
            )
            for pid in range(first_partner, first_partner + args.customers)
        ),
    )
    first_case = next_ids(cr, "nikki_collection_case", args.customers)
    copy_rows(
        cr,
        "nikki_collection_case",
        [
            "id",
            "name",
            "company_id",
            "partner_id",
            "agency_id",
            "state",
            "date_handover",
        ],
        (
            (
                first_case + i,
                f"BENCH-CASE-{i}",
                company.id,
                first_partner + i,
                agency.id,
                "in_collection",
                START,
            )
            for i in range(args.customers)
        ),
    )

    first_move = next_ids(cr, "account_move", args.invoices)
    moves, logs, lines = [], [], []
    days = 730
    for i in range(args.invoices):
        move_id = first_move + i
        partner = first_partner + i % args.customers
        case_id = first_case + i % args.customers
        policy, steps = policies[i % 2]
        foreign = i % 10 == 0
        amount = round(rng.uniform(20, 2500), 2)
        signed = round(amount / (1.1 if foreign else 1.0), 2)
        move_currency = (usd if foreign else currency).id
        day0 = START + timedelta(days=i * days // args.invoices)
        due = day0 - timedelta(days=1)
        last_offset, _action, last_step = steps[-1]
        handed = day0 + timedelta(days=last_offset)
        draw = rng.random()
        residual, end_reason, end_date, state = signed, None, None, "handed_over"
        if draw < 0.6:
            end_reason, state = "paid", "done"
            end_date = handed + timedelta(days=rng.randint(0, 40))
            residual = 0.0
        elif draw < 0.65:
            end_reason, state = "stopped", "done"
            end_date = handed + timedelta(days=rng.randint(0, 40))
        outcome = {"paid": "paid", "stopped": "ended"}.get(end_reason, "handed_over")
        collected = signed if end_reason == "paid" and rng.random() < 0.5 else 0.0
        # history lines: step lines carry what became of them (report_*)
        if policy == standard and i % restart_every == 0:
            # an earlier cycle, stopped after its second step, restarted
            old = day0 - timedelta(days=30)
            for offset, action, step_id in steps[:2]:
                logs.append(
                    (
                        move_id,
                        partner,
                        company.id,
                        policy.id,
                        step_id,
                        offset,
                        old,
                        action,
                        old + timedelta(days=offset),
                        move_currency,
                        amount,
                        None,
                        signed,
                        env.uid,
                        "restarted",
                        None,
                        "f",
                        0.0,
                        "f",
                        0.0,
                        0.0,
                    )
                )
            logs.append(
                (
                    move_id,
                    partner,
                    company.id,
                    policy.id,
                    None,
                    None,
                    old,
                    "end",
                    old + timedelta(days=9),
                    move_currency,
                    amount,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        for offset, action, step_id in steps:
            logs.append(
                (
                    move_id,
                    partner,
                    company.id,
                    policy.id,
                    step_id,
                    offset,
                    day0,
                    action,
                    day0 + timedelta(days=offset),
                    move_currency,
                    amount,
                    case_id if action == "handover" else None,
                    signed,
                    env.uid,
                    outcome,
                    end_date if outcome == "paid" else None,
                    "t" if offset == last_offset else "f",
                    residual if outcome == "handed_over" else 0.0,
                    "t",
                    signed,
                    collected,
                )
            )
        if end_reason:
            logs.append(
                (
                    move_id,
                    partner,
                    company.id,
                    policy.id,
                    None,
                    None,
                    day0,
                    "end",
                    end_date,
                    move_currency,
                    amount,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            )
        lines.append(
            (
                case_id,
                move_id,
                handed,
                signed,
                collected,
                "collected" if collected else "in_collection",
            )
        )
        moves.append(
            (
                move_id,
                f"BENCH/{move_id}",
                journal.id,
                company.id,
                move_currency,
                "posted",
                "out_invoice",
                "no",
                due - timedelta(days=14),
                due - timedelta(days=14),
                due,
                partner,
                partner,
                env.uid,
                amount,
                amount,
                0.0 if end_reason == "paid" else amount,
                signed,
                signed,
                residual,
                "paid" if end_reason == "paid" else "not_paid",
                state,
                policy.id,
                day0,
                last_step,
                last_offset,
                handed,
                end_reason,
                end_date,
                "auto",
                case_id,
            )
        )
    copy_rows(
        cr,
        "account_move",
        [
            "id",
            "name",
            "journal_id",
            "company_id",
            "currency_id",
            "state",
            "move_type",
            "auto_post",
            "date",
            "invoice_date",
            "invoice_date_due",
            "partner_id",
            "commercial_partner_id",
            "invoice_user_id",
            "amount_untaxed",
            "amount_total",
            "amount_residual",
            "amount_untaxed_signed",
            "amount_total_signed",
            "amount_residual_signed",
            "payment_state",
            "dunning_state",
            "dunning_policy_id",
            "dunning_start_date",
            "dunning_step_id",
            "dunning_step_offset",
            "dunning_step_date",
            "dunning_end_reason",
            "dunning_end_date",
            "dunning_source",
            "dunning_case_id",
        ],
        moves,
    )
    copy_rows(
        cr,
        "nikki_collection_case_line",
        [
            "case_id",
            "move_id",
            "date",
            "amount_handed_over",
            "amount_collected",
            "state",
        ],
        lines,
    )
    copy_rows(
        cr,
        "nikki_dunning_log",
        [
            "move_id",
            "partner_id",
            "company_id",
            "policy_id",
            "step_id",
            "day_offset",
            "cycle_start",
            "action",
            "date",
            "currency_id",
            "amount_residual",
            "case_id",
            "report_amount",
            "report_user_id",
            "report_outcome",
            "report_date_paid",
            "report_last_step",
            "report_amount_open",
            "report_handed_over",
            "report_amount_handed_over",
            "report_amount_collected",
        ],
        logs,
    )
    for table in (
        "res_partner",
        "account_move",
        "nikki_dunning_log",
        "nikki_collection_case",
        "nikki_collection_case_line",
    ):
        cr.execute(f"ANALYZE {table}")
    cr.commit()
    steps_count = sum(1 for log in logs if log[7] != "end")
    print(
        f"Filled {len(moves):,} invoices, {len(logs):,} history lines "
        f"({steps_count:,} step lines), {len(lines):,} case lines in "
        f"{time.monotonic() - began:.0f} s"
    )


def backend_cpu(cr):
    """A function returning the CPU seconds the cursor's PostgreSQL backend
    used so far (None when the server is not on this machine)."""
    cr.execute("SELECT pg_backend_pid()")
    path = f"/proc/{cr.fetchone()[0]}/stat"
    if not os.path.exists(path):
        return lambda: None
    tick = os.sysconf("SC_CLK_TCK")

    def used():
        with open(path) as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return used


def timed(func, repeat, cr, cpu):
    """(first run, median of the next ``repeat`` runs) wall seconds, and the
    PostgreSQL CPU seconds of a run without parallel workers."""
    began = time.monotonic()
    func()
    first = time.monotonic() - began
    runs = []
    for _i in range(repeat):
        began = time.monotonic()
        func()
        runs.append(time.monotonic() - began)
    cr.execute("SET max_parallel_workers_per_gather = 0")
    before = cpu()
    func()
    after = cpu()
    cr.execute("RESET max_parallel_workers_per_gather")
    return first, statistics.median(runs), None if before is None else after - before


def concurrent_pivot(registry, uid, context, repeat):
    """Wall seconds of the pivot's four read_group calls sent at once, each
    in its own transaction, as the browser does (median of ``repeat``)."""

    def one(groupby):
        with registry.cursor() as cr:
            env = api.Environment(cr, uid, context)
            env["nikki.dunning.report"].read_group(
                [], PIVOT_MEASURES, groupby, lazy=False
            )

    runs = []
    for _i in range(repeat + 1):
        threads = [threading.Thread(target=one, args=(gb,)) for gb in PIVOT_GROUPBYS]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        runs.append(time.monotonic() - began)
    return runs[0], statistics.median(runs[1:])


def bench(env, args, registry):
    company = env.ref("base.main_company")
    user = env.ref("base.user_admin")
    uenv = api.Environment(
        env.cr, user.id, {"allowed_company_ids": [company.id], "lang": "en_US"}
    )
    Report = uenv["nikki.dunning.report"]
    Report.invalidate_model()

    def pivot(groupbys, measures, domain=()):
        def run():
            uenv.invalidate_all()
            for groupby in groupbys:
                Report.read_group(list(domain), measures, groupby, lazy=False)

        return run

    def top_customers():
        uenv.invalidate_all()
        top = uenv["nikki.dunning.report.customer"].search([], limit=10)
        top.mapped("partner_id.display_name")
        top.mapped("amount_handed_over")

    def headline():
        uenv.invalidate_all()
        boards = uenv["nikki.dunning.dashboard"].search([])
        boards.mapped("open_overdue_amount")

    cases = [
        (
            "Pivot by step x month (4 read_group, opening the analysis)",
            pivot(PIVOT_GROUPBYS, PIVOT_MEASURES),
        ),
        (
            "  the step x month read_group alone",
            pivot([["step_id", "date:month"]], PIVOT_MEASURES),
        ),
        (
            "  same, with the median days to pay",
            pivot(PIVOT_GROUPBYS, [*PIVOT_MEASURES, "days_to_pay_median:avg"]),
        ),
        (
            "Pivot by step x month, one quarter",
            pivot(
                PIVOT_GROUPBYS,
                PIVOT_MEASURES,
                [("date", ">=", "2025-01-01"), ("date", "<", "2025-04-01")],
            ),
        ),
        ("Funnel (graph by day)", pivot([["day_offset"]], ["__count"])),
        (
            "Recovery by step over time",
            pivot(
                [["date_paid:month", "day_offset"]],
                ["amount_recovered:sum"],
                [("outcome", "=", "paid"), ("is_last_step", "=", True)],
            ),
        ),
        ("Customers most often handed over (top 10)", top_customers),
        (
            "Policy comparison (policy x day)",
            pivot(
                [[], ["policy_id"], ["policy_id", "day_offset"]],
                [
                    "__count",
                    "amount:sum",
                    "rate_paid_7:avg",
                    "rate_paid_30:avg",
                    "recovery_rate:avg",
                    "days_to_pay_median:avg",
                ],
            ),
        ),
        ("Headline figures (dashboard card)", headline),
    ]
    uenv.cr.execute("SELECT COUNT(*) FROM nikki_dunning_log")
    lines = uenv.cr.fetchone()[0]
    uenv.cr.execute("SELECT COUNT(*) FROM nikki_dunning_report")
    rows = uenv.cr.fetchone()[0]
    uenv.cr.execute("SELECT COUNT(*) FROM account_move")
    invoices = uenv.cr.fetchone()[0]
    print(
        f"\nDatabase {args.database}: {invoices:,} invoices, {lines:,} history "
        f"lines, {rows:,} report rows; PostgreSQL "
        f"{uenv.cr.connection.server_version}, {os.cpu_count()} CPU(s), load "
        f"average {os.getloadavg()[0]:.1f}\n"
    )
    cpu = backend_cpu(uenv.cr)
    print(f"{'what':58} {'first':>7} {'median':>7} {'db cpu':>7}  load")
    for label, func in cases:
        first, median, used = timed(func, args.repeat, uenv.cr, cpu)
        used = "-" if used is None else f"{used:.2f}s"
        load = os.getloadavg()[0]
        print(
            f"{label:58} {first:6.2f}s {median:6.2f}s {used:>7}  {load:.1f}",
            flush=True,
        )

    first, median = concurrent_pivot(registry, user.id, dict(uenv.context), args.repeat)
    print(
        f"{'Pivot by step x month, the 4 read_group at once (browser)':58} "
        f"{first:6.2f}s {median:6.2f}s {'':>7}  {os.getloadavg()[0]:.1f}"
    )

    if args.explain:
        uenv.cr.execute(
            "EXPLAIN (ANALYZE, BUFFERS) SELECT step_id, date_trunc('month', date), "
            "COUNT(*), SUM(amount) FROM nikki_dunning_report "
            "WHERE company_id IN %s GROUP BY 1, 2",
            [tuple(company.ids)],
        )
        print("\n" + "\n".join(row[0] for row in uenv.cr.fetchall()))


def main():
    args = parse_args()
    if not args.config:
        sys.exit("No Odoo configuration: source scripts/env.sh or pass -c.")
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    ensure_database(args)
    odoo.service.server.load_server_wide_modules()
    registry = Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        fill(env, args)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        bench(env, args, registry)


if __name__ == "__main__":
    main()
