# shellcheck shell=bash
# Shared settings for the project's scripts. Sourced, never run.
# Every value can be overridden from the environment.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
export ODOO_SRC="${ODOO_SRC:-$HOME/.cache/nikki_dunning/odoo-18.0}"
export ODOO_REPO="${ODOO_REPO:-https://github.com/odoo/odoo.git}"
export VENV="${VENV:-$ROOT/.venv}"
export RUN_DIR="${RUN_DIR:-$ROOT/.run}"
export PYTHON="${PYTHON:-python3}"

# PostgreSQL: when PGHOST is set we use that server as it is; otherwise the
# scripts start a throwaway cluster inside the project (.run/postgres) on a
# port derived from the checkout's path, so two checkouts never collide.
if [ -n "${NIKKI_OWN_PG:-}" ]; then
  : # already decided by a parent script
elif [ -n "${PGHOST:-}" ]; then
  export NIKKI_OWN_PG=0
  export PGPORT="${PGPORT:-5432}"
  export PGUSER="${PGUSER:-$(id -un)}"
else
  export NIKKI_OWN_PG=1
  export PGHOST=127.0.0.1
  export PGPORT="${PGPORT:-$((54000 + $(printf '%s' "$ROOT" | cksum | cut -d' ' -f1) % 900))}"
  export PGUSER=odoo
fi
export PGPASSWORD="${PGPASSWORD:-}"
export ODOO_CONF="$RUN_DIR/odoo.conf"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
