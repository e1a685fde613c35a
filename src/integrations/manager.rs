//! The one way out to external platforms. `PlatformManager` owns the HTTP client, the rate
//! limiters, the circuit breakers and the response cache; connectors build calls through a
//! `Client` bound to one platform account, and every call goes through `Call::send`:
//! breaker check → cache → rate limit → request with timeout → classify → retry or return.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::Method;

use super::breaker::Breakers;
use super::cache::Cache;
use super::cursor::{SyncCursor, SyncPage};
use super::limits::{Limits, Rate};
use super::{retry, AccountInfo, Credentials, Platform};
use crate::ApiError;

#[derive(Clone, Debug)]
pub struct ManagerConfig {
    /// Per attempt, connect to last byte.
    pub timeout: Duration,
    /// Attempts per call, the first included.
    pub max_attempts: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// A `Retry-After` longer than this is not waited out inside a call: the call fails and
    /// the sync job is rescheduled instead.
    pub max_retry_after: Duration,
    pub breaker_threshold: u32,
    pub breaker_cooldown: Duration,
    pub cache_ttl: Duration,
    /// Replaces a platform's documented limits (tests, or a plan with higher limits).
    pub rate_overrides: HashMap<Platform, Vec<Rate>>,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        ManagerConfig {
            timeout: Duration::from_secs(30),
            max_attempts: 5,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(60),
            cache_ttl: Duration::from_secs(300),
            rate_overrides: HashMap::new(),
        }
    }
}

struct Inner {
    http: reqwest::Client,
    config: ManagerConfig,
    limits: Limits,
    breakers: Breakers,
    cache: Cache,
}

/// One per process; clones share everything.
#[derive(Clone)]
pub struct PlatformManager {
    inner: Arc<Inner>,
}

impl PlatformManager {
    pub fn new(config: ManagerConfig) -> Self {
        let http = reqwest::Client::builder()
            .user_agent(concat!("OmniFy/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("the HTTP client builds with a static configuration");
        let inner = Inner {
            http,
            limits: Limits::new(config.rate_overrides.clone()),
            breakers: Breakers::new(config.breaker_threshold, config.breaker_cooldown),
            cache: Cache::new(config.cache_ttl),
            config,
        };
        PlatformManager {
            inner: Arc::new(inner),
        }
    }

    pub fn config(&self) -> &ManagerConfig {
        &self.inner.config
    }

    /// A client for one platform account; cheap.
    pub fn client(&self, platform: Platform, creds: &Credentials) -> Client {
        Client {
            inner: self.inner.clone(),
            platform,
            account: creds.fingerprint(),
        }
    }

    /// Checks the credentials and returns the account they open. Refused credentials are a
    /// 400 carrying the platform's own reason.
    pub async fn test_connection(
        &self,
        platform: Platform,
        creds: &Credentials,
    ) -> Result<AccountInfo, ApiError> {
        super::dispatch_test(&self.client(platform, creds), creds).await
    }

    /// Pulls the next page. `None` starts a full sync; a stored cursor resumes (or, when it
    /// came from a finished run, starts an incremental one).
    pub async fn sync_page(
        &self,
        platform: Platform,
        creds: &Credentials,
        cursor: Option<SyncCursor>,
    ) -> Result<SyncPage, ApiError> {
        let mut cursor = cursor.unwrap_or_default();
        if cursor.run_started.is_none() {
            cursor.run_started = Some(chrono::Utc::now().timestamp());
        }
        super::dispatch_sync(&self.client(platform, creds), creds, cursor).await
    }
}

/// The manager bound to one platform account.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    platform: Platform,
    account: String,
}

impl Client {
    pub fn platform(&self) -> Platform {
        self.platform
    }

    pub fn get(&self, url: impl Into<String>) -> Call<'_> {
        self.call(Method::GET, url.into(), None)
    }

    pub fn post(&self, url: impl Into<String>, body: serde_json::Value) -> Call<'_> {
        self.call(Method::POST, url.into(), Some(body))
    }

    fn call(&self, method: Method, url: String, body: Option<serde_json::Value>) -> Call<'_> {
        Call {
            client: self,
            method,
            url,
            query: Vec::new(),
            headers: Vec::new(),
            body,
            bucket: "default",
            cached: false,
        }
    }
}

/// One request being built by a connector.
pub struct Call<'a> {
    client: &'a Client,
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    bucket: &'static str,
    cached: bool,
}

