//! The app's error type: `omnify::ApiError` carried through server functions as JSON, so the
//! browser sees the same structured error (`error`, `message`, `field`, ...) as REST clients.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError, error::ServerFnErrorErr};
use omnify::{ApiError, ErrorKind};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AppError(pub ApiError);

impl AppError {
    pub fn kind(&self) -> ErrorKind {
        self.0.error
    }
    pub fn message(&self) -> &str {
        &self.0.message
    }
    pub fn field(&self) -> Option<&str> {
        self.0.field.as_deref()
    }
    pub fn is_unauthenticated(&self) -> bool {
        self.0.error == ErrorKind::Unauthenticated
    }
    /// Errors the user can fix by editing what they typed (shown next to the form).
    pub fn is_user_error(&self) -> bool {
        matches!(
            self.0.error,
            ErrorKind::ValidationError
                | ErrorKind::BadRequest
                | ErrorKind::Conflict
                | ErrorKind::Forbidden
                | ErrorKind::NotFound
                | ErrorKind::Unauthenticated
        )
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for AppError {}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let api = match value {
            // The browser could not reach the server (offline, server restarting, proxy down).
            ServerFnErrorErr::Request(_) => {
                ApiError::unavailable("Could not reach the server. Check your connection and try again.")
            }
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::MissingArg(msg) => {
                ApiError::bad_request(format!("Invalid form submission: {msg}"))
            }
            // Anything else is a bug or a garbled response: never leak details.
            _ => ApiError::internal(),
        };
        AppError(api)
    }
}
