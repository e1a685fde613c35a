//! Health, metrics, request ids, security headers, unknown routes — and rate limits, in process
//! and shared through Redis.

mod common;

use common::{unique_email, Backend, TestServer, PASSWORD};
use reqwest::StatusCode;
use serde_json::json;

both_backends! {
    async fn health_metrics_and_headers(srv) {
        let h = srv.client.get(srv.url("/health")).send().await.unwrap();
        assert_eq!(h.status(), StatusCode::OK);
        for header in ["x-request-id", "content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy"] {
            assert!(h.headers().contains_key(header), "missing {header}");
        }
        assert!(h.headers()["content-security-policy"].to_str().unwrap().contains("'wasm-unsafe-eval'"));
        let body: serde_json::Value = h.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["services"]["database"], "ok");
        assert!(body["uptime_seconds"].is_u64() && body["version"].is_string());

        // A caller's request id is kept.
        let r = srv.client.get(srv.url("/health")).header("x-request-id", "trace-me-123").send().await.unwrap();
        assert_eq!(r.headers()["x-request-id"], "trace-me-123");

        let s = srv.register(&unique_email("h"), "Org").await;
        for _ in 0..3 {
            srv.get("/api/auth/me", &s.access).await;
        }
        let d = srv.get("/api/health/detailed", &s.access).await;
        assert_eq!(d.status, StatusCode::OK);
        assert!(d.body["database"]["round_trip_ms"].as_f64().unwrap() >= 0.0);
        assert!(d.body["requests_per_minute"].as_f64().unwrap() > 0.0);
        assert!(d.body["p95_latency_ms"].as_f64().unwrap() > 0.0);
        assert_eq!(d.body["organization"]["members"], 1);
        assert_eq!(srv.call(reqwest::Method::GET, "/api/health/detailed", None, None).await.status, StatusCode::UNAUTHORIZED);

        let m = srv.client.get(srv.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(m.contains("omnify_http_requests_total{method=\"GET\",route=\"/api/auth/me\",status=\"200\"} 3"), "{m}");
        assert!(m.contains("omnify_http_request_duration_seconds_bucket"));

        let missing = srv.get("/api/does-not-exist", &s.access).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(missing.error_code(), "not_found");
        // Server functions (the app's own calls) answer errors in the same shape, stamped too.
        let r = srv.client.post(srv.url("/fn/brain_guidelines")).header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["error"], "unauthenticated");
        assert_eq!(body["request_id"], id.as_str());
        assert!(body["timestamp"].as_str().unwrap().ends_with('Z'), "{body}");
        let wrong_method = srv.delete("/api/auth/verify", &s.access).await;
        assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(wrong_method.error_code(), "method_not_allowed");
    }

    async fn pages_allow_only_their_own_nonced_inline_scripts(srv) {
        let s = srv.register(&unique_email("csp"), "Org").await;
        for (path, cookie) in [("/login", String::new()), ("/", format!("omnify_access={}", s.access))] {
            let r = srv.client.get(srv.url(path)).header("cookie", cookie).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
            let html = r.text().await.unwrap();
            let script_src = csp.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap();
            assert!(!script_src.contains("unsafe-inline"), "{path}: {script_src}");
            let nonce = script_src.split("'nonce-").nth(1).expect("a nonce").trim_end_matches('\'').to_string();
            let scripts = html.matches("<script").count();
            assert!(scripts > 0, "{path} has inline scripts");
            assert_eq!(html.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{path}: every inline script carries the nonce");
        }
    }

    async fn page_requests_rotate_an_expired_browser_session(srv) {
        let s = srv.register(&unique_email("page"), "Org").await;
        let page = |cookie: String| srv.client.get(srv.url("/settings")).header("cookie", cookie).send();
        let set_cookies = |r: &reqwest::Response| -> Vec<String> {
            r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect()
        };

        // An expired (here: unusable) access cookie with a live refresh cookie: rotated in passing.
        let r = page(format!("omnify_access=expired.token.x; omnify_refresh={}", s.refresh)).await.unwrap();
        let cookies = set_cookies(&r);
        let fresh_access = cookies.iter().find(|c| c.starts_with("omnify_access=")).expect("new access cookie");
        assert!(fresh_access.len() > "omnify_access=".len() + 20 && fresh_access.contains("HttpOnly"), "{fresh_access}");
        let fresh_refresh = cookies.iter().find(|c| c.starts_with("omnify_refresh=")).expect("new refresh cookie");
        let token = fresh_refresh.trim_start_matches("omnify_refresh=").split(';').next().unwrap();
        assert_ne!(token, s.refresh);
        assert_eq!(srv.post("/api/auth/refresh", None, json!({ "refresh_token": token })).await.status, StatusCode::OK);

        // Parallel requests of one browser (server-function calls, two tabs) presenting the same
        // refresh cookie at once must not look like token theft: all succeed, the login survives.
        let s2 = srv.register(&unique_email("parallel"), "Org").await;
        let cookie = format!("omnify_access=expired.token.x; omnify_refresh={}", s2.refresh);
        let replies = futures_util::future::join_all((0..6).map(|_| page(cookie.clone()))).await;
        let mut issued = std::collections::HashSet::new();
        for r in replies {
            let r = r.unwrap();
            assert!(r.status().is_success() || r.status().is_redirection(), "{}", r.status());
            let refresh = set_cookies(&r).into_iter().find(|c| c.starts_with("omnify_refresh=")).expect("rotated cookie");
            assert!(!refresh.starts_with("omnify_refresh=;"), "a parallel request was treated as token reuse");
            issued.insert(refresh.trim_start_matches("omnify_refresh=").split(';').next().unwrap().to_string());
        }
        assert_eq!(issued.len(), 1, "one rotation, shared by the parallel requests");
        let successor = issued.into_iter().next().unwrap();
        assert_eq!(srv.post("/api/auth/refresh", None, json!({ "refresh_token": successor })).await.status, StatusCode::OK);

        // A dead (here: logged-out) refresh cookie is cleared rather than presented forever.
        let gone = srv.register(&unique_email("gone"), "Org").await;
        srv.post("/api/auth/logout", Some(&gone.access), json!({ "refresh_token": gone.refresh })).await;
        let r = page(format!("omnify_refresh={}", gone.refresh)).await.unwrap();
        assert!(set_cookies(&r).iter().any(|c| c.starts_with("omnify_refresh=;") && c.contains("Max-Age=0")));
    }
}

