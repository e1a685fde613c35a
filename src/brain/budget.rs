//! CURIOSITY: splitting a daily budget across channels (platforms or campaigns) where the next
//! dollar earns the most.
//!
//! **Response curves.** Each channel's daily history of (spend, outcome) is fitted with
//! `outcome = a · (1 − e^(−spend / b))`. This form was chosen over `a · ln(1 + spend / b)` because
//! a channel's reachable audience is finite: the exponential curve has a hard ceiling `a` and its
//! marginal return `a/b · e^(−spend/b)` dies off, whereas the logarithm grows forever and would
//! keep rewarding spend far beyond anything observed. `a/b` is the return on the first dollar and
//! `b` the spend at which 63% of the ceiling is reached. The fit is least squares: a grid over
//! `b` (log-spaced, 0.05×–10× the largest observed spend) with `a` in closed form for each `b`,
//! then a golden-section refinement of `b` — no starting guess to get wrong, no divergence.
//!
//! Channels with fewer than 3 distinct spend levels cannot show curvature, so they get a prior:
//! linear at their average return per unit of spend, flat beyond 2× their largest observed spend,
//! and are flagged `low_confidence`.
//!
//! **Allocation.** The total (a daily budget, like the history) is handed out in increments of
//! 0.5% of the total, each to the channel whose next increment returns the most, starting from
//! each channel's minimum and never passing its maximum. For concave curves this equalises
//! marginal returns, which is the optimum up to the step size.
//!
//! **Uncertainty.** Residual bootstrap: 200 seeded resamples of each fitted channel's residuals,
//! refitted, evaluated at the planned spend; p10 and p90 of those are the `low` / `high` band,
//! per channel and (summed per resample) in total. Prior channels instead resample their days and
//! scale the resulting return by a uniform 0.5–1.5 factor, because the prior is only a guess.
//!
//! Units: spend and amounts in cents; outcomes in the objective's unit (revenue cents or
//! conversions) per day.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::daily::{display_name, money, parse_day, pct, ratio, DailyPerformance};

/// Resamples in the bootstrap.
const BOOTSTRAP_RESAMPLES: usize = 200;
/// Allocation step as a fraction of the total.
const STEP_FRACTION: f64 = 0.005;
/// Points in each channel's chart curve.
const CURVE_POINTS: usize = 21;
/// Spend levels closer than this fraction of the largest spend count as the same level.
const DISTINCT_LEVEL_TOLERANCE: f64 = 0.01;
const MIN_DISTINCT_LEVELS: usize = 3;
/// Range of the `b` grid, as multiples of the largest observed spend.
const B_GRID_MIN: f64 = 0.05;
const B_GRID_MAX: f64 = 10.0;
const B_GRID_POINTS: usize = 60;
/// The prior's saturation point as a multiple of the largest observed spend.
const PRIOR_SATURATION: f64 = 2.0;

/// What the budget should maximise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    Revenue,
    Conversions,
}

/// One channel's daily history and spend bounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ChannelInput {
    pub name: String,
    /// (daily spend in cents, daily outcome) pairs.
    pub history: Vec<(f64, f64)>,
    #[serde(default)]
    pub min_cents: Option<i64>,
    #[serde(default)]
    pub max_cents: Option<i64>,
}

/// A request to split `total_cents` a day across channels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct BudgetRequest {
    pub total_cents: i64,
    pub channels: Vec<ChannelInput>,
    pub objective: Objective,
    /// Seed of the bootstrap: the same request and seed give the same plan.
    #[serde(default)]
    pub seed: u64,
}

/// A fitted (or assumed) spend → outcome curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ResponseCurve {
    /// `outcome = a · (1 − e^(−spend / b))`: ceiling `a`, 63% of it at spend `b`.
    Saturating { a: f64, b: f64 },
    /// `outcome = roas · min(spend, cap)`: the prior for channels without enough history.
    LinearCapped { roas: f64, cap: f64 },
}

impl ResponseCurve {
    /// Expected daily outcome at a daily spend.
    pub fn outcome(&self, spend: f64) -> f64 {
        let spend = spend.max(0.0);
        match *self {
            Self::Saturating { a, b } if b > 0.0 => a * -(-spend / b).exp_m1(),
            Self::Saturating { .. } => 0.0,
            Self::LinearCapped { roas, cap } => roas * spend.min(cap),
        }
    }

    /// Extra outcome per extra cent at a daily spend.
    pub fn marginal(&self, spend: f64) -> f64 {
        let spend = spend.max(0.0);
        match *self {
            Self::Saturating { a, b } if b > 0.0 => a / b * (-spend / b).exp(),
            Self::Saturating { .. } => 0.0,
            Self::LinearCapped { roas, cap } => {
                if spend < cap {
                    roas
                } else {
                    0.0
                }
            }
        }
    }
}

/// One channel's share of the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct Allocation {
    pub name: String,
    pub amount_cents: i64,
    /// Fraction of the total (0.25 = 25%).
    pub share: f64,
    /// Point estimate of the daily outcome at `amount_cents`.
    pub expected_outcome: f64,
    /// Bootstrap p10 (widened to include the point estimate).
    pub low: f64,
    /// Bootstrap p50.
    pub median: f64,
    /// Bootstrap p90 (widened to include the point estimate).
    pub high: f64,
    /// Extra outcome per extra cent at this amount (for revenue: the marginal ROAS).
    pub marginal_return: f64,
    /// The curve is a prior or an extrapolation rather than something the history shows.
    pub low_confidence: bool,
    pub response: ResponseCurve,
    /// (spend cents, outcome) points for a chart.
    pub curve: Vec<(f64, f64)>,
}

