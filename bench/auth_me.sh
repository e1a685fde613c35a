#!/usr/bin/env bash
# Throughput and tail latency of an authenticated API call, GET /api/auth/me, on the release
# build over a fresh SQLite database, rate limits off.
#
#   bench/auth_me.sh            # wrk -t2 -c64 -d20s (override: WRK_THREADS, WRK_CONNS, WRK_DURATION)
#
# Builds with `cargo leptos build --release`, starts target/release/server on a free port from
# 3211 with a temp data dir, registers a user, then loads /api/auth/me with its bearer token.
# Only 127.0.0.1 is ever targeted; the run is bounded by WRK_DURATION. Needs wrk (installed
# from Debian's packages if missing). Note: wrk and the server share this machine's cores.
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

THREADS="${WRK_THREADS:-2}"
CONNS="${WRK_CONNS:-64}"
DURATION="${WRK_DURATION:-20s}"

SERVER_PID=""
TMP=""
cleanup() {
  stop_pid "$SERVER_PID"
  if [ -n "$TMP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash scripts/setup.sh
have wrk || apt_install wrk

log "cargo leptos build --release"
cargo leptos build --release

TMP="$(mktemp -d "${TMPDIR:-/tmp}/omnify-bench.XXXXXX")"
PORT="$(free_port "${OMNIFY_BENCH_PORT:-3211}")"
BASE="http://127.0.0.1:$PORT"
LOG="$TMP/server.log"

log "starting target/release/server serve on $BASE"
start_server target/release/server "$PORT" "$TMP" "$LOG" \
  OMNIFY_RATE_LIMIT_AUTH=0 OMNIFY_RATE_LIMIT_AI=0 OMNIFY_RATE_LIMIT_API=0 RUST_LOG="${RUST_LOG:-warn}"
wait_for_health "$BASE/health" "$SERVER_PID" "$LOG" 60

log "registering a bench user"
EMAIL="bench-$(date +%s)-$$@example.com"
BODY="$(printf '{"email":"%s","password":"%s","full_name":"%s","organization_name":"%s"}' \
  "$EMAIL" "Bench-Passw0rd-$$!" "Bench User" "Bench Org")"
RESP="$(curl -sS -X POST "$BASE/api/auth/register" -H 'content-type: application/json' -d "$BODY")"
TOKEN="$(printf '%s' "$RESP" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
    const find = v => {
      if (v && typeof v === "object") {
        if (typeof v.access_token === "string") return v.access_token;
        for (const k of Object.keys(v)) { const t = find(v[k]); if (t) return t; }
      }
      return "";
    };
    try { process.stdout.write(find(JSON.parse(s))); } catch { }
  });')"
[ -n "$TOKEN" ] || die "register gave no access_token; response: $RESP"
STATUS="$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/me")"
[ "$STATUS" = 200 ] || die "GET /api/auth/me answered $STATUS, not 200"

log "wrk -t$THREADS -c$CONNS -d$DURATION --latency GET /api/auth/me"
OUT="$(wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/me")"
printf '%s\n' "$OUT"

RPS="$(printf '%s\n' "$OUT" | awk '/^Requests\/sec:/ {print $2}')"
P99="$(printf '%s\n' "$OUT" | awk '$1 == "99%" {print $2}')"
NON2XX="$(printf '%s\n' "$OUT" | awk '/Non-2xx or 3xx responses:/ {print $NF}')"
echo
echo "GET /api/auth/me: ${RPS:-?} requests/sec, p99 ${P99:-?} (wrk -t$THREADS -c$CONNS -d$DURATION)"
if [ -n "$NON2XX" ]; then
  warn "$NON2XX responses were not 2xx/3xx: the number above includes errors"
fi
