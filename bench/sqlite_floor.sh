#!/usr/bin/env bash
# The SQLite engine's own ceiling for importing events (issue 3's 100,000 rows/s goal), with no
# OmniFy or sqlx code in the way: bench/sqlite_floor/floor.c, compiled against the SQLite that
# sqlx bundles (libsqlite3-sys's amalgamation in the cargo registry), inserts the rows of
# bench/ingest.sh's file through one prepared statement. It runs the events table as migrated
# and variants of it, so a schema change can be judged before it is made.
#
#   bench/sqlite_floor.sh                    # 1,000,000 rows
#   BENCH_ROWS=200000 bench/sqlite_floor.sh
set -euo pipefail
# shellcheck source=../scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$OMNIFY_ROOT"

ROWS="${BENCH_ROWS:-1000000}"
amalgamation="$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/libsqlite3-sys-*/sqlite3 2>/dev/null | sort -V | tail -n 1)"
[ -f "$amalgamation/sqlite3.c" ] || die "libsqlite3-sys's sqlite3.c not found under ~/.cargo/registry: run cargo build first"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/omnify-sqlite-floor.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

log "compiling bench/sqlite_floor/floor.c against $amalgamation"
# The flags libsqlite3-sys builds with that matter for speed (threadsafe, memory management).
gcc -O2 -DSQLITE_THREADSAFE=1 -DSQLITE_ENABLE_MEMORY_MANAGEMENT -DSQLITE_DEFAULT_FOREIGN_KEYS=1 \
  -I "$amalgamation" bench/sqlite_floor/floor.c "$amalgamation/sqlite3.c" -o "$TMP/floor" -lpthread -lm -ldl

COLUMNS="organization_id TEXT NOT NULL, event_key BIGINT NOT NULL, customer_id TEXT NOT NULL,
  event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL, channel TEXT, spend_cents BIGINT, content_id TEXT, campaign_id TEXT"
INSERT="INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"
AS_MIGRATED="CREATE TABLE events ($COLUMNS, PRIMARY KEY (organization_id, event_key));
  CREATE INDEX events_customer ON events (customer_id, occurred_at);"

run() {
  local name="$1" batch="$2" schema="$3"
  printf '%-48s batch %7s  ' "$name" "$batch"
  "$TMP/floor" "$TMP/floor.db" "$ROWS" "$batch" "$schema" "$INSERT"
}

log "$ROWS events, 50,000 customers"
WITH_KEYS="CREATE TABLE organizations (id TEXT PRIMARY KEY); CREATE TABLE customers (id TEXT PRIMARY KEY);
  CREATE TABLE events (organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_key BIGINT NOT NULL, customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL, channel TEXT, spend_cents BIGINT, content_id TEXT,
    campaign_id TEXT, PRIMARY KEY (organization_id, event_key));
  CREATE INDEX events_customer ON events (customer_id, occurred_at);"
run "as migrated, foreign keys checked (the import)" 50000 "PRAGMA foreign_keys=ON; $WITH_KEYS"
run "as migrated, without foreign keys" 50000 "$AS_MIGRATED"
run "as migrated, 4x larger batches" 200000 "$AS_MIGRATED"
run "without the customer index" 50000 "CREATE TABLE events ($COLUMNS, PRIMARY KEY (organization_id, event_key));"
run "key led by time, with the customer index" 50000 \
  "CREATE TABLE events ($COLUMNS, PRIMARY KEY (organization_id, occurred_at, event_key));
   CREATE INDEX events_customer ON events (customer_id, occurred_at);"
run "no key, no index (the table alone)" 50000 "CREATE TABLE events ($COLUMNS);"
