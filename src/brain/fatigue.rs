//! ORACLE: creative-fatigue prediction from daily delivery.
//!
//! An ad creative wears out as the same audience sees it again and again: its click-through rate
//! sags and what it costs to get a result climbs. The product's rule is that a creative is
//! **fatigued once its cost per result reaches 2× its own baseline**, so each creative is judged
//! against its own early days, never against other creatives.
//!
//! Per creative (platform, campaign, creative), over its *active* days (days with impressions or
//! spend; paused days are skipped):
//! - **baseline**: the first `n / 3` active days, at least 3 and at most 7 — long enough to
//!   average out day-to-day noise, short enough to still describe the creative when it was new;
//! - **current**: the last 3 active days (fewer when that would overlap the baseline);
//! - **cost per result**: spend ÷ conversions, or spend ÷ clicks when the baseline had no
//!   conversions (the result metric is fixed per creative so baseline and current compare);
//! - **trend**: least-squares lines through log daily CTR and log daily cost per result, so the
//!   slope is a steady percentage change per day. Projecting the cost line from the current level
//!   to 2× baseline gives the days until fatigue. A log-linear trend compounds, so for costs that
//!   grow in a straight line it warns somewhat early — the safe side for a creative refresh.
//!
//! - **frequency**: impressions ÷ people reached over the current window, from the *daily* reach
//!   platforms report per row. Unique reach does not add up across days, so this is views per
//!   person per day (Meta Ads Manager's daily frequency), not the lifetime figure.
//!
//! Windows are summed before dividing (spend ÷ conversions over the window), which weights busy
//! days more than quiet ones; days with no clicks or no results count as half a click / result in
//! the log fits so they pull the trend the right way without producing infinities.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::daily::{format_day, money, parse_day, pct, ratio, DailyPerformance};

/// Fewer active days than this and the creative is `insufficient_data`.
pub const MIN_DAYS: usize = 5;
/// Cost per result at this multiple of baseline = fatigued (the product's rule).
pub const FATIGUED_COST_RATIO: f64 = 2.0;
/// Cost per result at this multiple of baseline = limited life left.
pub const LIMITED_COST_RATIO: f64 = 1.4;
/// CTR this many percent below baseline = limited.
pub const LIMITED_CTR_DECAY_PCT: f64 = 25.0;
/// Average views per person *per day* at which an audience is saturated: the same people see
/// the creative again and again instead of it finding new ones.
pub const LIMITED_FREQUENCY: f64 = 2.0;
/// Size of the trailing "current" window, in active days.
const CURRENT_DAYS: usize = 3;
/// Cost trends flatter than +0.5% a day are treated as flat (no prediction).
const MIN_DAILY_GROWTH: f64 = 0.005;
/// A cost trend must be at least this many standard errors above zero to be projected, so noise
/// in a steady creative does not produce a countdown.
const MIN_TREND_T: f64 = 2.0;
/// Projections further out than this are not a prediction anyone should plan on.
const MAX_PREDICTION_DAYS: f64 = 365.0;

/// Where a creative is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FatigueStage {
    /// Still performing like it did when new.
    Fresh,
    /// Showing wear: costs up ≥ 1.4×, CTR down ≥ 25% or daily frequency ≥ 2.
    Limited,
    /// Cost per result has reached 2× its baseline.
    Fatigued,
    /// Fewer than 5 active days: too early to judge.
    InsufficientData,
}

/// What "a result" is for this creative's cost per result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultMetric {
    Conversion,
    /// Used when the baseline had no conversions to measure against.
    Click,
}

impl ResultMetric {
    fn cost_label(self) -> &'static str {
        match self {
            Self::Conversion => "cost per conversion",
            Self::Click => "cost per click",
        }
    }
}

