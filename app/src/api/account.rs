//! The signed-in user.

use leptos::prelude::*;
use omnify::model::{UserDto, Viewer};

use crate::error::AppError;

/// The signed-in user and their organization (the app shell's data).
#[server(prefix = "/fn", endpoint = "viewer")]
pub async fn get_viewer() -> Result<Viewer, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::accounts::viewer(&ctx.core, &actor).await
    })
    .await
}

/// Changes the signed-in user's display name.
#[server(prefix = "/fn", endpoint = "update_profile")]
pub async fn update_profile(full_name: String) -> Result<UserDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::UpdateMeRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let req = UpdateMeRequest { full_name: Some(full_name), ..Default::default() };
        omnify::services::accounts::update_me(&ctx.core, &ctx.meta, &actor, req).await
    })
    .await
}

/// Changes the signed-in user's password; the current one is required.
#[server(prefix = "/fn", endpoint = "change_password")]
pub async fn change_password(current_password: String, password: String) -> Result<UserDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::UpdateMeRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let req = UpdateMeRequest {
            full_name: None,
            password: Some(password),
            current_password: Some(current_password),
        };
        omnify::services::accounts::update_me(&ctx.core, &ctx.meta, &actor, req).await
    })
    .await
}
