//! File and API imports: a streamed input is parsed on a blocking thread and written batch by
//! batch, each batch and its progress in one transaction. A failed or interrupted import keeps
//! what committed and resumes after its last committed line; natural keys make re-runs harmless.

use std::io::Read;
use std::time::Instant;

use super::customer_data::{self, KnownCustomers};
use super::{new_id, Actor};
use sqlx::{AnyConnection, Connection, Executor};

use crate::db::imports::{self, ImportRow, Progress};
use crate::db::Backend;
use crate::db::time;
use crate::ingest::{self, Batch, ReadPlan};
use crate::model::{
    ColumnMapping, CreateImportRequest, ImportDto, ImportFormat, ImportKind, ImportStatus, RowError,
};
use crate::{ApiError, Core};

/// Rows per batch (and per transaction). SQLite takes bigger ones: new events and identities
/// land at random places in their indexes, and a commit writes every page it touched, so
/// fewer, larger commits write far less (5,000-row batches rewrote most index pages 200 times
/// over a million-row import; 100,000-row ones imported 1,000,000 events at 78k rows/s where
/// 50,000-row ones managed 61k). A batch holds SQLite's write lock for about 0.6 s, the first
/// one of a file of new customers about 2.4 s, inside the 5 s busy timeout.
pub fn batch_rows(backend: Backend) -> usize {
    match backend {
        Backend::Sqlite => 100_000,
        Backend::Postgres => 5_000,
    }
}
/// SQLite page cache for the import's connection while it runs, in KiB: a batch's dirty index
/// pages must fit, or SQLite spills them to the log mid-transaction.
const SQLITE_IMPORT_CACHE_KIB: i64 = 262_144;
/// Row errors returned inline with an import; the rest are in the downloadable report.
const INLINE_ERRORS: i64 = 100;

/// Everything an import run needs besides its input.
#[derive(Clone, Debug)]
pub struct ImportRequest {
    pub kind: ImportKind,
    pub format: ImportFormat,
    pub mapping: ColumnMapping,
    pub file_name: Option<String>,
    /// Continue (or retry) this import instead of starting a new one.
    pub import_id: Option<String>,
}

pub fn require_data_editor(actor: &Actor) -> Result<(), ApiError> {
    if actor.role.can_edit_data() {
        Ok(())
    } else {
        Err(ApiError::forbidden("Viewers cannot import or change customer data"))
    }
}

/// Announces an upload so its progress can be followed before the file arrives.
pub async fn create(core: &Core, actor: &Actor, req: CreateImportRequest) -> Result<ImportDto, ApiError> {
    require_data_editor(actor)?;
    let row = new_row(actor, req.kind, req.format, &req.mapping, clean_file_name(req.file_name), ImportStatus::Pending)?;
    imports::insert(&core.db.pool, &row).await?;
    Ok(dto(row, Vec::new(), None))
}

/// Runs an import to the end of its input. Returns the finished import (status completed), or
/// the error that stopped it (the import is then `failed` and can be resumed).
pub async fn run(
    core: &Core,
    actor: &Actor,
    req: ImportRequest,
    input: impl Read + Send + 'static,
) -> Result<ImportDto, ApiError> {
    require_data_editor(actor)?;
    let org = actor.organization_id.clone();
    let now = time::now();
    let row = match &req.import_id {
        Some(id) => {
            let row = imports::find(&core.db.pool, &org, id).await?.ok_or_else(|| ApiError::not_found("Import"))?;
            if row.kind != req.kind.as_str() {
                return Err(ApiError::bad_request(format!(
                    "Import {id} is a {} import, not {}",
                    row.kind,
                    req.kind.as_str()
                )));
            }
            if !imports::start(&core.db.pool, &org, id, now).await? {
                return Err(ApiError::conflict(format!("Import {id} is {}; only a pending or failed import can run", row.status)));
            }
            row
        }
        None => {
            let mut row = new_row(actor, req.kind, req.format, &req.mapping, clean_file_name(req.file_name.clone()), ImportStatus::Running)?;
            row.started_at = Some(now);
            imports::insert(&core.db.pool, &row).await?;
            row
        }
    };
    let mapping: ColumnMapping = if req.mapping.is_empty() {
        serde_json::from_str(&row.mapping).unwrap_or_default()
    } else {
        req.mapping.clone()
    };
    let plan = ReadPlan {
        kind: req.kind,
        format: req.format,
        mapping,
        skip_through_line: row.committed_line.max(0) as u64,
        batch_size: batch_rows(core.db.backend),
    };
    let started = Instant::now();
    let outcome = pump(core, &org, &row.id, row.rows_failed, plan, input).await;
    let (status, error) = match &outcome {
        Ok(()) => (ImportStatus::Completed, None),
        Err(e) => (ImportStatus::Failed, Some(e.message.clone())),
    };
    imports::finish(&core.db.pool, &row.id, status.as_str(), error.as_deref(), time::now()).await?;
    core.data_changed(&org);
    if outcome.is_ok() {
        super::eyes::refresh_after_new_data(core, &org).await;
    }
    outcome?;
    let finished = imports::find(&core.db.pool, &org, &row.id).await?.ok_or_else(ApiError::internal)?;
    let errors = imports::errors(&core.db.pool, &org, &row.id, INLINE_ERRORS).await?;
    let read_now = (finished.rows_read - row.rows_read) as f64;
    Ok(dto(finished, errors, Some(read_now / started.elapsed().as_secs_f64().max(1e-3))))
}