/// One creative's fatigue verdict with the evidence behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FatigueAssessment {
    pub platform: String,
    pub campaign_id: String,
    pub campaign_name: Option<String>,
    pub creative_id: String,
    pub creative_name: Option<String>,
    /// Active days (with impressions or spend).
    pub days: usize,
    pub first_day: String,
    pub last_day: String,
    pub stage: FatigueStage,
    /// Active days in the baseline window.
    pub baseline_days: usize,
    /// Clicks per impression over the baseline window (0.02 = 2%).
    pub baseline_ctr: f64,
    /// Clicks per impression over the last 3 active days.
    pub current_ctr: f64,
    /// How far CTR fell from baseline, in percent (negative when it rose).
    pub ctr_decay_pct: f64,
    /// Fitted daily change of CTR in percent per day (negative = decaying); needs 3 active days.
    pub ctr_trend_pct_per_day: Option<f64>,
    pub result_metric: ResultMetric,
    pub baseline_cost_per_result_cents: Option<f64>,
    /// With spend but no results in the window this is the window's spend (a lower bound).
    pub current_cost_per_result_cents: Option<f64>,
    /// Current ÷ baseline cost per result.
    pub cost_ratio: Option<f64>,
    /// Fitted daily change of cost per result in percent per day (positive = worsening).
    pub cost_trend_pct_per_day: Option<f64>,
    /// Impressions per person reached per day over the last 3 active days, when the platform
    /// reports daily reach.
    pub frequency: Option<f64>,
    /// The same over the baseline days, for comparison.
    #[serde(default)]
    pub baseline_frequency: Option<f64>,
    /// 0 when fatigued; days until cost per result reaches 2× baseline at the current trend;
    /// `None` when the trend is flat, improving or too noisy to project.
    pub predicted_days_until_fatigue: Option<f64>,
    /// Plain-English evidence.
    pub reasons: Vec<String>,
    pub recommendation: String,
}

/// Assesses every creative in `rows` (any order, any mix of platforms and campaigns), fatigued
/// first, then soonest to fatigue. Rows with an unreadable day are ignored.
pub fn assess(rows: &[DailyPerformance]) -> Vec<FatigueAssessment> {
    let mut groups: BTreeMap<(&str, &str, &str), Group> = BTreeMap::new();
    for row in rows {
        let Some(day) = parse_day(&row.day) else {
            continue;
        };
        let group = groups
            .entry((&row.platform, &row.campaign_id, &row.creative_id))
            .or_default();
        group.add(day, row);
    }
    let mut out: Vec<FatigueAssessment> = groups
        .into_iter()
        .filter_map(|((platform, campaign, creative), group)| {
            assess_creative(platform, campaign, creative, group)
        })
        .collect();
    out.sort_by(|a, b| {
        let fatigued = |x: &FatigueAssessment| x.stage != FatigueStage::Fatigued;
        let days = |x: &FatigueAssessment| x.predicted_days_until_fatigue.unwrap_or(f64::INFINITY);
        fatigued(a)
            .cmp(&fatigued(b))
            .then(days(a).total_cmp(&days(b)))
            .then(stage_rank(a.stage).cmp(&stage_rank(b.stage)))
            .then(
                b.cost_ratio
                    .unwrap_or(0.0)
                    .total_cmp(&a.cost_ratio.unwrap_or(0.0)),
            )
            .then_with(|| {
                (&a.platform, &a.campaign_id, &a.creative_id).cmp(&(
                    &b.platform,
                    &b.campaign_id,
                    &b.creative_id,
                ))
            })
    });
    out
}

fn stage_rank(stage: FatigueStage) -> u8 {
    match stage {
        FatigueStage::Fatigued => 0,
        FatigueStage::Limited => 1,
        FatigueStage::Fresh => 2,
        FatigueStage::InsufficientData => 3,
    }
}

/// One day of one creative (rows for the same day are summed).
#[derive(Clone, Copy, Default)]
struct Day {
    impressions: i64,
    clicks: i64,
    spend: i64,
    conversions: i64,
    /// People reached, summed over rows that report it, and those rows' impressions.
    reach: i64,
    reach_impressions: i64,
}

impl Day {
    fn add(&mut self, other: &Day) {
        self.impressions += other.impressions;
        self.clicks += other.clicks;
        self.spend += other.spend;
        self.conversions += other.conversions;
        self.reach += other.reach;
        self.reach_impressions += other.reach_impressions;
    }

    /// Impressions per person reached; `None` when no reach was reported (`ratio` of 0).
    fn frequency(&self) -> Option<f64> {
        ratio(self.reach_impressions as f64, self.reach as f64)
    }

    fn results(&self, metric: ResultMetric) -> i64 {
        match metric {
            ResultMetric::Conversion => self.conversions,
            ResultMetric::Click => self.clicks,
        }
    }
}

