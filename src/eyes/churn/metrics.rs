//! Classification metrics for churn scores: ROC AUC (ties count half), the ROC curve, precision /
//! recall / F1 at a threshold, the F1-maximising threshold, and calibration.
//!
//! Convention everywhere: a higher score means more likely to churn, and a customer is predicted
//! to churn when score >= threshold.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct RocPoint {
    pub false_positive_rate: f64,
    pub true_positive_rate: f64,
    /// Score threshold giving this point; `None` for the origin (nobody predicted to churn).
    pub threshold: Option<f64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    pub true_positives: usize,
    pub false_positives: usize,
    pub true_negatives: usize,
    pub false_negatives: usize,
}

impl Confusion {
    pub fn precision(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    pub fn recall(&self) -> f64 {
        ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    /// 2TP / (2TP + FP + FN), the harmonic mean of precision and recall (0 when undefined).
    pub fn f1(&self) -> f64 {
        ratio(2 * self.true_positives, 2 * self.true_positives + self.false_positives + self.false_negatives)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Scores in [lower, upper) (the last bin includes 1).
    pub lower: f64,
    pub upper: f64,
    pub count: usize,
    /// Mean score and observed churn rate of the bin; `None` when it is empty.
    pub mean_predicted: Option<f64>,
    pub observed_rate: Option<f64>,
}

/// Everything reported for one model on one labelled window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    pub n: usize,
    pub churned: usize,
    pub base_rate: f64,
    /// `None` when the window has only one class.
    pub auc: Option<f64>,
    /// At most `ROC_POINTS` points from (0, 0) to (1, 1), for charting.
    pub roc: Vec<RocPoint>,
    pub threshold: f64,
    pub confusion: Confusion,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub calibration: Vec<CalibrationBin>,
    /// Mean squared difference between score and outcome.
    pub brier: f64,
}

pub const ROC_POINTS: usize = 100;
pub const CALIBRATION_BINS: usize = 10;

/// Scores sorted descending, grouped into runs of equal score with their positive and negative
/// counts: (score, positives, negatives).
fn tie_groups(scores: &[f64], labels: &[bool]) -> Vec<(f64, usize, usize)> {
    assert_eq!(scores.len(), labels.len());
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    // Within a run of equal scores the order does not matter: runs are summarised as counts.
    pairs.par_sort_unstable_by(|a, b| b.0.total_cmp(&a.0));
    let mut groups: Vec<(f64, usize, usize)> = Vec::new();
    for (s, y) in pairs {
        match groups.last_mut() {
            Some(g) if g.0 == s => {
                if y {
                    g.1 += 1
                } else {
                    g.2 += 1
                }
            }
            _ => groups.push((s, y as usize, (!y) as usize)),
        }
    }
    groups
}

fn auc_from_groups(groups: &[(f64, usize, usize)]) -> Option<f64> {
    let positives: usize = groups.iter().map(|g| g.1).sum();
    let negatives: usize = groups.iter().map(|g| g.2).sum();
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Each negative scores 1 per positive ranked above it and 1/2 per positive tied with it.
    let mut above = 0.0;
    let mut area = 0.0;
    for &(_, p, n) in groups {
        area += n as f64 * (above + 0.5 * p as f64);
        above += p as f64;
    }
    Some(area / (positives as f64 * negatives as f64))
}

/// ROC AUC, the probability that a random churner scores above a random non-churner (ties
/// count half). `None` when either class is absent.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    auc_from_groups(&tie_groups(scores, labels))
}

fn roc_from_groups(groups: &[(f64, usize, usize)], max_points: usize) -> Vec<RocPoint> {
    let positives: usize = groups.iter().map(|g| g.1).sum();
    let negatives: usize = groups.iter().map(|g| g.2).sum();
    let mut full = vec![RocPoint { false_positive_rate: 0.0, true_positive_rate: 0.0, threshold: None }];
    let (mut tp, mut fp) = (0, 0);
    for &(s, p, n) in groups {
        tp += p;
        fp += n;
        full.push(RocPoint {
            false_positive_rate: ratio(fp, negatives),
            true_positive_rate: ratio(tp, positives),
            threshold: Some(s),
        });
    }
    downsample(full, max_points.max(2))
}

/// Evenly spaced points of the curve, always keeping both ends.
fn downsample(points: Vec<RocPoint>, max_points: usize) -> Vec<RocPoint> {
    if points.len() <= max_points {
        return points;
    }
    let last = points.len() - 1;
    (0..max_points).map(|k| points[(k * last + (max_points - 1) / 2) / (max_points - 1)]).collect()
}

/// The ROC curve, at most `max_points` points.
pub fn roc_curve(scores: &[f64], labels: &[bool], max_points: usize) -> Vec<RocPoint> {
    roc_from_groups(&tie_groups(scores, labels), max_points)
}

pub fn confusion_at(scores: &[f64], labels: &[bool], threshold: f64) -> Confusion {
    let mut c = Confusion::default();
    for (&s, &y) in scores.iter().zip(labels) {
        match (s >= threshold, y) {
            (true, true) => c.true_positives += 1,
            (true, false) => c.false_positives += 1,
            (false, false) => c.true_negatives += 1,
            (false, true) => c.false_negatives += 1,
        }
    }
    c
}

/// The threshold (one of the scores) with the highest F1; the highest such threshold on ties.
/// 0.5 when there are no churners to find.
pub fn best_f1_threshold(scores: &[f64], labels: &[bool]) -> f64 {
    best_f1_from_groups(&tie_groups(scores, labels))
}

/// `best_f1_threshold` and `roc_auc` together, sorting the scores once.
pub fn best_f1_threshold_and_auc(scores: &[f64], labels: &[bool]) -> (f64, Option<f64>) {
    let groups = tie_groups(scores, labels);
    (best_f1_from_groups(&groups), auc_from_groups(&groups))
}

fn best_f1_from_groups(groups: &[(f64, usize, usize)]) -> f64 {
    let positives: usize = groups.iter().map(|g| g.1).sum();
    if positives == 0 {
        return 0.5;
    }
    let (mut tp, mut fp) = (0, 0);
    let mut best = (f64::NEG_INFINITY, 0.5);
    for &(s, p, n) in groups {
        tp += p;
        fp += n;
        let f1 = 2.0 * tp as f64 / (2 * tp + fp + (positives - tp)) as f64;
        if f1 > best.0 {
            best = (f1, s);
        }
    }
    best.1
}

/// Reliability table over equal-width score bins on [0, 1], and the Brier score.
pub fn calibration(scores: &[f64], labels: &[bool], bins: usize) -> (Vec<CalibrationBin>, f64) {
    let mut sums = vec![(0usize, 0.0f64, 0usize); bins];
    let mut squared = 0.0;
    for (&s, &y) in scores.iter().zip(labels) {
        let k = ((s * bins as f64) as usize).min(bins - 1);
        sums[k].0 += 1;
        sums[k].1 += s;
        sums[k].2 += y as usize;
        let outcome = if y { 1.0 } else { 0.0 };
        squared += (s - outcome) * (s - outcome);
    }
    let table = sums
        .iter()
        .enumerate()
        .map(|(k, &(count, total, churned))| CalibrationBin {
            lower: k as f64 / bins as f64,
            upper: (k + 1) as f64 / bins as f64,
            count,
            mean_predicted: (count > 0).then(|| total / count as f64),
            observed_rate: (count > 0).then(|| churned as f64 / count as f64),
        })
        .collect();
    (table, if scores.is_empty() { 0.0 } else { squared / scores.len() as f64 })
}

/// All metrics of probability `scores` against `labels`, at `threshold`.
pub fn evaluate(scores: &[f64], labels: &[bool], threshold: f64) -> Metrics {
    let groups = tie_groups(scores, labels);
    let confusion = confusion_at(scores, labels, threshold);
    let (calibration, brier) = calibration(scores, labels, CALIBRATION_BINS);
    let churned = labels.iter().filter(|&&y| y).count();
    Metrics {
        n: labels.len(),
        churned,
        base_rate: ratio(churned, labels.len()),
        auc: auc_from_groups(&groups),
        roc: roc_from_groups(&groups, ROC_POINTS),
        threshold,
        precision: confusion.precision(),
        recall: confusion.recall(),
        f1: confusion.f1(),
        confusion,
        calibration,
        brier,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_a_hand_example_with_ties() {
        // Churners score 0.9, 0.5, 0.3; non-churners 0.5, 0.2.
        // Pairs (churner, non-churner): (0.9,0.5)=1 (0.9,0.2)=1 (0.5,0.5)=1/2 (0.5,0.2)=1
        // (0.3,0.5)=0 (0.3,0.2)=1  -> 4.5 / 6 = 0.75.
        let scores = [0.9, 0.5, 0.3, 0.5, 0.2];
        let labels = [true, true, true, false, false];
        assert_eq!(roc_auc(&scores, &labels), Some(0.75));
        // All tied: 1/2. Perfect and reversed: 1 and 0. One class: undefined.
        assert_eq!(roc_auc(&[0.4; 4], &[true, false, true, false]), Some(0.5));
        assert_eq!(roc_auc(&[0.9, 0.1], &[true, false]), Some(1.0));
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, false]), Some(0.0));
        assert_eq!(roc_auc(&[0.1, 0.9], &[true, true]), None);
    }

    #[test]
    fn precision_recall_f1_of_a_hand_example() {
        // At threshold 0.5: predicted churners 0.9 (yes), 0.5 (yes), 0.5 (no) -> TP 2, FP 1;
        // missed churner 0.3 -> FN 1; 0.2 (no) -> TN 1.
        // precision 2/3, recall 2/3, F1 = 2*2 / (2*2 + 1 + 1) = 2/3.
        let scores = [0.9, 0.5, 0.3, 0.5, 0.2];
        let labels = [true, true, true, false, false];
        let c = confusion_at(&scores, &labels, 0.5);
        assert_eq!(c, Confusion { true_positives: 2, false_positives: 1, true_negatives: 1, false_negatives: 1 });
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-15);
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-15);
        assert!((c.f1() - 2.0 / 3.0).abs() < 1e-15);
        // Candidate thresholds: 0.9 -> F1 2/(2+0+2) = 0.5; 0.5 -> 2/3; 0.3 -> 6/(6+1) = 6/7;
        // 0.2 -> 6/(6+2) = 3/4. Best is 0.3.
        assert_eq!(best_f1_threshold(&scores, &labels), 0.3);
        assert_eq!(best_f1_threshold_and_auc(&scores, &labels), (0.3, Some(0.75)));
    }

    #[test]
    fn roc_curve_runs_from_origin_to_corner_and_is_capped() {
        let scores = [0.9, 0.5, 0.3, 0.5, 0.2];
        let labels = [true, true, true, false, false];
        let roc = roc_curve(&scores, &labels, 100);
        let rates: Vec<(f64, f64)> = roc.iter().map(|p| (p.false_positive_rate, p.true_positive_rate)).collect();
        assert_eq!(rates, vec![(0.0, 0.0), (0.0, 1.0 / 3.0), (0.5, 2.0 / 3.0), (0.5, 1.0), (1.0, 1.0)]);
        let many: Vec<f64> = (0..10_000).map(|i| i as f64 / 10_000.0).collect();
        let labels: Vec<bool> = (0..10_000).map(|i| i % 3 == 0).collect();
        let roc = roc_curve(&many, &labels, 100);
        assert_eq!(roc.len(), 100);
        assert_eq!(roc[0].threshold, None);
        assert_eq!((roc[99].false_positive_rate, roc[99].true_positive_rate), (1.0, 1.0));
        assert!(roc.windows(2).all(|w| w[0].false_positive_rate <= w[1].false_positive_rate));
    }

    #[test]
    fn calibration_table_and_brier() {
        let scores = [0.05, 0.15, 0.12, 0.95, 1.0];
        let labels = [false, true, false, true, true];
        let (table, brier) = calibration(&scores, &labels, 10);
        assert_eq!(table[1].count, 2);
        assert_eq!(table[1].observed_rate, Some(0.5));
        assert!((table[1].mean_predicted.unwrap() - 0.135).abs() < 1e-12);
        assert_eq!(table[9].count, 2);
        assert_eq!(table[5].mean_predicted, None);
        let want = (0.05f64.powi(2) + 0.85f64.powi(2) + 0.12f64.powi(2) + 0.05f64.powi(2)) / 5.0;
        assert!((brier - want).abs() < 1e-12);
    }
}
