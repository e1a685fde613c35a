//! Turns `ApiError` into the one JSON error shape with the right status and headers.
//! The request id and timestamp are stamped on by the request-id middleware on the way out.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use omnify::ApiError;

/// `ApiError` as an axum response (the orphan rule keeps it a wrapper).
#[derive(Debug)]
pub struct HttpError(pub ApiError);

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        HttpError(e)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        error_response(self.0)
    }
}

pub fn error_response(err: ApiError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(&err)).into_response();
    let headers = response.headers_mut();
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"omnify\""));
    }
    if let Some(secs) = err.retry_after_seconds() {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    response.extensions_mut().insert(err);
    response
}

impl From<JsonRejection> for HttpError {
    fn from(rejection: JsonRejection) -> Self {
        let err = match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::bad_request("Expected a JSON body with content-type: application/json")
            }
            JsonRejection::JsonSyntaxError(_) => ApiError::bad_request("The request body is not valid JSON"),
            JsonRejection::JsonDataError(e) => data_error(&e.body_text()),
            other => ApiError::bad_request(other.body_text()),
        };
        HttpError(err)
    }
}

impl From<QueryRejection> for HttpError {
    fn from(rejection: QueryRejection) -> Self {
        HttpError(ApiError::validation("query", rejection.body_text()))
    }
}

impl From<PathRejection> for HttpError {
    fn from(rejection: PathRejection) -> Self {
        HttpError(ApiError::bad_request(rejection.body_text()))
    }
}

/// serde's message names the field ("missing field `email`", "role: unknown variant ...").
fn data_error(text: &str) -> ApiError {
    let detail = text.split_once(": ").map(|(_, d)| d).unwrap_or(text);
    let field = detail
        .split('`')
        .nth(1)
        .filter(|_| detail.starts_with("missing field"))
        .map(str::to_string)
        .or_else(|| detail.split_once(':').map(|(f, _)| f.trim().to_string()).filter(|f| !f.contains(' ')));
    ApiError { field, ..ApiError::new(omnify::ErrorKind::ValidationError, detail.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_their_field() {
        let e = data_error("Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2");
        assert_eq!(e.field.as_deref(), Some("email"));
        let e = data_error("Failed to deserialize the JSON body into the target type: role: unknown variant `boss`, expected one of `owner`");
        assert_eq!(e.field.as_deref(), Some("role"));
    }

    #[test]
    fn unauthorized_carries_www_authenticate_and_429_retry_after() {
        let r = error_response(ApiError::unauthenticated("no"));
        assert_eq!(r.status(), 401);
        assert!(r.headers().contains_key(header::WWW_AUTHENTICATE));
        let r = error_response(ApiError::rate_limited(17));
        assert_eq!(r.headers()[header::RETRY_AFTER], "17");
    }
}
