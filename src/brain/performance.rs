//! MEMORY: what worked. Totals, the best and worst creatives and campaigns by return on ad
//! spend, a per-platform breakdown, a weekly trend and plain-English insights.
//!
//! Rankings use ROAS (revenue ÷ spend) because it is the one ratio that says whether spend paid
//! for itself. Entities with less than 1% of total spend are left out of the rankings: a creative
//! that spent $3 and made one $90 sale has a 30× ROAS that means nothing. Every entity still
//! counts in the totals, platforms and weeks. Each ranked entity appears in at most one of the
//! best / worst lists: with few entities the best list takes the better half.
//!
//! Weeks are ISO weeks (starting Monday), listed without gaps from the first to the last week so
//! a chart's x-axis is even; the first and last weeks may be partial (`days` says how many days
//! had data), which ratios such as ROAS and CTR tolerate.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::daily::{
    display_name, format_day, money, parse_day, pct, ratio, week_start, DailyPerformance, Metrics,
};

/// Entities below this share of total spend are not ranked.
pub const MIN_SPEND_SHARE: f64 = 0.01;
/// Relative changes smaller than this are reported as "steady".
const STEADY_CHANGE: f64 = 0.05;

/// A creative or campaign with its delivery and standing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct EntityPerformance {
    pub platform: String,
    pub campaign_id: String,
    pub campaign_name: Option<String>,
    /// `None` for campaigns.
    pub creative_id: Option<String>,
    pub creative_name: Option<String>,
    /// Display name: the creative's (or campaign's) name, else its id.
    pub name: String,
    pub metrics: Metrics,
    /// Fraction of the organization's total spend.
    pub spend_share: f64,
    /// This ROAS ÷ the overall ROAS (2.0 = twice the average).
    pub roas_vs_average: Option<f64>,
}

/// One platform's totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PlatformPerformance {
    pub platform: String,
    pub metrics: Metrics,
    pub spend_share: f64,
    pub revenue_share: f64,
}

/// One ISO week (Monday start) of the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct WeeklyPoint {
    /// The Monday, `YYYY-MM-DD`.
    pub week_start: String,
    /// Days of the week with data (0 for a gap week).
    pub days: usize,
    pub spend_cents: i64,
    pub revenue_cents: i64,
    pub conversions: i64,
    pub impressions: i64,
    pub clicks: i64,
    pub roas: Option<f64>,
    pub ctr: Option<f64>,
}

/// The organization's performance at a glance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PerformanceSummary {
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    /// Distinct days with data.
    pub days: usize,
    pub totals: Metrics,
    pub top_creatives: Vec<EntityPerformance>,
    pub worst_creatives: Vec<EntityPerformance>,
    pub top_campaigns: Vec<EntityPerformance>,
    pub worst_campaigns: Vec<EntityPerformance>,
    /// Highest spend first.
    pub platforms: Vec<PlatformPerformance>,
    pub weekly: Vec<WeeklyPoint>,
    pub insights: Vec<String>,
}

