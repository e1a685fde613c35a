//! Brain modules: creative scoring, fatigue, repurposing, budget, performance, market and
//! client intelligence.

use axum::extract::State;
use axum::Json;
use omnify::model::*;
use omnify::services::brain;

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentActor};
use crate::state::AppState;

pub async fn creative_analyze(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<CreativeAnalyzeRequest>,
) -> ApiResult<Json<CreativeAnalyzeResponse>> {
    Ok(Json(brain::creative_analyze(&state.core, &actor, req).await?))
}

pub async fn fatigue(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<FatigueResponse>> {
    Ok(Json(brain::fatigue(&state.core, &actor).await?))
}

pub async fn repurpose(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<RepurposeRequest>,
) -> ApiResult<Json<RepurposeResponse>> {
    Ok(Json(brain::repurpose(&state.core, &actor, req).await?))
}

pub async fn budget(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<BudgetOptimizeRequest>,
) -> ApiResult<Json<BudgetOptimizeResponse>> {
    Ok(Json(brain::budget_plan(&state.core, &actor, req).await?))
}

pub async fn performance(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<PerformanceResponse>> {
    Ok(Json(brain::performance(&state.core, &actor).await?))
}

pub async fn market(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<MarketResponse>> {
    Ok(Json(brain::market(&state.core, &actor).await?))
}

pub async fn client(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(customer_id): ApiPath<String>,
) -> ApiResult<Json<ClientIntelligenceResponse>> {
    Ok(Json(brain::client(&state.core, &actor, &customer_id).await?))
}
