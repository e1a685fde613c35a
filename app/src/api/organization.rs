//! The caller's organization and its plan.

use leptos::prelude::*;
use omnify::model::{OrganizationDto, PlanLimits};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "organization")]
pub async fn get_organization() -> Result<OrganizationDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::organizations::get(&ctx.core, &actor).await
    })
    .await
}

/// Usage against the plan's limits.
#[server(prefix = "/fn", endpoint = "plan_limits")]
pub async fn get_plan_limits() -> Result<PlanLimits, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::organizations::limits(&ctx.core, &actor).await
    })
    .await
}

/// Renames the organization (owner/admin; enforced by the service).
#[server(prefix = "/fn", endpoint = "update_organization")]
pub async fn update_organization(name: String) -> Result<OrganizationDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::UpdateOrganizationRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let req = UpdateOrganizationRequest { name: Some(name), settings: None };
        omnify::services::organizations::update(&ctx.core, &ctx.meta, &actor, req).await
    })
    .await
}
