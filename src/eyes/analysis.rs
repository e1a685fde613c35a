//! The whole EYES analysis of one organization as of a cutoff: features → segments → churn at
//! 30/60/90 days → lifetime value → cross-platform patterns. Returns a report (stored as JSON,
//! printed by `server eyes`) and each customer's scores.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::eyes::churn::{self, ChurnResult, Evaluation, RiskCounts, RiskLevel};
use crate::eyes::clv::{self, BgNbdFit, ClvOptions, GammaGammaFit};
use crate::eyes::features::{self, FeatureTable, FEATURE_INFO, FEATURE_NAMES};
use crate::eyes::history::{CustomerHistory, Time, Vocabulary};
use crate::eyes::patterns::{self, CrossPlatformPatterns};
use crate::eyes::segment::{self, Projection, SegmentOptions, SegmentProfile, Structure};
use crate::model::AlgorithmScoreDto;

/// The lifetime value is reported over this many days.
pub const CLV_HORIZON_DAYS: f64 = 365.0;
/// Expected purchases are also reported over this shorter horizon.
pub const PURCHASE_HORIZON_DAYS: f64 = 90.0;
/// BG/NBD and Gamma-Gamma are fitted on a seeded sample of at most this many customers: the
/// parameters settle long before that, and the fit is the slowest part of the CLV stage.
const CLV_FIT_CUSTOMERS: usize = 50_000;

#[derive(Clone, Copy, Debug)]
pub struct AnalysisOptions {
    pub cutoff: Time,
    pub seed: u64,
}