#[tokio::test]
async fn auth_endpoints_are_limited_per_ip() {
    let srv = TestServer::start(Backend::Sqlite, |c| c.rate_limit_auth = 5).await.unwrap();
    let body = json!({ "email": "nobody@example.com", "password": PASSWORD });
    common::away_from_window_edge().await;
    for _ in 0..5 {
        assert_eq!(srv.post("/api/auth/login", None, body.clone()).await.status, StatusCode::UNAUTHORIZED);
    }
    let limited = srv.post("/api/auth/login", None, body.clone()).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    let retry: u64 = limited.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    // Sign-up from the same address is limited too; other routes are not.
    let reg = srv.post("/api/auth/register", None, json!({ "email": unique_email("r"), "password": PASSWORD, "full_name": "R", "organization_name": "O" })).await;
    assert_eq!(reg.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(srv.client.get(srv.url("/health")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn api_calls_are_limited_per_user() {
    let srv = TestServer::start(Backend::Sqlite, |c| c.rate_limit_api = 3).await.unwrap();
    let one = srv.register(&unique_email("one"), "One").await;
    let two = srv.register(&unique_email("two"), "Two").await;
    common::away_from_window_edge().await;
    for _ in 0..3 {
        assert_eq!(srv.get("/api/auth/me", &one.access).await.status, StatusCode::OK);
    }
    let limited = srv.get("/api/auth/me", &one.access).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
    assert_eq!(srv.get("/api/auth/me", &two.access).await.status, StatusCode::OK, "another user has their own budget");
}

#[tokio::test]
async fn model_calls_are_limited_per_user_and_other_calls_are_not() {
    let srv = TestServer::start(Backend::Sqlite, |c| c.rate_limit_ai = 2).await.unwrap();
    let one = srv.register(&unique_email("ai-one"), "One").await;
    let two = srv.register(&unique_email("ai-two"), "Two").await;
    let review = |enrich: bool| json!({ "headline": "Spring sale", "body": "Save on every order this week.", "cta": "Shop now", "platform": "instagram", "enrich": enrich });
    common::away_from_window_edge().await;
    for _ in 0..2 {
        let r = srv.post("/api/brain/creative/analyze", Some(&one.access), review(true)).await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert!(r.body["enrichment"].is_object(), "the AI review ran: {:?}", r.body);
    }
    let limited = srv.post("/api/brain/creative/analyze", Some(&one.access), review(true)).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.headers.contains_key("retry-after"));
    // The same analysis without the model, and reading AI usage, are ordinary API calls.
    let plain = srv.post("/api/brain/creative/analyze", Some(&one.access), review(false)).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(plain.body["enrichment"].is_null());
    assert_eq!(srv.get("/api/ai/usage", &one.access).await.status, StatusCode::OK);
    // Generation is limited too, and another user has their own allowance.
    let generate = srv.post("/api/content/generate", Some(&one.access), json!({ "platform": "instagram", "brief": "Spring" })).await;
    assert_eq!(generate.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(srv.post("/api/brain/creative/analyze", Some(&two.access), review(true)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn health_says_503_while_the_database_is_down_and_recovers() {
    let Some(srv) = TestServer::start(Backend::Postgres, |_| {}).await else { return };
    let database = srv.database_url.rsplit('/').next().unwrap().split('?').next().unwrap().to_string();
    let admin = sqlx::PgPool::connect(&common::postgres_admin_url()).await.unwrap();
    let allow = |yes: bool| format!("ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {yes}");
    sqlx::query(&allow(false)).execute(&admin).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1").bind(&database).execute(&admin).await.unwrap();

    let down = srv.client.get(srv.url("/health")).send().await.unwrap();
    assert_eq!(down.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: serde_json::Value = down.json().await.unwrap();
    assert_eq!(body["status"], "degraded");
    assert_eq!(body["services"]["database"], "down");

    sqlx::query(&allow(true)).execute(&admin).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let status = srv.client.get(srv.url("/health")).send().await.unwrap().status();
        if status == StatusCode::OK {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "health did not recover: {status}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn redis_shares_limits_between_server_processes() {
    let url = common::redis_url();
    let reachable = match redis::Client::open(url.as_str()) {
        Ok(c) => c.get_multiplexed_async_connection().await.map(|_| ()).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    if let Err(e) = reachable {
        common::unavailable::<()>("Redis", e);
        return;
    }
    let db_dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite://{}/shared.db", db_dir.path().display());
    let config = |c: &mut server::config::Config| {
        c.rate_limit_api = 4;
        c.redis_url = Some(url.clone());
        c.database_url = Some(db_url.clone());
    };
    // Two servers over one database and one Redis, as behind a load balancer.
    let a = TestServer::start(Backend::Sqlite, config).await.unwrap();
    let b = TestServer::start(Backend::Sqlite, config).await.unwrap();
    let s = a.register(&unique_email("redis"), "Shared").await;
    common::away_from_window_edge().await;
    assert_eq!(a.get("/api/auth/me", &s.access).await.status, StatusCode::OK);
    assert_eq!(b.get("/api/auth/me", &s.access).await.status, StatusCode::OK);
    assert_eq!(a.get("/api/auth/me", &s.access).await.status, StatusCode::OK);
    assert_eq!(b.get("/api/auth/me", &s.access).await.status, StatusCode::OK);
    let limited = a.get("/api/auth/me", &s.access).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "the fifth call across both servers is over the shared limit");
    assert_eq!(b.get("/api/auth/me", &s.access).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn cors_allows_only_configured_origins() {
    let srv = TestServer::start(Backend::Sqlite, |c| c.cors_origins = "https://app.example.com".into()).await.unwrap();
    let preflight = |origin: &'static str| {
        srv.client
            .request(reqwest::Method::OPTIONS, srv.url("/api/auth/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let allowed = preflight("https://app.example.com").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.com");
    assert_eq!(allowed.headers()["access-control-allow-credentials"], "true");
    let other = preflight("https://evil.example.net").await.unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));

    // Without configuration, no cross-origin access is granted at all.
    let closed = TestServer::start(Backend::Sqlite, |_| {}).await.unwrap();
    let r = closed.client.get(closed.url("/health")).header("origin", "https://app.example.com").send().await.unwrap();
    assert!(!r.headers().contains_key("access-control-allow-origin"));
}
