//! Liveness for load balancers, measured figures for signed-in operators, Prometheus metrics.

use std::time::Instant;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use omnify::services::organizations;
use serde_json::json;

use super::ApiResult;
use crate::extract::CurrentActor;
use crate::state::AppState;

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// 200 when the database answers, 503 when it does not.
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let db_ok = state.core.db.ping().await.is_ok();
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    let body = json!({
        "status": if db_ok { "ok" } else { "degraded" },
        "version": VERSION,
        "uptime_seconds": state.started_at.elapsed().as_secs(),
        "services": { "database": if db_ok { "ok" } else { "down" } },
    });
    (status, Json(body))
}

pub async fn detailed(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<impl IntoResponse> {
    let started = Instant::now();
    let db_ok = state.core.db.ping().await.is_ok();
    let round_trip_ms = started.elapsed().as_secs_f64() * 1000.0;
    let (requests_per_minute, p95_ms) = state.metrics.recent();
    let limits = organizations::limits(&state.core, &actor).await?;
    let count = |resource: &str| limits.usage.iter().find(|u| u.resource == resource).map(|u| u.used);
    let status = if db_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    Ok((
        status,
        Json(json!({
            "status": if db_ok { "ok" } else { "degraded" },
            "version": VERSION,
            "uptime_seconds": state.started_at.elapsed().as_secs(),
            "database": {
                "status": if db_ok { "ok" } else { "down" },
                "backend": format!("{:?}", state.core.db.backend).to_lowercase(),
                "round_trip_ms": round_trip_ms,
            },
            "rate_limit_backend": state.limiter.backend_name(),
            "requests_per_minute": requests_per_minute,
            "p95_latency_ms": p95_ms,
            "window_seconds": 300,
            "organization": {
                "organization_id": actor.organization_id,
                "subscription_tier": limits.subscription_tier,
                "members": count("members"),
                "pending_invitations": count("pending_invitations"),
            },
        })),
    ))
}

pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
