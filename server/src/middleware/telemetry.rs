//! Gives every request an id (kept from `x-request-id` when the caller sends a sane one), logs it
//! in a span, records metrics, and stamps the id and time onto error bodies.

use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Response};
use axum::middleware::Next;
use omnify::services::RequestId;
use omnify::ApiError;
use tracing::Instrument;

use crate::state::AppState;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

pub async fn telemetry(State(state): State<AppState>, mut req: Request, next: Next) -> Response<Body> {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= 128 && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let route = req.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string());

    let span = tracing::info_span!("request", request_id = %request_id, method = %method, path = %path);
    let mut response = next.run(req).instrument(span.clone()).await;

    let status = response.status().as_u16();
    if let Some(err) = response.extensions().get::<ApiError>().cloned() {
        response = stamp_error(response, err, &RequestId(request_id.clone()));
    }
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let elapsed = started.elapsed();
    let route = route.unwrap_or_else(|| route_label(&path));
    state.metrics.observe(&method, &route, status, elapsed);
    span.in_scope(|| {
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request finished");
    });
    response
}

/// Rebuilds an error body with the request id and the time, keeping status and headers.
fn stamp_error(response: Response<Body>, mut err: ApiError, request_id: &RequestId) -> Response<Body> {
    request_id.stamp(&mut err);
    if err.status() >= 500 {
        tracing::error!(request_id = request_id.0, error = ?err.error, "request failed with a server error");
    }
    let (mut parts, _) = response.into_parts();
    let body = serde_json::to_vec(&err).unwrap_or_default();
    parts.headers.insert(axum::http::header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    Response::from_parts(parts, Body::from(body))
}

/// Unmatched paths (static files, app pages) are labelled by their first segment only.
fn route_label(path: &str) -> String {
    match path.trim_start_matches('/').split('/').next() {
        Some("pkg") => "/pkg/*".into(),
        Some("api") => "/api/*".into(),
        Some("fn") => "/fn/*".into(),
        _ => "/*page".into(),
    }
}
