//! The client for OpenAI's chat-completions API and the many servers that speak it (Azure-style
//! gateways, vLLM, Ollama, LM Studio …): one POST per call, no retries. The gateway decides
//! whether and when to retry, from [`ProviderError::is_retryable`] and
//! [`ProviderError::retry_after`].

use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::ai::pricing::estimate_tokens;
use crate::integrations::retry::retry_after;

/// Where the provider is and how long a call may take.
#[derive(Clone, Debug)]
pub struct OpenAiConfig {
    /// The API root, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`.
    pub base_url: String,
    /// Sent as a bearer token; `None` (or empty) for local servers that take no key.
    pub api_key: Option<String>,
    /// The whole request, connect to last byte: the 30-second guard.
    pub request_timeout: Duration,
}

/// One chat turn: a system prompt and a user message.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatRequest {
    pub model: String,
    pub system: String,
    pub user: String,
    pub max_tokens: u32,
    pub temperature: f32,
    /// Ask for JSON mode (`response_format: json_object`): the server then guarantees
    /// syntactically valid JSON, though not the schema.
    pub json_output: bool,
}

/// The model's answer and what it cost in tokens.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub text: String,
    /// The model as reported by the server (often a dated snapshot of the requested id).
    pub model: String,
    pub tokens_in: u64,
    pub tokens_out: u64,
    /// `stop`, or `length` when the answer hit `max_tokens` and is probably cut off.
    pub finish_reason: Option<String>,
}

/// Why a call produced no answer. Messages never contain the API key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProviderError {
    #[error("the model provider did not answer in time")]
    Timeout,
    #[error("the model provider is rate limiting requests{}", wait_hint(.retry_after))]
    RateLimited { retry_after: Option<Duration> },
    #[error("the model provider failed (HTTP {status}): {message}")]
    ServerError { status: u16, message: String },
    /// A 4xx other than 408 and 429 (a bad key, an unknown model, a malformed request), or a
    /// 429 for an exhausted quota: sending the same request again cannot help.
    #[error("the model provider rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("the model provider is unreachable: {0}")]
    Unreachable(String),
    #[error("the model returned an empty answer")]
    EmptyOutput,
    #[error("the model provider sent a response that is not a chat completion: {0}")]
    MalformedResponse(String),
}

fn wait_hint(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(" (retry after {:.1}s)", d.as_secs_f64()),
        None => String::new(),
    }
}

impl ProviderError {
    /// Whether the same request may succeed later. An empty answer counts: sampling can
    /// produce one by chance. A malformed response means a server that does not speak the API
    /// (usually a wrong base URL), which no retry fixes.
    pub fn is_retryable(&self) -> bool {
        match self {
            ProviderError::Timeout
            | ProviderError::RateLimited { .. }
            | ProviderError::ServerError { .. }
            | ProviderError::Unreachable(_)
            | ProviderError::EmptyOutput => true,
            ProviderError::Rejected { .. } | ProviderError::MalformedResponse(_) => false,
        }
    }

    /// The wait the provider asked for with `Retry-After`, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ProviderError::RateLimited { retry_after } => *retry_after,
            _ => None,
        }
    }
}

/// An OpenAI-compatible provider. Cheap to clone; share one per configuration so connections
/// are reused.
#[derive(Clone, Debug)]
pub struct OpenAiClient {
    http: reqwest::Client,
    url: String,
    api_key: Option<String>,
}

impl OpenAiClient {
    pub fn new(cfg: OpenAiConfig) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("OmniFy/", env!("CARGO_PKG_VERSION")))
            .timeout(cfg.request_timeout)
            .build()
            .expect("the HTTP client builds with a static configuration");
        OpenAiClient {
            http,
            url: format!("{}/chat/completions", cfg.base_url.trim_end_matches('/')),
            api_key: cfg.api_key.filter(|k| !k.trim().is_empty()),
        }
    }

    /// Sends one chat completion and reads the first choice.
    pub async fn chat(&self, req: &ChatRequest) -> Result<Completion, ProviderError> {
        let mut call = self.http.post(&self.url).json(&request_body(req));
        if let Some(key) = &self.api_key {
            call = call.bearer_auth(key);
        }
        let resp = call.send().await.map_err(transport_error)?;
        let status = resp.status();
        let wait = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        let body = resp.text().await.map_err(transport_error)?;
        if !status.is_success() {
            return Err(status_error(status, wait, &body));
        }
        completion(req, &body)
    }
}

