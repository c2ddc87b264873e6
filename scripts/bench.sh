#!/usr/bin/env bash
# Benchmarks (README "Benchmarks"): prints figures, asserts nothing.
#   scripts/bench.sh [--customers N --invoices M] [--oca]
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" >/dev/null
deps="$("$VENV/bin/python" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$ROOT/nikki_dunning/__manifest__.py")"
export NIKKI_TPL="nikki_tpl_$(cat "$ODOO_SRC/odoo/release.py" <(echo "$deps") | cksum | cut -d' ' -f1)"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$NIKKI_TPL'" | grep -q 1; then
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$NIKKI_TPL" -i "$deps" --without-demo=all --stop-after-init --log-level=warn >/dev/null 2>&1
fi
exec "$VENV/bin/python" "$ROOT/bench/bench_engine.py" "$@"
