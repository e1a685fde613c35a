//! Multi-row statements: one INSERT carries many rows, which is what makes imports fast on both
//! backends (one round trip and one statement plan per chunk instead of per row).

/// Rows per statement. Both backends cap bound parameters (SQLite 32,766; PostgreSQL 65,535),
/// and the widest bulk row has 13 columns.
pub const CHUNK_ROWS: usize = 1000;

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