/// The request body. OpenAI's reasoning models (o1, o3, o4-mini, gpt-5 …) reject
/// `max_tokens` and any temperature but the default, so they get `max_completion_tokens` and
/// no temperature; every other model gets the classic parameters local servers understand.
fn request_body(req: &ChatRequest) -> Value {
    let mut body = json!({
        "model": req.model,
        "messages": [
            { "role": "system", "content": req.system },
            { "role": "user", "content": req.user },
        ],
    });
    if is_reasoning_model(&req.model) {
        body["max_completion_tokens"] = json!(req.max_tokens);
    } else {
        body["max_tokens"] = json!(req.max_tokens);
        // Through its shortest decimal form, so 0.2f32 goes out as 0.2 and not 0.2000000029…
        if let Ok(t) = req.temperature.to_string().parse::<f64>() {
            if t.is_finite() {
                body["temperature"] = json!(t);
            }
        }
    }
    if req.json_output {
        body["response_format"] = json!({ "type": "json_object" });
    }
    body
}

fn is_reasoning_model(model: &str) -> bool {
    let m = model.trim().to_ascii_lowercase();
    let mut chars = m.chars();
    (chars.next() == Some('o') && chars.next().is_some_and(|c| c.is_ascii_digit()))
        || m.starts_with("gpt-5")
}

/// A request that failed before a status arrived, or while its body was read.
fn transport_error(e: reqwest::Error) -> ProviderError {
    if e.is_timeout() {
        return ProviderError::Timeout;
    }
    // reqwest's top message ("error sending request") hides the cause; the chain names it.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        message = format!("{message}: {cause}");
        source = cause.source();
    }
    ProviderError::Unreachable(message)
}

/// Maps an HTTP error status and its body to an error.
fn status_error(status: StatusCode, retry_after: Option<Duration>, body: &str) -> ProviderError {
    let (message, code) = error_details(status, body);
    match status.as_u16() {
        // OpenAI answers an exhausted quota with 429 too; waiting does not refill it.
        429 if code.as_deref() == Some("insufficient_quota") => ProviderError::Rejected {
            status: 429,
            message,
        },
        429 => ProviderError::RateLimited { retry_after },
        408 => ProviderError::Timeout,
        s @ 500..=599 => ProviderError::ServerError { status: s, message },
        s => ProviderError::Rejected { status: s, message },
    }
}

/// OpenAI's error body is `{"error": {"message", "type", "code"}}`; others send
/// `{"error": "…"}` or `{"message": "…"}`, or plain text. Returns a readable message and the
/// error code (or type) for the caller to branch on.
fn error_details(status: StatusCode, body: &str) -> (String, Option<String>) {
    let fallback = || {
        let text = body.trim();
        if text.is_empty() {
            status
                .canonical_reason()
                .unwrap_or("no reason given")
                .to_string()
        } else {
            truncate(text, 300)
        }
    };
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return (fallback(), None);
    };
    let err = &v["error"];
    let message = err["message"]
        .as_str()
        .or_else(|| err.as_str())
        .or_else(|| v["message"].as_str())
        .map(str::to_string);
    let as_text = |x: &Value| match x {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let kind = as_text(&err["type"]);
    let code = as_text(&err["code"]);
    let Some(message) = message else {
        return (fallback(), code.or(kind));
    };
    let tags: Vec<&str> = [&kind, &code]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    let message = if tags.is_empty() {
        truncate(&message, 300)
    } else {
        format!("{} ({})", truncate(&message, 300), tags.join(", "))
    };
    (message, code.or(kind))
}

