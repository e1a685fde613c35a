//! A small bucketed k-d tree for exact queries: the nearest point within a radius (extending
//! DBSCAN's clusters and Ward's micro-clusters to a million customers), the k-th nearest distance
//! (DBSCAN's k-distance curve) and every point within a radius (DBSCAN's core-point graph).
//! Hand-written because none of the allowed crates has one without per-query allocation
//! (linfa-nn returns boxed iterators over allocated vectors); this one is flat arrays and a
//! recursion on the stack.

use rayon::prelude::*;

use super::geometry::{squared_distance, Points};

const LEAF_SIZE: usize = 8;

#[derive(Clone, Copy, Debug)]
enum Node {
    Leaf {
        start: u32,
        end: u32,
    },
    Split {
        axis: u32,
        value: f64,
        left: u32,
        right: u32,
    },
}

/// What a traversal looks for. Cells farther than `bound()` are pruned; every other point is
/// shown with its squared distance when that is within the bound.
trait Visitor {
    fn bound(&self) -> f64;
    /// Returns true to stop the whole search.
    fn visit(&mut self, index: u32, d2: f64) -> bool;
    /// Whether a whole subtree can be left out (its points are of no interest).
    fn skip(&self, _node: u32) -> bool {
        false
    }
}

/// The nearest point (ties to the lowest index), until `settled` accepts the best so far.
struct Nearest<'f, F> {
    /// (squared distance, index) of the best point so far; index u32::MAX = none yet.
    best: (f64, u32),
    settled: &'f F,
}

impl<F: Fn(usize, f64) -> bool> Visitor for Nearest<'_, F> {
    fn bound(&self) -> f64 {
        self.best.0
    }

    fn visit(&mut self, index: u32, d2: f64) -> bool {
        if d2 < self.best.0 || (d2 == self.best.0 && index < self.best.1) {
            self.best = (d2, index);
            return (self.settled)(index as usize, d2);
        }
        false
    }
}

/// The k smallest squared distances seen, ascending (infinite until k points are seen).
struct KNearest<'b> {
    best: &'b mut [f64],
}

impl Visitor for KNearest<'_> {
    fn bound(&self) -> f64 {
        self.best[self.best.len() - 1]
    }

    fn visit(&mut self, _index: u32, d2: f64) -> bool {
        let k = self.best.len();
        if d2 < self.best[k - 1] {
            let at = self.best.partition_point(|&b| b <= d2);
            self.best.copy_within(at..k - 1, at + 1);
            self.best[at] = d2;
        }
        false
    }
}

/// Every point within a fixed squared radius, except in subtrees `skip` rules out.
struct Within<F, S> {
    max_d2: f64,
    found: F,
    skip: S,
}

impl<F: FnMut(usize, f64), S: Fn(u32) -> bool> Visitor for Within<F, S> {
    fn bound(&self) -> f64 {
        self.max_d2
    }

    fn visit(&mut self, index: u32, d2: f64) -> bool {
        (self.found)(index as usize, d2);
        false
    }

    fn skip(&self, node: u32) -> bool {
        (self.skip)(node)
    }
}

pub(crate) struct KdTree {
    dim: usize,
    /// Point indices, grouped so each leaf owns a contiguous range.
    order: Vec<u32>,
    /// The points, row-major in `order`: a leaf scan reads one contiguous block instead of rows
    /// scattered over the input (the scans are most of a query's time).
    ordered: Vec<f64>,
    nodes: Vec<Node>,
}

impl KdTree {
    pub(crate) fn new(points: Points) -> KdTree {
        let mut tree = KdTree {
            dim: points.dim(),
            order: (0..points.len() as u32).collect(),
            ordered: Vec::new(),
            nodes: Vec::new(),
        };
        if points.len() > 0 {
            tree.build(points, 0, points.len());
        }
        tree.ordered = tree.order.iter().flat_map(|&i| points.row(i as usize)).copied().collect();
        tree
    }

