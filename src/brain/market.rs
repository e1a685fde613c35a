//! Market benchmarks from the organization's own data: per platform, the spread (p25 / median /
//! p75) of campaign-level CTR, CPC, CPA, conversion rate and ROAS, and where each campaign stands.
//!
//! Industry benchmark tables are vague and quickly stale; an organization's own campaigns on the
//! same platform share its audience, offer and attribution, so they are the fairest yardstick.
//! Campaigns are compared only within their platform because CTR and CPC differ by an order of
//! magnitude between, say, search and social.
//!
//! - A campaign needs at least 100 impressions to shape or receive a benchmark (tiny campaigns
//!   produce extreme ratios); a metric needs at least 3 campaigns on the platform to judge.
//! - Quartiles use linear interpolation between order statistics (the common "type 7"
//!   definition), so hand-computed values are easy to check.
//! - Percentile ranks are mid-ranks oriented so that higher is always better: "better than 80%
//!   of your campaigns" (for CPC and CPA, lower cost ranks higher).
//! - Verdicts: `above` beyond the favourable quartile, `below` beyond the unfavourable one, `at`
//!   in the middle half. The campaign's overall verdict is its ROAS verdict when the platform
//!   tracks revenue, else CPA, else CTR — money first.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::daily::{display_name, money, parse_day, pct, DailyPerformance, Metrics};

/// Campaigns with fewer impressions neither shape nor receive a benchmark.
pub const MIN_IMPRESSIONS: i64 = 100;
/// Campaigns a platform needs on a metric before anyone is judged against it.
pub const MIN_CAMPAIGNS: usize = 3;

/// A benchmarked ratio.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchmarkMetric {
    Ctr,
    Cpc,
    Cpa,
    ConversionRate,
    Roas,
}

impl BenchmarkMetric {
    pub const ALL: [BenchmarkMetric; 5] = [
        Self::Ctr,
        Self::Cpc,
        Self::Cpa,
        Self::ConversionRate,
        Self::Roas,
    ];

    /// Costs are better low; rates and returns are better high.
    pub fn higher_is_better(self) -> bool {
        !matches!(self, Self::Cpc | Self::Cpa)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ctr => "CTR",
            Self::Cpc => "CPC",
            Self::Cpa => "CPA",
            Self::ConversionRate => "Conversion rate",
            Self::Roas => "ROAS",
        }
    }

    fn value(self, m: &Metrics) -> Option<f64> {
        match self {
            Self::Ctr => m.ctr,
            Self::Cpc => m.cpc_cents,
            Self::Cpa => m.cpa_cents,
            Self::ConversionRate => m.conversion_rate,
            Self::Roas => m.roas,
        }
    }

    fn format(self, v: f64) -> String {
        match self {
            Self::Ctr | Self::ConversionRate => pct(v),
            Self::Cpc | Self::Cpa => money(v),
            Self::Roas => format!("{v:.2}×"),
        }
    }
}

/// Spread of one metric over a platform's campaigns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Distribution {
    /// Campaigns with a value for this metric.
    pub n: usize,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
}

/// One platform's benchmarks (`None` where no campaign has the metric).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct PlatformBenchmark {
    pub platform: String,
    /// Campaigns that shape the benchmark (≥ 100 impressions).
    pub campaigns: usize,
    pub ctr: Option<Distribution>,
    pub cpc_cents: Option<Distribution>,
    pub cpa_cents: Option<Distribution>,
    pub conversion_rate: Option<Distribution>,
    pub roas: Option<Distribution>,
}

impl PlatformBenchmark {
    pub fn distribution(&self, metric: BenchmarkMetric) -> Option<&Distribution> {
        match metric {
            BenchmarkMetric::Ctr => self.ctr.as_ref(),
            BenchmarkMetric::Cpc => self.cpc_cents.as_ref(),
            BenchmarkMetric::Cpa => self.cpa_cents.as_ref(),
            BenchmarkMetric::ConversionRate => self.conversion_rate.as_ref(),
            BenchmarkMetric::Roas => self.roas.as_ref(),
        }
    }
}

/// Where a value sits against its benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Better than the favourable quartile.
    Above,
    /// In the middle half.
    At,
    /// Worse than the unfavourable quartile.
    Below,
    /// Too few campaigns or too little delivery to judge.
    InsufficientData,
}