/// Summarises `rows` (any order); lists hold at most `top_n` entries. Rows with an unreadable
/// day are ignored.
pub fn summarize(rows: &[DailyPerformance], top_n: usize) -> PerformanceSummary {
    let mut totals = Metrics::default();
    let mut creatives: BTreeMap<(&str, &str, &str), Acc> = BTreeMap::new();
    let mut campaigns: BTreeMap<(&str, &str), Acc> = BTreeMap::new();
    let mut platforms: BTreeMap<&str, Metrics> = BTreeMap::new();
    let mut weeks: BTreeMap<i64, (Metrics, BTreeSet<i64>)> = BTreeMap::new();
    let mut days: BTreeSet<i64> = BTreeSet::new();
    for row in rows {
        let Some(day) = parse_day(&row.day) else {
            continue;
        };
        totals.add(row);
        days.insert(day);
        creatives
            .entry((&row.platform, &row.campaign_id, &row.creative_id))
            .or_default()
            .add(day, row, true);
        campaigns
            .entry((&row.platform, &row.campaign_id))
            .or_default()
            .add(day, row, false);
        platforms.entry(&row.platform).or_default().add(row);
        let week = weeks.entry(week_start(day)).or_default();
        week.0.add(row);
        week.1.insert(day);
    }
    let totals = totals.finish();
    let total_spend = totals.spend_cents as f64;
    let total_revenue = totals.revenue_cents as f64;

    let entity = |platform: &str, campaign_id: &str, creative_id: Option<&str>, acc: Acc| {
        let metrics = acc.metrics.finish();
        let campaign_name = acc.campaign_name.map(|(_, n)| n);
        let creative_name = acc.creative_name.map(|(_, n)| n);
        let name = match creative_id {
            Some(id) => display_name(&creative_name, id),
            None => display_name(&campaign_name, campaign_id),
        };
        EntityPerformance {
            platform: platform.to_string(),
            campaign_id: campaign_id.to_string(),
            campaign_name,
            creative_id: creative_id.map(str::to_string),
            creative_name,
            name,
            spend_share: ratio(metrics.spend_cents as f64, total_spend).unwrap_or(0.0),
            roas_vs_average: metrics
                .roas
                .zip(totals.roas)
                .and_then(|(r, avg)| ratio(r, avg)),
            metrics,
        }
    };
    let creatives: Vec<EntityPerformance> = creatives
        .into_iter()
        .map(|((p, c, cr), acc)| entity(p, c, Some(cr), acc))
        .collect();
    let campaigns: Vec<EntityPerformance> = campaigns
        .into_iter()
        .map(|((p, c), acc)| entity(p, c, None, acc))
        .collect();
    let (top_creatives, worst_creatives) = rank(&creatives, top_n);
    let (top_campaigns, worst_campaigns) = rank(&campaigns, top_n);

    let mut platforms: Vec<PlatformPerformance> = platforms
        .into_iter()
        .map(|(platform, m)| {
            let metrics = m.finish();
            PlatformPerformance {
                platform: platform.to_string(),
                spend_share: ratio(metrics.spend_cents as f64, total_spend).unwrap_or(0.0),
                revenue_share: ratio(metrics.revenue_cents as f64, total_revenue).unwrap_or(0.0),
                metrics,
            }
        })
        .collect();
    platforms.sort_by(|a, b| {
        b.metrics
            .spend_cents
            .cmp(&a.metrics.spend_cents)
            .then(a.platform.cmp(&b.platform))
    });

    let mut weekly = Vec::new();
    if let (Some(&first), Some(&last)) = (weeks.keys().next(), weeks.keys().next_back()) {
        let mut w = first;
        while w <= last {
            let (m, d) = weeks.remove(&w).unwrap_or_default();
            let m = m.finish();
            weekly.push(WeeklyPoint {
                week_start: format_day(w),
                days: d.len(),
                spend_cents: m.spend_cents,
                revenue_cents: m.revenue_cents,
                conversions: m.conversions,
                impressions: m.impressions,
                clicks: m.clicks,
                roas: m.roas,
                ctr: m.ctr,
            });
            w += 7;
        }
    }

    let mut summary = PerformanceSummary {
        first_day: days.first().map(|d| format_day(*d)),
        last_day: days.last().map(|d| format_day(*d)),
        days: days.len(),
        totals,
        top_creatives,
        worst_creatives,
        top_campaigns,
        worst_campaigns,
        platforms,
        weekly,
        insights: Vec::new(),
    };
    summary.insights = insights(&summary, &creatives);
    summary
}

/// Per-entity accumulator; names are kept as of the latest day that carried one.
#[derive(Default)]
struct Acc {
    metrics: Metrics,
    campaign_name: Option<(i64, String)>,
    creative_name: Option<(i64, String)>,
}

impl Acc {
    fn add(&mut self, day: i64, row: &DailyPerformance, creative: bool) {
        self.metrics.add(row);
        keep_latest(&mut self.campaign_name, day, &row.campaign_name);
        if creative {
            keep_latest(&mut self.creative_name, day, &row.creative_name);
        }
    }
}

fn keep_latest(slot: &mut Option<(i64, String)>, day: i64, name: &Option<String>) {
    if let Some(n) = name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        if slot.as_ref().is_none_or(|(d, _)| day >= *d) {
            *slot = Some((day, n.to_string()));
        }
    }
}