fn truncate(s: &str, max_chars: usize) -> String {
    match s.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[derive(Deserialize)]
struct WireCompletion {
    model: Option<String>,
    #[serde(default)]
    choices: Vec<WireChoice>,
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct WireChoice {
    message: Option<WireMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct WireMessage {
    content: Option<String>,
}

#[derive(Deserialize)]
struct WireUsage {
    prompt_tokens: Option<u64>,
    completion_tokens: Option<u64>,
}

/// Reads a 2xx body. A server that reports no usage (some local ones) gets the
/// four-characters-a-token estimate so cost and budget still see the call.
fn completion(req: &ChatRequest, body: &str) -> Result<Completion, ProviderError> {
    let wire: WireCompletion = serde_json::from_str(body).map_err(|e| {
        ProviderError::MalformedResponse(format!("{e} in `{}`", truncate(body.trim(), 120)))
    })?;
    let choice = wire
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| ProviderError::MalformedResponse("no choices in the response".into()))?;
    let text = choice.message.and_then(|m| m.content).unwrap_or_default();
    if text.trim().is_empty() {
        return Err(ProviderError::EmptyOutput);
    }
    let usage = wire.usage.unwrap_or(WireUsage {
        prompt_tokens: None,
        completion_tokens: None,
    });
    Ok(Completion {
        tokens_in: usage
            .prompt_tokens
            .unwrap_or_else(|| estimate_tokens(&req.system) + estimate_tokens(&req.user)),
        tokens_out: usage
            .completion_tokens
            .unwrap_or_else(|| estimate_tokens(&text)),
        model: wire
            .model
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| req.model.clone()),
        finish_reason: choice.finish_reason,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use axum::body::Body;
    use axum::extract::Request;
    use axum::http::HeaderMap;
    use axum::response::Response;

    /// What the fake answers: status, extra headers, body, and a delay before answering.
    struct Reply {
        status: u16,
        headers: Vec<(&'static str, &'static str)>,
        body: String,
        delay: Duration,
    }

    fn reply(status: u16, body: impl ToString) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    /// A request the fake received.
    #[derive(Clone)]
    struct Seen {
        method: String,
        path: String,
        headers: HeaderMap,
        body: Value,
    }

    struct Fake {
        base_url: String,
        seen: Arc<Mutex<Vec<Seen>>>,
    }

    impl Fake {
        fn last(&self) -> Seen {
            self.seen
                .lock()
                .unwrap()
                .last()
                .cloned()
                .expect("a request")
        }
    }

    /// An OpenAI-compatible fake on a free local port that answers every request with
    /// `answer()` and records what it was sent.
    async fn fake(answer: impl Fn() -> Reply + Send + Sync + 'static) -> Fake {
        let answer = Arc::new(answer);
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        let log = seen.clone();
        let app = axum::Router::new().fallback(move |req: Request| {
            let (answer, log) = (answer.clone(), log.clone());
            async move {
                let (parts, body) = req.into_parts();
                let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
                log.lock().unwrap().push(Seen {
                    method: parts.method.to_string(),
                    path: parts.uri.path().to_string(),
                    headers: parts.headers,
                    body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
                });
                let r = answer();
                tokio::time::sleep(r.delay).await;
                let mut resp = Response::builder()
                    .status(r.status)
                    .header("content-type", "application/json");
                for (k, v) in r.headers {
                    resp = resp.header(k, v);
                }
                resp.body(Body::from(r.body)).unwrap()
            }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Fake { base_url, seen }
    }

    fn client(base_url: &str, key: Option<&str>) -> OpenAiClient {
        OpenAiClient::new(OpenAiConfig {
            base_url: base_url.to_string(),
            api_key: key.map(str::to_string),
            request_timeout: Duration::from_millis(200),
        })
    }

    fn request(json_output: bool) -> ChatRequest {
        ChatRequest {
            model: "gpt-4o-mini".into(),
            system: "You write marketing copy. Answer in JSON.".into(),
            user: "Three headlines for a spring sale.".into(),
            max_tokens: 400,
            temperature: 0.2,
            json_output,
        }
    }

    fn chat_body(content: Value, usage: Option<(u64, u64)>) -> String {
        let mut b = json!({
            "id": "chatcmpl-123",
            "object": "chat.completion",
            "created": 1_700_000_000,
            "model": "gpt-4o-mini-2024-07-18",
            "choices": [{
                "index": 0,
                "message": { "role": "assistant", "content": content },
                "finish_reason": "stop"
            }]
        });
        if let Some((i, o)) = usage {
            b["usage"] =
                json!({ "prompt_tokens": i, "completion_tokens": o, "total_tokens": i + o });
        }
        b.to_string()
    }

    fn openai_error(message: &str, kind: &str, code: Value) -> String {
        json!({ "error": { "message": message, "type": kind, "param": null, "code": code } })
            .to_string()
    }

    #[tokio::test]
    async fn a_completion_is_read_with_its_usage() {
        let f = fake(|| {
            reply(
                200,
                chat_body(
                    json!("{\"headlines\": [\"Spring into savings\"]}"),
                    Some((42, 7)),
                ),
            )
        })
        .await;
        let c = client(&f.base_url, Some("sk-test"))
            .chat(&request(true))
            .await
            .unwrap();
        assert_eq!(
            c,
            Completion {
                text: "{\"headlines\": [\"Spring into savings\"]}".into(),
                model: "gpt-4o-mini-2024-07-18".into(),
                tokens_in: 42,
                tokens_out: 7,
                finish_reason: Some("stop".into()),
            }
        );
    }

    #[tokio::test]
    async fn json_mode_sends_the_documented_request() {
        let f = fake(|| reply(200, chat_body(json!("{}"), Some((1, 1))))).await;
        client(&f.base_url, Some("sk-test"))
            .chat(&request(true))
            .await
            .unwrap();
        let seen = f.last();
        assert_eq!(seen.method, "POST");
        assert_eq!(seen.path, "/v1/chat/completions");
        assert_eq!(seen.headers["authorization"], "Bearer sk-test");
        assert_eq!(seen.headers["content-type"], "application/json");
        assert_eq!(
            seen.body,
            json!({
                "model": "gpt-4o-mini",
                "messages": [
                    { "role": "system", "content": "You write marketing copy. Answer in JSON." },
                    { "role": "user", "content": "Three headlines for a spring sale." }
                ],
                "max_tokens": 400,
                "temperature": 0.2,
                "response_format": { "type": "json_object" }
            })
        );
    }

    #[tokio::test]
    async fn text_mode_without_a_key_sends_neither() {
        let f = fake(|| reply(200, chat_body(json!("Hello"), Some((1, 1))))).await;
        // A trailing slash on the base URL does not double the separator.
        let base = format!("{}/", f.base_url);
        let c = client(&base, None).chat(&request(false)).await.unwrap();
        assert_eq!(c.text, "Hello");
        let seen = f.last();
        assert_eq!(seen.path, "/v1/chat/completions");
        assert!(seen.headers.get("authorization").is_none());
        assert!(seen.body.get("response_format").is_none());

        // An empty key is no key.
        client(&f.base_url, Some(" "))
            .chat(&request(false))
            .await
            .unwrap();
        assert!(f.last().headers.get("authorization").is_none());
    }

    #[tokio::test]
    async fn reasoning_models_get_max_completion_tokens_and_no_temperature() {
        let f = fake(|| reply(200, chat_body(json!("{}"), Some((1, 1))))).await;
        let req = ChatRequest {
            model: "o4-mini".into(),
            ..request(true)
        };
        client(&f.base_url, Some("k")).chat(&req).await.unwrap();
        let body = f.last().body;
        assert_eq!(body["max_completion_tokens"], 400);
        assert!(body.get("max_tokens").is_none());
        assert!(body.get("temperature").is_none());
        assert!(is_reasoning_model("gpt-5-mini"));
        assert!(is_reasoning_model("o1"));
        assert!(!is_reasoning_model("gpt-4o"));
        assert!(!is_reasoning_model("openhermes"));
        assert!(!is_reasoning_model("llama3.1:8b"));
    }

    #[tokio::test]
    async fn missing_usage_is_estimated() {
        let f = fake(|| {
            let mut b: Value = serde_json::from_str(&chat_body(json!("12345678"), None)).unwrap();
            b.as_object_mut().unwrap().remove("model");
            reply(200, b)
        })
        .await;
        let req = request(false);
        let c = client(&f.base_url, None).chat(&req).await.unwrap();
        assert_eq!(
            c.tokens_in,
            estimate_tokens(&req.system) + estimate_tokens(&req.user)
        );
        assert_eq!(c.tokens_out, 2);
        // No model reported: the requested one stands in.
        assert_eq!(c.model, "gpt-4o-mini");
    }

    #[tokio::test]
    async fn a_429_is_rate_limited_with_its_retry_after() {
        let f = fake(|| Reply {
            headers: vec![("retry-after", "2")],
            ..reply(
                429,
                openai_error(
                    "Rate limit reached for gpt-4o-mini",
                    "requests",
                    json!("rate_limit_exceeded"),
                ),
            )
        })
        .await;
        let e = client(&f.base_url, Some("k"))
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::RateLimited {
                retry_after: Some(Duration::from_secs(2))
            }
        );
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
        assert_eq!(
            e.to_string(),
            "the model provider is rate limiting requests (retry after 2.0s)"
        );
    }

    #[tokio::test]
    async fn a_429_without_retry_after_leaves_the_wait_to_the_caller() {
        let f = fake(|| reply(429, "{}")).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(e, ProviderError::RateLimited { retry_after: None });
        assert_eq!(e.retry_after(), None);
    }

    #[tokio::test]
    async fn an_exhausted_quota_is_not_retried() {
        let f = fake(|| {
            reply(
                429,
                openai_error(
                    "You exceeded your current quota",
                    "insufficient_quota",
                    json!("insufficient_quota"),
                ),
            )
        })
        .await;
        let e = client(&f.base_url, Some("k"))
            .chat(&request(true))
            .await
            .unwrap_err();
        let ProviderError::Rejected {
            status: 429,
            message,
        } = &e
        else {
            panic!("{e:?}")
        };
        assert!(
            message.contains("You exceeded your current quota"),
            "{message}"
        );
        assert!(!e.is_retryable());
    }

    #[tokio::test]
    async fn a_500_is_a_retryable_server_error() {
        let f = fake(|| {
            reply(
                500,
                openai_error(
                    "The server had an error while processing your request.",
                    "server_error",
                    Value::Null,
                ),
            )
        })
        .await;
        let e = client(&f.base_url, Some("k"))
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::ServerError {
                status: 500,
                message: "The server had an error while processing your request. (server_error)"
                    .into()
            }
        );
        assert!(e.is_retryable());
        assert_eq!(e.retry_after(), None);
    }

    #[tokio::test]
    async fn a_non_json_error_body_is_quoted() {
        let f = fake(|| reply(502, "<html>Bad Gateway</html>")).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::ServerError {
                status: 502,
                message: "<html>Bad Gateway</html>".into()
            }
        );
        let f = fake(|| reply(503, "")).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::ServerError {
                status: 503,
                message: "Service Unavailable".into()
            }
        );
    }

    #[tokio::test]
    async fn a_401_is_rejected_with_the_servers_message() {
        let f = fake(|| {
            reply(401, openai_error("Incorrect API key provided: sk-bad. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", json!("invalid_api_key")))
        })
        .await;
        let e = client(&f.base_url, Some("sk-bad"))
            .chat(&request(true))
            .await
            .unwrap_err();
        let ProviderError::Rejected { status, message } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*status, 401);
        assert!(
            message.starts_with("Incorrect API key provided"),
            "{message}"
        );
        assert!(
            message.ends_with("(invalid_request_error, invalid_api_key)"),
            "{message}"
        );
        assert!(!e.is_retryable());
        assert!(e
            .to_string()
            .starts_with("the model provider rejected the request (HTTP 401): Incorrect API key"));
    }

    #[tokio::test]
    async fn other_error_shapes_are_read_too() {
        let f = fake(|| reply(404, json!({ "error": "model 'llama9' not found" }))).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::Rejected {
                status: 404,
                message: "model 'llama9' not found".into()
            }
        );
        let f = fake(|| {
            reply(
                400,
                json!({ "object": "error", "message": "max_tokens is too large", "code": 400 }),
            )
        })
        .await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::Rejected {
                status: 400,
                message: "max_tokens is too large".into()
            }
        );
    }

    #[tokio::test]
    async fn a_408_is_a_timeout() {
        let f = fake(|| reply(408, "")).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(e, ProviderError::Timeout);
        assert!(e.is_retryable());
    }

    #[tokio::test]
    async fn a_slow_server_times_out() {
        let f = fake(|| Reply {
            delay: Duration::from_secs(3),
            ..reply(200, chat_body(json!("late"), Some((1, 1))))
        })
        .await;
        let started = Instant::now();
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(e, ProviderError::Timeout);
        assert!(e.is_retryable());
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_refused_connection_is_unreachable() {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let c = client(&format!("http://127.0.0.1:{port}/v1"), Some("sk-secret"));
        let e = c.chat(&request(true)).await.unwrap_err();
        let ProviderError::Unreachable(message) = &e else {
            panic!("{e:?}")
        };
        assert!(message.to_lowercase().contains("connect"), "{message}");
        assert!(!message.contains("sk-secret"), "{message}");
        assert!(e.is_retryable());
    }

    #[tokio::test]
    async fn empty_content_is_empty_output() {
        for content in [json!(""), json!("  \n "), Value::Null] {
            let body = chat_body(content.clone(), Some((5, 0)));
            let f = fake(move || reply(200, body.clone())).await;
            let e = client(&f.base_url, None)
                .chat(&request(true))
                .await
                .unwrap_err();
            assert_eq!(e, ProviderError::EmptyOutput, "{content}");
            assert!(e.is_retryable());
        }
    }

    #[tokio::test]
    async fn a_body_that_is_not_a_completion_is_malformed() {
        let f = fake(|| reply(200, "<html>login</html>")).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        let ProviderError::MalformedResponse(m) = &e else {
            panic!("{e:?}")
        };
        assert!(m.contains("<html>login</html>"), "{m}");
        assert!(!e.is_retryable());

        let f = fake(|| reply(200, json!({ "choices": [] }))).await;
        let e = client(&f.base_url, None)
            .chat(&request(true))
            .await
            .unwrap_err();
        assert_eq!(
            e,
            ProviderError::MalformedResponse("no choices in the response".into())
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        let rejected = ProviderError::Rejected {
            status: 400,
            message: "bad".into(),
        };
        assert!(!rejected.is_retryable());
        assert_eq!(rejected.retry_after(), None);
        assert!(ProviderError::Unreachable("x".into()).is_retryable());
        assert!(!ProviderError::MalformedResponse("x".into()).is_retryable());
        assert_eq!(
            ProviderError::RateLimited { retry_after: None }.to_string(),
            "the model provider is rate limiting requests"
        );
    }

    #[test]
    fn long_error_messages_are_cut() {
        let body = "x".repeat(1000);
        let (m, _) = error_details(StatusCode::BAD_REQUEST, &body);
        assert_eq!(m.chars().count(), 301);
        assert!(m.ends_with('…'));
    }
}
