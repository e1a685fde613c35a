//! What the AI layer adds to a call: the same chat completion sent (a) straight through the
//! OpenAI-compatible client and (b) through the gateway (prompt build, budget reservation and
//! settlement, repair, schema validation, the call log), against a local server that answers at
//! once. The difference is the layer's own overhead. Also times the built-in engine end to end.
//! Run by bench/ai_overhead.sh; `BENCH_CALLS` sets the calls per measurement (default 300) and
//! `OMNIFY_BENCH_POSTGRES_URL` adds a PostgreSQL run.

use std::time::{Duration, Instant};

use axum::routing::post;
use axum::Json;
use omnify::ai::gateway::{self, AiConfig, Caller, Gateway, ProviderConfig};
use omnify::ai::openai::{ChatRequest, OpenAiClient, OpenAiConfig};
use omnify::ai::tasks::{AiTask, BusinessContext, ContentFacts};
use omnify::brain::channels::ContentPlatform;
use omnify::model::RegisterRequest;
use omnify::services::{accounts, RequestMeta};
use serde_json::{json, Value};

const ANSWER: &str = r#"{"headline": null, "body": "Cold brew in 30 seconds: smooth, low acid, ready when you are. Order today.", "cta": "Shop now", "hashtags": ["coldbrew", "coffee"], "rationale": "Benefit first, then a deadline."}"#;

async fn completions(Json(_req): Json<Value>) -> Json<Value> {
    Json(json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 900, "completion_tokens": 60, "total_tokens": 960}
    }))
}

fn task() -> AiTask {
    AiTask::Content(ContentFacts {
        business: BusinessContext { name: "Bean There".into(), tone: Some("friendly".into()), ..Default::default() },
        platform: ContentPlatform::X,
        format: "post".into(),
        brief: "Launch our cold brew concentrate: smooth, low acid, ready in 30 seconds.".into(),
        campaign_name: Some("Spring".into()),
        objective: Some("sales".into()),
        audience: None,
        pillars: vec![],
        variant: 0,
    })
}

struct Stats {
    mean: f64,
    p50: f64,
    p95: f64,
}

fn stats(mut ms: Vec<f64>) -> Stats {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    Stats { mean: ms.iter().sum::<f64>() / ms.len() as f64, p50: at(0.5), p95: at(0.95) }
}

async fn measure(label: &str, database_url: &str, base_url: &str, calls: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = server::config::Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(database_url.to_string()),
        jwt_secret: Some("bench-secret-0123456789abcdef0123456789".into()),
        encryption_key: Some("bench-encryption-key-0123456789abcdef".into()),
        run_jobs: false,
        ai_base_url: Some(base_url.to_string()),
        ai_daily_budget_usd: 1_000_000.0,
        ..Default::default()
    };
    let state = server::startup::build_state(config).await.expect("state");
    let core = state.core.clone();
    let who = format!("bench-{}@example.com", uuid::Uuid::new_v4().simple());
    let session = accounts::register(
        &core,
        &RequestMeta::default(),
        RegisterRequest { email: who, password: "correct-horse-battery".into(), full_name: "Bench".into(), organization_name: "Bench".into() },
    )
    .await
    .expect("register");
    let org = session.organization.organization_id.clone();
    let task = task();
    let prompt = omnify::ai::prompt::build(&task);
    let client = OpenAiClient::new(OpenAiConfig { base_url: base_url.to_string(), api_key: None, request_timeout: Duration::from_secs(30) });
    let request = ChatRequest { model: "gpt-4o-mini".into(), system: prompt.system, user: prompt.user, max_tokens: 400, temperature: 0.4, json_output: true };

    // Warm up connections and caches.
    for _ in 0..20 {
        client.chat(&request).await.expect("direct call");
        gateway::run(&core, Caller { organization_id: &org, user_id: None }, &task).await.expect("gateway call");
    }
    let mut direct = Vec::with_capacity(calls);
    let mut through = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        client.chat(&request).await.expect("direct call");
        direct.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        gateway::run(&core, Caller { organization_id: &org, user_id: None }, &task).await.expect("gateway call");
        through.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let (d, g) = (stats(direct), stats(through));
    println!(
        "{label:<10} direct client: mean {:.2} ms (p50 {:.2}, p95 {:.2}) | through the AI layer: mean {:.2} ms (p50 {:.2}, p95 {:.2}) | overhead: mean {:.2} ms, p50 {:.2} ms",
        d.mean, d.p50, d.p95, g.mean, g.p50, g.p95, g.mean - d.mean, g.p50 - d.p50
    );

    // The built-in engine end to end (no HTTP): prompt-free answer, validation and the log.
    let builtin = Gateway::new(AiConfig { provider: ProviderConfig::Builtin, ..AiConfig::default() });
    let core_builtin = omnify::Core { ai: builtin, ..core.clone() };
    let mut local = Vec::with_capacity(calls);
    for _ in 0..calls {
        let t = Instant::now();
        gateway::run(&core_builtin, Caller { organization_id: &org, user_id: None }, &task).await.expect("builtin call");
        local.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let b = stats(local);
    println!("{label:<10} built-in engine through the AI layer: mean {:.2} ms (p50 {:.2}, p95 {:.2})", b.mean, b.p50, b.p95);
}

#[tokio::main]
async fn main() {
    let calls: usize = std::env::var("BENCH_CALLS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base_url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, axum::Router::new().route("/v1/chat/completions", post(completions))).await });

    let dir = tempfile::tempdir().expect("temp dir");
    measure("sqlite", &format!("sqlite://{}/omnify.db", dir.path().display()), &base_url, calls).await;
    if let Ok(url) = std::env::var("OMNIFY_BENCH_POSTGRES_URL") {
        measure("postgres", &url, &base_url, calls).await;
    }
}
