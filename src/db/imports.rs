//! Import records and their row-level error reports.

use sqlx::{Any, Executor, FromRow};

use super::bulk;
use crate::model::RowError;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct ImportRow {
    pub id: String,
    pub organization_id: String,
    pub user_id: Option<String>,
    pub kind: String,
    pub format: String,
    pub file_name: Option<String>,
    pub mapping: String,
    pub status: String,
    pub rows_read: i64,
    pub rows_inserted: i64,
    pub rows_updated: i64,
    pub rows_unchanged: i64,
    pub rows_failed: i64,
    pub committed_line: i64,
    pub error: Option<String>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub updated_at: i64,
}

const COLUMNS: &str = "id, organization_id, user_id, kind, format, file_name, mapping, status, rows_read, rows_inserted,
    rows_updated, rows_unchanged, rows_failed, committed_line, error, created_at, started_at, finished_at, updated_at";

/// The report keeps this many row errors per import; rows_failed still counts every one.
pub const MAX_STORED_ERRORS: i64 = 10_000;

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, r: &ImportRow) -> sqlx::Result<()> {
    sqlx::query(&format!("INSERT INTO imports ({COLUMNS}) VALUES ({})", bulk::list(19, 1)))
        .bind(&r.id)
        .bind(&r.organization_id)
        .bind(&r.user_id)
        .bind(&r.kind)
        .bind(&r.format)
        .bind(&r.file_name)
        .bind(&r.mapping)
        .bind(&r.status)
        .bind(r.rows_read)
        .bind(r.rows_inserted)
        .bind(r.rows_updated)
        .bind(r.rows_unchanged)
        .bind(r.rows_failed)
        .bind(r.committed_line)
        .bind(&r.error)
        .bind(r.created_at)
        .bind(r.started_at)
        .bind(r.finished_at)
        .bind(r.updated_at)
        .execute(db)
        .await
        .map(|_| ())
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<Option<ImportRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM imports WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

pub async fn list<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, limit: i64) -> sqlx::Result<Vec<ImportRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM imports WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"
    ))
    .bind(organization_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// Claims an import for a run: only a pending or failed one can start (a running one is
/// someone else's). Returns false when it was not claimable.
pub async fn start<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str, now: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE imports SET status = 'running', error = NULL, finished_at = NULL, started_at = COALESCE(started_at, $1), updated_at = $1
         WHERE organization_id = $2 AND id = $3 AND status IN ('pending', 'failed')",
    )
    .bind(now)
    .bind(organization_id)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Progress of one committed batch (runs in the batch's transaction).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    pub rows_read: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub failed: i64,
    pub committed_line: i64,
}

pub async fn add_progress<'e>(db: impl Executor<'e, Database = Any>, id: &str, p: Progress, now: i64) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE imports SET rows_read = rows_read + $1, rows_inserted = rows_inserted + $2, rows_updated = rows_updated + $3,
         rows_unchanged = rows_unchanged + $4, rows_failed = rows_failed + $5, committed_line = $6, updated_at = $7
         WHERE id = $8",
    )
    .bind(p.rows_read)
    .bind(p.inserted)
    .bind(p.updated)
    .bind(p.unchanged)
    .bind(p.failed)
    .bind(p.committed_line)
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn finish<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE imports SET status = $1, error = $2, finished_at = $3, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(error)
        .bind(now)
        .bind(id)
        .execute(db)
        .await
        .map(|_| ())
}

/// Imports left `running` by a process that stopped: they failed, and can be resumed.
pub async fn fail_interrupted<'e>(db: impl Executor<'e, Database = Any>, now: i64) -> sqlx::Result<u64> {
    sqlx::query(
        "UPDATE imports SET status = 'failed', error = 'The server stopped during the import; resume it to continue', finished_at = $1, updated_at = $1
         WHERE status = 'running'",
    )
    .bind(now)
    .execute(db)
    .await
    .map(|r| r.rows_affected())
}

/// Stores row errors up to the per-import cap.
pub async fn add_errors(
    conn: &mut sqlx::AnyConnection,
    organization_id: &str,
    import_id: &str,
    already_failed: i64,
    errors: &[RowError],
) -> sqlx::Result<()> {
    let room = (MAX_STORED_ERRORS - already_failed).max(0) as usize;
    let errors = &errors[..errors.len().min(room)];
    let statement = |values: &str| {
        format!(
            "INSERT INTO import_errors (import_id, organization_id, line, column_name, reason) VALUES {values}
             ON CONFLICT (import_id, line, reason) DO NOTHING"
        )
    };
    // `insert_rows` lets a bound value borrow only from its row, so the two ids, which come from
    // outside the rows, are bound as owned copies.
    let (import_id, organization_id) = (import_id.to_owned(), organization_id.to_owned());
    bulk::insert_rows(conn, errors, 5, statement, |q, e| {
        q.bind(import_id.clone()).bind(organization_id.clone()).bind(e.line as i64).bind(&e.column).bind(&e.reason)
    })
    .await?;
    Ok(())
}

pub async fn errors<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    import_id: &str,
    limit: i64,
) -> sqlx::Result<Vec<RowError>> {
    let rows: Vec<(i64, Option<String>, String)> = sqlx::query_as(
        "SELECT line, column_name, reason FROM import_errors WHERE organization_id = $1 AND import_id = $2
         ORDER BY line, column_name LIMIT $3",
    )
    .bind(organization_id)
    .bind(import_id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|(line, column, reason)| RowError { line: line as u64, column, reason }).collect())
}
