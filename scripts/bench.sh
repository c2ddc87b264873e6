#!/usr/bin/env bash
# Benchmarks (README "Benchmarks"): prints figures, asserts nothing.
#   scripts/bench.sh [--customers N --invoices M] [--oca] [--no-import]
# Times the engine (bench/bench_engine.py: Day 0, Day 7, Day 15, and OCA
# credit control with --oca), then the receivables list import of the same
# volume (bench/bench_import.py) unless --no-import.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" >/dev/null
deps="$("$VENV/bin/python" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" "$ROOT/nikki_dunning/__manifest__.py")"
export NIKKI_TPL="nikki_tpl_$(cat "$ODOO_SRC/odoo/release.py" <(echo "$deps") | cksum | cut -d' ' -f1)"
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$NIKKI_TPL'" | grep -q 1; then
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$NIKKI_TPL" -i "$deps" --without-demo=all --stop-after-init --log-level=warn >/dev/null 2>&1
fi
engine_args=() customers=2000 invoices=20000 import=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-import) import=0 ;;
    -h|--help) "$VENV/bin/python" "$ROOT/bench/bench_engine.py" --help
      echo; echo "scripts/bench.sh also takes --no-import (skip bench/bench_import.py)"; exit 0 ;;
    --customers) customers="$2"; engine_args+=("$1" "$2"); shift ;;
    --invoices) invoices="$2"; engine_args+=("$1" "$2"); shift ;;
    --build-only) import=0; engine_args+=("$1") ;;
    *) engine_args+=("$1") ;;
  esac
  shift
done
"$VENV/bin/python" "$ROOT/bench/bench_engine.py" "${engine_args[@]}"
if [ "$import" = 1 ]; then
  echo
  "$VENV/bin/python" "$ROOT/bench/bench_import.py" -c "$ODOO_CONF" \
    --rows "$invoices" --customers "$customers"
fi