/// Wall time per stage. Segmentation, churn, CLV and patterns run side by side, so their times
/// overlap and add up to more than `total`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub load: f64,
    pub features: f64,
    pub segmentation: f64,
    pub churn: f64,
    pub clv: f64,
    pub patterns: f64,
    pub total: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub cutoff: Time,
    pub seed: u64,
    pub customers: usize,
    pub orders: usize,
    pub events: usize,
    pub feature_names: Vec<String>,
    /// Milliseconds per stage; `load` is filled in by whoever read the data.
    pub timings_ms: Timings,
    pub segmentation: SegmentationReport,
    /// Keyed "30d", "60d", "90d".
    pub churn: BTreeMap<String, ChurnReport>,
    pub clv: ClvReport,
    pub patterns: CrossPlatformPatterns,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentationReport {
    pub structure_found: bool,
    pub message: String,
    pub quality_gate: f64,
    pub winner: Option<AlgorithmScoreDto>,
    pub algorithms: Vec<AlgorithmScoreDto>,
    pub noise_count: usize,
    /// Largest first; a segment's number is its index here.
    pub segments: Vec<SegmentProfile>,
    /// Per segment (same order): churn-risk mix and mean scores per horizon.
    pub segment_scores: Vec<SegmentScores>,
    pub projection: Projection,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SegmentScores {
    /// Keyed "30d", "60d", "90d".
    pub churn_mix: BTreeMap<String, RiskCounts>,
    pub mean_churn: BTreeMap<String, f64>,
    pub mean_clv_cents: f64,
    pub mean_p_alive: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnReport {
    pub horizon_days: u32,
    pub best_model: Option<String>,
    pub auc: Option<f64>,
    pub target_met: bool,
    pub counts: RiskCounts,
    /// Held-out evaluation of every candidate and baseline; `None` with `error` when there was
    /// not enough history to train.
    pub evaluation: Option<Evaluation>,
    pub error: Option<String>,
    /// The fitted model, storable as is.
    pub model: Option<churn::ChurnModel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvReport {
    pub horizon_days: f64,
    pub bgnbd: Option<BgNbdFit>,
    pub gamma_gamma: Option<GammaGammaFit>,
    pub error: Option<String>,
    pub total_clv_cents: f64,
    /// Customers per CLV band: (upper bound in cents — `None` for the open top band, count).
    pub histogram: Vec<(Option<i64>, usize)>,
}

/// One customer's results. `churn` is in `churn::HORIZONS_DAYS` order; `None` where that
/// horizon's model could not be trained or the customer did not exist yet at the cutoff.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerScores {
    pub customer_id: String,
    pub segment: Option<u32>,
    pub churn: [Option<churn::CustomerRisk>; 3],
    pub p_alive: f64,
    pub expected_purchases: f64,
    pub clv_cents: f64,
    /// In original units, `features::FEATURE_NAMES` order.
    pub features: Vec<f64>,
}

fn elapsed_ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

/// `f`'s result and how long it took, in milliseconds.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let started = Instant::now();
    let out = f();
    (out, elapsed_ms(started))
}

pub fn horizon_key(days: u32) -> String {
    format!("{days}d")
}

/// Runs every stage. Deterministic for the same histories and options.
pub fn analyze(histories: &[CustomerHistory], vocabulary: &Vocabulary, options: AnalysisOptions) -> (Report, Vec<CustomerScores>) {
    let started = Instant::now();
    let (table, features_ms) = timed(|| features::compute(histories, options.cutoff));

    let featurize = |h: &[CustomerHistory], at: Time| {
        // The table at the cutoff is already there; churn asks for it again (copying is cheaper).
        if at == table.cutoff && std::ptr::eq(h, histories) {
            return (table.rows.clone(), FEATURE_NAMES.to_vec());
        }
        let FeatureTable { rows, .. } = features::compute(h, at);
        (rows, FEATURE_NAMES.to_vec())
    };
    // Segmentation, churn, lifetime value and patterns are independent, so they run side by
    // side: each has stretches on one thread (merges, knees, small fits) that the others fill.
    // Each stage's time is its own wall time, so stage times overlap and add up to more than
    // the total.
    let ((segmentation, segmentation_ms), ((churn_results, churn_ms), ((clv, clv_ms), (patterns, patterns_ms)))) =
        rayon::join(
            || timed(|| segment::segment(&table, histories, &SegmentOptions { seed: options.seed, ..Default::default() })),
            || {
                rayon::join(
                    || timed(|| churn::predict_all_horizons(histories, options.cutoff, &featurize, options.seed)),
                    || {
                        rayon::join(
                            || timed(|| lifetime_values(histories, options)),
                            || timed(|| patterns::analyze(histories, vocabulary, options.cutoff)),
                        )
                    },
                )
            },
        );
    let (clv_report, values) = clv;

    // Each customer's churn risk per horizon, by history index.
    let mut risks: Vec<[Option<churn::CustomerRisk>; 3]> = vec![[None, None, None]; histories.len()];
    let mut churn_reports = BTreeMap::new();
    for (slot, (days, result)) in churn::HORIZONS_DAYS.iter().zip(churn_results).enumerate() {
        let report = match result {
            Ok(ChurnResult { model, customers, counts, .. }) => {
                // `customers` are a subsequence of `histories`, in the same order.
                let mut next = 0;
                for risk in customers {
                    while next < histories.len() && histories[next].customer_id != risk.customer_id {
                        next += 1;
                    }
                    if next < histories.len() {
                        risks[next][slot] = Some(risk);
                        next += 1;
                    }
                }
                let evaluation = model.evaluation.clone();
                ChurnReport {
                    horizon_days: *days,
                    best_model: Some(evaluation.best.name().to_string()),
                    auc: evaluation.best_auc,
                    target_met: evaluation.target_met,
                    counts,
                    evaluation: Some(evaluation),
                    error: None,
                    model: Some(model),
                }
            }
            Err(e) => ChurnReport {
                horizon_days: *days,
                best_model: None,
                auc: None,
                target_met: false,
                counts: RiskCounts::default(),
                evaluation: None,
                error: Some(e.to_string()),
                model: None,
            },
        };
        churn_reports.insert(horizon_key(*days), report);
    }

    let scores: Vec<CustomerScores> = risks
        .into_par_iter()
        .zip(histories)
        .enumerate()
        .map(|(i, (churn, h))| CustomerScores {
            customer_id: h.customer_id.clone(),
            segment: segmentation.assignments[i],
            churn,
            p_alive: values[i].map(|v| v.p_alive).unwrap_or(1.0),
            expected_purchases: values[i].map(|v| v.expected_purchases).unwrap_or(0.0),
            clv_cents: values[i].map(|v| v.clv).unwrap_or(0.0),
            features: table.rows.row(i).to_vec(),
        })
        .collect();

    let segment_scores = segment_scores(&segmentation.segments, &scores);
    let mut segments = segmentation.segments;
    for (profile, s) in segments.iter_mut().zip(&segment_scores) {
        // The profile's own mix field shows the 30-day horizon; all horizons are in segment_scores.
        if let Some(mix) = s.churn_mix.get("30d") {
            let n = (mix.high + mix.medium + mix.low).max(1) as f64;
            profile.churn_risk_mix = Some(BTreeMap::from([
                ("high".to_string(), mix.high as f64 / n),
                ("medium".to_string(), mix.medium as f64 / n),
                ("low".to_string(), mix.low as f64 / n),
            ]));
        }
    }
    let score_of = |a: &segment::AlgorithmResult| AlgorithmScoreDto {
        algorithm: a.algorithm.name().to_string(),
        k: a.k,
        silhouette: a.silhouette.as_ref().map(|s| s.mean),
        ci_low: a.silhouette.as_ref().map(|s| s.ci_low),
        ci_high: a.silhouette.as_ref().map(|s| s.ci_high),
        baseline_silhouette: a.baseline_silhouette,
        noise_count: a.noise_count,
        passes_gate: a.passes_gate,
        note: a.note.clone(),
        run_time_ms: a.run_time_ms,
    };
    let algorithms: Vec<AlgorithmScoreDto> = segmentation.algorithms.iter().map(score_of).collect();
    let winner = segmentation
        .winner
        .and_then(|w| segmentation.algorithms.iter().find(|a| a.algorithm == w))
        .map(score_of);
    let timings = Timings {
        load: 0.0,
        features: features_ms,
        segmentation: segmentation_ms,
        churn: churn_ms,
        clv: clv_ms,
        patterns: patterns_ms,
        total: elapsed_ms(started),
    };
    let report = Report {
        cutoff: options.cutoff,
        seed: options.seed,
        customers: histories.len(),
        orders: histories.iter().map(|h| h.orders.len()).sum(),
        events: histories.iter().map(|h| h.events.len()).sum(),
        feature_names: FEATURE_INFO.iter().map(|f| f.name.to_string()).collect(),
        timings_ms: timings,
        segmentation: SegmentationReport {
            structure_found: segmentation.structure == Structure::Clear,
            message: segmentation.message,
            quality_gate: SegmentOptions::default().quality_gate,
            winner,
            algorithms,
            noise_count: segmentation.noise_count,
            segments,
            segment_scores,
            projection: segmentation.projection,
        },
        churn: churn_reports,
        clv: clv_report,
        patterns,
    };
    (report, scores)
}

fn segment_scores(segments: &[SegmentProfile], scores: &[CustomerScores]) -> Vec<SegmentScores> {
    let mut out = vec![SegmentScores::default(); segments.len()];
    let mut sizes = vec![0usize; segments.len()];
    for s in scores {
        let Some(seg) = s.segment.map(|x| x as usize).filter(|&x| x < out.len()) else { continue };
        sizes[seg] += 1;
        let o = &mut out[seg];
        o.mean_clv_cents += s.clv_cents;
        o.mean_p_alive += s.p_alive;
        for (slot, days) in churn::HORIZONS_DAYS.iter().enumerate() {
            let Some(risk) = &s.churn[slot] else { continue };
            let key = horizon_key(*days);
            let mix = o.churn_mix.entry(key.clone()).or_default();
            match risk.level {
                RiskLevel::High => mix.high += 1,
                RiskLevel::Medium => mix.medium += 1,
                RiskLevel::Low => mix.low += 1,
            }
            *o.mean_churn.entry(key).or_default() += risk.risk;
        }
    }
    for (o, n) in out.iter_mut().zip(sizes) {
        let n = n.max(1) as f64;
        o.mean_clv_cents /= n;
        o.mean_p_alive /= n;
        for (key, total) in o.mean_churn.iter_mut() {
            let scored = o.churn_mix.get(key).map(|m| m.high + m.medium + m.low).unwrap_or(0).max(1);
            *total /= scored as f64;
        }
    }
    out
}

/// Fits BG/NBD and Gamma-Gamma on a seeded sample, then values every customer.
fn lifetime_values(histories: &[CustomerHistory], options: AnalysisOptions) -> (ClvReport, Vec<Option<clv::CustomerValue>>) {
    let rfm: Vec<Option<clv::Rfm>> = histories.par_iter().map(|h| clv::rfm_summary(h, options.cutoff)).collect();
    let present: Vec<clv::Rfm> = rfm.iter().flatten().copied().collect();
    let sample = seeded_sample(&present, CLV_FIT_CUSTOMERS, options.seed);
    let mut report = ClvReport {
        horizon_days: CLV_HORIZON_DAYS,
        bgnbd: None,
        gamma_gamma: None,
        error: None,
        total_clv_cents: 0.0,
        histogram: Vec::new(),
    };
    let fits = clv::BgNbd::fit(&sample).and_then(|bg| clv::GammaGamma::fit(&sample).map(|gg| (bg, gg)));
    let (bg, gg) = match fits {
        Ok(f) => f,
        Err(e) => {
            report.error = Some(format!("{e:?}"));
            return (report, vec![None; histories.len()]);
        }
    };
    let clv_options = ClvOptions { horizon_days: CLV_HORIZON_DAYS, ..Default::default() };
    let values: Vec<Option<clv::CustomerValue>> = rfm
        .par_iter()
        .map(|r| {
            r.map(|r| {
                let mut v = clv::customer_value(&bg.params, &gg.params, &r, &clv_options);
                v.expected_purchases = bg.params.expected_purchases(PURCHASE_HORIZON_DAYS, &r);
                v
            })
        })
        .collect();
    report.total_clv_cents = values.iter().flatten().map(|v| v.clv).sum();
    report.histogram = histogram(values.iter().flatten().map(|v| v.clv));
    report.bgnbd = Some(bg);
    report.gamma_gamma = Some(gg);
    (report, values)
}

/// Customers per CLV band, on bounds of 1-2-5 steps in dollars.
fn histogram(values: impl Iterator<Item = f64>) -> Vec<(Option<i64>, usize)> {
    const BOUNDS_CENTS: [i64; 9] = [1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000];
    let mut counts = vec![0usize; BOUNDS_CENTS.len() + 1];
    for v in values {
        let band = BOUNDS_CENTS.iter().position(|&b| v < b as f64).unwrap_or(BOUNDS_CENTS.len());
        counts[band] += 1;
    }
    BOUNDS_CENTS.iter().map(|&b| Some(b)).chain([None]).zip(counts).collect()
}

/// At most `max` items, picked with a seeded generator (all of them when there are fewer).
fn seeded_sample<T: Copy>(items: &[T], max: usize, seed: u64) -> Vec<T> {
    use rand::seq::index::sample;
    use rand::SeedableRng;
    if items.len() <= max {
        return items.to_vec();
    }
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed ^ 0xC1F0);
    let mut picked = sample(&mut rng, items.len(), max).into_vec();
    picked.sort_unstable();
    picked.into_iter().map(|i| items[i]).collect()
}
