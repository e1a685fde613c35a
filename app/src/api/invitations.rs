//! Invitations to join the organization.

use leptos::prelude::*;
use omnify::model::{InvitationCreated, InvitationDto};

use crate::error::AppError;

/// Invites `email` with `role`; the result carries the one-time token for the accept link.
#[server(prefix = "/fn", endpoint = "create_invitation")]
pub async fn create_invitation(email: String, role: String) -> Result<InvitationCreated, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::{CreateInvitationRequest, Role};
    use omnify::ApiError;
    run(async move {
        let role = Role::parse(&role).ok_or_else(|| ApiError::validation("role", "Unknown role"))?;
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::invitations::create(&ctx.core, &ctx.meta, &actor, CreateInvitationRequest { email, role })
            .await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "list_invitations")]
pub async fn list_invitations() -> Result<Vec<InvitationDto>, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::invitations::list_pending(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "revoke_invitation")]
pub async fn revoke_invitation(invitation_id: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::invitations::revoke(&ctx.core, &ctx.meta, &actor, &invitation_id).await
    })
    .await
}
