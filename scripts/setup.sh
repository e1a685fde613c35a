#!/usr/bin/env bash
# Installs everything OmniFy's build and tests need, skipping whatever is already there.
# Safe to run again and again; run.sh and test.sh call it first.
#
#   rustup target wasm32-unknown-unknown
#   cargo-leptos 0.3.10            (cargo install, ~20 min the first time on 2 cores)
#   wasm-bindgen-cli = Cargo.lock's wasm-bindgen version (cargo install, ~4 min)
#   node/npm (Debian packages, only if missing), then `npm install`: Tailwind CSS v4, wasm-opt
#     (binaryen), Playwright -- only when package-lock.json changed since the last install
#   curl, Chromium (Debian packages, only if missing)
#
# Assumes Debian (apt-get) and root or sudo for the Debian packages, and a Rust toolchain
# installed with rustup.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$OMNIFY_ROOT"

log "setup: checking the toolchain (skips what is present)"

# --- Rust --------------------------------------------------------------------------------
have cargo || die "cargo not found. Install Rust (stable) with rustup, then run this again."
have rustup || die "rustup not found. It is needed to add the wasm32-unknown-unknown target."
note "rust: $(rustc --version)"

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  note "rust target wasm32-unknown-unknown: present"
else
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# --- cargo-leptos --------------------------------------------------------------------------
leptos_version="$(cargo leptos --version 2>/dev/null || true)"
if printf '%s' "$leptos_version" | grep -Eq "(^|[^0-9.])${CARGO_LEPTOS_VERSION//./\\.}([^0-9.]|$)"; then
  note "cargo-leptos: $leptos_version"
else
  log "cargo install cargo-leptos --version $CARGO_LEPTOS_VERSION --locked --features no_downloads" \
      "(found: ${leptos_version:-none}; this takes ~20 min on 2 cores)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads
fi

# --- wasm-bindgen CLI: exactly the version in Cargo.lock ------------------------------------
if [ ! -f Cargo.lock ]; then
  log "Cargo.lock missing: resolving dependencies (cargo metadata)"
  cargo metadata --format-version 1 >/dev/null
fi
wb_want="$(wasm_bindgen_lock_version)"
[ -n "$wb_want" ] || die "could not find the wasm-bindgen version in Cargo.lock"
wb_have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$wb_have" = "$wb_want" ]; then
  note "wasm-bindgen CLI: $wb_have (= Cargo.lock)"
else
  # Not --locked: the CLI's own lock pins a webpki-roots release the registry lacks.
  log "cargo install wasm-bindgen-cli --version $wb_want (found: ${wb_have:-none}; ~4 min)"
  cargo install wasm-bindgen-cli --version "$wb_want"
fi

# --- curl (test.sh and the benchmarks use it) ------------------------------------------------
if have curl; then
  note "curl: present"
else
  apt_install curl ca-certificates
fi

# --- Node.js and npm ---------------------------------------------------------------------
if have node && have npm; then
  note "node $(node --version), npm $(npm --version 2>/dev/null)"
else
  apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  warn "node $(node --version) is older than 20: Tailwind v4 and Playwright need node >= 20"
fi

# --- npm packages: reinstall only when package.json / package-lock.json / node changed --------
stamp_file="node_modules/.omnify-npm-stamp"
npm_stamp="$( { cat package.json package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)"
if [ -d node_modules ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$npm_stamp" ] \
   && [ -x node_modules/.bin/tailwindcss ] && [ -x node_modules/.bin/wasm-opt ] \
   && [ -x node_modules/.bin/playwright ]; then
  note "node_modules: up to date with package-lock.json"
else
  # `npm install`, not `npm ci`: it installs the versions package-lock.json pins (and leaves
  # the lock unchanged), but unlike `npm ci` it tolerates platform-specific optional packages
  # that the registry mirror lacks (e.g. @tailwindcss/oxide-darwin-* for 4.3.5), which Linux
  # never needs.
  log "npm install (from package-lock.json: Tailwind CSS v4, binaryen/wasm-opt, Playwright; no browser download)"
  npm install --no-audit --no-fund
  printf '%s\n' "$npm_stamp" > "$stamp_file"
fi
note "tailwindcss: $(tailwindcss --help 2>/dev/null | head -n1 | awk '{print $NF}')"
note "wasm-opt: $(wasm-opt --version)"

# --- Chromium for the Playwright tests ------------------------------------------------------
if [ -x "$CHROMIUM_BIN" ]; then
  note "chromium: $CHROMIUM_BIN"
else
  apt_install chromium
  [ -x "$CHROMIUM_BIN" ] || die "chromium installed but $CHROMIUM_BIN is missing"
fi

log "setup: done"
