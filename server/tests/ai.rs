//! The AI layer over the API on both backends: the built-in engine by default, an
//! OpenAI-compatible provider (a local fake) with repairs, retries, timeouts and refusals, the
//! daily budget (also under concurrent calls), idempotent generation requests and the usage page.

mod common;

use std::time::{Duration, Instant};

use common::fake_openai::{FakeOpenAi, Reply, Usage, MODEL, STRONG_MODEL};
use common::{unique_email, Backend, Session, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// How long a background job may take here.
const JOB_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// Runs each named `async fn name(backend: Backend)` once per backend, as `sqlite::name` and
/// `postgres::name` (the tests configure their own server, so `both_backends!` does not fit).
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(super::Backend::Sqlite).await } )*
        }
        mod postgres {
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() { super::$name(super::Backend::Postgres).await } )*
        }
    };
}

on_both_backends!(
    the_builtin_engine_plans_a_strategy_within_the_campaign,
    a_fenced_answer_with_a_trailing_comma_is_repaired,
    server_errors_and_rate_limits_are_retried,
    a_slow_answer_is_abandoned_and_retried,
    a_provider_that_keeps_failing_fails_the_job_and_creates_nothing,
    a_refused_key_is_not_retried,
    the_daily_budget_is_enforced_and_only_admins_set_it,
    concurrent_calls_never_overspend_the_budget,
    an_idempotency_key_makes_a_repeat_return_the_same_job,
    usage_reports_the_budget_today_and_fourteen_days,
);

/// A server on `backend` whose AI provider is `fake`; None when PostgreSQL is unavailable.
async fn with_fake(backend: Backend, fake: &FakeOpenAi) -> Option<TestServer> {
    TestServer::start(backend, |c| fake.configure(c)).await
}

