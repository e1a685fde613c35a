//! k-means: greedy k-means++ seeding, Lloyd iterations, best of several seeded restarts.
//!
//! Hand-written rather than linfa-clustering's `KMeans`: EYES fits on a small sample and then
//! refines on up to a million points from the sample's centres, and needs sums reduced in a
//! fixed order for bit-identical reruns on any thread count. The same code makes Ward's
//! micro-clusters.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::geometry::{nearest_centroid, squared_distance, Points, CHUNK_ROWS};
use super::sample::{rng_for, Stream};

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct KMeansFit {
    /// k × dim, row-major.
    pub centroids: Vec<f64>,
    pub labels: Vec<u32>,
    /// Sum of squared distances of the points to their centroids.
    pub inertia: f64,
    pub iterations: usize,
}

/// k-means++: each new centre is drawn with probability ∝ squared distance to the nearest
/// centre so far; greedy: the best (lowest resulting potential) of a few such candidates.
pub(crate) fn plus_plus_init(
    points: Points,
    k: usize,
    greedy: bool,
    rng: &mut ChaCha8Rng,
) -> Vec<f64> {
    let (n, dim) = (points.len(), points.dim());
    assert!(n > 0 && k > 0);
    let candidates_per_step = if greedy {
        2 + (k as f64).ln() as usize
    } else {
        1
    };
    let mut centroids = Vec::with_capacity(k * dim);
    centroids.extend_from_slice(points.row(rng.gen_range(0..n)));
    let mut closest: Vec<f64> = (0..n)
        .map(|i| squared_distance(points.row(i), &centroids[..dim]))
        .collect();
    let mut cumulative = vec![0f64; n];
    for _ in 1..k {
        let mut running = 0.0;
        for (c, &d) in cumulative.iter_mut().zip(&closest) {
            running += d;
            *c = running;
        }
        let mut best: Option<(f64, usize)> = None;
        for _ in 0..candidates_per_step {
            let candidate = if running > 0.0 {
                let target = rng.gen::<f64>() * running;
                cumulative.partition_point(|&c| c <= target).min(n - 1)
            } else {
                // Every point sits on a centre already (duplicates): any point will do.
                rng.gen_range(0..n)
            };
            if candidates_per_step == 1 {
                best = Some((0.0, candidate));
                break;
            }
            let potential: f64 = (0..n)
                .map(|i| closest[i].min(squared_distance(points.row(i), points.row(candidate))))
                .sum();
            if best.is_none_or(|(p, _)| potential < p) {
                best = Some((potential, candidate));
            }
        }
        let chosen = best.expect("at least one candidate").1;
        centroids.extend_from_slice(points.row(chosen));
        for (i, d) in closest.iter_mut().enumerate() {
            *d = d.min(squared_distance(points.row(i), points.row(chosen)));
        }
    }
    centroids
}

/// Per-chunk partial sums of one assignment pass.
struct Partial {
    sums: Vec<f64>,
    counts: Vec<usize>,
    inertia: f64,
}

/// Lloyd's algorithm from `centroids` until no centre moves more than `tolerance` (Euclidean)
/// or `max_iter` passes. A centre that loses all its points is moved to the point farthest from
/// its own centre.
pub(crate) fn lloyd(
    points: Points,
    mut centroids: Vec<f64>,
    max_iter: usize,
    tolerance: f64,
) -> KMeansFit {
    let (n, dim) = (points.len(), points.dim());
    let k = centroids.len() / dim;
    let mut labels = vec![0u32; n];
    let mut inertia = 0.0;
    let mut iterations = 0;
    while iterations < max_iter.max(1) {
        iterations += 1;
        let partials: Vec<Partial> = points
            .data()
            .par_chunks(CHUNK_ROWS * dim)
            .zip(labels.par_chunks_mut(CHUNK_ROWS))
            .map(|(rows, chunk_labels)| {
                let mut partial = Partial {
                    sums: vec![0.0; k * dim],
                    counts: vec![0; k],
                    inertia: 0.0,
                };
                for (row, label) in rows.chunks_exact(dim).zip(chunk_labels.iter_mut()) {
                    let (c, d2) = nearest_centroid(row, &centroids, dim);
                    *label = c as u32;
                    partial.counts[c] += 1;
                    partial.inertia += d2;
                    for (s, x) in partial.sums[c * dim..(c + 1) * dim].iter_mut().zip(row) {
                        *s += x;
                    }
                }
                partial
            })
            .collect();
        // Reduce in chunk order: the same grouping of floating-point sums on any thread count.
        let mut sums = vec![0.0; k * dim];
        let mut counts = vec![0usize; k];
        inertia = 0.0;
        for p in &partials {
            for (s, v) in sums.iter_mut().zip(&p.sums) {
                *s += v;
            }
            for (c, v) in counts.iter_mut().zip(&p.counts) {
                *c += v;
            }
            inertia += p.inertia;
        }

        let mut shift: f64 = 0.0;
        let mut reseeded = false;
        for c in 0..k {
            let centre = &mut centroids[c * dim..(c + 1) * dim];
            if counts[c] == 0 {
                continue;
            }
            let mut moved = 0.0;
            for (x, s) in centre.iter_mut().zip(&sums[c * dim..(c + 1) * dim]) {
                let new = s / counts[c] as f64;
                moved += (new - *x) * (new - *x);
                *x = new;
            }
            shift = shift.max(moved.sqrt());
        }
        for c in (0..k).filter(|&c| counts[c] == 0) {
            if let Some(far) = farthest_point(points, &labels, &centroids) {
                let row = points.row(far).to_vec();
                centroids[c * dim..(c + 1) * dim].copy_from_slice(&row);
                labels[far] = c as u32;
                reseeded = true;
            }
        }
        if !reseeded && shift <= tolerance {
            break;
        }
    }
    // Labels and inertia of the final centres.
    let (final_labels, final_inertia) = assign_with_inertia(points, &centroids);
    labels = final_labels;
    inertia = if final_inertia.is_finite() {
        final_inertia
    } else {
        inertia
    };
    KMeansFit {
        centroids,
        labels,
        inertia,
        iterations,
    }
}