/// The recommended split and what to expect from it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct BudgetPlan {
    pub objective: Objective,
    pub total_cents: i64,
    pub allocations: Vec<Allocation>,
    pub expected_total: f64,
    pub low_total: f64,
    pub median_total: f64,
    pub high_total: f64,
    /// Outcome of the history's average spend split, scaled to the same total.
    pub current_total: Option<f64>,
    pub notes: Vec<String>,
}

/// Why a request cannot be planned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetError {
    NoChannels,
    InvalidTotal {
        total_cents: i64,
    },
    InvalidBounds {
        channel: String,
        min_cents: Option<i64>,
        max_cents: Option<i64>,
    },
    MinimumsExceedTotal {
        min_total_cents: i64,
        total_cents: i64,
    },
    MaximumsBelowTotal {
        max_total_cents: i64,
        total_cents: i64,
    },
}

impl fmt::Display for BudgetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoChannels => write!(f, "Add at least one channel to split the budget across."),
            Self::InvalidTotal { total_cents } => {
                write!(
                    f,
                    "The budget must be more than zero (got {}).",
                    money(*total_cents as f64)
                )
            }
            Self::InvalidBounds {
                channel,
                min_cents,
                max_cents,
            } => {
                let show = |v: &Option<i64>| v.map_or("none".to_string(), |c| money(c as f64));
                write!(
                    f,
                    "Channel \"{channel}\" has invalid limits (minimum {}, maximum {}): limits \
                     cannot be negative and the minimum cannot exceed the maximum.",
                    show(min_cents),
                    show(max_cents)
                )
            }
            Self::MinimumsExceedTotal {
                min_total_cents,
                total_cents,
            } => write!(
                f,
                "The channel minimums add up to {}, more than the {} budget. Lower a minimum or \
                 raise the budget.",
                money(*min_total_cents as f64),
                money(*total_cents as f64)
            ),
            Self::MaximumsBelowTotal {
                max_total_cents,
                total_cents,
            } => write!(
                f,
                "The channel maximums add up to only {}, less than the {} budget. Raise a maximum, \
                 remove one, or lower the budget.",
                money(*max_total_cents as f64),
                money(*total_cents as f64)
            ),
        }
    }
}

impl std::error::Error for BudgetError {}

/// Plans the split of `req.total_cents` across `req.channels`.
pub fn optimize(req: &BudgetRequest) -> Result<BudgetPlan, BudgetError> {
    let total = req.total_cents;
    if req.channels.is_empty() {
        return Err(BudgetError::NoChannels);
    }
    if total <= 0 {
        return Err(BudgetError::InvalidTotal { total_cents: total });
    }
    let mut mins = Vec::with_capacity(req.channels.len());
    let mut maxs = Vec::with_capacity(req.channels.len());
    for ch in &req.channels {
        let (min, max) = (ch.min_cents, ch.max_cents);
        let bad = min.is_some_and(|m| m < 0)
            || max.is_some_and(|m| m < 0)
            || matches!((min, max), (Some(lo), Some(hi)) if lo > hi);
        if bad {
            return Err(BudgetError::InvalidBounds {
                channel: ch.name.clone(),
                min_cents: min,
                max_cents: max,
            });
        }
        mins.push(min.unwrap_or(0));
        maxs.push(max.map_or(total, |m| m.min(total)));
    }
    let min_total: i64 = mins.iter().sum();
    if min_total > total {
        return Err(BudgetError::MinimumsExceedTotal {
            min_total_cents: min_total,
            total_cents: total,
        });
    }
    if req.channels.iter().all(|c| c.max_cents.is_some()) {
        let max_total: i64 = req.channels.iter().filter_map(|c| c.max_cents).sum();
        if max_total < total {
            return Err(BudgetError::MaximumsBelowTotal {
                max_total_cents: max_total,
                total_cents: total,
            });
        }
    }

    let fits: Vec<ChannelFit> = req
        .channels
        .iter()
        .map(|c| ChannelFit::new(&c.history))
        .collect();
    let curves: Vec<ResponseCurve> = fits.iter().map(|f| f.curve).collect();
    let amounts = allocate(total, &curves, &mins, &maxs);

    // Bootstrap: per channel, the outcome at its planned amount under each resampled fit.
    let draws: Vec<Vec<f64>> = fits
        .iter()
        .zip(&amounts)
        .enumerate()
        .map(|(i, (fit, &amount))| {
            let stream = req
                .seed
                .wrapping_add((i as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03));
            fit.bootstrap(amount as f64, &mut SplitMix64(stream))
        })
        .collect();

    let mut allocations = Vec::with_capacity(fits.len());
    for (i, ch) in req.channels.iter().enumerate() {
        let fit = &fits[i];
        let amount = amounts[i] as f64;
        let expected = fit.curve.outcome(amount);
        let mut sorted = draws[i].clone();
        sorted.sort_by(f64::total_cmp);
        let chart_max = (2.0 * amount).max(1.5 * fit.max_spend).max(1.0);
        allocations.push(Allocation {
            name: ch.name.clone(),
            amount_cents: amounts[i],
            share: amount / total as f64,
            expected_outcome: expected,
            low: percentile(&sorted, 0.10).min(expected),
            median: percentile(&sorted, 0.50),
            high: percentile(&sorted, 0.90).max(expected),
            marginal_return: fit.curve.marginal(amount),
            low_confidence: fit.quality != FitQuality::Fitted,
            response: fit.curve,
            curve: (0..CURVE_POINTS)
                .map(|k| {
                    let s = chart_max * k as f64 / (CURVE_POINTS - 1) as f64;
                    (s, fit.curve.outcome(s))
                })
                .collect(),
        });
    }

    let expected_total: f64 = allocations.iter().map(|a| a.expected_outcome).sum();
    let mut totals: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|k| draws.iter().map(|d| d[k]).sum())
        .collect();
    totals.sort_by(f64::total_cmp);
    let low_total = percentile(&totals, 0.10).min(expected_total);
    let median_total = percentile(&totals, 0.50);
    let high_total = percentile(&totals, 0.90).max(expected_total);

    // The history's own split (average daily spend per channel), scaled to this total.
    let averages: Vec<f64> = fits.iter().map(|f| f.average_spend).collect();
    let average_sum: f64 = averages.iter().sum();
    let current_total = (average_sum > 0.0).then(|| {
        curves
            .iter()
            .zip(&averages)
            .map(|(c, avg)| c.outcome(avg / average_sum * total as f64))
            .sum::<f64>()
    });

    let notes = notes(
        req,
        &fits,
        &allocations,
        expected_total,
        low_total,
        high_total,
        current_total,
    );
    Ok(BudgetPlan {
        objective: req.objective,
        total_cents: total,
        allocations,
        expected_total,
        low_total,
        median_total,
        high_total,
        current_total,
        notes,
    })
}

