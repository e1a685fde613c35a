#!/usr/bin/env bash
# What a browser downloads: raw and gzip -9 sizes of the release front-end bundle
# (target/site/pkg/omnify.wasm, omnify.js, omnify.css).
#
#   bench/sizes.sh              # runs `cargo leptos build --release` first (quick when built)
#   bench/sizes.sh --no-build   # measures what is in target/site/pkg now
#
# cargo-leptos 0.3 renames wasm-bindgen's <name>_bg.wasm to <name>.wasm; a debug build
# writes the same paths, so without --no-build this always rebuilds in release first.
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/setup.sh
  log "cargo leptos build --release"
  cargo leptos build --release
fi

PKG="target/site/pkg"
NAME="${LEPTOS_OUTPUT_NAME:-omnify}"
wasm="$PKG/$NAME.wasm"
if [ ! -f "$wasm" ] && [ -f "$PKG/${NAME}_bg.wasm" ]; then wasm="$PKG/${NAME}_bg.wasm"; fi

total_raw=0
total_gz=0
printf '%-34s %12s %12s\n' "file" "raw bytes" "gzip -9"
for f in "$wasm" "$PKG/$NAME.js" "$PKG/$NAME.css"; do
  if [ ! -f "$f" ]; then
    printf '%-34s %12s %12s\n' "$f" "missing" "-"
    continue
  fi
  raw="$(wc -c < "$f")"
  gz="$(gzip -9 -c "$f" | wc -c)"
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-34s %12d %12d   (%d KiB gzip)\n' "$f" "$raw" "$gz" $(((gz + 512) / 1024))
done
printf '%-34s %12d %12d   (%d KiB gzip)\n' "total" "$total_raw" "$total_gz" $(((total_gz + 512) / 1024))
