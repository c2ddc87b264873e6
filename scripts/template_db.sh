#!/usr/bin/env bash
# Print the name of a template database with the module's dependencies
# installed (no demo data), building it first when missing. It is reused while
# Odoo's source and the dependencies stay the same. Used by test.sh, i18n.sh
# and upgrade_test.sh to create fresh databases quickly (createdb -T).
set -euo pipefail
source "$(dirname "$0")/env.sh"
ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"
deps="$("$VENV/bin/python" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$ROOT/nikki_dunning/__manifest__.py")"
tpl="nikki_tpl_$(cat "$ODOO_SRC/odoo/release.py" <(echo "$deps") | cksum | cut -d' ' -f1)"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$tpl'" | grep -q 1; then
  log "Building template database $tpl ($deps)"
  "${ODOO[@]}" -d "$tpl" -i "$deps" --without-demo=all --stop-after-init --log-level=warn >"$LOGS/template.log" 2>&1 \
    || { tail -50 "$LOGS/template.log" >&2; die "template database failed"; }
fi
echo "$tpl"