/// Greedy marginal allocation in integer cents: each step goes to the channel whose next
/// increment returns the most per cent. Sums to `total` exactly and respects every bound.
fn allocate(total: i64, curves: &[ResponseCurve], mins: &[i64], maxs: &[i64]) -> Vec<i64> {
    let mut amounts: Vec<i64> = mins.to_vec();
    let mut remaining = total - amounts.iter().sum::<i64>();
    let step = ((total as f64 * STEP_FRACTION) as i64).max(1);
    while remaining > 0 {
        let mut best: Option<(usize, i64, f64)> = None;
        for (i, curve) in curves.iter().enumerate() {
            let inc = step.min(remaining).min(maxs[i] - amounts[i]);
            if inc <= 0 {
                continue;
            }
            let x = amounts[i] as f64;
            let gain = (curve.outcome(x + inc as f64) - curve.outcome(x)) / inc as f64;
            let better = match best {
                None => true,
                Some((j, _, g)) => {
                    // Ties (e.g. every channel saturated) go to the channel with less so far,
                    // which spreads money evenly instead of piling it on the first channel.
                    let tol = 1e-12 * g.abs().max(gain.abs());
                    gain > g + tol || ((gain - g).abs() <= tol && amounts[i] < amounts[j])
                }
            };
            if better {
                best = Some((i, inc, gain));
            }
        }
        // Unreachable when the maxima cover the total (checked by the caller); guard anyway.
        let Some((i, inc, _)) = best else { break };
        amounts[i] += inc;
        remaining -= inc;
    }
    amounts
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FitQuality {
    /// Fitted with visible curvature.
    Fitted,
    /// Fitted, but the best `b` sits at the top of the grid: no saturation seen yet.
    Unsaturated,
    /// Fewer than 3 distinct spend levels: the linear prior.
    Prior,
}

/// A channel's cleaned history and fitted curve.
struct ChannelFit {
    points: Vec<(f64, f64)>,
    curve: ResponseCurve,
    quality: FitQuality,
    max_spend: f64,
    average_spend: f64,
    /// Total outcome ÷ total spend over the history.
    average_return: f64,
}

impl ChannelFit {
    fn new(history: &[(f64, f64)]) -> Self {
        let points: Vec<(f64, f64)> = history
            .iter()
            .copied()
            .filter(|(s, y)| s.is_finite() && y.is_finite() && *s >= 0.0 && *y >= 0.0)
            .collect();
        let max_spend = points.iter().map(|p| p.0).fold(0.0, f64::max);
        let spend_sum: f64 = points.iter().map(|p| p.0).sum();
        let outcome_sum: f64 = points.iter().map(|p| p.1).sum();
        let average_spend = if points.is_empty() {
            0.0
        } else {
            spend_sum / points.len() as f64
        };
        let average_return = ratio(outcome_sum, spend_sum).unwrap_or(0.0);
        let (curve, quality) = if distinct_levels(&points, max_spend) >= MIN_DISTINCT_LEVELS {
            let (curve, at_edge) = fit_points(&points, max_spend);
            (
                curve,
                if at_edge {
                    FitQuality::Unsaturated
                } else {
                    FitQuality::Fitted
                },
            )
        } else {
            (prior_curve(average_return, max_spend), FitQuality::Prior)
        };
        ChannelFit {
            points,
            curve,
            quality,
            max_spend,
            average_spend,
            average_return,
        }
    }

    /// Outcomes at `spend` under `BOOTSTRAP_RESAMPLES` resampled refits.
    fn bootstrap(&self, spend: f64, rng: &mut SplitMix64) -> Vec<f64> {
        let n = self.points.len();
        if n == 0 {
            return vec![self.curve.outcome(spend); BOOTSTRAP_RESAMPLES];
        }
        match self.quality {
            FitQuality::Prior => (0..BOOTSTRAP_RESAMPLES)
                .map(|_| {
                    let (mut s, mut y) = (0.0, 0.0);
                    for _ in 0..n {
                        let p = self.points[rng.below(n)];
                        s += p.0;
                        y += p.1;
                    }
                    let factor = 0.5 + rng.unit();
                    let roas = ratio(y, s).unwrap_or(0.0) * factor;
                    prior_curve(roas, self.max_spend).outcome(spend)
                })
                .collect(),
            FitQuality::Fitted | FitQuality::Unsaturated => {
                let fitted: Vec<f64> = self
                    .points
                    .iter()
                    .map(|p| self.curve.outcome(p.0))
                    .collect();
                let residuals: Vec<f64> = self
                    .points
                    .iter()
                    .zip(&fitted)
                    .map(|(p, f)| p.1 - f)
                    .collect();
                let mut sample = self.points.clone();
                (0..BOOTSTRAP_RESAMPLES)
                    .map(|_| {
                        for (k, p) in sample.iter_mut().enumerate() {
                            p.1 = fitted[k] + residuals[rng.below(n)];
                        }
                        fit_points(&sample, self.max_spend).0.outcome(spend)
                    })
                    .collect()
            }
        }
    }
}

/// The prior for thin histories: linear at the average return, flat past 2× the largest spend.
fn prior_curve(average_return: f64, max_spend: f64) -> ResponseCurve {
    ResponseCurve::LinearCapped {
        roas: average_return.max(0.0),
        cap: PRIOR_SATURATION * max_spend,
    }
}

/// Spend levels that differ by more than 1% of the largest spend.
fn distinct_levels(points: &[(f64, f64)], max_spend: f64) -> usize {
    let mut spends: Vec<f64> = points.iter().map(|p| p.0).collect();
    spends.sort_by(f64::total_cmp);
    let tol = DISTINCT_LEVEL_TOLERANCE * max_spend;
    let mut levels = 0;
    let mut last: Option<f64> = None;
    for s in spends {
        if last.is_none_or(|l| s - l > tol) {
            levels += 1;
            last = Some(s);
        }
    }
    levels
}

/// Least-squares fit of `a · (1 − e^(−s/b))` to the points.
///
/// Exposed for callers that want a single curve (and for tests); `None` when the points cannot
/// show curvature (fewer than 3 distinct spend levels).
pub fn fit_response_curve(history: &[(f64, f64)]) -> Option<ResponseCurve> {
    let fit = ChannelFit::new(history);
    (fit.quality != FitQuality::Prior).then_some(fit.curve)
}

/// Fits `a · (1 − e^(−s/b))`; returns the curve and whether `b` ended at the top of its grid.
fn fit_points(points: &[(f64, f64)], max_spend: f64) -> (ResponseCurve, bool) {
    if max_spend <= 0.0 {
        return (ResponseCurve::Saturating { a: 0.0, b: 1.0 }, false);
    }
    // Sum of squared errors for a given ln b, with `a` at its least-squares value.
    let mut basis = vec![0.0; points.len()];
    let mut evaluate = |ln_b: f64| -> (f64, f64) {
        let b = ln_b.exp();
        let (mut sgg, mut sgy) = (0.0, 0.0);
        for (g, &(s, y)) in basis.iter_mut().zip(points) {
            *g = -(-s / b).exp_m1();
            sgg += *g * *g;
            sgy += *g * y;
        }
        let a = if sgg > 0.0 { (sgy / sgg).max(0.0) } else { 0.0 };
        let sse: f64 = basis
            .iter()
            .zip(points)
            .map(|(g, &(_, y))| (y - a * g).powi(2))
            .sum();
        (sse, a)
    };
    let lo = (B_GRID_MIN * max_spend).ln();
    let hi = (B_GRID_MAX * max_spend).ln();
    let step = (hi - lo) / (B_GRID_POINTS - 1) as f64;
    let mut best_k = 0;
    let mut best_sse = f64::INFINITY;
    for k in 0..B_GRID_POINTS {
        let (sse, _) = evaluate(lo + step * k as f64);
        if sse < best_sse {
            best_sse = sse;
            best_k = k;
        }
    }
    // Golden-section search between the neighbours of the best grid point.
    let mut left = lo + step * best_k.saturating_sub(1) as f64;
    let mut right = lo + step * (best_k + 1).min(B_GRID_POINTS - 1) as f64;
    let phi = (5f64.sqrt() - 1.0) / 2.0;
    let mut x1 = right - phi * (right - left);
    let mut x2 = left + phi * (right - left);
    let (mut f1, mut f2) = (evaluate(x1).0, evaluate(x2).0);
    // 30 steps shrink the bracket (two grid steps, ~0.18 in ln b) below 1e-6.
    for _ in 0..30 {
        if f1 <= f2 {
            right = x2;
            x2 = x1;
            f2 = f1;
            x1 = right - phi * (right - left);
            f1 = evaluate(x1).0;
        } else {
            left = x1;
            x1 = x2;
            f1 = f2;
            x2 = left + phi * (right - left);
            f2 = evaluate(x2).0;
        }
    }
    let ln_b = (left + right) / 2.0;
    let (sse, a) = evaluate(ln_b);
    // Keep the grid point if the refinement somehow did worse (flat or odd error surfaces).
    let (ln_b, a) = if sse <= best_sse {
        (ln_b, a)
    } else {
        let k = lo + step * best_k as f64;
        (k, evaluate(k).1)
    };
    let at_edge = best_k == B_GRID_POINTS - 1;
    (ResponseCurve::Saturating { a, b: ln_b.exp() }, at_edge)
}

/// Linear-interpolated percentile of sorted values (`q` in 0..=1).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let i = pos.floor() as usize;
            let frac = pos - i as f64;
            if i + 1 < n {
                sorted[i] + (sorted[i + 1] - sorted[i]) * frac
            } else {
                sorted[n - 1]
            }
        }
    }
}

