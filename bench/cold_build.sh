#!/usr/bin/env bash
# Cold release build time: `cargo clean`, then `cargo leptos build --release`, timed.
#
# SLOW and destructive: it deletes target/ (all builds, test binaries and target/site) and
# then rebuilds everything -- server and wasm front end -- from scratch. Expect 5 minutes for
# an empty Leptos app on 2 cores and much more for all of OmniFy. Not run by tests or CI.
#
#   bench/cold_build.sh --yes
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

if [ "${1:-}" != "--yes" ]; then
  echo "This deletes target/ and rebuilds everything in release mode (many minutes)."
  echo "Run it as: bench/cold_build.sh --yes"
  exit 2
fi

bash scripts/setup.sh
log "cargo clean"
cargo clean
log "cargo leptos build --release (cold)"
start="$(date +%s.%N)"
cargo leptos build --release
end="$(date +%s.%N)"
secs="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
echo
echo "cold cargo leptos build --release: ${secs} s on $(nproc) cores ($(rustc --version))"
