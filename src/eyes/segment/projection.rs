//! A 2-D picture of the customers: the first two principal components of the standardised
//! features. The covariance is over all points (a d × d matrix, cheap); the eigenvectors come
//! from a cyclic Jacobi sweep — for an 11 × 11 symmetric matrix that is a few microseconds and
//! spares a LAPACK dependency (ndarray-linalg / linfa-reduction need one).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::geometry::{Points, CHUNK_ROWS};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Two unit vectors over the (standardised) features: `components[c][j]` is feature j's
    /// loading on axis c.
    pub components: Vec<Vec<f64>>,
    /// Share of the total variance along each axis.
    pub explained_variance_ratio: Vec<f64>,
    pub points: Vec<ProjectedPoint>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectedPoint {
    /// Row in the feature table.
    pub index: usize,
    pub customer_id: String,
    pub x: f64,
    pub y: f64,
    pub segment: Option<u32>,
}

/// The principal axes (descending variance, each signed so its largest loading is positive),
/// the variance along each, and the total variance.
pub(crate) struct Pca {
    pub mean: Vec<f64>,
    pub axes: Vec<Vec<f64>>,
    pub variances: Vec<f64>,
    pub total_variance: f64,
}

impl Pca {
    pub(crate) fn fit(points: Points) -> Pca {
        let (n, dim) = (points.len(), points.dim());
        let mean = chunked_sum(
            points,
            |row, acc| acc.iter_mut().zip(row).for_each(|(a, x)| *a += x),
            dim,
        )
        .into_iter()
        .map(|s| if n > 0 { s / n as f64 } else { 0.0 })
        .collect::<Vec<_>>();
        let scatter = chunked_sum(
            points,
            |row, acc| {
                for a in 0..dim {
                    let da = row[a] - mean[a];
                    for b in a..dim {
                        acc[a * dim + b] += da * (row[b] - mean[b]);
                    }
                }
            },
            dim * dim,
        );
        let mut cov = vec![0.0; dim * dim];
        let denominator = n.saturating_sub(1).max(1) as f64;
        for a in 0..dim {
            for b in a..dim {
                cov[a * dim + b] = scatter[a * dim + b] / denominator;
                cov[b * dim + a] = cov[a * dim + b];
            }
        }
        let total_variance = (0..dim).map(|a| cov[a * dim + a]).sum();
        let (variances, axes) = symmetric_eigen(cov, dim);
        Pca {
            mean,
            axes,
            variances,
            total_variance,
        }
    }

    pub(crate) fn project(&self, row: &[f64], axis: usize) -> f64 {
        row.iter()
            .zip(&self.mean)
            .zip(&self.axes[axis])
            .map(|((x, m), v)| (x - m) * v)
            .sum()
    }
}

/// Sums `add(row, accumulator)` over all rows in fixed chunks, reduced in chunk order.
fn chunked_sum(points: Points, add: impl Fn(&[f64], &mut [f64]) + Sync, width: usize) -> Vec<f64> {
    let dim = points.dim();
    let partials: Vec<Vec<f64>> = points
        .data()
        .par_chunks(CHUNK_ROWS * dim)
        .map(|rows| {
            let mut acc = vec![0.0; width];
            rows.chunks_exact(dim).for_each(|row| add(row, &mut acc));
            acc
        })
        .collect();
    partials.into_iter().fold(vec![0.0; width], |mut total, p| {
        total.iter_mut().zip(&p).for_each(|(t, v)| *t += v);
        total
    })
}

/// Eigenvalues (descending) and unit eigenvectors of a symmetric matrix, by cyclic Jacobi
/// rotations.
pub(crate) fn symmetric_eigen(mut a: Vec<f64>, n: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut v = vec![0.0; n * n];
    for i in 0..n {
        v[i * n + i] = 1.0;
    }
    let scale: f64 = a
        .iter()
        .map(|x| x * x)
        .sum::<f64>()
        .sqrt()
        .max(f64::MIN_POSITIVE);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|p| (0..n).filter(move |&q| q != p).map(move |q| (p, q)))
            .map(|(p, q)| a[p * n + q].powi(2))
            .sum();
        if off.sqrt() <= 1e-14 * scale {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[p * n + q];
                if apq.abs() <= f64::MIN_POSITIVE {
                    continue;
                }
                let theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[k * n + p], a[k * n + q]);
                    a[k * n + p] = c * akp - s * akq;
                    a[k * n + q] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[p * n + k], a[q * n + k]);
                    a[p * n + k] = c * apk - s * aqk;
                    a[q * n + k] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[k * n + p], v[k * n + q]);
                    v[k * n + p] = c * vkp - s * vkq;
                    v[k * n + q] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[j * n + j].total_cmp(&a[i * n + i]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| a[i * n + i].max(0.0)).collect();
    let vectors = order
        .iter()
        .map(|&i| {
            let mut column: Vec<f64> = (0..n).map(|k| v[k * n + i]).collect();
            // Eigenvectors have no intrinsic sign; fix one so pictures don't flip between runs.
            let largest =
                column
                    .iter()
                    .copied()
                    .fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
            if largest < 0.0 {
                column.iter_mut().for_each(|x| *x = -*x);
            }
            column
        })
        .collect();
    (values, vectors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises_a_known_matrix() {
        // [[2, 1], [1, 2]] has eigenvalues 3 (along (1, 1)) and 1 (along (1, -1)).
        let (values, vectors) = symmetric_eigen(vec![2.0, 1.0, 1.0, 2.0], 2);
        assert!((values[0] - 3.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12);
        let h = std::f64::consts::FRAC_1_SQRT_2;
        assert!((vectors[0][0] - h).abs() < 1e-12 && (vectors[0][1] - h).abs() < 1e-12);
    }

    #[test]
    fn first_axis_follows_the_long_direction() {
        // Points spread along (1, 1, 0) with a little noise elsewhere.
        let mut data = Vec::new();
        for i in 0..200 {
            let t = i as f64 / 10.0 - 10.0;
            let wobble = ((i * 7919) % 13) as f64 / 130.0 - 0.05;
            data.extend([t + wobble, t - wobble, wobble]);
        }
        let pca = Pca::fit(Points::new(&data, 3));
        let axis = &pca.axes[0];
        assert!((axis[0] - axis[1]).abs() < 0.01 && axis[2].abs() < 0.01 && axis[0] > 0.0);
        assert!(pca.variances[0] / pca.total_variance > 0.99);
    }
}
