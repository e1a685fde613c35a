//! Histogram gradient-boosted trees for binary log-loss (the LightGBM recipe, kept small):
//! features are cut into at most 255 quantile bins plus a "missing" bin, trees grow leaf-wise
//! with Newton leaf values (see `grow`). Hand-written because linfa-trees builds exact
//! (unbinned) single trees, far too slow for a 100-tree ensemble on 10^5..10^6 rows.
//!
//! Prediction bins a block of rows once, then walks each tree for every row of the block a fixed
//! number of steps with no data-dependent branch (leaves point to themselves), which keeps the
//! CPU pipeline full. Deterministic: no randomness, ties broken by order, sums in a fixed order.

mod binning;
mod grow;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::Matrix;
use super::logistic::sigmoid;
use binning::{bin_of, Binned};
use grow::Grower;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GbdtParams {
    /// Most trees; fewer when early stopping ends training.
    pub trees: u32,
    pub learning_rate: f64,
    pub max_leaves: u32,
    pub max_depth: u32,
    pub min_samples_leaf: u32,
    /// Minimum summed Hessian p(1-p) in a leaf: keeps leaves off (near-)pure corners.
    pub min_hessian_leaf: f64,
    /// L2 penalty on leaf values (XGBoost's lambda).
    pub l2: f64,
    /// Bins for the non-missing values of each feature, at most 255.
    pub max_bins: u32,
    /// With at least `EARLY_STOPPING_MIN_ROWS` rows, every 10th row is held out and training
    /// stops once its log-loss has not improved for this many trees (the best prefix is kept).
    /// 0 disables it.
    pub early_stopping_rounds: u32,
}

impl Default for GbdtParams {
    fn default() -> Self {
        GbdtParams {
            trees: 100,
            learning_rate: 0.2,
            max_leaves: 31,
            max_depth: 6,
            min_samples_leaf: 40,
            min_hessian_leaf: 1e-3,
            l2: 1.0,
            max_bins: 255,
            early_stopping_rounds: 10,
        }
    }
}

pub const EARLY_STOPPING_MIN_ROWS: usize = 2_000;

/// One tree in struct-of-arrays form, root first. Node i splits on `feature[i]`: rows whose
/// bin is <= `bin[i]` (missing values have bin 0, so always) go to `children[2i]`, others to
/// `children[2i + 1]`. Leaves point to themselves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub feature: Vec<u16>,
    pub bin: Vec<u8>,
    pub children: Vec<u16>,
    /// Newton value -G/(H + l2) of the training rows reaching the node, times the learning
    /// rate: the output for leaves, the reference for path contributions on inner nodes.
    pub value: Vec<f64>,
    /// Longest root-to-leaf path: that many steps from the root land every row on its leaf.
    pub depth: u8,
}

impl Tree {
    fn is_leaf(&self, node: usize) -> bool {
        self.children[2 * node] as usize == node
    }

    /// Per leaf (row-major, nodes x features; zero for inner nodes) the Saabas contributions
    /// of its path: each split credits its feature with the change in node value.
    fn leaf_contributions(&self, features: usize) -> Vec<f64> {
        let mut table = vec![0.0; self.value.len() * features];
        let mut stack = vec![(0usize, vec![0.0; features])];
        while let Some((node, path)) = stack.pop() {
            if self.is_leaf(node) {
                table[node * features..(node + 1) * features].copy_from_slice(&path);
                continue;
            }
            for side in 0..2 {
                let child = self.children[2 * node + side] as usize;
                let mut p = path.clone();
                p[self.feature[node] as usize] += self.value[child] - self.value[node];
                stack.push((child, p));
            }
        }
        table
    }
}

/// Rows walked through a tree side by side: independent walks let the CPU overlap their
/// memory loads instead of waiting on one chain of dependent loads at a time.
const LANES: usize = 16;

/// A tree packed for walking: per node one word holding feature (bits 0..16), bin (16..24),
/// left child (24..40) and right child (40..56), so each step is a single load and a shift
/// chosen by the comparison, with no branch.
struct Walker {
    packed: Vec<u64>,
    depth: u8,
}

impl Walker {
    fn new(t: &Tree) -> Walker {
        let packed = (0..t.value.len())
            .map(|i| {
                t.feature[i] as u64
                    | (t.bin[i] as u64) << 16
                    | (t.children[2 * i] as u64) << 24
                    | (t.children[2 * i + 1] as u64) << 40
            })
            .collect();
        Walker { packed, depth: t.depth }
    }

