//! The Content-Security-Policy, in one place. Pages get their response's nonce, which Leptos
//! also puts on each of its inline scripts (the hydration bootstrap), so no inline script runs
//! without it; other responses get the same policy with no inline scripts allowed at all.

use http::{header, HeaderValue};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// `'wasm-unsafe-eval'` lets the app's own wasm compile; ws://127.0.0.1:3001 is cargo-leptos's
/// live-reload socket in development.
pub fn policy(nonce: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self' ws://127.0.0.1:3001; font-src 'self'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets this page response's policy with its nonce (the server's default is only a fallback).
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) else {
        return;
    };
    if let Ok(value) = HeaderValue::from_str(&policy(Some(&nonce.to_string()))) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn inline_scripts_need_the_nonce() {
        let page = policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc123';"));
        let script_src = page.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap();
        assert!(!script_src.contains("unsafe-inline"), "{script_src}");
        let default = policy(None);
        assert!(default.contains("script-src 'self' 'wasm-unsafe-eval';"));
        assert!(default.contains("frame-ancestors 'none'"));
    }
}
