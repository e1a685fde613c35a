//! Growing one tree on the current gradients: leaf-wise (best gain first), Newton leaf values,
//! and histograms built for the smaller child only (the larger is parent minus smaller).
//!
//! A histogram holds only the bins each feature really has (many features have a handful of
//! distinct values), and finished histograms are recycled rather than allocating and zeroing
//! a full 256-bins-per-feature table for every node.

use rayon::prelude::*;

use super::binning::Binned;
use super::{GbdtParams, Tree};

#[derive(Clone, Copy, Default)]
struct BinStats {
    g: f64,
    h: f64,
    n: u32,
}

/// Rows per parallel task when building a large node's histogram.
const HISTOGRAM_CHUNK: usize = 16_384;

/// Per feature j, its bins (missing + present) at `offsets[j]..offsets[j + 1]`.
type Histogram = Vec<BinStats>;

struct BestSplit {
    gain: f64,
    feature: usize,
    bin: u8,
}

/// A leaf that may still be split.
struct Open {
    node: usize,
    start: usize,
    end: usize,
    depth: u32,
    g: f64,
    h: f64,
    histogram: Histogram,
    best: Option<BestSplit>,
}

/// A node while growing: its value and, once split, (feature, bin, left, right).
struct NodeBuild {
    value: f64,
    depth: u32,
    split: Option<(usize, u8, usize, usize)>,
}

pub(super) struct Grower<'a> {
    data: &'a Binned,
    params: &'a GbdtParams,
    /// Row indices, grouped so that each open leaf owns a contiguous, ascending range.
    order: Vec<u32>,
    /// Partition buffers for the left and right rows.
    scratch: Vec<u32>,
    right: Vec<u32>,
    /// Where each feature's bins start in a histogram; the last entry is its length.
    offsets: Vec<usize>,
    /// Histograms of finished nodes, reused (zeroed) for new ones.
    spare: Vec<Histogram>,
}

impl<'a> Grower<'a> {
    pub(super) fn new(data: &'a Binned, params: &'a GbdtParams) -> Self {
        let mut offsets = vec![0];
        for e in &data.edges {
            offsets.push(offsets.last().unwrap() + e.len() + 2); // missing + present bins
        }
        Grower {
            data,
            params,
            order: Vec::new(),
            scratch: vec![0; data.rows + 1],
            right: vec![0; data.rows + 1],
            offsets,
            spare: Vec::new(),
        }
    }

    /// A zeroed histogram, recycled when possible.
    fn empty_histogram(&mut self) -> Histogram {
        let slots = *self.offsets.last().unwrap();
        match self.spare.pop() {
            Some(mut h) => {
                h.fill(BinStats::default());
                h
            }
            None => vec![BinStats::default(); slots],
        }
    }

    fn node_value(&self, g: f64, h: f64) -> f64 {
        -g / (h + self.params.l2) * self.params.learning_rate
    }

    fn histogram(&mut self, range: (usize, usize), gh: &[(f64, f64)]) -> Histogram {
        let fill = |hist: &mut Histogram, rows: &[u32], data: &Binned, offsets: &[usize]| {
            for &i in rows {
                let (g, h) = gh[i as usize];
                for (&b, &o) in data.row(i as usize).iter().zip(offsets) {
                    let s = &mut hist[o + b as usize];
                    s.g += g;
                    s.h += h;
                    s.n += 1;
                }
            }
        };
        let mut total = self.empty_histogram();
        let rows = &self.order[range.0..range.1];
        if rows.len() < 2 * HISTOGRAM_CHUNK {
            fill(&mut total, rows, self.data, &self.offsets);
            return total;
        }
        // Fixed chunks summed in order: the result does not depend on the thread count.
        let slots = total.len();
        let (data, offsets) = (self.data, &self.offsets);
        let partials: Vec<Histogram> = rows
            .par_chunks(HISTOGRAM_CHUNK)
            .map(|rows| {
                let mut hist = vec![BinStats::default(); slots];
                fill(&mut hist, rows, data, offsets);
                hist
            })
            .collect();
        total.copy_from_slice(&partials[0]);
        for p in &partials[1..] {
            for (t, s) in total.iter_mut().zip(p) {
                t.g += s.g;
                t.h += s.h;
                t.n += s.n;
            }
        }
        total
    }

    fn best_split(&self, hist: &Histogram, g: f64, h: f64, count: usize) -> Option<BestSplit> {
        let p = self.params;
        let min_n = p.min_samples_leaf.max(1);
        if count < 2 * min_n as usize {
            return None;
        }
        let score = |g: f64, h: f64| g * g / (h + p.l2);
        let parent = score(g, h);
        let mut best: Option<BestSplit> = None;
        for j in 0..self.data.cols {
            let bins = &hist[self.offsets[j]..self.offsets[j + 1]];
            let (mut gl, mut hl, mut nl) = (0.0, 0.0, 0u32);
            for (t, b) in bins[..bins.len() - 1].iter().enumerate() {
                gl += b.g;
                hl += b.h;
                nl += b.n;
                if nl < min_n || hl < p.min_hessian_leaf {
                    continue;
                }
                if count as u32 - nl < min_n || h - hl < p.min_hessian_leaf {
                    break;
                }
                let gain = score(gl, hl) + score(g - gl, h - hl) - parent;
                if gain > 1e-12 && best.as_ref().is_none_or(|b| gain > b.gain) {
                    best = Some(BestSplit { gain, feature: j, bin: t as u8 });
                }
            }
        }
        best
    }

