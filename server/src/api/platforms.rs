//! Marketing platform connections, their syncs, and the background jobs that run them.

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use omnify::model::{ConnectPlatformRequest, JobDto, PlatformDto};
use omnify::services::{jobs, platforms, RequestMeta};

use super::ApiResult;
use crate::extract::{ApiJson, ApiPath, CurrentActor};
use crate::state::AppState;

pub async fn list(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<Vec<PlatformDto>>> {
    Ok(Json(platforms::list(&state.core, &actor).await?))
}

pub async fn connect(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Extension(meta): Extension<RequestMeta>,
    ApiPath(platform): ApiPath<String>,
    ApiJson(req): ApiJson<ConnectPlatformRequest>,
) -> ApiResult<Json<PlatformDto>> {
    Ok(Json(platforms::connect(&state.core, &meta, &actor, &platform, req).await?))
}

pub async fn status(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(platform): ApiPath<String>,
) -> ApiResult<Json<PlatformDto>> {
    Ok(Json(platforms::status(&state.core, &actor, &platform).await?))
}

pub async fn sync(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(platform): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<JobDto>)> {
    Ok((StatusCode::ACCEPTED, Json(platforms::sync(&state.core, &actor, &platform).await?)))
}

pub async fn disconnect(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Extension(meta): Extension<RequestMeta>,
    ApiPath(platform): ApiPath<String>,
) -> ApiResult<StatusCode> {
    platforms::disconnect(&state.core, &meta, &actor, &platform).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn job(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<JobDto>> {
    Ok(Json(jobs::get(&state.core, &actor, &id).await?))
}
