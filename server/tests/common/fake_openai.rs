//! A local fake of OpenAI's chat-completions API (`POST /v1/chat/completions`), for driving the
//! AI gateway through real HTTP: a queue of scripted replies (status, headers, body, delay),
//! a standing reply for when the queue is empty, and a record of every request received.
//! Completions have the documented shape: `{"id","object":"chat.completion","created","model",
//! "choices":[{"index":0,"message":{"role":"assistant","content":…},"finish_reason":"stop"}],
//! "usage":{"prompt_tokens","completion_tokens","total_tokens"}}`; errors have OpenAI's
//! `{"error":{"message","type","param","code"}}`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde_json::{json, Value};
use server::config::Config;

/// The model the fake-backed servers are configured with (a listed price, so costs are real).
pub const MODEL: &str = "gpt-4o-mini";
/// The "strong" model for strategies.
pub const STRONG_MODEL: &str = "gpt-4o";

/// The token counts a completion reports.
#[derive(Clone, Copy, Debug)]
pub enum Usage {
    Fixed { prompt: u64, completion: u64 },
    /// Exactly what the gateway reserves for one attempt: the prompt's four-characters-a-token
    /// estimate and the whole `max_tokens` (so a call costs its reservation to the micro-dollar).
    WorstCase,
}

#[derive(Clone, Debug)]
enum Body {
    /// A chat completion whose message content is this text; the model echoes the request's.
    Completion { content: String, usage: Usage },
    Raw(String),
}

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    body: Body,
    pub delay: Duration,
}

impl Reply {
    /// A 200 completion whose assistant message is `content` (any text, valid JSON or not).
    pub fn answer(content: impl Into<String>) -> Reply {
        Reply {
            status: 200,
            headers: vec![],
            body: Body::Completion { content: content.into(), usage: Usage::Fixed { prompt: 420, completion: 180 } },
            delay: Duration::ZERO,
        }
    }

    /// A 200 completion whose message is `value` as compact JSON.
    pub fn json(value: &Value) -> Reply {
        Reply::answer(value.to_string())
    }

    /// An error in OpenAI's documented shape.
    pub fn error(status: u16, message: &str, kind: &str, code: Option<&str>) -> Reply {
        let body = json!({ "error": { "message": message, "type": kind, "param": null, "code": code } });
        Reply { status, headers: vec![], body: Body::Raw(body.to_string()), delay: Duration::ZERO }
    }

    pub fn server_error() -> Reply {
        Reply::error(500, "The server had an error while processing your request. Sorry about that!", "server_error", None)
    }

    pub fn rate_limited(retry_after: &str) -> Reply {
        Reply::error(429, "Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3, Requested 1.", "requests", Some("rate_limit_exceeded"))
            .header("retry-after", retry_after)
    }

    pub fn bad_key() -> Reply {
        Reply::error(
            401,
            "Incorrect API key provided: sk-test****. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            Some("invalid_api_key"),
        )
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    pub fn usage(mut self, usage: Usage) -> Reply {
        if let Body::Completion { usage: u, .. } = &mut self.body {
            *u = usage;
        }
        self
    }
}

/// A request the fake received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub headers: HeaderMap,
    pub body: Value,
}

impl Seen {
    pub fn model(&self) -> &str {
        self.body["model"].as_str().unwrap_or_default()
    }
    pub fn system(&self) -> &str {
        self.body["messages"][0]["content"].as_str().unwrap_or_default()
    }
    pub fn user(&self) -> &str {
        self.body["messages"][1]["content"].as_str().unwrap_or_default()
    }
}

#[derive(Default)]
struct Inner {
    queue: Mutex<VecDeque<Reply>>,
    otherwise: Mutex<Option<Reply>>,
    seen: Mutex<Vec<Seen>>,
}

/// The fake, listening on a free local port.
#[derive(Clone)]
pub struct FakeOpenAi {
    /// The API root to configure (`http://127.0.0.1:PORT/v1`).
    pub base_url: String,
    inner: Arc<Inner>,
}

impl FakeOpenAi {
    pub async fn start() -> FakeOpenAi {
        let inner = Arc::new(Inner::default());
        let app = Router::new().route("/v1/chat/completions", post(completions)).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeOpenAi { base_url: format!("http://{addr}/v1"), inner }
    }

    /// Queues the next answer (answers are given in the order queued).
    pub fn push(&self, reply: Reply) -> &Self {
        self.inner.queue.lock().unwrap().push_back(reply);
        self
    }

    /// The answer to every request once the queue is empty (without one: a 500 that says the
    /// test scripted too few replies).
    pub fn otherwise(&self, reply: Reply) -> &Self {
        *self.inner.otherwise.lock().unwrap() = Some(reply);
        self
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.inner.seen.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.inner.seen.lock().unwrap().len()
    }

    /// Points `config` at this fake, with a test key, fast retries and a one-second guard.
    pub fn configure(&self, config: &mut Config) {
        config.ai_base_url = Some(self.base_url.clone());
        config.ai_api_key = Some("sk-test-fake-key".into());
        config.ai_model = MODEL.into();
        config.ai_strong_model = Some(STRONG_MODEL.into());
        config.ai_max_attempts = 3;
        config.ai_request_timeout_seconds = 1;
        config.ai_backoff_ms = 10;
    }
}

async fn completions(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    inner.seen.lock().unwrap().push(Seen { headers, body: request.clone() });
    let scripted = inner.queue.lock().unwrap().pop_front();
    let reply = scripted.or_else(|| inner.otherwise.lock().unwrap().clone()).unwrap_or_else(|| {
        Reply::error(500, "the fake OpenAI server ran out of scripted replies", "fake_exhausted", None)
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let text = match &reply.body {
        Body::Raw(text) => text.clone(),
        Body::Completion { content, usage } => completion(&request, content, *usage).to_string(),
    };
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), text).into_response();
    let h = response.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json"));
    for (name, value) in &reply.headers {
        h.insert(HeaderName::from_bytes(name.as_bytes()).unwrap(), HeaderValue::from_str(value).unwrap());
    }
    response
}

fn completion(request: &Value, content: &str, usage: Usage) -> Value {
    let (prompt, completion) = match usage {
        Usage::Fixed { prompt, completion } => (prompt, completion),
        Usage::WorstCase => {
            let messages = request["messages"].as_array().cloned().unwrap_or_default();
            let prompt = messages.iter().map(|m| omnify::ai::pricing::estimate_tokens(m["content"].as_str().unwrap_or_default())).sum();
            let max = request["max_tokens"].as_u64().or_else(|| request["max_completion_tokens"].as_u64()).unwrap_or(0);
            (prompt, max)
        }
    };
    json!({
        "id": format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
        "object": "chat.completion",
        "created": chrono::Utc::now().timestamp(),
        "model": request["model"].as_str().unwrap_or(MODEL),
        "choices": [{
            "index": 0,
            "message": { "role": "assistant", "content": content },
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": { "prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion }
    })
}
