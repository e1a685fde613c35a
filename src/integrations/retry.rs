//! Retry timing: exponential backoff with full jitter, and the platform's `Retry-After`.

use std::time::{Duration, SystemTime};

use rand::Rng;

/// Full jitter (a uniform wait in [0, min(max, base·2^(attempt-1))]): spreads retries of many
/// workers so they do not hit a recovering platform in lockstep. `attempt` counts from 1.
pub(crate) fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
    let cap = exp.min(max);
    if cap.is_zero() {
        return cap;
    }
    Duration::from_micros(rand::thread_rng().gen_range(0..=cap.as_micros() as u64))
}

/// `Retry-After` is either delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after("2"), Some(Duration::from_secs(2)));
        let later = SystemTime::now() + Duration::from_secs(30);
        let d = retry_after(&httpdate::fmt_http_date(later)).unwrap();
        assert!(
            d > Duration::from_secs(27) && d <= Duration::from_secs(30),
            "{d:?}"
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_is_bounded_by_the_exponential_cap() {
        for attempt in 1..8 {
            let d = backoff(attempt, Duration::from_millis(100), Duration::from_secs(1));
            assert!(
                d <= Duration::from_millis(100 * (1 << (attempt - 1))).min(Duration::from_secs(1))
            );
        }
    }
}
