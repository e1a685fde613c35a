//! Customer segmentation for EYES: k-means, Ward and DBSCAN compete on the standardised features,
//! judged by silhouette against no-structure baselines (column-shuffled data, and a Gaussian with
//! the data's covariance); segments are only reported when the structure is clearly there
//! ([`Structure::Clear`]), and then explained in marketing terms.
//!
//! Scale: parameters are chosen on a seeded sample (`sample_size`, default 3,000 customers,
//! whose pairwise distance matrix is computed once; DBSCAN fits on a larger sample of its own
//! through k-d trees, `dbscan_sample_size`), and the chosen models label every customer
//! in parallel passes, so a million customers take seconds. Deterministic: the same data and
//! seed give the same result on any number of threads (all float reductions run in a fixed
//! order); only the `*_time_ms` fields vary.
//!
//! ```text
//! features::compute ──► Standardizer (log1p heavy tails, z-score) ──► cluster()
//!     sample ─┬─ k-means (k by silhouette) ── Lloyd on all points
//!             ├─ Ward on micro-clusters ────── nearest micro-centre for all points
//!             └─ DBSCAN (own larger sample, eps at k-distance knee) ── nearest core within eps
//!     each also, same k, on the shuffled and Gaussian references = baselines
//!                                                     ──► select: gate + winner
//! ──► explain (names, Cohen's d, centres, members) + PCA projection
//! ```
//!
//! Guards against flattering silhouettes: a k whose smallest cluster is under
//! `min_segment_share` is never chosen (isolating outliers raises the silhouette), and the
//! winner is compared with noise counted as 0 (`selection_score`), so DBSCAN cannot win by
//! leaving the hard cases out.

mod dbscan;
mod evaluate;
mod explain;
mod geometry;
mod kdtree;
mod kmeans;
mod projection;
mod sample;
mod select;
mod silhouette;
#[cfg(test)]
mod test_data;
mod ward;

use std::time::Instant;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::eyes::features::{FeatureTable, Standardizer};
use crate::eyes::history::CustomerHistory;

pub use dbscan::DbscanParams;
pub use explain::{segment_name, Direction, FeatureEffect, FeatureValue, SegmentProfile};
pub use projection::{ProjectedPoint, Projection};
pub use silhouette::{silhouette_score, SilhouetteEstimate};

/// The verdict's message prefix when no algorithm passes the quality gate.
pub const NO_CLEAR_STRUCTURE: &str = "no clear segment structure";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentOptions {
    pub seed: u64,
    /// Candidate numbers of segments, inclusive. DBSCAN finds its own count, and is only
    /// eligible to win when that count is in this range too.
    pub k_min: usize,
    pub k_max: usize,
    /// Customers in the seeded sample on which parameters are chosen and silhouettes computed
    /// (exact when the data is no larger). Memory grows with its square: 3,000 → 2 × 36 MB.
    pub sample_size: usize,
    pub kmeans_restarts: usize,
    pub max_iter: usize,
    /// Micro-clusters Ward agglomerates (more = closer to Ward on the raw sample, slower).
    pub ward_micro_clusters: usize,
    /// Customers DBSCAN is fitted on (its own seeded sample; everyone when the data is no
    /// larger). Its density estimate needs more points than choosing k does; memory is linear.
    pub dbscan_sample_size: usize,
    /// DBSCAN's min_pts; `None` = 2 × the number of features.
    pub dbscan_min_pts: Option<usize>,
    /// Minimum silhouette for a segmentation to be reported.
    pub quality_gate: f64,
    /// How far the silhouette must exceed the same algorithm's score on each no-structure
    /// reference (column-shuffled, covariance-matched Gaussian).
    pub min_margin_over_baseline: f64,
    /// DBSCAN may not win when it calls more than this share of customers noise.
    pub max_noise_share: f64,
    /// Every segment must hold at least this share of customers. The silhouette rewards
    /// cutting off a handful of outliers as a "cluster"; that is not a segment.
    pub min_segment_share: f64,
    /// Points in the 2-D projection.
    pub projection_points: usize,
    /// Typical member ids listed per segment.
    pub sample_members: usize,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            seed: 0x0E1E5,
            k_min: 2,
            k_max: 8,
            sample_size: 3000,
            kmeans_restarts: 4,
            max_iter: 100,
            ward_micro_clusters: 150,
            dbscan_sample_size: 20_000,
            dbscan_min_pts: None,
            quality_gate: 0.45,
            min_margin_over_baseline: 0.10,
            max_noise_share: 0.25,
            min_segment_share: 0.02,
            projection_points: 2000,
            sample_members: 5,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    KMeans,
    Ward,
    Dbscan,
}