    fn build(&mut self, points: Points, start: usize, end: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node::Leaf {
            start: start as u32,
            end: end as u32,
        });
        if end - start <= LEAF_SIZE {
            return id;
        }
        // Split the widest dimension at its median.
        let dim = self.dim;
        let (mut axis, mut widest) = (0, 0.0);
        for j in 0..dim {
            let (lo, hi) = self.order[start..end].iter().fold(
                (f64::INFINITY, f64::NEG_INFINITY),
                |(lo, hi), &i| {
                    let v = points.row(i as usize)[j];
                    (lo.min(v), hi.max(v))
                },
            );
            if hi - lo > widest {
                (axis, widest) = (j, hi - lo);
            }
        }
        if widest <= 0.0 {
            return id; // all identical: one (large) leaf
        }
        let mid = (start + end) / 2;
        let key = |i: &u32| (points.row(*i as usize)[axis], *i);
        self.order[start..end].select_nth_unstable_by(mid - start, |a, b| {
            key(a).0.total_cmp(&key(b).0).then(key(a).1.cmp(&key(b).1))
        });
        let value = points.row(self.order[mid] as usize)[axis];
        let left = self.build(points, start, mid);
        let right = self.build(points, mid, end);
        self.nodes[id as usize] = Node::Split {
            axis: axis as u32,
            value,
            left,
            right,
        };
        id
    }

    /// The nearest point within squared distance `max_d2` (inclusive) and its squared distance;
    /// ties go to the lowest index, so the answer never depends on the traversal.
    #[cfg(test)]
    pub(crate) fn nearest_within(&self, query: &[f64], max_d2: f64) -> Option<(usize, f64)> {
        self.nearest_until(query, max_d2, |_, _| false)
    }

    #[cfg(test)]
    pub(crate) fn nearest(&self, query: &[f64]) -> Option<(usize, f64)> {
        self.nearest_within(query, f64::INFINITY)
    }

    /// The nearest point within squared distance `max_d2` (inclusive), ties to the lowest index,
    /// except that the search stops as soon as `settled(index, d2)` accepts the best point so
    /// far: for callers that need only the nearest point's *label* and can tell when no point
    /// with another label can be nearer. Still deterministic (the traversal order is fixed).
    pub(crate) fn nearest_until(
        &self,
        query: &[f64],
        max_d2: f64,
        settled: impl Fn(usize, f64) -> bool,
    ) -> Option<(usize, f64)> {
        let mut nearest = Nearest {
            best: (max_d2, u32::MAX),
            settled: &settled,
        };
        self.traverse(query, &mut nearest);
        let (d2, i) = nearest.best;
        (i != u32::MAX).then_some((i as usize, d2))
    }

    /// The squared distance to the k-th nearest point (k ≥ 1; a point in the tree is its own
    /// nearest, at 0). `buffer` is scratch space, reused across calls to avoid allocating.
    /// Infinite when the tree holds fewer than k points.
    #[cfg(test)]
    pub(crate) fn kth_nearest_d2(&self, query: &[f64], k: usize, buffer: &mut Vec<f64>) -> f64 {
        assert!(k >= 1, "k must be at least 1");
        self.kth_nearest_d2_within(query, k, f64::INFINITY, buffer)
    }

    /// For each of the tree's own points, indexed like the input: the squared distance to its
    /// k-th nearest point, itself included (what `kth_nearest_d2` gives, for all at once).
    ///
    /// Two things make this much cheaper than n separate queries. The points are queried in leaf
    /// order, so consecutive searches walk the same nodes while they are in cache. And each
    /// search starts from a finite bound: the k-th smallest distance to the 2k + 1 points around
    /// it in leaf order, which are real points and mostly its spatial neighbours, so the true
    /// k-th distance is no larger and far cells are pruned from the first step (a plain search
    /// must scan several leaves before it has k candidates to bound by).
    pub(crate) fn members_kth_nearest_d2(&self, k: usize) -> Vec<f64> {
        assert!(k >= 1, "k must be at least 1");
        let n = self.order.len();
        if k > n {
            return vec![f64::INFINITY; n];
        }
        let dim = self.dim;
        let window = (2 * k + 1).min(n);
        let by_position: Vec<f64> = (0..n)
            .into_par_iter()
            .map_init(Vec::new, |buffer, p| {
                let query = &self.ordered[p * dim..(p + 1) * dim];
                let start = p.saturating_sub(k).min(n - window);
                buffer.clear();
                buffer.extend(
                    self.ordered[start * dim..(start + window) * dim]
                        .chunks_exact(dim)
                        .map(|row| squared_distance(query, row)),
                );
                let (_, &mut bound, _) = buffer.select_nth_unstable_by(k - 1, f64::total_cmp);
                self.kth_nearest_d2_within(query, k, bound, buffer)
            })
            .collect();
        let mut out = vec![0.0; n];
        for (&i, d2) in self.order.iter().zip(by_position) {
            out[i as usize] = d2;
        }
        out
    }

    /// `kth_nearest_d2` given an upper bound on the answer (which the search then prunes by).
    fn kth_nearest_d2_within(&self, query: &[f64], k: usize, bound: f64, buffer: &mut Vec<f64>) -> f64 {
        buffer.clear();
        // Filled with the bound: a point is taken only when strictly nearer, so the k-th entry
        // ends as the true k-th distance, or as the bound when that is exactly the answer.
        buffer.resize(k, bound);
        let mut knn = KNearest { best: buffer };
        self.traverse(query, &mut knn);
        buffer[k - 1]
    }

    /// Calls `found(index, d2)` for every point within squared distance `max_d2` (inclusive), in
    /// a fixed order, leaving out the subtrees (node ids, see `node_labels`) for which `skip` is
    /// true.
    pub(crate) fn for_each_within_except(
        &self,
        query: &[f64],
        max_d2: f64,
        skip: impl Fn(u32) -> bool,
        found: impl FnMut(usize, f64),
    ) {
        self.traverse(query, &mut Within { max_d2, found, skip });
    }

    /// Per node id: the label all its points share, or `None` when they differ.
    pub(crate) fn node_labels(&self, labels: &[u32]) -> Vec<Option<u32>> {
        let mut out = vec![None; self.nodes.len()];
        // Children have higher ids than their parent, so a reverse sweep sees them first.
        for id in (0..self.nodes.len()).rev() {
            out[id] = match self.nodes[id] {
                Node::Leaf { start, end } => {
                    let mut points = self.order[start as usize..end as usize].iter();
                    let first = points.next().map(|&i| labels[i as usize]);
                    first.filter(|&l| points.all(|&i| labels[i as usize] == l))
                }
                Node::Split { left, right, .. } => {
                    let (l, r) = (out[left as usize], out[right as usize]);
                    l.filter(|_| l == r)
                }
            };
        }
        out
    }

    fn traverse(&self, query: &[f64], visitor: &mut impl Visitor) {
        if self.nodes.is_empty() {
            return;
        }
        // Per-axis distance from the query to the current cell (Arya & Mount's incremental
        // bound): prunes far better than the split plane alone once there are many dimensions.
        let mut stack_offsets = [0f64; 32];
        let mut heap_offsets = Vec::new();
        let offsets = if query.len() <= stack_offsets.len() {
            &mut stack_offsets[..query.len()]
        } else {
            heap_offsets.resize(query.len(), 0.0);
            &mut heap_offsets[..]
        };
        self.search(0, query, 0.0, offsets, visitor);
    }

    /// `cell_d2`: squared distance from the query to this node's cell (sum of `offsets²`).
    /// Returns true when the visitor stopped the search.
    fn search(
        &self,
        node: u32,
        query: &[f64],
        cell_d2: f64,
        offsets: &mut [f64],
        visitor: &mut impl Visitor,
    ) -> bool {
        if visitor.skip(node) {
            return false;
        }
        match self.nodes[node as usize] {
            Node::Leaf { start, end } => {
                let (start, end) = (start as usize, end as usize);
                let dim = self.dim;
                let rows = self.ordered[start * dim..end * dim].chunks_exact(dim);
                for (&i, row) in self.order[start..end].iter().zip(rows) {
                    // The whole distance, with no early exit once past the bound: a branch per
                    // coordinate mispredicts so often that stopping halfway costs more than it
                    // saves (the k-distance pass took twice as long with it). Same sum order,
                    // so the same values.
                    let d2 = squared_distance(query, row);
                    if d2 <= visitor.bound() && visitor.visit(i, d2) {
                        return true;
                    }
                }
                false
            }
            Node::Split {
                axis,
                value,
                left,
                right,
            } => {
                let axis = axis as usize;
                let diff = query[axis] - value;
                let (near, far) = if diff < 0.0 {
                    (left, right)
                } else {
                    (right, left)
                };
                if self.search(near, query, cell_d2, offsets, visitor) {
                    return true;
                }
                let old = offsets[axis];
                let far_d2 = cell_d2 - old * old + diff * diff;
                if far_d2 <= visitor.bound() {
                    offsets[axis] = diff;
                    let stopped = self.search(far, query, far_d2, offsets, visitor);
                    offsets[axis] = old;
                    return stopped;
                }
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::segment::geometry::squared_distance;
    use rand::{Rng, SeedableRng};

    #[test]
    fn agrees_with_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(4);
        let dim = 5;
        let data: Vec<f64> = (0..500 * dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let points = Points::new(&data, dim);
        let tree = KdTree::new(points);
        for _ in 0..200 {
            let q: Vec<f64> = (0..dim).map(|_| rng.gen_range(-1.2..1.2)).collect();
            let brute = (0..points.len())
                .map(|i| (squared_distance(&q, points.row(i)), i))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .unwrap();
            assert_eq!(tree.nearest(&q), Some((brute.1, brute.0)));
            let radius = 0.3;
            let within = tree.nearest_within(&q, radius);
            assert_eq!(within, (brute.0 <= radius).then_some((brute.1, brute.0)));
        }
    }

    #[test]
    fn k_nearest_and_radius_queries_agree_with_brute_force() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let dim = 6;
        let data: Vec<f64> = (0..700 * dim).map(|_| rng.gen_range(-1.0..1.0)).collect();
        let points = Points::new(&data, dim);
        let tree = KdTree::new(points);
        let mut buffer = Vec::new();
        for q in 0..150 {
            // Half the queries are points of the tree (their own nearest, at 0).
            let query: Vec<f64> = if q % 2 == 0 {
                points.row(q).to_vec()
            } else {
                (0..dim).map(|_| rng.gen_range(-1.2..1.2)).collect()
            };
            let mut all: Vec<(f64, usize)> = (0..points.len())
                .map(|i| (squared_distance(&query, points.row(i)), i))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0));
            for k in [1, 5, 22] {
                assert_eq!(tree.kth_nearest_d2(&query, k, &mut buffer), all[k - 1].0);
            }
            let radius = all[30].0;
            let mut found = Vec::new();
            tree.for_each_within_except(&query, radius, |_| false, |i, d2| found.push((d2, i)));
            found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut expected: Vec<(f64, usize)> =
                all.iter().copied().filter(|&(d2, _)| d2 <= radius).collect();
            expected.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            assert_eq!(found, expected);
        }
        let few = KdTree::new(Points::new(&data[..3 * dim], dim));
        assert_eq!(few.kth_nearest_d2(points.row(0), 4, &mut buffer), f64::INFINITY);
    }

    #[test]
    fn every_members_kth_distance_is_exact() {
        // Clumps with exact duplicates (ties at the bound) and a far outlier, so the seeded
        // bounds are sometimes tight, sometimes loose; a small set and a large one, checked on
        // every 13th point against a full sort.
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let dim = 4;
        let mut data: Vec<f64> = Vec::new();
        for i in 0..4_200 {
            let centre = (i % 3) as f64 * 5.0;
            let row: Vec<f64> = (0..dim).map(|_| centre + rng.gen_range(-1.0..1.0)).collect();
            data.extend(&row);
            if i % 10 == 0 {
                data.extend(&row);
            }
        }
        data.extend([100.0; 4]);
        for points in [Points::new(&data[data.len() - 500 * dim..], dim), Points::new(&data, dim)] {
            let tree = KdTree::new(points);
            for k in [1, 2, 7, 22, points.len(), points.len() + 1] {
                let all = tree.members_kth_nearest_d2(k);
                assert_eq!(all.len(), points.len());
                for i in (0..points.len()).step_by(13).chain([points.len() - 1]) {
                    let mut d: Vec<f64> =
                        (0..points.len()).map(|j| squared_distance(points.row(i), points.row(j))).collect();
                    d.sort_by(f64::total_cmp);
                    let want = d.get(k - 1).copied().unwrap_or(f64::INFINITY);
                    assert_eq!(all[i], want, "{} points, point {i}, k {k}", points.len());
                }
            }
        }
    }

    #[test]
    fn subtrees_of_one_label_can_be_left_out() {
        // Points 0..100 on a line, labelled by halves: leaving out subtrees wholly labelled 0
        // leaves exactly the label-1 points (plus label-0 points in mixed leaves, if any).
        let data: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let tree = KdTree::new(Points::new(&data, 1));
        let labels: Vec<u32> = (0..100).map(|i| u32::from(i >= 50)).collect();
        let uniform = tree.node_labels(&labels);
        assert_eq!(uniform[0], None, "the root holds both labels");
        let mut found = Vec::new();
        tree.for_each_within_except(&[50.0], 100.0, |node| uniform[node as usize] == Some(0), |i, _| found.push(i));
        found.sort_unstable();
        assert!(found.iter().all(|&i| (40..=60).contains(&i)));
        assert!((50..=60).all(|i| found.contains(&i)), "every label-1 point within 10 is found");
        assert!(found.iter().filter(|&&i| i < 50).count() < LEAF_SIZE, "label-0 subtrees were skipped");
        let all_one = vec![1u32; 100];
        assert!(tree.node_labels(&all_one).iter().all(|&l| l == Some(1)));
    }

    #[test]
    fn stops_once_settled() {
        let data: Vec<f64> = (0..100).map(|i| i as f64).collect();
        let tree = KdTree::new(Points::new(&data, 1));
        // Any point within 10 will do: the answer is within 10 but need not be the nearest.
        let (i, d2) = tree
            .nearest_until(&[50.2], f64::INFINITY, |_, d2| d2 <= 100.0)
            .unwrap();
        assert!(d2 <= 100.0 && (i as f64 - 50.2).powi(2) == d2);
        assert_eq!(
            tree.nearest_until(&[50.2], f64::INFINITY, |_, _| false),
            Some((50, (50.2f64 - 50.0).powi(2)))
        );
    }

    #[test]
    fn handles_duplicates_and_empty_sets() {
        let data = vec![2.0; 3 * 40];
        let tree = KdTree::new(Points::new(&data, 3));
        assert_eq!(tree.nearest(&[2.0, 2.0, 2.0]), Some((0, 0.0)));
        let empty: Vec<f64> = Vec::new();
        assert_eq!(KdTree::new(Points::new(&empty, 3)).nearest(&[0.0; 3]), None);
    }
}
