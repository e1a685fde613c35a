//! Request metrics: Prometheus counters and histograms for /metrics, plus a rolling five-minute
//! window (one slot per second) for the requests-per-minute and p95 figures of the detailed
//! health check, which Prometheus histograms cannot answer in process.

use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry, TextEncoder};

const WINDOW_SECONDS: usize = 300;
/// Latency buckets from 0.1 ms up to ~54 minutes, each 2^(1/8) ≈ 9% wider than the last; p95 is
/// reported as its bucket's upper edge, so it overstates by under 9%.
const BUCKETS_PER_DOUBLING: usize = 8;
const LATENCY_BUCKETS: usize = 25 * BUCKETS_PER_DOUBLING;

#[derive(Clone, Copy)]
struct Slot {
    second: u64,
    count: u64,
    latency: [u32; LATENCY_BUCKETS],
}

impl Default for Slot {
    fn default() -> Self {
        Slot { second: 0, count: 0, latency: [0; LATENCY_BUCKETS] }
    }
}

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    durations: HistogramVec,
    window: Mutex<Vec<Slot>>,
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new("omnify_http_requests_total", "HTTP requests by method, route and status"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let durations = HistogramVec::new(
            HistogramOpts::new("omnify_http_request_duration_seconds", "HTTP request latency")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]),
            &["method", "route"],
        )
        .expect("valid metric");
        registry.register(Box::new(requests.clone())).expect("register once");
        registry.register(Box::new(durations.clone())).expect("register once");
        Self { registry, requests, durations, window: Mutex::new(vec![Slot::default(); WINDOW_SECONDS]) }
    }

    /// `route` is the matched route template, never the raw path, to bound label cardinality.
    pub fn observe(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.durations.with_label_values(&[method, route]).observe(elapsed.as_secs_f64());

        let second = now_seconds();
        let mut window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        let slot = &mut window[(second % WINDOW_SECONDS as u64) as usize];
        if slot.second != second {
            *slot = Slot { second, ..Slot::default() };
        }
        slot.count += 1;
        slot.latency[bucket_of(elapsed)] += 1;
    }

    /// (requests per minute averaged over the window, p95 latency in ms) for the last 5 minutes.
    pub fn recent(&self) -> (f64, Option<f64>) {
        let now = now_seconds();
        let window = self.window.lock().unwrap_or_else(|p| p.into_inner());
        let mut total = 0u64;
        let mut buckets = [0u64; LATENCY_BUCKETS];
        for slot in window.iter().filter(|s| s.count > 0 && now.saturating_sub(s.second) < WINDOW_SECONDS as u64) {
            total += slot.count;
            for (b, n) in buckets.iter_mut().zip(slot.latency) {
                *b += u64::from(n);
            }
        }
        let per_minute = total as f64 / (WINDOW_SECONDS as f64 / 60.0);
        if total == 0 {
            return (per_minute, None);
        }
        let rank = (total as f64 * 0.95).ceil() as u64;
        let mut seen = 0;
        for (i, n) in buckets.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return (per_minute, Some(bucket_upper_ms(i)));
            }
        }
        (per_minute, Some(bucket_upper_ms(LATENCY_BUCKETS - 1)))
    }

    pub fn render(&self) -> String {
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).ok();
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn now_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_secs()
}

fn bucket_upper_ms(i: usize) -> f64 {
    0.1 * 2f64.powf(i as f64 / BUCKETS_PER_DOUBLING as f64)
}

fn bucket_of(elapsed: Duration) -> usize {
    let ms = elapsed.as_secs_f64() * 1000.0;
    if ms <= 0.1 {
        return 0;
    }
    let i = ((ms / 0.1).log2() * BUCKETS_PER_DOUBLING as f64).ceil() as usize;
    // Rounding in log2 may put a value on an edge one bucket off; settle it exactly.
    let i = i.min(LATENCY_BUCKETS - 1);
    if i > 0 && ms <= bucket_upper_ms(i - 1) {
        i - 1
    } else if ms > bucket_upper_ms(i) && i + 1 < LATENCY_BUCKETS {
        i + 1
    } else {
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p95_reflects_the_slow_tail() {
        let m = Metrics::new();
        for _ in 0..90 {
            m.observe("GET", "/a", 200, Duration::from_micros(300));
        }
        for _ in 0..10 {
            m.observe("GET", "/a", 200, Duration::from_millis(40));
        }
        let (per_minute, p95) = m.recent();
        assert!((per_minute - 20.0).abs() < 1e-9, "100 requests over 5 minutes is 20/min");
        let p95 = p95.unwrap();
        assert!((40.0..=40.0 * 1.091).contains(&p95), "p95 {p95} must be 40 ms to within a bucket");
        assert!(m.render().contains("omnify_http_requests_total{method=\"GET\",route=\"/a\",status=\"200\"} 100"));
    }

    #[test]
    fn every_latency_lands_in_the_bucket_that_holds_it() {
        for micros in [1, 100, 101, 250, 999, 1_000, 12_345, 40_000, 2_000_000] {
            let d = Duration::from_micros(micros);
            let (i, ms) = (bucket_of(d), micros as f64 / 1000.0);
            assert!(ms <= bucket_upper_ms(i), "{micros} µs above bucket {i}");
            assert!(i == 0 || ms > bucket_upper_ms(i - 1), "{micros} µs belongs below bucket {i}");
        }
        assert_eq!(bucket_of(Duration::from_secs(10_000)), LATENCY_BUCKETS - 1);
    }
}