#[derive(Default)]
struct Group {
    days: BTreeMap<i64, Day>,
    /// Names as of the latest day that carried one.
    campaign_name: Option<(i64, String)>,
    creative_name: Option<(i64, String)>,
}

impl Group {
    fn add(&mut self, day: i64, row: &DailyPerformance) {
        let reach = row.reach.filter(|r| *r > 0).unwrap_or(0);
        self.days.entry(day).or_default().add(&Day {
            impressions: row.impressions.max(0),
            clicks: row.clicks.max(0),
            spend: row.spend_cents.max(0),
            conversions: row.conversions.max(0),
            reach,
            reach_impressions: if reach > 0 { row.impressions.max(0) } else { 0 },
        });
        keep_latest(&mut self.campaign_name, day, &row.campaign_name);
        keep_latest(&mut self.creative_name, day, &row.creative_name);
    }
}

fn keep_latest(slot: &mut Option<(i64, String)>, day: i64, name: &Option<String>) {
    if let Some(n) = name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        if slot.as_ref().is_none_or(|(d, _)| day >= *d) {
            *slot = Some((day, n.to_string()));
        }
    }
}

fn sum(days: &[(i64, Day)]) -> Day {
    let mut total = Day::default();
    for (_, d) in days {
        total.add(d);
    }
    total
}

