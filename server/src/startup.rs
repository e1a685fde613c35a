//! Turns a `Config` into a running `AppState`: database (created and migrated), secrets,
//! rate-limit store, Leptos options.

use std::sync::Arc;
use std::time::Instant;

use leptos::config::{Env, LeptosOptions};
use omnify::db::Db;
use omnify::Core;

use crate::config::{Config, Environment};
use crate::metrics::Metrics;
use crate::rate_limit::{MemoryStore, RateLimiter, RedisStore, Store};
use crate::state::AppState;

pub async fn connect_database(config: &Config) -> Result<Db, String> {
    let url = config.database_url();
    let db = Db::connect(&url, config.database_max_connections)
        .await
        .map_err(|e| format!("cannot open the database {}: {e}", redact(&url)))?;
    db.migrate().await.map_err(|e| format!("database migration failed: {e}"))?;
    Ok(db)
}

pub async fn build_state(config: Config) -> Result<AppState, String> {
    let secret = config.resolve_jwt_secret()?;
    let encryption_key = config.resolve_encryption_key()?;
    let db = connect_database(&config).await?;
    let store = match &config.redis_url {
        Some(url) => Store::Redis(
            RedisStore::connect(url).await.map_err(|e| format!("cannot reach Redis at {}: {e}", redact(url)))?,
        ),
        None => Store::Memory(MemoryStore::default()),
    };
    let limiter = RateLimiter::new(store, config.rate_limit_auth, config.rate_limit_ai, config.rate_limit_api);
    let leptos_options = LeptosOptions::builder()
        .output_name("omnify")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .env(if config.env == Environment::Production { Env::PROD } else { Env::DEV })
        .build();
    let core = Core::new(db, config.core_settings(secret, &encryption_key));
    if config.run_jobs {
        // One worker per process; jobs are leased, so any number of processes can share them.
        let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        tokio::spawn(omnify::services::jobs::work(core.clone(), worker));
    }
    let interrupted = omnify::services::imports::fail_interrupted(&core).await.map_err(|e| e.message)?;
    if interrupted > 0 {
        tracing::warn!(interrupted, "imports interrupted by the last shutdown are marked failed (resumable)");
    }
    Ok(AppState {
        core,
        config: Arc::new(config),
        limiter: Arc::new(limiter),
        metrics: Arc::new(Metrics::new()),
        refreshes: Arc::default(),
        leptos_options,
        started_at: Instant::now(),
        shutdown: tokio_util::sync::CancellationToken::new(),
    })
}

/// Hides the password part of a connection URL in messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => format!("{}://***{}", &url[..scheme_end], &url[at..]),
        _ => url.to_string(),
    }
}
