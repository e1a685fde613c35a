//! The organization's AI usage, call log and daily budget.

use leptos::prelude::*;
use omnify::model::{AiLogsResponse, AiUsageResponse};

use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "ai_usage")]
pub async fn ai_usage() -> Result<AiUsageResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::ai::usage(&ctx.core, &actor).await
    })
    .await
}

#[server(prefix = "/fn", endpoint = "ai_logs")]
pub async fn ai_logs(offset: i64) -> Result<AiLogsResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        omnify::services::ai::logs(&ctx.core, &actor, Some(50), Some(offset)).await
    })
    .await
}

/// An empty `daily_budget_usd` returns to the server's default.
#[server(prefix = "/fn", endpoint = "ai_set_budget")]
pub async fn ai_set_budget(daily_budget_usd: String) -> Result<AiUsageResponse, AppError> {
    use crate::server::session::{run, Ctx};
    run(async move {
        let ctx = Ctx::load()?;
        let actor = ctx.actor().await?;
        let value = daily_budget_usd.trim();
        let budget = if value.is_empty() {
            None
        } else {
            Some(value.trim_start_matches('$').parse::<f64>().map_err(|_| omnify::ApiError::validation("daily_budget_usd", "Enter an amount in dollars, e.g. 5.00"))?)
        };
        omnify::services::ai::set_budget(&ctx.core, &actor, budget).await
    })
    .await
}
