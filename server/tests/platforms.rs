//! Platform connections and syncs over the API, against a local fake of Stripe's documented
//! REST API (accounts, paginated customers and charges, its error shape), on both backends.

mod common;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use common::unique_email;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// How long a background job may take here.
const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

const GOOD_KEY: &str = "sk_test_51good";

#[derive(Clone, Default)]
struct FakeStripe {
    revoked: Arc<AtomicBool>,
    customer_calls: Arc<AtomicUsize>,
    charge_calls: Arc<AtomicUsize>,
    /// The first charges request never answers (its server "dies" waiting).
    hang_first_charges: Arc<AtomicBool>,
}

fn authorized(s: &FakeStripe, headers: &HeaderMap) -> Result<(), axum::response::Response> {
    let ok = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {GOOD_KEY}"))
        && !s.revoked.load(Ordering::SeqCst);
    if ok {
        Ok(())
    } else {
        let body = json!({ "error": { "message": "Invalid API Key provided: sk_test_****", "type": "invalid_request_error" } });
        Err((AxumStatus::UNAUTHORIZED, Json(body)).into_response())
    }
}

/// Stripe lists: newest first, `limit`, `starting_after`, `created[gt]`, `has_more`.
fn list(all: Vec<Value>, q: &std::collections::HashMap<String, String>) -> Json<Value> {
    let gt: i64 = q.get("created[gt]").and_then(|v| v.parse().ok()).unwrap_or(0);
    let mut items: Vec<Value> = all.into_iter().filter(|o| o["created"].as_i64().unwrap() > gt).collect();
    if let Some(after) = q.get("starting_after") {
        let at = items.iter().position(|o| o["id"] == after.as_str()).map(|i| i + 1).unwrap_or(0);
        items = items.split_off(at);
    }
    let page = 2; // small pages, so pagination is exercised
    let has_more = items.len() > page;
    items.truncate(page);
    Json(json!({ "object": "list", "url": "/v1/x", "has_more": has_more, "data": items }))
}

async fn fake_stripe() -> (String, FakeStripe) {
    let state = FakeStripe::default();
    let app = Router::new()
        .route("/v1/account", get(|State(s): State<FakeStripe>, h: HeaderMap| async move {
            if let Err(r) = authorized(&s, &h) { return r; }
            Json(json!({ "id": "acct_1Fake", "object": "account", "business_profile": { "name": "Fake Shop" }, "default_currency": "usd" })).into_response()
        }))
        .route("/v1/customers", get(|State(s): State<FakeStripe>, h: HeaderMap, Query(q): Query<std::collections::HashMap<String, String>>| async move {
            if let Err(r) = authorized(&s, &h) { return r; }
            s.customer_calls.fetch_add(1, Ordering::SeqCst);
            list(vec![
                json!({ "id": "cus_3", "object": "customer", "email": "Cy@Example.com", "name": "Cy", "created": 1_700_000_300 }),
                json!({ "id": "cus_2", "object": "customer", "email": "bo@example.com", "name": "Bo", "created": 1_700_000_200 }),
                json!({ "id": "cus_1", "object": "customer", "email": "al@example.com", "name": "Al", "phone": "+15550100", "created": 1_700_000_100 }),
            ], &q).into_response()
        }))
        .route("/v1/charges", get(|State(s): State<FakeStripe>, h: HeaderMap, Query(q): Query<std::collections::HashMap<String, String>>| async move {
            if let Err(r) = authorized(&s, &h) { return r; }
            if s.charge_calls.fetch_add(1, Ordering::SeqCst) == 0 && s.hang_first_charges.load(Ordering::SeqCst) {
                tokio::time::sleep(std::time::Duration::from_secs(120)).await;
            }
            list(vec![
                json!({ "id": "ch_2", "object": "charge", "amount": 900, "currency": "usd", "customer": "cus_2", "status": "failed", "created": 1_700_001_200 }),
                json!({ "id": "ch_1", "object": "charge", "amount": 2500, "currency": "usd", "customer": "cus_1", "status": "succeeded", "created": 1_700_001_100 }),
            ], &q).into_response()
        }))
        .with_state(state.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), state)
}

