//! Cross-cutting request handling, outermost first: telemetry (request id, logs, metrics,
//! error envelope), client metadata, security headers, rate limits, browser session refresh.

pub mod client_meta;
pub mod rate_limit;
pub mod security_headers;
pub mod session_refresh;
pub mod telemetry;