fn assess_creative(
    platform: &str,
    campaign_id: &str,
    creative_id: &str,
    group: Group,
) -> Option<FatigueAssessment> {
    let days: Vec<(i64, Day)> = group
        .days
        .into_iter()
        .filter(|(_, d)| d.impressions > 0 || d.spend > 0)
        .collect();
    let n = days.len();
    if n == 0 {
        return None; // never delivered: nothing to judge
    }
    let enough = n >= MIN_DAYS;
    let baseline_len = if enough {
        (n / 3).clamp(3, 7)
    } else {
        n.min(CURRENT_DAYS)
    };
    let current_len = if enough {
        CURRENT_DAYS.min(n - baseline_len)
    } else {
        n.min(CURRENT_DAYS)
    };
    let base = sum(&days[..baseline_len]);
    let current_days = &days[n - current_len..];
    let cur = sum(current_days);

    let baseline_ctr = ratio(base.clicks as f64, base.impressions as f64).unwrap_or(0.0);
    let current_ctr = ratio(cur.clicks as f64, cur.impressions as f64).unwrap_or(0.0);
    // A current window without impressions says nothing about CTR (rather than "CTR fell 100%").
    let ctr_decay_pct = if cur.impressions > 0 {
        ratio(baseline_ctr - current_ctr, baseline_ctr).map_or(0.0, |r| r * 100.0)
    } else {
        0.0
    };

    let metric = if base.conversions > 0 {
        ResultMetric::Conversion
    } else {
        ResultMetric::Click
    };
    let cost_per = |d: &Day| -> Option<f64> {
        let results = d.results(metric);
        if results > 0 {
            ratio(d.spend as f64, results as f64)
        } else if d.spend > 0 {
            Some(d.spend as f64) // no result yet: at least the whole spend per (future) result
        } else {
            None
        }
    };
    let baseline_cpr = if base.results(metric) > 0 {
        cost_per(&base).filter(|c| *c > 0.0)
    } else {
        None
    };
    let current_cpr = cost_per(&cur);
    let current_has_results = cur.results(metric) > 0;
    let cost_ratio = match (current_cpr, baseline_cpr) {
        (Some(c), Some(b)) => ratio(c, b),
        _ => None,
    };

    let frequency = cur.frequency();
    let baseline_frequency = base.frequency();

    // Log-linear trends over calendar days (zero counts become half a count).
    let ctr_points: Vec<(f64, f64)> = days
        .iter()
        .filter(|(_, d)| d.impressions > 0)
        .map(|(day, d)| {
            (
                *day as f64,
                ((d.clicks as f64).max(0.5) / d.impressions as f64).ln(),
            )
        })
        .collect();
    let ctr_fit = fit_line(&ctr_points);
    let cost_points: Vec<(f64, f64)> = days
        .iter()
        .filter(|(_, d)| d.spend > 0)
        .map(|(day, d)| {
            (
                *day as f64,
                (d.spend as f64 / (d.results(metric) as f64).max(0.5)).ln(),
            )
        })
        .collect();
    let cost_fit = if enough { fit_line(&cost_points) } else { None };
    let growth_pct = |slope: f64| (slope.exp() - 1.0) * 100.0;

    let stage = if !enough {
        FatigueStage::InsufficientData
    } else if cost_ratio.is_some_and(|r| r >= FATIGUED_COST_RATIO) {
        FatigueStage::Fatigued
    } else if cost_ratio.is_some_and(|r| r >= LIMITED_COST_RATIO)
        || ctr_decay_pct >= LIMITED_CTR_DECAY_PCT
        || frequency.is_some_and(|f| f >= LIMITED_FREQUENCY)
    {
        FatigueStage::Limited
    } else {
        FatigueStage::Fresh
    };

    let predicted = match stage {
        FatigueStage::Fatigued => Some(0.0),
        FatigueStage::InsufficientData => None,
        _ => match (cost_ratio, &cost_fit) {
            (Some(r), Some(fit))
                if r > 0.0
                    && fit.slope > MIN_DAILY_GROWTH.ln_1p()
                    && fit.t_stat() >= MIN_TREND_T =>
            {
                // Start from where the current window is (its centre day), not from the
                // fitted line, so the countdown agrees with the current cost ratio.
                let last = days[n - 1].0 as f64;
                let centre = current_days.iter().map(|(d, _)| *d as f64).sum::<f64>()
                    / current_days.len() as f64;
                let from_centre = (FATIGUED_COST_RATIO / r).ln() / fit.slope;
                let d = (from_centre - (last - centre)).max(0.0);
                (d.is_finite() && d <= MAX_PREDICTION_DAYS).then_some(d)
            }
            _ => None,
        },
    };

    // Plain-English evidence.
    let label = metric.cost_label();
    let mut reasons = Vec::new();
    if !enough {
        reasons.push(format!(
            "Only {n} active day{} so far; fatigue needs at least {MIN_DAYS} to judge.",
            if n == 1 { "" } else { "s" }
        ));
    }
    match (current_cpr, baseline_cpr, cost_ratio) {
        (Some(c), Some(b), Some(r)) if enough => {
            let at_least = if current_has_results { "" } else { "at least " };
            let no_results = if current_has_results {
                String::new()
            } else {
                format!(
                    " (no {}s in the last {current_len} days)",
                    short_result(metric)
                )
            };
            reasons.push(format!(
                "{} is {at_least}{}{no_results}, {r:.1}× its baseline of {} from the first {baseline_len} days.",
                capitalise(label),
                money(c),
                money(b)
            ));
        }
        _ if enough => reasons.push(format!(
            "No {label} to compare: the first {baseline_len} days had no {}s.",
            short_result(metric)
        )),
        _ => {}
    }
    if enough && baseline_ctr > 0.0 && cur.impressions > 0 {
        // Under half a percent either way reads as "held", not "fell 0%".
        if ctr_decay_pct.abs() < 0.5 {
            reasons.push(format!("CTR held at {} (baseline {}).", pct(current_ctr), pct(baseline_ctr)));
        } else {
            let direction = if ctr_decay_pct >= 0.0 { "fell" } else { "rose" };
            reasons.push(format!(
                "CTR {direction} {:.0}% from {} to {}.",
                ctr_decay_pct.abs(),
                pct(baseline_ctr),
                pct(current_ctr)
            ));
        }
    }
    if let Some(fit) = ctr_fit.as_ref().filter(|_| enough) {
        let g = growth_pct(fit.slope);
        if g <= -1.0 {
            reasons.push(format!("CTR is trending down about {:.1}% a day.", -g));
        }
    }
    if let Some(f) = frequency {
        let worn = if f >= LIMITED_FREQUENCY {
            ": the same audience is seeing it again and again"
        } else {
            ""
        };
        let then = baseline_frequency
            .map(|b| format!(" ({b:.1} when new)"))
            .unwrap_or_default();
        reasons.push(format!(
            "Each person reached saw it {f:.1} times a day lately{then}{worn}."
        ));
    }
    if let (Some(fit), true) = (&cost_fit, enough) {
        let g = growth_pct(fit.slope);
        if g >= MIN_DAILY_GROWTH * 100.0 {
            reasons.push(format!(
                "{} is rising about {g:.1}% a day.",
                capitalise(label)
            ));
        } else if g <= -MIN_DAILY_GROWTH * 100.0 {
            reasons.push(format!(
                "{} is improving about {:.1}% a day.",
                capitalise(label),
                -g
            ));
        }
    }
    if let (Some(d), FatigueStage::Fresh | FatigueStage::Limited) = (predicted, stage) {
        reasons.push(format!(
            "At this rate {label} reaches 2× baseline in about {} day{}.",
            d.round(),
            if d.round() == 1.0 { "" } else { "s" }
        ));
    }

    let recommendation = match stage {
        FatigueStage::Fatigued => "Refresh now: pause this creative or swap in a new variant, and \
             move its budget to fresher creatives — each result already costs twice what it did."
            .to_string(),
        FatigueStage::Limited => match predicted {
            Some(d) if d <= 7.0 => format!(
                "Have a replacement ready this week: at the current trend it fatigues in about {} days.",
                d.round().max(1.0)
            ),
            _ => "Prepare a new variant and start testing it alongside; trim this creative's \
                  budget or widen its audience to slow the wear."
                .to_string(),
        },
        FatigueStage::Fresh => match predicted {
            Some(d) => format!(
                "Keep running; plan a refresh in about {} days when costs reach 2× baseline.",
                d.round().max(1.0)
            ),
            None => "Keep running: it still performs like it did when new.".to_string(),
        },
        FatigueStage::InsufficientData => format!(
            "Let it run {} more active day{} before judging fatigue.",
            MIN_DAYS - n,
            if MIN_DAYS - n == 1 { "" } else { "s" }
        ),
    };

    Some(FatigueAssessment {
        platform: platform.to_string(),
        campaign_id: campaign_id.to_string(),
        campaign_name: group.campaign_name.map(|(_, n)| n),
        creative_id: creative_id.to_string(),
        creative_name: group.creative_name.map(|(_, n)| n),
        days: n,
        first_day: format_day(days[0].0),
        last_day: format_day(days[n - 1].0),
        stage,
        baseline_days: baseline_len,
        baseline_ctr,
        current_ctr,
        ctr_decay_pct,
        ctr_trend_pct_per_day: ctr_fit.filter(|_| enough).map(|f| growth_pct(f.slope)),
        result_metric: metric,
        baseline_cost_per_result_cents: baseline_cpr,
        current_cost_per_result_cents: current_cpr,
        cost_ratio,
        cost_trend_pct_per_day: cost_fit.map(|f| growth_pct(f.slope)),
        frequency,
        baseline_frequency,
        predicted_days_until_fatigue: predicted,
        reasons,
        recommendation,
    })
}

