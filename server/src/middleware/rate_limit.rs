//! Applies the rate limits by route: sign-in style endpoints per IP, AI and API calls per user.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use omnify::auth::tokens;
use omnify::services::RequestMeta;
use omnify::ApiError;

use crate::error::HttpError;
use crate::extract;
use crate::rate_limit::{Decision, LimitKind};
use crate::state::AppState;

/// Endpoints that take credentials, and so are limited per IP against guessing.
const AUTH_PATHS: [&str; 7] = [
    "/api/auth/register",
    "/api/auth/login",
    "/api/auth/refresh",
    "/api/auth/invitations/accept",
    "/fn/login",
    "/fn/register",
    "/fn/accept_invitation",
];

/// Requests that start an AI generation count against the AI limit.
fn is_generation(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && (path == "/api/content/generate"
            || path == "/fn/content_generate"
            || path == "/fn/campaign_strategy"
            || (path.starts_with("/api/campaigns/") && path.ends_with("/strategy")))
}

pub fn classify(method: &Method, path: &str) -> Option<LimitKind> {
    if *method == Method::POST && AUTH_PATHS.contains(&path) {
        Some(LimitKind::Auth)
    } else if path.starts_with("/api/ai/") || is_generation(method, path) {
        Some(LimitKind::Ai)
    } else if path.starts_with("/api/") {
        Some(LimitKind::Api)
    } else {
        None
    }
}

pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(kind) = classify(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let ip = req.extensions().get::<RequestMeta>().and_then(|m| m.ip.clone()).unwrap_or_default();
    let who = match kind {
        LimitKind::Auth => format!("ip:{ip}"),
        // Per user when the token is valid (signature only, no database trip), else per IP.
        LimitKind::Ai | LimitKind::Api => {
            match extract::access_token(req.headers()).and_then(|t| tokens::verify_access(&state.core.settings.jwt_secret, &t).ok()) {
                Some(claims) => format!("user:{}", claims.sub),
                None => format!("ip:{ip}"),
            }
        }
    };
    match state.limiter.check(kind, &who).await {
        Decision::Allowed => next.run(req).await,
        Decision::Limited { retry_after } => HttpError(ApiError::rate_limited(retry_after)).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_map_to_their_limits() {
        assert_eq!(classify(&Method::POST, "/api/auth/login"), Some(LimitKind::Auth));
        assert_eq!(classify(&Method::POST, "/fn/login"), Some(LimitKind::Auth));
        assert_eq!(classify(&Method::GET, "/api/auth/me"), Some(LimitKind::Api));
        assert_eq!(classify(&Method::POST, "/api/ai/generate"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::POST, "/api/content/generate"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::POST, "/api/campaigns/c1/strategy"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::GET, "/api/campaigns/c1"), Some(LimitKind::Api));
        assert_eq!(classify(&Method::GET, "/settings"), None);
        assert_eq!(classify(&Method::GET, "/health"), None);
    }
}
