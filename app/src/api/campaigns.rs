//! Campaigns: list, create, edit, delete, and their AI strategy.

use leptos::prelude::*;
use omnify::model::{CampaignDetailResponse, CampaignDto, CampaignListResponse, JobDto};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "campaigns_list")]
pub async fn campaigns_list() -> Result<CampaignListResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::campaigns::list(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "campaign_get")]
pub async fn campaign_get(campaign_id: String) -> Result<CampaignDetailResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::campaigns::get(&ctx.core, &actor, &campaign_id).await
    })
    .await
}

/// Creates (no `campaign_id`) or updates a campaign from the form's fields.
#[server(prefix = "/fn", endpoint = "campaign_save")]
pub async fn campaign_save(
    campaign_id: Option<String>,
    name: String,
    objective: String,
    budget: String,
    starts_on: String,
    ends_on: String,
    /// `platforms[<name>]=on` per ticked platform (checkboxes).
    #[server(default)] platforms: std::collections::BTreeMap<String, String>,
    #[server(default)] target_segment_id: Option<String>,
    #[server(default)] description: Option<String>,
    #[server(default)] status: Option<String>,
) -> Result<CampaignDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let budget = budget.trim().trim_start_matches('$').replace(',', "");
        let budget = if budget.is_empty() {
            Err(omnify::ApiError::validation("budget", "The budget is required"))
        } else {
            budget.parse::<f64>().map_err(|_| omnify::ApiError::validation("budget", "Enter an amount, e.g. 2500"))
        }?;
        let input = omnify::model::CampaignInput {
            name: Some(name),
            objective: Some(objective),
            description,
            budget: Some(budget),
            starts_on: Some(starts_on),
            ends_on: Some(ends_on),
            platforms: Some(platforms.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, _)| k).collect()),
            target_segment_id: Some(target_segment_id.unwrap_or_default()),
            status,
        };
        match campaign_id.filter(|c| !c.is_empty()) {
            Some(id) => omnify::services::campaigns::update(&ctx.core, &actor, &id, input).await,
            None => omnify::services::campaigns::create(&ctx.core, &actor, input).await,
        }
    })
    .await
}

#[server(prefix = "/fn", endpoint = "campaign_delete")]
pub async fn campaign_delete(campaign_id: String) -> Result<(), AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::campaigns::delete(&ctx.core, &actor, &campaign_id).await
    })
    .await
}

/// Queues a strategy; `request_key` makes a double click (or a retried request) one job.
#[server(prefix = "/fn", endpoint = "campaign_strategy")]
pub async fn campaign_strategy(campaign_id: String, request_key: String) -> Result<JobDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::campaigns::request_strategy(&ctx.core, &actor, &campaign_id, Some(&request_key)).await
    })
    .await
}
