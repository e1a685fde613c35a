//! EYES: segments, churn risk, model performance and cross-platform patterns; start an
//! analysis; turn a segment into a draft retention campaign.

use leptos::prelude::*;
use omnify::model::{
    CrossPlatformPatternsResponse, CustomerRiskResponse, DraftCampaignDto, JobDto, ModelPerformanceResponse,
    SegmentCustomersResponse, SegmentsResponse,
};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "eyes_segments")]
pub async fn eyes_segments(horizon: String) -> Result<SegmentsResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::segments(&ctx.core, &actor, &horizon).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_model_performance")]
pub async fn eyes_model_performance() -> Result<ModelPerformanceResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::model_performance(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_patterns")]
pub async fn eyes_patterns() -> Result<CrossPlatformPatternsResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::cross_platform_patterns(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_segment_customers")]
pub async fn eyes_segment_customers(segment_id: String, offset: i64) -> Result<SegmentCustomersResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::segment_customers(&ctx.core, &actor, &segment_id, Some(50), Some(offset)).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_customer_risk")]
pub async fn eyes_customer_risk(customer_id: String, timeframe: String) -> Result<Option<CustomerRiskResponse>, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::ErrorKind;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        // No analysis yet (or the customer is newer than it): nothing to show, not an error.
        match omnify::services::eyes::churn_risk(&ctx.core, &actor, &customer_id, Some(&timeframe)).await {
            Ok(r) => Ok(Some(r)),
            Err(e) if e.error == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_analyze")]
pub async fn eyes_analyze() -> Result<JobDto, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::analyze(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "eyes_retention_campaign")]
pub async fn eyes_retention_campaign(segment_id: String, campaign_type: String) -> Result<DraftCampaignDto, AppError> {
    use crate::server::session::{run, Ctx};
    use omnify::model::RetentionCampaignRequest;
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::eyes::trigger_retention_campaign(&ctx.core, &actor, RetentionCampaignRequest { segment_id, campaign_type })
            .await
    })
    .await
}
