//! Synthetic data with known answers for the segmentation tests.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A standard normal draw (Box–Muller).
pub(crate) fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.gen_range(f64::EPSILON..1.0);
    let u2: f64 = rng.gen();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// `per_blob` points around each centre with standard deviation `spread`, blobs interleaved
/// (point i belongs to blob i % blobs). Returns row-major data and the true labels.
pub(crate) fn gaussian_blobs<const D: usize>(
    centres: &[[f64; D]],
    per_blob: usize,
    spread: f64,
    seed: u64,
) -> (Vec<f64>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = Vec::with_capacity(centres.len() * per_blob * D);
    let mut labels = Vec::with_capacity(centres.len() * per_blob);
    for _ in 0..per_blob {
        for (b, centre) in centres.iter().enumerate() {
            for &c in centre {
                data.push(c + spread * normal(&mut rng));
            }
            labels.push(b as u32);
        }
    }
    (data, labels)
}

/// `blobs` well-separated Gaussian blobs in `dim` dimensions: centres on distinct axes at
/// distance `separation`, unit spread.
pub(crate) fn blobs_in_dims(
    blobs: usize,
    dim: usize,
    per_blob: usize,
    separation: f64,
    seed: u64,
) -> (Vec<f64>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = Vec::with_capacity(blobs * per_blob * dim);
    let mut labels = Vec::new();
    for i in 0..per_blob * blobs {
        let b = i % blobs;
        for j in 0..dim {
            let centre = if j == b % dim {
                separation * (1 + b / dim) as f64
            } else {
                0.0
            };
            data.push(centre + normal(&mut rng));
        }
        labels.push(b as u32);
    }
    (data, labels)
}

/// Uniform points in the unit cube.
pub(crate) fn uniform(n: usize, dim: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n * dim).map(|_| rng.gen::<f64>()).collect()
}

/// Two interleaving half circles (`per_moon` points each, Gaussian jitter `jitter`) plus
/// `noise` points scattered uniformly around them. Returns data, labels (noise rows labelled
/// 2) and the noise rows.
pub(crate) fn moons_with_noise(
    per_moon: usize,
    noise: usize,
    jitter: f64,
    seed: u64,
) -> (Vec<f64>, Vec<u32>, Vec<usize>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut data = Vec::new();
    let mut labels = Vec::new();
    for i in 0..per_moon {
        let t = std::f64::consts::PI * i as f64 / (per_moon - 1) as f64;
        data.extend([
            t.cos() + jitter * normal(&mut rng),
            t.sin() + jitter * normal(&mut rng),
        ]);
        labels.push(0);
        data.extend([
            1.0 - t.cos() + jitter * normal(&mut rng),
            0.5 - t.sin() + jitter * normal(&mut rng),
        ]);
        labels.push(1);
    }
    let mut noise_rows = Vec::new();
    while noise_rows.len() < noise {
        let (x, y): (f64, f64) = (rng.gen_range(-1.5..2.5), rng.gen_range(-1.0..1.5));
        // Keep noise off the moons so "noise" is unambiguous.
        let off_first = ((x * x + y * y).sqrt() - 1.0).abs() > 0.25 || y < -0.1;
        let off_second =
            (((x - 1.0).powi(2) + (y - 0.5).powi(2)).sqrt() - 1.0).abs() > 0.25 || y > 0.6;
        if off_first && off_second {
            noise_rows.push(labels.len());
            data.extend([x, y]);
            labels.push(2);
        }
    }
    (data, labels, noise_rows)
}

/// Whether two labellings split the points the same way, up to renaming.
pub(crate) fn same_partition(a: &[u32], b: &[u32]) -> bool {
    let (mut ab, mut ba) = (BTreeMap::new(), BTreeMap::new());
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| *ab.entry(x).or_insert(y) == y && *ba.entry(y).or_insert(x) == x)
}
