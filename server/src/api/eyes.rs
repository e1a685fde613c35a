//! EYES: start an analysis, read segments, churn risk, model performance and cross-platform
//! patterns, and turn a segment into a draft retention campaign.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use omnify::model::{
    CrossPlatformPatternsResponse, CustomerRiskResponse, DraftCampaignDto, JobDto, ModelPerformanceResponse,
    RetentionCampaignRequest, SegmentCustomersResponse, SegmentsResponse,
};
use omnify::services::eyes;
use serde::Deserialize;

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentActor};
use crate::state::AppState;

/// `POST /api/eyes/analyze` and `POST /api/eyes/retrain`: both queue a fresh analysis (the
/// models are retrained on the current data every run).
pub async fn analyze(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<(StatusCode, Json<JobDto>)> {
    Ok((StatusCode::ACCEPTED, Json(eyes::analyze(&state.core, &actor).await?)))
}

pub async fn segments(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(horizon): ApiPath<String>,
) -> ApiResult<Json<SegmentsResponse>> {
    Ok(Json(eyes::segments(&state.core, &actor, &horizon).await?))
}

#[derive(Debug, Deserialize)]
pub struct Page {
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

pub async fn segment_customers(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(segment_id): ApiPath<String>,
    ApiQuery(page): ApiQuery<Page>,
) -> ApiResult<Json<SegmentCustomersResponse>> {
    Ok(Json(eyes::segment_customers(&state.core, &actor, &segment_id, page.limit, page.offset).await?))
}

#[derive(Debug, Deserialize)]
pub struct Timeframe {
    pub timeframe: Option<String>,
}

pub async fn churn_risk(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(customer_id): ApiPath<String>,
    ApiQuery(q): ApiQuery<Timeframe>,
) -> ApiResult<Json<CustomerRiskResponse>> {
    Ok(Json(eyes::churn_risk(&state.core, &actor, &customer_id, q.timeframe.as_deref()).await?))
}

pub async fn model_performance(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<Json<ModelPerformanceResponse>> {
    Ok(Json(eyes::model_performance(&state.core, &actor).await?))
}

pub async fn trigger_retention_campaign(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<RetentionCampaignRequest>,
) -> ApiResult<(StatusCode, Json<DraftCampaignDto>)> {
    Ok((StatusCode::CREATED, Json(eyes::trigger_retention_campaign(&state.core, &actor, req).await?)))
}

pub async fn cross_platform_patterns(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
) -> ApiResult<Json<CrossPlatformPatternsResponse>> {
    Ok(Json(eyes::cross_platform_patterns(&state.core, &actor).await?))
}
