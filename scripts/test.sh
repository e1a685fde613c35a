#!/usr/bin/env bash
# Runs every OmniFy test, failing fast; CI runs exactly this (.ci/run).
#
#   1. unit         cargo test -p omnify --features server   (domain core)
#   2. unit         cargo test -p app --features ssr         (components, server functions)
#   3. integration  cargo test -p server                     (HTTP on SQLite, PostgreSQL, Redis)
#   4. build        cargo leptos build                       (target/site, target/debug/server)
#   5. e2e          Playwright in Chromium against target/debug/server on a temp SQLite
#
# PostgreSQL/Redis: the server tests read OMNIFY_TEST_POSTGRES_URL (default
# postgres://postgres@127.0.0.1:5432/postgres) and OMNIFY_TEST_REDIS_URL (default
# redis://127.0.0.1:6379). With CI=true they must be reachable (a missing server fails the run);
# elsewhere those tests skip and say why.
#
# Ends with one line "N passed, M failed" counting the steps; exits non-zero on any failure.
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$OMNIFY_ROOT"

TOTAL=5
PASSED=0
FAILED=0
TIMINGS=()
SERVER_PID=""
E2E_TMP=""

cleanup() {
  stop_pid "$SERVER_PID"
  SERVER_PID=""
  if [ -n "$E2E_TMP" ]; then rm -rf "$E2E_TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

summary() {
  local t
  echo
  for t in "${TIMINGS[@]}"; do note "$t"; done
  if [ "$FAILED" -gt 0 ] && [ $((PASSED + FAILED)) -lt "$TOTAL" ]; then
    note "not run after the failure: $((TOTAL - PASSED - FAILED)) step(s)"
  fi
  echo "$PASSED passed, $FAILED failed"
}

# step NAME CMD...: runs CMD with a header; on failure prints the summary and exits 1.
step() {
  local name="$1" start=$SECONDS
  shift
  echo
  log "[$((PASSED + FAILED + 1))/$TOTAL] $name"
  if "$@"; then
    PASSED=$((PASSED + 1))
    TIMINGS+=("ok    $name ($((SECONDS - start)) s)")
  else
    FAILED=$((FAILED + 1))
    TIMINGS+=("FAIL  $name ($((SECONDS - start)) s)")
    warn "step failed: $name"
    summary
    exit 1
  fi
}

# Prints and runs a command.
run() { note "\$ $(printf '%q ' "$@")"; "$@"; }

# The cargo test builds use the same RUSTFLAGS and LEPTOS_* variables that `cargo leptos build`
# (debug) gives the server build, so step 4 reuses the host dependencies compiled in steps 1-3
# instead of compiling the whole dependency tree a second time (a different RUSTFLAGS
# invalidates every crate; leptos_config reads LEPTOS_OUTPUT_NAME & co. at compile time).
# Set OMNIFY_SHARE_LEPTOS_BUILD=0, or your own RUSTFLAGS, to turn this off.
cargo_test() {
  if [ "${OMNIFY_SHARE_LEPTOS_BUILD:-1}" = 1 ] && [ -z "${RUSTFLAGS+x}" ]; then
    run env \
      RUSTFLAGS="--cfg erase_components" \
      LEPTOS_OUTPUT_NAME=omnify \
      LEPTOS_SITE_ROOT=target/site \
      LEPTOS_SITE_PKG_DIR=pkg \
      LEPTOS_SITE_ADDR=127.0.0.1:3000 \
      LEPTOS_RELOAD_PORT=3001 \
      LEPTOS_LIB_DIR=frontend \
      LEPTOS_BIN_DIR=server \
      LEPTOS_JS_MINIFY=false \
      LEPTOS_HASH_FILES=false \
      cargo test "$@"
  else
    run cargo test "$@"
  fi
}

# Under CI the PostgreSQL and Redis tests are mandatory: if a local service is down, try once
# to start it the way this machine's services are started (only for the default local URLs).
ensure_ci_services() {
  if [ -z "${OMNIFY_TEST_POSTGRES_URL:-}" ] && ! port_in_use 5432; then
    if have pg_ctlcluster && [ -d /etc/postgresql ]; then
      log "CI: PostgreSQL is not listening on 127.0.0.1:5432; starting it"
      # shellcheck disable=SC2012
      as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start \
        || warn "could not start PostgreSQL"
    else
      warn "CI: PostgreSQL is not listening on 127.0.0.1:5432 (its tests will fail)"
    fi
  fi
  if [ -z "${OMNIFY_TEST_REDIS_URL:-}" ] && ! port_in_use 6379; then
    if have redis-server; then
      log "CI: Redis is not listening on 127.0.0.1:6379; starting it"
      as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        || warn "could not start Redis"
    else
      warn "CI: Redis is not listening on 127.0.0.1:6379 (its tests will fail)"
    fi
  fi
}

e2e() {
  local cfg="end2end/playwright.config.ts" port base log
  [ -f "$cfg" ] || { warn "missing $cfg"; return 1; }
  [ -x target/debug/server ] || { warn "missing target/debug/server (step 4 builds it)"; return 1; }
  [ -d target/site/pkg ] || { warn "missing target/site/pkg (step 4 builds it)"; return 1; }

  E2E_TMP="$(mktemp -d "${TMPDIR:-/tmp}/omnify-e2e.XXXXXX")"
  log="$E2E_TMP/server.log"
  port="$(free_port "${OMNIFY_E2E_PORT:-3111}")"
  base="http://127.0.0.1:$port"

  note "starting target/debug/server serve on $base (data: $E2E_TMP, log: $log)"
  start_server target/debug/server "$port" "$E2E_TMP" "$log" \
    OMNIFY_RATE_LIMIT_AUTH=100 OMNIFY_RATE_LIMIT_API=0 RUST_LOG="${RUST_LOG:-info}"

  wait_for_health "$base/health" "$SERVER_PID" "$log" 60 || return 1

  if OMNIFY_E2E_BASE_URL="$base" run npx --no-install playwright test -c "$cfg"; then
    return 0
  fi
  mkdir -p target
  cp "$log" target/e2e-server.log 2>/dev/null || true
  warn "Playwright failed; last 60 lines of the server log (all of it: target/e2e-server.log):"
  tail -n 60 "$log" >&2 || true
  return 1
}

# --- main ---------------------------------------------------------------------------------
bash "$OMNIFY_ROOT/scripts/setup.sh"

if [ "${CI:-}" = "true" ]; then
  export CI
  log "CI=true: the PostgreSQL and Redis tests are mandatory"
  ensure_ci_services
else
  log "CI is not true: PostgreSQL/Redis tests skip (and say why) if those servers are down"
fi

step "unit: omnify core (cargo test -p omnify --features server)" \
  cargo_test -p omnify --features server
step "unit: app (cargo test -p app --features ssr)" \
  cargo_test -p app --features ssr
step "integration: server HTTP on SQLite, PostgreSQL, Redis (cargo test -p server)" \
  cargo_test -p server
step "build: cargo leptos build (target/site, target/debug/server)" \
  run cargo leptos build
step "e2e: Playwright in Chromium against target/debug/server" \
  e2e

cleanup
summary
[ "$FAILED" -eq 0 ]