/// A successful response: the JSON body (Null when empty) and the headers (pagination links).
#[derive(Debug)]
pub struct Response {
    pub headers: HeaderMap,
    pub body: serde_json::Value,
}

/// Why an attempt failed, for the final error after the last attempt.
enum Failure {
    Server(u16, String),
    Timeout,
    Connection(String),
    RateLimited(Option<Duration>),
}

impl<'a> Call<'a> {
    pub fn query(mut self, k: &str, v: impl ToString) -> Self {
        self.query.push((k.to_string(), v.to_string()));
        self
    }

    pub fn header(mut self, k: &str, v: impl ToString) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn bearer(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    /// The rate-limit bucket of the endpoint (see `limits::documented`).
    pub fn bucket(mut self, bucket: &'static str) -> Self {
        self.bucket = bucket;
        self
    }

    /// Serve from and store into the TTL cache (idempotent GETs only).
    pub fn cached(mut self) -> Self {
        self.cached = self.method == Method::GET;
        self
    }

    pub async fn json(self) -> Result<serde_json::Value, ApiError> {
        Ok(self.send().await?.body)
    }

    fn build(&self) -> reqwest::RequestBuilder {
        let inner = &self.client.inner;
        let mut rb = inner
            .http
            .request(self.method.clone(), &self.url)
            .timeout(inner.config.timeout);
        if !self.query.is_empty() {
            rb = rb.query(&self.query);
        }
        for (k, v) in &self.headers {
            rb = rb.header(k.as_str(), v.as_str());
        }
        if let Some(body) = &self.body {
            rb = rb.json(body);
        }
        rb
    }

    pub async fn send(self) -> Result<Response, ApiError> {
        let c = self.client;
        let (inner, platform) = (&c.inner, c.platform);
        let cfg = &inner.config;
        let name = platform.display_name();
        let breaker_key = format!("{}:{}", platform.as_str(), c.account);
        let cache_key = self.cached.then(|| {
            let url = self
                .build()
                .build()
                .map(|r| r.url().to_string())
                .unwrap_or_else(|_| self.url.clone());
            Cache::key(platform.as_str(), &url, &c.account)
        });
        if let Some(hit) = cache_key.as_deref().and_then(|k| inner.cache.get(k)) {
            return Ok(Response {
                headers: HeaderMap::new(),
                body: hit,
            });
        }

        let attempts = cfg.max_attempts.max(1);
        let mut last = Failure::Timeout;
        for attempt in 1..=attempts {
            if let Err(left) = inner.breakers.check(&breaker_key) {
                return Err(ApiError::unavailable(format!(
                    "{name} is failing; retrying after {}s",
                    left.as_secs_f64().ceil() as u64
                )));
            }
            inner
                .limits
                .acquire(platform, &c.account, self.bucket)
                .await;

            let mut wait = None; // a platform-given wait overrides the backoff
            match self.build().send().await {
                Err(e) => {
                    inner.breakers.failure(&breaker_key);
                    last = if e.is_timeout() {
                        Failure::Timeout
                    } else {
                        Failure::Connection(error_chain(&e))
                    };
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let headers = resp.headers().clone();
                    if let Some(v) = headers
                        .get("x-shopify-shop-api-call-limit")
                        .and_then(|v| v.to_str().ok())
                    {
                        inner.limits.note_call_limit(platform, &c.account, v);
                    }
                    let text = match resp.text().await {
                        Ok(t) => t,
                        Err(e) => {
                            inner.breakers.failure(&breaker_key);
                            last = if e.is_timeout() {
                                Failure::Timeout
                            } else {
                                Failure::Connection(error_chain(&e))
                            };
                            self.pause_before_retry(attempt, attempts, None).await;
                            continue;
                        }
                    };
                    match status {
                        200..=299 => {
                            inner.breakers.success(&breaker_key);
                            let body = if text.trim().is_empty() {
                                serde_json::Value::Null
                            } else {
                                serde_json::from_str(&text).map_err(|e| {
                                    ApiError::unavailable(format!(
                                        "{name} sent a response OmniFy could not read: {e}"
                                    ))
                                })?
                            };
                            if let Some(k) = cache_key {
                                inner.cache.put(k, body.clone());
                            }
                            return Ok(Response { headers, body });
                        }
                        401 | 403 => {
                            inner.breakers.neutral(&breaker_key);
                            return Err(with_status(
                                ApiError::bad_request(format!(
                                    "{name} refused the credentials: {}",
                                    platform_message(&text, status)
                                )),
                                platform,
                                status,
                            ));
                        }
                        429 => {
                            // Throttling says nothing about the platform's health.
                            inner.breakers.neutral(&breaker_key);
                            let after = headers
                                .get(RETRY_AFTER)
                                .and_then(|v| v.to_str().ok())
                                .and_then(retry::retry_after);
                            if let Some(d) = after {
                                if d > cfg.max_retry_after {
                                    return Err(rate_limited(platform, Some(d)));
                                }
                                inner.limits.pause(platform, &c.account, d);
                            }
                            last = Failure::RateLimited(after);
                            wait = after;
                        }
                        500..=599 => {
                            inner.breakers.failure(&breaker_key);
                            last = Failure::Server(status, platform_message(&text, status));
                        }
                        _ => {
                            inner.breakers.neutral(&breaker_key);
                            return Err(with_status(
                                ApiError::bad_request(format!(
                                    "{name} rejected the request (HTTP {status}): {}",
                                    platform_message(&text, status)
                                )),
                                platform,
                                status,
                            ));
                        }
                    }
                }
            }
            self.pause_before_retry(attempt, attempts, wait).await;
        }

        let n = attempts;
        Err(match last {
            Failure::Server(status, msg) => with_status(
                ApiError::unavailable(format!(
                    "{name} is unavailable (HTTP {status}) after {n} attempts: {msg}"
                )),
                platform,
                status,
            ),
            Failure::Timeout => ApiError::unavailable(format!(
                "{name} did not answer within {:.1}s ({n} attempts)",
                cfg.timeout.as_secs_f64()
            )),
            Failure::Connection(e) => {
                ApiError::unavailable(format!("{name} could not be reached ({n} attempts): {e}"))
            }
            Failure::RateLimited(after) => rate_limited(platform, after),
        })
    }

    async fn pause_before_retry(&self, attempt: u32, attempts: u32, wait: Option<Duration>) {
        if attempt >= attempts {
            return;
        }
        let cfg = &self.client.inner.config;
        let d = wait.unwrap_or_else(|| retry::backoff(attempt, cfg.backoff_base, cfg.backoff_max));
        if let Some(t) = wait {
            tracing::info!(
                platform = self.client.platform.as_str(),
                wait_ms = t.as_millis() as u64,
                "honouring Retry-After"
            );
        } else {
            tracing::warn!(
                platform = self.client.platform.as_str(),
                attempt,
                wait_ms = d.as_millis() as u64,
                "retrying"
            );
        }
        tokio::time::sleep(d).await;
    }
}

fn with_status(mut e: ApiError, platform: Platform, status: u16) -> ApiError {
    e.details = Some(serde_json::json!({ "platform": platform.as_str(), "status": status }));
    e
}

fn rate_limited(platform: Platform, after: Option<Duration>) -> ApiError {
    let secs = after.map(|d| d.as_secs_f64().ceil() as u64).unwrap_or(60);
    let mut e = ApiError::unavailable(format!(
        "{platform} is rate limiting OmniFy; retry after {secs}s"
    ));
    e.details = Some(
        serde_json::json!({ "platform": platform.as_str(), "status": 429, "retry_after_seconds": secs }),
    );
    e
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}

/// The platform's own reason from an error body: the shapes differ per platform (HubSpot and
/// Meta `message`/`error.message`, Klaviyo `errors[].detail`, Shopify `errors`, Stripe
/// `error.message`, OAuth `error_description`).
pub(crate) fn platform_message(body: &str, status: u16) -> String {
    let fallback = || {
        let t = body.trim();
        if t.is_empty() {
            format!("HTTP {status}")
        } else {
            t.chars().take(200).collect()
        }
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(body) else {
        return fallback();
    };
    let s = |v: &serde_json::Value| v.as_str().map(str::to_string);
    s(&v["message"])
        .or_else(|| s(&v["error"]["message"]))
        .or_else(|| s(&v["errors"][0]["detail"]))
        .or_else(|| s(&v["errors"][0]["message"]))
        .or_else(|| s(&v["error_description"]))
        .or_else(|| s(&v["errors"]))
        .or_else(|| s(&v["error"]))
        .or_else(|| s(&v["msg"]))
        .unwrap_or_else(fallback)
}