impl Algorithm {
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::KMeans => "k-means",
            Algorithm::Ward => "Ward",
            Algorithm::Dbscan => "DBSCAN",
        }
    }
}

/// Sample silhouette of one candidate k.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KScore {
    pub k: usize,
    pub silhouette: Option<f64>,
    /// The smallest cluster's share of the sample; below `min_segment_share` this k may not be
    /// chosen.
    pub smallest_share: f64,
}

/// One algorithm's showing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlgorithmResult {
    pub algorithm: Algorithm,
    /// Clusters found (non-empty, noise aside).
    pub k: usize,
    /// Of the final labelling of all customers, measured on the sample; noise excluded.
    pub silhouette: Option<SilhouetteEstimate>,
    /// The silhouette with noise points counted as 0 (equal to the mean when there is no
    /// noise): the winner is picked by this, so leaving hard cases out as noise cannot beat an
    /// algorithm that places every customer.
    pub selection_score: Option<f64>,
    /// The same algorithm at the same k (DBSCAN: same min_pts and knee rule) on the
    /// column-shuffled sample. `None`: there it found fewer than two clusters, or a cluster
    /// under `min_segment_share` — no usable structure, counted as 0.
    pub baseline_silhouette: Option<f64>,
    /// The same on Gaussian draws with the sample's mean and covariance: what splitting one
    /// smooth (possibly elongated) cloud scores. `None` as above.
    pub gaussian_baseline_silhouette: Option<f64>,
    /// Sample silhouette for each k tried (k-means and Ward).
    pub k_scores: Vec<KScore>,
    /// Cluster sizes over all customers, largest first.
    pub cluster_sizes: Vec<usize>,
    /// Customers labelled noise (DBSCAN only).
    pub noise_count: usize,
    pub dbscan: Option<DbscanParams>,
    /// May compete: has a silhouette, k in range, no segment below `min_segment_share`, noise
    /// within limits.
    pub eligible: bool,
    /// Eligible, silhouette ≥ the gate and at least `min_margin_over_baseline` above both
    /// baselines.
    pub passes_gate: bool,
    /// Why it is not eligible, if it is not.
    pub note: Option<String>,
    /// Wall time of the whole procedure, baseline included.
    pub run_time_ms: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Structure {
    /// An algorithm passed the quality gate; segments are reported.
    Clear,
    /// None did: no segments are reported ([`NO_CLEAR_STRUCTURE`]).
    NoClearStructure,
}

/// The outcome of [`cluster`]: algorithm comparison and the winner's labels.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Clustering {
    pub structure: Structure,
    pub message: String,
    pub winner: Option<Algorithm>,
    /// k-means, Ward, DBSCAN, in that order.
    pub algorithms: Vec<AlgorithmResult>,
    /// Per customer (table order): segment number, 0 = largest; `None` = noise, or every
    /// customer when there is no clear structure.
    pub assignments: Vec<Option<u32>>,
    pub segments: usize,
    pub noise_count: usize,
}

/// The full result of [`segment`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segmentation {
    pub structure: Structure,
    pub message: String,
    pub winner: Option<Algorithm>,
    pub algorithms: Vec<AlgorithmResult>,
    pub assignments: Vec<Option<u32>>,
    pub noise_count: usize,
    /// Largest first; empty without clear structure.
    pub segments: Vec<SegmentProfile>,
    pub projection: Projection,
    /// The scaling the models saw, to place new customers or undo it.
    pub standardizer: Standardizer,
    pub total_time_ms: f64,
}