/// POSTs `body` with an optional `Idempotency-Key`.
async fn post_keyed(srv: &TestServer, path: &str, token: &str, key: Option<&str>, body: Value) -> common::Reply {
    let mut req = srv.client.post(srv.url(path)).bearer_auth(token).json(&body);
    if let Some(k) = key {
        req = req.header("idempotency-key", k);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    common::Reply { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
}

fn brief() -> Value {
    json!({ "platform": "linkedin", "format": "post", "brief": "Announce our spring planning workshop for marketing teams" })
}

/// A LinkedIn post that satisfies the content schema.
fn linkedin_post() -> Value {
    json!({
        "headline": "Plan your spring in one afternoon",
        "body": "Marketing teams lose weeks to planning. Join our free spring workshop and leave with a calendar, a budget split and three campaigns ready to launch.",
        "cta": "Save your seat",
        "hashtags": ["marketing", "planning"],
        "rationale": "Leads with the pain, then the concrete outcome."
    })
}

/// Queues a generation and waits for its job.
async fn generate(srv: &TestServer, token: &str) -> Value {
    let r = srv.post("/api/content/generate", Some(token), brief()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    srv.wait_for_job(token, r.body["job_id"].as_str().unwrap(), JOB_WAIT).await
}

async fn logs(srv: &TestServer, token: &str) -> Vec<Value> {
    let r = srv.get("/api/ai/logs", token).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["total"].as_u64().unwrap() as usize, r.body["calls"].as_array().unwrap().len());
    r.body["calls"].as_array().unwrap().clone()
}

async fn content_count(srv: &TestServer, token: &str) -> usize {
    srv.get("/api/content", token).await.body["content"].as_array().unwrap().len()
}

async fn create_campaign(srv: &TestServer, s: &Session, body: Value) -> String {
    let r = srv.post("/api/campaigns", Some(&s.access), body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["campaign_id"].as_str().unwrap().to_string()
}

/// The usage page (the test fails here, naming the endpoint, when it does not answer).
async fn usage(srv: &TestServer, token: &str) -> Value {
    let r = srv.get("/api/ai/usage", token).await;
    assert_eq!(r.status, StatusCode::OK, "GET /api/ai/usage: {}", r.body);
    r.body
}

fn micros(usd: &Value) -> i64 {
    (usd.as_f64().unwrap() * 1e6).round() as i64
}

async fn the_builtin_engine_plans_a_strategy_within_the_campaign(backend: Backend) {
    let Some(srv) = TestServer::start(backend, |_| {}).await else { return };
    let owner = srv.register(&unique_email("strat"), "Strategy Co").await;
    let t = owner.access.as_str();
    let id = create_campaign(
        &srv,
        &owner,
        json!({ "name": "Spring launch", "objective": "sales", "budget": 2500.55, "starts_on": "2026-04-01",
                "ends_on": "2026-04-30", "platforms": ["instagram", "email", "linkedin"] }),
    )
    .await;

    let queued = srv.post(&format!("/api/campaigns/{id}/strategy"), Some(t), json!({})).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
    assert_eq!(queued.body["kind"], "ai_strategy");
    let job = srv.wait_for_job(t, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["result"]["engine"], "builtin");
    assert_eq!(job["result"]["cost_usd"], 0.0);

    let detail = srv.get(&format!("/api/campaigns/{id}"), t).await.body;
    assert_eq!(detail["campaign"]["has_strategy"], true, "{detail}");
    assert!(detail["strategy_job"].is_null(), "nothing is pending any more: {detail}");
    let s = &detail["strategy"];
    assert_eq!(s["engine"], "builtin", "{s}");
    assert!(s["engine_label"].as_str().unwrap().contains("rule-based"), "the built-in engine says what it is: {s}");
    assert!(s["summary"].as_str().unwrap().len() >= 20);
    let pillars = s["pillars"].as_array().unwrap().len();
    assert!((2..=5).contains(&pillars), "{s}");
    assert!(!s["kpis"].as_array().unwrap().is_empty());
    let platforms = ["instagram", "email", "linkedin"];
    let calendar = s["calendar"].as_array().unwrap();
    assert!(!calendar.is_empty(), "{s}");
    for slot in calendar {
        let date = slot["date"].as_str().unwrap();
        assert!(("2026-04-01"..="2026-04-30").contains(&date), "a slot outside the campaign's dates: {slot}");
        assert!(platforms.contains(&slot["platform"].as_str().unwrap()), "a slot on a platform the campaign does not use: {slot}");
    }
    let channels = s["channels"].as_array().unwrap();
    assert_eq!(channels.iter().map(|c| c["platform"].as_str().unwrap()).collect::<Vec<_>>(), platforms, "{s}");
    let total_cents: i64 = channels.iter().map(|c| (c["budget"].as_f64().unwrap() * 100.0).round() as i64).sum();
    assert_eq!(total_cents, 250_055, "the budget lines add up to the campaign budget: {s}");
    assert!(channels.iter().all(|c| !c["role"].as_str().unwrap().is_empty()));
    assert!(s["budget_basis"].as_str().unwrap().contains("Even split"), "no history, so an even split: {s}");

    let calls = logs(&srv, t).await;
    assert_eq!(calls.len(), 1, "{calls:?}");
    let call = &calls[0];
    assert_eq!(call["provider"], "builtin");
    assert_eq!(call["model"], "builtin");
    assert_eq!(call["feature"], "campaign_strategy");
    assert_eq!(call["outcome"], "ok");
    assert_eq!(call["cost_usd"], 0.0);
    assert_eq!(call["attempts"], 1);
    assert_eq!(call["user_id"], owner.user_id.as_str());
    let u = usage(&srv, t).await;
    assert_eq!(u["engine"]["provider"], "builtin");
    assert_eq!(u["today"]["calls"], 1, "{u}");
    assert_eq!(u["today"]["cost_usd"], 0.0);

    assert_eq!(srv.post("/api/campaigns/no-such-campaign/strategy", Some(t), json!({})).await.status, StatusCode::NOT_FOUND);
}

async fn a_fenced_answer_with_a_trailing_comma_is_repaired(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("fence"), "Fence Co").await;
    let t = owner.access.as_str();
    let compact = linkedin_post().to_string();
    // ```json … ``` around the object, and a comma before its closing brace.
    let broken = format!("```json\n{},\n}}\n```", &compact[..compact.len() - 1]);
    assert!(serde_json::from_str::<Value>(&broken).is_err());
    fake.push(Reply::answer(broken));

    let job = generate(&srv, t).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["result"]["engine"], MODEL);
    assert_eq!(fake.count(), 1, "a repairable answer is not asked for again");
    let seen = &fake.requests()[0];
    assert_eq!(seen.model(), MODEL, "content goes to the everyday model");
    assert_eq!(seen.headers["authorization"], "Bearer sk-test-fake-key");
    assert_eq!(seen.body["response_format"], json!({ "type": "json_object" }));
    assert!(seen.user().contains("spring planning workshop"), "the brief reaches the model");
    assert!(seen.system().contains("JSON schema"), "the schema reaches the model");

    let content = srv.get("/api/content", t).await.body["content"].as_array().unwrap().clone();
    assert_eq!(content.len(), 1);
    let piece = &content[0];
    assert_eq!(piece["engine"], MODEL);
    assert_eq!(piece["body"], linkedin_post()["body"]);
    assert_eq!(piece["headline"], "Plan your spring in one afternoon");
    assert_eq!(piece["hashtags"], json!(["marketing", "planning"]));
    assert_eq!(piece["status"], "draft");
    assert_eq!(piece["version"], 1);
    assert_eq!(piece["content_id"], job["result"]["content_id"]);

    let calls = logs(&srv, t).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["outcome"], "repaired");
    assert_eq!(calls[0]["provider"], "openai");
    assert_eq!(calls[0]["model"], MODEL);
    assert_eq!(calls[0]["feature"], "content");
    assert_eq!(calls[0]["tokens_in"], 420);
    assert_eq!(calls[0]["tokens_out"], 180);
    // gpt-4o-mini: $0.15 / 1M in, $0.60 / 1M out → 63 + 108 micro-dollars.
    assert_eq!(micros(&calls[0]["cost_usd"]), 171);
    assert_eq!(calls[0]["call_id"], job["result"]["ai_call_id"]);

    // A strategy goes to the strong model and must use only the campaign's platforms.
    let id = create_campaign(
        &srv,
        &owner,
        json!({ "name": "Spring", "objective": "leads", "budget": 100, "starts_on": "2026-05-01", "ends_on": "2026-05-10", "platforms": ["linkedin", "email"] }),
    )
    .await;
    let off_platform = json!({
        "summary": "Reach planners where they already work and follow up by email.",
        "channels": [{ "platform": "tiktok", "role": "Reach" }],
        "pillars": [{ "title": "Time", "message": "Planning takes weeks; we make it hours." }, { "title": "Proof", "message": "Teams like yours ship faster." }],
        "calendar": [{ "date": "2026-05-02", "platform": "tiktok", "format": "post", "topic": "Launch" }],
        "kpis": [{ "name": "Leads", "target": "120" }]
    });
    let mut good = off_platform.clone();
    good["channels"] = json!([{ "platform": "linkedin", "role": "Reach decision makers" }, { "platform": "email", "role": "Nurture sign-ups" }]);
    good["calendar"] = json!([{ "date": "2026-05-02", "platform": "linkedin", "format": "post", "topic": "Launch post" },
                               { "date": "2026-05-05", "platform": "email", "format": "email", "topic": "Invitation" }]);
    fake.push(Reply::json(&off_platform)).push(Reply::json(&good));
    let queued = srv.post(&format!("/api/campaigns/{id}/strategy"), Some(t), json!({})).await;
    assert_eq!(queued.status, StatusCode::ACCEPTED, "{}", queued.body);
    let job = srv.wait_for_job(t, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(fake.count(), 3, "the off-platform answer failed its schema and was asked again");
    assert!(fake.requests()[1..].iter().all(|r| r.model() == STRONG_MODEL));
    let s = srv.get(&format!("/api/campaigns/{id}"), t).await.body["strategy"].clone();
    assert_eq!(s["engine"], STRONG_MODEL);
    assert_eq!(s["calendar"], json!([
        { "date": "2026-05-02", "platform": "linkedin", "format": "post", "topic": "Launch post", "pillar": null },
        { "date": "2026-05-05", "platform": "email", "format": "email", "topic": "Invitation", "pillar": null }
    ]));
    let calls = logs(&srv, t).await;
    assert_eq!(calls[0]["feature"], "campaign_strategy");
    assert_eq!(calls[0]["attempts"], 2);
    assert_eq!(calls[0]["outcome"], "ok");
}

async fn server_errors_and_rate_limits_are_retried(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("retry"), "Retry Co").await;
    let t = owner.access.as_str();
    fake.push(Reply::server_error()).push(Reply::rate_limited("0")).push(Reply::json(&linkedin_post()));

    let job = generate(&srv, t).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(fake.count(), 3);
    assert_eq!(content_count(&srv, t).await, 1);
    let calls = logs(&srv, t).await;
    assert_eq!(calls.len(), 1, "one call, however many attempts: {calls:?}");
    assert_eq!(calls[0]["attempts"], 3);
    assert_eq!(calls[0]["outcome"], "ok");
    assert!(calls[0]["error"].is_null());
    // Only the answered attempt costs anything.
    assert_eq!(micros(&calls[0]["cost_usd"]), 171);
    let u = usage(&srv, t).await;
    assert_eq!(micros(&u["today"]["cost_usd"]), 171);
    assert_eq!(u["reserved_usd"], 0.0, "no reservation outlives its call: {u}");
}

