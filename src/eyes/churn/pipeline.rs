//! The train / evaluate / refit / score sequence behind `predict` (see the module docs of
//! `churn` for the windows).

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::baselines::{bgnbd_baseline, recency_baseline};
use super::dataset::{column_medians, derive_seed, sample_positions, Matrix};
use super::labels::{existing_customers, label_window, LabelledWindow};
use super::metrics::{best_f1_threshold_and_auc, evaluate};
use super::model::{ChurnModel, Classifier, ModelKind, RiskLevel};
use super::{
    CandidateEvaluation, ChurnError, ChurnOptions, ChurnResult, Evaluation, Featurize, RiskCounts, WindowSummary,
    TARGET_AUC,
};
use crate::eyes::history::{CustomerHistory, Time, DAY};

/// The featurizer's output at one cutoff, checked against the histories.
pub(crate) struct FeatureSet {
    pub matrix: Matrix,
    pub names: Vec<String>,
}

impl FeatureSet {
    pub(crate) fn compute(
        histories: &[CustomerHistory],
        at: Time,
        featurize: &Featurize<'_>,
    ) -> Result<FeatureSet, ChurnError> {
        let (array, names) = featurize(histories, at);
        if array.nrows() != histories.len() || array.ncols() != names.len() || names.is_empty() {
            return Err(ChurnError::FeatureMismatch(format!(
                "{} x {} matrix with {} names for {} customers",
                array.nrows(),
                array.ncols(),
                names.len(),
                histories.len()
            )));
        }
        Ok(FeatureSet { matrix: Matrix::from_array(array), names: names.iter().map(|s| s.to_string()).collect() })
    }
}

/// Runs every horizon, featurizing each distinct cutoff once.
pub(crate) fn run(
    histories: &[CustomerHistory],
    cutoff: Time,
    horizons: &[u32],
    featurize: &Featurize<'_>,
    options: &ChurnOptions,
) -> Vec<Result<ChurnResult, ChurnError>> {
    if histories.is_empty() {
        return horizons.iter().map(|_| Err(ChurnError::NoCustomers)).collect();
    }
    let span = |h: u32| h as Time * DAY;
    let mut cutoffs: Vec<Time> = vec![cutoff];
    for &h in horizons {
        cutoffs.extend([cutoff - span(h), cutoff - 2 * span(h)]);
    }
    cutoffs.sort_unstable();
    cutoffs.dedup();
    let mut features: BTreeMap<Time, FeatureSet> = BTreeMap::new();
    for at in cutoffs {
        match FeatureSet::compute(histories, at, featurize) {
            Ok(f) => {
                features.insert(at, f);
            }
            Err(e) => return horizons.iter().map(|_| Err(e.clone())).collect(),
        }
    }
    let names = &features[&cutoff].names;
    if let Some((at, f)) = features.iter().find(|(_, f)| &f.names != names) {
        let e = ChurnError::FeatureMismatch(format!("names at {at} ({:?}) differ from {names:?}", f.names));
        return horizons.iter().map(|_| Err(e.clone())).collect();
    }
    horizons
        .par_iter()
        .map(|&h| {
            let at = |t: Time| &features[&t];
            run_horizon(histories, cutoff, h, at(cutoff - 2 * span(h)), at(cutoff - span(h)), at(cutoff), options)
        })
        .collect()
}

fn summary(w: &LabelledWindow) -> WindowSummary {
    let churned = w.churned_count();
    WindowSummary {
        features_at: w.features_at,
        labels_until: w.labels_until,
        customers: w.len(),
        churned,
        churn_rate: if w.is_empty() { 0.0 } else { churned as f64 / w.len() as f64 },
    }
}

/// A window's training rows (a seeded sample when large): features and 0/1 labels.
fn training_rows(features: &Matrix, w: &LabelledWindow, max_rows: usize, seed: u64) -> (Matrix, Vec<f64>) {
    let picked = sample_positions(w.len(), max_rows, seed);
    let x = features.gather(picked.iter().map(|&p| w.rows[p] as usize));
    let y = picked.iter().map(|&p| if w.churned[p] { 1.0 } else { 0.0 }).collect();
    (x, y)
}

fn has_both_outcomes(y: &[f64]) -> bool {
    y.contains(&1.0) && y.contains(&0.0)
}

/// A fitted classifier with the F1-maximising threshold and AUC on its own training rows.
struct Fitted {
    classifier: Classifier,
    rows: usize,
    threshold: f64,
    training_auc: Option<f64>,
}

/// Fits `kind` on the rows (the tree model on a seeded subsample of at most
/// `max_tree_train_rows` of them).
fn fit(kind: ModelKind, x: &Matrix, y: &[f64], options: &ChurnOptions, seed: u64) -> Fitted {
    let subsample = (kind == ModelKind::GradientBoosting && x.rows() > options.max_tree_train_rows).then(|| {
        let picked = sample_positions(x.rows(), options.max_tree_train_rows, seed);
        (x.gather(picked.iter().copied()), picked.iter().map(|&p| y[p]).collect::<Vec<f64>>())
    });
    let (x, y) = match &subsample {
        Some((sx, sy)) => (sx, sy.as_slice()),
        None => (x, y),
    };
    let (classifier, scores) = Classifier::fit_scored(kind, x, y, &options.logistic, &options.gbdt);
    let labels: Vec<bool> = y.iter().map(|&v| v == 1.0).collect();
    let (threshold, training_auc) = best_f1_threshold_and_auc(&scores, &labels);
    Fitted { threshold, training_auc, rows: y.len(), classifier }
}

