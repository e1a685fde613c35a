//! The shared input of the performance engines (fatigue, budget, performance, market): one row of
//! the organization's daily ad performance, plus the date arithmetic and ratio helpers they share.
//!
//! Dates are handled by hand (days since 1970-01-01, proleptic Gregorian) because the engines must
//! compile for wasm32 without chrono; the conversion is the standard era-based civil calendar
//! arithmetic, a few integer operations each way.

use serde::{Deserialize, Serialize};

/// One day of one creative's delivery, as stored in `campaign_performance`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct DailyPerformance {
    pub platform: String,
    pub campaign_id: String,
    pub campaign_name: Option<String>,
    pub creative_id: String,
    pub creative_name: Option<String>,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub impressions: i64,
    pub clicks: i64,
    pub spend_cents: i64,
    pub conversions: i64,
    pub revenue_cents: i64,
    /// Unique people reached, when the platform reports it (frequency needs it).
    #[serde(default)]
    pub reach: Option<i64>,
}

/// Days since 1970-01-01 of a proleptic Gregorian date. `month` is 1–12, `day` 1–31.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Count years from March so the leap day is the last day of the (shifted) year.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400; // 0..=399
    let shifted_month = i64::from((month + 9) % 12); // March = 0 … February = 11
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1; // 0..=365
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    // 719_468 days separate 0000-03-01 (the start of era 0) from 1970-01-01.
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`]: `(year, month, day)` of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // 0..=146_096
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153; // March = 0
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Day number of a `YYYY-MM-DD` date (a trailing time such as `T10:00:00Z` is ignored).
/// `None` for anything that is not a real calendar date.
pub fn parse_day(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = match text.get(..10) {
        Some(d) if text.len() == 10 || matches!(text.as_bytes()[10], b'T' | b't' | b' ') => d,
        _ => return None,
    };
    let bytes = date.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let digits = |s: &str| -> Option<i64> {
        if s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let year = digits(&date[..4])?;
    let month = u32::try_from(digits(&date[5..7])?).ok()?;
    let day = u32::try_from(digits(&date[8..10])?).ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let n = days_from_civil(year, month, day);
    // Rejects 2023-02-30 and friends: a real date survives the round trip.
    (civil_from_days(n) == (year, month, day)).then_some(n)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday(days: i64) -> u32 {
    (days + 3).rem_euclid(7) as u32
}

/// The Monday that starts the ISO week containing `days`.
pub fn week_start(days: i64) -> i64 {
    days - i64::from(weekday(days))
}

/// `a / b`, or `None` when `b` is zero (or the result is not finite), so no NaN reaches output.
pub fn ratio(a: f64, b: f64) -> Option<f64> {
    if b == 0.0 {
        return None;
    }
    let r = a / b;
    r.is_finite().then_some(r)
}

/// Summed delivery of any group of rows, and the standard ratios on it. Ratios are `None` when
/// their denominator is zero, rather than 0 or NaN, so "no data" never reads as "bad".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Metrics {
    pub impressions: i64,
    pub clicks: i64,
    pub spend_cents: i64,
    pub conversions: i64,
    pub revenue_cents: i64,
    /// Clicks per impression (0.012 = 1.2%).
    pub ctr: Option<f64>,
    pub cpc_cents: Option<f64>,
    /// Spend per conversion.
    pub cpa_cents: Option<f64>,
    /// Conversions per click.
    pub conversion_rate: Option<f64>,
    /// Revenue per unit of spend.
    pub roas: Option<f64>,
}

impl Metrics {
    /// Adds one row's counts; call [`Metrics::finish`] afterwards to fill in the ratios.
    pub fn add(&mut self, row: &DailyPerformance) {
        self.impressions += row.impressions;
        self.clicks += row.clicks;
        self.spend_cents += row.spend_cents;
        self.conversions += row.conversions;
        self.revenue_cents += row.revenue_cents;
    }

    /// Adds another group's counts.
    pub fn merge(&mut self, other: &Metrics) {
        self.impressions += other.impressions;
        self.clicks += other.clicks;
        self.spend_cents += other.spend_cents;
        self.conversions += other.conversions;
        self.revenue_cents += other.revenue_cents;
    }

    /// Recomputes the ratios from the counts.
    pub fn finish(mut self) -> Self {
        let (imp, clk, spend, conv, rev) = (
            self.impressions as f64,
            self.clicks as f64,
            self.spend_cents as f64,
            self.conversions as f64,
            self.revenue_cents as f64,
        );
        self.ctr = ratio(clk, imp);
        self.cpc_cents = ratio(spend, clk);
        self.cpa_cents = ratio(spend, conv);
        self.conversion_rate = ratio(conv, clk);
        self.roas = ratio(rev, spend);
        self
    }

    /// The metrics of a set of rows.
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a DailyPerformance>) -> Self {
        let mut m = Metrics::default();
        for row in rows {
            m.add(row);
        }
        m.finish()
    }
}

/// `$1,234` / `$12.50` for an amount in cents: the engines' plain-English notes quote money.
pub fn money(cents: f64) -> String {
    let v = cents / 100.0;
    let sign = if v < 0.0 { "-" } else { "" };
    let v = v.abs();
    if v >= 1_000.0 {
        let whole = v.round() as i64;
        let digits = whole.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        format!("{sign}${out}")
    } else {
        format!("{sign}${v:.2}")
    }
}

/// `12.3%` for a fraction (0.123).
pub fn pct(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p.abs() >= 10.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// The display name of a campaign or creative: its name when known, else its id.
pub fn display_name(name: &Option<String>, id: &str) -> String {
    match name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => id.to_string(),
    }
}

#[cfg(test)]
pub(crate) mod test_rows {
    use super::DailyPerformance;

    /// A row with the given counts; names are derived from the ids.
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        platform: &str,
        campaign: &str,
        creative: &str,
        day: &str,
        impressions: i64,
        clicks: i64,
        spend_cents: i64,
        conversions: i64,
        revenue_cents: i64,
    ) -> DailyPerformance {
        DailyPerformance {
            platform: platform.into(),
            campaign_id: campaign.into(),
            campaign_name: Some(format!("Campaign {campaign}")),
            creative_id: creative.into(),
            creative_name: Some(format!("Creative {creative}")),
            day: day.into(),
            impressions,
            clicks,
            spend_cents,
            conversions,
            revenue_cents,
            reach: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(parse_day("2000-03-01"), Some(11_017));
        assert_eq!(parse_day("1969-12-31"), Some(-1));
        assert_eq!(format_day(19_723), "2024-01-01");
        assert_eq!(parse_day("2024-02-29"), Some(19_782));
        assert_eq!(parse_day("2024-01-15T10:30:00Z"), Some(19_737));
    }

    #[test]
    fn round_trip_over_four_centuries() {
        for n in -146_097..146_097 * 2 {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m, d), n);
        }
        let start = parse_day("1899-12-31").unwrap();
        for n in start..start + 1000 {
            assert_eq!(parse_day(&format_day(n)), Some(n));
        }
    }

    #[test]
    fn rejects_non_dates() {
        for bad in [
            "2023-02-29",
            "2023-13-01",
            "2023-00-10",
            "2023-1-1",
            "20230101",
            "",
            "abcd-ef-gh",
            "2023-04-31",
            "2023-01-01x",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn weekdays_and_week_starts() {
        assert_eq!(weekday(0), 3); // Thursday
        let monday = parse_day("2024-01-01").unwrap();
        assert_eq!(weekday(monday), 0);
        assert_eq!(week_start(parse_day("2024-01-07").unwrap()), monday);
        assert_eq!(week_start(monday), monday);
        assert_eq!(
            format_day(week_start(parse_day("2024-01-08").unwrap())),
            "2024-01-08"
        );
        assert_eq!(
            format_day(week_start(parse_day("1970-01-01").unwrap())),
            "1969-12-29"
        );
    }

    #[test]
    fn metrics_guard_zero_denominators() {
        let m = Metrics::default().finish();
        assert_eq!(
            (m.ctr, m.cpc_cents, m.cpa_cents, m.conversion_rate, m.roas),
            (None, None, None, None, None)
        );
        let r = test_rows::row("meta", "c", "a", "2024-01-01", 1000, 20, 5000, 2, 15000);
        let m = Metrics::of([&r, &r]);
        assert_eq!(m.clicks, 40);
        assert_eq!(m.ctr, Some(0.02));
        assert_eq!(m.cpc_cents, Some(250.0));
        assert_eq!(m.cpa_cents, Some(2500.0));
        assert_eq!(m.conversion_rate, Some(0.1));
        assert_eq!(m.roas, Some(3.0));
        assert_eq!(ratio(1.0, 0.0), None);
    }

    #[test]
    fn money_and_percent_text() {
        assert_eq!(money(1250.0), "$12.50");
        assert_eq!(money(123_456_789.0), "$1,234,568");
        assert_eq!(money(-500.0), "-$5.00");
        assert_eq!(pct(0.123), "12%");
        assert_eq!(pct(0.0123), "1.2%");
    }
}
