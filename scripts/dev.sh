#!/usr/bin/env bash
# Development loop: rebuilds and restarts on every change (debug build, live reload).
# Serves at http://127.0.0.1:3000 on the embedded SQLite database (data/omnify.db).
# Extra arguments go to `cargo leptos watch`.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$OMNIFY_ROOT"

bash scripts/setup.sh
mkdir -p "${OMNIFY_DATA_DIR:-data}"
log "cargo leptos watch $*"
exec cargo leptos watch "$@"
