//! Connecting marketing platforms: credentials are tested against the platform first, then
//! sealed at rest and never returned; syncs run as durable jobs (see `jobs`).

use super::audit::{self, Event};
use super::{jobs, Actor, RequestMeta};
use crate::auth::sealing;
use crate::db::platform_connections::{self, ConnectionRow};
use crate::db::{self, time};
use crate::integrations::{AuthKind, Credentials, Platform};
use crate::model::{ConnectPlatformRequest, JobDto, PlatformDto};
use crate::{ApiError, Core};

pub const SYNC_JOB: &str = "platform_sync";

fn require_connector(actor: &Actor) -> Result<(), ApiError> {
    use crate::model::Role;
    if matches!(actor.role, Role::Owner | Role::Admin | Role::Manager) {
        Ok(())
    } else {
        Err(ApiError::forbidden("Only owners, admins and managers can connect platforms or start syncs"))
    }
}

fn parse(platform: &str) -> Result<Platform, ApiError> {
    Platform::parse(platform).map_err(|_| ApiError::not_found("Platform"))
}

pub async fn connect(
    core: &Core,
    meta: &RequestMeta,
    actor: &Actor,
    platform: &str,
    req: ConnectPlatformRequest,
) -> Result<PlatformDto, ApiError> {
    require_connector(actor)?;
    let platform = parse(platform)?;
    let secret = req
        .api_key
        .or(req.access_token)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| {
            let field = if platform.auth_kind() == AuthKind::ApiKey { "api_key" } else { "access_token" };
            ApiError::validation(field, format!("{} needs its {}", platform.display_name(), field.replace('_', " ")))
        })?;
    if secret.len() > 4096 {
        return Err(ApiError::validation("api_key", "The key is longer than 4096 characters"));
    }
    let base_url = req.base_url.map(|u| u.trim().trim_end_matches('/').to_string()).filter(|u| !u.is_empty());
    if let Some(u) = &base_url {
        if !(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 2048 {
            return Err(ApiError::validation("base_url", "base_url must be an http(s) URL"));
        }
    }
    let extra = match req.settings {
        None | Some(serde_json::Value::Null) => serde_json::Value::Null,
        Some(v @ serde_json::Value::Object(_)) => v,
        Some(_) => return Err(ApiError::validation("settings", "settings must be a JSON object")),
    };
    let creds = Credentials { secret, base_url, extra };
    // The platform's own verdict comes back as a 400 with its reason.
    let account = core.platforms.test_connection(platform, &creds).await?;
    let now = time::now();
    let sealed = sealing::seal(&core.settings.encryption_key, &serde_json::to_string(&creds).map_err(|_| ApiError::internal())?);
    let mut tx = core.db.pool.begin().await?;
    platform_connections::upsert(
        &mut *tx,
        &ConnectionRow {
            organization_id: actor.organization_id.clone(),
            platform: platform.as_str().into(),
            credentials_sealed: sealed,
            account_id: Some(account.account_id.clone()),
            account_name: account.name.clone(),
            status: "connected".into(),
            sync_cursor: None,
            last_sync_at: None,
            last_error: None,
            records_synced: 0,
            connected_at: now,
            updated_at: now,
        },
    )
    .await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "platform.connect",
            target: Some(("platform", platform.as_str())),
            outcome: audit::SUCCESS,
            details: serde_json::json!({ "account_id": account.account_id }),
        },
    )
    .await?;
    tx.commit().await?;
    status(core, actor, platform.as_str()).await
}

/// Every platform OmniFy knows, connected or not.
pub async fn list(core: &Core, actor: &Actor) -> Result<Vec<PlatformDto>, ApiError> {
    let rows = platform_connections::list(&core.db.pool, &actor.organization_id).await?;
    let mut out = Vec::with_capacity(Platform::ALL.len());
    for p in Platform::ALL {
        let row = rows.iter().find(|r| r.platform == p.as_str());
        let job = match row {
            Some(_) => db::jobs::active(&core.db.pool, &actor.organization_id, SYNC_JOB, p.as_str()).await?,
            None => None,
        };
        out.push(dto(p, row, job.map(|j| j.id)));
    }
    Ok(out)
}

pub async fn status(core: &Core, actor: &Actor, platform: &str) -> Result<PlatformDto, ApiError> {
    let p = parse(platform)?;
    let row = platform_connections::find(&core.db.pool, &actor.organization_id, p.as_str()).await?;
    let job = db::jobs::active(&core.db.pool, &actor.organization_id, SYNC_JOB, p.as_str()).await?;
    Ok(dto(p, row.as_ref(), job.map(|j| j.id)))
}

/// Queues a sync (or returns the one already queued or running).
pub async fn sync(core: &Core, actor: &Actor, platform: &str) -> Result<JobDto, ApiError> {
    require_connector(actor)?;
    let p = parse(platform)?;
    if platform_connections::find(&core.db.pool, &actor.organization_id, p.as_str()).await?.is_none() {
        return Err(ApiError::bad_request(format!("{} is not connected", p.display_name())));
    }
    jobs::enqueue(core, &actor.organization_id, SYNC_JOB, p.as_str()).await
}

pub async fn disconnect(core: &Core, meta: &RequestMeta, actor: &Actor, platform: &str) -> Result<(), ApiError> {
    require_connector(actor)?;
    let p = parse(platform)?;
    let mut tx = core.db.pool.begin().await?;
    if !platform_connections::delete(&mut *tx, &actor.organization_id, p.as_str()).await? {
        return Err(ApiError::not_found("Connection"));
    }
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &actor.organization_id,
            user_id: Some(&actor.user_id),
            action: "platform.disconnect",
            target: Some(("platform", p.as_str())),
            outcome: audit::SUCCESS,
            details: serde_json::json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The stored credentials, opened.
pub(crate) fn open_credentials(core: &Core, row: &ConnectionRow) -> Result<Credentials, ApiError> {
    let plain = sealing::open(&core.settings.encryption_key, &row.credentials_sealed).ok_or_else(|| {
        tracing::error!(platform = %row.platform, "stored credentials do not open with the configured encryption key");
        ApiError::internal()
    })?;
    serde_json::from_str(&plain).map_err(|_| ApiError::internal())
}

fn dto(p: Platform, row: Option<&ConnectionRow>, active_job_id: Option<String>) -> PlatformDto {
    PlatformDto {
        platform: p.as_str().into(),
        name: p.display_name().into(),
        auth: match p.auth_kind() {
            AuthKind::ApiKey => "api_key".into(),
            AuthKind::AccessToken => "access_token".into(),
        },
        status: row.map(|r| r.status.clone()).unwrap_or_else(|| "not_connected".into()),
        account_id: row.and_then(|r| r.account_id.clone()),
        account_name: row.and_then(|r| r.account_name.clone()),
        last_sync_at: row.and_then(|r| r.last_sync_at).map(time::rfc3339),
        records_synced: row.map(|r| r.records_synced).unwrap_or(0),
        last_error: row.and_then(|r| r.last_error.clone()),
        active_job_id,
    }
}