both_backends! {
    async fn connect_sync_resync_and_disconnect_stripe(srv) {
        let (base_url, fake) = fake_stripe().await;
        let owner = srv.register(&unique_email("plat"), "Platform Co").await;
        let t = owner.access.as_str();

        // A refused key: 400 with Stripe's own reason, nothing stored.
        let r = srv.post("/api/platforms/stripe/connect", Some(t), json!({ "api_key": "sk_test_bad", "base_url": base_url })).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
        assert!(r.body["message"].as_str().unwrap().contains("Invalid API Key provided"), "{}", r.body);
        assert_eq!(srv.get("/api/platforms/stripe/status", t).await.body["status"], "not_connected");
        let r = srv.post("/api/platforms/stripe/connect", Some(t), json!({ "base_url": base_url })).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.body["field"], "api_key");

        let r = srv.post("/api/platforms/stripe/connect", Some(t), json!({ "api_key": GOOD_KEY, "base_url": base_url })).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.body["status"], "connected");
        assert_eq!(r.body["account_name"], "Fake Shop");
        assert!(!r.body.to_string().contains(GOOD_KEY), "credentials are never returned");
        let all = srv.get("/api/platforms", t).await.body;
        assert_eq!(all.as_array().unwrap().len(), 9);
        assert_eq!(all.as_array().unwrap().iter().filter(|p| p["status"] == "connected").count(), 1);

        // The sync runs as a job: every page of customers, then charges (failed ones skipped).
        let r = srv.post("/api/platforms/stripe/sync", Some(t), json!({})).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let job = srv.wait_for_job(t, r.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["result"]["records"], 4, "{job}");
        assert_eq!(job["result"]["inserted"], 4, "{job}");
        let status = srv.get("/api/platforms/stripe/status", t).await.body;
        assert_eq!(status["status"], "connected");
        assert_eq!(status["records_synced"], 4);
        assert!(status["last_sync_at"].is_string());
        let page = srv.get("/api/customers", t).await.body;
        assert_eq!(page["total"], 3);
        let al = page["items"].as_array().unwrap().iter().find(|c| c["email"] == "al@example.com").unwrap().clone();
        assert_eq!(al["revenue_cents"], 2500);
        let detail = srv.get(&format!("/api/customers/{}", al["customer_id"].as_str().unwrap()), t).await.body;
        assert_eq!(detail["identities"], json!([{ "platform": "stripe", "external_id": "cus_1" }]));
        assert_eq!(detail["phone"], "+15550100");

        // A second sync asks only for what is newer, and adds nothing.
        let r = srv.post("/api/platforms/stripe/sync", Some(t), json!({})).await;
        let job = srv.wait_for_job(t, r.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
        assert_eq!(job["status"], "completed", "{job}");
        assert_eq!(job["result"]["inserted"].as_u64().unwrap_or(0), 0, "{job}");
        assert_eq!(srv.get("/api/customers", t).await.body["total"], 3);

        // A key revoked at Stripe: the sync fails with a clear reason, shown on the platform.
        fake.revoked.store(true, Ordering::SeqCst);
        let r = srv.post("/api/platforms/stripe/sync", Some(t), json!({})).await;
        let job = srv.wait_for_job(t, r.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
        assert_eq!(job["status"], "failed");
        assert!(job["error"].as_str().unwrap().contains("Stripe refused the credentials"), "{job}");
        let status = srv.get("/api/platforms/stripe/status", t).await.body;
        assert_eq!(status["status"], "error");
        assert!(status["last_error"].as_str().unwrap().contains("Invalid API Key"), "{status}");

        assert_eq!(srv.delete("/api/platforms/stripe", t).await.status, StatusCode::NO_CONTENT);
        assert_eq!(srv.get("/api/platforms/stripe/status", t).await.body["status"], "not_connected");
        let r = srv.post("/api/platforms/stripe/sync", Some(t), json!({})).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(srv.post("/api/platforms/myspace/connect", Some(t), json!({ "api_key": "x" })).await.status, StatusCode::NOT_FOUND);
    }

    async fn platforms_and_jobs_are_per_organization_and_role_checked(srv) {
        let (base_url, _fake) = fake_stripe().await;
        let a = srv.register(&unique_email("pa"), "Plat A").await;
        let b = srv.register(&unique_email("pb"), "Plat B").await;
        let viewer = srv.add_member(&a, &unique_email("pv"), "viewer").await;
        let r = srv.post("/api/platforms/stripe/connect", Some(&viewer.access), json!({ "api_key": GOOD_KEY, "base_url": base_url })).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        srv.post("/api/platforms/stripe/connect", Some(&a.access), json!({ "api_key": GOOD_KEY, "base_url": base_url })).await;
        assert_eq!(srv.post("/api/platforms/stripe/sync", Some(&viewer.access), json!({})).await.status, StatusCode::FORBIDDEN);
        let job = srv.post("/api/platforms/stripe/sync", Some(&a.access), json!({})).await.body["job_id"].as_str().unwrap().to_string();

        assert_eq!(srv.get(&format!("/api/jobs/{job}"), &b.access).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.get("/api/platforms/stripe/status", &b.access).await.body["status"], "not_connected");
        assert_eq!(srv.delete("/api/platforms/stripe", &b.access).await.status, StatusCode::NOT_FOUND);
        assert_eq!(srv.get(&format!("/api/jobs/{job}"), &viewer.access).await.status, StatusCode::OK);
        let done = srv.wait_for_job(&a.access, &job, JOB_WAIT).await;
        assert_eq!(done["status"], "completed", "{done}");
        assert_eq!(srv.get("/api/customers", &b.access).await.body["total"], 0);
        let status = srv.get("/api/platforms/stripe/status", &a.access).await.body;
        assert_eq!(status["status"], "connected", "{status}");
    }
}

