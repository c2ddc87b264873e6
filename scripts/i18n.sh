#!/usr/bin/env bash
# Export the module's translation template from a real install and update the
# translations:
#   1. install nikki_dunning (working tree, no demo data) in a fresh database
#      built from the test command's template database;
#   2. odoo-bin --i18n-export: every term of the code, views, data, mail
#      templates and reports -> nikki_dunning/i18n/nikki_dunning.pot;
#   3. scripts/i18n_sync.py: fixed header, and every i18n/<lang>.po brought in
#      line (translations kept, new terms empty, removed terms dropped).
# Then translate the empty msgstr of nl.po (a PO editor, or by hand) and run
# the tests: test_i18n.py fails while the .pot is stale or a term of nl.po is
# untranslated or fuzzy.
#
#   scripts/i18n.sh                  export and merge
#   scripts/i18n.sh --lang de        also start a de.po
#   I18N_DB=nikki_i18n scripts/i18n.sh
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" >/dev/null

ODOO=("$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF")
LOGS="$RUN_DIR/logs"
mkdir -p "$LOGS"
DB="${I18N_DB:-nikki_i18n}"
tpl="$("$ROOT/scripts/template_db.sh")"

log "Installing nikki_dunning in $DB (no demo data)"
dropdb --if-exists "$DB" >/dev/null
createdb -T "$tpl" "$DB"
"${ODOO[@]}" -d "$DB" -i nikki_dunning --without-demo=all --stop-after-init \
  >"$LOGS/i18n-install.log" 2>&1 || { tail -50 "$LOGS/i18n-install.log"; die "install failed"; }

export_file="$RUN_DIR/nikki_dunning-export.pot"
log "Exporting the terms of nikki_dunning"
rm -f "$export_file"
"${ODOO[@]}" -d "$DB" --i18n-export="$export_file" --modules=nikki_dunning \
  --stop-after-init --log-level=warn >"$LOGS/i18n-export.log" 2>&1 \
  || { tail -50 "$LOGS/i18n-export.log"; die "export failed"; }
[ -s "$export_file" ] || die "the export wrote nothing (see $LOGS/i18n-export.log)"
dropdb --if-exists "$DB"

"$VENV/bin/python" "$ROOT/scripts/i18n_sync.py" "$export_file" "$@"
