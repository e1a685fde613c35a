//! Multi-row statements: one INSERT carries many rows, which is what makes imports fast on both
//! backends (one round trip and one statement plan per chunk instead of per row).

use sqlx::AnyConnection;

/// Parameters per statement on PostgreSQL (its cap is 65,535).
const POSTGRES_PARAMS: usize = 4_000;
/// Values per `IN (…)` lookup. PostgreSQL's generic plan for a long list of parameters scans the
/// table and compares every row with every value (seconds per batch at 4,500 values on 50,000
/// rows); short lists keep it on the index.
pub const IN_LIST: usize = 200;
/// Parameters per statement on SQLite (its cap is 32,766). Multi-row statements use anonymous
/// `?` placeholders there: sqlx binds a named or numbered SQLite parameter (`$n`) by looking its
/// name up among all of the statement's parameters, which made 9,000-parameter `$n` statements
/// crawl at 4,000 rows/s; anonymous ones bind by position in constant time.
const SQLITE_PARAMS: usize = 8_000;

fn is_sqlite(conn: &AnyConnection) -> bool {
    conn.backend_name() == "SQLite"
}

/// How many rows of `columns` values one statement should carry on this connection's backend.
pub fn rows_per_statement(conn: &AnyConnection, columns: usize) -> usize {
    let params = if is_sqlite(conn) { SQLITE_PARAMS } else { POSTGRES_PARAMS };
    (params / columns.max(1)).max(1)
}

/// The VALUES list of a multi-row INSERT whose only parameters are these rows:
/// `($1, $2, $3), ($4, $5, $6)` on PostgreSQL, `(?, ?, ?), (?, ?, ?)` on SQLite.
pub fn values(conn: &AnyConnection, rows: usize, columns: usize) -> String {
    values_in(is_sqlite(conn), rows, columns)
}

fn values_in(anonymous: bool, rows: usize, columns: usize) -> String {
    let mut sql = String::with_capacity(rows * columns * 6);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..columns {
            if c > 0 {
                sql.push_str(", ");
            }
            if anonymous {
                sql.push('?');
            } else {
                sql.push('$');
                sql.push_str(&n.to_string());
            }
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
        assert_eq!(super::values_in(false, 2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::values_in(true, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(super::list(3, 2), "$2, $3, $4");
    }
}
