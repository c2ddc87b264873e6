#!/usr/bin/env bash
# Apply the formatters the lint checks: ruff (fixes + format), prettier (XML,
# JS, ...) and the generated README.rst / index.html. Run it before
# committing, or after a merge that mixed formatting.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
"$VENV/bin/ruff" check --fix --exit-zero --quiet .
"$VENV/bin/ruff" format --quiet .
if [ -x "$ROOT/node_modules/.bin/prettier" ]; then
  mapfile -t files < <(git ls-files --cached --others --exclude-standard \
    | grep -E '\.(css|htm|html|js|json|jsx|less|md|scss|ts|xml|yaml|yml)$' \
    | grep -vE '(^|/)README\.md$|/readme/|/static/description/index\.html$|/static/(src/)?lib/|^package-lock\.json$' \
    | while read -r f; do [ -f "$f" ] && echo "$f"; done)
  "$ROOT/node_modules/.bin/prettier" --write --log-level=warn "${files[@]}"
else
  log "warning: prettier not installed (scripts/setup.sh): XML not formatted"
fi
"$VENV/bin/python" scripts/gen_readme.py nikki_dunning >/dev/null
log "Formatted; now run scripts/lint.sh"
