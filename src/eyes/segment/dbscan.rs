//! DBSCAN on a seeded sample of points, through k-d trees rather than a distance matrix, so the
//! sample can be large (20,000 points by default) at O(n) memory:
//! - eps is read off the knee of the sample's k-distance curve;
//! - a point is core when at least min_pts points, itself included, lie within eps;
//! - clusters are the groups of core points connected by steps of at most eps;
//! - every point, in the sample or not, joins the cluster of its nearest core point within eps,
//!   else it is noise. (Classic DBSCAN gives a border point reachable from two clusters to the one
//!   it happens to expand first; the nearest core point is the same idea without the order.)
//!
//! min_pts: 2 × dimensions by default (Sander et al.'s rule of thumb; 22 for the 11 EYES
//! features).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::geometry::Points;
use super::kdtree::KdTree;

/// Core points whose neighbours are searched in the first parallel step; later steps double.
const FIRST_CHUNK: usize = 64;
const MAX_CHUNK: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DbscanParams {
    pub eps: f64,
    pub min_pts: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DbscanFit {
    pub params: DbscanParams,
    /// Clusters are numbered in order of their lowest-index core point; `label` assigns points.
    pub clusters: usize,
    /// eps², exactly as the core test used it.
    eps2: f64,
    /// The core points (row-major, in sample order) and their clusters.
    core_points: Vec<f64>,
    core_labels: Vec<u32>,
}

pub(crate) fn default_min_pts(dim: usize) -> usize {
    (2 * dim).max(3)
}

/// Squared distance from each point to its min_pts-th nearest point, itself included (so the
/// (min_pts − 1)-th other point): a point is core exactly when this is within eps².
fn k_distances_squared(points: Points, tree: &KdTree, min_pts: usize) -> Vec<f64> {
    tree.members_kth_nearest_d2(min_pts.clamp(1, points.len().max(1)))
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

/// Squared eps at the knee of the k-distance curve. Never 0: when the knee lands on exact
/// duplicates, the smallest positive k-distance is used instead.
fn eps_squared_at_knee(k_distances_squared: &[f64]) -> f64 {
    let mut sorted = k_distances_squared.to_vec();
    sorted.sort_by(f64::total_cmp);
    // The knee is read on distances, as the curve is usually drawn; squared values would move it.
    let distances: Vec<f64> = sorted.iter().map(|d2| d2.sqrt()).collect();
    let Some(&at_knee) = sorted.get(knee(&distances)) else {
        return 0.0;
    };
    if at_knee > 0.0 {
        at_knee
    } else {
        sorted.iter().copied().find(|&d| d > 0.0).unwrap_or(0.0)
    }
}

/// DBSCAN on `sample` with eps at the knee of its k-distance curve. (The whole curve: its knee
/// depends on its extreme end, which a subset of the points would not reach.)
pub(crate) fn fit(sample: Points, min_pts: usize) -> DbscanFit {
    let k_distances = k_distances_squared(sample, &KdTree::new(sample), min_pts);
    let eps2 = eps_squared_at_knee(&k_distances);
    let core_rows: Vec<usize> = (0..sample.len())
        .filter(|&i| k_distances[i] <= eps2)
        .collect();
    let core_points = sample.gather(&core_rows);
    let core_labels = core_components(Points::new(&core_points, sample.dim()), eps2);
    let clusters = core_labels.iter().map(|&l| l as usize + 1).max().unwrap_or(0);
    DbscanFit {
        params: DbscanParams {
            eps: eps2.sqrt(),
            min_pts,
        },
        eps2,
        clusters,
        core_points,
        core_labels,
    }
}

/// Cluster of each core point: the connected components of the graph joining core points at
/// most eps apart, numbered in order of their lowest index.
///
/// Core points are searched in growing parallel steps, merging components in between. A search
/// leaves out every k-d subtree whose points are all in the searching point's component already
/// (they can add nothing), so once the components have formed, searches are short: exact, at a
/// fraction of the cost of visiting every neighbour within eps.
fn core_components(core: Points, eps2: f64) -> Vec<u32> {
    let n = core.len();
    let tree = KdTree::new(core);
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let (mut start, mut chunk) = (0, FIRST_CHUNK);
    while start < n {
        let end = (start + chunk).min(n);
        let component: Vec<u32> = (0..n as u32).map(|p| root(&mut parent, p)).collect();
        let uniform = tree.node_labels(&component);
        let edges: Vec<(u32, u32)> = (start..end)
            .into_par_iter()
            .flat_map_iter(|p| {
                let own = component[p];
                let mut edges = Vec::new();
                tree.for_each_within_except(
                    core.row(p),
                    eps2,
                    |node| uniform[node as usize] == Some(own),
                    |q, _| {
                        if component[q] != own {
                            edges.push((p as u32, q as u32));
                        }
                    },
                );
                edges
            })
            .collect();
        for (p, q) in edges {
            let (rp, rq) = (root(&mut parent, p), root(&mut parent, q));
            // The lower root wins, so a component's root is its lowest index.
            parent[rp.max(rq) as usize] = rp.min(rq);
        }
        start = end;
        chunk = (chunk * 2).min(MAX_CHUNK);
    }
    let mut ids = vec![u32::MAX; n];
    let mut next = 0;
    (0..n as u32)
        .map(|p| {
            let r = root(&mut parent, p) as usize;
            if ids[r] == u32::MAX {
                ids[r] = next;
                next += 1;
            }
            ids[r]
        })
        .collect()
}

/// Union-find root with path halving.
fn root(parent: &mut [u32], mut p: u32) -> u32 {
    while parent[p as usize] != p {
        let grandparent = parent[parent[p as usize] as usize];
        parent[p as usize] = grandparent;
        p = grandparent;
    }
    p
}

/// Labels for any points: the cluster of the nearest core point within eps, else noise.
pub(crate) fn label(points: Points, fit: &DbscanFit) -> Vec<Option<u32>> {
    let dim = points.dim();
    let tree = KdTree::new(Points::new(&fit.core_points, dim));
    let eps2 = fit.eps2;
    // Core points within eps of each other share a cluster, so once a core point within eps/2
    // is found, every core point nearer than it has the same cluster: the label is settled.
    let settled = eps2 / 4.0;
    points
        .data()
        .par_chunks(dim)
        .map(|row| {
            tree.nearest_until(row, eps2, |_, d2| d2 <= settled)
                .map(|(c, _)| fit.core_labels[c])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::segment::geometry::squared_distance;
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
        let fit = fit(points, default_min_pts(2));
        assert_eq!(fit.clusters, 2, "eps {}", fit.params.eps);
        let labels = label(points, &fit);
        // The moons themselves are recovered (a moon point may occasionally be called noise).
        let moon: Vec<usize> = (0..truth.len())
            .filter(|i| !noise_rows.contains(i))
            .collect();
        let found: Vec<u32> = moon
            .iter()
            .map(|&i| labels[i].unwrap_or(u32::MAX))
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
            .filter(|&&i| labels[i].is_none())
            .count();
        assert!(
            noise_found * 10 >= noise_rows.len() * 7,
            "{noise_found} of {} noise points",
            noise_rows.len()
        );
    }

    #[test]
    fn clusters_are_chains_of_core_points_and_others_join_the_nearest_core() {
        // 1-D, min_pts 3: a dense run at 0..=4 and another at 10..=13, a far point at 50.
        // k-distances: 1 inside the runs, 2 at their ends, 38 for 50; the knee is at 2, so both
        // runs are all core and 6 apart (two clusters), and 50 is noise.
        let sample_data = [0.0, 1.0, 2.0, 3.0, 4.0, 50.0, 10.0, 11.0, 12.0, 13.0];
        let sample = Points::new(&sample_data, 1);
        let fit = fit(sample, 3);
        assert_eq!(fit.params.eps, 2.0);
        assert_eq!(fit.clusters, 2);
        assert_eq!(
            label(sample, &fit),
            vec![
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                None,
                Some(1),
                Some(1),
                Some(1),
                Some(1)
            ]
        );
        // Other points: 2.5 is near a core of the first run, 11.6 of the second, 20 of neither.
        let others = [2.5, 11.6, 20.0];
        assert_eq!(
            label(Points::new(&others, 1), &fit),
            vec![Some(0), Some(1), None]
        );
    }

    #[test]
    fn a_large_sample_matches_classic_dbscan_on_core_points() {
        // Brute-force DBSCAN over all pairs at the same eps: identical core points and the same
        // partition of them.
        let (data, _, _) = moons_with_noise(1500, 100, 0.06, 5);
        let points = Points::new(&data, 2);
        let min_pts = default_min_pts(2);
        let fit = fit(points, min_pts);
        let labels = label(points, &fit);
        let n = points.len();
        let eps2 = fit.params.eps * fit.params.eps;
        let near = |i: usize, j: usize| squared_distance(points.row(i), points.row(j)) <= eps2;
        let core: Vec<bool> = (0..n)
            .map(|i| (0..n).filter(|&j| near(i, j)).count() >= min_pts)
            .collect();
        let mut classic = vec![u32::MAX; n];
        let mut next = 0;
        for seed in 0..n {
            if !core[seed] || classic[seed] != u32::MAX {
                continue;
            }
            classic[seed] = next;
            let mut queue = vec![seed];
            while let Some(p) = queue.pop() {
                for q in 0..n {
                    if core[q] && classic[q] == u32::MAX && near(p, q) {
                        classic[q] = next;
                        queue.push(q);
                    }
                }
            }
            next += 1;
        }
        let core_rows: Vec<usize> = (0..n).filter(|&i| core[i]).collect();
        assert!(core_rows.len() > n / 2);
        assert_eq!(fit.clusters, next as usize);
        for &i in &core_rows {
            assert_eq!(labels[i], Some(classic[i]), "core point {i}");
        }
        // A point that is neither core nor within eps of a core point is noise.
        for i in (0..n).filter(|&i| !core[i]) {
            let reachable = core_rows.iter().any(|&c| near(i, c));
            assert_eq!(labels[i].is_some(), reachable, "point {i}");
        }
    }
}
