//! Seeded randomness: independent random streams per purpose, uniform row samples, and the two
//! "no structure" references a sample is compared with: its column-shuffled copy, and Gaussian
//! draws with its mean and covariance.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The purposes that draw random numbers. Each gets its own stream, so adding draws to one
/// (say, more k-means restarts) never changes another (the silhouette sample).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stream {
    SilhouetteSample = 1,
    ShuffledBaseline = 2,
    KMeans = 3,
    WardMicroClusters = 4,
    Projection = 5,
    GaussianBaseline = 6,
    DbscanSample = 7,
}

/// A generator for `stream`, further split by `detail` (e.g. k and the restart number).
pub(crate) fn rng_for(seed: u64, stream: Stream, detail: u64) -> ChaCha8Rng {
    let mixed = splitmix64(splitmix64(seed ^ splitmix64(stream as u64)) ^ detail);
    ChaCha8Rng::seed_from_u64(mixed)
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// `m` distinct row indices out of `n`, uniformly at random, in random order (so any prefix is
/// itself a uniform sample). All rows when `m >= n`, still shuffled.
pub(crate) fn draw_sample(n: usize, m: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut indices = if m >= n {
        (0..n).collect::<Vec<_>>()
    } else {
        let mut picked = rand::seq::index::sample(rng, n, m).into_vec();
        // The order `index::sample` returns depends on which algorithm it picked; sort and
        // reshuffle so the order is uniform whatever n and m are.
        picked.sort_unstable();
        picked
    };
    indices.shuffle(rng);
    indices
}

/// A copy of row-major `points` with every column permuted independently: each feature keeps
/// its distribution, but any relation between features — the thing clusters are made of — is
/// destroyed.
pub(crate) fn shuffle_columns(points: &[f64], dim: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let n = points.len() / dim;
    let mut out = points.to_vec();
    let mut order: Vec<usize> = (0..n).collect();
    for j in 0..dim {
        order.shuffle(rng);
        for (i, &from) in order.iter().enumerate() {
            out[i * dim + j] = points[from * dim + j];
        }
    }
    out
}

/// As many draws as `points` has rows from the normal distribution with the same mean and
/// covariance: one smooth unimodal blob. Column shuffling keeps each feature's modes but breaks
/// correlations, so an elongated, correlated cloud (common in customer data: frequency, spend
/// and activity rise together) looks structured next to it; this reference keeps the
/// correlations and removes the modes.
pub(crate) fn gaussian_like(points: &[f64], dim: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let n = points.len() / dim;
    if n == 0 {
        return Vec::new();
    }
    let mut mean = vec![0.0; dim];
    for row in points.chunks_exact(dim) {
        mean.iter_mut()
            .zip(row)
            .for_each(|(m, x)| *m += x / n as f64);
    }
    let mut cov = vec![0.0; dim * dim];
    for row in points.chunks_exact(dim) {
        for a in 0..dim {
            for b in 0..dim {
                cov[a * dim + b] += (row[a] - mean[a]) * (row[b] - mean[b]) / n as f64;
            }
        }
    }
    // x = mean + Σ_j sqrt(λ_j) z_j v_j with z ~ N(0, I).
    let (variances, axes) = super::projection::symmetric_eigen(cov, dim);
    let scales: Vec<f64> = variances.iter().map(|v| v.max(0.0).sqrt()).collect();
    let mut out = Vec::with_capacity(n * dim);
    let mut z = vec![0.0; dim];
    for _ in 0..n {
        z.iter_mut().for_each(|v| *v = standard_normal(rng));
        for j in 0..dim {
            let offset: f64 = (0..dim).map(|c| scales[c] * z[c] * axes[c][j]).sum();
            out.push(mean[j] + offset);
        }
    }
    out
}

/// Box–Muller: two uniforms → one standard normal. Hand-written: rand_distr is not among the
/// engine's dependencies, and this is all it would be used for.
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::MIN_POSITIVE..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_distinct_reproducible_and_independent_per_stream() {
        let a = draw_sample(1000, 100, &mut rng_for(7, Stream::SilhouetteSample, 0));
        let b = draw_sample(1000, 100, &mut rng_for(7, Stream::SilhouetteSample, 0));
        let c = draw_sample(1000, 100, &mut rng_for(7, Stream::Projection, 0));
        assert_eq!(a, b);
        assert_ne!(a, c);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 100);
        assert_eq!(
            draw_sample(5, 10, &mut rng_for(7, Stream::SilhouetteSample, 0)).len(),
            5
        );
    }

    #[test]
    fn shuffling_keeps_each_column_as_a_multiset() {
        let points: Vec<f64> = (0..60).map(|v| v as f64).collect();
        let shuffled = shuffle_columns(&points, 3, &mut rng_for(1, Stream::ShuffledBaseline, 0));
        assert_ne!(points, shuffled);
        for j in 0..3 {
            let column = |p: &[f64]| {
                let mut c: Vec<f64> = p.chunks(3).map(|r| r[j]).collect();
                c.sort_by(f64::total_cmp);
                c
            };
            assert_eq!(column(&points), column(&shuffled));
        }
    }

    #[test]
    fn gaussian_reference_matches_mean_and_covariance() {
        // A correlated cloud: y = 2x + noise, around (5, -3).
        let mut rng = rng_for(3, Stream::GaussianBaseline, 1);
        let mut points = Vec::new();
        for _ in 0..20_000 {
            let x = standard_normal(&mut rng);
            points.extend([5.0 + x, -3.0 + 2.0 * x + 0.5 * standard_normal(&mut rng)]);
        }
        let drawn = gaussian_like(&points, 2, &mut rng_for(3, Stream::GaussianBaseline, 0));
        let moments = |p: &[f64]| {
            let n = (p.len() / 2) as f64;
            let (mx, my) = (
                p.iter().step_by(2).sum::<f64>() / n,
                p.iter().skip(1).step_by(2).sum::<f64>() / n,
            );
            let cov = p.chunks(2).map(|r| (r[0] - mx) * (r[1] - my)).sum::<f64>() / n;
            let vy = p.chunks(2).map(|r| (r[1] - my).powi(2)).sum::<f64>() / n;
            (mx, my, cov, vy)
        };
        let (a, b) = (moments(&points), moments(&drawn));
        assert!(
            (a.0 - b.0).abs() < 0.05 && (a.1 - b.1).abs() < 0.1,
            "{a:?} vs {b:?}"
        );
        assert!(
            (a.2 - b.2).abs() < 0.1 && (a.3 - b.3).abs() < 0.2,
            "{a:?} vs {b:?}"
        );
    }
}
