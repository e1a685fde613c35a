//! Settings → Webhooks: the endpoint and the signing secret.

use leptos::prelude::*;
use omnify::model::{WebhookSecretCreated, WebhookSettings};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "get_webhook_settings")]
pub async fn get_webhook_settings() -> Result<WebhookSettings, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::webhooks::settings(&ctx.core, &actor).await
    })
    .await
}

/// Makes a new signing secret; the old one stops working at once.
#[server(prefix = "/fn", endpoint = "rotate_webhook_secret")]
pub async fn rotate_webhook_secret() -> Result<WebhookSecretCreated, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::webhooks::rotate_secret(&ctx.core, &ctx.meta, &actor).await
    })
    .await
}
