//! Content pieces: generate (a job), write, edit, move through review, export.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use omnify::db::content::ContentFilter;
use omnify::model::{ContentDetailResponse, ContentInput, ContentListResponse, ContentStatusRequest, GenerateContentRequest, JobDto};
use omnify::services::content;
use serde::Deserialize;

use super::campaigns::idempotency_key;
use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, ApiQuery, CurrentActor};
use crate::state::AppState;

/// `POST /api/content/generate` → 202 with the job to poll.
pub async fn generate(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    headers: HeaderMap,
    ApiJson(req): ApiJson<GenerateContentRequest>,
) -> ApiResult<(StatusCode, Json<JobDto>)> {
    Ok((StatusCode::ACCEPTED, Json(content::generate(&state.core, &actor, req, idempotency_key(&headers)).await?)))
}

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    pub campaign_id: Option<String>,
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

pub async fn list(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiQuery(q): ApiQuery<ListQuery>) -> ApiResult<Json<ContentListResponse>> {
    let filter = ContentFilter { campaign_id: q.campaign_id, status: q.status, from: q.from, to: q.to };
    Ok(Json(content::list(&state.core, &actor, filter).await?))
}

pub async fn create(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiJson(input): ApiJson<ContentInput>,
) -> ApiResult<(StatusCode, Json<ContentDetailResponse>)> {
    Ok((StatusCode::CREATED, Json(content::create(&state.core, &actor, input).await?)))
}

pub async fn get(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiPath(id): ApiPath<String>) -> ApiResult<Json<ContentDetailResponse>> {
    Ok(Json(content::get(&state.core, &actor, &id).await?))
}

pub async fn update(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
    ApiJson(input): ApiJson<ContentInput>,
) -> ApiResult<Json<ContentDetailResponse>> {
    Ok(Json(content::update(&state.core, &actor, &id, input).await?))
}

pub async fn set_status(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
    ApiJson(req): ApiJson<ContentStatusRequest>,
) -> ApiResult<Json<ContentDetailResponse>> {
    Ok(Json(content::set_status(&state.core, &actor, &id, req).await?))
}

pub async fn delete(State(state): State<AppState>, CurrentActor(actor): CurrentActor, ApiPath(id): ApiPath<String>) -> ApiResult<StatusCode> {
    content::delete(&state.core, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    pub format: Option<String>,
}

pub async fn export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> ApiResult<impl IntoResponse> {
    let (name, content_type, body) = content::export(&state.core, &actor, &id, q.format.as_deref().unwrap_or("txt")).await?;
    Ok(([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], body))
}
