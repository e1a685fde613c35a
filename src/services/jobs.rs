//! Durable background jobs: queued in the database, claimed with a lease by any process's
//! worker, progress saved as they go. A job whose process died is claimed again once its lease
//! lapses and continues from what it saved (a platform sync from its stored cursor).

use std::time::Duration;

use serde_json::json;

use super::{campaigns, content, customer_data, eyes, new_id, platforms, Actor};
use crate::db::jobs::{self, JobRow};
use crate::db::{platform_connections, time};
use crate::integrations::{Platform, SyncCursor};
use crate::model::JobDto;
use crate::{ApiError, Core};

/// How often an idle worker looks for jobs queued by other processes.
const IDLE_POLL: Duration = Duration::from_secs(2);

pub async fn enqueue(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<JobDto, ApiError> {
    if let Some(active) = jobs::active(&core.db.pool, organization_id, kind, target).await? {
        return Ok(dto(active));
    }
    insert_queued(core, organization_id, kind, target).await
}

/// Like `enqueue`, but a job that is already running does not count: it started before the
/// caller's news (new data), so another run is queued behind it. A queued one is reused.
pub async fn enqueue_after_running(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<JobDto, ApiError> {
    if let Some(queued) = jobs::queued(&core.db.pool, organization_id, kind, target).await? {
        return Ok(dto(queued));
    }
    insert_queued(core, organization_id, kind, target).await
}

/// Longest Idempotency-Key accepted.
const MAX_IDEMPOTENCY_KEY: usize = 200;

/// Queues a job that carries its request (`input`, whose `request` field is what the caller
/// asked for). With an idempotency key, a repeat of the
/// same request returns the job the first one created instead of running (and paying) twice.
pub async fn enqueue_request(
    core: &Core,
    actor: &Actor,
    kind: &str,
    target: &str,
    input: &serde_json::Value,
    idempotency_key: Option<&str>,
) -> Result<JobDto, ApiError> {
    let key = idempotency_key.map(str::trim).filter(|k| !k.is_empty());
    if let Some(k) = key {
        if k.len() > MAX_IDEMPOTENCY_KEY {
            return Err(ApiError::bad_request(format!("The Idempotency-Key header is longer than {MAX_IDEMPOTENCY_KEY} characters")));
        }
        if let Some(existing) = same_key(core, &actor.organization_id, kind, k, input).await? {
            return Ok(existing);
        }
    }
    let now = time::now();
    let row = JobRow {
        input: Some(input.to_string()),
        created_by: Some(actor.user_id.clone()),
        idempotency_key: key.map(String::from),
        ..queued_row(&actor.organization_id, kind, target, now)
    };
    match jobs::insert(&core.db.pool, &row).await {
        Ok(()) => {}
        // Two requests with the same key raced: the other one's job stands.
        Err(e) if key.is_some() && is_unique_violation(&e) => {
            return same_key(core, &actor.organization_id, kind, key.unwrap_or_default(), input).await?.ok_or_else(ApiError::internal);
        }
        Err(e) => return Err(e.into()),
    }
    core.jobs_queued.notify_one();
    Ok(dto(row))
}

/// The job an earlier request with this key created — only if it was the same request (the
/// caller's own words, `input.request`; what the service derived from them may have moved on).
async fn same_key(core: &Core, organization_id: &str, kind: &str, key: &str, input: &serde_json::Value) -> Result<Option<JobDto>, ApiError> {
    let request = |v: &serde_json::Value| v.get("request").cloned();
    match jobs::find_by_idempotency_key(&core.db.pool, organization_id, key).await? {
        Some(job)
            if job.kind == kind
                && job.input.as_deref().and_then(|i| serde_json::from_str::<serde_json::Value>(i).ok()).and_then(|v| request(&v)) == request(input) =>
        {
            Ok(Some(dto(job)))
        }
        Some(_) => Err(ApiError::conflict("This Idempotency-Key was already used for a different request")),
        None => Ok(None),
    }
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Jobs of `kind` for `target` that are queued or running, oldest first.
pub async fn pending_for_target(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<Vec<JobDto>, ApiError> {
    Ok(jobs::pending_for_target(&core.db.pool, organization_id, kind, target).await?.into_iter().map(dto).collect())
}

/// The organization's jobs of `kind` that are queued or running, oldest first.
pub async fn pending_of_kind(core: &Core, organization_id: &str, kind: &str) -> Result<Vec<JobDto>, ApiError> {
    Ok(jobs::pending_of_kind(&core.db.pool, organization_id, kind).await?.into_iter().map(dto).collect())
}

/// The organization's newest job of `kind`.
pub async fn latest_of_kind(core: &Core, organization_id: &str, kind: &str) -> Result<Option<JobDto>, ApiError> {
    Ok(jobs::latest_of_kind(&core.db.pool, organization_id, kind).await?.map(dto))
}

/// The newest job of `kind` for `target`, whatever its state.
pub async fn latest_for_target(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<Option<JobDto>, ApiError> {
    Ok(jobs::latest_for_target(&core.db.pool, organization_id, kind, target).await?.map(dto))
}

/// Keeps a job's lease fresh while it waits on something slow (an AI provider can take up to
/// attempts × 30 s), so no other worker takes it over meanwhile. Stops when dropped.
pub struct LeaseKeeper(tokio::task::JoinHandle<()>);

impl Drop for LeaseKeeper {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub fn keep_lease(core: &Core, job: &JobRow, worker: &str, stage: &str) -> LeaseKeeper {
    let (core, id, worker) = (core.clone(), job.id.clone(), worker.to_string());
    let progress = json!({ "stage": stage }).to_string();
    LeaseKeeper(tokio::spawn(async move {
        let lease = core.settings.job_lease_seconds;
        loop {
            let now = time::now();
            if let Err(e) = jobs::heartbeat(&core.db.pool, &id, &worker, &progress, now, now + lease).await {
                tracing::warn!(error = %e, job_id = %id, "extending a job's lease failed");
            }
            tokio::time::sleep(Duration::from_secs((lease / 3).max(1) as u64)).await;
        }
    }))
}

/// Claims the job's result for this worker inside `tx` (false: another worker took it over,
/// so this one must not write).
pub async fn still_mine(tx: &mut sqlx::Transaction<'_, sqlx::Any>, core: &Core, job: &JobRow, worker: &str) -> Result<bool, ApiError> {
    let now = time::now();
    let progress = json!({ "stage": "saving" }).to_string();
    Ok(jobs::heartbeat(&mut **tx, &job.id, worker, &progress, now, now + core.settings.job_lease_seconds).await?)
}

fn queued_row(organization_id: &str, kind: &str, target: &str, now: i64) -> JobRow {
    JobRow {
        id: new_id(),
        organization_id: organization_id.into(),
        kind: kind.into(),
        target: Some(target.into()),
        status: "queued".into(),
        progress: "{}".into(),
        result: None,
        error: None,
        attempts: 0,
        locked_by: None,
        locked_until: None,
        created_at: now,
        started_at: None,
        finished_at: None,
        updated_at: now,
        input: None,
        created_by: None,
        idempotency_key: None,
    }
}

async fn insert_queued(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<JobDto, ApiError> {
    let now = time::now();
    let row = queued_row(organization_id, kind, target, now);
    jobs::insert(&core.db.pool, &row).await?;
    core.jobs_queued.notify_one();
    Ok(dto(row))
}

pub async fn get(core: &Core, actor: &Actor, id: &str) -> Result<JobDto, ApiError> {
    let row = jobs::find(&core.db.pool, &actor.organization_id, id).await?.ok_or_else(|| ApiError::not_found("Job"))?;
    Ok(dto(row))
}

/// The worker loop: runs until the task is dropped or aborted. Stopping mid-job is safe: each
/// step commits on its own, and the lease hands the job to the next worker.
pub async fn work(core: Core, worker: String) {
    loop {
        let now = time::now();
        let lease = core.settings.job_lease_seconds;
        match jobs::claim(&core.db.pool, core.db.backend, &worker, now, now + lease).await {
            Ok(Some(job)) => run(&core, &worker, job).await,
            Ok(None) => {
                tokio::select! {
                    _ = core.jobs_queued.notified() => {}
                    _ = tokio::time::sleep(IDLE_POLL) => {}
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "claiming a job failed");
                tokio::time::sleep(IDLE_POLL).await;
            }
        }
    }
}

async fn run(core: &Core, worker: &str, job: JobRow) {
    let outcome = match job.kind.as_str() {
        platforms::SYNC_JOB => sync_platform(core, worker, &job).await,
        eyes::ANALYZE_JOB => eyes::run_job(core, worker, &job).await,
        campaigns::STRATEGY_JOB => campaigns::run_strategy_job(core, worker, &job).await,
        content::GENERATE_JOB => content::run_generate_job(core, worker, &job).await,
        other => Err(ApiError::bad_request(format!("Unknown job kind {other}"))),
    };
    if let (eyes::ANALYZE_JOB, Err(e)) = (job.kind.as_str(), &outcome) {
        eyes::mark_failed(core, &job.organization_id, &e.message).await;
    }
    let now = time::now();
    let done = match outcome {
        Ok(Some(result)) => jobs::finish(&core.db.pool, &job.id, "completed", Some(&result.to_string()), None, now).await,
        Ok(None) => Ok(()), // the job was taken over or cancelled; nothing to record
        Err(e) => jobs::finish(&core.db.pool, &job.id, "failed", None, Some(&e.message), now).await,
    };
    if let Err(e) = done {
        tracing::error!(error = %e, job_id = %job.id, "recording a job's end failed");
    }
}

/// One platform sync, page by page. Each page's records, the connection's cursor and the job's
/// progress commit together, so a restart resumes exactly after the last stored page.
async fn sync_platform(core: &Core, worker: &str, job: &JobRow) -> Result<Option<serde_json::Value>, ApiError> {
    let org = job.organization_id.as_str();
    let platform = Platform::parse(job.target.as_deref().unwrap_or_default())?;
    let mut progress: serde_json::Value = serde_json::from_str(&job.progress).unwrap_or_else(|_| json!({}));
    loop {
        let Some(conn) = platform_connections::find(&core.db.pool, org, platform.as_str()).await? else {
            let now = time::now();
            jobs::finish(&core.db.pool, &job.id, "cancelled", None, Some("The platform was disconnected"), now).await?;
            return Ok(None);
        };
        let creds = platforms::open_credentials(core, &conn)?;
        let cursor: Option<SyncCursor> = conn.sync_cursor.as_deref().and_then(|c| serde_json::from_str(c).ok());
        let page = match core.platforms.sync_page(platform, &creds, cursor).await {
            Ok(page) => page,
            Err(e) => {
                platform_connections::finish_sync(&core.db.pool, org, platform.as_str(), Some(&e.message), time::now()).await?;
                return Err(e);
            }
        };
        let now = time::now();
        let mut tx = core.db.pool.begin().await?;
        // Write first: on SQLite this takes the write lock before anything is read, so a
        // concurrent writer makes this wait (busy timeout) instead of failing the transaction.
        if !jobs::heartbeat(&mut *tx, &job.id, worker, &progress.to_string(), now, now + core.settings.job_lease_seconds).await? {
            return Ok(None); // another worker owns the job now
        }
        let counts = customer_data::write(&mut tx, org, &page.records, now).await?;
        for (key, add) in [
            ("pages", 1),
            ("records", page.records.len() as u64),
            ("inserted", counts.inserted),
            ("updated", counts.updated),
            ("unchanged", counts.unchanged),
        ] {
            progress[key] = json!(progress[key].as_u64().unwrap_or(0) + add);
        }
        let next = serde_json::to_string(&page.next).map_err(|_| ApiError::internal())?;
        let still_ours = jobs::heartbeat(&mut *tx, &job.id, worker, &progress.to_string(), now, now + core.settings.job_lease_seconds).await?;
        if !still_ours {
            return Ok(None); // rolled back: another worker owns the job now
        }
        platform_connections::record_page(&mut *tx, org, platform.as_str(), &next, page.records.len() as i64, now).await?;
        tx.commit().await?;
        if !page.records.is_empty() {
            core.data_changed(org);
        }
        if page.done {
            platform_connections::finish_sync(&core.db.pool, org, platform.as_str(), None, time::now()).await?;
            if progress["inserted"].as_u64().unwrap_or(0) + progress["updated"].as_u64().unwrap_or(0) > 0 {
                eyes::refresh_after_new_data(core, org).await;
            }
            return Ok(Some(progress));
        }
    }
}

fn dto(r: JobRow) -> JobDto {
    JobDto {
        job_id: r.id,
        kind: r.kind,
        target: r.target,
        status: r.status,
        progress: serde_json::from_str(&r.progress).unwrap_or_else(|_| json!({})),
        result: r.result.and_then(|s| serde_json::from_str(&s).ok()),
        error: r.error,
        attempts: r.attempts,
        created_at: time::rfc3339(r.created_at),
        finished_at: r.finished_at.map(time::rfc3339),
    }
}
