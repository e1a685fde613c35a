//! A small TTL cache of idempotent GET responses (account lookups, connection tests), so a
//! wizard that re-tests a connection does not spend the platform's rate limit. Keys are
//! SHA-256 digests of platform, URL and the credential fingerprint: no secret is kept.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

const MAX_ENTRIES: usize = 1024;

pub(crate) struct Cache {
    ttl: Duration,
    entries: Mutex<HashMap<String, (Instant, serde_json::Value)>>,
}

impl Cache {
    pub fn new(ttl: Duration) -> Self {
        Cache {
            ttl,
            entries: Mutex::new(HashMap::new()),
        }
    }

    pub fn key(platform: &str, url: &str, account: &str) -> String {
        let mut h = Sha256::new();
        for part in [platform, url, account] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }

    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        let entries = self.entries.lock().expect("cache lock");
        entries
            .get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub fn put(&self, key: String, value: serde_json::Value) {
        if self.ttl.is_zero() {
            return;
        }
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= MAX_ENTRIES {
            let ttl = self.ttl;
            entries.retain(|_, (at, _)| at.elapsed() < ttl);
            if entries.len() >= MAX_ENTRIES {
                entries.clear(); // all fresh: a cache this small is cheap to refill
            }
        }
        entries.insert(key, (Instant::now(), value));
    }
}