/// Segments the customers of `table` (rows in the order of `histories`, which supply the ids).
///
/// # Panics
/// When `table` and `histories` differ in length.
pub fn segment(
    table: &FeatureTable,
    histories: &[CustomerHistory],
    options: &SegmentOptions,
) -> Segmentation {
    assert_eq!(table.len(), histories.len(), "one history per feature row");
    let started = Instant::now();
    let (standardizer, z) = Standardizer::fit_transform_features(table);
    let clustering = cluster(z.view(), options);
    let z_flat = z.as_slice().expect("fit_transform returns standard layout");
    let raw = table.rows.as_standard_layout();
    let raw_flat = raw.as_slice().expect("standard layout is contiguous");
    let id = |i: usize| histories[i].customer_id.clone();

    let segments = if clustering.structure == Structure::Clear && !histories.is_empty() {
        let dim = table.rows.ncols();
        explain::explain(
            geometry::Points::new(raw_flat, dim),
            geometry::Points::new(z_flat, dim),
            &clustering.assignments,
            clustering.segments,
            id,
            options.sample_members,
        )
    } else {
        Vec::new()
    };
    let projection = project(z.view(), &clustering.assignments, id, options);
    Segmentation {
        structure: clustering.structure,
        message: clustering.message,
        winner: clustering.winner,
        algorithms: clustering.algorithms,
        assignments: clustering.assignments,
        noise_count: clustering.noise_count,
        segments,
        projection,
        standardizer,
        total_time_ms: started.elapsed().as_secs_f64() * 1e3,
    }
}

/// Runs the algorithm comparison on already-standardised points (rows).
pub fn cluster(points: ArrayView2<f64>, options: &SegmentOptions) -> Clustering {
    let (n, dim) = points.dim();
    if n < 3 || dim == 0 {
        return Clustering {
            structure: Structure::NoClearStructure,
            message: format!("{NO_CLEAR_STRUCTURE}: too few customers to segment ({n})"),
            winner: None,
            algorithms: Vec::new(),
            assignments: vec![None; n],
            segments: 0,
            noise_count: 0,
        };
    }
    let points = points.as_standard_layout();
    let flat = points.as_slice().expect("standard layout is contiguous");
    let ctx = evaluate::Context::new(geometry::Points::new(flat, dim), options);
    // The three run side by side: each has stretches on one thread (Ward's merges, DBSCAN's
    // knee and component merging) that the others fill. Their run times therefore overlap.
    let (kmeans, (ward, dbscan)) = rayon::join(
        || evaluate::run_kmeans(&ctx),
        || rayon::join(|| evaluate::run_ward(&ctx), || evaluate::run_dbscan(&ctx)),
    );
    let candidates = [kmeans, ward, dbscan];
    let verdict = select::verdict(&candidates, options);
    let algorithms = candidates.iter().map(|c| c.result.clone()).collect();
    let (assignments, sizes) = match verdict.winner {
        Some(w) => select::relabel_by_size(&candidates[w].labels),
        None => (vec![None; n], Vec::new()),
    };
    Clustering {
        structure: verdict.structure,
        message: verdict.message,
        winner: verdict.winner.map(|w| candidates[w].result.algorithm),
        noise_count: match verdict.winner {
            Some(_) => assignments.iter().filter(|a| a.is_none()).count(),
            None => 0,
        },
        algorithms,
        assignments,
        segments: sizes.len(),
    }
}

