#!/usr/bin/env bash
# The SQLite engine's own ceiling for importing events (issue 3's 100,000 rows/s goal), with no
# OmniFy or sqlx code in the way: bench/sqlite_floor/floor.c, compiled against the SQLite that
# sqlx bundles (libsqlite3-sys's amalgamation in the cargo registry), inserts the rows of
# bench/ingest.sh's file through one prepared statement. It runs the events table as migrated
# and variants of it (including the shape before migration 0009), so a schema change can be
# judged before it is made.
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

# Migration 0009's shape (what the import writes now): events reference their customer by a
# 64-bit row key and have one unique index, written in customer order.
ROW_COLUMNS="customer_row BIGINT NOT NULL, event_key BIGINT NOT NULL, event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL,
  channel TEXT, spend_cents BIGINT, content_id TEXT, campaign_id TEXT"
ROW_INSERT="INSERT INTO events VALUES (?10, ?2, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"
AS_MIGRATED="PRAGMA foreign_keys=ON; CREATE TABLE organizations (id TEXT PRIMARY KEY);
  CREATE TABLE customers (id TEXT PRIMARY KEY, row_key BIGINT NOT NULL UNIQUE);
  CREATE TABLE events (customer_row BIGINT NOT NULL REFERENCES customers (row_key) ON DELETE CASCADE,
    event_key BIGINT NOT NULL, event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL, channel TEXT, spend_cents BIGINT,
    content_id TEXT, campaign_id TEXT);
  CREATE UNIQUE INDEX events_customer_event ON events (customer_row, event_key);"

# Before 0009: organization id and customer id (36-character text) in every row, a primary key
# on (organization_id, event_key) and an index on (customer_id, occurred_at); sorted by key.
TEXT_COLUMNS="organization_id TEXT NOT NULL, event_key BIGINT NOT NULL, customer_id TEXT NOT NULL,
  event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL, channel TEXT, spend_cents BIGINT, content_id TEXT, campaign_id TEXT"
TEXT_INSERT="INSERT INTO events VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING"
BEFORE="CREATE TABLE events ($TEXT_COLUMNS, PRIMARY KEY (organization_id, event_key));
  CREATE INDEX events_customer ON events (customer_id, occurred_at);"
BEFORE_WITH_KEYS="PRAGMA foreign_keys=ON; CREATE TABLE organizations (id TEXT PRIMARY KEY); CREATE TABLE customers (id TEXT PRIMARY KEY);
  CREATE TABLE events (organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event_key BIGINT NOT NULL, customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    event_type TEXT NOT NULL, occurred_at BIGINT NOT NULL, channel TEXT, spend_cents BIGINT, content_id TEXT,
    campaign_id TEXT, PRIMARY KEY (organization_id, event_key));
  CREATE INDEX events_customer ON events (customer_id, occurred_at);"

run() {
  local name="$1" batch="$2" order="$3" schema="$4" insert="$5"
  printf '%-56s batch %7s  ' "$name" "$batch"
  "$TMP/floor" "$TMP/floor.db" "$ROWS" "$batch" "$order" "$schema" "$insert"
}

log "$ROWS events, 50,000 customers"
run "as migrated (0009), foreign key checked (the import)" 50000 customer "$AS_MIGRATED" "$ROW_INSERT"
run "as migrated (0009), sorted by event key only" 50000 key "$AS_MIGRATED" "$ROW_INSERT"
run "as migrated (0009), 4x larger batches" 200000 customer "$AS_MIGRATED" "$ROW_INSERT"
run "as migrated (0009), no index (the table alone)" 50000 customer "CREATE TABLE events ($ROW_COLUMNS);" "$ROW_INSERT"
run "before 0009, foreign keys checked" 50000 key "$BEFORE_WITH_KEYS" "$TEXT_INSERT"
run "before 0009, without foreign keys" 50000 key "$BEFORE" "$TEXT_INSERT"
run "before 0009, 4x larger batches" 200000 key "$BEFORE" "$TEXT_INSERT"
run "before 0009, without the customer index" 50000 key \
  "CREATE TABLE events ($TEXT_COLUMNS, PRIMARY KEY (organization_id, event_key));" "$TEXT_INSERT"
