//! Request extractors whose failures come out in the one error shape.

use axum::extract::{FromRef, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use omnify::auth::cookies::{read_cookie, ACCESS_COOKIE};
use omnify::services::{accounts, Actor};
use omnify::ApiError;

use crate::error::HttpError;
use crate::state::AppState;

#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(HttpError))]
pub struct ApiJson<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(HttpError))]
pub struct ApiQuery<T>(pub T);

#[derive(FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(HttpError))]
pub struct ApiPath<T>(pub T);

/// The caller's access token: `Authorization: Bearer …`, else the browser's cookie.
pub fn access_token(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
    }
    cookie(headers, ACCESS_COOKIE)
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| read_cookie(h, name))
}

/// The signed-in caller; 401 when there is no valid token.
pub struct CurrentActor(pub Actor);

impl<S> FromRequestParts<S> for CurrentActor
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = access_token(&parts.headers).ok_or_else(|| ApiError::unauthenticated("Authentication required"))?;
        Ok(CurrentActor(accounts::authenticate(&state.core, &token).await?))
    }
}

/// Like `CurrentActor`, but a missing or invalid token is simply `None`.
pub struct MaybeActor(pub Option<Actor>);

impl<S> FromRequestParts<S> for MaybeActor
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeActor(CurrentActor::from_request_parts(parts, state).await.ok().map(|CurrentActor(a)| a)))
    }
}
