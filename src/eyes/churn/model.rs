//! A trained churn model as the app stores it: the classifier, the feature names it expects, the
//! reference values its reasons quote, its decision threshold and its held-out evaluation.

use ndarray::ArrayView2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::Matrix;
use super::explain::{Explainer, Reason, REASONS_PER_CUSTOMER};
use super::gbdt::{GbdtModel, GbdtParams};
use super::labels::existing_customers;
use super::logistic::{sigmoid, LogisticModel, LogisticParams};
use super::{ChurnError, Evaluation, Featurize};
use crate::eyes::history::{CustomerHistory, Time};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelKind {
    Logistic,
    GradientBoosting,
}

impl ModelKind {
    /// How the model is named in reports and on screen.
    pub fn name(self) -> &'static str {
        match self {
            ModelKind::Logistic => "logistic regression",
            ModelKind::GradientBoosting => "gradient-boosted trees",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Classifier {
    Logistic(LogisticModel),
    GradientBoosting(GbdtModel),
}

impl Classifier {
    pub fn fit(kind: ModelKind, x: &Matrix, y: &[f64], logistic: &LogisticParams, gbdt: &GbdtParams) -> Classifier {
        match kind {
            ModelKind::Logistic => Classifier::Logistic(LogisticModel::fit(x, y, logistic)),
            ModelKind::GradientBoosting => Classifier::GradientBoosting(GbdtModel::fit(x, y, gbdt)),
        }
    }

    /// `fit`, also returning the churn probabilities of the training rows (what `probabilities`
    /// gives for every row of `x`; the tree model has them from training at no extra cost).
    pub fn fit_scored(
        kind: ModelKind,
        x: &Matrix,
        y: &[f64],
        logistic: &LogisticParams,
        gbdt: &GbdtParams,
    ) -> (Classifier, Vec<f64>) {
        match kind {
            ModelKind::Logistic => {
                let c = Classifier::fit(kind, x, y, logistic, gbdt);
                let all: Vec<u32> = (0..x.rows() as u32).collect();
                let p = c.probabilities(x, &all);
                (c, p)
            }
            ModelKind::GradientBoosting => {
                let (m, mut p) = GbdtModel::fit_with_margins(x, y, gbdt);
                p.par_iter_mut().for_each(|m| *m = sigmoid(*m));
                (Classifier::GradientBoosting(m), p)
            }
        }
    }

    pub fn kind(&self) -> ModelKind {
        match self {
            Classifier::Logistic(_) => ModelKind::Logistic,
            Classifier::GradientBoosting(_) => ModelKind::GradientBoosting,
        }
    }

    /// Log-odds of churn for one row of raw features.
    pub fn margin(&self, row: &[f64]) -> f64 {
        match self {
            Classifier::Logistic(m) => m.margin(row),
            Classifier::GradientBoosting(m) => m.margin(row),
        }
    }

    /// Log-odds of churn for the given rows of `x`, in order.
    pub fn margins(&self, x: &Matrix, rows: &[u32]) -> Vec<f64> {
        match self {
            Classifier::Logistic(m) => rows.par_iter().map(|&i| m.margin(x.row(i as usize))).collect(),
            Classifier::GradientBoosting(m) => m.margins(x, rows),
        }
    }

    /// Churn probabilities for the given rows of `x`, in order.
    pub fn probabilities(&self, x: &Matrix, rows: &[u32]) -> Vec<f64> {
        let mut p = self.margins(x, rows);
        p.par_iter_mut().for_each(|m| *m = sigmoid(*m));
        p
    }

    /// Margins of the given rows of `x` and their per-feature log-odds contributions
    /// (row-major, rows x features): how far each feature moves the customer's log-odds.
    /// Logistic: coefficient x standardised value (relative to an average customer). Trees:
    /// path (Saabas) contributions, relative to the training base rate.
    pub fn margins_and_contributions(&self, x: &Matrix, rows: &[u32]) -> (Vec<f64>, Vec<f64>) {
        match self {
            Classifier::Logistic(m) => {
                let d = x.cols();
                let mut contributions = vec![0.0; rows.len() * d];
                let margins = contributions
                    .par_chunks_mut(d)
                    .zip(rows)
                    .map(|(out, &i)| {
                        let bias = m.contributions(x.row(i as usize), out);
                        // The same sum, in the same order, as `LogisticModel::margin`.
                        bias + out.iter().sum::<f64>()
                    })
                    .collect();
                (margins, contributions)
            }
            Classifier::GradientBoosting(m) => m.margins_and_contributions(x, rows),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    /// High above 0.7, low below 0.3, medium in between (both ends included).
    pub fn of(risk: f64) -> RiskLevel {
        if risk > 0.7 {
            RiskLevel::High
        } else if risk < 0.3 {
            RiskLevel::Low
        } else {
            RiskLevel::Medium
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRisk {
    pub customer_id: String,
    /// Probability of no order and no activity within the horizon.
    pub risk: f64,
    pub level: RiskLevel,
    /// risk >= the model's F1-optimal threshold.
    pub predicted_churn: bool,
    /// Up to three: what raises the risk (high and medium levels) or what keeps it low (low).
    pub reasons: Vec<Reason>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChurnModel {
    pub horizon_days: u32,
    /// The model was fitted on features as of this time, labelled by activity up to
    /// `labels_until`.
    pub features_at: Time,
    pub labels_until: Time,
    pub trained_rows: usize,
    pub feature_names: Vec<String>,
    /// Median of each feature over the training rows, quoted as "typical" in reasons.
    pub typical: Vec<Option<f64>>,
    /// The F1-maximising threshold on the model's own training rows.
    pub threshold: f64,
    pub classifier: Classifier,
    /// How this kind of model did on a later, held-out window (see `Evaluation`).
    pub evaluation: Evaluation,
}

impl ChurnModel {
    pub fn kind(&self) -> ModelKind {
        self.classifier.kind()
    }

    /// Churn probabilities for rows of features in `feature_names` order.
    pub fn score(&self, features: ArrayView2<f64>) -> Vec<f64> {
        let x = Matrix::from_view(features);
        let rows: Vec<u32> = (0..x.rows() as u32).collect();
        self.classifier.probabilities(&x, &rows)
    }

    /// Risk, level and reasons for the customers `rows` of `histories`, whose features (rows of
    /// `x`, indexed like `histories`) are given.
    pub(crate) fn assess(&self, histories: &[CustomerHistory], x: &Matrix, rows: &[u32]) -> Vec<CustomerRisk> {
        let (margins, contributions) = self.classifier.margins_and_contributions(x, rows);
        let risks: Vec<f64> = margins.into_iter().map(sigmoid).collect();
        let d = x.cols().max(1);
        let explainer = Explainer::new(&self.feature_names, &self.typical);
        rows.par_iter()
            .zip(risks)
            .zip(contributions.par_chunks(d))
            .map(|((&i, risk), contributions)| {
                let level = RiskLevel::of(risk);
                CustomerRisk {
                    customer_id: histories[i as usize].customer_id.clone(),
                    risk,
                    level,
                    predicted_churn: risk >= self.threshold,
                    reasons: explainer.top_reasons(
                        contributions,
                        x.row(i as usize),
                        level != RiskLevel::Low,
                        REASONS_PER_CUSTOMER,
                    ),
                }
            })
            .collect()
    }

    /// Scores every customer who exists at `at` with this (possibly stored) model: their risk of
    /// churning in (at, at + horizon]. Fails if the featurizer's columns differ from the model's.
    pub fn score_customers(
        &self,
        histories: &[CustomerHistory],
        at: Time,
        featurize: &Featurize<'_>,
    ) -> Result<Vec<CustomerRisk>, ChurnError> {
        let features = super::pipeline::FeatureSet::compute(histories, at, featurize)?;
        if features.names != self.feature_names {
            return Err(ChurnError::FeatureMismatch(format!(
                "model expects {:?}, featurizer gives {:?}",
                self.feature_names, features.names
            )));
        }
        Ok(self.assess(histories, &features.matrix, &existing_customers(histories, at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_levels_follow_the_documented_cut_offs() {
        assert_eq!(RiskLevel::of(0.71), RiskLevel::High);
        assert_eq!(RiskLevel::of(0.7), RiskLevel::Medium);
        assert_eq!(RiskLevel::of(0.3), RiskLevel::Medium);
        assert_eq!(RiskLevel::of(0.29), RiskLevel::Low);
    }
}
