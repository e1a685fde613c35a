//! Browser hardening headers on every response.

use axum::http::{header, HeaderName, HeaderValue};
use tower_http::set_header::SetResponseHeaderLayer;

/// The CSP is the app's (one definition); pages set their own with their nonce, so the default
/// here applies only where none was set.
pub fn layers() -> [SetResponseHeaderLayer<HeaderValue>; 4] {
    let csp = HeaderValue::from_str(&app::server::csp::policy(None)).expect("a valid header value");
    [
        SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp),
        SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        SetResponseHeaderLayer::overriding(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
    ]
}