/// splitmix64: a tiny, well-mixed seeded generator (no `rand`, so the engine builds for wasm).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform index below `n` (`n` > 0); the modulo bias is negligible for small `n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn outcome_text(objective: Objective, v: f64) -> String {
    match objective {
        Objective::Revenue => format!("{} revenue", money(v)),
        Objective::Conversions => format!("{v:.1} conversions"),
    }
}

/// An average return per cent spent, the way marketers quote it.
fn return_text(objective: Objective, per_cent: f64) -> String {
    match objective {
        Objective::Revenue => format!("ROAS of {per_cent:.2}×"),
        Objective::Conversions => match ratio(1.0, per_cent) {
            Some(cpa) => format!("cost of {} per conversion", money(cpa)),
            None => "return of nothing so far".to_string(),
        },
    }
}

fn notes(
    req: &BudgetRequest,
    fits: &[ChannelFit],
    allocations: &[Allocation],
    expected: f64,
    low: f64,
    high: f64,
    current: Option<f64>,
) -> Vec<String> {
    let obj = req.objective;
    let mut notes = vec![format!(
        "Split {} a day across {} channel{} by giving each {}-step to the channel with the best \
         next return. Expect about {} a day (likely range {} to {}).",
        money(req.total_cents as f64),
        allocations.len(),
        if allocations.len() == 1 { "" } else { "s" },
        pct(STEP_FRACTION),
        outcome_text(obj, expected),
        outcome_text(obj, low),
        outcome_text(obj, high),
    )];
    if let Some(cur) = current {
        match ratio(expected - cur, cur) {
            Some(change) if change > 0.005 => notes.push(format!(
                "That is {} more than your current split would return at the same budget ({}).",
                pct(change),
                outcome_text(obj, cur)
            )),
            _ => notes.push(format!(
                "Your current split is already close to the best one ({}).",
                outcome_text(obj, cur)
            )),
        }
    }
    if let Some(top) = allocations
        .iter()
        .max_by_key(|a| a.amount_cents)
        .filter(|_| allocations.len() > 1)
    {
        notes.push(format!(
            "{} gets the most ({}, {} of the budget): its returns hold up longest as spend grows.",
            top.name,
            money(top.amount_cents as f64),
            pct(top.share)
        ));
    }
    for (i, (fit, alloc)) in fits.iter().zip(allocations).enumerate() {
        let ch = &req.channels[i];
        match fit.quality {
            FitQuality::Prior => notes.push(format!(
                "{}: fewer than {MIN_DISTINCT_LEVELS} distinct daily spend levels, so its curve \
                 is an assumption (linear at its average {}, flat beyond {} a day). Vary its \
                 spend for a few days to learn its real curve.",
                alloc.name,
                return_text(obj, fit.average_return),
                money(PRIOR_SATURATION * fit.max_spend)
            )),
            FitQuality::Unsaturated => notes.push(format!(
                "{}: no saturation shows in its history yet, so returns beyond {} a day are \
                 extrapolated.",
                alloc.name,
                money(fit.max_spend)
            )),
            FitQuality::Fitted => {}
        }
        if ch.max_cents.is_some_and(|m| m == alloc.amount_cents) && ch.min_cents != ch.max_cents {
            notes.push(format!(
                "{} is held at its maximum of {}.",
                alloc.name,
                money(alloc.amount_cents as f64)
            ));
        } else if ch
            .min_cents
            .is_some_and(|m| m > 0 && m == alloc.amount_cents)
        {
            notes.push(format!(
                "{} is held at its minimum of {}.",
                alloc.name,
                money(alloc.amount_cents as f64)
            ));
        }
    }
    notes
}

