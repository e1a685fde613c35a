//! The audit trail: who did what, when, from where, and whether it worked.

use sqlx::{Any, Executor};

use super::{new_id, Actor, RequestMeta};
use crate::db::audit_logs::{self, AuditLogRow};
use crate::db::time;
use crate::model::{AuditLogEntry, AuditLogPage, AuditLogQuery};
use crate::{ApiError, Core};

pub const SUCCESS: &str = "success";
pub const FAILURE: &str = "failure";

/// One audit event. Written in the same transaction as the change it describes, where there is one.
pub struct Event<'a> {
    pub organization_id: &'a str,
    pub user_id: Option<&'a str>,
    pub action: &'a str,
    pub target: Option<(&'a str, &'a str)>,
    pub outcome: &'a str,
    pub details: serde_json::Value,
}

pub async fn record<'e>(db: impl Executor<'e, Database = Any>, meta: &RequestMeta, e: Event<'_>) -> Result<(), ApiError> {
    let row = AuditLogRow {
        id: new_id(),
        organization_id: e.organization_id.to_string(),
        user_id: e.user_id.map(str::to_string),
        action: e.action.to_string(),
        target_type: e.target.map(|t| t.0.to_string()),
        target_id: e.target.map(|t| t.1.to_string()),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.as_ref().map(|ua| ua.chars().take(512).collect()),
        outcome: e.outcome.to_string(),
        details: e.details.to_string(),
        created_at: time::now(),
    };
    audit_logs::insert(db, &row).await.map_err(ApiError::from)
}

/// Records a refused attempt by a signed-in caller (e.g. a member trying an admin action).
pub async fn record_denied(core: &Core, meta: &RequestMeta, actor: &Actor, action: &str, target: Option<(&str, &str)>) {
    let event = Event {
        organization_id: &actor.organization_id,
        user_id: Some(&actor.user_id),
        action,
        target,
        outcome: FAILURE,
        details: serde_json::json!({ "reason": "forbidden" }),
    };
    if let Err(e) = record(&core.db.pool, meta, event).await {
        tracing::warn!(error = %e, "could not record a denied attempt");
    }
}

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

pub async fn list(core: &Core, actor: &Actor, query: AuditLogQuery) -> Result<AuditLogPage, ApiError> {
    actor.require_admin("read the audit log")?;
    let limit = query.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::validation("limit", format!("limit must be between 1 and {MAX_LIMIT}")));
    }
    let offset = query.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::validation("offset", "offset must not be negative"));
    }
    let action = query.action.as_deref().filter(|a| !a.is_empty());
    let rows = audit_logs::list(&core.db.pool, &actor.organization_id, action, limit, offset).await?;
    let total = audit_logs::count(&core.db.pool, &actor.organization_id, action).await?;
    Ok(AuditLogPage { items: rows.into_iter().map(to_entry).collect(), total, limit, offset })
}

fn to_entry(r: AuditLogRow) -> AuditLogEntry {
    AuditLogEntry {
        id: r.id,
        user_id: r.user_id,
        action: r.action,
        target_type: r.target_type,
        target_id: r.target_id,
        ip: r.ip,
        user_agent: r.user_agent,
        outcome: r.outcome,
        details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
        created_at: time::rfc3339(r.created_at),
    }
}
