//! Brain modules: creative scoring, fatigue, repurposing, budget, performance, market, client.

use leptos::prelude::*;
use omnify::model::*;

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "brain_creative")]
pub async fn brain_creative(req: CreativeAnalyzeRequest) -> Result<CreativeAnalyzeResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::creative_analyze(&ctx.core, &actor, req).await
    })
    .await
}

/// The brand's guidelines, so the browser can score copy live with the same rules.
#[server(prefix = "/fn", endpoint = "brain_guidelines")]
pub async fn brain_guidelines() -> Result<omnify::brain::creative::BrandGuidelines, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::content::guidelines(&ctx.core, &actor.organization_id).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_fatigue")]
pub async fn brain_fatigue() -> Result<FatigueResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::fatigue(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_repurpose")]
pub async fn brain_repurpose(req: RepurposeRequest) -> Result<RepurposeResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::repurpose(&ctx.core, &actor, req).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_budget")]
pub async fn brain_budget(req: BudgetOptimizeRequest) -> Result<BudgetOptimizeResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::budget_plan(&ctx.core, &actor, req).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_performance")]
pub async fn brain_performance() -> Result<PerformanceResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::performance(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_market")]
pub async fn brain_market() -> Result<MarketResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::market(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "brain_client")]
pub async fn brain_client(customer_id: String) -> Result<ClientIntelligenceResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::brain::client(&ctx.core, &actor, &customer_id).await
    })
    .await
}
