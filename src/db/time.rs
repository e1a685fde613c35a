//! Times are stored as unix seconds and shown as RFC 3339.

pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

pub fn rfc3339(unix_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Today's date in UTC, YYYY-MM-DD (the AI budget's day).
pub fn today() -> String {
    day_of(now())
}

/// The UTC date of a unix time, YYYY-MM-DD.
pub fn day_of(unix_seconds: i64) -> String {
    chrono::DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default().format("%Y-%m-%d").to_string()
}
