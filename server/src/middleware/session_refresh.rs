//! Keeps browser sessions alive: when a page or server-function request arrives with an expired
//! access cookie but a live refresh cookie, the tokens are rotated before the app sees the
//! request, and the new cookies go back with the response.
//!
//! One browser often sends several such requests at once (parallel server-function calls after
//! a long idle, two tabs). Only the first may rotate the token: to the service the others would
//! look like a stolen token being replayed, and it would end the login. So concurrent refreshes
//! of one token share a single rotation, and its result is handed to late arrivals for a short
//! grace period. Across server processes the race remains (see the issue note).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use omnify::auth::cookies::{cleared_cookies, session_cookies, ACCESS_COOKIE, REFRESH_COOKIE};
use omnify::auth::tokens;
use omnify::model::AuthSession;
use omnify::services::{accounts, RequestMeta};
use omnify::Core;
use tokio::sync::OnceCell;

use crate::api::with_cookies;
use crate::state::AppState;

pub async fn session_refresh(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.starts_with("/api/") || path.starts_with("/pkg/") || path == "/health" || path == "/metrics" {
        return next.run(req).await;
    }
    let access = crate::extract::cookie(req.headers(), ACCESS_COOKIE);
    let refresh = crate::extract::cookie(req.headers(), REFRESH_COOKIE);
    let secret = &state.core.settings.jwt_secret;
    let access_ok = access.as_deref().is_some_and(|t| tokens::verify_access(secret, t).is_ok());
    let Some(refresh) = refresh.filter(|_| !access_ok) else {
        return next.run(req).await;
    };

    let meta = req.extensions().get::<RequestMeta>().cloned().unwrap_or_default();
    let secure = state.core.settings.secure_cookies;
    match state.refreshes.refresh(&state.core, &meta, &refresh).await {
        Some(session) => {
            // The app reads the fresh access token from the request's Cookie header.
            let cookie = format!("{ACCESS_COOKIE}={}; {REFRESH_COOKIE}={}", session.access_token, session.refresh_token);
            req.headers_mut().remove(header::COOKIE);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                req.headers_mut().insert(header::COOKIE, v);
            }
            with_cookies(next.run(req).await, session_cookies(&session, secure))
        }
        None => {
            // A dead refresh token: drop both cookies so the browser stops presenting them.
            req.headers_mut().remove(header::COOKIE);
            with_cookies(next.run(req).await, cleared_cookies(secure))
        }
    }
}

/// How long a rotation's result is shared with requests that presented the same refresh token.
const GRACE: Duration = Duration::from_secs(20);

type SharedRotation = Arc<OnceCell<Option<AuthSession>>>;

/// Single-flight rotation per refresh token (keyed by its digest).
#[derive(Default)]
pub struct RefreshCoalescer {
    rotations: Mutex<HashMap<String, (Instant, SharedRotation)>>,
}

impl RefreshCoalescer {
    /// The rotated session, or `None` when the token is dead.
    pub async fn refresh(&self, core: &Core, meta: &RequestMeta, refresh_token: &str) -> Option<AuthSession> {
        let rotation = {
            let mut rotations = self.rotations.lock().unwrap_or_else(|p| p.into_inner());
            rotations.retain(|_, (started, _)| started.elapsed() < GRACE);
            rotations
                .entry(tokens::digest(refresh_token))
                .or_insert_with(|| (Instant::now(), Arc::default()))
                .1
                .clone()
        };
        rotation.get_or_init(|| async { accounts::refresh(core, meta, refresh_token).await.ok() }).await.clone()
    }
}