    fn open(&self, node: usize, start: usize, end: usize, depth: u32, histogram: Histogram) -> Open {
        let (mut g, mut h) = (0.0, 0.0);
        // Any one feature's bins cover every row once.
        for b in &histogram[..self.offsets[1]] {
            g += b.g;
            h += b.h;
        }
        let best = if depth < self.params.max_depth { self.best_split(&histogram, g, h, end - start) } else { None };
        Open { node, start, end, depth, g, h, histogram, best }
    }

    /// Grows one tree on the gradients `gh` and adds its leaf values to `margins`.
    pub(super) fn grow(&mut self, gh: &[(f64, f64)], margins: &mut [f64]) -> Tree {
        let n = self.data.rows;
        self.order.clear();
        self.order.extend(0..n as u32);
        let root_histogram = self.histogram((0, n), gh);
        let root = self.open(0, 0, n, 0, root_histogram);
        let mut nodes = vec![NodeBuild { value: self.node_value(root.g, root.h), depth: 0, split: None }];
        let mut open = vec![root];
        let mut leaves = 1;
        while leaves < self.params.max_leaves {
            // Best gain first; ties go to the earliest node so the result is order-independent.
            let pick = open
                .iter()
                .enumerate()
                .filter_map(|(k, o)| o.best.as_ref().map(|b| (k, b.gain, o.node)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.2.cmp(&a.2)));
            let Some((k, _, _)) = pick else { break };
            let parent = open.swap_remove(k);
            let (feature, bin) = parent.best.as_ref().map(|b| (b.feature, b.bin)).expect("picked leaves can split");
            let mid = self.partition(parent.start, parent.end, feature, bin);
            let (left_id, right_id) = (nodes.len(), nodes.len() + 1);
            nodes[parent.node].split = Some((feature, bin, left_id, right_id));
            // Build the smaller child's histogram; the larger one is the parent's minus it.
            let left_is_smaller = mid - parent.start <= parent.end - mid;
            let (small_range, large_range) = if left_is_smaller {
                ((parent.start, mid), (mid, parent.end))
            } else {
                ((mid, parent.end), (parent.start, mid))
            };
            let small_hist = self.histogram(small_range, gh);
            let mut large_hist = parent.histogram;
            for (l, s) in large_hist.iter_mut().zip(&small_hist) {
                l.g -= s.g;
                l.h -= s.h;
                l.n -= s.n;
            }
            let (small_id, large_id) = if left_is_smaller { (left_id, right_id) } else { (right_id, left_id) };
            let depth = parent.depth + 1;
            let small = self.open(small_id, small_range.0, small_range.1, depth, small_hist);
            let large = self.open(large_id, large_range.0, large_range.1, depth, large_hist);
            let (left, right) = if left_is_smaller { (small, large) } else { (large, small) };
            nodes.push(NodeBuild { value: self.node_value(left.g, left.h), depth, split: None });
            nodes.push(NodeBuild { value: self.node_value(right.g, right.h), depth, split: None });
            open.push(left);
            open.push(right);
            leaves += 1;
        }
        for leaf in open {
            let value = nodes[leaf.node].value;
            for &i in &self.order[leaf.start..leaf.end] {
                margins[i as usize] += value;
            }
            self.spare.push(leaf.histogram);
        }
        to_tree(&nodes)
    }

    /// Stable partition of order[start..end]: rows whose bin is <= `bin` (missing included) first.
    /// Branch-free (each row is written to both sides, and only one side's cursor advances):
    /// which side a row goes to is unpredictable, and mispredicted branches dominated here.
    fn partition(&mut self, start: usize, end: usize, feature: usize, bin: u8) -> usize {
        let (mut left, mut right) = (start, 0);
        let column = self.data.column(feature);
        for &i in &self.order[start..end] {
            let goes_left = (column[i as usize] <= bin) as usize;
            self.scratch[left] = i;
            self.right[right] = i;
            left += goes_left;
            right += 1 - goes_left;
        }
        self.order[start..left].copy_from_slice(&self.scratch[start..left]);
        self.order[left..end].copy_from_slice(&self.right[..right]);
        left
    }
}

/// The compact form: leaves point to themselves with feature 0 and bin 255 (every row goes
/// "left", i.e. stays), so a fixed number of steps reaches every leaf. Split bins never reach
/// 255: present values use bins 1..=255 and a split leaves at least the top bin on the right.
fn to_tree(nodes: &[NodeBuild]) -> Tree {
    let mut tree = Tree {
        feature: Vec::with_capacity(nodes.len()),
        bin: Vec::with_capacity(nodes.len()),
        children: Vec::with_capacity(2 * nodes.len()),
        value: Vec::with_capacity(nodes.len()),
        depth: 0,
    };
    for (i, n) in nodes.iter().enumerate() {
        let (feature, bin, left, right) = n.split.unwrap_or((0, u8::MAX, i, i));
        tree.feature.push(feature as u16);
        tree.bin.push(if n.split.is_some() { bin } else { u8::MAX });
        tree.children.extend([left as u16, right as u16]);
        tree.value.push(n.value);
        tree.depth = tree.depth.max(n.depth as u8);
    }
    tree
}
