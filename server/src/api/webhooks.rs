//! Signed webhooks in, and their settings (the signing secret) for admins.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use omnify::model::{WebhookReceipt, WebhookSecretCreated, WebhookSettings};
use omnify::services::webhooks::{self, Delivery};
use omnify::services::RequestMeta;
use omnify::ApiError;

use super::ApiResult;
use crate::extract::{ApiPath, CurrentActor};
use crate::state::AppState;

pub async fn receive(
    State(state): State<AppState>,
    ApiPath((organization_slug, source)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<WebhookReceipt>> {
    let body = body.map_err(|e| ApiError::validation("body", e.body_text()))?;
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let delivery = Delivery {
        organization_slug: &organization_slug,
        source: &source,
        timestamp: header(webhooks::TIMESTAMP_HEADER),
        signature: header(webhooks::SIGNATURE_HEADER),
        body: &body,
    };
    Ok(Json(webhooks::receive(&state.core, delivery).await?))
}

pub async fn settings(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<WebhookSettings>> {
    Ok(Json(webhooks::settings(&state.core, &actor).await?))
}

pub async fn rotate_secret(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Extension(meta): Extension<RequestMeta>,
) -> ApiResult<(StatusCode, Json<WebhookSecretCreated>)> {
    Ok((StatusCode::CREATED, Json(webhooks::rotate_secret(&state.core, &meta, &actor).await?)))
}