/// Parses on a blocking thread and writes on this task; the bounded channel keeps at most two
/// batches in flight, so memory stays flat whatever the input size.
async fn pump(
    core: &Core,
    org: &str,
    import_id: &str,
    mut failed_so_far: i64,
    plan: ReadPlan,
    input: impl Read + Send + 'static,
) -> Result<(), ApiError> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let parser = tokio::task::spawn_blocking(move || ingest::read(&plan, input, |batch| tx.blocking_send(batch).is_ok()));
    let mut write_error = None;
    let mut known = KnownCustomers::default();
    // One connection for the whole import, with a page cache sized for its batches; on SQLite
    // it leaves checkpoints to `spawn_checkpoint`.
    let mut conn = core.db.pool.acquire().await?;
    let sqlite = core.db.backend == Backend::Sqlite;
    if sqlite {
        conn.execute(format!("PRAGMA cache_size = -{SQLITE_IMPORT_CACHE_KIB}").as_str()).await?;
        conn.execute("PRAGMA wal_autocheckpoint = 0").await?;
    }
    let mut checkpoint: Option<tokio::task::JoinHandle<()>> = None;
    while let Some(batch) = rx.recv().await {
        if let Err(e) = write_batch(&mut conn, org, import_id, failed_so_far, &batch, &mut known).await {
            write_error = Some(e);
            break;
        }
        if sqlite && checkpoint.as_ref().is_none_or(|h| h.is_finished()) {
            checkpoint = Some(spawn_checkpoint(core));
        }
        failed_so_far += batch.errors.len() as i64;
    }
    if sqlite {
        // Back to the defaults: frees the pages, and the connection checkpoints its own commits.
        for reset in ["PRAGMA cache_size = -2000", "PRAGMA wal_autocheckpoint = 1000"] {
            if let Err(e) = conn.execute(reset).await {
                tracing::warn!(error = %e, "resetting the import connection's settings failed");
            }
        }
    }
    drop(conn);
    drop(rx); // stops the parser if the writer gave up
    let parsed = parser.await.map_err(|e| {
        tracing::error!(error = %e, "import parser panicked");
        ApiError::internal()
    })?;
    match write_error {
        Some(e) => Err(e),
        None => parsed,
    }
}

/// Copies committed pages from the SQLite log into the database file on another pooled
/// connection, so the import's own connection goes on writing meanwhile (run by the committing
/// connection, checkpoints after 100,000-row batches took about a fifth of a 1,000,000-event
/// import; moving them here took it from 84k to 110k rows/s). PASSIVE never blocks the writer; whatever it skips, the next one copies.
fn spawn_checkpoint(core: &Core) -> tokio::task::JoinHandle<()> {
    let pool = core.db.pool.clone();
    tokio::spawn(async move {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            tracing::warn!(error = %e, "checkpoint during an import failed");
        }
    })
}

async fn write_batch(
    conn: &mut AnyConnection,
    org: &str,
    import_id: &str,
    failed_so_far: i64,
    batch: &Batch,
    known: &mut KnownCustomers,
) -> Result<(), ApiError> {
    let now = time::now();
    let mut tx = conn.begin().await?;
    // Write first: on SQLite this takes the write lock before anything is read, so a concurrent
    // writer makes this batch wait (busy timeout) instead of failing it.
    imports::add_progress(&mut *tx, import_id, Progress::default(), now).await?;
    known.discard();
    let counts = customer_data::write_with(&mut tx, org, &batch.records, now, known).await?;
    imports::add_errors(&mut tx, org, import_id, failed_so_far, &batch.errors).await?;
    let failed_rows = failed_rows(&batch.errors);
    let progress = Progress {
        rows_read: batch.rows_read as i64,
        inserted: counts.inserted as i64,
        updated: counts.updated as i64,
        unchanged: counts.unchanged as i64,
        failed: failed_rows,
        committed_line: batch.last_line as i64,
    };
    imports::add_progress(&mut *tx, import_id, progress, now).await?;
    tx.commit().await?;
    known.commit();
    Ok(())
}

