//! Customers: search and detail, and the privacy rights (export, erasure).

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::{Extension, Json};
use omnify::model::{CustomerDetail, CustomerPage, CustomerQuery};
use omnify::services::{customers, RequestMeta};

use super::ApiResult;
use crate::extract::{ApiPath, ApiQuery, CurrentActor};
use crate::state::AppState;

pub async fn list(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiQuery(query): ApiQuery<CustomerQuery>,
) -> ApiResult<Json<CustomerPage>> {
    Ok(Json(customers::list(&state.core, &actor, query).await?))
}

pub async fn get(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<CustomerDetail>> {
    Ok(Json(customers::get(&state.core, &actor, &id).await?))
}

/// All of one customer's data, as a JSON download.
pub async fn export(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Extension(meta): Extension<RequestMeta>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<impl IntoResponse> {
    let data = customers::export(&state.core, &meta, &actor, &id).await?;
    let disposition = format!("attachment; filename=\"customer-{id}.json\"");
    Ok(([(header::CONTENT_DISPOSITION, disposition)], Json(data)))
}

pub async fn erase(
    State(state): State<AppState>,
    CurrentActor(actor): CurrentActor,
    Extension(meta): Extension<RequestMeta>,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<StatusCode> {
    customers::erase(&state.core, &meta, &actor, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
