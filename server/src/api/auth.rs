use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use omnify::auth::cookies::{cleared_cookies, session_cookies, REFRESH_COOKIE};
use omnify::model::{
    AcceptInvitationRequest, AuthSession, LoginRequest, LogoutRequest, RegisterRequest, UpdateMeRequest, UserDto,
    VerifyResponse,
};
use omnify::services::{accounts, invitations, RequestMeta};
use omnify::ApiError;
use serde::Deserialize;

use super::{with_cookies, ApiResult};
use crate::extract::{cookie, ApiJson, CurrentActor, MaybeActor};
use crate::state::AppState;

/// Browsers get the session as cookies too; API clients use the tokens in the body.
fn session_response(state: &AppState, status: StatusCode, session: AuthSession) -> Response {
    let cookies = session_cookies(&session, state.core.settings.secure_cookies);
    with_cookies((status, Json(session)), cookies)
}

pub async fn register(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    ApiJson(req): ApiJson<RegisterRequest>,
) -> ApiResult<Response> {
    let session = accounts::register(&state.core, &meta, req).await?;
    Ok(session_response(&state, StatusCode::CREATED, session))
}

pub async fn login(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let session = accounts::login(&state.core, &meta, req).await?;
    Ok(session_response(&state, StatusCode::OK, session))
}

/// These endpoints take an optional JSON body: browsers send none and rely on the cookie.
fn optional_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Option<T>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|e| ApiError::validation("body", format!("Invalid JSON body: {e}")))
}

#[derive(Deserialize, Default)]
pub struct OptionalRefresh {
    #[serde(default)]
    refresh_token: Option<String>,
}

/// The token comes from the body (API clients) or the refresh cookie (browsers).
pub async fn refresh(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let token = optional_json::<OptionalRefresh>(&body)?
        .and_then(|b| b.refresh_token)
        .or_else(|| cookie(&headers, REFRESH_COOKIE))
        .ok_or_else(|| ApiError::validation("refresh_token", "refresh_token is required"))?;
    let session = accounts::refresh(&state.core, &meta, &token).await?;
    Ok(session_response(&state, StatusCode::OK, session))
}

pub async fn logout(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    MaybeActor(actor): MaybeActor,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let token = optional_json::<LogoutRequest>(&body)?
        .and_then(|b| b.refresh_token).or_else(|| cookie(&headers, REFRESH_COOKIE));
    if actor.is_none() && token.is_none() {
        return Err(ApiError::unauthenticated("Authentication required").into());
    }
    accounts::logout(&state.core, &meta, actor.as_ref(), token.as_deref()).await?;
    Ok(with_cookies(StatusCode::NO_CONTENT, cleared_cookies(state.core.settings.secure_cookies)))
}

pub async fn me(State(state): State<AppState>, CurrentActor(actor): CurrentActor) -> ApiResult<Json<UserDto>> {
    Ok(Json(accounts::me(&state.core, &actor).await?))
}

pub async fn update_me(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    CurrentActor(actor): CurrentActor,
    ApiJson(req): ApiJson<UpdateMeRequest>,
) -> ApiResult<Json<UserDto>> {
    Ok(Json(accounts::update_me(&state.core, &meta, &actor, req).await?))
}

pub async fn verify(CurrentActor(actor): CurrentActor) -> Json<VerifyResponse> {
    Json(accounts::verify(&actor))
}

pub async fn accept_invitation(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    ApiJson(req): ApiJson<AcceptInvitationRequest>,
) -> ApiResult<Response> {
    let session = invitations::accept(&state.core, &meta, req).await?;
    Ok(session_response(&state, StatusCode::OK, session))
}
