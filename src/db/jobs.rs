//! The durable job table. Jobs are claimed with a lease; an expired lease (its process died)
//! makes the job claimable again. PostgreSQL claims with `FOR UPDATE SKIP LOCKED` so many
//! workers never take the same job; SQLite has one writer, which serializes claims anyway.

use sqlx::{Any, Executor, FromRow};

use super::Backend;

#[derive(Clone, Debug, FromRow, PartialEq)]
pub struct JobRow {
    pub id: String,
    pub organization_id: String,
    pub kind: String,
    pub target: Option<String>,
    pub status: String,
    pub progress: String,
    pub result: Option<String>,
    pub error: Option<String>,
    pub attempts: i64,
    pub locked_by: Option<String>,
    pub locked_until: Option<i64>,
    pub created_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub updated_at: i64,
    /// What the job works on, as JSON (an AI generation's request).
    pub input: Option<String>,
    pub created_by: Option<String>,
    /// A client's Idempotency-Key: the same key returns the same job instead of a second run.
    pub idempotency_key: Option<String>,
}

const COLUMNS: &str = "id, organization_id, kind, target, status, progress, result, error, attempts, locked_by,
    locked_until, created_at, started_at, finished_at, updated_at, input, created_by, idempotency_key";

pub async fn insert<'e>(db: impl Executor<'e, Database = Any>, j: &JobRow) -> sqlx::Result<()> {
    sqlx::query(&format!(
        "INSERT INTO jobs ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)"
    ))
    .bind(&j.id)
    .bind(&j.organization_id)
    .bind(&j.kind)
    .bind(&j.target)
    .bind(&j.status)
    .bind(&j.progress)
    .bind(&j.result)
    .bind(&j.error)
    .bind(j.attempts)
    .bind(&j.locked_by)
    .bind(j.locked_until)
    .bind(j.created_at)
    .bind(j.started_at)
    .bind(j.finished_at)
    .bind(j.updated_at)
    .bind(&j.input)
    .bind(&j.created_by)
    .bind(&j.idempotency_key)
    .execute(db)
    .await
    .map(|_| ())
}

pub async fn find_by_idempotency_key<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    key: &str,
) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND idempotency_key = $2"))
        .bind(organization_id)
        .bind(key)
        .fetch_optional(db)
        .await
}

/// The newest jobs of a kind for one target (e.g. a campaign's strategy generations).
pub async fn latest_for_target<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    kind: &str,
    target: &str,
) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND kind = $2 AND target = $3 ORDER BY created_at DESC, id DESC LIMIT 1"
    ))
    .bind(organization_id)
    .bind(kind)
    .bind(target)
    .fetch_optional(db)
    .await
}

pub async fn pending_for_target<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    kind: &str,
    target: &str,
) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND kind = $2 AND target = $3 AND status IN ('queued', 'running')
          ORDER BY created_at, id"
    ))
    .bind(organization_id)
    .bind(kind)
    .bind(target)
    .fetch_all(db)
    .await
}

pub async fn pending_of_kind<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, kind: &str) -> sqlx::Result<Vec<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND kind = $2 AND status IN ('queued', 'running') ORDER BY created_at, id LIMIT 100"
    ))
    .bind(organization_id)
    .bind(kind)
    .fetch_all(db)
    .await
}

pub async fn latest_of_kind<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, kind: &str) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC LIMIT 1"))
        .bind(organization_id)
        .bind(kind)
        .fetch_optional(db)
        .await
}

pub async fn find<'e>(db: impl Executor<'e, Database = Any>, organization_id: &str, id: &str) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND id = $2"))
        .bind(organization_id)
        .bind(id)
        .fetch_optional(db)
        .await
}

/// The queued or running job of this kind and target, if any (so a second request reuses it).
pub async fn active<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    kind: &str,
    target: &str,
) -> sqlx::Result<Option<JobRow>> {
    with_status(db, organization_id, kind, target, "'queued', 'running'").await
}

/// The queued (not yet started) job of this kind and target, if any.
pub async fn queued<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    kind: &str,
    target: &str,
) -> sqlx::Result<Option<JobRow>> {
    with_status(db, organization_id, kind, target, "'queued'").await
}

async fn with_status<'e>(
    db: impl Executor<'e, Database = Any>,
    organization_id: &str,
    kind: &str,
    target: &str,
    statuses: &str,
) -> sqlx::Result<Option<JobRow>> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM jobs WHERE organization_id = $1 AND kind = $2 AND target = $3 AND status IN ({statuses})
         ORDER BY created_at LIMIT 1"
    ))
    .bind(organization_id)
    .bind(kind)
    .bind(target)
    .fetch_optional(db)
    .await
}

/// Takes the oldest claimable job for `worker` until `lease_until`.
pub async fn claim<'e>(
    db: impl Executor<'e, Database = Any>,
    backend: Backend,
    worker: &str,
    now: i64,
    lease_until: i64,
) -> sqlx::Result<Option<JobRow>> {
    let lock = match backend {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    sqlx::query_as(&format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1,
           started_at = COALESCE(started_at, $3), updated_at = $3
         WHERE id = (SELECT id FROM jobs WHERE status = 'queued' OR (status = 'running' AND locked_until < $3)
                     ORDER BY created_at LIMIT 1 {lock})
         RETURNING {COLUMNS}"
    ))
    .bind(worker)
    .bind(lease_until)
    .bind(now)
    .fetch_optional(db)
    .await
}

/// Saves progress and extends the lease; false when the job is no longer this worker's.
pub async fn heartbeat<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
    worker: &str,
    progress: &str,
    now: i64,
    lease_until: i64,
) -> sqlx::Result<bool> {
    sqlx::query(
        "UPDATE jobs SET progress = $1, locked_until = $2, updated_at = $3 WHERE id = $4 AND locked_by = $5 AND status = 'running'",
    )
    .bind(progress)
    .bind(lease_until)
    .bind(now)
    .bind(id)
    .bind(worker)
    .execute(db)
    .await
    .map(|r| r.rows_affected() == 1)
}

pub async fn finish<'e>(
    db: impl Executor<'e, Database = Any>,
    id: &str,
    status: &str,
    result: Option<&str>,
    error: Option<&str>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = $1, result = $2, error = $3, finished_at = $4, updated_at = $4, locked_by = NULL, locked_until = NULL
         WHERE id = $5",
    )
    .bind(status)
    .bind(result)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(db)
    .await
    .map(|_| ())
}
