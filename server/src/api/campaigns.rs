//! Campaigns and their AI strategy.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use omnify::model::{CampaignDetailResponse, CampaignDto, CampaignInput, CampaignListResponse, ContentListResponse, JobDto};
use omnify::services::{campaigns, content};

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentActor};
use crate::state::AppState;

/// The client's `Idempotency-Key`, when it sent one.
pub fn idempotency_key(headers: &HeaderMap) -> Option<&str> {
    headers.get("idempotency-key").and_then(|v| v.to_str().ok())
}

pub async fn list(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<CampaignListResponse>> {
    Ok(Json(campaigns::list(&state.core, &actor).await?))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(input): ApiJson<CampaignInput>,
) -> ApiResult<(StatusCode, Json<CampaignDto>)> {
    Ok((StatusCode::CREATED, Json(campaigns::create(&state.core, &actor, input).await?)))
}

pub async fn get(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiPath(id): ApiPath<String>) -> ApiResult<Json<CampaignDetailResponse>> {
    Ok(Json(campaigns::get(&state.core, &actor, &id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> ApiResult<Json<CampaignDto>> {
    Ok(Json(campaigns::update(&state.core, &actor, &id, input).await?))
}

pub async fn delete(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    campaigns::delete(&state.core, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/campaigns/{id}/strategy` → 202 with the job to poll.
pub async fn strategy(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<JobDto>)> {
    Ok((StatusCode::ACCEPTED, Json(campaigns::request_strategy(&state.core, &actor, &id, idempotency_key(&headers)).await?)))
}

pub async fn content(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiPath(id): ApiPath<String>) -> ApiResult<Json<ContentListResponse>> {
    Ok(Json(content::for_campaign(&state.core, &actor, &id).await?))
}
