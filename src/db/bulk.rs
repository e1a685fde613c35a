//! Multi-row statements: one INSERT carries many rows, which is what makes imports fast on both
//! backends (one round trip and one statement plan per chunk instead of per row).

use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Any, AnyConnection, FromRow};

/// One statement's worth of rows bound onto a query.
pub type AnyQuery<'q> = Query<'q, Any, AnyArguments<'q>>;

/// Parameters per statement on PostgreSQL (its cap is 65,535).
const POSTGRES_PARAMS: usize = 4_000;
/// Values per `IN (…)` lookup (see `lookup`). PostgreSQL's generic plan for a long list of
/// parameters scans the table and compares every row with every value (seconds per batch at 4,500
/// values on 50,000 rows); short lists keep it on the index.
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

/// Inserts `rows` with as few multi-row statements as the backend allows and returns the rows
/// they affected. `statement` turns a VALUES list into the full SQL; `bind` binds one row's
/// `columns` values in order. Each statement's values are bound while the previous statement
/// runs (SQLite executes on its own worker thread, PostgreSQL on the server), so binding a big
/// import costs no wall time of its own.
pub async fn insert_rows<T>(
    conn: &mut AnyConnection,
    rows: &[T],
    columns: usize,
    statement: impl Fn(&str) -> String,
    bind: impl for<'q> Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
) -> sqlx::Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let per_statement = rows_per_statement(conn, columns).min(rows.len());
    let full_sql = statement(&values(conn, per_statement, columns));
    let rest = rows.len() % per_statement;
    let rest_sql = if rest > 0 { statement(&values(conn, rest, columns)) } else { String::new() };
    let mut chunks = rows.chunks(per_statement);
    let sql_for = |len: usize| if len == per_statement { full_sql.as_str() } else { rest_sql.as_str() };
    let mut next = chunks.next().map(|c| bound(sql_for(c.len()), c, &bind));
    let mut affected = 0;
    while let Some(query) = next.take() {
        // `join` polls the statement first, which hands it to the backend, then binds the next.
        let (done, built) = futures_util::future::join(query.execute(&mut *conn), async {
            chunks.next().map(|c| bound(sql_for(c.len()), c, &bind))
        }).await;
        affected += done?.rows_affected();
        next = built;
    }
    Ok(affected)
}

fn bound<'q, T>(sql: &'q str, rows: &'q [T], bind: &impl Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>) -> AnyQuery<'q> {
    rows.iter().fold(sqlx::query(sql), bind)
}

/// `$2, $3, $4` for an IN list of `count` values numbered from `first`.
pub fn list(count: usize, first: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// An `IN (…)` lookup, run as a one-off statement. PostgreSQL plans a kept (named) statement
/// generically after five runs, and for these lists that plan scans the table and compares every
/// row with every value (0.1–0.2 s per 200-value lookup on 50,000 rows); a one-off statement is
/// planned with its values each time and stays on the index. This is per statement on purpose:
/// forcing custom plans for the whole connection also re-planned the foreign-key check of every
/// inserted event, 63% of PostgreSQL's time in a big import.
pub fn lookup<'q, O>(sql: &'q str) -> QueryAs<'q, Any, O, AnyArguments<'q>>
where
    O: for<'r> FromRow<'r, AnyRow>,
{
    sqlx::query_as(sql).persistent(false)
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
