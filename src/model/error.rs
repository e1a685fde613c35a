//! The one error type of the stack and its JSON shape on the wire:
//! `{"error","message","field","details","request_id","timestamp"}`.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    ValidationError,
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    /// The path exists but not for this HTTP method (405).
    MethodNotAllowed,
    Conflict,
    RateLimited,
    /// The organization's daily AI budget would be exceeded (402).
    AiBudgetExceeded,
    ServiceUnavailable,
    InternalError,
}

impl ErrorKind {
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::ValidationError => 422,
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::MethodNotAllowed => 405,
            ErrorKind::Conflict => 409,
            ErrorKind::RateLimited => 429,
            ErrorKind::AiBudgetExceeded => 402,
            ErrorKind::ServiceUnavailable => 503,
            ErrorKind::InternalError => 500,
        }
    }

    pub fn from_status(status: u16) -> Self {
        match status {
            422 => ErrorKind::ValidationError,
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthenticated,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            405 => ErrorKind::MethodNotAllowed,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::RateLimited,
            402 => ErrorKind::AiBudgetExceeded,
            503 => ErrorKind::ServiceUnavailable,
            _ => ErrorKind::InternalError,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub error: ErrorKind,
    pub message: String,
    pub field: Option<String>,
    pub details: Option<serde_json::Value>,
    /// Filled in by the HTTP layer on the way out.
    pub request_id: Option<String>,
    /// RFC 3339, filled in by the HTTP layer on the way out.
    pub timestamp: Option<String>,
}

impl ApiError {
    pub fn new(error: ErrorKind, message: impl Into<String>) -> Self {
        Self { error, message: message.into(), field: None, details: None, request_id: None, timestamp: None }
    }
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self { field: Some(field.to_string()), ..Self::new(ErrorKind::ValidationError, message) }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, message)
    }
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthenticated, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, message)
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorKind::NotFound, format!("{what} not found"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn rate_limited(retry_after_seconds: u64) -> Self {
        Self {
            details: Some(serde_json::json!({ "retry_after_seconds": retry_after_seconds })),
            ..Self::new(ErrorKind::RateLimited, "Too many requests; slow down and try again shortly")
        }
    }
    pub fn ai_budget_exceeded(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::AiBudgetExceeded, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ServiceUnavailable, message)
    }
    /// The cause is for the logs only; the client sees a generic message.
    pub fn internal() -> Self {
        Self::new(ErrorKind::InternalError, "Internal server error")
    }
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }
    pub fn status(&self) -> u16 {
        self.error.status()
    }
    pub fn retry_after_seconds(&self) -> Option<u64> {
        self.details.as_ref()?.get("retry_after_seconds")?.as_u64()
    }
}
