#!/usr/bin/env bash
# Runs OmniFy at http://127.0.0.1:3000 on the embedded SQLite database (data/omnify.db),
# built in release mode. Installs missing tools first (scripts/setup.sh).
# Extra arguments go to `cargo leptos serve`. Settings: Leptos.toml, overridable by the
# OMNIFY_* environment variables listed in README.md.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$OMNIFY_ROOT"

bash scripts/setup.sh
mkdir -p "${OMNIFY_DATA_DIR:-data}"
log "cargo leptos serve --release $* (the first build takes several minutes)"
log "OmniFy will be at http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000} -- Ctrl-C stops it"
exec cargo leptos serve --release "$@"
