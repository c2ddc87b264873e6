#!/usr/bin/env bash
# Prepare everything the product and its tests need on a fresh machine:
# Odoo 18.0 source, a virtualenv with its requirements, wkhtmltopdf and
# Chromium (when apt-get is available), a PostgreSQL server and odoo.conf.
# Idempotent: a second run only checks.
set -euo pipefail
source "$(dirname "$0")/env.sh"
mkdir -p "$RUN_DIR"

# 1. Odoo source
if [ ! -f "$ODOO_SRC/odoo-bin" ]; then
  log "Odoo 18.0 not found in $ODOO_SRC: cloning branch 18.0 of $ODOO_REPO"
  mkdir -p "$(dirname "$ODOO_SRC")"
  git clone --depth 1 --branch 18.0 "$ODOO_REPO" "$ODOO_SRC"
fi

# 2. System packages for PDF reports and browser tests
missing=()
command -v wkhtmltopdf >/dev/null || missing+=(wkhtmltopdf)
command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
  || command -v google-chrome >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "Installing ${missing[*]} with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" fonts-dejavu-core >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" fonts-dejavu-core >/dev/null; }
  else
    log "warning: ${missing[*]} missing and cannot be installed here (PDF and browser tests need them)"
  fi
fi

# 3. Virtualenv
req="$RUN_DIR/requirements-odoo.txt"
"$PYTHON" "$ROOT/scripts/odoo_requirements.py" "$ODOO_SRC/requirements.txt" > "$req"
stamp="$VENV/.nikki-requirements"
want="$(cat "$req" "$ROOT/requirements-dev.txt" | cksum)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "Building virtualenv $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$req" -r "$ROOT/requirements-dev.txt"
  echo "$want" > "$stamp"
fi

# 3b. Node tools of the lint (prettier with its XML plugin), pinned in
# package.json / package-lock.json, installed into the project's node_modules.
if command -v npm >/dev/null; then
  node_stamp="$ROOT/node_modules/.nikki-package-lock"
  node_want="$(cksum < "$ROOT/package-lock.json")"
  if [ ! -f "$node_stamp" ] || [ "$(cat "$node_stamp")" != "$node_want" ]; then
    log "Installing prettier and @prettier/plugin-xml into node_modules"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$node_want" > "$node_stamp"
  fi
else
  log "warning: npm not found: prettier (XML formatting check of scripts/lint.sh) cannot be installed"
fi

# Odoo itself is imported from ODOO_SRC (pytest-odoo, scripts): a .pth file
# puts it on the virtualenv's path.
"$VENV/bin/python" -c "import site,sys; open(site.getsitepackages()[0] + '/odoo-src.pth', 'w').write(sys.argv[1] + '\n')" "$ODOO_SRC"

# 4. PostgreSQL
"$ROOT/scripts/pg.sh" start

# 5. Odoo configuration
cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$ROOT
data_dir = $RUN_DIR/data
db_host = $PGHOST
db_port = $PGPORT
db_user = $PGUSER
db_password = ${PGPASSWORD:-False}
admin_passwd = admin
http_port = ${HTTP_PORT:-8069}
without_demo = False
max_cron_threads = 1
CONF
log "Ready: Odoo $ODOO_SRC, venv $VENV, PostgreSQL $PGHOST:$PGPORT"
