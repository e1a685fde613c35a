#!/usr/bin/env bash
# What the AI layer adds per call, in milliseconds: the same chat completion straight through
# the OpenAI-compatible client and through the whole gateway (prompt, budget reservation and
# settlement, repair, schema validation, call log) against a local server that answers at once.
# Also the built-in engine end to end. Release build.
#
#   bench/ai_overhead.sh                       # SQLite, then PostgreSQL
#   BENCH_CALLS=1000 BENCH_BACKENDS=sqlite bench/ai_overhead.sh   # SQLite only
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
PG_ADMIN="${OMNIFY_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_DB=""
cleanup() {
  if [ -n "$PG_DB" ]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

log "cargo build --release -p server --example ai_overhead"
cargo build --release -p server --example ai_overhead

if [[ " $BACKENDS " == *" postgres "* ]]; then
  PG_DB="omnify_bench_ai_$$"
  psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
  export OMNIFY_BENCH_POSTGRES_URL="${PG_ADMIN%/*}/$PG_DB"
else
  unset OMNIFY_BENCH_POSTGRES_URL
fi
target/release/examples/ai_overhead