async fn a_slow_answer_is_abandoned_and_retried(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("slow"), "Slow Co").await;
    let t = owner.access.as_str();
    fake.push(Reply::json(&linkedin_post()).after(Duration::from_secs(4))).push(Reply::json(&linkedin_post()));

    let started = Instant::now();
    let job = generate(&srv, t).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert!(started.elapsed() < Duration::from_secs(4), "the one-second guard cut the slow attempt: {:?}", started.elapsed());
    assert_eq!(fake.count(), 2);
    let calls = logs(&srv, t).await;
    assert_eq!(calls[0]["attempts"], 2);
    assert_eq!(calls[0]["outcome"], "ok");
    assert!(calls[0]["latency_ms"].as_i64().unwrap() >= 1000, "{}", calls[0]);
    assert_eq!(content_count(&srv, t).await, 1);
}

async fn a_provider_that_keeps_failing_fails_the_job_and_creates_nothing(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("down"), "Down Co").await;
    let t = owner.access.as_str();
    fake.otherwise(Reply::server_error());

    let job = generate(&srv, t).await;
    assert_eq!(job["status"], "failed", "{job}");
    let error = job["error"].as_str().unwrap();
    assert!(error.contains("AI provider") && error.contains("after 3 attempts"), "{error}");
    assert!(error.contains("HTTP 500") && error.contains("The server had an error"), "the provider's own reason is passed on: {error}");
    assert!(!error.contains("sk-test-fake-key"));
    assert_eq!(fake.count(), 3);
    assert_eq!(content_count(&srv, t).await, 0, "nothing is created");
    let calls = logs(&srv, t).await;
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["outcome"], "error");
    assert_eq!(calls[0]["attempts"], 3);
    assert_eq!(calls[0]["cost_usd"], 0.0);
    assert!(calls[0]["error"].as_str().unwrap().contains("HTTP 500"), "{}", calls[0]);

    // A strategy fails the same way and leaves the campaign without one.
    let id = create_campaign(
        &srv,
        &owner,
        json!({ "name": "Down", "objective": "awareness", "budget": 10, "starts_on": "2026-06-01", "ends_on": "2026-06-02", "platforms": ["x"] }),
    )
    .await;
    let queued = srv.post(&format!("/api/campaigns/{id}/strategy"), Some(t), json!({})).await;
    let job = srv.wait_for_job(t, queued.body["job_id"].as_str().unwrap(), JOB_WAIT).await;
    assert_eq!(job["status"], "failed", "{job}");
    let detail = srv.get(&format!("/api/campaigns/{id}"), t).await.body;
    assert!(detail["strategy"].is_null(), "{detail}");
    assert_eq!(detail["campaign"]["has_strategy"], false);
    let u = usage(&srv, t).await;
    assert_eq!(u["today"]["calls"], 2, "{u}");
    assert_eq!(u["today"]["failed"], 2);
    assert_eq!(u["today"]["cost_usd"], 0.0);
    assert_eq!(u["reserved_usd"], 0.0);
}