/// A server stops mid-sync (its worker stuck on a request that never answers); another server on
/// the same database takes the job over when the lease lapses and resumes from the stored
/// cursor: customers already synced are not fetched again, and nothing is duplicated.
async fn a_sync_survives_its_server_stopping(backend: common::Backend) {
    let (base_url, fake) = fake_stripe().await;
    fake.hang_first_charges.store(true, Ordering::SeqCst);
    let Some(first) = common::TestServer::start(backend, |c| c.job_lease_seconds = 1).await else { return };
    let owner = first.register(&unique_email("restart"), "Restarts").await;
    let t = owner.access.as_str();
    first.post("/api/platforms/stripe/connect", Some(t), json!({ "api_key": GOOD_KEY, "base_url": base_url })).await;
    let job = first.post("/api/platforms/stripe/sync", Some(t), json!({})).await.body["job_id"].as_str().unwrap().to_string();
    // Customers (two pages) land; then the first server hangs on charges.
    for _ in 0..100 {
        if fake.charge_calls.load(Ordering::SeqCst) > 0 { break; }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(fake.customer_calls.load(Ordering::SeqCst), 2);
    assert_eq!(first.get("/api/customers", t).await.body["total"], 3);

    let url = first.database_url.clone();
    let second = common::TestServer::start(backend, move |c| {
        c.job_lease_seconds = 1;
        c.database_url = Some(url);
    })
    .await
    .unwrap();
    let done = second.wait_for_job(t, &job, JOB_WAIT).await;
    assert_eq!(done["status"], "completed", "{done}");
    assert_eq!(done["attempts"], 2, "{done}");
    assert_eq!(done["result"]["records"], 4, "progress carries over: {done}");
    assert_eq!(fake.customer_calls.load(Ordering::SeqCst), 2, "customers were not fetched again");
    assert_eq!(second.get("/api/customers", t).await.body["total"], 3);
    let status = second.get("/api/platforms/stripe/status", t).await.body;
    assert_eq!(status["records_synced"], 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_sync_survives_its_server_stopping() {
    a_sync_survives_its_server_stopping(common::Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_sync_survives_its_server_stopping() {
    a_sync_survives_its_server_stopping(common::Backend::Postgres).await;
}