/// A campaign's standing on one metric.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct MetricStanding {
    pub metric: BenchmarkMetric,
    pub value: f64,
    /// 0–100, higher is better: the share of the platform's campaigns this one beats.
    pub percentile: f64,
    pub verdict: Verdict,
}

/// One campaign against its platform's benchmark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct CampaignBenchmark {
    pub platform: String,
    pub campaign_id: String,
    pub campaign_name: Option<String>,
    pub metrics: Metrics,
    pub standings: Vec<MetricStanding>,
    /// The metric the overall verdict rests on.
    pub primary_metric: Option<BenchmarkMetric>,
    /// The primary metric's percentile.
    pub percentile: Option<f64>,
    pub verdict: Verdict,
    pub notes: Vec<String>,
}

/// Benchmarks for every platform and campaign in the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct MarketBenchmarks {
    /// By platform name.
    pub platforms: Vec<PlatformBenchmark>,
    /// By platform, then best overall percentile first.
    pub campaigns: Vec<CampaignBenchmark>,
    pub notes: Vec<String>,
}

/// Benchmarks `rows` (any order; rows with an unreadable day are ignored).
pub fn benchmarks(rows: &[DailyPerformance]) -> MarketBenchmarks {
    // Campaign totals, with the campaign name as of its latest named day.
    type Named = (Metrics, Option<(i64, String)>);
    let mut campaigns: BTreeMap<(&str, &str), Named> = BTreeMap::new();
    for row in rows {
        let Some(day) = parse_day(&row.day) else {
            continue;
        };
        let entry = campaigns
            .entry((&row.platform, &row.campaign_id))
            .or_default();
        entry.0.add(row);
        if let Some(n) = row
            .campaign_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            if entry.1.as_ref().is_none_or(|(d, _)| day >= *d) {
                entry.1 = Some((day, n.to_string()));
            }
        }
    }
    let campaigns: Vec<(&str, &str, Metrics, Option<String>)> = campaigns
        .into_iter()
        .map(|((p, c), (m, name))| (p, c, m.finish(), name.map(|(_, n)| n)))
        .collect();

    // Per platform, each metric's values over the eligible campaigns.
    let mut values: BTreeMap<&str, BTreeMap<usize, Vec<f64>>> = BTreeMap::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut tracks_revenue: BTreeMap<&str, bool> = BTreeMap::new();
    for (platform, _, m, _) in &campaigns {
        *tracks_revenue.entry(platform).or_default() |= m.revenue_cents > 0;
        let per_metric = values.entry(platform).or_default();
        if m.impressions < MIN_IMPRESSIONS {
            continue;
        }
        *counts.entry(platform).or_default() += 1;
        for (i, metric) in BenchmarkMetric::ALL.iter().enumerate() {
            if let Some(v) = metric.value(m) {
                per_metric.entry(i).or_default().push(v);
            }
        }
    }
    for per_metric in values.values_mut() {
        for v in per_metric.values_mut() {
            v.sort_by(f64::total_cmp);
        }
    }

    let platforms: Vec<PlatformBenchmark> = values
        .iter()
        .map(|(platform, per_metric)| {
            let dist = |metric: BenchmarkMetric| {
                let i = BenchmarkMetric::ALL
                    .iter()
                    .position(|m| *m == metric)
                    .unwrap_or(0);
                per_metric
                    .get(&i)
                    .filter(|v| !v.is_empty())
                    .map(|v| Distribution {
                        n: v.len(),
                        p25: quantile(v, 0.25),
                        median: quantile(v, 0.5),
                        p75: quantile(v, 0.75),
                    })
            };
            PlatformBenchmark {
                platform: platform.to_string(),
                campaigns: counts.get(platform).copied().unwrap_or(0),
                ctr: dist(BenchmarkMetric::Ctr),
                cpc_cents: dist(BenchmarkMetric::Cpc),
                cpa_cents: dist(BenchmarkMetric::Cpa),
                conversion_rate: dist(BenchmarkMetric::ConversionRate),
                roas: dist(BenchmarkMetric::Roas),
            }
        })
        .collect();

    let mut out: Vec<CampaignBenchmark> = campaigns
        .iter()
        .map(|(platform, campaign_id, m, name)| {
            let bench = platforms.iter().find(|p| p.platform == *platform);
            let sorted = values.get(platform);
            judge(
                platform,
                campaign_id,
                name,
                m,
                bench,
                sorted,
                tracks_revenue.get(platform) == Some(&true),
            )
        })
        .collect();
    out.sort_by(|a, b| {
        a.platform
            .cmp(&b.platform)
            .then(
                b.percentile
                    .unwrap_or(-1.0)
                    .total_cmp(&a.percentile.unwrap_or(-1.0)),
            )
            .then(a.campaign_id.cmp(&b.campaign_id))
    });

    let mut notes = vec![
        "Benchmarks compare each campaign with your own campaigns on the same platform, not with \
         industry averages."
            .to_string(),
    ];
    for p in &platforms {
        if p.campaigns < MIN_CAMPAIGNS {
            notes.push(format!(
                "{} has {} campaign{} with enough delivery: too few for a benchmark (needs {MIN_CAMPAIGNS}).",
                p.platform,
                p.campaigns,
                if p.campaigns == 1 { "" } else { "s" }
            ));
            continue;
        }
        let mut parts = Vec::new();
        for metric in [
            BenchmarkMetric::Ctr,
            BenchmarkMetric::Cpc,
            BenchmarkMetric::Cpa,
            BenchmarkMetric::Roas,
        ] {
            if let Some(d) = p.distribution(metric) {
                parts.push(format!("{} {}", metric.label(), metric.format(d.median)));
            }
        }
        let mut note = format!(
            "{}: median {} across {} campaigns",
            p.platform,
            parts.join(", "),
            p.campaigns
        );
        if let Some(d) = p
            .roas
            .as_ref()
            .filter(|_| tracks_revenue.get(p.platform.as_str()) == Some(&true))
        {
            note.push_str(&format!(
                " (middle half of ROAS {}–{})",
                BenchmarkMetric::Roas.format(d.p25),
                BenchmarkMetric::Roas.format(d.p75)
            ));
        }
        note.push('.');
        notes.push(note);
    }
    MarketBenchmarks {
        platforms,
        campaigns: out,
        notes,
    }
}

