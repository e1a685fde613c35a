//! DBSCAN on a sample's distance matrix, with eps read off the knee of the k-distance curve, and
//! the extension of the sample's clusters to every other point.
//!
//! min_pts: 2 × dimensions by default (Sander et al.'s rule of thumb; 22 for the 11 EYES
//! features) — a point is core when at least min_pts points, itself included, lie within eps.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::geometry::Points;
use super::kdtree::KdTree;
use super::silhouette::DistanceMatrix;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbscanParams {
    pub eps: f64,
    pub min_pts: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DbscanFit {
    pub params: DbscanParams,
    /// Per sample point: its cluster, or `None` for noise. Clusters are numbered in order of
    /// their lowest-index core point.
    pub labels: Vec<Option<u32>>,
    pub core: Vec<bool>,
    pub clusters: usize,
}

pub(crate) fn default_min_pts(dim: usize) -> usize {
    (2 * dim).max(3)
}

/// Each point's distance to its min_pts-th nearest point, itself included (so the
/// (min_pts − 1)-th other point): a point is core exactly when this is ≤ eps.
pub(crate) fn k_distances(distances: &DistanceMatrix, min_pts: usize) -> Vec<f64> {
    let n = distances.len();
    let k = min_pts.clamp(1, n.max(1)) - 1;
    (0..n)
        .into_par_iter()
        .map_init(Vec::new, |row, i| {
            row.clear();
            row.extend_from_slice(distances.row(i));
            *row.select_nth_unstable_by(k, f32::total_cmp).1 as f64
        })
        .collect()
}

/// Index of the knee of an ascending curve: the point farthest below the chord from its first
/// to its last value, both axes scaled to [0, 1] (the "Kneedle" criterion). The last index when
/// the curve is flat.
pub(crate) fn knee(sorted: &[f64]) -> usize {
    let n = sorted.len();
    if n < 3 {
        return n.saturating_sub(1);
    }
    let (first, last) = (sorted[0], sorted[n - 1]);
    if last - first <= 0.0 {
        return n - 1;
    }
    let mut best = (f64::NEG_INFINITY, n - 1);
    for (i, &y) in sorted.iter().enumerate() {
        let gap = i as f64 / (n - 1) as f64 - (y - first) / (last - first);
        if gap > best.0 {
            best = (gap, i);
        }
    }
    best.1
}

/// eps at the knee of the k-distance curve. Never 0: when the knee lands on exact duplicates,
/// the smallest positive k-distance is used instead.
pub(crate) fn choose_eps(distances: &DistanceMatrix, min_pts: usize) -> f64 {
    let mut kd = k_distances(distances, min_pts);
    kd.sort_by(f64::total_cmp);
    if kd.is_empty() {
        return 0.0;
    }
    let eps = kd[knee(&kd)];
    if eps > 0.0 {
        eps
    } else {
        kd.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0)
    }
}

/// Classic DBSCAN over the matrix. Visits points in index order, so labels are reproducible;
/// a border point reachable from two clusters joins the one found first.
pub(crate) fn dbscan(distances: &DistanceMatrix, params: DbscanParams) -> DbscanFit {
    let n = distances.len();
    let eps = params.eps as f32;
    let core: Vec<bool> = (0..n)
        .into_par_iter()
        .map(|i| distances.row(i).iter().filter(|&&d| d <= eps).count() >= params.min_pts)
        .collect();
    let mut labels: Vec<Option<u32>> = vec![None; n];
    let mut clusters = 0u32;
    let mut queue = Vec::new();
    for seed in 0..n {
        if !core[seed] || labels[seed].is_some() {
            continue;
        }
        labels[seed] = Some(clusters);
        queue.push(seed);
        while let Some(p) = queue.pop() {
            for (q, &d) in distances.row(p).iter().enumerate() {
                if d <= eps && labels[q].is_none() {
                    labels[q] = Some(clusters);
                    if core[q] {
                        queue.push(q);
                    }
                }
            }
        }
        clusters += 1;
    }
    DbscanFit {
        params,
        labels,
        core,
        clusters: clusters as usize,
    }
}

