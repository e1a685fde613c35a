//! Client-side rate limits, one set of limiters per platform account and endpoint bucket,
//! following each platform's documented limits. A full limiter makes the caller wait (GCRA
//! via `governor`), never fail. On top, a per-account pause set by the platform itself
//! (`Retry-After`, Shopify's call-limit header) holds back every caller of that account.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use super::Platform;

/// `count` requests per `per`, with a burst of `count` (a bucket of that size refilling at
/// count/per).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
}

const fn rate(count: u32, secs: u64) -> Rate {
    Rate {
        count,
        per: Duration::from_secs(secs),
    }
}

/// The documented limits per platform and bucket (the connector names the bucket of each
/// endpoint it calls).
pub(crate) fn documented(platform: Platform, bucket: &str) -> Vec<Rate> {
    match (platform, bucket) {
        // HubSpot private apps (Pro/Enterprise): 190 / 10 s; the CRM search API: 5 / s.
        (Platform::Hubspot, "search") => vec![rate(5, 1)],
        (Platform::Hubspot, _) => vec![rate(190, 10)],
        // Klaviyo tiers: burst per second and steady per minute, per endpoint.
        (Platform::Klaviyo, "profiles") => vec![rate(75, 1), rate(700, 60)], // L
        (Platform::Klaviyo, "events") => vec![rate(350, 1), rate(3500, 60)], // XL
        (Platform::Klaviyo, _) => vec![rate(3, 1), rate(60, 60)],            // S (accounts)
        // Shopify REST: leaky bucket of 40 requests, leaking 2 / s.
        (Platform::Shopify, _) => vec![rate(40, 20)],
        // Stripe: 100 / s in live mode, 25 / s in test mode.
        (Platform::Stripe, "test") => vec![rate(25, 1)],
        (Platform::Stripe, _) => vec![rate(100, 1)],
        // GoHighLevel: 100 per 10 s burst and 200,000 per day, per location.
        (Platform::Gohighlevel, _) => vec![rate(100, 10), rate(200_000, 86_400)],
        // Graph API platform limit: 200 calls per user per hour.
        (Platform::MetaAds, _) => vec![rate(200, 3600)],
        // Google Ads publishes daily operation quotas, not a request rate: stay conservative.
        (Platform::GoogleAds, _) => vec![rate(10, 1)],
        // LinkedIn's limits are per app and shown only in its developer portal: conservative.
        (Platform::LinkedinAds, _) => vec![rate(100, 60)],
        // Triple Whale documents no rate: conservative.
        (Platform::Triplewhale, _) => vec![rate(60, 60)],
    }
}

struct Bucket {
    limiters: Vec<DefaultDirectRateLimiter>,
}

pub(crate) struct Limits {
    overrides: HashMap<Platform, Vec<Rate>>,
    buckets: Mutex<HashMap<(Platform, String, String), Arc<Bucket>>>,
    paused: Mutex<HashMap<(Platform, String), Instant>>,
}

fn quota(r: Rate) -> Quota {
    let count = NonZeroU32::new(r.count.max(1)).expect("non-zero");
    let period = (r.per / count.get()).max(Duration::from_nanos(1));
    Quota::with_period(period)
        .expect("non-zero period")
        .allow_burst(count)
}

impl Limits {
    pub fn new(overrides: HashMap<Platform, Vec<Rate>>) -> Self {
        Limits {
            overrides,
            buckets: Mutex::new(HashMap::new()),
            paused: Mutex::new(HashMap::new()),
        }
    }

    fn bucket(&self, platform: Platform, account: &str, bucket: &str) -> Arc<Bucket> {
        let mut buckets = self.buckets.lock().expect("limits lock");
        buckets
            .entry((platform, account.to_string(), bucket.to_string()))
            .or_insert_with(|| {
                let rates = self
                    .overrides
                    .get(&platform)
                    .cloned()
                    .unwrap_or_else(|| documented(platform, bucket));
                Arc::new(Bucket {
                    limiters: rates
                        .into_iter()
                        .map(|r| RateLimiter::direct(quota(r)))
                        .collect(),
                })
            })
            .clone()
    }

    /// Waits until the account may send one more request to `bucket`.
    pub async fn acquire(&self, platform: Platform, account: &str, bucket: &str) {
        loop {
            let until = self
                .paused
                .lock()
                .expect("limits lock")
                .get(&(platform, account.to_string()))
                .copied();
            match until {
                Some(t) if t > Instant::now() => tokio::time::sleep_until(t.into()).await,
                _ => break,
            }
        }
        let b = self.bucket(platform, account, bucket);
        for l in &b.limiters {
            l.until_ready().await;
        }
    }

    /// Holds back every request of the account for `d` (the platform asked us to).
    pub fn pause(&self, platform: Platform, account: &str, d: Duration) {
        let until = Instant::now() + d;
        let mut paused = self.paused.lock().expect("limits lock");
        let e = paused
            .entry((platform, account.to_string()))
            .or_insert(until);
        *e = (*e).max(until);
    }

    /// Shopify reports its bucket as `X-Shopify-Shop-Api-Call-Limit: used/size`; the shop's
    /// bucket is shared with other apps, so when it is nearly full wait for it to leak (2 / s)
    /// even if our own limiter has room.
    pub fn note_call_limit(&self, platform: Platform, account: &str, header: &str) {
        let Some((used, size)) = header.split_once('/') else {
            return;
        };
        let (Ok(used), Ok(size)) = (used.trim().parse::<u32>(), size.trim().parse::<u32>()) else {
            return;
        };
        let headroom = 4;
        if used + headroom > size {
            let over = used + headroom - size;
            self.pause(platform, account, Duration::from_millis(500) * over);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_limiter_waits_instead_of_failing() {
        let mut o = HashMap::new();
        o.insert(
            Platform::Stripe,
            vec![Rate {
                count: 2,
                per: Duration::from_millis(200),
            }],
        );
        let l = Limits::new(o);
        let start = Instant::now();
        for _ in 0..4 {
            l.acquire(Platform::Stripe, "a", "live").await;
        }
        // burst of 2, then one every 100 ms
        assert!(
            start.elapsed() >= Duration::from_millis(190),
            "{:?}",
            start.elapsed()
        );
        // other accounts have their own limiter
        let start = Instant::now();
        l.acquire(Platform::Stripe, "b", "live").await;
        assert!(start.elapsed() < Duration::from_millis(50));
    }

    #[tokio::test]
    async fn a_nearly_full_shopify_bucket_pauses_the_account() {
        let l = Limits::new(HashMap::new());
        l.note_call_limit(Platform::Shopify, "a", "38/40");
        let start = Instant::now();
        l.acquire(Platform::Shopify, "a", "rest").await;
        assert!(
            start.elapsed() >= Duration::from_millis(900),
            "{:?}",
            start.elapsed()
        );
        l.note_call_limit(Platform::Shopify, "b", "10/40");
        let start = Instant::now();
        l.acquire(Platform::Shopify, "b", "rest").await;
        assert!(start.elapsed() < Duration::from_millis(50));
    }

    #[test]
    fn every_platform_has_a_limit() {
        for p in Platform::ALL {
            assert!(!documented(p, "").is_empty());
        }
        assert_eq!(documented(Platform::Hubspot, "crm"), vec![rate(190, 10)]);
    }
}
