//! The caller's organization: its profile, settings and plan usage.

use super::audit::{self, Event, SUCCESS};
use super::{plans, validate, Actor, RequestMeta};
use crate::db::organizations::{self as orgs, OrganizationRow};
use crate::db::{invitations, time, users};
use crate::model::{LimitUsage, OrganizationDto, PlanLimits, UpdateOrganizationRequest};
use crate::{ApiError, Core};

pub async fn get(core: &Core, actor: &Actor) -> Result<OrganizationDto, ApiError> {
    Ok(to_dto(load(core, actor).await?))
}

pub async fn update(
    core: &Core,
    meta: &RequestMeta,
    actor: &Actor,
    req: UpdateOrganizationRequest,
) -> Result<OrganizationDto, ApiError> {
    if let Err(e) = actor.require_admin("change organization settings") {
        audit::record_denied(core, meta, actor, "organization.update", Some(("organization", &actor.organization_id))).await;
        return Err(e);
    }
    if req.name.is_none() && req.settings.is_none() {
        return Err(ApiError::validation("name", "Nothing to update: give name or settings"));
    }
    let org = load(core, actor).await?;
    let name = match &req.name {
        Some(n) => validate::name("name", n)?,
        None => org.name.clone(),
    };
    let settings = match &req.settings {
        Some(v) if v.is_object() => v.to_string(),
        Some(_) => return Err(ApiError::validation("settings", "settings must be a JSON object")),
        None => org.settings.clone(),
    };
    let now = time::now();
    let mut tx = core.db.pool.begin().await?;
    orgs::update(&mut *tx, &org.id, &name, &settings, now).await?;
    audit::record(
        &mut *tx,
        meta,
        Event {
            organization_id: &org.id,
            user_id: Some(&actor.user_id),
            action: "organization.update",
            target: Some(("organization", &org.id)),
            outcome: SUCCESS,
            details: serde_json::json!({ "name_changed": req.name.is_some(), "settings_changed": req.settings.is_some() }),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(to_dto(OrganizationRow { name, settings, updated_at: now, ..org }))
}

/// Usage against the plan's limits; every figure is counted, none estimated.
pub async fn limits(core: &Core, actor: &Actor) -> Result<PlanLimits, ApiError> {
    let org = load(core, actor).await?;
    let now = time::now();
    let members = users::count(&core.db.pool, &org.id).await?;
    let pending = invitations::count_pending(&core.db.pool, &org.id, now).await?;
    let seats = plans::seat_limit(&org.subscription_tier);
    Ok(PlanLimits {
        subscription_tier: org.subscription_tier,
        usage: vec![
            LimitUsage { resource: "seats".into(), used: members + pending, limit: seats },
            LimitUsage { resource: "members".into(), used: members, limit: seats },
            LimitUsage { resource: "pending_invitations".into(), used: pending, limit: seats },
        ],
    })
}

async fn load(core: &Core, actor: &Actor) -> Result<OrganizationRow, ApiError> {
    orgs::find(&core.db.pool, &actor.organization_id).await?.ok_or_else(|| ApiError::not_found("Organization"))
}

pub(crate) fn to_dto(o: OrganizationRow) -> OrganizationDto {
    OrganizationDto {
        organization_id: o.id,
        name: o.name,
        slug: o.slug,
        subscription_tier: o.subscription_tier,
        settings: serde_json::from_str(&o.settings).unwrap_or_else(|_| serde_json::json!({})),
        created_at: time::rfc3339(o.created_at),
    }
}
