//! Picks the winning algorithm and states the verdict. Only algorithms that pass the quality gate
//! (silhouette ≥ the gate and clearly above their own no-structure baselines) may win; among
//! those the highest silhouette wins — noise counted as 0 (`selection_score`), so DBSCAN cannot
//! win just by leaving the hard cases out (ties: k-means, then Ward, then DBSCAN). With none
//! passing, the verdict is "no clear segment structure" and no segments are made up.

use super::evaluate::Candidate;
use super::{AlgorithmResult, SegmentOptions, Structure, NO_CLEAR_STRUCTURE};

pub(crate) struct Verdict {
    pub winner: Option<usize>,
    pub structure: Structure,
    pub message: String,
}

pub(crate) fn verdict(candidates: &[Candidate], options: &SegmentOptions) -> Verdict {
    let mean = |r: &AlgorithmResult| r.selection_score.unwrap_or(f64::NEG_INFINITY);
    let best_of = |filter: &dyn Fn(&AlgorithmResult) -> bool| {
        candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| filter(&c.result))
            .fold(None, |best: Option<usize>, (i, c)| match best {
                Some(b) if mean(&candidates[b].result) >= mean(&c.result) => Some(b),
                _ => Some(i),
            })
    };
    if let Some(w) = best_of(&|r| r.passes_gate) {
        let r = &candidates[w].result;
        let s = r.silhouette.expect("a passing result has a silhouette");
        return Verdict {
            winner: Some(w),
            structure: Structure::Clear,
            message: format!(
                "clear segment structure: {} found {} segments, silhouette {:.2} (95% CI {:.2}–{:.2}) against {}",
                r.algorithm.name(),
                r.k,
                s.mean,
                s.ci_low,
                s.ci_high,
                describe_baselines(r)
            ),
        };
    }
    let detail = match best_of(&|r| r.eligible) {
        Some(b) => {
            let r = &candidates[b].result;
            format!(
                ": the best, {} with {} clusters, reaches silhouette {:.2} against {} (needs ≥ {:.2} and a margin of {:.2} over both)",
                r.algorithm.name(),
                r.k,
                r.silhouette.map_or(0.0, |s| s.mean),
                describe_baselines(r),
                options.quality_gate,
                options.min_margin_over_baseline
            )
        }
        None => ": no algorithm produced a usable clustering".to_string(),
    };
    Verdict {
        winner: None,
        structure: Structure::NoClearStructure,
        message: format!("{NO_CLEAR_STRUCTURE}{detail}"),
    }
}

fn describe_baselines(r: &AlgorithmResult) -> String {
    format!(
        "{:.2} on shuffled data and {:.2} on a matching Gaussian",
        r.baseline_silhouette.unwrap_or(0.0),
        r.gaussian_baseline_silhouette.unwrap_or(0.0)
    )
}

/// Renumbers clusters by size, largest first (ties: the lower old label first), dropping empty
/// ones. Returns the new labels and the sizes in the new order.
pub(crate) fn relabel_by_size(labels: &[Option<u32>]) -> (Vec<Option<u32>>, Vec<usize>) {
    let count = labels
        .iter()
        .flatten()
        .map(|&l| l as usize + 1)
        .max()
        .unwrap_or(0);
    let mut sizes = vec![0usize; count];
    labels
        .iter()
        .flatten()
        .for_each(|&l| sizes[l as usize] += 1);
    let mut order: Vec<usize> = (0..count).filter(|&c| sizes[c] > 0).collect();
    order.sort_by(|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut new_label = vec![u32::MAX; count];
    for (new, &old) in order.iter().enumerate() {
        new_label[old] = new as u32;
    }
    let relabelled = labels
        .iter()
        .map(|l| l.map(|l| new_label[l as usize]))
        .collect();
    (relabelled, order.iter().map(|&c| sizes[c]).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::segment::{Algorithm, SilhouetteEstimate};

    fn candidate(algorithm: Algorithm, mean: f64, noise_share: f64, baseline: f64) -> Candidate {
        let o = SegmentOptions::default();
        let eligible = noise_share <= o.max_noise_share;
        Candidate {
            result: AlgorithmResult {
                algorithm,
                k: 3,
                silhouette: Some(SilhouetteEstimate {
                    mean,
                    ci_low: mean,
                    ci_high: mean,
                    points: 100,
                    exact: true,
                }),
                selection_score: Some(mean * (1.0 - noise_share)),
                baseline_silhouette: Some(baseline),
                gaussian_baseline_silhouette: None,
                k_scores: Vec::new(),
                cluster_sizes: vec![40, 30, 30],
                noise_count: (noise_share * 100.0) as usize,
                dbscan: None,
                eligible,
                passes_gate: eligible
                    && mean >= o.quality_gate
                    && mean - baseline >= o.min_margin_over_baseline,
                note: None,
                run_time_ms: 0.0,
            },
            labels: Vec::new(),
        }
    }

    #[test]
    fn leaving_points_out_as_noise_does_not_win() {
        let candidates = [
            candidate(Algorithm::KMeans, 0.70, 0.0, 0.2),
            candidate(Algorithm::Ward, 0.60, 0.0, 0.2),
            candidate(Algorithm::Dbscan, 0.72, 0.05, 0.0),
        ];
        let v = verdict(&candidates, &SegmentOptions::default());
        assert_eq!((v.winner, v.structure), (Some(0), Structure::Clear));
        assert!(v.message.contains("k-means"), "{}", v.message);
    }

    #[test]
    fn the_gate_and_the_baseline_both_have_to_be_passed() {
        let options = SegmentOptions::default();
        // High silhouette, but shuffled data scores almost as high.
        let close_to_baseline = [candidate(Algorithm::KMeans, 0.60, 0.0, 0.55)];
        let below_gate = [candidate(Algorithm::Ward, 0.40, 0.0, 0.0)];
        for candidates in [&close_to_baseline[..], &below_gate[..]] {
            let v = verdict(candidates, &options);
            assert_eq!((v.winner, v.structure), (None, Structure::NoClearStructure));
            assert!(v.message.starts_with(NO_CLEAR_STRUCTURE), "{}", v.message);
        }
    }

    #[test]
    fn relabels_largest_first() {
        let labels = [Some(2), Some(0), Some(2), None, Some(5), Some(2), Some(5)];
        let (new, sizes) = relabel_by_size(&labels);
        assert_eq!(
            new,
            vec![Some(0), Some(2), Some(0), None, Some(1), Some(0), Some(1)]
        );
        assert_eq!(sizes, vec![3, 2, 1]);
    }
}