/// A row with three bad cells is one failed row.
fn failed_rows(errors: &[RowError]) -> i64 {
    let mut lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    lines.dedup();
    lines.len() as i64
}

pub async fn get(core: &Core, actor: &Actor, id: &str) -> Result<ImportDto, ApiError> {
    let row = imports::find(&core.db.pool, &actor.organization_id, id).await?.ok_or_else(|| ApiError::not_found("Import"))?;
    let errors = imports::errors(&core.db.pool, &actor.organization_id, id, INLINE_ERRORS).await?;
    Ok(dto(row, errors, None))
}

pub async fn list(core: &Core, actor: &Actor) -> Result<Vec<ImportDto>, ApiError> {
    let rows = imports::list(&core.db.pool, &actor.organization_id, 50).await?;
    Ok(rows.into_iter().map(|r| dto(r, Vec::new(), None)).collect())
}

/// The row-level error report as CSV: line, column, reason.
pub async fn error_report_csv(core: &Core, actor: &Actor, id: &str) -> Result<String, ApiError> {
    imports::find(&core.db.pool, &actor.organization_id, id).await?.ok_or_else(|| ApiError::not_found("Import"))?;
    let errors = imports::errors(&core.db.pool, &actor.organization_id, id, imports::MAX_STORED_ERRORS).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let write = |out: &mut csv::Writer<Vec<u8>>, rec: [&str; 3]| out.write_record(rec).map_err(|_| ApiError::internal());
    write(&mut out, ["line", "column", "reason"])?;
    for e in &errors {
        write(&mut out, [&e.line.to_string(), e.column.as_deref().unwrap_or(""), &e.reason])?;
    }
    String::from_utf8(out.into_inner().map_err(|_| ApiError::internal())?).map_err(|_| ApiError::internal())
}

/// At start-up: imports a stopped process left running become failed (and resumable).
pub async fn fail_interrupted(core: &Core) -> Result<u64, ApiError> {
    Ok(imports::fail_interrupted(&core.db.pool, time::now()).await?)
}

fn new_row(
    actor: &Actor,
    kind: ImportKind,
    format: ImportFormat,
    mapping: &ColumnMapping,
    file_name: Option<String>,
    status: ImportStatus,
) -> Result<ImportRow, ApiError> {
    let fields = kind.fields();
    if let Some(bad) = mapping.keys().find(|k| !fields.iter().any(|f| f.name == k.as_str())) {
        return Err(ApiError::validation("mapping", format!("'{bad}' is not a field of {} imports", kind.as_str())));
    }
    let now = time::now();
    Ok(ImportRow {
        id: new_id(),
        organization_id: actor.organization_id.clone(),
        user_id: Some(actor.user_id.clone()),
        kind: kind.as_str().into(),
        format: format.as_str().into(),
        file_name,
        mapping: serde_json::to_string(mapping).unwrap_or_else(|_| "{}".into()),
        status: status.as_str().into(),
        rows_read: 0,
        rows_inserted: 0,
        rows_updated: 0,
        rows_unchanged: 0,
        rows_failed: 0,
        committed_line: 0,
        error: None,
        created_at: now,
        started_at: None,
        finished_at: None,
        updated_at: now,
    })
}

fn clean_file_name(name: Option<String>) -> Option<String> {
    name.map(|n| n.chars().filter(|c| !c.is_control()).take(255).collect::<String>()).filter(|n| !n.trim().is_empty())
}

fn dto(r: ImportRow, row_errors: Vec<RowError>, rate: Option<f64>) -> ImportDto {
    let rows_per_second = rate.unwrap_or_else(|| {
        let end = r.finished_at.unwrap_or(r.updated_at);
        let elapsed = r.started_at.map(|s| (end - s).max(1)).unwrap_or(1);
        r.rows_read as f64 / elapsed as f64
    });
    ImportDto {
        import_id: r.id,
        kind: ImportKind::parse(&r.kind).unwrap_or(ImportKind::Events),
        format: ImportFormat::parse(&r.format).unwrap_or(ImportFormat::Csv),
        file_name: r.file_name,
        status: ImportStatus::parse(&r.status).unwrap_or(ImportStatus::Failed),
        rows_read: r.rows_read,
        rows_inserted: r.rows_inserted,
        rows_updated: r.rows_updated,
        rows_unchanged: r.rows_unchanged,
        rows_failed: r.rows_failed,
        rows_per_second: (rows_per_second * 10.0).round() / 10.0,
        committed_line: r.committed_line,
        error: r.error,
        row_errors,
        created_at: time::rfc3339(r.created_at),
        finished_at: r.finished_at.map(time::rfc3339),
    }
}