async fn a_refused_key_is_not_retried(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("key"), "Key Co").await;
    let t = owner.access.as_str();
    fake.otherwise(Reply::bad_key());

    let job = generate(&srv, t).await;
    assert_eq!(job["status"], "failed", "{job}");
    assert_eq!(fake.count(), 1, "a refused key is not sent again");
    let error = job["error"].as_str().unwrap();
    assert!(error.contains("refused") && error.contains("HTTP 401") && error.contains("Incorrect API key"), "{error}");
    let calls = logs(&srv, t).await;
    assert_eq!(calls[0]["outcome"], "error");
    assert_eq!(calls[0]["attempts"], 1);
    assert_eq!(content_count(&srv, t).await, 0);
}

async fn the_daily_budget_is_enforced_and_only_admins_set_it(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("budget"), "Budget Co").await;
    let member = srv.add_member(&owner, &unique_email("bm"), "member").await;
    let t = owner.access.as_str();
    // Every answer costs exactly what the gateway reserves for it.
    fake.otherwise(Reply::json(&linkedin_post()).usage(Usage::WorstCase));

    let r = srv.put("/api/ai/budget", &member.access, json!({ "daily_budget_usd": 1.0 })).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.error_code(), "forbidden");
    let r = srv.put("/api/ai/budget", t, json!({ "daily_budget_usd": -0.5 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.body["field"], "daily_budget_usd");
    let r = srv.put("/api/ai/budget", t, json!({ "daily_budget_usd": 100_001.0 })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a typo guard caps the budget: {}", r.body);
    let before = usage(&srv, t).await;
    assert_eq!(before["budget_is_default"], true, "refused changes change nothing: {before}");
    assert_eq!(before["daily_budget_usd"], 5.0);

    // One generation shows what a worst-case call costs …
    assert_eq!(generate(&srv, t).await["status"], "completed");
    let one = micros(&logs(&srv, t).await[0]["cost_usd"]);
    assert!(one > 0);
    // … and a budget of exactly two of them leaves room for exactly one more.
    let r = srv.put("/api/ai/budget", t, json!({ "daily_budget_usd": (2 * one) as f64 / 1e6 })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["budget_is_default"], false);
    assert_eq!(micros(&r.body["daily_budget_usd"]), 2 * one);
    assert_eq!(micros(&r.body["remaining_usd"]), one);
    assert_eq!(generate(&srv, t).await["status"], "completed", "the last call that fits runs");
    let u = usage(&srv, t).await;
    assert_eq!(micros(&u["today"]["cost_usd"]), 2 * one, "{u}");
    assert_eq!(u["remaining_usd"], 0.0);

    // Spent: the next request is refused up front and nothing is queued or called.
    let (requests, calls) = (fake.count(), logs(&srv, t).await.len());
    let r = srv.post("/api/content/generate", Some(t), brief()).await;
    assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
    assert_eq!(r.error_code(), "ai_budget_exceeded");
    assert!(r.body["message"].as_str().unwrap().contains("budget"), "{}", r.body);
    let r = srv.post("/api/content/generate", Some(&member.access), brief()).await;
    assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "the budget is the organization's: {}", r.body);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fake.count(), requests, "no provider request");
    assert_eq!(logs(&srv, t).await.len(), calls, "no AI call logged");
    assert_eq!(content_count(&srv, t).await, 2);
    let campaign = create_campaign(
        &srv,
        &owner,
        json!({ "name": "Broke", "objective": "sales", "budget": 5, "starts_on": "2026-06-01", "ends_on": "2026-06-02", "platforms": ["email"] }),
    )
    .await;
    let r = srv.post(&format!("/api/campaigns/{campaign}/strategy"), Some(t), json!({})).await;
    assert_eq!(r.status, StatusCode::PAYMENT_REQUIRED, "{}", r.body);
    let detail = srv.get(&format!("/api/campaigns/{campaign}"), t).await.body;
    assert!(detail["strategy_job"].is_null(), "nothing queued: {detail}");

    // Back to the server's default budget: generation works again.
    let r = srv.put("/api/ai/budget", t, json!({ "daily_budget_usd": null })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["budget_is_default"], true);
    assert_eq!(generate(&srv, t).await["status"], "completed");
}

