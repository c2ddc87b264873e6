#!/usr/bin/env bash
# Lint like the OCA does for 18.0 (the same tools and versions as their
# oca-addons-repo-template; .pre-commit-config.yaml runs them for contributors,
# with fixes). This script only checks, and fails on the first tool that
# reports something:
#   ruff (lint + format), pylint-odoo with .pylintrc-mandatory,
#   oca-checks-odoo-module, oca-checks-po, prettier with @prettier/plugin-xml,
#   README.rst / index.html generated from readme/, the addon's wheel builds.
# Fix formatting with scripts/format.sh.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
ADDON=nikki_dunning

log "Lint: ruff"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .

log "Lint: pylint-odoo (OCA mandatory checks, .pylintrc-mandatory)"
"$VENV/bin/pylint" --rcfile=.pylintrc-mandatory --output-format=text --score=n "$ADDON"

log "Lint: oca-checks-odoo-module, oca-checks-po"
"$VENV/bin/oca-checks-odoo-module" --no-verbose "$ADDON/__manifest__.py"
# po-pretty-format is disabled by the OCA too: Odoo's export decides the layout
"$VENV/bin/oca-checks-po" --no-verbose --disable=po-pretty-format "$ADDON"/i18n/*.po "$ADDON"/i18n/*.pot

log "Lint: prettier (XML, JS, ...)"
if [ ! -x "$ROOT/node_modules/.bin/prettier" ]; then
  if [ "${SKIP_PRETTIER:-0}" = 1 ]; then
    log "warning: prettier skipped (SKIP_PRETTIER=1)"
  else
    die "prettier is not installed (scripts/setup.sh installs it with npm; SKIP_PRETTIER=1 skips it)"
  fi
else
  # the files the OCA's pre-commit gives prettier, with the same exclusions
  mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    | grep -E '\.(css|htm|html|js|json|jsx|less|md|scss|ts|xml|yaml|yml)$' \
    | grep -vE '(^|/)README\.md$|/readme/|/static/description/index\.html$|/static/(src/)?lib/|^package-lock\.json$' \
    | while read -r f; do [ -f "$f" ] && echo "$f"; done)
  "$ROOT/node_modules/.bin/prettier" --check --log-level=warn "${files[@]}"
fi

log "Lint: README.rst and static/description/index.html up to date"
"$VENV/bin/python" scripts/gen_readme.py --check "$ADDON"

log "Packaging: the addon's wheel builds (whool)"
wheel_dir="$(mktemp -d)"
trap 'rm -rf "$wheel_dir"' EXIT
"$VENV/bin/pip" wheel --quiet --no-deps --no-build-isolation --disable-pip-version-check \
  -w "$wheel_dir" "./$ADDON" 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
ls "$wheel_dir"/odoo_addon_nikki_dunning-18.0.*-py3-none-any.whl >/dev/null 2>&1 \
  || die "pip wheel ./$ADDON did not build odoo-addon-nikki_dunning"
log "Lint: all clean"
