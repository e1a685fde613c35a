//! Multi-row statements: one INSERT carries many rows, which is what makes imports fast on both
//! backends (one round trip and one statement plan per chunk instead of per row).

use sqlx::AnyConnection;

/// Parameters per statement on PostgreSQL (its cap is 65,535).
const POSTGRES_PARAMS: usize = 4_000;
/// Values per `IN (…)` lookup. PostgreSQL's generic plan for a long list of parameters scans the
/// table and compares every row with every value (seconds per batch at 4,500 values on 50,000
/// rows); short lists keep it on the index.
pub const IN_LIST: usize = 200;
/// Parameters per statement on SQLite. sqlx binds SQLite's `$n` parameters by name, looking each
/// one up among all of the statement's parameters, so binding costs grow with the square of the
/// statement's size: 9,000-parameter statements ran at 4,000 rows/s, 250-parameter ones many
/// times faster (see bench/ingest.sh).
const SQLITE_PARAMS: usize = 250;

/// How many rows of `columns` values one statement should carry on this connection's backend.
pub fn rows_per_statement(conn: &AnyConnection, columns: usize) -> usize {
    let params = if conn.backend_name() == "SQLite" { SQLITE_PARAMS } else { POSTGRES_PARAMS };
    (params / columns.max(1)).max(1)
}

/// `($1, $2, $3), ($4, $5, $6)` for `rows` rows of `columns` placeholders, numbered from
/// `first` (placeholders before it belong to the statement's fixed parameters).
pub fn values(rows: usize, columns: usize, first: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    let mut n = first;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&n.to_string());
            n += 1;
        }
        sql.push(')');
    }
    sql
}

/// `$2, $3, $4` for an IN list of `count` values numbered from `first`.
pub fn list(count: usize, first: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn placeholders_are_numbered_across_rows() {
        assert_eq!(super::values(2, 3, 2), "($2, $3, $4), ($5, $6, $7)");
        assert_eq!(super::list(3, 2), "$2, $3, $4");
    }
}
