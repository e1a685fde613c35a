//! The silhouette: for each point, how much closer it is to its own cluster than to the nearest
//! other one, in [-1, 1]. Exact on a pairwise distance matrix; for large data that matrix is over
//! a seeded uniform sample and the mean comes with a normal-approximation confidence interval
//! over the per-point values.

use ndarray::ArrayView2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::geometry::{LaneBlocks, Points, LANES};

/// All pairwise Euclidean distances of a (sample of) points, stored as f32: half the memory of
/// f64, and sums over it are accumulated in f64.
pub(crate) struct DistanceMatrix {
    n: usize,
    values: Vec<f32>,
}

impl DistanceMatrix {
    pub(crate) fn new(points: Points) -> DistanceMatrix {
        let n = points.len();
        let blocks = LaneBlocks::of(points);
        let mut values = vec![0f32; n * n];
        // Each row is computed whole (both triangles): twice the arithmetic, but rows are
        // independent, so it parallelises with no synchronisation. Within a row, LANES
        // distances at a time (the same values as `squared_distance`, about 30% faster).
        values
            .par_chunks_mut(n.max(1))
            .enumerate()
            .for_each(|(i, row)| {
                let p = points.row(i);
                for (out, block) in row.chunks_mut(LANES).zip(0..) {
                    for (v, d2) in out.iter_mut().zip(blocks.squared_distances(block, p)) {
                        *v = d2.sqrt() as f32;
                    }
                }
            });
        DistanceMatrix { n, values }
    }

    pub(crate) fn len(&self) -> usize {
        self.n
    }

    #[inline]
    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.values[i * self.n..(i + 1) * self.n]
    }
}

/// A silhouette mean with its 95% confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SilhouetteEstimate {
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Points whose silhouettes were averaged (noise excluded).
    pub points: usize,
    /// Computed on every point: no sampling error, the interval is the mean itself.
    pub exact: bool,
}

impl SilhouetteEstimate {
    /// Mean ± 1.96 standard errors of the per-point values (which are bounded, so the normal
    /// approximation is good at the sample sizes used here).
    pub(crate) fn from_values(values: &[f64], exact: bool) -> SilhouetteEstimate {
        let n = values.len();
        let mean = if n == 0 {
            0.0
        } else {
            values.iter().sum::<f64>() / n as f64
        };
        let half_width = if exact || n < 2 {
            0.0
        } else {
            let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            1.96 * (var / n as f64).sqrt()
        };
        SilhouetteEstimate {
            mean,
            ci_low: (mean - half_width).max(-1.0),
            ci_high: (mean + half_width).min(1.0),
            points: n,
            exact,
        }
    }
}

/// Per-point silhouettes of the labelled points (`None` = noise, left out both as a point and as
/// a neighbour), in index order. `None` when fewer than two clusters have members. A point alone
/// in its cluster scores 0, as is conventional.
pub(crate) fn per_point(distances: &DistanceMatrix, labels: &[Option<u32>]) -> Option<Vec<f64>> {
    assert_eq!(distances.len(), labels.len());
    let clusters = labels
        .iter()
        .flatten()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut sizes = vec![0usize; clusters];
    for &c in labels.iter().flatten() {
        sizes[c as usize] += 1;
    }
    if sizes.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    // Dense bucket per point, noise in an extra bucket that is never read: no branch in the
    // O(n²) loop below.
    let buckets = clusters + 1;
    let dense: Vec<u32> = labels
        .iter()
        .map(|l| l.unwrap_or(clusters as u32))
        .collect();
    let values: Vec<Option<f64>> = (0..labels.len())
        .into_par_iter()
        .map_init(
            || vec![0f64; 4 * buckets],
            |acc, i| {
                let own = labels[i]? as usize;
                acc.iter_mut().for_each(|s| *s = 0.0);
                // Four interleaved accumulator sets break the add-latency chain when
                // neighbouring points share a cluster.
                let (a0, rest) = acc.split_at_mut(buckets);
                let (a1, rest) = rest.split_at_mut(buckets);
                let (a2, a3) = rest.split_at_mut(buckets);
                let row = distances.row(i);
                let mut d4 = row.chunks_exact(4);
                let mut l4 = dense.chunks_exact(4);
                for (d, l) in d4.by_ref().zip(l4.by_ref()) {
                    a0[l[0] as usize] += d[0] as f64;
                    a1[l[1] as usize] += d[1] as f64;
                    a2[l[2] as usize] += d[2] as f64;
                    a3[l[3] as usize] += d[3] as f64;
                }
                for (&d, &l) in d4.remainder().iter().zip(l4.remainder()) {
                    a0[l as usize] += d as f64;
                }
                let sum = |c: usize| a0[c] + a1[c] + a2[c] + a3[c];
                if sizes[own] < 2 {
                    return Some(0.0);
                }
                // The point's distance to itself is 0, so the own-cluster sum needs no correction.
                let a = sum(own) / (sizes[own] - 1) as f64;
                let b = (0..clusters)
                    .filter(|&c| c != own && sizes[c] > 0)
                    .map(|c| sum(c) / sizes[c] as f64)
                    .fold(f64::INFINITY, f64::min);
                let scale = a.max(b);
                Some(if scale > 0.0 { (b - a) / scale } else { 0.0 })
            },
        )
        .collect();
    Some(values.into_iter().flatten().collect())
}