/// Labels for all points: sample points keep their DBSCAN label; every other point takes the
/// cluster of the nearest sample core point within eps, else it is noise.
/// `sample_indices[s]` is the row (in `all`) of sample point `s`; `sample` holds those rows.
pub(crate) fn extend(
    all: Points,
    sample_indices: &[usize],
    sample: Points,
    fit: &DbscanFit,
) -> Vec<Option<u32>> {
    let dim = sample.dim();
    let core_rows: Vec<usize> = (0..sample.len()).filter(|&s| fit.core[s]).collect();
    let core_points = sample.gather(&core_rows);
    let tree = KdTree::new(Points::new(&core_points, dim));
    let eps2 = fit.params.eps * fit.params.eps;
    // Core points within eps of each other share a cluster, so once a core point within eps/2
    // is found, every core point nearer than it has the same cluster: the label is settled.
    let settled = eps2 / 4.0;
    let mut labels: Vec<Option<u32>> = all
        .data()
        .par_chunks(dim)
        .map(|row| {
            tree.nearest_until(row, eps2, |_, d2| d2 <= settled)
                .and_then(|(c, _)| fit.labels[core_rows[c]])
        })
        .collect();
    for (s, &row) in sample_indices.iter().enumerate() {
        labels[row] = fit.labels[s];
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::segment::test_data::{moons_with_noise, same_partition};

    #[test]
    fn knee_of_a_hockey_stick() {
        let mut curve: Vec<f64> = (0..90).map(|i| 1.0 + i as f64 * 0.001).collect();
        curve.extend((1..=10).map(|i| 1.09 + i as f64));
        let k = knee(&curve);
        assert!((88..=91).contains(&k), "knee at {k}");
        assert_eq!(knee(&[2.0; 10]), 9);
    }

    #[test]
    fn finds_two_moons_and_reports_the_noise() {
        let (data, truth, noise_rows) = moons_with_noise(400, 40, 0.05, 21);
        let points = Points::new(&data, 2);
        let dm = DistanceMatrix::new(points);
        let min_pts = default_min_pts(2);
        let params = DbscanParams {
            eps: choose_eps(&dm, min_pts),
            min_pts,
        };
        let fit = dbscan(&dm, params);
        assert_eq!(fit.clusters, 2, "eps {}", params.eps);
        // The moons themselves are recovered (a moon point may occasionally be called noise).
        let moon: Vec<usize> = (0..truth.len())
            .filter(|i| !noise_rows.contains(i))
            .collect();
        let found: Vec<u32> = moon
            .iter()
            .map(|&i| fit.labels[i].unwrap_or(u32::MAX))
            .collect();
        let expected: Vec<u32> = moon.iter().map(|&i| truth[i]).collect();
        let misplaced = found.iter().filter(|&&l| l == u32::MAX).count();
        assert!(
            misplaced * 100 <= moon.len() * 3,
            "{misplaced} moon points called noise"
        );
        let kept: Vec<usize> = (0..found.len()).filter(|&j| found[j] != u32::MAX).collect();
        assert!(same_partition(
            &kept.iter().map(|&j| found[j]).collect::<Vec<_>>(),
            &kept.iter().map(|&j| expected[j]).collect::<Vec<_>>()
        ));
        // Most scattered points are noise.
        let noise_found = noise_rows
            .iter()
            .filter(|&&i| fit.labels[i].is_none())
            .count();
        assert!(
            noise_found * 10 >= noise_rows.len() * 7,
            "{noise_found} of {} noise points",
            noise_rows.len()
        );
    }

    #[test]
    fn extension_uses_core_points_within_eps() {
        // Sample: a dense run of points at 0..=4 (all core with min_pts 3, eps 1), one far point.
        let sample_data = [0.0, 1.0, 2.0, 3.0, 4.0, 50.0];
        let sample = Points::new(&sample_data, 1);
        let fit = dbscan(
            &DistanceMatrix::new(sample),
            DbscanParams {
                eps: 1.0,
                min_pts: 3,
            },
        );
        assert_eq!(
            fit.labels,
            vec![Some(0), Some(0), Some(0), Some(0), Some(0), None]
        );
        // All data: the sample (rows 0..6) plus 2.5 (near a core) and 20 (far from any).
        let all_data = [0.0, 1.0, 2.0, 3.0, 4.0, 50.0, 2.5, 20.0];
        let labels = extend(Points::new(&all_data, 1), &[0, 1, 2, 3, 4, 5], sample, &fit);
        assert_eq!(labels[6], Some(0));
        assert_eq!(labels[7], None);
        assert_eq!(labels[5], None);
    }
}