/// Best and worst by ROAS among entities with ≥ 1% of spend; disjoint lists.
fn rank(
    entities: &[EntityPerformance],
    top_n: usize,
) -> (Vec<EntityPerformance>, Vec<EntityPerformance>) {
    let mut eligible: Vec<&EntityPerformance> = entities
        .iter()
        .filter(|e| {
            e.metrics.spend_cents > 0
                && e.metrics.roas.is_some()
                && e.spend_share >= MIN_SPEND_SHARE
        })
        .collect();
    eligible.sort_by(|a, b| {
        let roas = |e: &EntityPerformance| e.metrics.roas.unwrap_or(0.0);
        roas(b)
            .total_cmp(&roas(a))
            .then(b.metrics.spend_cents.cmp(&a.metrics.spend_cents))
            .then(a.name.cmp(&b.name))
    });
    let n = eligible.len();
    let top_count = top_n.min(n.div_ceil(2));
    let worst_count = top_n.min(n - top_count);
    let top = eligible[..top_count].iter().map(|e| (*e).clone()).collect();
    let worst = eligible[n - worst_count..]
        .iter()
        .rev()
        .map(|e| (*e).clone())
        .collect();
    (top, worst)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Aggregate of a run of weeks.
fn weeks_metrics(weeks: &[WeeklyPoint]) -> Metrics {
    let mut m = Metrics::default();
    for w in weeks {
        m.merge(&Metrics {
            impressions: w.impressions,
            clicks: w.clicks,
            spend_cents: w.spend_cents,
            conversions: w.conversions,
            revenue_cents: w.revenue_cents,
            ..Metrics::default()
        });
    }
    m.finish()
}

fn change_text(
    metric: &str,
    span: &str,
    before: f64,
    after: f64,
    fmt: impl Fn(f64) -> String,
) -> Option<String> {
    let change = ratio(after - before, before)?;
    Some(if change.abs() < STEADY_CHANGE {
        format!("{metric} held steady over {span} ({}).", fmt(after))
    } else {
        format!(
            "{metric} {} {:.0}% over {span} ({} → {}, compared with the period before).",
            if change > 0.0 { "rose" } else { "fell" },
            change.abs() * 100.0,
            fmt(before),
            fmt(after)
        )
    })
}

fn insights(s: &PerformanceSummary, creatives: &[EntityPerformance]) -> Vec<String> {
    let t = &s.totals;
    if s.days == 0 {
        return vec![
            "No performance data yet: connect an ad platform or upload a performance file.".into(),
        ];
    }
    let roas_text = |r: f64| format!("{r:.2}×");
    let mut out = Vec::new();

    // 1. The headline.
    let mut headline = format!(
        "Over {} you spent {} and earned {} in revenue",
        plural(s.days, "day"),
        money(t.spend_cents as f64),
        money(t.revenue_cents as f64)
    );
    if let Some(r) = t.roas {
        headline.push_str(&format!(": {} revenue per dollar", roas_text(r)));
    }
    let mut extras = Vec::new();
    if let Some(ctr) = t.ctr {
        extras.push(format!("CTR {}", pct(ctr)));
    }
    if let Some(cpa) = t.cpa_cents {
        extras.push(format!("{} per conversion", money(cpa)));
    }
    if !extras.is_empty() {
        headline.push_str(&format!(" ({})", extras.join(", ")));
    }
    headline.push('.');
    out.push(headline);

    // 2. Trend: the last k weeks against the k weeks before (k ≤ 4).
    let k = (s.weekly.len() / 2).min(4);
    if k >= 1 {
        let n = s.weekly.len();
        let recent = weeks_metrics(&s.weekly[n - k..]);
        let before = weeks_metrics(&s.weekly[n - 2 * k..n - k]);
        let span = if k == 1 {
            "the last week".to_string()
        } else {
            format!("the last {k} weeks")
        };
        if let (Some(b), Some(a)) = (before.roas, recent.roas) {
            out.extend(change_text("ROAS", &span, b, a, roas_text));
        }
        if let (Some(b), Some(a)) = (before.ctr, recent.ctr) {
            if ratio(a - b, b).is_some_and(|c| c.abs() >= 0.10) {
                out.extend(change_text("CTR", &span, b, a, pct));
            }
        }
    }

    // 3. Standouts.
    if let Some(best) = s.top_creatives.first() {
        if let (Some(r), Some(vs)) = (best.metrics.roas, best.roas_vs_average) {
            if vs >= 1.2 {
                out.push(format!(
                    "Creative \"{}\" returns {} revenue per dollar, {vs:.1}× the average.",
                    best.name,
                    roas_text(r)
                ));
            }
        }
    }
    if let Some(worst) = s.worst_campaigns.first() {
        if let Some(r) = worst.metrics.roas.filter(|r| *r < 1.0) {
            out.push(format!(
                "Campaign \"{}\" took {} of spend at {} revenue per dollar: it does not pay for its ads.",
                worst.name,
                pct(worst.spend_share),
                roas_text(r)
            ));
        }
    }

    // 4. Platforms.
    let ranked: Vec<&PlatformPerformance> = {
        let mut p: Vec<_> = s
            .platforms
            .iter()
            .filter(|p| p.metrics.roas.is_some())
            .collect();
        p.sort_by(|a, b| {
            b.metrics
                .roas
                .unwrap_or(0.0)
                .total_cmp(&a.metrics.roas.unwrap_or(0.0))
        });
        p
    };
    if let (Some(best), Some(worst)) = (ranked.first(), ranked.last()) {
        if ranked.len() >= 2 {
            out.push(format!(
                "{} returns the most per dollar ({} on {} of spend); {} the least ({} on {}).",
                best.platform,
                roas_text(best.metrics.roas.unwrap_or(0.0)),
                pct(best.spend_share),
                worst.platform,
                roas_text(worst.metrics.roas.unwrap_or(0.0)),
                pct(worst.spend_share)
            ));
        }
    }

    // 5. Concentration of revenue.
    if creatives.len() >= 5 && t.revenue_cents > 0 {
        let mut revenue: Vec<i64> = creatives.iter().map(|c| c.metrics.revenue_cents).collect();
        revenue.sort_unstable_by(|a, b| b.cmp(a));
        let top3: i64 = revenue.iter().take(3).sum();
        if let Some(share) = ratio(top3 as f64, t.revenue_cents as f64) {
            out.push(format!(
                "Your top 3 of {} creatives drive {} of revenue.",
                creatives.len(),
                pct(share)
            ));
        }
    }

    // 6. Spend that bought nothing.
    let dry: Vec<&EntityPerformance> = creatives
        .iter()
        .filter(|c| c.metrics.conversions == 0 && c.spend_share >= MIN_SPEND_SHARE)
        .collect();
    if !dry.is_empty() && t.conversions > 0 {
        let spend: i64 = dry.iter().map(|c| c.metrics.spend_cents).sum();
        out.push(format!(
            "{} spent {} without a single conversion.",
            plural(dry.len(), "creative"),
            money(spend as f64)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::daily::test_rows::row;

    /// Four creatives in three campaigns on two platforms over two weeks (2024-01-01 is a Monday).
    ///
    /// | creative | campaign | platform | spend  | revenue | ROAS |
    /// |----------|----------|----------|--------|---------|------|
    /// | a        | c1       | meta     | 10 000 | 40 000  | 4.0  |
    /// | b        | c1       | meta     | 20 000 | 30 000  | 1.5  |
    /// | c        | c2       | meta     | 30 000 | 15 000  | 0.5  |
    /// | d        | g1       | google   | 40 000 | 115 000 | 2.875 |
    /// | tiny     | g1       | google   | 500    | 50 000  | 100  | (0.5% of spend: not ranked)
    fn data() -> Vec<DailyPerformance> {
        vec![
            row(
                "meta",
                "c1",
                "a",
                "2024-01-01",
                5_000,
                100,
                5_000,
                4,
                20_000,
            ),
            row(
                "meta",
                "c1",
                "a",
                "2024-01-08",
                5_000,
                100,
                5_000,
                4,
                20_000,
            ),
            row(
                "meta",
                "c1",
                "b",
                "2024-01-02",
                10_000,
                100,
                10_000,
                3,
                15_000,
            ),
            row(
                "meta",
                "c1",
                "b",
                "2024-01-09",
                10_000,
                100,
                10_000,
                3,
                15_000,
            ),
            row(
                "meta",
                "c2",
                "c",
                "2024-01-03",
                20_000,
                200,
                30_000,
                0,
                15_000,
            ),
            row(
                "google",
                "g1",
                "d",
                "2024-01-07",
                10_000,
                300,
                20_000,
                10,
                75_000,
            ),
            row(
                "google",
                "g1",
                "d",
                "2024-01-14",
                10_000,
                300,
                20_000,
                10,
                40_000,
            ),
            row("google", "g1", "tiny", "2024-01-14", 100, 1, 500, 1, 50_000),
        ]
    }

    #[test]
    fn totals_are_summed_with_their_ratios() {
        let s = summarize(&data(), 3);
        let t = &s.totals;
        assert_eq!(
            (
                t.impressions,
                t.clicks,
                t.spend_cents,
                t.conversions,
                t.revenue_cents
            ),
            (70_100, 1_201, 100_500, 35, 250_000)
        );
        assert!((t.roas.unwrap() - 250_000.0 / 100_500.0).abs() < 1e-12);
        assert!((t.ctr.unwrap() - 1_201.0 / 70_100.0).abs() < 1e-12);
        assert!((t.cpa_cents.unwrap() - 100_500.0 / 35.0).abs() < 1e-9);
        assert_eq!(s.first_day.as_deref(), Some("2024-01-01"));
        assert_eq!(s.last_day.as_deref(), Some("2024-01-14"));
        assert_eq!(s.days, 7);
    }

    #[test]
    fn rankings_skip_tiny_spend_and_never_overlap() {
        let s = summarize(&data(), 3);
        let names = |v: &[EntityPerformance]| v.iter().map(|e| e.name.clone()).collect::<Vec<_>>();
        // Eligible: a 4.0, d 2.875, b 1.5, c 0.5 → better half on top.
        assert_eq!(names(&s.top_creatives), ["Creative a", "Creative d"]);
        assert_eq!(names(&s.worst_creatives), ["Creative c", "Creative b"]);
        assert_eq!(s.top_creatives[0].creative_id.as_deref(), Some("a"));
        assert!((s.top_creatives[0].spend_share - 10_000.0 / 100_500.0).abs() < 1e-12);
        let vs = s.top_creatives[0].roas_vs_average.unwrap();
        assert!((vs - 4.0 / (250_000.0 / 100_500.0)).abs() < 1e-12);

        // Campaigns: g1 (40 500 → 165 000, 4.07), c1 (30 000 → 70 000, 2.33), c2 (0.5).
        assert_eq!(names(&s.top_campaigns), ["Campaign g1", "Campaign c1"]);
        assert_eq!(names(&s.worst_campaigns), ["Campaign c2"]);
        assert_eq!(s.top_campaigns[0].creative_id, None);

        let s = summarize(&data(), 1);
        assert_eq!(names(&s.top_creatives), ["Creative a"]);
        assert_eq!(names(&s.worst_creatives), ["Creative c"]);
        assert!(summarize(&data(), 0).top_creatives.is_empty());
    }

    #[test]
    fn platforms_are_broken_down_by_spend() {
        let s = summarize(&data(), 3);
        assert_eq!(s.platforms.len(), 2);
        let meta = &s.platforms[0];
        assert_eq!(meta.platform, "meta");
        assert_eq!(meta.metrics.spend_cents, 60_000);
        assert_eq!(meta.metrics.revenue_cents, 85_000);
        assert!((meta.spend_share - 60_000.0 / 100_500.0).abs() < 1e-12);
        assert!((meta.revenue_share - 85_000.0 / 250_000.0).abs() < 1e-12);
        assert_eq!(s.platforms[1].platform, "google");
    }

    #[test]
    fn weeks_start_on_monday_and_gaps_are_filled() {
        let mut rows = data();
        rows.push(row(
            "meta",
            "c1",
            "a",
            "2024-01-29",
            1_000,
            10,
            1_000,
            1,
            2_000,
        ));
        let s = summarize(&rows, 3);
        let starts: Vec<_> = s.weekly.iter().map(|w| w.week_start.as_str()).collect();
        assert_eq!(
            starts,
            [
                "2024-01-01",
                "2024-01-08",
                "2024-01-15",
                "2024-01-22",
                "2024-01-29"
            ]
        );
        let w1 = &s.weekly[0];
        // Week 1: a (01-01), b (01-02), c (01-03), d (01-07).
        assert_eq!(
            (w1.days, w1.spend_cents, w1.revenue_cents),
            (4, 65_000, 125_000)
        );
        assert!((w1.roas.unwrap() - 125_000.0 / 65_000.0).abs() < 1e-12);
        assert!((w1.ctr.unwrap() - 700.0 / 45_000.0).abs() < 1e-12);
        let gap = &s.weekly[2];
        assert_eq!(
            (gap.days, gap.spend_cents, gap.roas, gap.ctr),
            (0, 0, None, None)
        );
    }

    #[test]
    fn insights_say_what_changed_in_plain_english() {
        let s = summarize(&data(), 3);
        let text = s.insights.join("\n");
        assert!(s.insights[0].starts_with("Over 7 days you spent $1,005 and earned $2,500 in revenue: 2.49× revenue per dollar (CTR 1.7%, $28.71 per conversion)."), "{text}");
        // Week 1 ROAS 125 000 / 65 000 = 1.92; week 2 125 000 / 35 500 = 3.52: +83%.
        assert!(
            text.contains("ROAS rose 83% over the last week (1.92× → 3.52×"),
            "{text}"
        );
        // CTR 700 / 45 000 = 1.56% → 501 / 25 100 = 2.0%.
        assert!(
            text.contains("CTR rose 28% over the last week (1.6% → 2.0%"),
            "{text}"
        );
        assert!(
            text.contains(
                "Creative \"Creative a\" returns 4.00× revenue per dollar, 1.6× the average."
            ),
            "{text}"
        );
        assert!(
            text.contains("Campaign \"Campaign c2\" took 30% of spend at 0.50× revenue per dollar"),
            "{text}"
        );
        assert!(text.contains("google returns the most per dollar (4.07× on 40% of spend); meta the least (1.42× on 60%)."), "{text}");
        assert!(
            text.contains("1 creative spent $300.00 without a single conversion."),
            "{text}"
        );
        assert!(
            text.contains("Your top 3 of 5 creatives drive 82% of revenue."),
            "{text}"
        );
    }

    #[test]
    fn falling_roas_over_four_weeks_is_reported() {
        // Eight weeks: ROAS 3.0 for four weeks, then 2.4 (-20%).
        let start = parse_day("2024-01-01").unwrap();
        let rows: Vec<_> = (0..8)
            .map(|w| {
                let revenue = if w < 4 { 30_000 } else { 24_000 };
                row(
                    "meta",
                    "c1",
                    "a",
                    &format_day(start + 7 * w),
                    1_000,
                    10,
                    10_000,
                    5,
                    revenue,
                )
            })
            .collect();
        let s = summarize(&rows, 3);
        assert!(
            s.insights
                .iter()
                .any(|i| i.starts_with("ROAS fell 20% over the last 4 weeks (3.00× → 2.40×")),
            "{:?}",
            s.insights
        );
        let steady: Vec<_> = rows
            .iter()
            .map(|r| DailyPerformance {
                revenue_cents: 30_000,
                ..r.clone()
            })
            .collect();
        let s = summarize(&steady, 3);
        assert!(
            s.insights
                .iter()
                .any(|i| i == "ROAS held steady over the last 4 weeks (3.00×)."),
            "{:?}",
            s.insights
        );
    }

    #[test]
    fn empty_and_zero_data_stay_finite() {
        let s = summarize(&[], 5);
        assert_eq!(s.days, 0);
        assert!(s.weekly.is_empty() && s.top_creatives.is_empty());
        assert_eq!(s.insights.len(), 1);

        let zeros = vec![
            row("meta", "c1", "a", "2024-01-01", 0, 0, 0, 0, 0),
            row("meta", "c1", "a", "oops", 1, 1, 1, 1, 1),
        ];
        let s = summarize(&zeros, 5);
        assert_eq!(s.days, 1);
        assert_eq!(s.totals.roas, None);
        assert!(s.top_creatives.is_empty());
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("NaN"));
        assert!(s
            .insights
            .iter()
            .all(|i| !i.contains("NaN") && !i.contains("inf")));
    }
}
