//! Agglomerative clustering with Ward's criterion on weighted points (k-means micro-clusters
//! weighted by their sizes, so a sample of thousands becomes a tree of a few hundred leaves).
//!
//! Merging A and B raises the within-cluster sum of squares by
//! `w_A·w_B / (w_A + w_B) · ‖c_A − c_B‖²`; each step merges the cheapest pair. With at most a few
//! hundred leaves a cached cost matrix (O(L³) overall) is simpler and fast enough; no crate in
//! the allowed set offers weighted Ward.

/// The merge order of a Ward tree over `leaves` weighted points.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct WardTree {
    pub leaves: usize,
    /// Each merge joins two active slots; the result keeps the lower slot.
    pub merges: Vec<(usize, usize)>,
}

pub(crate) fn build(centroids: &[f64], weights: &[f64], dim: usize) -> WardTree {
    let leaves = weights.len();
    assert_eq!(centroids.len(), leaves * dim);
    let mut centres = centroids.to_vec();
    let mut mass = weights.to_vec();
    let mut active = vec![true; leaves];
    let cost = |centres: &[f64], mass: &[f64], a: usize, b: usize| {
        let d2: f64 = centres[a * dim..(a + 1) * dim]
            .iter()
            .zip(&centres[b * dim..(b + 1) * dim])
            .map(|(x, y)| (x - y) * (x - y))
            .sum();
        mass[a] * mass[b] / (mass[a] + mass[b]) * d2
    };
    // Upper triangle: costs[a * leaves + b] for a < b.
    let mut costs = vec![f64::INFINITY; leaves * leaves];
    for a in 0..leaves {
        for b in a + 1..leaves {
            costs[a * leaves + b] = cost(&centres, &mass, a, b);
        }
    }
    let mut merges = Vec::with_capacity(leaves.saturating_sub(1));
    for _ in 1..leaves {
        // Cheapest active pair; scanning in (a, b) order with a strict `<` keeps ties reproducible.
        let mut best = (f64::INFINITY, usize::MAX, usize::MAX);
        for a in (0..leaves).filter(|&a| active[a]) {
            for b in (a + 1..leaves).filter(|&b| active[b]) {
                let c = costs[a * leaves + b];
                if c < best.0 || best.1 == usize::MAX {
                    best = (c, a, b);
                }
            }
        }
        let (_, a, b) = best;
        let total = mass[a] + mass[b];
        for j in 0..dim {
            centres[a * dim + j] =
                (mass[a] * centres[a * dim + j] + mass[b] * centres[b * dim + j]) / total;
        }
        mass[a] = total;
        active[b] = false;
        merges.push((a, b));
        for other in (0..leaves).filter(|&o| active[o] && o != a) {
            let (lo, hi) = if other < a { (other, a) } else { (a, other) };
            costs[lo * leaves + hi] = cost(&centres, &mass, lo, hi);
        }
    }
    WardTree { leaves, merges }
}

/// Leaf labels when the tree is cut into `k` clusters (k clamped to 1..=leaves), numbered 0..k
/// in order of each cluster's lowest leaf.
pub(crate) fn cut(tree: &WardTree, k: usize) -> Vec<u32> {
    let k = k.clamp(1, tree.leaves.max(1));
    let mut parent: Vec<usize> = (0..tree.leaves).collect();
    fn root(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for &(a, b) in tree.merges.iter().take(tree.leaves - k) {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        parent[rb] = ra;
    }
    let mut label_of_root = vec![u32::MAX; tree.leaves];
    let mut next = 0;
    (0..tree.leaves)
        .map(|leaf| {
            let r = root(&mut parent, leaf);
            if label_of_root[r] == u32::MAX {
                label_of_root[r] = next;
                next += 1;
            }
            label_of_root[r]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_the_cheapest_pairs_first() {
        // Two tight pairs far apart on a line.
        let centres = [0.0, 1.0, 10.0, 11.5];
        let tree = build(&centres, &[1.0; 4], 1);
        assert_eq!(tree.merges[0], (0, 1));
        assert_eq!(tree.merges[1], (2, 3));
        assert_eq!(cut(&tree, 2), vec![0, 0, 1, 1]);
        assert_eq!(cut(&tree, 4), vec![0, 1, 2, 3]);
        assert_eq!(cut(&tree, 1), vec![0; 4]);
    }

    #[test]
    fn weights_change_the_merge_cost() {
        // Equal gaps, but merging the heavy leaf 1 costs more than merging light leaf 2 with 3.
        let centres = [0.0, 1.0, 2.0, 3.0];
        let tree = build(&centres, &[1.0, 100.0, 1.0, 1.0], 1);
        assert_eq!(tree.merges[0], (2, 3));
    }

    #[test]
    fn ward_recovers_blobs_from_micro_clusters() {
        use crate::eyes::segment::geometry::Points;
        use crate::eyes::segment::kmeans::{fit_best_of, Settings};
        use crate::eyes::segment::sample::Stream;
        use crate::eyes::segment::test_data::{gaussian_blobs, same_partition};

        let (data, truth) = gaussian_blobs(
            &[[0.0, 0.0], [8.0, 0.0], [0.0, 8.0], [8.0, 8.0]],
            300,
            0.7,
            11,
        );
        let points = Points::new(&data, 2);
        let settings = Settings {
            restarts: 1,
            max_iter: 50,
            tolerance: 1e-7,
            greedy: false,
            seed: 3,
            stream: Stream::WardMicroClusters,
        };
        let micro = fit_best_of(points, 40, settings);
        let mut weights = vec![0.0; 40];
        for &l in &micro.labels {
            weights[l as usize] += 1.0;
        }
        let tree = build(&micro.centroids, &weights, 2);
        let leaf_labels = cut(&tree, 4);
        let labels: Vec<u32> = micro
            .labels
            .iter()
            .map(|&m| leaf_labels[m as usize])
            .collect();
        assert!(same_partition(&labels, &truth));
    }
}
