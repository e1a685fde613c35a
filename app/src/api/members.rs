//! The organization's members.

use leptos::prelude::*;
use omnify::model::MemberDto;

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "list_members")]
pub async fn list_members() -> Result<Vec<MemberDto>, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::members::list(&ctx.core, &actor).await
    })
    .await
}

/// Changes a member's role (`role` is one of owner, admin, manager, member, viewer).
#[server(prefix = "/fn", endpoint = "update_member_role")]
pub async fn update_member_role(user_id: String, role: String) -> Result<MemberDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::{model::Role, ApiError};
    run(async move {
        let role = Role::parse(&role).ok_or_else(|| ApiError::validation("role", "Unknown role"))?;
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::members::update_role(&ctx.core, &ctx.meta, &actor, &user_id, role).await
    })
    .await
}

/// Removes a member from the organization.
#[server(prefix = "/fn", endpoint = "remove_member")]
pub async fn remove_member(user_id: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::members::remove(&ctx.core, &ctx.meta, &actor, &user_id).await
    })
    .await
}
