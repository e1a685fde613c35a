//! Connectors against local fake servers (axum on 127.0.0.1:0) that replay each platform's
//! documented payloads and failures. `fake` is the server; `resilience` runs the same failure
//! drill (401, 429 + Retry-After, 500 then success, timeout, circuit breaker) on every platform.

mod ads;
mod commerce;
mod crm;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use super::{Credentials, ManagerConfig, Platform, PlatformManager, SyncCursor};
use crate::ingest::records::Record;
use crate::ErrorKind;

/// One request the fake received.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Seen {
    /// A decoded query parameter.
    pub fn param(&self, k: &str) -> Option<String> {
        url_params(&self.query)
            .into_iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v)
    }
    pub fn header(&self, k: &str) -> Option<String> {
        self.headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

fn url_params(q: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://x/?{q}"))
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

pub fn ok(body: impl ToString) -> Reply {
    Reply {
        status: 200,
        headers: vec![],
        body: body.to_string(),
        delay: Duration::ZERO,
    }
}

pub fn status(code: u16, body: impl ToString) -> Reply {
    Reply {
        status: code,
        ..ok(body)
    }
}

impl Reply {
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.into(), v.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

type Handler = Arc<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

pub struct Fake {
    pub url: String,
    pub log: Arc<Mutex<Vec<Seen>>>,
}

impl Fake {
    pub fn hits(&self) -> usize {
        self.log.lock().unwrap().len()
    }
    pub fn seen(&self) -> Vec<Seen> {
        self.log.lock().unwrap().clone()
    }
}

/// Starts a fake platform. The handler gets each request and its index (0-based); `{base}`
/// in a reply's body or headers becomes the fake's own URL (for next-page links).
pub async fn fake(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Fake {
    let handler: Handler = Arc::new(handler);
    let log: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (log2, base) = (log.clone(), url.clone());
    let app = axum::Router::new().fallback(move |req: Request| {
        let (handler, log, base) = (handler.clone(), log2.clone(), base.clone());
        async move {
            let (parts, body) = req.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let seen = Seen {
                method: parts.method.to_string(),
                path: parts.uri.path().to_string(),
                query: parts.uri.query().unwrap_or("").to_string(),
                headers: parts.headers,
                body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            };
            let n = {
                let mut log = log.lock().unwrap();
                log.push(seen.clone());
                log.len() - 1
            };
            let reply = handler(&seen, n);
            if !reply.delay.is_zero() {
                tokio::time::sleep(reply.delay).await;
            }
            let mut resp = Response::builder().status(StatusCode::from_u16(reply.status).unwrap());
            resp = resp.header("content-type", "application/json");
            for (k, v) in &reply.headers {
                resp = resp.header(k.as_str(), v.replace("{base}", &base));
            }
            resp.body(Body::from(reply.body.replace("{base}", &base)))
                .unwrap()
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Fake { url, log }
}

/// Tiny timeouts and backoffs so the whole suite stays fast.
pub fn config() -> ManagerConfig {
    ManagerConfig {
        timeout: Duration::from_millis(200),
        max_attempts: 3,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        breaker_threshold: 3,
        breaker_cooldown: Duration::from_secs(30),
        cache_ttl: Duration::from_secs(60),
        ..ManagerConfig::default()
    }
}

pub fn manager() -> PlatformManager {
    PlatformManager::new(config())
}

/// Credentials every connector accepts, pointed at the fake.
pub fn creds(base: &str) -> Credentials {
    Credentials::new("secret-token")
        .with_base_url(base)
        .with_extra(json!({
            "shop": "acme.myshopify.com",
            "customer_id": "123-456-7890",
            "developer_token": "dev-token",
            "ad_account_id": "555",
            "location_id": "loc1",
            "lookback_days": 2,
        }))
}

/// Runs a sync to completion; returns its records and the cursor for the next run.
pub async fn run(
    m: &PlatformManager,
    p: Platform,
    c: &Credentials,
    cursor: Option<SyncCursor>,
) -> (Vec<Record>, SyncCursor) {
    let mut cursor = cursor;
    let mut records = Vec::new();
    for _ in 0..50 {
        let page = m.sync_page(p, c, cursor.clone()).await.unwrap();
        records.extend(page.records);
        // What the sync service would store: it must survive a JSON round trip.
        let stored = serde_json::to_string(&page.next).unwrap();
        cursor = serde_json::from_str(&stored).unwrap();
        if page.done {
            return (records, cursor.unwrap());
        }
    }
    panic!("{p} never finished");
}

pub fn customers(records: &[Record]) -> Vec<&crate::ingest::records::CustomerRecord> {
    records
        .iter()
        .filter_map(|r| {
            if let Record::Customer(c) = r {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}
pub fn orders(records: &[Record]) -> Vec<&crate::ingest::records::OrderRecord> {
    records
        .iter()
        .filter_map(|r| {
            if let Record::Order(c) = r {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}
pub fn events(records: &[Record]) -> Vec<&crate::ingest::records::EventRecord> {
    records
        .iter()
        .filter_map(|r| {
            if let Record::Event(c) = r {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}
pub fn perf(records: &[Record]) -> Vec<&crate::ingest::records::PerformanceRecord> {
    records
        .iter()
        .filter_map(|r| {
            if let Record::Performance(c) = r {
                Some(c)
            } else {
                None
            }
        })
        .collect()
}

/// The failure drill, on the first request of a sync. `page` is a valid last page of the
/// platform's first resource; `refusal` its documented 401 body and the reason in it.
async fn resilience(p: Platform, page: &'static str, refusal: &'static str, reason: &str) {
    // 401: a clear error naming the platform and its reason, not retried.
    let f = fake(move |_, _| status(401, refusal)).await;
    let e = manager()
        .sync_page(p, &creds(&f.url), None)
        .await
        .unwrap_err();
    assert_eq!(e.error, ErrorKind::BadRequest, "{p}: {e:?}");
    assert_eq!(
        e.message,
        format!("{} refused the credentials: {reason}", p.display_name())
    );
    assert_eq!(f.hits(), 1, "{p}: a refusal is not retried");

    // 429 with Retry-After: 1 → waits about a second, then succeeds.
    let f = fake(move |_, n| {
        if n == 0 {
            status(429, "{}").header("retry-after", "1")
        } else {
            ok(page)
        }
    })
    .await;
    let start = Instant::now();
    manager().sync_page(p, &creds(&f.url), None).await.unwrap();
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(950) && waited < Duration::from_secs(3),
        "{p}: waited {waited:?}"
    );
    assert_eq!(f.hits(), 2);

    // 500, then success: retried.
    let f = fake(move |_, n| {
        if n == 0 {
            status(500, r#"{"message":"internal"}"#)
        } else {
            ok(page)
        }
    })
    .await;
    manager().sync_page(p, &creds(&f.url), None).await.unwrap();
    assert_eq!(f.hits(), 2, "{p}: one retry");

    // The server answers slower than the timeout: bounded retries, then a clear error.
    let f = fake(move |_, _| ok(page).delay(Duration::from_millis(600))).await;
    let start = Instant::now();
    let e = manager()
        .sync_page(p, &creds(&f.url), None)
        .await
        .unwrap_err();
    assert_eq!(e.error, ErrorKind::ServiceUnavailable);
    assert!(
        e.message
            .contains("did not answer within 0.2s (3 attempts)"),
        "{p}: {}",
        e.message
    );
    assert_eq!(f.hits(), 3);
    assert!(start.elapsed() < Duration::from_secs(2));

    // Keeps failing: the breaker opens and later calls fail fast without reaching it.
    let f = fake(move |_, _| status(503, r#"{"message":"down"}"#)).await;
    let m = manager();
    let c = creds(&f.url);
    let e = m.sync_page(p, &c, None).await.unwrap_err();
    assert!(
        e.message
            .contains("is unavailable (HTTP 503) after 3 attempts: down"),
        "{p}: {}",
        e.message
    );
    let e = m.sync_page(p, &c, None).await.unwrap_err();
    assert_eq!(e.error, ErrorKind::ServiceUnavailable);
    assert!(
        e.message
            .starts_with(&format!("{} is failing; retrying after ", p.display_name())),
        "{}",
        e.message
    );
    assert_eq!(f.hits(), 3, "{p}: an open circuit sends nothing");
    // Another account of the same platform has its own circuit.
    let other = Credentials {
        secret: "other".into(),
        ..c.clone()
    };
    assert!(m
        .sync_page(p, &other, None)
        .await
        .unwrap_err()
        .message
        .contains("HTTP 503"));
}

#[tokio::test]
async fn hubspot_resilience() {
    resilience(Platform::Hubspot, r#"{"results":[]}"#, r#"{"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}"#, "Authentication credentials not found.").await;
}
#[tokio::test]
async fn klaviyo_resilience() {
    resilience(Platform::Klaviyo, r#"{"data":[],"links":{"next":null}}"#, r#"{"errors":[{"id":"1","status":401,"code":"not_authenticated","title":"Authentication credentials were not provided.","detail":"Missing or invalid private key."}]}"#, "Missing or invalid private key.").await;
}
#[tokio::test]
async fn shopify_resilience() {
    resilience(Platform::Shopify, r#"{"customers":[]}"#, r#"{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}"#, "[API] Invalid API key or access token (unrecognized login or wrong password)").await;
}
#[tokio::test]
async fn stripe_resilience() {
    resilience(Platform::Stripe, r#"{"object":"list","data":[],"has_more":false}"#, r#"{"error":{"message":"Invalid API Key provided: sk_test_****1234","type":"invalid_request_error"}}"#, "Invalid API Key provided: sk_test_****1234").await;
}
#[tokio::test]
async fn gohighlevel_resilience() {
    resilience(
        Platform::Gohighlevel,
        r#"{"contacts":[],"total":0}"#,
        r#"{"statusCode":401,"message":"Invalid JWT"}"#,
        "Invalid JWT",
    )
    .await;
}
#[tokio::test]
async fn triplewhale_resilience() {
    resilience(
        Platform::Triplewhale,
        r#"{"metrics":[]}"#,
        r#"{"message":"Unauthorized: invalid api key"}"#,
        "Unauthorized: invalid api key",
    )
    .await;
}
#[tokio::test]
async fn meta_ads_resilience() {
    resilience(Platform::MetaAds, r#"{"data":[]}"#, r#"{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190}}"#, "Error validating access token: Session has expired").await;
}
#[tokio::test]
async fn google_ads_resilience() {
    resilience(Platform::GoogleAds, r#"{"results":[]}"#, r#"{"error":{"code":401,"message":"Request is missing required authentication credential.","status":"UNAUTHENTICATED"}}"#, "Request is missing required authentication credential.").await;
}
#[tokio::test]
async fn linkedin_ads_resilience() {
    resilience(Platform::LinkedinAds, r#"{"elements":[],"paging":{"start":0,"count":500}}"#, r#"{"status":401,"serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}"#, "Invalid access token").await;
}

#[tokio::test]
async fn the_breaker_half_opens_after_its_cool_down() {
    let f = fake(|_, n| {
        if n < 3 {
            status(502, "{}")
        } else {
            ok(r#"{"object":"list","data":[],"has_more":false}"#)
        }
    })
    .await;
    let m = PlatformManager::new(ManagerConfig {
        breaker_cooldown: Duration::from_millis(200),
        ..config()
    });
    let c = creds(&f.url);
    assert!(m.sync_page(Platform::Stripe, &c, None).await.is_err());
    assert!(m
        .sync_page(Platform::Stripe, &c, None)
        .await
        .unwrap_err()
        .message
        .contains("is failing"));
    tokio::time::sleep(Duration::from_millis(250)).await;
    m.sync_page(Platform::Stripe, &c, None).await.unwrap();
    assert_eq!(f.hits(), 4);
}

#[tokio::test]
async fn connection_tests_are_cached_per_credential_without_the_secret() {
    let f = fake(|_, _| ok(r#"{"id":"acct_1","settings":{"dashboard":{"display_name":"Acme"}},"default_currency":"usd"}"#)).await;
    let m = manager();
    let c = creds(&f.url);
    let a = m.test_connection(Platform::Stripe, &c).await.unwrap();
    assert_eq!(
        (
            a.account_id.as_str(),
            a.name.as_deref(),
            a.currency.as_deref()
        ),
        ("acct_1", Some("Acme"), Some("USD"))
    );
    assert_eq!(m.test_connection(Platform::Stripe, &c).await.unwrap(), a);
    assert_eq!(f.hits(), 1, "the second test is served from the cache");
    let other = Credentials {
        secret: "another-key".into(),
        ..c.clone()
    };
    m.test_connection(Platform::Stripe, &other).await.unwrap();
    assert_eq!(f.hits(), 2, "another credential is another cache entry");
    assert!(!c.fingerprint().contains("secret-token"));
    assert!(!format!("{c:?}").contains("secret-token"));
}

#[tokio::test]
async fn a_retry_after_date_is_honoured_and_a_long_one_fails_fast() {
    let f = fake(|_, n| {
        if n == 0 {
            let at = std::time::SystemTime::now() + Duration::from_secs(2);
            status(429, "{}").header("retry-after", &httpdate::fmt_http_date(at))
        } else {
            ok(r#"{"object":"list","data":[],"has_more":false}"#)
        }
    })
    .await;
    let start = Instant::now();
    manager()
        .sync_page(Platform::Stripe, &creds(&f.url), None)
        .await
        .unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    let f = fake(|_, _| status(429, "{}").header("retry-after", "3600")).await;
    let e = manager()
        .sync_page(Platform::Stripe, &creds(&f.url), None)
        .await
        .unwrap_err();
    assert_eq!(e.retry_after_seconds(), Some(3600));
    assert!(
        e.message.contains("Stripe is rate limiting OmniFy"),
        "{}",
        e.message
    );
    assert_eq!(f.hits(), 1);
}

#[tokio::test]
async fn other_client_errors_are_not_retried_and_carry_the_reason() {
    let f = fake(|_, _| status(400, r#"{"error":{"message":"Invalid integer: abc"}}"#)).await;
    let e = manager()
        .sync_page(Platform::Stripe, &creds(&f.url), None)
        .await
        .unwrap_err();
    assert_eq!(e.error, ErrorKind::BadRequest);
    assert_eq!(
        e.message,
        "Stripe rejected the request (HTTP 400): Invalid integer: abc"
    );
    assert_eq!(f.hits(), 1);
}

#[tokio::test]
async fn a_full_local_limiter_makes_calls_wait() {
    let f = fake(|_, _| ok(r#"{"object":"list","data":[],"has_more":false}"#)).await;
    let mut cfg = config();
    cfg.rate_overrides.insert(
        Platform::Stripe,
        vec![super::Rate {
            count: 2,
            per: Duration::from_millis(400),
        }],
    );
    let m = PlatformManager::new(cfg);
    let c = creds(&f.url);
    let start = Instant::now();
    for _ in 0..4 {
        m.sync_page(Platform::Stripe, &c, None).await.unwrap();
    }
    // 2 at once, then one per 200 ms
    assert!(
        start.elapsed() >= Duration::from_millis(380),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(f.hits(), 4);
}

#[test]
fn platforms_round_trip_their_ids() {
    for p in Platform::ALL {
        assert_eq!(Platform::parse(p.as_str()).unwrap(), p);
        assert!(p.default_base_url().starts_with("https://"));
    }
    assert_eq!(Platform::parse("Meta-Ads").unwrap(), Platform::MetaAds);
    assert_eq!(
        Platform::parse("myspace").unwrap_err().field.as_deref(),
        Some("platform")
    );
    assert_eq!(Platform::Stripe.auth_kind(), super::AuthKind::ApiKey);
    assert_eq!(
        Platform::GoogleAds.auth_kind(),
        super::AuthKind::AccessToken
    );
}
