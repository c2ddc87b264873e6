#!/usr/bin/env bash
# Lint like the OCA does. Filled in by the engineering issue.
set -euo pipefail
source "$(dirname "$0")/env.sh"
log "Linting"
"$VENV/bin/ruff" check "$ROOT"
"$VENV/bin/ruff" format --check "$ROOT"
