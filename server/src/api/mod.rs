//! REST handlers under /api. Each one: extract input and caller, call one service, shape output.

pub mod ai;
pub mod audit;
pub mod auth;
pub mod brain;
pub mod campaigns;
pub mod content;
pub mod customers;
pub mod dashboard;
pub mod eyes;
pub mod health;
pub mod ingest;
pub mod onboarding;
pub mod organization;
pub mod platforms;
pub mod webhooks;

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::Router;
use omnify::ApiError;

use crate::error::HttpError;
use crate::state::AppState;

pub type ApiResult<T> = Result<T, HttpError>;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/me", get(auth::me).put(auth::update_me))
        .route("/auth/verify", get(auth::verify))
        .route("/auth/organization", get(organization::get).put(organization::update))
        .route("/auth/organization/members", get(organization::members))
        .route("/auth/organization/members/{user_id}", put(organization::update_member).delete(organization::remove_member))
        .route("/auth/invitations", get(organization::invitations).post(organization::invite))
        .route("/auth/invitations/accept", post(auth::accept_invitation))
        .route("/auth/invitations/{invitation_id}", delete(organization::revoke_invitation))
        .route("/auth/limits", get(organization::limits))
        .route("/audit-logs", get(audit::list))
        .route("/health/detailed", get(health::detailed))
        .route("/ingest/{kind}", post(ingest::ingest))
        .route("/imports", get(ingest::list).post(ingest::create))
        .route("/imports/{import_id}", get(ingest::get))
        .route("/imports/{import_id}/errors", get(ingest::errors))
        .route("/webhooks/settings", get(webhooks::settings))
        .route("/webhooks/secret", post(webhooks::rotate_secret))
        .route("/webhooks/{organization_slug}/{source}", post(webhooks::receive))
        .route("/platforms", get(platforms::list))
        .route("/platforms/{platform}", delete(platforms::disconnect))
        .route("/platforms/{platform}/connect", post(platforms::connect))
        .route("/platforms/{platform}/status", get(platforms::status))
        .route("/platforms/{platform}/sync", post(platforms::sync))
        .route("/jobs/{job_id}", get(platforms::job))
        .route("/eyes/analyze", post(eyes::analyze))
        .route("/eyes/retrain", post(eyes::analyze))
        .route("/eyes/segments/{horizon}", get(eyes::segments))
        .route("/eyes/segments/{segment_id}/customers", get(eyes::segment_customers))
        .route("/eyes/churn-risk/{customer_id}", get(eyes::churn_risk))
        .route("/eyes/model-performance", get(eyes::model_performance))
        .route("/eyes/trigger-retention-campaign", post(eyes::trigger_retention_campaign))
        .route("/eyes/cross-platform-patterns", get(eyes::cross_platform_patterns))
        .route("/dashboard/overview", get(dashboard::overview))
        .route("/dashboard/stream", get(dashboard::stream))
        .route("/onboarding", get(onboarding::state))
        .route("/onboarding/steps/{step}", put(onboarding::save_step))
        .route("/onboarding/steps/{step}/skip", post(onboarding::skip_step))
        .route("/onboarding/finish", post(onboarding::finish))
        .route("/onboarding/sample-data", post(onboarding::sample_data))
        .route("/ai/usage", get(ai::usage))
        .route("/ai/logs", get(ai::logs))
        .route("/ai/budget", put(ai::set_budget))
        .route("/campaigns", get(campaigns::list).post(campaigns::create))
        .route("/campaigns/{campaign_id}", get(campaigns::get).put(campaigns::update).delete(campaigns::delete))
        .route("/campaigns/{campaign_id}/strategy", post(campaigns::strategy))
        .route("/campaigns/{campaign_id}/content", get(campaigns::content))
        .route("/content", get(content::list).post(content::create))
        .route("/content/generate", post(content::generate))
        .route("/content/{content_id}", get(content::get).put(content::update).delete(content::delete))
        .route("/content/{content_id}/status", post(content::set_status))
        .route("/content/{content_id}/export", get(content::export))
        .route("/brain/creative/analyze", post(brain::creative_analyze))
        .route("/brain/fatigue", get(brain::fatigue))
        .route("/brain/repurpose", post(brain::repurpose))
        .route("/brain/budget", post(brain::budget))
        .route("/brain/performance", get(brain::performance))
        .route("/brain/market", get(brain::market))
        .route("/brain/client/{customer_id}", get(brain::client))
        .route("/customers", get(customers::list))
        .route("/customers/{customer_id}", get(customers::get).delete(customers::erase))
        .route("/customers/{customer_id}/export", get(customers::export))
        .fallback(|| async { HttpError(ApiError::new(omnify::ErrorKind::NotFound, "No such API endpoint")) })
        .method_not_allowed_fallback(|| async {
            HttpError(ApiError::new(omnify::ErrorKind::MethodNotAllowed, "This endpoint does not accept that HTTP method"))
        })
}

/// Attaches Set-Cookie values to a response.
pub fn with_cookies(response: impl IntoResponse, cookies: Vec<String>) -> Response {
    let mut response = response.into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}
