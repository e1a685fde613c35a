//! Sign-up, log-in, tokens and the caller's own profile, over real HTTP, on both databases.

mod common;

use base64::Engine;
use common::{unique_email, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

both_backends! {
    async fn register_returns_session_and_creates_owned_organization(srv) {
        let email = unique_email("Owner");
        let r = srv.post("/api/auth/register", None, json!({
            "email": email, "password": PASSWORD, "full_name": "Ana Lima", "organization_name": "Acme & Co"
        })).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let b = &r.body;
        assert_eq!(b["token_type"], "bearer");
        assert_eq!(b["expires_in"], 900);
        assert!(b["refresh_token"].as_str().unwrap().len() >= 40);
        assert_eq!(b["user"]["email"], email.to_lowercase());
        assert_eq!(b["user"]["role"], "owner");
        assert_eq!(b["user"]["organization_id"], b["organization"]["organization_id"]);
        assert_eq!(b["organization"]["name"], "Acme & Co");
        assert!(b["organization"]["slug"].as_str().unwrap().starts_with("acme-co"));
        assert_eq!(b["organization"]["subscription_tier"], "free");
        let cookies: Vec<_> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert!(cookies.iter().any(|c| c.starts_with("omnify_access=") && c.contains("HttpOnly") && c.contains("SameSite=Lax")));
        assert!(cookies.iter().any(|c| c.starts_with("omnify_refresh=") && c.contains("HttpOnly")));

        // The same email again, in any case, is a conflict.
        let dup = srv.post("/api/auth/register", None, json!({
            "email": email.to_uppercase(), "password": PASSWORD, "full_name": "X", "organization_name": "Other"
        })).await;
        assert_eq!(dup.status, StatusCode::CONFLICT);
        assert_eq!(dup.error_code(), "conflict");
    }

    async fn register_validates_input(srv) {
        let base = json!({ "email": unique_email("v"), "password": PASSWORD, "full_name": "A", "organization_name": "O" });
        let cases = [
            ("email", json!("not-an-email")),
            ("email", json!(format!("{}@example.com", "a".repeat(250)))),
            ("password", json!("short")),
            ("full_name", json!("   ")),
            ("organization_name", json!("")),
        ];
        for (field, value) in cases {
            let mut body = base.clone();
            body[field] = value;
            let r = srv.post("/api/auth/register", None, body).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}: {}", r.body);
            assert_eq!(r.error_code(), "validation_error");
            assert_eq!(r.body["field"], field);
        }
        let missing = srv.post("/api/auth/register", None, json!({ "email": "a@b.co" })).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(missing.error_code(), "validation_error");
        let not_json = srv.client.post(srv.url("/api/auth/register")).header("content-type", "application/json")
            .body("{oops").send().await.unwrap();
        assert_eq!(not_json.status(), StatusCode::BAD_REQUEST);
        // Nothing was half written: the valid address can still sign up.
        srv.register(base["email"].as_str().unwrap(), "O").await;
    }

    async fn login_succeeds_and_fails_with_one_message(srv) {
        let email = unique_email("login");
        srv.register(&email, "Org").await;
        let ok = srv.post("/api/auth/login", None, json!({ "email": email.to_uppercase(), "password": PASSWORD })).await;
        assert_eq!(ok.status, StatusCode::OK);
        assert_eq!(ok.body["user"]["email"], email);
        assert!(ok.body["access_token"].is_string());

        let wrong = srv.post("/api/auth/login", None, json!({ "email": email, "password": "wrong-password" })).await;
        let unknown = srv.post("/api/auth/login", None, json!({ "email": unique_email("nobody"), "password": PASSWORD })).await;
        for r in [&wrong, &unknown] {
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
            assert_eq!(r.error_code(), "unauthenticated");
            assert!(r.headers.contains_key("www-authenticate"));
        }
        assert_eq!(wrong.body["message"], unknown.body["message"]);
    }

    async fn refresh_rotates_and_reuse_revokes_the_login(srv) {
        let email = unique_email("refresh");
        let s = srv.register(&email, "Org").await;
        let first = srv.post("/api/auth/refresh", None, json!({ "refresh_token": s.refresh })).await;
        assert_eq!(first.status, StatusCode::OK);
        let second_token = first.body["refresh_token"].as_str().unwrap().to_string();
        assert_ne!(second_token, s.refresh);
        assert_eq!(srv.get("/api/auth/me", first.body["access_token"].as_str().unwrap()).await.status, StatusCode::OK);

        // Replaying the rotated token is refused and kills the whole family...
        let replay = srv.post("/api/auth/refresh", None, json!({ "refresh_token": s.refresh })).await;
        assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
        // ...including the newest token.
        let after = srv.post("/api/auth/refresh", None, json!({ "refresh_token": second_token })).await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
        assert_eq!(after.error_code(), "unauthenticated");

        let garbage = srv.post("/api/auth/refresh", None, json!({ "refresh_token": "nope" })).await;
        assert_eq!(garbage.status, StatusCode::UNAUTHORIZED);
        let missing = srv.post("/api/auth/refresh", None, json!({})).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Both the rotation and the reuse are in the organization's audit trail.
        let fresh = srv.post("/api/auth/login", None, json!({ "email": email, "password": common::PASSWORD })).await;
        let audit = srv.get("/api/audit-logs?limit=50", fresh.body["access_token"].as_str().unwrap()).await;
        let outcome = |action: &str| audit.body["items"].as_array().unwrap().iter().find(|e| e["action"] == action).map(|e| e["outcome"].clone());
        assert_eq!(outcome("auth.refresh"), Some(json!("success")), "{}", audit.body);
        assert_eq!(outcome("auth.refresh_reuse"), Some(json!("failure")), "{}", audit.body);
    }

    async fn logout_revokes_refresh_and_clears_cookies(srv) {
        let s = srv.register(&unique_email("logout"), "Org").await;
        let r = srv.post("/api/auth/logout", Some(&s.access), json!({ "refresh_token": s.refresh })).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let cleared: Vec<_> = r.headers.get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        assert!(cleared.iter().any(|c| c.starts_with("omnify_access=;") && c.contains("Max-Age=0")), "{cleared:?}");
        let again = srv.post("/api/auth/refresh", None, json!({ "refresh_token": s.refresh })).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED);
        let anonymous = srv.call(reqwest::Method::POST, "/api/auth/logout", None, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    }

    async fn browser_cookies_authenticate_and_refresh(srv) {
        let jar = reqwest::Client::builder().cookie_store(true).build().unwrap();
        let email = unique_email("cookie");
        let r = jar.post(srv.url("/api/auth/register")).json(&json!({
            "email": email, "password": PASSWORD, "full_name": "C", "organization_name": "Cookie Org"
        })).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let me = jar.get(srv.url("/api/auth/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);
        // Refresh with no body uses the refresh cookie.
        let refreshed = jar.post(srv.url("/api/auth/refresh")).send().await.unwrap();
        assert_eq!(refreshed.status(), StatusCode::OK);
        let out = jar.post(srv.url("/api/auth/logout")).send().await.unwrap();
        assert_eq!(out.status(), StatusCode::NO_CONTENT);
        assert_eq!(jar.get(srv.url("/api/auth/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }

    async fn me_verify_and_profile_updates(srv) {
        let email = unique_email("me");
        let s = srv.register(&email, "Org").await;
        let me = srv.get("/api/auth/me", &s.access).await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.body["email"], email);
        assert_eq!(me.body["user_id"], s.user_id.as_str());

        let v = srv.get("/api/auth/verify", &s.access).await;
        assert_eq!(v.body, json!({ "valid": true, "user_id": s.user_id, "organization_id": s.org_id, "role": "owner" }));

        let renamed = srv.put("/api/auth/me", &s.access, json!({ "full_name": "Ana Renamed" })).await;
        assert_eq!(renamed.status, StatusCode::OK);
        assert_eq!(srv.get("/api/auth/me", &s.access).await.body["full_name"], "Ana Renamed");

        let no_current = srv.put("/api/auth/me", &s.access, json!({ "password": "new-password-1" })).await;
        assert_eq!(no_current.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(no_current.body["field"], "current_password");
        let changed = srv.put("/api/auth/me", &s.access, json!({ "password": "new-password-1", "current_password": PASSWORD })).await;
        assert_eq!(changed.status, StatusCode::OK);
        // The new password works, the old does not, and other logins were ended.
        assert_eq!(srv.post("/api/auth/login", None, json!({ "email": email, "password": PASSWORD })).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(srv.post("/api/auth/login", None, json!({ "email": email, "password": "new-password-1" })).await.status, StatusCode::OK);
        assert_eq!(srv.post("/api/auth/refresh", None, json!({ "refresh_token": s.refresh })).await.status, StatusCode::UNAUTHORIZED);

        let empty = srv.put("/api/auth/me", &s.access, json!({})).await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    }

    async fn bad_tokens_are_rejected(srv) {
        let s = srv.register(&unique_email("tok"), "Org").await;
        let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let parts: Vec<&str> = s.access.split('.').collect();
        let payload = String::from_utf8(engine.decode(parts[1]).unwrap()).unwrap();

        let tampered = format!("{}.{}.{}", parts[0], engine.encode(payload.replace("owner", "viewer")), parts[2]);
        let alg_none = format!("{}.{}.", engine.encode(br#"{"alg":"none","typ":"JWT"}"#), parts[1]);
        let now = chrono::Utc::now().timestamp();
        let claims = |secret: &str, exp: i64| {
            let c = json!({ "sub": s.user_id, "org": s.org_id, "role": "owner", "iat": exp - 900, "exp": exp, "typ": "access" });
            jsonwebtoken::encode(&jsonwebtoken::Header::default(), &c, &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes())).unwrap()
        };
        let wrong_secret = claims("some-other-secret-0123456789abcdef", now + 600);
        let expired = claims("integration-test-secret-0123456789abcdef", now - 10);
        let valid_forged_free = claims("integration-test-secret-0123456789abcdef", now + 600);
        assert_eq!(srv.get("/api/auth/me", &valid_forged_free).await.status, StatusCode::OK, "control: a correctly signed token works");

        for (name, token) in [("tampered", tampered), ("alg none", alg_none), ("wrong secret", wrong_secret), ("expired", expired), ("garbage", "abc".into())] {
            let r = srv.get("/api/auth/me", &token).await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name} token must be rejected");
            assert_eq!(r.error_code(), "unauthenticated");
        }
    }
}