/// Mean silhouette over the labelled points.
pub(crate) fn mean(distances: &DistanceMatrix, labels: &[Option<u32>]) -> Option<f64> {
    per_point(distances, labels).map(|v| v.iter().sum::<f64>() / v.len() as f64)
}

/// The exact mean silhouette of a labelling of `points` (rows), Euclidean distance, noise
/// (`None`) excluded; `None` when fewer than two clusters have members. O(n²) time and memory:
/// meant for small data — [`super::segment`] samples large data itself.
pub fn silhouette_score(points: ArrayView2<f64>, labels: &[Option<u32>]) -> Option<f64> {
    assert_eq!(points.nrows(), labels.len(), "one label per point");
    let points = points.as_standard_layout();
    let flat = points.as_slice().expect("standard layout is contiguous");
    if points.ncols() == 0 {
        return None;
    }
    mean(
        &DistanceMatrix::new(Points::new(flat, points.ncols())),
        labels,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn matches_a_hand_computed_example() {
        // Points on a line: cluster 0 = {0, 1}, cluster 1 = {4, 6}.
        // x=0: a=1, b=(4+6)/2=5 → 0.8;  x=1: a=1, b=(3+5)/2=4 → 0.75
        // x=4: a=2, b=(4+3)/2=3.5 → 1.5/3.5;  x=6: a=2, b=(6+5)/2=5.5 → 3.5/5.5
        let points = array![[0.0], [1.0], [4.0], [6.0]];
        let labels = [Some(0), Some(0), Some(1), Some(1)];
        let expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4.0;
        let got = silhouette_score(points.view(), &labels).unwrap();
        assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    }

    #[test]
    fn noise_is_left_out_and_singletons_score_zero() {
        let points = array![[0.0], [1.0], [4.0], [6.0], [100.0]];
        let with_noise = [Some(0), Some(0), Some(1), Some(1), None];
        let without =
            silhouette_score(points.slice(ndarray::s![..4, ..]), &with_noise[..4]).unwrap();
        assert!((silhouette_score(points.view(), &with_noise).unwrap() - without).abs() < 1e-12);

        let singleton = [Some(0), Some(0), Some(0), Some(0), Some(1)];
        let dm = DistanceMatrix::new(Points::new(points.as_slice().unwrap(), 1));
        assert_eq!(per_point(&dm, &singleton).unwrap()[4], 0.0);
    }

    #[test]
    fn one_cluster_has_no_silhouette() {
        let points = array![[0.0], [1.0], [2.0]];
        assert_eq!(
            silhouette_score(points.view(), &[Some(0), Some(0), None]),
            None
        );
        assert_eq!(
            silhouette_score(points.view(), &[Some(0), Some(0), Some(0)]),
            None
        );
    }

    #[test]
    fn interval_brackets_the_mean_and_collapses_when_exact() {
        let values = [0.1, 0.5, 0.9, 0.3];
        let sampled = SilhouetteEstimate::from_values(&values, false);
        assert!(sampled.ci_low < sampled.mean && sampled.mean < sampled.ci_high);
        let exact = SilhouetteEstimate::from_values(&values, true);
        assert_eq!((exact.ci_low, exact.ci_high), (exact.mean, exact.mean));
    }
}
