//! Browser sessions: both tokens in HttpOnly, SameSite=Lax cookies (Secure over https).

use cookie::time::Duration;
use cookie::{Cookie, SameSite};

use crate::model::AuthSession;

pub const ACCESS_COOKIE: &str = "omnify_access";
pub const REFRESH_COOKIE: &str = "omnify_refresh";

fn build(name: &'static str, value: String, max_age_seconds: i64, secure: bool) -> String {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(Duration::seconds(max_age_seconds))
        .build()
        .to_string()
}

/// Set-Cookie values for a fresh session.
pub fn session_cookies(session: &AuthSession, secure: bool) -> Vec<String> {
    vec![
        build(ACCESS_COOKIE, session.access_token.clone(), session.expires_in, secure),
        build(REFRESH_COOKIE, session.refresh_token.clone(), session.refresh_expires_in, secure),
    ]
}

/// Set-Cookie values that delete both cookies.
pub fn cleared_cookies(secure: bool) -> Vec<String> {
    vec![build(ACCESS_COOKIE, String::new(), 0, secure), build(REFRESH_COOKIE, String::new(), 0, secure)]
}

/// Reads one cookie from a `Cookie` request header.
pub fn read_cookie(cookie_header: &str, name: &str) -> Option<String> {
    Cookie::split_parse(cookie_header)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cookie_among_others() {
        let h = "a=1; omnify_access=tok.en.x; omnify_refresh=r";
        assert_eq!(read_cookie(h, ACCESS_COOKIE).as_deref(), Some("tok.en.x"));
        assert_eq!(read_cookie(h, REFRESH_COOKIE).as_deref(), Some("r"));
        assert_eq!(read_cookie("a=1", ACCESS_COOKIE), None);
        assert_eq!(read_cookie("omnify_access=", ACCESS_COOKIE), None);
    }

    #[test]
    fn cleared_cookies_expire_now_and_are_http_only() {
        for c in cleared_cookies(true) {
            assert!(c.contains("Max-Age=0"), "{c}");
            assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"), "{c}");
        }
    }
}