/// Twenty calls at once against a budget that fits exactly three worst-case calls: three run,
/// the rest are refused before reaching the provider, and the day's spend never passes the
/// budget. The server runs one job at a time, so the gateway is driven directly.
async fn concurrent_calls_never_overspend_the_budget(backend: Backend) {
    use omnify::ai::gateway::{self, Caller};
    use omnify::ai::tasks::{AiTask, BusinessContext, ContentFacts};
    use omnify::brain::channels::ContentPlatform;

    const FITS: i64 = 3;
    const CALLERS: usize = 20;
    let fake = FakeOpenAi::start().await;
    let Some(srv) = TestServer::start(backend, |_| {}).await else { return };
    let owner = srv.register(&unique_email("race"), "Race Co").await;

    // A second server state on the same database, with the fake as its provider.
    let dir = tempfile::tempdir().unwrap();
    let mut config = server::config::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(srv.database_url.clone()),
        database_max_connections: 5,
        jwt_secret: Some("integration-test-secret-0123456789abcdef".into()),
        encryption_key: Some("integration-test-encryption-key-0123456789".into()),
        run_jobs: false,
        site_root: dir.path().display().to_string(),
        ..Default::default()
    };
    fake.configure(&mut config);
    let state = server::startup::build_state(config).await.expect("server state");
    let core = state.core.clone();

    let task = AiTask::Content(ContentFacts {
        business: BusinessContext { name: "Race Co".into(), ..Default::default() },
        platform: ContentPlatform::Linkedin,
        format: "post".into(),
        brief: "Announce the spring workshop".into(),
        campaign_name: None,
        objective: None,
        audience: None,
        pillars: vec![],
        variant: 0,
    });
    let worst = core.ai.worst_case_micros(&task);
    assert!(worst > 0);
    let budget = FITS * worst;
    let r = srv.put("/api/ai/budget", &owner.access, json!({ "daily_budget_usd": budget as f64 / 1e6 })).await;
    assert_eq!(micros(&r.body["daily_budget_usd"]), budget, "{}", r.body);
    // Slow answers, so every call is in flight before any settles.
    fake.otherwise(Reply::json(&linkedin_post()).usage(Usage::WorstCase).after(Duration::from_millis(400)));

    let mut calls = Vec::new();
    for _ in 0..CALLERS {
        let (core, task, org, user) = (core.clone(), task.clone(), owner.org_id.clone(), owner.user_id.clone());
        calls.push(tokio::spawn(async move {
            gateway::run(&core, Caller { organization_id: &org, user_id: Some(&user) }, &task).await
        }));
    }
    let mut answered = 0;
    for call in calls {
        match call.await.unwrap() {
            Ok(answer) => {
                answered += 1;
                assert_eq!(answer.cost_micros, worst);
            }
            Err(e) => assert_eq!(e.status(), 402, "the others are refused for the budget: {e:?}"),
        }
    }
    assert_eq!(answered, FITS, "exactly the calls that fit the budget ran");
    assert_eq!(fake.count(), FITS as usize, "refused calls never reach the provider");
    let today = omnify::db::time::today();
    let (spent, reserved) = omnify::db::ai::spend(&core.db.pool, &owner.org_id, &today).await.unwrap();
    assert!(spent <= budget, "spent {spent} of {budget}");
    assert_eq!(spent, FITS * worst);
    assert_eq!(reserved, 0, "every reservation was settled");

    let calls = logs(&srv, &owner.access).await;
    assert_eq!(calls.len(), CALLERS, "every call is logged, refused or not");
    assert_eq!(calls.iter().filter(|c| c["outcome"] == "ok").count(), FITS as usize);
    assert_eq!(calls.iter().filter(|c| c["outcome"] == "budget_exceeded").count(), CALLERS - FITS as usize);
    let u = usage(&srv, &owner.access).await;
    assert_eq!(micros(&u["today"]["cost_usd"]), spent);
    assert_eq!(u["remaining_usd"], 0.0);
}