/// The point farthest from its assigned centre (lowest index on ties), if any is off-centre.
fn farthest_point(points: Points, labels: &[u32], centroids: &[f64]) -> Option<usize> {
    let dim = points.dim();
    let (far, d2) = (0..points.len())
        .into_par_iter()
        .map(|i| {
            let c = labels[i] as usize;
            (
                i,
                squared_distance(points.row(i), &centroids[c * dim..(c + 1) * dim]),
            )
        })
        // max by distance, then by lowest index: associative and exact, so thread-independent.
        .reduce(
            || (usize::MAX, -1.0),
            |a, b| {
                if b.1 > a.1 || (b.1 == a.1 && b.0 < a.0) {
                    b
                } else {
                    a
                }
            },
        );
    (far != usize::MAX && d2 > 0.0).then_some(far)
}

/// Nearest-centre labels of every point and the total squared distance.
fn assign_with_inertia(points: Points, centroids: &[f64]) -> (Vec<u32>, f64) {
    let dim = points.dim();
    let mut labels = vec![0u32; points.len()];
    let inertias: Vec<f64> = points
        .data()
        .par_chunks(CHUNK_ROWS * dim)
        .zip(labels.par_chunks_mut(CHUNK_ROWS))
        .map(|(rows, chunk_labels)| {
            let mut inertia = 0.0;
            for (row, label) in rows.chunks_exact(dim).zip(chunk_labels.iter_mut()) {
                let (c, d2) = nearest_centroid(row, centroids, dim);
                *label = c as u32;
                inertia += d2;
            }
            inertia
        })
        .collect();
    (labels, inertias.iter().sum())
}

/// How [`fit_best_of`] runs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub restarts: usize,
    pub max_iter: usize,
    /// Stop once no centre moves further than this.
    pub tolerance: f64,
    /// Greedy k-means++ (several candidates per centre): better starts, slower seeding. Plain
    /// k-means++ suffices for Ward's micro-clusters.
    pub greedy: bool,
    pub seed: u64,
    pub stream: Stream,
}

/// The lowest-inertia fit of `restarts` k-means++ runs, each seeded from (`seed`, k, restart) so
/// every run is reproducible on its own; ties go to the earlier restart.
pub(crate) fn fit_best_of(points: Points, k: usize, settings: Settings) -> KMeansFit {
    let k = k.min(points.len()).max(1);
    let fits: Vec<KMeansFit> = (0..settings.restarts.max(1))
        .into_par_iter()
        .map(|restart| {
            let mut rng = rng_for(
                settings.seed,
                settings.stream,
                ((k as u64) << 32) | restart as u64,
            );
            let init = plus_plus_init(points, k, settings.greedy, &mut rng);
            lloyd(points, init, settings.max_iter, settings.tolerance)
        })
        .collect();
    fits.into_iter()
        .reduce(|best, f| if f.inertia < best.inertia { f } else { best })
        .expect("at least one restart")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::segment::test_data::gaussian_blobs;

    fn settings(restarts: usize, greedy: bool) -> Settings {
        Settings {
            restarts,
            max_iter: 100,
            tolerance: 1e-7,
            greedy,
            seed: 9,
            stream: Stream::KMeans,
        }
    }

    #[test]
    fn recovers_well_separated_blobs() {
        let (data, truth) = gaussian_blobs(&[[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]], 200, 0.5, 3);
        let points = Points::new(&data, 2);
        let fit = fit_best_of(points, 3, settings(4, true));
        assert_eq!(fit.centroids.len(), 3 * 2);
        // Same partition as the truth, up to renaming.
        let mut mapping = std::collections::BTreeMap::new();
        for (&l, &t) in fit.labels.iter().zip(&truth) {
            assert_eq!(*mapping.entry(t).or_insert(l), l, "a true blob is split");
        }
        assert_eq!(mapping.len(), 3);
    }

    #[test]
    fn lloyd_is_deterministic_across_thread_counts() {
        let (data, _) = gaussian_blobs(&[[0.0, 0.0], [3.0, 3.0]], 10_000, 1.0, 5);
        let points = Points::new(&data, 2);
        let init = plus_plus_init(points, 2, true, &mut rng_for(1, Stream::KMeans, 0));
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let a = one.install(|| lloyd(points, init.clone(), 50, 1e-9));
        let b = lloyd(points, init, 50, 1e-9);
        assert_eq!(a, b);
    }

    #[test]
    fn duplicates_do_not_break_seeding() {
        let data = vec![1.0; 20];
        let fit = fit_best_of(Points::new(&data, 2), 3, settings(2, false));
        assert!(fit.inertia == 0.0 && fit.centroids.iter().all(|c| c.is_finite()));
    }
}
