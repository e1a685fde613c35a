//! A small bucketed k-d tree for exact nearest-neighbour queries with a radius cap: extending a
//! sample's DBSCAN clusters (nearest core point within eps) and Ward's micro-clusters (nearest
//! micro-centre) to a million customers. Hand-written because none of the allowed crates has one
//! without per-query allocation (linfa-nn returns boxed iterators over allocated vectors); this
//! one is flat arrays and a recursion on the stack.

use super::geometry::Points;

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

struct Search<'f, F> {
    /// (squared distance, index) of the best point so far; index u32::MAX = none yet.
    best: (f64, u32),
    done: bool,
    settled: &'f F,
}

pub(crate) struct KdTree<'a> {
    points: Points<'a>,
    /// Point indices, grouped so each leaf owns a contiguous range.
    order: Vec<u32>,
    nodes: Vec<Node>,
}

impl<'a> KdTree<'a> {
    pub(crate) fn new(points: Points<'a>) -> KdTree<'a> {
        let mut tree = KdTree {
            points,
            order: (0..points.len() as u32).collect(),
            nodes: Vec::new(),
        };
        if points.len() > 0 {
            tree.build(0, points.len());
        }
        tree
    }

    fn build(&mut self, start: usize, end: usize) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node::Leaf {
            start: start as u32,
            end: end as u32,
        });
        if end - start <= LEAF_SIZE {
            return id;
        }
        // Split the widest dimension at its median.
        let dim = self.points.dim();
        let (mut axis, mut widest) = (0, 0.0);
        for j in 0..dim {
            let (lo, hi) = self.order[start..end].iter().fold(
                (f64::INFINITY, f64::NEG_INFINITY),
                |(lo, hi), &i| {
                    let v = self.points.row(i as usize)[j];
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
        let points = self.points;
        let key = |i: &u32| (points.row(*i as usize)[axis], *i);
        self.order[start..end].select_nth_unstable_by(mid - start, |a, b| {
            key(a).0.total_cmp(&key(b).0).then(key(a).1.cmp(&key(b).1))
        });
        let value = self.points.row(self.order[mid] as usize)[axis];
        let left = self.build(start, mid);
        let right = self.build(mid, end);
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
        if self.nodes.is_empty() {
            return None;
        }
        let mut search = Search {
            best: (max_d2, u32::MAX),
            done: false,
            settled: &settled,
        };
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
        self.search(0, query, 0.0, offsets, &mut search);
        let (d2, i) = search.best;
        (i != u32::MAX).then_some((i as usize, d2))
    }

    /// `cell_d2`: squared distance from the query to this node's cell (sum of `offsets²`).
    fn search<F: Fn(usize, f64) -> bool>(
        &self,
        node: u32,
        query: &[f64],
        cell_d2: f64,
        offsets: &mut [f64],
        search: &mut Search<F>,
    ) {
        if search.done {
            return;
        }
        match self.nodes[node as usize] {
            Node::Leaf { start, end } => {
                let best = &mut search.best;
                for &i in &self.order[start as usize..end as usize] {
                    // Partial distance with early exit: most candidates are rejected halfway.
                    let mut d2 = 0.0;
                    for (q, p) in query.iter().zip(self.points.row(i as usize)) {
                        d2 += (q - p) * (q - p);
                        if d2 > best.0 {
                            break;
                        }
                    }
                    if d2 < best.0 || (d2 == best.0 && i < best.1) {
                        *best = (d2, i);
                        if (search.settled)(i as usize, d2) {
                            search.done = true;
                            return;
                        }
                    }
                }
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
                self.search(near, query, cell_d2, offsets, search);
                let old = offsets[axis];
                let far_d2 = cell_d2 - old * old + diff * diff;
                if !search.done && far_d2 <= search.best.0 {
                    offsets[axis] = diff;
                    self.search(far, query, far_d2, offsets, search);
                    offsets[axis] = old;
                }
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
