#!/usr/bin/env bash
# Upgrade test: the previous release of nikki_dunning, taken from git history,
# is installed in a fresh database and filled with data; then the working
# tree's module upgrades it (-u nikki_dunning, running its migrations/ scripts)
# and every record must be kept, and converted where a migration says so.
# Procedure and conventions: docs/MIGRATIONS.md.
#
# The previous release is the commit just before the one that set the
# manifest's current version (the newest commit with another version). When
# there is none (the current version is the first release), the test says so
# and passes. UPGRADE_FROM=<git ref> upgrades from that commit instead, e.g.
#   UPGRADE_FROM=main scripts/upgrade_test.sh
# to try a branch's upgrade from main before its version bump.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/setup.sh" >/dev/null
cd "$ROOT"
MANIFEST=nikki_dunning/__manifest__.py

version_of() {  # version in the manifest of a commit ("" for the working tree)
  if [ -z "$1" ]; then cat "$MANIFEST"; else git show "$1:$MANIFEST" 2>/dev/null || true; fi \
    | "$VENV/bin/python" -c "import ast,sys; t=sys.stdin.read(); print(ast.literal_eval(t)['version'] if t else '')"
}

current="$(version_of "")"
base="${UPGRADE_FROM:-}"
if [ -n "$base" ]; then
  base="$(git rev-parse --verify "$base^{commit}")" || die "UPGRADE_FROM=$UPGRADE_FROM is no commit"
elif [ "$(version_of HEAD)" != "$current" ]; then
  base="$(git rev-parse HEAD)"  # the version bump is not committed yet
else
  # walk back the commits that touched the manifest until the version differs
  bump=""
  while read -r commit; do
    if [ "$(version_of "$commit")" = "$current" ]; then
      bump="$commit"
    else
      break
    fi
  done < <(git log --first-parent --format=%H -- "$MANIFEST")
  if [ -n "$bump" ] && git rev-parse --verify --quiet "$bump^" >/dev/null \
    && [ -n "$(version_of "$bump^")" ] && [ "$(version_of "$bump^")" != "$current" ]; then
    base="$(git rev-parse "$bump^")"
  fi
fi
if [ -z "$base" ]; then
  log "Upgrade test skipped: no previous release in git history (every commit has version $current, the first release). It runs from the first version bump on, see docs/MIGRATIONS.md"
  exit 0
fi
previous="$(version_of "$base")"
[ -n "$previous" ] || die "commit $base has no $MANIFEST"
log "Upgrade test: $previous (commit ${base:0:12}) -> $current (working tree)"

# expectations of every migration between the two versions
checks=()
for file in scripts/upgrade_checks/*.py; do
  [ -f "$file" ] || continue
  v="$(basename "$file" .py)"
  if "$VENV/bin/python" - "$previous" "$v" "$current" <<'PY'
import sys
key = lambda v: tuple(int(x) for x in v.split("."))
prev, v, cur = map(key, sys.argv[1:])
sys.exit(0 if prev < v <= cur else 1)
PY
  then checks+=("$ROOT/$file"); fi
done

work="$RUN_DIR/upgrade"
rm -rf "$work"
mkdir -p "$work/addons" "$RUN_DIR/logs"
git archive "$base" nikki_dunning | tar -x -C "$work/addons"
sed "s|^addons_path = .*|addons_path = $ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$work/addons|" \
  "$ODOO_CONF" > "$work/odoo-previous.conf"

DB="${UPGRADE_DB:-nikki_upgrade}"
tpl="$("$ROOT/scripts/template_db.sh")"
dropdb --if-exists "$DB" >/dev/null 2>&1
createdb -T "$tpl" "$DB"
LOGS="$RUN_DIR/logs"
odoo() {  # odoo [shell] CONF ARGS...
  local cmd=()
  if [ "$1" = shell ]; then cmd=(shell); shift; fi
  local conf="$1"; shift
  "$VENV/bin/python" "$ODOO_SRC/odoo-bin" "${cmd[@]}" -c "$conf" -d "$DB" "$@"
}
OLD="$work/odoo-previous.conf"

log "Installing release $previous"
odoo "$OLD" -i nikki_dunning --without-demo=all --stop-after-init >"$LOGS/upgrade-previous.log" 2>&1 \
  || { tail -50 "$LOGS/upgrade-previous.log"; die "installing $previous failed"; }
log "Filling it with data"
UPGRADE_PHASE=fill UPGRADE_SNAPSHOT="$work/snapshot.json" \
  odoo shell "$OLD" --log-level=warn <scripts/upgrade_data.py >"$LOGS/upgrade-fill.log" 2>&1 \
  || { tail -50 "$LOGS/upgrade-fill.log"; die "filling $previous failed"; }
grep '^upgrade fill' "$LOGS/upgrade-fill.log" || true

log "Upgrading to the working tree (-u nikki_dunning)"
odoo "$ODOO_CONF" -u nikki_dunning --stop-after-init >"$LOGS/upgrade-migrate.log" 2>&1 \
  || { tail -50 "$LOGS/upgrade-migrate.log"; die "the upgrade failed"; }
grep -E "nikki_dunning: (Running migration|module upgraded)|migration" "$LOGS/upgrade-migrate.log" | head -20 || true
"$VENV/bin/python" scripts/checklog.py "$LOGS/upgrade-migrate.log"

log "Checking the records (${#checks[@]} migration check file(s))"
UPGRADE_PHASE=check UPGRADE_SNAPSHOT="$work/snapshot.json" \
  UPGRADE_CHECKS="$(IFS=,; echo "${checks[*]:-}")" \
  odoo shell "$ODOO_CONF" --log-level=warn <scripts/upgrade_data.py >"$LOGS/upgrade-check.log" 2>&1 \
  || { tail -50 "$LOGS/upgrade-check.log"; die "records were lost or changed by the upgrade"; }
grep '^upgrade check' "$LOGS/upgrade-check.log"
dropdb --if-exists "$DB"