fn judge(
    platform: &str,
    campaign_id: &str,
    name: &Option<String>,
    m: &Metrics,
    bench: Option<&PlatformBenchmark>,
    sorted: Option<&BTreeMap<usize, Vec<f64>>>,
    tracks_revenue: bool,
) -> CampaignBenchmark {
    let mut standings = Vec::new();
    let mut notes = Vec::new();
    let label = display_name(name, campaign_id);
    if m.impressions < MIN_IMPRESSIONS {
        notes.push(format!(
            "Too little delivery to benchmark ({} impressions; needs {MIN_IMPRESSIONS}).",
            m.impressions
        ));
    } else if let (Some(bench), Some(sorted)) = (bench, sorted) {
        for (i, metric) in BenchmarkMetric::ALL.iter().copied().enumerate() {
            let (Some(value), Some(dist), Some(values)) =
                (metric.value(m), bench.distribution(metric), sorted.get(&i))
            else {
                continue;
            };
            let below = values.iter().filter(|v| **v < value).count() as f64;
            let equal = values.iter().filter(|v| **v == value).count() as f64;
            let above = values.len() as f64 - below - equal;
            let beaten = if metric.higher_is_better() {
                below
            } else {
                above
            };
            let percentile = (beaten + 0.5 * equal) / values.len() as f64 * 100.0;
            let verdict = if dist.n < MIN_CAMPAIGNS {
                Verdict::InsufficientData
            } else {
                let (better, worse) = if metric.higher_is_better() {
                    (value > dist.p75, value < dist.p25)
                } else {
                    (value < dist.p25, value > dist.p75)
                };
                match (better, worse) {
                    (true, _) => Verdict::Above,
                    (_, true) => Verdict::Below,
                    _ => Verdict::At,
                }
            };
            match verdict {
                Verdict::Above => notes.push(format!(
                    "{} {} is better than {:.0}% of your {platform} campaigns (median {}).",
                    metric.label(),
                    metric.format(value),
                    percentile,
                    metric.format(dist.median)
                )),
                Verdict::Below => notes.push(format!(
                    "{} {} trails {:.0}% of your {platform} campaigns (median {}).",
                    metric.label(),
                    metric.format(value),
                    100.0 - percentile,
                    metric.format(dist.median)
                )),
                _ => {}
            }
            standings.push(MetricStanding {
                metric,
                value,
                percentile,
                verdict,
            });
        }
        if m.spend_cents > 0 && m.conversions == 0 && m.clicks > 0 {
            notes.push(format!(
                "Spent {} without a conversion, so it has no CPA to compare.",
                money(m.spend_cents as f64)
            ));
        }
    }

    let order: &[BenchmarkMetric] = if tracks_revenue {
        &[
            BenchmarkMetric::Roas,
            BenchmarkMetric::Cpa,
            BenchmarkMetric::Ctr,
        ]
    } else {
        &[BenchmarkMetric::Cpa, BenchmarkMetric::Ctr]
    };
    let primary = order.iter().find_map(|metric| {
        standings
            .iter()
            .find(|s| s.metric == *metric && s.verdict != Verdict::InsufficientData)
    });
    let verdict = primary.map_or(Verdict::InsufficientData, |s| s.verdict);
    if standings
        .iter()
        .any(|s| s.verdict == Verdict::InsufficientData)
        && primary.is_none()
    {
        notes.push(format!(
            "{platform} has fewer than {MIN_CAMPAIGNS} comparable campaigns, so \"{label}\" is not judged yet."
        ));
    }
    if let Some(p) = primary.filter(|p| p.verdict == Verdict::At) {
        notes.push(format!(
            "{} {} is in line with your typical {platform} campaign.",
            p.metric.label(),
            p.metric.format(p.value)
        ));
    }
    CampaignBenchmark {
        platform: platform.to_string(),
        campaign_id: campaign_id.to_string(),
        campaign_name: name.clone(),
        metrics: m.clone(),
        primary_metric: primary.map(|p| p.metric),
        percentile: primary.map(|p| p.percentile),
        verdict,
        standings,
        notes,
    }
}

