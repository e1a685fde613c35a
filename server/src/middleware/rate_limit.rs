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

/// Requests that call the model: generations, campaign strategies and the creative review (the
/// browser's own review always asks for the AI). Reading AI usage, logs and budget does not.
fn calls_the_model(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && (path == "/api/content/generate"
            || path == "/fn/content_generate"
            || path == "/fn/campaign_strategy"
            || path == "/fn/brain_creative"
            || (path.starts_with("/api/campaigns/") && path.ends_with("/strategy")))
}

/// The REST creative analysis scores copy without the model unless it asks for the AI review
/// (`"enrich": true`), so only then is it an AI call.
const CREATIVE_ANALYZE: &str = "/api/brain/creative/analyze";
/// Axum's default JSON body limit: a larger body is refused by the handler anyway.
const MAX_PEEKED_BODY: usize = 2 * 1024 * 1024;

pub fn classify(method: &Method, path: &str) -> Option<LimitKind> {
    if *method == Method::POST && AUTH_PATHS.contains(&path) {
        Some(LimitKind::Auth)
    } else if calls_the_model(method, path) {
        Some(LimitKind::Ai)
    } else if path.starts_with("/api/") {
        Some(LimitKind::Api)
    } else {
        None
    }
}

/// Reads a creative analysis body to see whether it asks for the AI review, and puts it back.
async fn asks_for_ai_review(req: Request) -> Result<(Request, bool), Response> {
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_PEEKED_BODY)
        .await
        .map_err(|_| HttpError(ApiError::bad_request("The request body is too large")).into_response())?;
    let enrich = serde_json::from_slice::<serde_json::Value>(&bytes)
        .is_ok_and(|v| v.get("enrich").and_then(|e| e.as_bool()) == Some(true));
    Ok((Request::from_parts(parts, axum::body::Body::from(bytes)), enrich))
}

pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(mut kind) = classify(req.method(), req.uri().path()) else {
        return next.run(req).await;
    };
    let mut req = req;
    if *req.method() == Method::POST && req.uri().path() == CREATIVE_ANALYZE {
        match asks_for_ai_review(req).await {
            Ok((back, true)) => (req, kind) = (back, LimitKind::Ai),
            Ok((back, false)) => req = back,
            Err(refused) => return refused,
        }
    }
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
        assert_eq!(classify(&Method::GET, "/api/ai/usage"), Some(LimitKind::Api));
        assert_eq!(classify(&Method::PUT, "/api/ai/budget"), Some(LimitKind::Api));
        assert_eq!(classify(&Method::POST, "/fn/brain_creative"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::POST, "/fn/campaign_strategy"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::POST, "/api/content/generate"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::POST, "/api/campaigns/c1/strategy"), Some(LimitKind::Ai));
        assert_eq!(classify(&Method::GET, "/api/campaigns/c1"), Some(LimitKind::Api));
        assert_eq!(classify(&Method::GET, "/settings"), None);
        assert_eq!(classify(&Method::GET, "/health"), None);
    }
}
