//! L2-regularised logistic regression on standardised features, fitted by Newton's method (IRLS)
//! with step halving. Hand-written rather than linfa-logistic (single-threaded L-BFGS, plus the
//! linfa / sprs / ndarray-stats stack): with ~11 features a Newton step is a 12x12 solve, so
//! this converges in about seven passes over the data, each parallel with fixed-order sums.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dataset::Matrix;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    /// Penalty (l2 / 2) |w|^2 added to the summed log-loss; the intercept is not penalised.
    pub l2: f64,
    pub max_iterations: u32,
    /// Stop when no coefficient moves by more than this in a step.
    pub tolerance: f64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { l2: 1.0, max_iterations: 50, tolerance: 1e-8 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    /// Per-feature mean and standard deviation used to standardise (missing values -> mean).
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
    pub intercept: f64,
    /// One per standardised feature: log-odds change per standard deviation.
    pub coefficients: Vec<f64>,
    pub iterations: u32,
}

/// Rows per chunk in reductions; fixed so sums never depend on the thread count.
const CHUNK: usize = 8192;

pub fn sigmoid(m: f64) -> f64 {
    1.0 / (1.0 + (-m).exp())
}

/// ln(1 + e^m) without overflow.
fn softplus(m: f64) -> f64 {
    if m > 0.0 {
        m + (-m).exp().ln_1p()
    } else {
        m.exp().ln_1p()
    }
}

/// Solves A x = b for a symmetric positive definite A (row-major, k x k) by Cholesky.
/// Hand-written: a 12x12 system does not justify a LAPACK dependency.
fn solve_spd(a: &[f64], b: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..=i {
            let s = a[i * k + j] - (0..j).map(|m| l[i * k + m] * l[j * k + m]).sum::<f64>();
            if i == j {
                if s <= 0.0 || !s.is_finite() {
                    return None;
                }
                l[i * k + i] = s.sqrt();
            } else {
                l[i * k + j] = s / l[j * k + j];
            }
        }
    }
    let mut y = vec![0.0; k];
    for i in 0..k {
        y[i] = (b[i] - (0..i).map(|m| l[i * k + m] * y[m]).sum::<f64>()) / l[i * k + i];
    }
    let mut x = vec![0.0; k];
    for i in (0..k).rev() {
        x[i] = (y[i] - (i + 1..k).map(|m| l[m * k + i] * x[m]).sum::<f64>()) / l[i * k + i];
    }
    Some(x)
}

impl LogisticModel {
    /// Fits on rows `x` with labels `y` (1.0 = churned).
    pub fn fit(x: &Matrix, y: &[f64], params: &LogisticParams) -> LogisticModel {
        assert_eq!(x.rows(), y.len());
        let d = x.cols();
        let (means, scales) = standardisation(x);
        // Design matrix [1, z_1..z_d], row-major.
        let k = d + 1;
        let mut values = vec![0.0; x.rows() * k];
        values.par_chunks_mut(k).enumerate().for_each(|(i, out)| {
            out[0] = 1.0;
            for (j, (o, &v)) in out[1..].iter_mut().zip(x.row(i)).enumerate() {
                *o = standardise(v, means[j], scales[j]);
            }
        });
        let design = Matrix::new(values, k);
        let penalty = |beta: &[f64]| 0.5 * params.l2 * beta[1..].iter().map(|w| w * w).sum::<f64>();
        let starts: Vec<usize> = (0..x.rows()).step_by(CHUNK).collect();
        let loss = |beta: &[f64]| -> f64 {
            let chunks: Vec<f64> = starts
                .par_iter()
                .map(|&s| (s..(s + CHUNK).min(y.len())).map(|i| row_loss(design.row(i), beta, y[i])).sum::<f64>())
                .collect();
            chunks.iter().sum::<f64>() + penalty(beta)
        };
        // Start at the base rate so the first step is already sensible.
        let rate = (y.iter().sum::<f64>() / y.len().max(1) as f64).clamp(1e-6, 1.0 - 1e-6);
        let mut beta = vec![0.0; k];
        beta[0] = (rate / (1.0 - rate)).ln();
        let mut current = loss(&beta);
        let mut iterations = 0;
        for _ in 0..params.max_iterations {
            iterations += 1;
            let (gradient, hessian) = gradient_and_hessian(&design, y, &beta, params.l2);
            let Some(step) = solve_spd(&hessian, &gradient, k) else { break };
            // Newton step with halving until the penalised loss does not increase.
            let mut scale = 1.0;
            let mut accepted = false;
            for _ in 0..30 {
                let candidate: Vec<f64> = beta.iter().zip(&step).map(|(b, s)| b - scale * s).collect();
                let l = loss(&candidate);
                if l <= current {
                    beta = candidate;
                    current = l;
                    accepted = true;
                    break;
                }
                scale *= 0.5;
            }
            let moved = step.iter().map(|s| (s * scale).abs()).fold(0.0, f64::max);
            if !accepted || moved < params.tolerance {
                break;
            }
        }
        LogisticModel { means, scales, intercept: beta[0], coefficients: beta[1..].to_vec(), iterations }
    }

