#!/usr/bin/env bash
# The project's test command (README "Run the tests", called by .ci/run):
# sets everything up, lints, installs and upgrades the module in fresh
# databases with clean logs, then runs the whole pytest suite (browser tours
# included) and ends on pytest's summary line. Non-zero exit on any failure.
#
# Extra arguments go to pytest, e.g.  scripts/test.sh -k handover
# SKIP_LINT=1 skips the lint, SKIP_UPGRADE=1 the upgrade test.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"

ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"
DB="${TEST_DB:-nikki_test}"

if [ "${SKIP_LINT:-0}" != 1 ]; then
  "$ROOT/scripts/lint.sh"
fi

# A template database with the module's dependencies installed, reused while
# Odoo's source and the dependencies stay the same.
tpl="$("$ROOT/scripts/template_db.sh")"

fresh_db() {
  dropdb --if-exists "$1" >/dev/null
  createdb -T "$tpl" "$1"
}

log "Installing nikki_dunning in $DB (no demo data)"
fresh_db "$DB"
"${ODOO[@]}" -d "$DB" -i nikki_dunning --without-demo=all --stop-after-init >"$LOGS/install.log" 2>&1 \
  || { tail -50 "$LOGS/install.log"; die "install failed"; }
log "Upgrading nikki_dunning in $DB"
"${ODOO[@]}" -d "$DB" -u nikki_dunning --stop-after-init >"$LOGS/upgrade.log" 2>&1 \
  || { tail -50 "$LOGS/upgrade.log"; die "upgrade failed"; }
log "Installing nikki_dunning with demo data in ${DB}_demo"
fresh_db "${DB}_demo"
"${ODOO[@]}" -d "${DB}_demo" -i nikki_dunning --stop-after-init >"$LOGS/install-demo.log" 2>&1 \
  || { tail -50 "$LOGS/install-demo.log"; die "demo install failed"; }
dropdb --if-exists "${DB}_demo"
"$VENV/bin/python" "$ROOT/scripts/checklog.py" "$LOGS/install.log" "$LOGS/upgrade.log" "$LOGS/install-demo.log"

# upgrade from the previous release in git history (skips until one exists)
if [ "${SKIP_UPGRADE:-0}" != 1 ]; then
  "$ROOT/scripts/upgrade_test.sh"
fi

log "Running the test suite"
cd "$ROOT"
"$VENV/bin/python" -m pytest nikki_dunning/tests \
  --odoo-config="$ODOO_CONF" --odoo-database="$DB" --odoo-http --odoo-log-level=warn \
  -p no:cacheprovider "$@"