/// Linear-interpolated quantile of sorted, non-empty values.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 1 {
        return sorted[0];
    }
    let pos = q * (n - 1) as f64;
    let i = pos.floor() as usize;
    let frac = pos - i as f64;
    match sorted.get(i + 1) {
        Some(next) => sorted[i] + (next - sorted[i]) * frac,
        None => sorted[n - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::daily::test_rows::row;

    /// Five meta campaigns of 10 000 impressions each:
    ///
    /// | campaign | CTR | CPC  | CPA   | conv. rate | ROAS |
    /// |----------|-----|------|-------|------------|------|
    /// | m1       | 1%  | 100  | 1 000 | 10%        | 2    |
    /// | m2       | 2%  | 50   | 1 000 | 5%         | 3    |
    /// | m3       | 3%  | 50   | 500   | 10%        | 1    |
    /// | m4       | 4%  | 100  | 2 000 | 5%         | 4    |
    /// | m5       | 5%  | 20   | —     | 0%         | 0    |
    ///
    /// plus two google campaigns (too few to judge) and a meta campaign with 50 impressions.
    fn data() -> Vec<DailyPerformance> {
        vec![
            // m1 split over two days and creatives: summed per campaign.
            row("meta", "m1", "x", "2024-01-01", 4_000, 40, 4_000, 4, 8_000),
            row("meta", "m1", "y", "2024-01-02", 6_000, 60, 6_000, 6, 12_000),
            row(
                "meta",
                "m2",
                "x",
                "2024-01-01",
                10_000,
                200,
                10_000,
                10,
                30_000,
            ),
            row(
                "meta",
                "m3",
                "x",
                "2024-01-01",
                10_000,
                300,
                15_000,
                30,
                15_000,
            ),
            row(
                "meta",
                "m4",
                "x",
                "2024-01-01",
                10_000,
                400,
                40_000,
                20,
                160_000,
            ),
            row("meta", "m5", "x", "2024-01-01", 10_000, 500, 10_000, 0, 0),
            row("meta", "tiny", "x", "2024-01-01", 50, 40, 100, 5, 100_000),
            row(
                "google",
                "g1",
                "x",
                "2024-01-01",
                1_000,
                50,
                5_000,
                5,
                10_000,
            ),
            row(
                "google",
                "g2",
                "x",
                "2024-01-01",
                1_000,
                20,
                5_000,
                1,
                2_000,
            ),
        ]
    }

    fn campaign<'a>(b: &'a MarketBenchmarks, id: &str) -> &'a CampaignBenchmark {
        b.campaigns.iter().find(|c| c.campaign_id == id).unwrap()
    }

    fn standing(c: &CampaignBenchmark, metric: BenchmarkMetric) -> &MetricStanding {
        c.standings.iter().find(|s| s.metric == metric).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn platform_quartiles_are_hand_computed() {
        let b = benchmarks(&data());
        assert_eq!(
            b.platforms
                .iter()
                .map(|p| p.platform.as_str())
                .collect::<Vec<_>>(),
            ["google", "meta"]
        );
        let meta = &b.platforms[1];
        assert_eq!(meta.campaigns, 5); // "tiny" does not count
        let ctr = meta.ctr.as_ref().unwrap();
        assert_eq!(ctr.n, 5);
        assert!(
            close(ctr.p25, 0.02) && close(ctr.median, 0.03) && close(ctr.p75, 0.04),
            "{ctr:?}"
        );
        // CPA over [500, 1000, 1000, 2000] (m5 has no conversions).
        let cpa = meta.cpa_cents.as_ref().unwrap();
        assert_eq!(cpa.n, 4);
        assert!(
            close(cpa.p25, 875.0) && close(cpa.median, 1_000.0) && close(cpa.p75, 1_250.0),
            "{cpa:?}"
        );
        let cpc = meta.cpc_cents.as_ref().unwrap(); // [20, 50, 50, 100, 100]
        assert!(
            close(cpc.p25, 50.0) && close(cpc.median, 50.0) && close(cpc.p75, 100.0),
            "{cpc:?}"
        );
        let cvr = meta.conversion_rate.as_ref().unwrap(); // [0, .05, .05, .1, .1]
        assert!(
            close(cvr.p25, 0.05) && close(cvr.median, 0.05) && close(cvr.p75, 0.1),
            "{cvr:?}"
        );
        let roas = meta.roas.as_ref().unwrap(); // [0, 1, 2, 3, 4]
        assert!(
            close(roas.p25, 1.0) && close(roas.median, 2.0) && close(roas.p75, 3.0),
            "{roas:?}"
        );
        let google = &b.platforms[0];
        assert_eq!(google.campaigns, 2);
        let g_roas = google.roas.as_ref().unwrap(); // [0.4, 2.0]
        assert!(close(g_roas.p25, 0.8) && close(g_roas.median, 1.2) && close(g_roas.p75, 1.6));
    }

    #[test]
    fn campaigns_get_percentiles_and_verdicts() {
        let b = benchmarks(&data());
        let m5 = campaign(&b, "m5");
        let ctr = standing(m5, BenchmarkMetric::Ctr);
        assert!(close(ctr.percentile, 90.0) && ctr.verdict == Verdict::Above);
        assert_eq!(m5.verdict, Verdict::Below); // ROAS 0 is its primary metric
        assert!(m5
            .standings
            .iter()
            .all(|s| s.metric != BenchmarkMetric::Cpa));
        assert!(
            m5.notes
                .iter()
                .any(|n| n == "CTR 5.0% is better than 90% of your meta campaigns (median 3.0%)."),
            "{:?}",
            m5.notes
        );
        assert!(
            m5.notes
                .iter()
                .any(|n| n == "ROAS 0.00× trails 90% of your meta campaigns (median 2.00×)."),
            "{:?}",
            m5.notes
        );
        assert!(m5
            .notes
            .iter()
            .any(|n| n.starts_with("Spent $100.00 without a conversion")));

        let m3 = campaign(&b, "m3");
        let cpa = standing(m3, BenchmarkMetric::Cpa);
        assert!(
            close(cpa.percentile, 87.5) && cpa.verdict == Verdict::Above,
            "{cpa:?}"
        );
        assert_eq!(standing(m3, BenchmarkMetric::Roas).verdict, Verdict::At); // 1.0 is not < p25 1.0
        assert!(close(standing(m3, BenchmarkMetric::Roas).percentile, 30.0));

        let m4 = campaign(&b, "m4");
        assert_eq!(m4.verdict, Verdict::Above);
        assert_eq!(m4.primary_metric, Some(BenchmarkMetric::Roas));
        assert!(close(m4.percentile.unwrap(), 90.0));
        let m4_cpa = standing(m4, BenchmarkMetric::Cpa);
        assert!(close(m4_cpa.percentile, 12.5) && m4_cpa.verdict == Verdict::Below);

        let m1 = campaign(&b, "m1");
        assert_eq!(m1.metrics.impressions, 10_000);
        assert_eq!(m1.verdict, Verdict::At);
        assert!(close(standing(m1, BenchmarkMetric::Cpa).percentile, 50.0));
        assert!(
            m1.notes
                .iter()
                .any(|n| n == "ROAS 2.00× is in line with your typical meta campaign."),
            "{:?}",
            m1.notes
        );
        assert_eq!(m1.campaign_name.as_deref(), Some("Campaign m1"));

        // Meta order: best overall percentile first.
        let meta: Vec<_> = b
            .campaigns
            .iter()
            .filter(|c| c.platform == "meta")
            .map(|c| c.campaign_id.as_str())
            .collect();
        assert_eq!(meta, ["m4", "m2", "m1", "m3", "m5", "tiny"]);
    }

    #[test]
    fn thin_platforms_and_tiny_campaigns_are_not_judged() {
        let b = benchmarks(&data());
        let g1 = campaign(&b, "g1");
        assert_eq!(g1.verdict, Verdict::InsufficientData);
        assert!(g1
            .standings
            .iter()
            .all(|s| s.verdict == Verdict::InsufficientData));
        assert!(
            g1.notes
                .iter()
                .any(|n| n.contains("fewer than 3 comparable campaigns")),
            "{:?}",
            g1.notes
        );
        let tiny = campaign(&b, "tiny");
        assert_eq!(tiny.verdict, Verdict::InsufficientData);
        assert!(tiny.standings.is_empty());
        assert!(tiny.notes[0].starts_with("Too little delivery"));
        assert!(
            b.notes
                .iter()
                .any(|n| n.starts_with("google has 2 campaigns with enough delivery")),
            "{:?}",
            b.notes
        );
        assert!(
            b.notes.iter().any(|n| n == "meta: median CTR 3.0%, CPC $0.50, CPA $10.00, ROAS 2.00× across 5 campaigns (middle half of ROAS 1.00×–3.00×)."),
            "{:?}",
            b.notes
        );
    }

    #[test]
    fn without_revenue_cpa_decides() {
        let rows: Vec<_> = data()
            .into_iter()
            .filter(|r| r.platform == "meta")
            .map(|r| DailyPerformance {
                revenue_cents: 0,
                ..r
            })
            .collect();
        let b = benchmarks(&rows);
        let m3 = campaign(&b, "m3");
        assert_eq!(m3.primary_metric, Some(BenchmarkMetric::Cpa));
        assert_eq!(m3.verdict, Verdict::Above);
        // No conversions and no revenue: CTR is all that is left.
        let m5 = campaign(&b, "m5");
        assert_eq!(m5.primary_metric, Some(BenchmarkMetric::Ctr));
        assert_eq!(m5.verdict, Verdict::Above);
    }

    #[test]
    fn empty_and_zero_rows_are_safe() {
        let b = benchmarks(&[]);
        assert!(b.platforms.is_empty() && b.campaigns.is_empty());
        let zero = benchmarks(&[row("meta", "z", "x", "2024-01-01", 0, 0, 0, 0, 0)]);
        assert_eq!(zero.campaigns[0].verdict, Verdict::InsufficientData);
        assert_eq!(zero.platforms[0].ctr, None);
        let json = serde_json::to_value(benchmarks(&data())).unwrap();
        assert_eq!(json["campaigns"][0]["verdict"], "insufficient_data");
        assert_eq!(json["platforms"][1]["roas"]["median"], 2.0);
        assert!(!json.to_string().contains("NaN"));
    }

    #[test]
    fn quantile_interpolates() {
        assert_eq!(quantile(&[5.0], 0.25), 5.0);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.25), 1.75);
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 1.0), 4.0);
    }
}
