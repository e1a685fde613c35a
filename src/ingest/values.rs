//! Parsing of single cell values: times, money, counts, booleans, emails, tags.
//! Each parser returns the reason a user reads in the error report when the value is bad.

use chrono::{DateTime, NaiveDate, NaiveDateTime};

/// Accepts RFC 3339 (`2026-01-15T10:30:00Z`), `YYYY-MM-DD HH:MM:SS` (UTC), `YYYY-MM-DD`
/// (midnight UTC) and unix seconds (or milliseconds, told apart by size).
pub fn time(raw: &str) -> Result<i64, String> {
    let s = raw.trim();
    if let Ok(n) = s.parse::<i64>() {
        // Unix milliseconds pass 10^11 in 1973; seconds will not reach it for 3,000 years.
        return Ok(if n.abs() >= 100_000_000_000 { n / 1000 } else { n });
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.timestamp());
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(t.and_utc().timestamp());
        }
    }
    if let Ok(d) = day(s) {
        return Ok(d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default());
    }
    Err(format!("'{}' is not a date or time (use RFC 3339, YYYY-MM-DD or unix seconds)", clip(s)))
}

pub fn day(raw: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{}' is not a date (use YYYY-MM-DD)", clip(raw)))
}

/// A money amount such as `49.90`, `1,299.00` or `$12` → cents. At most two decimals; no
/// floating point on the way, so `0.29` is exactly 29.
pub fn money_cents(raw: &str) -> Result<i64, String> {
    let bad = || format!("'{}' is not an amount (e.g. 49.90)", clip(raw));
    let mut s: String = raw.trim().chars().filter(|c| *c != ',' && *c != '_' && *c != ' ').collect();
    if let Some(rest) = s.strip_prefix(['$', '€', '£']) {
        s = rest.to_string();
    }
    let negative = s.starts_with('-');
    let digits = s.trim_start_matches(['-', '+']);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && fraction.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 2
    {
        return Err(bad());
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let fraction: i64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<i64>().map_err(|_| bad())? * 10,
        _ => fraction.parse().map_err(|_| bad())?,
    };
    let cents = whole.checked_mul(100).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)?;
    Ok(if negative { -cents } else { cents })
}

/// A non-negative whole number (impressions, clicks, conversions). `12.0` is accepted.
pub fn count(raw: &str) -> Result<i64, String> {
    let s: String = raw.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    let s = s.strip_suffix(".0").unwrap_or(&s);
    match s.parse::<i64>() {
        Ok(n) if n >= 0 => Ok(n),
        _ => Err(format!("'{}' is not a whole number of 0 or more", clip(raw))),
    }
}

pub fn boolean(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "granted" | "opt_in" | "opted_in" | "subscribed" => Ok(true),
        "false" | "no" | "n" | "0" | "denied" | "opt_out" | "opted_out" | "unsubscribed" => Ok(false),
        _ => Err(format!("'{}' is not yes/no (use true or false)", clip(raw))),
    }
}

/// Lowercased and checked for a plausible shape (something@domain.tld, at most 254 characters).
pub fn email(raw: &str) -> Result<String, String> {
    let e = raw.trim().to_ascii_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !e.contains(char::is_whitespace);
    if ok {
        Ok(e)
    } else {
        Err(format!("'{}' is not an email address", clip(raw)))
    }
}

/// A three-letter currency code, uppercased.
pub fn currency(raw: &str) -> Result<String, String> {
    let c = raw.trim().to_ascii_uppercase();
    if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(c)
    } else {
        Err(format!("'{}' is not a currency code (e.g. USD)", clip(raw)))
    }
}

/// `vip; wholesale, b2b` → ["vip", "wholesale", "b2b"] (trimmed, empty ones dropped, no repeats).
pub fn tags(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in raw.split([',', ';', '|']).map(str::trim).filter(|t| !t.is_empty()) {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

/// Values quoted back in error messages are cut short so the report stays readable.
fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_accepted_form() {
        assert_eq!(time("2026-01-15T10:30:00Z"), Ok(1768473000));
        assert_eq!(time("2026-01-15T11:30:00+01:00"), Ok(1768473000));
        assert_eq!(time("2026-01-15 10:30:00"), Ok(1768473000));
        assert_eq!(time("2026-01-15"), Ok(1768435200));
        assert_eq!(time("1768473000"), Ok(1768473000));
        assert_eq!(time("1768473000000"), Ok(1768473000));
        assert!(time("15/01/2026").unwrap_err().contains("not a date"));
    }

    #[test]
    fn money_is_exact_cents() {
        assert_eq!(money_cents("49.90"), Ok(4990));
        assert_eq!(money_cents("0.29"), Ok(29));
        assert_eq!(money_cents("1,299.5"), Ok(129950));
        assert_eq!(money_cents("$12"), Ok(1200));
        assert_eq!(money_cents("-3.10"), Ok(-310));
        assert!(money_cents("12.345").is_err());
        assert!(money_cents("abc").is_err());
        assert!(money_cents("").is_err());
    }

    #[test]
    fn counts_booleans_emails_tags() {
        assert_eq!(count("1,200"), Ok(1200));
        assert_eq!(count("7.0"), Ok(7));
        assert!(count("-1").is_err());
        assert_eq!(boolean("Yes"), Ok(true));
        assert_eq!(boolean("unsubscribed"), Ok(false));
        assert!(boolean("maybe").is_err());
        assert_eq!(email(" Ann@Example.COM "), Ok("ann@example.com".into()));
        assert!(email("ann@localhost").is_err());
        assert!(email("not an email").is_err());
        assert_eq!(tags("vip; b2b,vip | "), vec!["vip", "b2b"]);
        assert_eq!(currency("eur"), Ok("EUR".into()));
        assert!(currency("euro").is_err());
    }
}
