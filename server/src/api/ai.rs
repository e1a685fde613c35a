//! The organization's AI usage, call log and daily budget.

use axum::extract::State;
use axum::Json;
use omnify::model::{AiBudgetRequest, AiLogsResponse, AiUsageResponse};
use omnify::services::ai;
use serde::Deserialize;

use super::ApiResult;
use crate::extract::{ApiJson, ApiQuery, CurrentActor};
use crate::state::AppState;

pub async fn usage(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<AiUsageResponse>> {
    Ok(Json(ai::usage(&state.core, &actor).await?))
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub async fn logs(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiQuery(page): ApiQuery<Page>) -> ApiResult<Json<AiLogsResponse>> {
    Ok(Json(ai::logs(&state.core, &actor, page.limit, page.offset).await?))
}

pub async fn set_budget(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<AiBudgetRequest>,
) -> ApiResult<Json<AiUsageResponse>> {
    Ok(Json(ai::set_budget(&state.core, &actor, req.daily_budget_usd).await?))
}
