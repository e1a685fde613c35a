/* The SQLite engine's own ceiling for the events import, without OmniFy or sqlx in the way:
 * ROWS events for 50,000 customers (the bench/ingest.sh file's shape) inserted through one
 * prepared statement, BATCH rows per transaction, with the import's settings (WAL, synchronous
 * NORMAL, 256 MB page cache).
 *
 *   floor DB_PATH ROWS BATCH ORDER "SCHEMA SQL" "INSERT SQL"
 *
 * ORDER is how a batch is sorted before it is written: `key` (by event key) or `customer` (by
 * customer row key, then event key; what the import does since migration 0009).
 * The insert picks from numbered parameters: ?1 organization id, ?2 event key, ?3 customer id
 * (36-character text), ?4 event type, ?5 time, ?6 channel, ?7 spend, ?8 content id, ?9 campaign
 * id, ?10 customer row key (64-bit). When the schema has tables customers (id, and row_key if it
 * has one) and organizations (for foreign keys), they are filled first, untimed.
 * Prints rows/s, and how much of the time went to COMMIT (writing the batch's dirty pages to the
 * WAL and checkpoints). */
#include "sqlite3.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* xorshift64: event keys are 64-bit hashes, so uniformly random. */
static unsigned long long state = 88172645463325252ULL;
static unsigned long long next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

typedef struct { long long customer, key; int row; } Keyed;
static int by_key(const void *a, const void *b) {
    long long x = ((const Keyed *)a)->key, y = ((const Keyed *)b)->key;
    return (x > y) - (x < y);
}
static int by_customer_then_key(const void *a, const void *b) {
    long long x = ((const Keyed *)a)->customer, y = ((const Keyed *)b)->customer;
    return x != y ? (x > y) - (x < y) : by_key(a, b);
}

static void check(int rc, sqlite3 *db, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
        fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 7 || (strcmp(argv[4], "key") != 0 && strcmp(argv[4], "customer") != 0)) {
        fprintf(stderr, "usage: %s DB_PATH ROWS BATCH key|customer SCHEMA_SQL INSERT_SQL\n", argv[0]);
        return 2;
    }
    const char *path = argv[1], *schema = argv[5], *insert = argv[6];
    int rows = atoi(argv[2]), batch = atoi(argv[3]);
    int by_customer = strcmp(argv[4], "customer") == 0;
    const int customers = 50000;
    char wal[4096];
    snprintf(wal, sizeof wal, "%s-wal", path);
    remove(path);
    remove(wal);

    sqlite3 *db;
    check(sqlite3_open(path, &db), db, "open");
    check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;", 0, 0, 0), db, "pragmas");
    check(sqlite3_exec(db, schema, 0, 0, 0), db, "schema");

    /* Ids shaped like OmniFy's (36-character UUIDs). */
    const char *org = "0190b8a2-7c3e-7aa1-9d3e-2b1f6c2a9e11";
    char (*customer)[40] = malloc((size_t)customers * 40);
    /* Row keys are hashes of the ids, so random 63-bit numbers. */
    long long *row_key = malloc(sizeof(long long) * (size_t)customers);
    for (int c = 0; c < customers; c++) {
        snprintf(customer[c], 40, "0190b8a2-%04x-7aa1-9d3e-%012llx", c % 65536, next_random() % 1000000000000ULL);
        row_key[c] = (long long)(next_random() >> 1);
    }
    const char *types[] = {"page_view", "email_open", "email_click", "add_to_cart", "purchase", "ad_click"};
    const char *channels[] = {"web", "email", "sms", "paid_social", "search"};

    /* A schema with foreign keys names organizations(id) and customers(id): fill them. */
    sqlite3_stmt *stmt;
    if (sqlite3_prepare_v2(db, "INSERT INTO customers (id, row_key) VALUES (?1, ?2)", -1, &stmt, 0) == SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO customers (id) VALUES (?1)", -1, &stmt, 0) == SQLITE_OK) {
        check(sqlite3_exec(db, "BEGIN", 0, 0, 0), db, "begin");
        for (int c = 0; c < customers; c++) {
            sqlite3_bind_text(stmt, 1, customer[c], -1, SQLITE_STATIC);
            if (sqlite3_bind_parameter_count(stmt) == 2) sqlite3_bind_int64(stmt, 2, row_key[c]);
            check(sqlite3_step(stmt), db, "customer");
            sqlite3_reset(stmt);
        }
        sqlite3_finalize(stmt);
        char sql[128];
        snprintf(sql, sizeof sql, "INSERT INTO organizations (id) VALUES ('%s'); COMMIT", org);
        check(sqlite3_exec(db, sql, 0, 0, 0), db, "organization");
    }
    check(sqlite3_prepare_v2(db, insert, -1, &stmt, 0), db, "prepare");
    Keyed *keyed = malloc(sizeof(Keyed) * (size_t)batch);
    char campaign[16];
    double started = now(), committing = 0;
    for (int first = 0; first < rows; first += batch) {
        int n = rows - first < batch ? rows - first : batch;
        for (int j = 0; j < n; j++) {
            keyed[j].key = (long long)(next_random() >> 1);
            keyed[j].row = first + j;
            keyed[j].customer = row_key[((first + j) * 7919LL) % customers];
        }
        qsort(keyed, n, sizeof(Keyed), by_customer ? by_customer_then_key : by_key);
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        for (int j = 0; j < n; j++) {
            int i = keyed[j].row;
            sqlite3_bind_text(stmt, 1, org, -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 2, keyed[j].key);
            sqlite3_bind_text(stmt, 3, customer[(i * 7919LL) % customers], -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 10, keyed[j].customer);
            sqlite3_bind_text(stmt, 4, types[i % 6], -1, SQLITE_STATIC);
            sqlite3_bind_int64(stmt, 5, 1700000000LL + i * 13LL);
            sqlite3_bind_text(stmt, 6, channels[i % 5], -1, SQLITE_STATIC);
            sqlite3_bind_null(stmt, 7);
            sqlite3_bind_null(stmt, 8);
            snprintf(campaign, sizeof campaign, "cmp%d", i % 40);
            sqlite3_bind_text(stmt, 9, campaign, -1, SQLITE_TRANSIENT);
            check(sqlite3_step(stmt), db, "insert");
            sqlite3_reset(stmt);
        }
        double commit_started = now();
        check(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
        committing += now() - commit_started;
    }
    double elapsed = now() - started;
    printf("%8.0f rows/s  (%.1f s, of which COMMIT %.1f s)\n", rows / elapsed, elapsed, committing);
    sqlite3_close(db);
    return 0;
}
