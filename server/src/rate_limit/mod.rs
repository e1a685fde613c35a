//! Per-minute request limits: auth endpoints per IP, AI and API calls per user.
//! Fixed one-minute windows, counted in process or, when several server processes run, in Redis.
//! Hand-written because the usual crate (tower_governor) is per-IP and in-process only.

mod memory;
mod redis_store;

use std::time::{SystemTime, UNIX_EPOCH};

pub use memory::MemoryStore;
pub use redis_store::RedisStore;

pub const WINDOW_SECONDS: u64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitKind {
    Auth,
    Ai,
    Api,
}

impl LimitKind {
    fn as_str(self) -> &'static str {
        match self {
            LimitKind::Auth => "auth",
            LimitKind::Ai => "ai",
            LimitKind::Api => "api",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    Allowed,
    /// Rejected; retry after this many seconds (when the window ends).
    Limited { retry_after: u64 },
}

pub enum Store {
    Memory(MemoryStore),
    Redis(RedisStore),
}

pub struct RateLimiter {
    store: Store,
    auth_per_minute: u32,
    ai_per_minute: u32,
    api_per_minute: u32,
}

impl RateLimiter {
    pub fn new(store: Store, auth_per_minute: u32, ai_per_minute: u32, api_per_minute: u32) -> Self {
        Self { store, auth_per_minute, ai_per_minute, api_per_minute }
    }

    pub fn limit(&self, kind: LimitKind) -> u32 {
        match kind {
            LimitKind::Auth => self.auth_per_minute,
            LimitKind::Ai => self.ai_per_minute,
            LimitKind::Api => self.api_per_minute,
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.store {
            Store::Memory(_) => "memory",
            Store::Redis(_) => "redis",
        }
    }

    /// Counts one request by `who` (an IP or a user id) against `kind`'s limit.
    pub async fn check(&self, kind: LimitKind, who: &str) -> Decision {
        let limit = self.limit(kind);
        if limit == 0 {
            return Decision::Allowed;
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs();
        let window = now / WINDOW_SECONDS;
        let key = format!("omnify:rl:{}:{}:{}", kind.as_str(), who, window);
        let count = match &self.store {
            Store::Memory(m) => m.increment(&key, window),
            Store::Redis(r) => match r.increment(&key).await {
                Ok(n) => n,
                Err(e) => {
                    // Fail open: an unreachable Redis must not take the whole API down with it.
                    tracing::error!(error = %e, "rate-limit store unreachable; allowing request");
                    return Decision::Allowed;
                }
            },
        };
        if count > u64::from(limit) {
            Decision::Limited { retry_after: (WINDOW_SECONDS - now % WINDOW_SECONDS).max(1) }
        } else {
            Decision::Allowed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn limits_per_key_and_zero_means_off() {
        let limiter = RateLimiter::new(Store::Memory(MemoryStore::default()), 3, 0, 5);
        for _ in 0..3 {
            assert_eq!(limiter.check(LimitKind::Auth, "1.2.3.4").await, Decision::Allowed);
        }
        let Decision::Limited { retry_after } = limiter.check(LimitKind::Auth, "1.2.3.4").await else {
            panic!("fourth request must be limited")
        };
        assert!((1..=60).contains(&retry_after));
        // Another caller has its own budget; a zero limit never limits.
        assert_eq!(limiter.check(LimitKind::Auth, "5.6.7.8").await, Decision::Allowed);
        for _ in 0..100 {
            assert_eq!(limiter.check(LimitKind::Ai, "u1").await, Decision::Allowed);
        }
    }
}