async fn an_idempotency_key_makes_a_repeat_return_the_same_job(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("idem"), "Idem Co").await;
    let t = owner.access.as_str();
    fake.otherwise(Reply::json(&linkedin_post()).after(Duration::from_millis(100)));

    // Two at once (a double click) and one after: one job.
    let (a, b) = tokio::join!(
        post_keyed(&srv, "/api/content/generate", t, Some("gen-42"), brief()),
        post_keyed(&srv, "/api/content/generate", t, Some("gen-42"), brief()),
    );
    assert_eq!(a.status, StatusCode::ACCEPTED, "{}", a.body);
    assert_eq!(b.status, StatusCode::ACCEPTED, "{}", b.body);
    assert_eq!(a.body["job_id"], b.body["job_id"]);
    let job_id = a.body["job_id"].as_str().unwrap().to_string();
    let job = srv.wait_for_job(t, &job_id, JOB_WAIT).await;
    assert_eq!(job["status"], "completed", "{job}");
    let again = post_keyed(&srv, "/api/content/generate", t, Some("gen-42"), brief()).await;
    assert_eq!(again.status, StatusCode::ACCEPTED, "{}", again.body);
    assert_eq!(again.body["job_id"], job_id.as_str());
    assert_eq!(again.body["status"], "completed", "the repeat sees the first request's outcome");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(content_count(&srv, t).await, 1, "one content piece");
    assert_eq!(logs(&srv, t).await.len(), 1, "one AI call");
    assert_eq!(fake.count(), 1);

    // The same key for another kind of request is a conflict.
    let id = create_campaign(
        &srv,
        &owner,
        json!({ "name": "Keyed", "objective": "sales", "budget": 10, "starts_on": "2026-06-01", "ends_on": "2026-06-03", "platforms": ["linkedin"] }),
    )
    .await;
    let r = post_keyed(&srv, &format!("/api/campaigns/{id}/strategy"), t, Some("gen-42"), json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.error_code(), "conflict");
    // So is the same key with a different brief: it would silently return the wrong piece.
    let mut changed = brief();
    changed["brief"] = json!("A completely different brief about tea.");
    let r = post_keyed(&srv, "/api/content/generate", t, Some("gen-42"), changed).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    // Without a key, or with another one, each request is its own.
    let other = post_keyed(&srv, "/api/content/generate", t, Some("gen-43"), brief()).await;
    assert_eq!(other.status, StatusCode::ACCEPTED);
    assert_ne!(other.body["job_id"], job_id.as_str());
    let unkeyed = post_keyed(&srv, "/api/content/generate", t, None, brief()).await;
    assert_ne!(unkeyed.body["job_id"], other.body["job_id"]);
    // Keys are per organization: another organization's "gen-42" is a new request.
    let stranger = srv.register(&unique_email("idem2"), "Other Co").await;
    let theirs = post_keyed(&srv, "/api/content/generate", &stranger.access, Some("gen-42"), brief()).await;
    assert_eq!(theirs.status, StatusCode::ACCEPTED, "{}", theirs.body);
    assert_ne!(theirs.body["job_id"], job_id.as_str());
}