/// Daily (spend, outcome) histories from performance rows, one channel per platform or, with
/// `group_by_campaign`, per campaign (named "platform · campaign"). Rows with an unreadable day
/// are skipped; days without rows are absent, not zero.
pub fn channels_from_performance(
    rows: &[DailyPerformance],
    group_by_campaign: bool,
    objective: Objective,
) -> Vec<ChannelInput> {
    struct Acc {
        campaign_name: Option<String>,
        days: BTreeMap<i64, (f64, f64)>,
    }
    let mut groups: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for row in rows {
        let Some(day) = parse_day(&row.day) else {
            continue;
        };
        let key = (
            row.platform.clone(),
            if group_by_campaign {
                row.campaign_id.clone()
            } else {
                String::new()
            },
        );
        let acc = groups.entry(key).or_insert_with(|| Acc {
            campaign_name: None,
            days: BTreeMap::new(),
        });
        if row
            .campaign_name
            .as_deref()
            .is_some_and(|n| !n.trim().is_empty())
        {
            acc.campaign_name.clone_from(&row.campaign_name);
        }
        let outcome = match objective {
            Objective::Revenue => row.revenue_cents,
            Objective::Conversions => row.conversions,
        };
        let entry = acc.days.entry(day).or_insert((0.0, 0.0));
        entry.0 += row.spend_cents.max(0) as f64;
        entry.1 += outcome.max(0) as f64;
    }
    let names: Vec<String> = groups
        .iter()
        .map(|((platform, campaign_id), acc)| {
            if group_by_campaign {
                format!(
                    "{platform} · {}",
                    display_name(&acc.campaign_name, campaign_id)
                )
            } else {
                platform.clone()
            }
        })
        .collect();
    groups
        .into_iter()
        .zip(&names)
        .map(|(((_, campaign_id), acc), name)| {
            // Two campaigns with the same name stay distinguishable.
            let clash = names.iter().filter(|n| *n == name).count() > 1;
            ChannelInput {
                name: if clash {
                    format!("{name} ({campaign_id})")
                } else {
                    name.clone()
                },
                history: acc.days.into_values().collect(),
                min_cents: None,
                max_cents: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::daily::test_rows::row;

    /// Daily history on the curve `a · (1 − e^(−s/b))` with ±`noise` relative wobble.
    fn history(a: f64, b: f64, spends: &[f64], noise: f64, seed: u64) -> Vec<(f64, f64)> {
        let mut rng = SplitMix64(seed);
        spends
            .iter()
            .map(|&s| {
                let wobble = 1.0 + noise * (2.0 * rng.unit() - 1.0);
                (s, a * (1.0 - (-s / b).exp()) * wobble)
            })
            .collect()
    }

    fn spread(lo: f64, hi: f64, n: usize) -> Vec<f64> {
        (0..n)
            .map(|i| lo + (hi - lo) * i as f64 / (n - 1) as f64)
            .collect()
    }

    fn channel(name: &str, history: Vec<(f64, f64)>) -> ChannelInput {
        ChannelInput {
            name: name.into(),
            history,
            min_cents: None,
            max_cents: None,
        }
    }

    /// "early" saturates around 5 000 cents a day; "deep" keeps returning to ~100 000.
    fn two_channels(noise: f64) -> Vec<ChannelInput> {
        vec![
            channel(
                "early",
                history(100_000.0, 5_000.0, &spread(1_000.0, 20_000.0, 30), noise, 1),
            ),
            channel(
                "deep",
                history(
                    400_000.0,
                    100_000.0,
                    &spread(5_000.0, 60_000.0, 30),
                    noise,
                    2,
                ),
            ),
        ]
    }

    fn request(channels: Vec<ChannelInput>, total: i64, seed: u64) -> BudgetRequest {
        BudgetRequest {
            total_cents: total,
            channels,
            objective: Objective::Revenue,
            seed,
        }
    }

    fn assert_plan_finite(plan: &BudgetPlan) {
        let mut values = vec![
            plan.expected_total,
            plan.low_total,
            plan.median_total,
            plan.high_total,
        ];
        values.extend(plan.current_total);
        for a in &plan.allocations {
            values.extend([
                a.share,
                a.expected_outcome,
                a.low,
                a.median,
                a.high,
                a.marginal_return,
            ]);
            values.extend(a.curve.iter().flat_map(|p| [p.0, p.1]));
        }
        assert!(values.iter().all(|v| v.is_finite()), "{plan:#?}");
        assert!(
            plan.notes
                .iter()
                .all(|n| !n.contains("NaN") && !n.contains("inf")),
            "{:?}",
            plan.notes
        );
    }

    #[test]
    fn fit_recovers_a_and_b_from_noise_free_data() {
        for (a, b) in [(50_000.0, 20_000.0), (1_000.0, 300.0), (80.0, 150_000.0)] {
            let h = history(a, b, &spread(0.1 * b, 2.5 * b, 12), 0.0, 0);
            let Some(ResponseCurve::Saturating { a: fa, b: fb }) = fit_response_curve(&h) else {
                panic!("expected a saturating fit")
            };
            assert!((fa - a).abs() / a < 0.05, "a: {fa} vs {a}");
            assert!((fb - b).abs() / b < 0.05, "b: {fb} vs {b}");
        }
    }

    #[test]
    fn thin_history_falls_back_to_a_flagged_prior() {
        // Two spend levels only: 1 000 → 3 000 revenue, 2 000 → 5 000 (average return 8/3).
        let h = vec![(1_000.0, 3_000.0), (2_000.0, 5_000.0), (1_005.0, 3_000.0)];
        assert_eq!(fit_response_curve(&h), None);
        let plan = optimize(&request(
            vec![channel("thin", h), channel("none", vec![])],
            10_000,
            7,
        ))
        .unwrap();
        let thin = &plan.allocations[0];
        assert!(thin.low_confidence);
        match thin.response {
            ResponseCurve::LinearCapped { roas, cap } => {
                assert!((roas - 11_000.0 / 4_005.0).abs() < 1e-9);
                assert_eq!(cap, 4_000.0);
            }
            other => panic!("expected the prior, got {other:?}"),
        }
        // The prior is flat past 4 000, and "none" returns nothing: the rest is split evenly.
        assert!(thin.amount_cents >= 4_000);
        assert_eq!(
            plan.allocations.iter().map(|a| a.amount_cents).sum::<i64>(),
            10_000
        );
        assert!(
            plan.notes
                .iter()
                .any(|n| n.starts_with("thin: fewer than 3")),
            "{:?}",
            plan.notes
        );
        assert_plan_finite(&plan);
    }

    #[test]
    fn early_saturating_channel_gets_less_than_an_even_split() {
        let plan = optimize(&request(two_channels(0.05), 40_000, 42)).unwrap();
        let (early, deep) = (&plan.allocations[0], &plan.allocations[1]);
        assert_eq!(early.amount_cents + deep.amount_cents, 40_000);
        assert!(
            deep.amount_cents > 20_000 && early.amount_cents < 20_000,
            "{plan:#?}"
        );
        // Analytic optimum for the true curves is ~9 570 / 30 430.
        assert!(
            (early.amount_cents - 9_570).abs() < 2_500,
            "{}",
            early.amount_cents
        );
        let even: f64 = plan
            .allocations
            .iter()
            .map(|a| a.response.outcome(20_000.0))
            .sum();
        assert!(
            plan.expected_total >= even,
            "{} < {even}",
            plan.expected_total
        );
        // Marginal returns are (nearly) equal at the optimum.
        let (m1, m2) = (early.marginal_return, deep.marginal_return);
        assert!((m1 - m2).abs() / m1.max(m2) < 0.2, "{m1} vs {m2}");
        assert!(!early.low_confidence && !deep.low_confidence);
        assert_eq!(early.curve.len(), 21);
        assert_eq!(early.curve[0], (0.0, 0.0));
        assert_plan_finite(&plan);
    }

    #[test]
    fn bounds_are_respected_exactly() {
        let mut channels = two_channels(0.05);
        channels[0].min_cents = Some(15_000);
        channels[1].max_cents = Some(22_000);
        let plan = optimize(&request(channels, 40_000, 1)).unwrap();
        assert_eq!(plan.allocations[0].amount_cents, 18_000);
        assert_eq!(plan.allocations[1].amount_cents, 22_000);
        assert!(
            plan.notes
                .iter()
                .any(|n| n == "deep is held at its maximum of $220.00."),
            "{:?}",
            plan.notes
        );

        let mut channels = two_channels(0.05);
        channels[0].min_cents = Some(12_345);
        channels[0].max_cents = Some(12_345);
        let plan = optimize(&request(channels, 33_333, 1)).unwrap();
        assert_eq!(plan.allocations[0].amount_cents, 12_345);
        assert_eq!(plan.allocations[1].amount_cents, 33_333 - 12_345);
    }

    #[test]
    fn infeasible_requests_are_clear_errors() {
        let mut channels = two_channels(0.0);
        channels[0].min_cents = Some(30_000);
        channels[1].min_cents = Some(20_000);
        let err = optimize(&request(channels, 40_000, 0)).unwrap_err();
        assert_eq!(
            err,
            BudgetError::MinimumsExceedTotal {
                min_total_cents: 50_000,
                total_cents: 40_000
            }
        );
        assert!(
            err.to_string()
                .contains("minimums add up to $500.00, more than the $400.00 budget"),
            "{err}"
        );

        let mut channels = two_channels(0.0);
        channels[0].max_cents = Some(10_000);
        channels[1].max_cents = Some(10_000);
        let err = optimize(&request(channels, 40_000, 0)).unwrap_err();
        assert_eq!(
            err,
            BudgetError::MaximumsBelowTotal {
                max_total_cents: 20_000,
                total_cents: 40_000
            }
        );
        assert!(err.to_string().contains("only $200.00"), "{err}");

        let mut channels = two_channels(0.0);
        channels[1].min_cents = Some(5_000);
        channels[1].max_cents = Some(1_000);
        let err = optimize(&request(channels, 40_000, 0)).unwrap_err();
        assert!(matches!(err, BudgetError::InvalidBounds { ref channel, .. } if channel == "deep"));
        assert!(err.to_string().contains("\"deep\""));

        assert_eq!(
            optimize(&request(vec![], 1_000, 0)).unwrap_err(),
            BudgetError::NoChannels
        );
        assert_eq!(
            optimize(&request(two_channels(0.0), 0, 0)).unwrap_err(),
            BudgetError::InvalidTotal { total_cents: 0 }
        );
    }

    #[test]
    fn same_seed_gives_the_same_plan() {
        let req = request(two_channels(0.15), 40_000, 99);
        let first = optimize(&req).unwrap();
        assert_eq!(first, optimize(&req).unwrap());
        let other = optimize(&request(two_channels(0.15), 40_000, 100)).unwrap();
        assert_eq!(
            first
                .allocations
                .iter()
                .map(|a| a.amount_cents)
                .collect::<Vec<_>>(),
            other
                .allocations
                .iter()
                .map(|a| a.amount_cents)
                .collect::<Vec<_>>(),
            "the split does not depend on the seed"
        );
        assert_ne!(first.low_total, other.low_total, "the bootstrap does");
    }

    #[test]
    fn uncertainty_bands_are_ordered() {
        for noise in [0.0, 0.1, 0.3] {
            let plan = optimize(&request(two_channels(noise), 40_000, 5)).unwrap();
            for a in &plan.allocations {
                assert!(a.low <= a.median && a.median <= a.high, "{a:?}");
                assert!(
                    a.low <= a.expected_outcome && a.expected_outcome <= a.high,
                    "{a:?}"
                );
            }
            assert!(plan.low_total <= plan.median_total && plan.median_total <= plan.high_total);
            assert!(
                plan.low_total <= plan.expected_total && plan.expected_total <= plan.high_total
            );
            if noise > 0.0 {
                assert!(plan.high_total > plan.low_total);
            }
            assert_plan_finite(&plan);
        }
    }

    #[test]
    fn current_split_is_scored_at_the_same_total() {
        // History spends 2:1 on the channels; the plan should beat that split.
        let channels = vec![
            channel(
                "a",
                history(10_000.0, 2_000.0, &spread(2_000.0, 6_000.0, 10), 0.0, 0),
            ),
            channel(
                "b",
                history(30_000.0, 20_000.0, &spread(1_000.0, 3_000.0, 10), 0.0, 0),
            ),
        ];
        let plan = optimize(&request(channels, 12_000, 3)).unwrap();
        let curves: Vec<_> = plan.allocations.iter().map(|a| a.response).collect();
        let expected_current = curves[0].outcome(8_000.0) + curves[1].outcome(4_000.0);
        let current = plan.current_total.unwrap();
        assert!(
            (current - expected_current).abs() < 1e-6,
            "{current} vs {expected_current}"
        );
        assert!(plan.expected_total >= current);
    }

    #[test]
    fn linear_history_is_flagged_as_extrapolated() {
        let h: Vec<_> = spread(1_000.0, 5_000.0, 10)
            .into_iter()
            .map(|s| (s, 3.0 * s))
            .collect();
        let plan = optimize(&request(vec![channel("linear", h)], 4_000, 0)).unwrap();
        let a = &plan.allocations[0];
        assert!(a.low_confidence);
        assert_eq!(a.amount_cents, 4_000);
        assert!(
            (a.expected_outcome - 12_000.0).abs() / 12_000.0 < 0.02,
            "{}",
            a.expected_outcome
        );
        assert!(
            plan.notes.iter().any(|n| n.contains("no saturation shows")),
            "{:?}",
            plan.notes
        );
    }

    #[test]
    fn empty_and_zero_histories_do_not_produce_nan() {
        let channels = vec![
            channel("empty", vec![]),
            channel("zeros", vec![(0.0, 0.0); 5]),
            channel(
                "junk",
                vec![(f64::NAN, 1.0), (-5.0, 3.0), (100.0, f64::INFINITY)],
            ),
            channel("free", vec![(0.0, 10.0), (0.0, 12.0), (0.0, 9.0)]),
        ];
        let plan = optimize(&request(channels, 1_000, 0)).unwrap();
        assert_eq!(
            plan.allocations.iter().map(|a| a.amount_cents).sum::<i64>(),
            1_000
        );
        assert_eq!(plan.current_total, None);
        // Nothing returns anything: the money is spread evenly rather than piled on one.
        assert!(
            plan.allocations.iter().all(|a| a.amount_cents == 250),
            "{plan:#?}"
        );
        assert_plan_finite(&plan);
        let conv = optimize(&BudgetRequest {
            objective: Objective::Conversions,
            ..request(two_channels(0.1), 9_999, 0)
        })
        .unwrap();
        assert_plan_finite(&conv);
        assert_eq!(
            conv.allocations.iter().map(|a| a.amount_cents).sum::<i64>(),
            9_999
        );
    }

    #[test]
    fn channels_from_performance_sums_days_per_platform_or_campaign() {
        let rows = vec![
            row("meta", "c1", "x", "2024-01-02", 100, 5, 1_000, 2, 5_000),
            row("meta", "c1", "y", "2024-01-02", 100, 5, 500, 1, 1_000),
            row("meta", "c2", "z", "2024-01-01", 100, 5, 700, 3, 2_000),
            row("google", "g1", "w", "2024-01-01", 100, 5, 300, 1, 900),
            row("google", "g1", "w", "bad day", 100, 5, 300, 1, 900),
        ];
        let by_platform = channels_from_performance(&rows, false, Objective::Revenue);
        assert_eq!(by_platform.len(), 2);
        assert_eq!(by_platform[0].name, "google");
        assert_eq!(by_platform[0].history, vec![(300.0, 900.0)]);
        assert_eq!(by_platform[1].name, "meta");
        assert_eq!(
            by_platform[1].history,
            vec![(700.0, 2_000.0), (1_500.0, 6_000.0)]
        );

        let by_campaign = channels_from_performance(&rows, true, Objective::Conversions);
        let names: Vec<_> = by_campaign.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "google · Campaign g1",
                "meta · Campaign c1",
                "meta · Campaign c2"
            ]
        );
        assert_eq!(by_campaign[1].history, vec![(1_500.0, 3.0)]);

        let mut same_name = rows.clone();
        for r in &mut same_name {
            r.campaign_name = Some("Promo".into());
        }
        let names: Vec<_> = channels_from_performance(&same_name, true, Objective::Revenue)
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            names,
            ["google · Promo", "meta · Promo (c1)", "meta · Promo (c2)"]
        );
    }

    #[test]
    fn plan_serialises_snake_case() {
        let plan = optimize(&request(two_channels(0.0), 10_000, 0)).unwrap();
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["objective"], "revenue");
        assert_eq!(json["allocations"][0]["response"]["kind"], "saturating");
        assert!(json["allocations"][0]["low_confidence"].is_boolean());
        let back: BudgetPlan = serde_json::from_value(json).unwrap();
        assert_eq!(back, plan);
    }
}
