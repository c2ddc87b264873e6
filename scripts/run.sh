#!/usr/bin/env bash
# The project's run command (README "Run the product"): sets everything up,
# creates the demo database (module + demo data: customers and invoices at
# every dunning stage, CollectMasters) unless it exists, and serves Odoo.
#   RESET=1 scripts/run.sh     recreate the demo database
#   HTTP_PORT=8070 scripts/run.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh"
DB="${DEMO_DB:-nikki_demo}"
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
mkdir -p "$RUN_DIR/logs"

exists="$(psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
if [ "${RESET:-0}" = 1 ] || [ "$exists" != 1 ]; then
  log "Creating demo database $DB (a few minutes the first time)"
  dropdb --if-exists "$DB" >/dev/null
  "${ODOO[@]}" -d "$DB" -i nikki_dunning --stop-after-init --log-level=warn \
    >"$RUN_DIR/logs/demo.log" 2>&1 || { tail -40 "$RUN_DIR/logs/demo.log"; die "demo database failed"; }
fi

cat <<MSG

  NIKKI Dunning demo is starting on http://localhost:${HTTP_PORT:-8069}/web/login
  Login: admin   Password: admin
  Invoicing > Customers > Invoices shows the dunning stages;
  Invoicing > Customers > Dunning has the history, messages and cases.
  Stop with Ctrl+C.

MSG
exec "${ODOO[@]}" -d "$DB" --db-filter="^$DB\$" --http-port="${HTTP_PORT:-8069}"
