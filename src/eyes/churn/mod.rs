//! Churn prediction: who will stop buying and engaging, trained and checked on what customers
//! really did next.
//!
//! For an analysis cutoff C and a horizon h (30, 60 or 90 days):
//! 1. train: features as of C - 2h, label = no order and no event in (C - 2h, C - h];
//! 2. evaluate on a later, held-out window: features as of C - h, labels from (C - h, C];
//!    logistic regression and gradient-boosted trees are both fitted on (1) and scored on (2),
//!    next to two baselines (recency, BG/NBD 1 - P(alive));
//! 3. the model kind with the best held-out AUC is refitted on window (2), the most recent one
//!    with known outcomes, and scores every customer existing at C for (C, C + h].
//!
//! Features come from a featurizer passed in; it must use nothing after the cutoff it is given.
//! Results are deterministic for a given seed: sampling is seeded and every parallel sum runs
//! over fixed chunks in a fixed order.

pub mod baselines;
pub mod dataset;
pub mod explain;
pub mod gbdt;
pub mod labels;
pub mod logistic;
pub mod metrics;
pub mod model;
mod pipeline;

#[cfg(test)]
mod tests;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::eyes::history::{CustomerHistory, Time};

pub use baselines::BaselineEvaluation;
pub use explain::Reason;
pub use gbdt::GbdtParams;
pub use logistic::LogisticParams;
pub use metrics::Metrics;
pub use model::{ChurnModel, Classifier, CustomerRisk, ModelKind, RiskLevel};

/// Per-customer features as of a cutoff: an n x k matrix (row i for histories[i]) and the k
/// feature names. Must use no data after the cutoff.
pub type Featurize<'a> = dyn Fn(&[CustomerHistory], Time) -> (Array2<f64>, Vec<&'static str>) + 'a;

pub const HORIZONS_DAYS: [u32; 3] = [30, 60, 90];

/// Held-out AUC a model must reach to count as useful.
pub const TARGET_AUC: f64 = 0.70;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnOptions {
    pub seed: u64,
    /// Training windows larger than this are subsampled (seeded) before fitting.
    pub max_train_rows: usize,
    /// The tree model is fitted on a seeded subsample of at most this many of those rows: its
    /// cost grows with rows much faster than the logistic model's. On the 100k-customer bench,
    /// 60,000 rows lift held-out AUC by 0.0004–0.0007 over 30,000; all ~90,000 add nothing.
    pub max_tree_train_rows: usize,
    /// Customers the BG/NBD baseline is fitted on at most (seeded sample).
    pub max_bgnbd_customers: usize,
    pub logistic: LogisticParams,
    pub gbdt: GbdtParams,
}

impl Default for ChurnOptions {
    fn default() -> Self {
        ChurnOptions {
            seed: 0,
            max_train_rows: 100_000,
            max_tree_train_rows: 60_000,
            max_bgnbd_customers: 20_000,
            logistic: LogisticParams::default(),
            gbdt: GbdtParams::default(),
        }
    }
}

/// A labelled window: features as of `features_at`, outcome over (features_at, labels_until].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowSummary {
    pub features_at: Time,
    pub labels_until: Time,
    /// Customers who existed at `features_at`.
    pub customers: usize,
    pub churned: usize,
    pub churn_rate: f64,
}

/// One candidate model, trained on the training window and scored on the held-out one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CandidateEvaluation {
    pub kind: ModelKind,
    /// Rows it was fitted on (a seeded sample of the training window when that is large).
    pub trained_rows: usize,
    /// AUC on its own training rows, to compare with the held-out AUC (overfitting check).
    pub training_auc: Option<f64>,
    /// Held-out metrics, with the threshold chosen to maximise F1 on the training rows.
    pub held_out: Metrics,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub horizon_days: u32,
    pub train_window: WindowSummary,
    pub eval_window: WindowSummary,
    pub candidates: Vec<CandidateEvaluation>,
    pub baselines: Vec<BaselineEvaluation>,
    /// The candidate with the highest held-out AUC (logistic on ties).
    pub best: ModelKind,
    pub best_auc: Option<f64>,
    pub target_auc: f64,
    /// best_auc >= target_auc.
    pub target_met: bool,
    /// best_auc beats every baseline that has an AUC.
    pub beats_baselines: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskCounts {
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnResult {
    pub cutoff: Time,
    pub horizon_days: u32,
    /// The final model (refitted on the most recent labelled window), with its evaluation in
    /// `model.evaluation`; storable as is.
    pub model: ChurnModel,
    /// Every customer existing at the cutoff, in history order: risk over (cutoff, cutoff + h].
    pub customers: Vec<CustomerRisk>,
    pub counts: RiskCounts,
}

impl ChurnResult {
    pub fn evaluation(&self) -> &Evaluation {
        &self.model.evaluation
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ChurnError {
    NoCustomers,
    /// The featurizer returned a matrix that does not fit the histories or its names.
    FeatureMismatch(String),
    /// A window needed for training has no customers, or only churners or only stayers.
    NotEnoughHistory {
        horizon_days: u32,
        features_at: Time,
        customers: usize,
        churned: usize,
    },
}

impl std::fmt::Display for ChurnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChurnError::NoCustomers => write!(f, "no customers"),
            ChurnError::FeatureMismatch(why) => write!(f, "featurizer output does not fit: {why}"),
            ChurnError::NotEnoughHistory { horizon_days, features_at, customers, churned } => write!(
                f,
                "not enough history for a {horizon_days}-day churn model: the window from {features_at} has \
                 {customers} customers of whom {churned} churned (both outcomes are needed)"
            ),
        }
    }
}

impl std::error::Error for ChurnError {}

/// Trains, evaluates and applies a churn model for one horizon (see the module docs).
pub fn predict(
    histories: &[CustomerHistory],
    cutoff: Time,
    horizon_days: u32,
    featurize: &Featurize<'_>,
    seed: u64,
) -> Result<ChurnResult, ChurnError> {
    predict_with(histories, cutoff, horizon_days, featurize, &ChurnOptions { seed, ..Default::default() })
}

pub fn predict_with(
    histories: &[CustomerHistory],
    cutoff: Time,
    horizon_days: u32,
    featurize: &Featurize<'_>,
    options: &ChurnOptions,
) -> Result<ChurnResult, ChurnError> {
    pipeline::run(histories, cutoff, &[horizon_days], featurize, options).pop().expect("one horizon asked")
}

/// `predict` for 30, 60 and 90 days, sharing the feature computations between horizons. One
/// result per horizon, in `HORIZONS_DAYS` order.
pub fn predict_all_horizons(
    histories: &[CustomerHistory],
    cutoff: Time,
    featurize: &Featurize<'_>,
    seed: u64,
) -> Vec<Result<ChurnResult, ChurnError>> {
    predict_all_horizons_with(histories, cutoff, featurize, &ChurnOptions { seed, ..Default::default() })
}

pub fn predict_all_horizons_with(
    histories: &[CustomerHistory],
    cutoff: Time,
    featurize: &Featurize<'_>,
    options: &ChurnOptions,
) -> Vec<Result<ChurnResult, ChurnError>> {
    pipeline::run(histories, cutoff, &HORIZONS_DAYS, featurize, options)
}