    /// Log-odds of churn for one row of raw features.
    pub fn margin(&self, row: &[f64]) -> f64 {
        self.intercept
            + (0..self.coefficients.len())
                .map(|j| self.coefficients[j] * standardise(row[j], self.means[j], self.scales[j]))
                .sum::<f64>()
    }

    /// Per-feature share of the margin: coefficient x standardised value, i.e. how far this
    /// customer's value pushes the log-odds from those of an average customer. Returns the bias
    /// (the intercept) the shares add to.
    pub fn contributions(&self, row: &[f64], out: &mut [f64]) -> f64 {
        for j in 0..self.coefficients.len() {
            out[j] = self.coefficients[j] * standardise(row[j], self.means[j], self.scales[j]);
        }
        self.intercept
    }
}

fn row_loss(z: &[f64], beta: &[f64], y: f64) -> f64 {
    let m: f64 = z.iter().zip(beta).map(|(a, b)| a * b).sum();
    // -[y ln s(m) + (1-y) ln(1-s(m))] = softplus(m) - y m
    softplus(m) - y * m
}

/// Means and standard deviations of the finite values of each column (scale 1 for a constant or
/// empty column, whose coefficient then stays 0).
fn standardisation(x: &Matrix) -> (Vec<f64>, Vec<f64>) {
    (0..x.cols())
        .map(|j| {
            let (mut n, mut mean, mut m2) = (0.0, 0.0, 0.0);
            for v in x.column(j).filter(|v| v.is_finite()) {
                n += 1.0;
                let delta = v - mean;
                mean += delta / n;
                m2 += delta * (v - mean);
            }
            let sd = if n > 1.0 { (m2 / n).sqrt() } else { 0.0 };
            (mean, if sd > 1e-12 { sd } else { 1.0 })
        })
        .unzip()
}

fn standardise(v: f64, mean: f64, scale: f64) -> f64 {
    if v.is_finite() {
        (v - mean) / scale
    } else {
        0.0
    }
}