fn project(
    z: ArrayView2<f64>,
    labels: &[Option<u32>],
    id: impl Fn(usize) -> String,
    options: &SegmentOptions,
) -> Projection {
    let (n, dim) = z.dim();
    if n == 0 || dim == 0 {
        return Projection {
            components: Vec::new(),
            explained_variance_ratio: Vec::new(),
            points: Vec::new(),
        };
    }
    let z = z.as_standard_layout();
    let points = geometry::Points::new(z.as_slice().expect("standard layout is contiguous"), dim);
    let pca = projection::Pca::fit(points);
    let axes = dim.min(2);
    let rows = sample::draw_sample(
        n,
        options.projection_points,
        &mut sample::rng_for(options.seed, sample::Stream::Projection, 0),
    );
    Projection {
        components: pca.axes[..axes].to_vec(),
        explained_variance_ratio: pca.variances[..axes]
            .iter()
            .map(|v| {
                if pca.total_variance > 0.0 {
                    v / pca.total_variance
                } else {
                    0.0
                }
            })
            .collect(),
        points: rows
            .into_iter()
            .map(|i| ProjectedPoint {
                index: i,
                customer_id: id(i),
                x: pca.project(points.row(i), 0),
                y: if axes > 1 {
                    pca.project(points.row(i), 1)
                } else {
                    0.0
                },
                segment: labels[i],
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::test_data::{self, blobs_in_dims, moons_with_noise, same_partition, uniform};
    use super::*;
    use crate::eyes::features::{self, FEATURE_COUNT};
    use crate::eyes::history::{Event, Order, Time, DAY};
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn matrix(data: Vec<f64>, dim: usize) -> Array2<f64> {
        Array2::from_shape_vec((data.len() / dim, dim), data).unwrap()
    }

    fn result(c: &Clustering, algorithm: Algorithm) -> &AlgorithmResult {
        c.algorithms
            .iter()
            .find(|r| r.algorithm == algorithm)
            .unwrap()
    }

    /// Smaller samples than the defaults: the suite also runs unoptimised.
    fn test_options() -> SegmentOptions {
        SegmentOptions {
            sample_size: 700,
            ward_micro_clusters: 60,
            kmeans_restarts: 2,
            projection_points: 300,
            ..Default::default()
        }
    }

    fn without_timings(mut c: Clustering) -> Clustering {
        c.algorithms.iter_mut().for_each(|r| r.run_time_ms = 0.0);
        c
    }

    #[test]
    fn kmeans_finds_well_separated_blobs() {
        let (data, truth) = blobs_in_dims(4, 11, 150, 15.0, 1);
        let c = cluster(matrix(data, 11).view(), &test_options());
        let km = result(&c, Algorithm::KMeans);
        assert_eq!(km.k, 4, "{km:?}");
        let s = km.silhouette.unwrap();
        assert!(s.mean > 0.7, "{s:?}");
        // Shuffling keeps each column's two modes, so the baseline has some (grid) structure,
        // but at k = 4 clearly less.
        assert!(
            km.baseline_silhouette.unwrap_or(0.0) < s.mean - 0.15,
            "{km:?}"
        );
        assert!(km.passes_gate);
        assert_eq!(c.structure, Structure::Clear, "{}", c.message);
        assert_eq!(c.segments, 4);
        let labels: Vec<u32> = c.assignments.iter().map(|a| a.unwrap()).collect();
        assert!(same_partition(&labels, &truth));
        // Ward recovers the same blobs.
        let ward = result(&c, Algorithm::Ward);
        assert_eq!(ward.k, 4, "{ward:?}");
        assert!(ward.silhouette.unwrap().mean > 0.7);
    }

    #[test]
    fn large_data_uses_a_sample_with_an_interval() {
        let (data, truth) = blobs_in_dims(3, 5, 2000, 10.0, 2);
        let options = SegmentOptions {
            sample_size: 500,
            ..test_options()
        };
        let c = cluster(matrix(data, 5).view(), &options);
        let km = result(&c, Algorithm::KMeans);
        let s = km.silhouette.unwrap();
        assert!(
            !s.exact && s.points == 500 && s.ci_low < s.mean && s.mean < s.ci_high,
            "{s:?}"
        );
        assert_eq!(c.segments, 3);
        let labels: Vec<u32> = c.assignments.iter().map(|a| a.unwrap()).collect();
        assert!(same_partition(&labels, &truth));
        assert_eq!(c.assignments.len(), 6_000);
    }

    #[test]
    fn a_few_outliers_are_not_a_segment() {
        // Three blobs plus 0.5% far-away outliers: cutting the outliers off as a fourth
        // "cluster" raises the silhouette, but it is not a segment.
        let (mut data, _) = blobs_in_dims(3, 6, 200, 12.0, 12);
        for i in 0..3 {
            data.extend([60.0 + i as f64, 60.0, -60.0, 0.0, 0.0, 0.0]);
        }
        let c = cluster(matrix(data, 6).view(), &test_options());
        assert_eq!(c.structure, Structure::Clear, "{}", c.message);
        assert_eq!(c.segments, 3, "{:?}", c.algorithms);
        let km = result(&c, Algorithm::KMeans);
        assert!(
            km.k_scores.iter().any(|s| s.smallest_share < 0.02),
            "{km:?}"
        );
    }

    #[test]
    fn dbscan_finds_moons_and_reports_noise() {
        // DBSCAN follows the moons' shape (k-means and Ward cut them into convex pieces); the
        // silhouette, which favours convex clusters, may still rank it below them.
        let (data, _, _) = moons_with_noise(300, 30, 0.05, 8);
        let c = cluster(matrix(data, 2).view(), &test_options());
        let db = result(&c, Algorithm::Dbscan);
        assert_eq!(db.k, 2, "{db:?}");
        assert!((20..=50).contains(&db.noise_count), "{db:?}");
        assert!(db.eligible);
    }

    #[test]
    fn uniform_data_has_no_clear_structure() {
        let c = cluster(matrix(uniform(700, 11, 3), 11).view(), &test_options());
        assert_eq!(c.structure, Structure::NoClearStructure);
        assert!(c.message.starts_with(NO_CLEAR_STRUCTURE), "{}", c.message);
        assert_eq!(c.winner, None);
        assert!(c.assignments.iter().all(|a| a.is_none()));
        assert!(c.algorithms.iter().all(|r| !r.passes_gate));
    }

    #[test]
    fn one_elongated_cloud_is_not_two_segments() {
        // Correlated features (spend, orders and activity rising together) make one long cloud.
        // Cut in two it scores a silhouette near 0.5, far above the column-shuffled baseline;
        // the Gaussian with the same covariance scores the same, so no structure is claimed.
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let direction: Vec<f64> = (0..11).map(|j| 1.0 + j as f64 / 5.0).collect();
        let mut data = Vec::new();
        for _ in 0..700 {
            let t = test_data::normal(&mut rng);
            data.extend(
                direction
                    .iter()
                    .map(|d| t * d + 0.1 * test_data::normal(&mut rng)),
            );
        }
        let c = cluster(matrix(data, 11).view(), &test_options());
        let km = result(&c, Algorithm::KMeans);
        assert!(km.silhouette.unwrap().mean > 0.45, "{km:?}");
        assert!(km.baseline_silhouette.unwrap() < 0.3, "{km:?}");
        assert_eq!(c.structure, Structure::NoClearStructure, "{}", c.message);
    }

    #[test]
    fn same_data_and_seed_give_identical_results() {
        let (data, _) = blobs_in_dims(3, 4, 1000, 6.0, 4);
        let options = SegmentOptions {
            sample_size: 400,
            ..test_options()
        };
        let z = matrix(data, 4);
        let a = without_timings(cluster(z.view(), &options));
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = without_timings(single.install(|| cluster(z.view(), &options)));
        assert_eq!(a, b);
        let other_seed = without_timings(cluster(
            z.view(),
            &SegmentOptions {
                seed: 99,
                ..options
            },
        ));
        assert_eq!(a.segments, other_seed.segments);
    }

    #[test]
    fn tiny_inputs_do_not_panic() {
        for n in 0..6 {
            let z = Array2::<f64>::zeros((n, 3));
            let c = cluster(z.view(), &SegmentOptions::default());
            assert_eq!(c.assignments.len(), n);
        }
        // Everyone identical: nothing to separate.
        let same = Array2::<f64>::from_elem((200, 4), 1.5);
        let c = cluster(same.view(), &SegmentOptions::default());
        assert_eq!(c.structure, Structure::NoClearStructure);
        let table = features::compute(&[], 0);
        let s = segment(&table, &[], &SegmentOptions::default());
        assert_eq!(s.structure, Structure::NoClearStructure);
    }

    // ------------------------------------------------------------ end to end on histories

    /// Customer personas with known behaviour, for feature → segment tests and timings.
    fn synthetic_histories(n: usize, seed: u64) -> (Vec<CustomerHistory>, Time) {
        let cutoff: Time = 1_000 * DAY;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let histories = (0..n)
            .map(|i| {
                let persona = i % 3;
                let mut h = CustomerHistory {
                    customer_id: format!("c{i}"),
                    ..Default::default()
                };
                let (orders, amount, tenure, last_gap, events) = match persona {
                    // Champions: many big recent orders, very active.
                    0 => (
                        rng.gen_range(15..30),
                        rng.gen_range(150.0..250.0),
                        rng.gen_range(600..900),
                        rng.gen_range(0..10),
                        rng.gen_range(15..25),
                    ),
                    // Hibernating: one or two small orders long ago.
                    1 => (
                        rng.gen_range(1..3),
                        rng.gen_range(10.0..25.0),
                        rng.gen_range(600..900),
                        rng.gen_range(300..500),
                        rng.gen_range(0..3),
                    ),
                    // New: signed up recently, one order.
                    _ => (
                        1,
                        rng.gen_range(30.0..60.0),
                        rng.gen_range(5..30),
                        rng.gen_range(0..5),
                        rng.gen_range(3..8),
                    ),
                };
                h.created_at = cutoff - tenure * DAY;
                let last = cutoff - last_gap * DAY;
                let span = (last - h.created_at).max(DAY);
                for o in 0..orders {
                    let at = last - span * o / orders.max(1);
                    h.orders.push(Order {
                        at,
                        amount_cents: (amount * rng.gen_range(0.8..1.2) * 100.0) as i64,
                    });
                }
                h.orders.sort_by_key(|o| o.at);
                for _ in 0..events {
                    let at = cutoff - rng.gen_range(0..tenure.max(1)) * DAY;
                    h.events.push(Event {
                        at,
                        event_type: 0,
                        channel: Some(rng.gen_range(0..4)),
                        spend_cents: None,
                        content: Some(rng.gen_range(0..50)),
                        campaign: None,
                    });
                }
                h.events.sort_by_key(|e| e.at);
                h
            })
            .collect();
        (histories, cutoff)
    }

    #[test]
    fn personas_become_named_segments() {
        let (histories, cutoff) = synthetic_histories(900, 5);
        let table = features::compute(&histories, cutoff);
        let s = segment(&table, &histories, &test_options());
        assert_eq!(s.structure, Structure::Clear, "{}", s.message);
        assert_eq!(s.segments.len(), 3, "{:?}", s.algorithms);
        let names: Vec<&str> = s.segments.iter().map(|p| p.name.as_str()).collect();
        assert!(names.contains(&"Champions"), "{names:?}");
        let champions = s.segments.iter().find(|p| p.name == "Champions").unwrap();
        // Every member of the champions segment is a persona-0 customer.
        for (i, a) in s.assignments.iter().enumerate() {
            if *a == Some(champions.label) {
                assert_eq!(i % 3, 0);
            }
        }
        assert!(champions.revenue_share > 0.8);
        assert_eq!(champions.distinguishing_features.len(), 3);
        assert_eq!(champions.centre.len(), FEATURE_COUNT);
        assert_eq!(champions.sample_members.len(), 5);
        let shares: f64 = s.segments.iter().map(|p| p.share).sum();
        assert!((shares - 1.0).abs() < 1e-9);
        assert_eq!(s.projection.points.len(), 300);
        assert_eq!(s.projection.components.len(), 2);
        assert!(s
            .projection
            .points
            .iter()
            .all(|p| p.segment.is_some() && p.x.is_finite() && p.y.is_finite()));
        // It serialises.
        assert!(serde_json::to_string(&s).unwrap().contains("Champions"));
    }

    #[test]
    fn full_segmentation_is_deterministic() {
        let (histories, cutoff) = synthetic_histories(1000, 6);
        let table = features::compute(&histories, cutoff);
        let options = SegmentOptions {
            sample_size: 400,
            ..test_options()
        };
        let run = || {
            let mut s = segment(&table, &histories, &options);
            s.total_time_ms = 0.0;
            s.algorithms.iter_mut().for_each(|r| r.run_time_ms = 0.0);
            s
        };
        let a = run();
        let single = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let b = single.install(run);
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }

    /// `cargo test --release -- --ignored --nocapture timings`
    #[test]
    #[ignore]
    fn timings() {
        for n in [100_000, 1_000_000] {
            let (histories, cutoff) = synthetic_histories(n, 1);
            let started = Instant::now();
            let table = features::compute(&histories, cutoff);
            let features_ms = started.elapsed().as_secs_f64() * 1e3;
            let s = segment(&table, &histories, &SegmentOptions::default());
            let total_ms = started.elapsed().as_secs_f64() * 1e3;
            println!(
                "n={n}: features {features_ms:.0} ms, segmentation {:.0} ms, total {total_ms:.0} ms; {}",
                s.total_time_ms, s.message
            );
            for r in &s.algorithms {
                println!(
                    "  {:8} k={} silhouette={:?} baselines={:?}/{:?} noise={} {:.0} ms",
                    r.algorithm.name(),
                    r.k,
                    r.silhouette.map(|s| (s.mean * 1000.0).round() / 1000.0),
                    r.baseline_silhouette.map(|s| (s * 1000.0).round() / 1000.0),
                    r.gaussian_baseline_silhouette
                        .map(|s| (s * 1000.0).round() / 1000.0),
                    r.noise_count,
                    r.run_time_ms
                );
            }
            for p in &s.segments {
                println!(
                    "  {} {} {:.1}% revenue {:.1}%",
                    p.label,
                    p.name,
                    p.share * 100.0,
                    p.revenue_share * 100.0
                );
            }
        }
    }
}