    #[inline]
    fn step(&self, node: usize, bins: &[u8]) -> usize {
        let p = self.packed[node];
        let right = (bins[(p & 0xFFFF) as usize] as u64 > (p >> 16) & 0xFF) as u64;
        ((p >> (24 + 16 * right)) & 0xFFFF) as usize
    }

    fn leaf(&self, bins: &[u8]) -> usize {
        (0..self.depth).fold(0, |node, _| self.step(node, bins))
    }

    /// The leaf of each row of a row-major block of bins (`d` per row), into `leaves`.
    fn leaves(&self, bins: &[u8], d: usize, leaves: &mut [u16]) {
        let mut groups = leaves.chunks_exact_mut(LANES);
        let mut rows = bins.chunks_exact(LANES * d);
        for (out, block) in (&mut groups).zip(&mut rows) {
            let mut node = [0usize; LANES];
            for _ in 0..self.depth {
                for (k, n) in node.iter_mut().enumerate() {
                    *n = self.step(*n, &block[k * d..(k + 1) * d]);
                }
            }
            for (o, n) in out.iter_mut().zip(node) {
                *o = n as u16;
            }
        }
        for (o, row) in groups.into_remainder().iter_mut().zip(rows.remainder().chunks(d)) {
            *o = self.leaf(row) as u16;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GbdtModel {
    /// Log-odds of the training churn rate, the margin before any tree.
    pub base_margin: f64,
    /// Per feature, the cut points of its bins (bin(v) = 1 + #{edges < v}); a split at bin t
    /// reads "v <= edges[t - 1]".
    pub edges: Vec<Vec<f64>>,
    pub trees: Vec<Tree>,
}

/// Rows binned and walked together.
const BLOCK: usize = 1024;

fn log_loss(margin: f64, y: f64) -> f64 {
    // softplus(m) - y m, stable for large |m|
    let softplus = if margin > 0.0 { margin + (-margin).exp().ln_1p() } else { margin.exp().ln_1p() };
    softplus - y * margin
}

impl GbdtModel {
    /// Fits on rows `x` with labels `y` (1.0 = churned).
    pub fn fit(x: &Matrix, y: &[f64], params: &GbdtParams) -> GbdtModel {
        Self::fit_with_margins(x, y, params).0
    }

    /// `fit`, also returning the fitted model's margin for every row of `x` (the values
    /// `margins` would give): training already walked every row through every tree, so scoring
    /// the training rows again would only repeat that work.
    pub fn fit_with_margins(x: &Matrix, y: &[f64], params: &GbdtParams) -> (GbdtModel, Vec<f64>) {
        assert_eq!(x.rows(), y.len());
        assert!(x.cols() <= u16::MAX as usize);
        // Node ids are u16 and depths u8.
        let params = GbdtParams {
            max_leaves: params.max_leaves.clamp(1, 16_000),
            max_depth: params.max_depth.min(64),
            ..*params
        };
        let n = x.rows();
        let hold_out = params.early_stopping_rounds > 0 && n >= EARLY_STOPPING_MIN_ROWS;
        let (fit_rows, valid_rows): (Vec<u32>, Vec<u32>) = (0..n as u32).partition(|i| !hold_out || i % 10 != 9);
        let fit_x = if hold_out {
            std::borrow::Cow::Owned(x.gather(fit_rows.iter().map(|&i| i as usize)))
        } else {
            std::borrow::Cow::Borrowed(x)
        };
        let fit_y: Vec<f64> = fit_rows.iter().map(|&i| y[i as usize]).collect();

        let binned = Binned::new(&fit_x, params.max_bins.clamp(2, 255) as usize);
        let rate = (fit_y.iter().sum::<f64>() / fit_y.len().max(1) as f64).clamp(1e-6, 1.0 - 1e-6);
        let base_margin = (rate / (1.0 - rate)).ln();
        let mut model = GbdtModel { base_margin, edges: binned.edges.clone(), trees: Vec::new() };

        let valid_bins = model.bin_rows(x, &valid_rows);
        let mut valid_margins = vec![base_margin; valid_rows.len()];
        let mut valid_leaves = vec![0u16; valid_rows.len()];
        let (mut best_loss, mut best_trees) = (f64::INFINITY, 0);
        // Margins of the fit and held-out rows as of the best tree count so far.
        let mut best_margins = vec![base_margin; fit_y.len()];
        let mut best_valid_margins = valid_margins.clone();

        let mut margins = vec![base_margin; fit_y.len()];
        let mut grad_hess = vec![(0.0, 0.0); fit_y.len()];
        let mut grower = Grower::new(&binned, &params);
        for _ in 0..params.trees {
            grad_hess.par_iter_mut().zip(&margins).zip(&fit_y).for_each(|((gh, &m), &yi)| {
                let p = sigmoid(m);
                *gh = (p - yi, (p * (1.0 - p)).max(1e-16));
            });
            let tree = grower.grow(&grad_hess, &mut margins);
            let stump = tree.value.len() == 1;
            if hold_out {
                Walker::new(&tree).leaves(&valid_bins, binned.cols, &mut valid_leaves);
                let mut loss = 0.0;
                for ((m, &leaf), &i) in valid_margins.iter_mut().zip(&valid_leaves).zip(&valid_rows) {
                    *m += tree.value[leaf as usize];
                    loss += log_loss(*m, y[i as usize]);
                }
                model.trees.push(tree);
                if loss < best_loss {
                    (best_loss, best_trees) = (loss, model.trees.len());
                    best_margins.copy_from_slice(&margins);
                    best_valid_margins.copy_from_slice(&valid_margins);
                } else if model.trees.len() - best_trees >= params.early_stopping_rounds as usize {
                    break;
                }
            } else {
                model.trees.push(tree);
                best_trees = model.trees.len();
                best_margins.copy_from_slice(&margins);
            }
            if stump {
                break; // nothing left worth splitting: further trees would be stumps too
            }
        }
        model.trees.truncate(best_trees);
        // Back to the rows of `x`, in order.
        let mut all = vec![0.0; n];
        for (&i, &m) in fit_rows.iter().zip(&best_margins).chain(valid_rows.iter().zip(&best_valid_margins)) {
            all[i as usize] = m;
        }
        (model, all)
    }

    fn bin_row(&self, row: &[f64], out: &mut [u8]) {
        for ((o, &v), edges) in out.iter_mut().zip(row).zip(&self.edges) {
            *o = bin_of(v, edges);
        }
    }

    /// Bins of the given rows, row-major.
    fn bin_rows(&self, x: &Matrix, rows: &[u32]) -> Vec<u8> {
        let d = self.edges.len();
        let mut bins = vec![0u8; rows.len() * d];
        for (b, &i) in bins.chunks_mut(d).zip(rows) {
            self.bin_row(x.row(i as usize), b);
        }
        bins
    }

    /// Log-odds of churn for one row of raw features.
    pub fn margin(&self, row: &[f64]) -> f64 {
        let mut bins = vec![0u8; self.edges.len()];
        self.bin_row(row, &mut bins);
        self.trees.iter().fold(self.base_margin, |m, t| m + t.value[Walker::new(t).leaf(&bins)])
    }

    /// Margins of the given rows of `x`, in order (the same values `margin` gives one by one).
    pub fn margins(&self, x: &Matrix, rows: &[u32]) -> Vec<f64> {
        let d = self.edges.len();
        let walkers: Vec<Walker> = self.trees.iter().map(Walker::new).collect();
        let mut margins = vec![self.base_margin; rows.len()];
        margins.par_chunks_mut(BLOCK).zip(rows.par_chunks(BLOCK)).for_each(|(margins, rows)| {
            let bins = self.bin_rows(x, rows);
            let mut leaves = vec![0u16; rows.len()];
            for (tree, walker) in self.trees.iter().zip(&walkers) {
                walker.leaves(&bins, d, &mut leaves);
                for (m, &leaf) in margins.iter_mut().zip(&leaves) {
                    *m += tree.value[leaf as usize];
                }
            }
        });
        margins
    }

    /// Margins and path (Saabas) contributions of the given rows, the latter row-major (rows x
    /// features): walking each tree from the root, the change in node value at every split is
    /// credited to the split's feature. With `bias()` the contributions add up to the margin.
    pub fn margins_and_contributions(&self, x: &Matrix, rows: &[u32]) -> (Vec<f64>, Vec<f64>) {
        let d = self.edges.len();
        let walkers: Vec<Walker> = self.trees.iter().map(Walker::new).collect();
        // A leaf's path fixes its contributions: tabulate them once per leaf.
        let tables: Vec<Vec<f64>> = self.trees.iter().map(|t| t.leaf_contributions(d)).collect();
        let mut margins = vec![self.base_margin; rows.len()];
        let mut contributions = vec![0.0; rows.len() * d];
        margins
            .par_chunks_mut(BLOCK)
            .zip(contributions.par_chunks_mut(BLOCK * d))
            .zip(rows.par_chunks(BLOCK))
            .for_each(|((margins, contributions), rows)| {
                let bins = self.bin_rows(x, rows);
                let mut leaves = vec![0u16; rows.len()];
                for ((tree, walker), table) in self.trees.iter().zip(&walkers).zip(&tables) {
                    walker.leaves(&bins, d, &mut leaves);
                    for ((m, out), &leaf) in margins.iter_mut().zip(contributions.chunks_mut(d)).zip(&leaves) {
                        *m += tree.value[leaf as usize];
                        for (c, t) in out.iter_mut().zip(&table[leaf as usize * d..(leaf as usize + 1) * d]) {
                            *c += t;
                        }
                    }
                }
            });
        (margins, contributions)
    }

    /// What every row's margin starts from before contributions: base margin + root values.
    pub fn bias(&self) -> f64 {
        self.trees.iter().fold(self.base_margin, |m, t| m + t.value[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn xor_like(n: usize, seed: u64) -> (Matrix, Vec<f64>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (mut values, mut y) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let a: f64 = rng.gen_range(-1.0..1.0);
            let b: f64 = rng.gen_range(-1.0..1.0);
            let missing = rng.gen::<f64>() < 0.1;
            values.extend([a, if missing { f64::NAN } else { b }, rng.gen_range(0.0..1.0)]);
            // Interaction a linear model cannot see; missing b behaves like b > 0.
            let positive = (a > 0.0) != (missing || b > 0.0);
            let flip = rng.gen::<f64>() < 0.1;
            y.push(if positive != flip { 1.0 } else { 0.0 });
        }
        (Matrix::new(values, 3), y)
    }

    fn all_rows(x: &Matrix) -> Vec<u32> {
        (0..x.rows() as u32).collect()
    }

    #[test]
    fn learns_an_interaction_and_missing_values() {
        let (x, y) = xor_like(20_000, 3);
        let model = GbdtModel::fit(&x, &y, &GbdtParams::default());
        let (tx, ty) = xor_like(5_000, 4);
        let margins = model.margins(&tx, &all_rows(&tx));
        let correct = margins.iter().zip(&ty).filter(|(m, y)| (**m > 0.0) == (**y == 1.0)).count();
        // 10 % of labels are flipped, so ~90 % is the ceiling.
        assert!(correct as f64 / tx.rows() as f64 > 0.85, "accuracy {}", correct as f64 / tx.rows() as f64);
    }

    #[test]
    fn batch_and_single_row_paths_agree_and_contributions_add_up() {
        let (x, y) = xor_like(5_000, 5);
        let params = GbdtParams { trees: 20, early_stopping_rounds: 0, ..Default::default() };
        let model = GbdtModel::fit(&x, &y, &params);
        assert_eq!(model, GbdtModel::fit(&x, &y, &params));
        let rows = all_rows(&x);
        let (margins, contributions) = model.margins_and_contributions(&x, &rows);
        assert_eq!(margins, model.margins(&x, &rows));
        assert_eq!(margins, GbdtModel::fit_with_margins(&x, &y, &params).1);
        // With early stopping (a held-out tenth), the training margins still match the model.
        let stopped = GbdtParams { trees: 60, early_stopping_rounds: 3, ..Default::default() };
        let (m, fit_margins) = GbdtModel::fit_with_margins(&x, &y, &stopped);
        assert!(m.trees.len() < 60);
        assert_eq!(fit_margins, m.margins(&x, &rows));
        for i in [0, 17, 400, 4_999] {
            assert_eq!(margins[i], model.margin(x.row(i)));
            let total = model.bias() + contributions[3 * i..3 * i + 3].iter().sum::<f64>();
            assert!((total - margins[i]).abs() < 1e-9);
        }
        // The pure-noise third feature earns little credit compared with the real ones.
        let mut total = [0.0; 3];
        for (k, c) in contributions.iter().enumerate() {
            total[k % 3] += c.abs();
        }
        assert!(total[2] < 0.3 * total[0].min(total[1]), "{total:?}");
    }

    #[test]
    fn thresholds_separate_the_right_values() {
        // One feature, label = value > 2.5: the root split must separate 2 from 3 exactly.
        let values: Vec<f64> = (0..1000).map(|i| (i % 6) as f64).collect();
        let y: Vec<f64> = values.iter().map(|&v| if v > 2.5 { 1.0 } else { 0.0 }).collect();
        let model = GbdtModel::fit(&Matrix::new(values, 1), &y, &GbdtParams { trees: 30, ..Default::default() });
        let root = &model.trees[0];
        assert_eq!(model.edges[0][root.bin[0] as usize - 1], 2.0);
        assert!(model.margin(&[2.0]) < -2.0 && model.margin(&[3.0]) > 2.0);
        // Unseen values between the two: "v <= 2" decides.
        assert!(model.margin(&[1.9]) < -2.0 && model.margin(&[2.4]) > 2.0);
    }
}