/// Gradient and Hessian of the penalised loss at `beta`, reduced over fixed chunks in order.
fn gradient_and_hessian(design: &Matrix, y: &[f64], beta: &[f64], l2: f64) -> (Vec<f64>, Vec<f64>) {
    let k = design.cols();
    let n = design.rows();
    let starts: Vec<usize> = (0..n).step_by(CHUNK).collect();
    let partials: Vec<(Vec<f64>, Vec<f64>)> = starts
        .par_iter()
        .map(|&start| {
            let mut g = vec![0.0; k];
            let mut h = vec![0.0; k * k];
            let end = (start + CHUNK).min(n);
            for (i, &yi) in (start..end).zip(&y[start..end]) {
                let z = design.row(i);
                let m: f64 = z.iter().zip(beta).map(|(a, b)| a * b).sum();
                let p = sigmoid(m);
                let w = p * (1.0 - p);
                let r = p - yi;
                // The full square, though only the lower triangle is used: fixed-length rows
                // vectorise, the triangle's ragged ones did not (each entry's sum is unchanged).
                for (a, row) in h.chunks_exact_mut(k).enumerate() {
                    g[a] += r * z[a];
                    let wa = w * z[a];
                    for (o, &zb) in row.iter_mut().zip(z) {
                        *o += wa * zb;
                    }
                }
            }
            (g, h)
        })
        .collect();
    let mut g = vec![0.0; k];
    let mut h = vec![0.0; k * k];
    for (pg, ph) in &partials {
        for a in 0..k {
            g[a] += pg[a];
        }
        for a in 0..k * k {
            h[a] += ph[a];
        }
    }
    for a in 0..k {
        for b in 0..a {
            h[b * k + a] = h[a * k + b];
        }
    }
    for a in 1..k {
        g[a] += l2 * beta[a];
        h[a * k + a] += l2;
    }
    // A whisker of ridge on the intercept keeps single-class data solvable.
    h[0] += 1e-9;
    (g, h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn solves_a_small_spd_system() {
        let a = [4.0, 2.0, 0.6, 2.0, 5.0, 1.0, 0.6, 1.0, 3.0];
        let want = [1.0, -2.0, 0.5];
        let b: Vec<f64> = (0..3).map(|i| (0..3).map(|j| a[i * 3 + j] * want[j]).sum()).collect();
        let x = solve_spd(&a, &b, 3).unwrap();
        for (got, want) in x.iter().zip(want) {
            assert!((got - want).abs() < 1e-12);
        }
        assert!(solve_spd(&[1.0, 2.0, 2.0, 1.0], &[1.0, 1.0], 2).is_none());
    }

    #[test]
    fn recovers_the_coefficients_of_a_logistic_process() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let n = 50_000;
        let (mut values, mut y) = (Vec::new(), Vec::new());
        for _ in 0..n {
            let a: f64 = rng.gen_range(-2.0..2.0);
            let b: f64 = rng.gen_range(0.0..10.0);
            values.extend([a, b, rng.gen_range(-1.0..1.0)]);
            let p = sigmoid(0.5 + 1.5 * a - 0.3 * b);
            y.push(if rng.gen::<f64>() < p { 1.0 } else { 0.0 });
        }
        let x = Matrix::new(values, 3);
        let m = LogisticModel::fit(&x, &y, &LogisticParams::default());
        // Back to raw units: w_raw = w / scale, b_raw = intercept - sum w mean / scale.
        let raw: Vec<f64> = (0..3).map(|j| m.coefficients[j] / m.scales[j]).collect();
        let intercept = m.intercept - (0..3).map(|j| raw[j] * m.means[j]).sum::<f64>();
        assert!((raw[0] - 1.5).abs() < 0.1, "{raw:?}");
        assert!((raw[1] + 0.3).abs() < 0.03, "{raw:?}");
        assert!(raw[2].abs() < 0.1, "{raw:?}");
        assert!((intercept - 0.5).abs() < 0.15, "{intercept}");
        assert!(m.iterations < 15);
        // Contributions add up to the margin.
        let mut c = vec![0.0; 3];
        let bias = m.contributions(x.row(7), &mut c);
        assert!((bias + c.iter().sum::<f64>() - m.margin(x.row(7))).abs() < 1e-12);
    }

    #[test]
    fn separable_data_stays_finite_and_missing_values_read_as_average() {
        let x = Matrix::new(vec![0.0, 1.0, 2.0, 3.0, f64::NAN], 1);
        let y = [0.0, 0.0, 1.0, 1.0, 1.0];
        let m = LogisticModel::fit(&x, &y, &LogisticParams::default());
        assert!(m.coefficients[0].is_finite() && m.coefficients[0] > 0.0);
        assert!(m.margin(&[3.0]) > m.margin(&[0.0]));
        assert_eq!(m.margin(&[f64::NAN]), m.intercept);
    }
}