fn run_horizon(
    histories: &[CustomerHistory],
    cutoff: Time,
    horizon_days: u32,
    train_features: &FeatureSet,
    eval_features: &FeatureSet,
    current_features: &FeatureSet,
    options: &ChurnOptions,
) -> Result<ChurnResult, ChurnError> {
    let span = horizon_days as Time * DAY;
    let train_window = label_window(histories, cutoff - 2 * span, horizon_days);
    let eval_window = label_window(histories, cutoff - span, horizon_days);
    let seed = |purpose: u64| derive_seed(options.seed, purpose * 1000 + horizon_days as u64);

    let (x_train, y_train) = training_rows(&train_features.matrix, &train_window, options.max_train_rows, seed(1));
    if !has_both_outcomes(&y_train) || eval_window.is_empty() {
        let w = if eval_window.is_empty() { &eval_window } else { &train_window };
        return Err(ChurnError::NotEnoughHistory {
            horizon_days,
            features_at: w.features_at,
            customers: w.len(),
            churned: w.churned_count(),
        });
    }

    let kinds = [ModelKind::Logistic, ModelKind::GradientBoosting];
    // The winner is refitted on the most recent labelled window (below). Trees win almost
    // always, so their refit starts now, beside the two candidate fits, instead of after the
    // evaluation at the end of the critical path; it is dropped unused if logistic wins.
    let (x_final, y_final) = training_rows(&eval_features.matrix, &eval_window, options.max_train_rows, seed(3));
    let final_has_both = has_both_outcomes(&y_final);
    // The fits, and below the candidates' scoring and the baselines, are independent: run side
    // by side so that the last horizon is not left to one core.
    let (fitted, tree_refit): (Vec<Fitted>, Option<Fitted>) = rayon::join(
        || kinds.par_iter().map(|&k| fit(k, &x_train, &y_train, options, seed(4))).collect(),
        || final_has_both.then(|| fit(ModelKind::GradientBoosting, &x_final, &y_final, options, seed(5))),
    );
    let evaluate_candidates = || -> Vec<CandidateEvaluation> {
        fitted
            .par_iter()
            .map(|f| {
                let scores = f.classifier.probabilities(&eval_features.matrix, &eval_window.rows);
                CandidateEvaluation {
                    kind: f.classifier.kind(),
                    trained_rows: f.rows,
                    training_auc: f.training_auc,
                    held_out: evaluate(&scores, &eval_window.churned, f.threshold),
                }
            })
            .collect()
    };
    let baselines = || {
        let (recency, bgnbd) = rayon::join(
            || recency_baseline(histories, &eval_window),
            || bgnbd_baseline(histories, &eval_window, options.max_bgnbd_customers, seed(2)),
        );
        vec![recency, bgnbd]
    };
    let (candidates, baselines) = rayon::join(evaluate_candidates, baselines);

    // Highest held-out AUC; a missing AUC (one-class window) ranks last; logistic wins ties.
    let mut best = 0;
    for (k, c) in candidates.iter().enumerate() {
        if c.held_out.auc.unwrap_or(-1.0) > candidates[best].held_out.auc.unwrap_or(-1.0) {
            best = k;
        }
    }
    let best_auc = candidates[best].held_out.auc;
    let beats_baselines =
        best_auc.is_some_and(|auc| baselines.iter().filter_map(|b| b.auc).all(|baseline| auc > baseline));
    let evaluation = Evaluation {
        horizon_days,
        train_window: summary(&train_window),
        eval_window: summary(&eval_window),
        best: kinds[best],
        best_auc,
        target_auc: TARGET_AUC,
        target_met: best_auc.is_some_and(|auc| auc >= TARGET_AUC),
        beats_baselines,
        candidates,
        baselines,
    };

    // Refit the winner on the most recent labelled window; if that window has only one outcome,
    // keep the model trained one window earlier.
    let (final_fit, final_window, x_final) = if final_has_both {
        let refit = match (kinds[best], tree_refit) {
            (ModelKind::GradientBoosting, Some(trees)) => trees,
            (kind, _) => fit(kind, &x_final, &y_final, options, seed(5)),
        };
        (refit, &eval_window, x_final)
    } else {
        (fitted.into_iter().nth(best).expect("one fit per kind"), &train_window, x_train)
    };
    let model = ChurnModel {
        horizon_days,
        features_at: final_window.features_at,
        labels_until: final_window.labels_until,
        trained_rows: final_fit.rows,
        feature_names: current_features.names.clone(),
        typical: column_medians(&x_final),
        threshold: final_fit.threshold,
        classifier: final_fit.classifier,
        evaluation,
    };

    let customers = model.assess(histories, &current_features.matrix, &existing_customers(histories, cutoff));
    let mut counts = RiskCounts::default();
    for c in &customers {
        match c.level {
            RiskLevel::High => counts.high += 1,
            RiskLevel::Medium => counts.medium += 1,
            RiskLevel::Low => counts.low += 1,
        }
    }
    Ok(ChurnResult { cutoff, horizon_days, model, customers, counts })
}
