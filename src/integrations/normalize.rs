//! Small conversions every connector needs: platform values into OmniFy's units (integer
//! cents, unix seconds, "YYYY-MM-DD", lower-case emails).

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;

use crate::ingest::records::CustomerRef;

/// A JSON string or number as text (ids are numbers on some platforms, strings on others).
pub(crate) fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub(crate) fn email(v: &Value) -> Option<String> {
    text(v)
        .map(|e| e.to_lowercase())
        .filter(|e| e.contains('@'))
}

/// A decimal amount in major units ("12.34", 12.34) to cents, exactly for strings.
pub(crate) fn cents(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|i| i * 100)
            .or_else(|| n.as_f64().map(|f| (f * 100.0).round() as i64)),
        Value::String(s) => decimal_cents(s.trim()),
        _ => None,
    }
}

fn decimal_cents(s: &str) -> Option<i64> {
    if s.is_empty() {
        return None;
    }
    let (neg, s) = s.strip_prefix('-').map(|r| (true, r)).unwrap_or((false, s));
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return s
            .parse::<f64>()
            .ok()
            .map(|f| (f * 100.0).round() as i64 * if neg { -1 } else { 1 });
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut f: String = frac.chars().take(3).collect();
    while f.len() < 3 {
        f.push('0');
    }
    let thousandths: i64 = f.parse().ok()?;
    let c = whole * 100 + (thousandths + 5) / 10; // half up on the third decimal
    Some(if neg { -c } else { c })
}

/// Millionths of a currency unit (Google Ads `costMicros`) to cents.
pub(crate) fn micros_to_cents(v: &Value) -> Option<i64> {
    let micros = int(v)?;
    Some((micros + 5_000) / 10_000)
}

/// An integer count given as a number or a string ("1200"); fractional conversions round.
pub(crate) fn int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f.round() as i64)),
        Value::String(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .or_else(|| s.trim().parse::<f64>().ok().map(|f| f.round() as i64)),
        _ => None,
    }
}

/// RFC 3339 / ISO 8601 text, unix seconds, or unix milliseconds (HubSpot) to unix seconds.
pub(crate) fn time(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .map(|t| if t > 100_000_000_000 { t / 1000 } else { t }),
        Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = DateTime::parse_from_rfc3339(s) {
                return Some(t.timestamp());
            }
            if let Ok(t) = s.parse::<i64>() {
                return time(&Value::from(t));
            }
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
                return Some(t.and_utc().timestamp());
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp())
        }
        _ => None,
    }
}

pub(crate) fn rfc3339(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub(crate) fn day(t: i64) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// "YYYY-MM-DD" to the unix seconds of its midnight (UTC).
pub(crate) fn day_start(d: &str) -> Option<i64> {
    NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp())
}

pub(crate) fn full_name(first: &Value, last: &Value) -> Option<String> {
    let n = [text(first), text(last)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!n.is_empty()).then_some(n)
}

/// A reference to a customer, or none when the platform gave neither an id nor an email.
pub(crate) fn who(
    platform: &str,
    id: Option<String>,
    email: Option<String>,
) -> Option<CustomerRef> {
    (id.is_some() || email.is_some()).then(|| CustomerRef {
        platform: platform.to_string(),
        external_id: id,
        email,
    })
}

/// The date window of an ad-report run: from the last completed run's day (re-read, its
/// numbers may have grown) or `lookback_days` ago, to the day the run started.
pub(crate) fn report_window(
    since_day: Option<i64>,
    run_started: i64,
    lookback_days: i64,
) -> (String, String) {
    let end = run_started;
    let start = since_day
        .unwrap_or(end - lookback_days.max(1) * 86_400)
        .min(end);
    (day(start), day(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_becomes_exact_cents() {
        assert_eq!(cents(&json!("12.34")), Some(1234));
        assert_eq!(cents(&json!("0.1")), Some(10));
        assert_eq!(cents(&json!("19.999")), Some(2000));
        assert_eq!(cents(&json!(12.5)), Some(1250));
        assert_eq!(cents(&json!(7)), Some(700));
        assert_eq!(cents(&json!("-3.50")), Some(-350));
        assert_eq!(cents(&json!("")), None);
        assert_eq!(micros_to_cents(&json!("1234567")), Some(123));
    }

    #[test]
    fn times_become_unix_seconds() {
        assert_eq!(time(&json!("2024-01-15T10:00:00Z")), Some(1_705_312_800));
        assert_eq!(
            time(&json!("2024-01-15T10:00:00.000Z")),
            Some(1_705_312_800)
        );
        assert_eq!(
            time(&json!("2024-01-15T05:00:00-05:00")),
            Some(1_705_312_800)
        );
        assert_eq!(time(&json!(1_705_312_800_000i64)), Some(1_705_312_800));
        assert_eq!(time(&json!("1705312800000")), Some(1_705_312_800));
        assert_eq!(time(&json!("2024-01-15")), Some(1_705_276_800));
        assert_eq!(day(1_705_312_800), "2024-01-15");
    }
}
