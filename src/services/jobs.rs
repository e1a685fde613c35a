//! Durable background jobs: queued in the database, claimed with a lease by any process's
//! worker, progress saved as they go. A job whose process died is claimed again once its lease
//! lapses and continues from what it saved (a platform sync from its stored cursor).

use std::time::Duration;

use serde_json::json;

use super::{customer_data, eyes, new_id, platforms, Actor};
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

async fn insert_queued(core: &Core, organization_id: &str, kind: &str, target: &str) -> Result<JobDto, ApiError> {
    let now = time::now();
    let row = JobRow {
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
    };
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
