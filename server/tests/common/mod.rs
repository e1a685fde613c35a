//! A real OmniFy server on an ephemeral port, on SQLite (a temp file) or PostgreSQL (a throwaway
//! database), and a small JSON client for it.
#![allow(dead_code)]

pub mod fake_openai;

use std::net::SocketAddr;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use server::config::Config;

pub const PASSWORD: &str = "correct-horse-battery";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestServer {
    pub base: String,
    /// The database this server uses (another server can be started on it).
    pub database_url: String,
    pub client: reqwest::Client,
    /// Its data folder and, unless `tweak` pointed it elsewhere, its database.
    _storage: EmptyDatabase,
}

/// Runs `$body` once per backend: `sqlite::$name` and `postgres::$name`.
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($srv:ident) $body:block)*) => {
        mod sqlite {
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   let $srv = common::TestServer::start(common::Backend::Sqlite, |_| {}).await.unwrap();
                   $body
               } )*
        }
        mod postgres {
            use super::*;
            $( #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
               async fn $name() {
                   let Some($srv) = common::TestServer::start(common::Backend::Postgres, |_| {}).await else { return };
                   $body
               } )*
        }
    };
}

pub fn postgres_admin_url() -> String {
    std::env::var("OMNIFY_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn redis_url() -> String {
    std::env::var("OMNIFY_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Under CI a missing service is a failure; elsewhere the test says why it skipped.
pub fn unavailable<T>(what: &str, err: impl std::fmt::Display) -> Option<T> {
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("{what} is required under CI=true but is unavailable: {err}");
    }
    eprintln!("SKIPPED: {what} unavailable ({err}); set it up to run this test");
    None
}

impl TestServer {
    /// Starts a server with test defaults (rate limits off); `tweak` adjusts the config.
    /// Returns None only when PostgreSQL is unavailable outside CI.
    pub async fn start(backend: Backend, tweak: impl FnOnce(&mut Config)) -> Option<TestServer> {
        let storage = EmptyDatabase::create(backend).await?;
        let mut config = Config {
            data_dir: storage.dir.path().to_path_buf(),
            database_url: Some(storage.url.clone()),
            database_max_connections: 5,
            jwt_secret: Some("integration-test-secret-0123456789abcdef".into()),
            // Shared by every test server, so servers on one database can open each other's secrets.
            encryption_key: Some("integration-test-encryption-key-0123456789".into()),
            rate_limit_auth: 0,
            rate_limit_ai: 0,
            rate_limit_api: 0,
            site_root: storage.dir.path().display().to_string(),
            ..Config::default()
        };
        tweak(&mut config);
        let database_url = config.database_url.clone().unwrap_or_default();
        let state = server::startup::build_state(config).await.expect("server state");
        let app = server::router::build(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
        });
        Some(TestServer {
            base: format!("http://{addr}"),
            database_url,
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            _storage: storage,
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends JSON (or nothing) with an optional bearer token; returns status, headers and body.
    pub async fn call(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, headers, body }
    }

    /// Posts a raw body (a file upload) with the given Content-Type.
    pub async fn upload(&self, path: &str, token: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Reply {
        let resp = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply { status, headers, body }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Reply {
        self.call(Method::POST, path, token, Some(body)).await
    }
    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }
    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Polls a background job until it is no longer queued or running; returns the job.
    pub async fn wait_for_job(&self, token: &str, job_id: &str, within: std::time::Duration) -> Value {
        let deadline = std::time::Instant::now() + within;
        loop {
            let job = self.get(&format!("/api/jobs/{job_id}"), token).await;
            assert_eq!(job.status, StatusCode::OK, "{}", job.body);
            match job.body["status"].as_str().unwrap() {
                "queued" | "running" if std::time::Instant::now() < deadline => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
                "queued" | "running" => panic!("job {job_id} did not finish within {within:?}: {}", job.body),
                _ => return job.body,
            }
        }
    }

    /// Signs up a new organization; returns its owner's session.
    pub async fn register(&self, email: &str, org: &str) -> Session {
        let r = self
            .post(
                "/api/auth/register",
                None,
                json!({ "email": email, "password": PASSWORD, "full_name": "Test Owner", "organization_name": org }),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "register failed: {}", r.body);
        Session::from(&r.body)
    }

    /// Invites `email` with `role` as `inviter` and accepts; returns the new member's session.
    pub async fn add_member(&self, inviter: &Session, email: &str, role: &str) -> Session {
        let inv = self.post("/api/auth/invitations", Some(&inviter.access), json!({ "email": email, "role": role })).await;
        assert_eq!(inv.status, StatusCode::CREATED, "invite failed: {}", inv.body);
        let acc = self
            .post(
                "/api/auth/invitations/accept",
                None,
                json!({ "token": inv.body["token"], "password": PASSWORD, "full_name": "Team Mate" }),
            )
            .await;
        assert_eq!(acc.status, StatusCode::OK, "accept failed: {}", acc.body);
        Session::from(&acc.body)
    }
}

/// Best effort, on a fresh runtime because the test's runtime is shutting down.
fn drop_pg_database(admin: String, name: String) {
    std::thread::spawn(move || {
        if let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() {
            rt.block_on(async {
                use sqlx::Executor;
                if let Ok(pool) = sqlx::PgPool::connect(&admin).await {
                    let _ = pool.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                }
            });
        }
    })
    .join()
    .ok();
}

/// An empty database for one test, in a temp dir that also serves as a server's data folder: a
/// SQLite file there, or a throwaway PostgreSQL database; dropped (PostgreSQL) or deleted
/// (SQLite) with it.
pub struct EmptyDatabase {
    pub url: String,
    dir: tempfile::TempDir,
    pg_cleanup: Option<(String, String)>,
}

impl EmptyDatabase {
    /// None only when PostgreSQL is unavailable outside CI.
    pub async fn create(backend: Backend) -> Option<EmptyDatabase> {
        let dir = tempfile::tempdir().expect("temp dir");
        match backend {
            Backend::Sqlite => {
                let url = format!("sqlite://{}/omnify.db", dir.path().display());
                Some(EmptyDatabase { url, dir, pg_cleanup: None })
            }
            Backend::Postgres => {
                let admin = postgres_admin_url();
                let name = format!("omnify_test_{}", uuid::Uuid::new_v4().simple());
                if let Err(e) = create_pg_database(&admin, &name).await {
                    return unavailable("PostgreSQL", e);
                }
                let url = replace_db_name(&admin, &name);
                Some(EmptyDatabase { url, dir, pg_cleanup: Some((admin, name)) })
            }
        }
    }
}

impl Drop for EmptyDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_cleanup.take() {
            drop_pg_database(admin, name);
        }
    }
}

async fn create_pg_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(admin_url)
        .await?;
    pool.execute(format!("CREATE DATABASE {name}").as_str()).await?;
    pool.close().await;
    Ok(())
}

fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map(|(b, q)| (b, Some(q))).unwrap_or((url, None));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    /// Asserts the one error shape and returns the error code.
    pub fn error_code(&self) -> &str {
        for key in ["error", "message", "field", "details", "request_id", "timestamp"] {
            assert!(self.body.get(key).is_some(), "error body lacks `{key}`: {}", self.body);
        }
        assert_eq!(
            self.body["request_id"].as_str(),
            self.headers.get("x-request-id").and_then(|v| v.to_str().ok()),
            "error body and header carry the same request id"
        );
        self.body["error"].as_str().unwrap()
    }
}

#[derive(Clone, Debug)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
    pub org_id: String,
}

impl From<&Value> for Session {
    fn from(v: &Value) -> Self {
        Session {
            access: v["access_token"].as_str().expect("access_token").to_string(),
            refresh: v["refresh_token"].as_str().expect("refresh_token").to_string(),
            user_id: v["user"]["user_id"].as_str().unwrap().to_string(),
            org_id: v["organization"]["organization_id"].as_str().unwrap().to_string(),
        }
    }
}

pub fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@example.com", &uuid::Uuid::new_v4().simple().to_string()[..12])
}

/// Rate-limit windows are whole minutes; a test that counts requests waits out the last few
/// seconds of a window so that its requests all fall in one.
pub async fn away_from_window_edge() {
    let second = chrono::Utc::now().timestamp() % 60;
    if second >= 55 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
}