async fn usage_reports_the_budget_today_and_fourteen_days(backend: Backend) {
    let fake = FakeOpenAi::start().await;
    let Some(srv) = with_fake(backend, &fake).await else { return };
    let owner = srv.register(&unique_email("usage"), "Usage Co").await;
    let viewer = srv.add_member(&owner, &unique_email("uv"), "viewer").await;
    let t = owner.access.as_str();

    let empty = srv.get("/api/ai/usage", t).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    let u = &empty.body;
    assert_eq!(u["engine"]["provider"], "openai");
    assert!(u["engine"]["model"].as_str().unwrap().contains(MODEL), "{u}");
    assert!(u["engine"]["label"].as_str().unwrap().contains(&fake.base_url), "{u}");
    assert_eq!(u["daily_budget_usd"], 5.0);
    assert_eq!(u["remaining_usd"], 5.0);
    assert_eq!(u["today"]["calls"], 0);
    let days = u["days"].as_array().unwrap();
    assert_eq!(days.len(), 14, "{u}");
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(days[13]["day"], today.as_str(), "oldest first, ending today");
    assert_eq!(u["today"]["day"], today.as_str());
    let names: Vec<&str> = days.iter().map(|d| d["day"].as_str().unwrap()).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    let first = chrono::NaiveDate::parse_from_str(names[0], "%Y-%m-%d").unwrap();
    assert_eq!((chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap() - first).num_days(), 13);

    fake.push(Reply::json(&linkedin_post()));
    fake.push(Reply::bad_key());
    assert_eq!(generate(&srv, t).await["status"], "completed");
    assert_eq!(generate(&srv, t).await["status"], "failed");
    let page = srv.get("/api/ai/logs?limit=1", t).await.body;
    assert_eq!(page["total"], 2);
    assert_eq!(page["calls"].as_array().unwrap().len(), 1);
    assert_eq!(page["calls"][0]["outcome"], "error", "newest first: {page}");
    let rest = srv.get("/api/ai/logs?limit=1&offset=1", t).await.body;
    assert_eq!(rest["calls"][0]["outcome"], "ok");

    let u = usage(&srv, &viewer.access).await; // anyone in the organization may look
    assert_eq!(u["today"]["calls"], 2, "{u}");
    assert_eq!(u["today"]["failed"], 1);
    assert_eq!(u["today"]["tokens_in"], 420);
    assert_eq!(u["today"]["tokens_out"], 180);
    assert_eq!(micros(&u["today"]["cost_usd"]), 171);
    assert_eq!(u["days"][13], u["today"]);
    assert!(u["days"].as_array().unwrap()[..13].iter().all(|d| d["calls"] == 0));
    assert_eq!(micros(&u["remaining_usd"]), 5_000_000 - 171);
}
