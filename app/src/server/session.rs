//! Who is calling, from where, and how errors and cookies go back: the one place every server
//! function uses to identify the caller.
//!
//! Expectations on the server (see server/): `omnify::Core` is provided as Leptos context, the
//! request carries an `omnify::services::RequestMeta` extension, and the access cookie has
//! already been refreshed (via the refresh cookie) before the request reaches Leptos.

use std::future::Future;

use http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use omnify::auth::cookies::{self, ACCESS_COOKIE, REFRESH_COOKIE};
use omnify::model::AuthSession;
use omnify::services::{accounts, Actor, RequestId, RequestMeta};
use omnify::{ApiError, Core};

use crate::error::AppError;

/// Everything a server function needs about its caller.
pub struct Ctx {
    pub core: Core,
    pub meta: RequestMeta,
}

impl Ctx {
    pub fn load() -> Result<Self, ApiError> {
        let core = use_context::<Core>().ok_or_else(|| {
            tracing::error!("omnify::Core is not provided as Leptos context");
            ApiError::internal()
        })?;
        Ok(Ctx { core, meta: request_meta() })
    }

    /// The signed-in caller, or `unauthenticated`.
    pub async fn actor(&self) -> Result<Actor, ApiError> {
        let token = cookie(ACCESS_COOKIE)
            .ok_or_else(|| ApiError::unauthenticated("Please sign in to continue"))?;
        accounts::authenticate(&self.core, &token).await
    }

    /// The caller if signed in; `None` otherwise (for logout).
    pub async fn maybe_actor(&self) -> Option<Actor> {
        self.actor().await.ok()
    }

    pub fn set_session_cookies(&self, session: &AuthSession) {
        for value in cookies::session_cookies(session, self.core.settings.secure_cookies) {
            append_set_cookie(&value);
        }
    }

    pub fn clear_session_cookies(&self) {
        for value in cookies::cleared_cookies(self.core.settings.secure_cookies) {
            append_set_cookie(&value);
        }
    }
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The request's `RequestMeta` extension (inserted by the server's middleware, e.g. with
/// `axum::Extension(meta)` — read here exactly like `leptos_axum::extract::<Extension<RequestMeta>>()`); falls back to
/// the User-Agent header alone if the extension is missing.
pub fn request_meta() -> RequestMeta {
    let Some(parts) = parts() else { return RequestMeta::default() };
    if let Some(meta) = parts.extensions.get::<RequestMeta>() {
        return meta.clone();
    }
    RequestMeta {
        ip: None,
        user_agent: parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    }
}

/// One cookie from the request (any of its Cookie headers).
pub fn cookie(name: &str) -> Option<String> {
    let parts = parts()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| cookies::read_cookie(h, name))
}

pub fn refresh_cookie() -> Option<String> {
    cookie(REFRESH_COOKIE)
}

fn append_set_cookie(value: &str) {
    match (use_context::<ResponseOptions>(), HeaderValue::from_str(value)) {
        (Some(res), Ok(v)) => res.append_header(header::SET_COOKIE, v),
        _ => tracing::error!("could not set a session cookie"),
    }
}

/// True when this request is a server-function call made by the app's own client (fetch),
/// rather than a page render or a plain HTML form post.
fn is_fetch_server_fn_call() -> bool {
    let Some(parts) = parts() else { return false };
    let accepts_html = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    parts.uri.path().starts_with("/fn/") && !accepts_html
}

/// Turns a service result into a server-function result. On error, the HTTP status follows
/// the error kind — except for plain form posts (which must stay a 302 back to the form, with
/// the error in the URL) and page renders (where the page decides its own status).
pub fn finish<T>(result: Result<T, ApiError>) -> Result<T, AppError> {
    result.map_err(|mut err| {
        if let Some(id) = parts().and_then(|p| p.extensions.get::<RequestId>().cloned()) {
            id.stamp(&mut err);
        }
        if is_fetch_server_fn_call() {
            if let (Some(res), Ok(status)) =
                (use_context::<ResponseOptions>(), StatusCode::from_u16(err.status()))
            {
                res.set_status(status);
                if let Some(secs) = err.retry_after_seconds() {
                    res.insert_header(header::RETRY_AFTER, HeaderValue::from(secs));
                }
                if status == StatusCode::UNAUTHORIZED {
                    res.insert_header(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                }
            }
        }
        AppError(err)
    })
}

/// Runs a server function body and shapes its error.
pub async fn run<T, F>(body: F) -> Result<T, AppError>
where
    F: Future<Output = Result<T, ApiError>>,
{
    finish(body.await)
}

/// Only same-site paths are valid redirect targets after sign-in (no open redirects).
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") => p,
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_only_a_same_site_path() {
        assert_eq!(safe_next(Some("/settings/members".into())), "/settings/members");
        assert_eq!(safe_next(Some("/a?b=c".into())), "/a?b=c");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some(String::new())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("//evil.example".into())), "/");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/");
    }
}
