//! Content pieces: generate, write, edit, review workflow.

use leptos::prelude::*;
use omnify::model::{ContentDetailResponse, ContentListResponse, JobDto};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "content_list")]
pub async fn content_list(
    #[server(default)] campaign_id: Option<String>,
    #[server(default)] from: Option<String>,
    #[server(default)] to: Option<String>,
) -> Result<ContentListResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let filter = omnify::db::content::ContentFilter { campaign_id, status: None, from, to };
        omnify::services::content::list(&ctx.core, &actor, filter).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "content_get")]
pub async fn content_get(content_id: String) -> Result<ContentDetailResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::content::get(&ctx.core, &actor, &content_id).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "content_generate")]
pub async fn content_generate(
    #[server(default)] campaign_id: Option<String>,
    platform: String,
    format: String,
    brief: String,
    #[server(default)] scheduled_for: Option<String>,
    request_key: String,
) -> Result<JobDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let req = omnify::model::GenerateContentRequest { campaign_id, platform, format, brief, scheduled_for };
        omnify::services::content::generate(&ctx.core, &actor, req, Some(&request_key)).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "content_save")]
pub async fn content_save(
    content_id: String,
    #[server(default)] headline: Option<String>,
    body: String,
    #[server(default)] cta: Option<String>,
    #[server(default)] hashtags: Option<String>,
    #[server(default)] scheduled_for: Option<String>,
) -> Result<ContentDetailResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let input = omnify::model::ContentInput {
            headline: Some(headline.unwrap_or_default()),
            body: Some(body),
            cta: Some(cta.unwrap_or_default()),
            hashtags: Some(hashtags.unwrap_or_default().split([' ', ',']).map(str::to_string).filter(|t| !t.trim().is_empty()).collect()),
            scheduled_for: Some(scheduled_for.unwrap_or_default()),
            ..Default::default()
        };
        omnify::services::content::update(&ctx.core, &actor, &content_id, input).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "content_set_status")]
pub async fn content_set_status(content_id: String, status: String, #[server(default)] published_url: Option<String>) -> Result<ContentDetailResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::content::set_status(&ctx.core, &actor, &content_id, omnify::model::ContentStatusRequest { status, published_url }).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "content_delete")]
pub async fn content_delete(content_id: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::content::delete(&ctx.core, &actor, &content_id).await
    })
    .await
}
