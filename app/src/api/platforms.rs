//! Integrations: connect marketing platforms, start syncs, follow their jobs.

use leptos::prelude::*;
use omnify::model::{JobDto, PlatformDto};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "list_platforms")]
pub async fn list_platforms() -> Result<Vec<PlatformDto>, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::platforms::list(&ctx.core, &actor).await
    })
    .await
}

/// `settings` is an optional JSON object of per-platform ids (shop, ad_account_id, …).
#[server(prefix = "/fn", endpoint = "connect_platform")]
pub async fn connect_platform(platform: String, secret: String, base_url: String, settings: String) -> Result<PlatformDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::ConnectPlatformRequest;
    use omnify::ApiError;
    run(async move {
        let settings = match settings.trim() {
            "" => None,
            s => Some(serde_json::from_str(s).map_err(|_| ApiError::validation("settings", "Settings must be a JSON object"))?),
        };
        let req = ConnectPlatformRequest {
            api_key: Some(secret),
            access_token: None,
            base_url: Some(base_url).filter(|u| !u.trim().is_empty()),
            settings,
        };
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::platforms::connect(&ctx.core, &ctx.meta, &actor, &platform, req).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "sync_platform")]
pub async fn sync_platform(platform: String) -> Result<JobDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::platforms::sync(&ctx.core, &actor, &platform).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "disconnect_platform")]
pub async fn disconnect_platform(platform: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::platforms::disconnect(&ctx.core, &ctx.meta, &actor, &platform).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "get_job")]
pub async fn get_job(job_id: String) -> Result<JobDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::jobs::get(&ctx.core, &actor, &job_id).await
    })
    .await
}
