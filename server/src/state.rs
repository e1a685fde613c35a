use std::sync::Arc;
use std::time::Instant;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use omnify::Core;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::middleware::session_refresh::RefreshCoalescer;
use crate::rate_limit::RateLimiter;

/// Everything a request handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub config: Arc<Config>,
    pub limiter: Arc<RateLimiter>,
    pub metrics: Arc<Metrics>,
    /// Browser session rotations in flight (see the session-refresh middleware).
    pub refreshes: Arc<RefreshCoalescer>,
    pub leptos_options: LeptosOptions,
    pub started_at: Instant,
    /// Cancelled when the server starts shutting down: long-lived responses (event streams)
    /// end on it, so graceful shutdown does not wait for them.
    pub shutdown: CancellationToken,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