fn short_result(metric: ResultMetric) -> &'static str {
    match metric {
        ResultMetric::Conversion => "conversion",
        ResultMetric::Click => "click",
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Ordinary least-squares line `y = intercept + slope · x`.
#[derive(Clone, Copy, Debug)]
struct Line {
    slope: f64,
    slope_se: f64,
}

impl Line {
    /// Slope in standard errors; a perfect fit counts as infinitely certain.
    fn t_stat(&self) -> f64 {
        if self.slope_se > 0.0 {
            self.slope / self.slope_se
        } else if self.slope > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }
}

/// Least squares over `points`; `None` with fewer than 3 points or no spread in x.
fn fit_line(points: &[(f64, f64)]) -> Option<Line> {
    let n = points.len();
    if n < 3 {
        return None;
    }
    let nf = n as f64;
    // Centre x first: day numbers are ~20 000, and squaring them loses precision.
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / nf;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / nf;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let sse: f64 = points
        .iter()
        .map(|p| (p.1 - intercept - slope * p.0).powi(2))
        .sum();
    let slope_se = (sse / (nf - 2.0) / sxx).max(0.0).sqrt();
    (slope.is_finite() && slope_se.is_finite()).then_some(Line { slope, slope_se })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::daily::test_rows::row;

    /// One creative's rows from per-day (impressions, clicks, spend, conversions), starting on
    /// 2024-03-01 and one calendar day apart.
    fn creative(id: &str, days: &[(i64, i64, i64, i64)]) -> Vec<DailyPerformance> {
        let start = parse_day("2024-03-01").unwrap();
        days.iter()
            .enumerate()
            .map(|(i, &(imp, clk, spend, conv))| {
                row(
                    "meta",
                    "c1",
                    id,
                    &format_day(start + i as i64),
                    imp,
                    clk,
                    spend,
                    conv,
                    conv * 5000,
                )
            })
            .collect()
    }

    /// A creative with 20 conversions and 200 clicks a day whose CPA follows `cpa(t)`.
    fn with_cpa(id: &str, days: usize, cpa: impl Fn(f64) -> f64) -> Vec<DailyPerformance> {
        let d: Vec<_> = (0..days)
            .map(|t| (10_000, 200, (20.0 * cpa(t as f64)).round() as i64, 20))
            .collect();
        creative(id, &d)
    }

    fn one(rows: &[DailyPerformance]) -> FatigueAssessment {
        let mut all = assess(rows);
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    fn assert_finite(a: &FatigueAssessment) {
        let opts = [
            a.ctr_trend_pct_per_day,
            a.baseline_cost_per_result_cents,
            a.current_cost_per_result_cents,
            a.cost_ratio,
            a.cost_trend_pct_per_day,
            a.frequency,
            a.predicted_days_until_fatigue,
        ];
        for v in [a.baseline_ctr, a.current_ctr, a.ctr_decay_pct]
            .into_iter()
            .chain(opts.into_iter().flatten())
        {
            assert!(v.is_finite(), "{a:#?}");
        }
        for text in a.reasons.iter().chain([&a.recommendation]) {
            assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");
        }
    }

    #[test]
    fn doubling_cost_per_result_is_fatigued() {
        let a = one(&with_cpa(
            "x",
            10,
            |t| if t < 7.0 { 1000.0 } else { 2200.0 },
        ));
        assert_eq!(a.stage, FatigueStage::Fatigued);
        assert_eq!(a.baseline_days, 3);
        assert_eq!(a.baseline_cost_per_result_cents, Some(1000.0));
        assert_eq!(a.current_cost_per_result_cents, Some(2200.0));
        assert!((a.cost_ratio.unwrap() - 2.2).abs() < 1e-9);
        assert_eq!(a.predicted_days_until_fatigue, Some(0.0));
        assert!(a.reasons[0].contains("2.2×"), "{:?}", a.reasons);
        assert!(a.recommendation.starts_with("Refresh now"));
        assert_finite(&a);
    }

    #[test]
    fn steady_creative_is_fresh_with_no_prediction() {
        // ±3% day-to-day wobble around a flat CPA and CTR.
        let wobble: [f64; 14] = [
            1.0, 1.03, 0.97, 1.01, 0.99, 1.02, 0.98, 1.0, 1.03, 0.97, 1.0, 0.99, 1.01, 1.0,
        ];
        let d: Vec<_> = wobble
            .iter()
            .map(|w| {
                (
                    10_000,
                    (200.0 * w).round() as i64,
                    (20_000.0 * w).round() as i64,
                    20,
                )
            })
            .collect();
        let a = one(&creative("steady", &d));
        assert_eq!(a.stage, FatigueStage::Fresh);
        assert_eq!(a.predicted_days_until_fatigue, None);
        assert!(a.cost_ratio.unwrap() < 1.1);
        assert!(a.ctr_decay_pct.abs() < 5.0);
        assert_eq!(a.baseline_days, 4); // 14 / 3
        assert!(a.recommendation.starts_with("Keep running"));
        assert_finite(&a);
    }

    #[test]
    fn compounding_cost_prediction_matches_the_analytic_crossing() {
        // CPA +5% a day, compounding, from 1.0× to ~1.5× over 9 days.
        let rows = with_cpa("wear", 9, |t| 1000.0 * 1.05f64.powf(t));
        let a = one(&rows);
        assert!(
            matches!(a.stage, FatigueStage::Fresh | FatigueStage::Limited),
            "{a:?}"
        );
        // Baseline = first 3 days summed; cost(t) = 1000·1.05^t reaches 2× baseline at t*.
        let baseline: f64 = rows[..3].iter().map(|r| r.spend_cents as f64).sum::<f64>() / 60.0;
        assert_eq!(a.baseline_cost_per_result_cents, Some(baseline));
        let t_star = (2.0 * baseline / 1000.0).ln() / 1.05f64.ln();
        let expected = t_star - 8.0;
        let got = a
            .predicted_days_until_fatigue
            .expect("a rising trend is projected");
        assert!(
            (got - expected).abs() <= 0.25 * expected,
            "got {got}, expected {expected}"
        );
        assert!((a.cost_trend_pct_per_day.unwrap() - 5.0).abs() < 0.1);
        assert!(
            a.reasons.iter().any(|r| r.contains("reaches 2× baseline")),
            "{:?}",
            a.reasons
        );
        assert_finite(&a);
    }

    #[test]
    fn straight_line_cost_growth_is_warned_early_not_late() {
        // CPA +5% of the start value a day (1.0 → 1.5×): the log-linear model compounds, so it
        // may warn early, never late.
        let rows = with_cpa("linear", 11, |t| 1000.0 * (1.0 + 0.05 * t));
        let a = one(&rows);
        assert!(matches!(
            a.stage,
            FatigueStage::Fresh | FatigueStage::Limited
        ));
        let baseline = a.baseline_cost_per_result_cents.unwrap();
        let true_days = (2.0 * baseline / 1000.0 - 1.0) / 0.05 - 10.0;
        let got = a.predicted_days_until_fatigue.unwrap();
        assert!(
            got <= true_days && got >= 0.5 * true_days,
            "got {got}, true {true_days}"
        );
    }

    #[test]
    fn fewer_than_five_days_is_insufficient_data() {
        let a = one(&with_cpa("new", 4, |t| 1000.0 * (1.0 + t)));
        assert_eq!(a.stage, FatigueStage::InsufficientData);
        assert_eq!(a.days, 4);
        assert_eq!(a.predicted_days_until_fatigue, None);
        assert!(
            a.recommendation.contains("1 more active day "),
            "{}",
            a.recommendation
        );
        assert_finite(&a);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["stage"], "insufficient_data");
        assert_eq!(json["result_metric"], "conversion");
    }

    #[test]
    fn zero_click_and_zero_conversion_days_do_not_panic_or_nan() {
        let rows = creative(
            "sparse",
            &[
                (1000, 0, 500, 0),
                (0, 0, 0, 0), // paused: skipped
                (1200, 3, 600, 1),
                (900, 0, 450, 0),
                (1100, 2, 0, 0),
                (1000, 0, 700, 0),
                (800, 0, 800, 0),
                (0, 0, 300, 0),
            ],
        );
        let a = one(&rows);
        assert_eq!(a.days, 7);
        assert_finite(&a);
        assert!(a.current_cost_per_result_cents.is_some());

        // Nothing but zeros anywhere.
        let zeros = creative("dead", &[(0, 0, 0, 0); 6]);
        assert!(assess(&zeros).is_empty());
        let impressions_only = creative("free", &[(500, 0, 0, 0); 6]);
        let a = one(&impressions_only);
        assert_finite(&a);
        assert_eq!(a.cost_ratio, None);
        assert_eq!(a.stage, FatigueStage::Fresh);
        assert!(
            a.reasons.iter().any(|r| r.contains("No cost per click")),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn spend_without_results_counts_as_a_lower_bound_cost() {
        let mut d = vec![(10_000, 200, 20_000, 20); 6];
        d.extend([(10_000, 150, 20_000, 0); 3]);
        let a = one(&creative("dry", &d));
        // 3 days × 20 000 spend, no conversions: at least 60 000 per conversion vs 1 000.
        assert_eq!(a.current_cost_per_result_cents, Some(60_000.0));
        assert_eq!(a.stage, FatigueStage::Fatigued);
        assert!(a.reasons[0].contains("at least"), "{:?}", a.reasons);
    }

    #[test]
    fn ctr_decay_alone_marks_limited() {
        // CTR halves but conversions and spend hold, so cost per conversion is flat.
        let d: Vec<_> = (0..10)
            .map(|t| (10_000, if t < 6 { 200 } else { 100 }, 20_000, 20))
            .collect();
        let a = one(&creative("tired", &d));
        assert_eq!(a.stage, FatigueStage::Limited);
        assert!((a.ctr_decay_pct - 50.0).abs() < 1e-9);
        assert!(a.ctr_trend_pct_per_day.unwrap() < 0.0);
        assert!(
            a.reasons.iter().any(|r| r.contains("CTR fell 50%")),
            "{:?}",
            a.reasons
        );
        assert_eq!(a.predicted_days_until_fatigue, None);
    }

    #[test]
    fn frequency_uses_daily_reach_and_can_mark_limited() {
        // 10 000 impressions a day; the audience shrinks from 8 000 to 4 000 people a day.
        let mut rows = with_cpa("freq", 8, |_| 1000.0);
        for (t, r) in rows.iter_mut().enumerate() {
            r.reach = Some(if t < 5 { 8_000 } else { 4_000 });
        }
        let a = one(&rows);
        assert_eq!(a.frequency, Some(2.5)); // last 3 days: 30 000 impressions / 12 000 people
        assert_eq!(a.baseline_frequency, Some(1.25));
        assert_eq!(a.stage, FatigueStage::Limited);
        assert!(a.reasons.iter().any(|r| r.contains("2.5 times a day") && r.contains("1.2 when new")), "{:?}", a.reasons);
        for r in &mut rows {
            r.reach = Some(8_000);
        }
        let a = one(&rows);
        assert_eq!(a.frequency, Some(1.25));
        assert_eq!(a.stage, FatigueStage::Fresh);
        assert_eq!(one(&with_cpa("none", 8, |_| 1000.0)).frequency, None);
    }

    #[test]
    fn frequency_ignores_days_without_reach() {
        // Only the last day reports reach: its own impressions ÷ its reach, not the window's.
        let mut rows = with_cpa("partial", 8, |_| 1000.0);
        rows.last_mut().unwrap().reach = Some(5_000);
        assert_eq!(one(&rows).frequency, Some(2.0));
    }

    #[test]
    fn without_conversions_cost_per_click_is_the_result() {
        let d: Vec<_> = (0..8)
            .map(|t| (10_000, 100, if t < 5 { 5_000 } else { 11_000 }, 0))
            .collect();
        let a = one(&creative("clicks", &d));
        assert_eq!(a.result_metric, ResultMetric::Click);
        assert_eq!(a.baseline_cost_per_result_cents, Some(50.0));
        assert_eq!(a.current_cost_per_result_cents, Some(110.0));
        assert_eq!(a.stage, FatigueStage::Fatigued);
        assert!(
            a.reasons[0].starts_with("Cost per click"),
            "{:?}",
            a.reasons
        );
    }

    #[test]
    fn groups_by_platform_campaign_and_creative_and_sorts_by_urgency() {
        let mut rows = with_cpa("steady", 10, |_| 1000.0);
        rows.extend(with_cpa("wearing", 10, |t| 1000.0 * 1.06f64.powf(t)));
        rows.extend(with_cpa("wearing_fast", 10, |t| 1000.0 * 1.08f64.powf(t)));
        rows.extend(with_cpa(
            "done",
            10,
            |t| if t < 7.0 { 1000.0 } else { 2500.0 },
        ));
        rows.extend(with_cpa("young", 3, |_| 1000.0));
        let mut google = with_cpa("steady", 10, |_| 1000.0);
        for r in &mut google {
            r.platform = "google".into();
        }
        rows.extend(google);
        rows.reverse(); // input order must not matter
        let all = assess(&rows);
        let order: Vec<_> = all
            .iter()
            .map(|a| (a.platform.as_str(), a.creative_id.as_str()))
            .collect();
        assert_eq!(
            order,
            [
                ("meta", "done"),
                ("meta", "wearing_fast"),
                ("meta", "wearing"),
                ("google", "steady"),
                ("meta", "steady"),
                ("meta", "young"),
            ]
        );
        assert_eq!(all[0].creative_name.as_deref(), Some("Creative done"));
        assert_eq!(all[0].campaign_name.as_deref(), Some("Campaign c1"));
        assert_eq!(all[0].first_day, "2024-03-01");
        assert_eq!(all[0].last_day, "2024-03-10");
        assert!(all[1].predicted_days_until_fatigue < all[2].predicted_days_until_fatigue);
    }

    #[test]
    fn duplicate_rows_for_a_day_are_summed_and_bad_days_ignored() {
        let mut rows = with_cpa("dup", 6, |_| 1000.0);
        let copy = rows.clone();
        rows.extend(copy);
        rows.push(row("meta", "c1", "dup", "not-a-day", 1, 1, 1, 1, 1));
        let a = one(&rows);
        assert_eq!(a.days, 6);
        assert_eq!(a.baseline_cost_per_result_cents, Some(1000.0));
    }
}
