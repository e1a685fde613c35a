#!/usr/bin/env bash
# Import throughput: POST /api/ingest/events with a 1,000,000-row CSV (50,000 customers), into a
# fresh SQLite database and into a throwaway PostgreSQL database, on the release build.
#
#   bench/ingest.sh                 # both backends
#   BENCH_ROWS=200000 bench/ingest.sh
#   BENCH_BACKENDS=sqlite bench/ingest.sh
#
# Prints, per backend, the server's own rows/s (parse + validate + resolve customers + write,
# batches of 100,000 on SQLite and 5,000 on PostgreSQL, one transaction each) and the wall time
# of the whole upload. Then it uploads the same file again: every row is a duplicate, nothing is
# added.
# PostgreSQL: OMNIFY_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
# the bench creates and drops its own database there.
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

ROWS="${BENCH_ROWS:-1000000}"
CUSTOMERS="${BENCH_CUSTOMERS:-50000}"
BACKENDS="${BENCH_BACKENDS:-sqlite postgres}"
PG_ADMIN="${OMNIFY_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

SERVER_PID=""
TMP=""
PG_DB=""
cleanup() {
  stop_pid "$SERVER_PID"
  if [ -n "$PG_DB" ]; then psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB" >/dev/null 2>&1 || true; fi
  if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "cargo build --release -p server"
cargo build --release -p server

TMP="$(mktemp -d "${TMPDIR:-/tmp}/omnify-ingest.XXXXXX")"
FILE="$TMP/events.csv"
log "writing $ROWS events for $CUSTOMERS customers to $FILE"
awk -v rows="$ROWS" -v customers="$CUSTOMERS" 'BEGIN {
  print "customer_id,event_type,occurred_at,channel,spend,campaign_id";
  split("page_view email_open email_click add_to_cart purchase ad_click", types, " ");
  split("web email sms paid_social search", channels, " ");
  for (i = 0; i < rows; i++) {
    t = types[i % 6 + 1];
    spend = (t == "purchase") ? sprintf("%d.%02d", (i * 7) % 200, i % 100) : "";
    printf "c%d,%s,%d,%s,%s,cmp%d\n", (i * 7919) % customers, t, 1700000000 + i * 13, channels[i % 5 + 1], spend, i % 40;
  }
}' > "$FILE"
note "file: $(du -h "$FILE" | cut -f1)"

json_field() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);process.stdout.write(String(process.argv[1].split(".").reduce((o,k)=>o[k],v)))})' "$1"; }

run_backend() {
  local backend="$1" url port base log token resp start end
  port="$(free_port "${OMNIFY_BENCH_PORT:-3221}")"
  base="http://127.0.0.1:$port"
  log="$TMP/server-$backend.log"
  case "$backend" in
    sqlite) url="sqlite://$TMP/$backend/omnify.db" ;;
    postgres)
      PG_DB="omnify_bench_$$"
      psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
      url="${PG_ADMIN%/*}/$PG_DB" ;;
  esac
  mkdir -p "$TMP/$backend"
  start_server target/release/server "$port" "$TMP/$backend" "$log" \
    OMNIFY_DATABASE_URL="$url" OMNIFY_RATE_LIMIT_AUTH=0 OMNIFY_RATE_LIMIT_API=0 RUST_LOG=warn
  wait_for_health "$base/health" "$SERVER_PID" "$log" 60
  resp="$(curl -sS -X POST "$base/api/auth/register" -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"Bench-Passw0rd!","full_name":"Bench","organization_name":"Bench"}')"
  token="$(printf '%s' "$resp" | json_field access_token)"

  for pass in first repeat; do
    start=$(date +%s.%N)
    resp="$(curl -sS -X POST "$base/api/ingest/events" -H "authorization: Bearer $token" \
      -H 'content-type: text/csv' --data-binary @"$FILE")"
    end=$(date +%s.%N)
    printf '%-8s %-6s  server %10s rows/s   wall %6.1f s   inserted %s  unchanged %s  failed %s\n' \
      "$backend" "$pass" "$(printf '%s' "$resp" | json_field rows_per_second)" "$(echo "$end - $start" | bc)" \
      "$(printf '%s' "$resp" | json_field rows_inserted)" "$(printf '%s' "$resp" | json_field rows_unchanged)" \
      "$(printf '%s' "$resp" | json_field rows_failed)"
  done
  stop_pid "$SERVER_PID"
  SERVER_PID=""
}

for b in $BACKENDS; do run_backend "$b"; done
