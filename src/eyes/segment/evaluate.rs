//! Runs each algorithm the same way: choose its parameters on a seeded sample, label every
//! point, score the labelling by silhouette on the sample, and score the same algorithm with the
//! same settings on the column-shuffled sample as the no-structure baseline.
//!
//! There are two baselines, and a segmentation must clearly beat both: the column-shuffled
//! sample (keeps each feature's distribution, destroys relations between features) and Gaussian
//! draws with the sample's mean and covariance (keeps linear correlations, destroys modes — a
//! single elongated cloud, split in two, already reaches a silhouette near 0.5).
//!
//! Baselines keep k fixed at the k chosen on the real data (DBSCAN: the same min_pts and knee
//! rule). Letting them choose their own k would be unfair to clusters that differ along single
//! features: shuffling such columns keeps their modes and builds a grid of combinations, which
//! at a larger k can score as high as the real clusters do.

use std::time::Instant;

use rayon::prelude::*;

use super::dbscan::{self, DbscanParams};
use super::geometry::{squared_distance, Points};
use super::kdtree::KdTree;
use super::kmeans::{self, KMeansFit};
use super::sample::{draw_sample, gaussian_like, rng_for, shuffle_columns, Stream};
use super::silhouette::{self, DistanceMatrix, SilhouetteEstimate};
use super::ward;
use super::{Algorithm, AlgorithmResult, KScore, SegmentOptions};

/// Centre movement (in standard deviations) below which k-means stops, on the sample and on all
/// data: far below anything that changes a silhouette or an explanation.
const KMEANS_TOLERANCE: f64 = 1e-4;
/// Micro-clusters only summarise the sample for Ward; they need not be converged.
const MICRO_CLUSTER_ITERATIONS: usize = 20;
const MICRO_CLUSTER_TOLERANCE: f64 = 1e-3;

/// A set of points with its pairwise distances: the real sample, or a no-structure reference.
struct Reference {
    points: Vec<f64>,
    distances: DistanceMatrix,
}

impl Reference {
    fn new(points: Vec<f64>, dim: usize) -> Reference {
        let distances = DistanceMatrix::new(Points::new(&points, dim));
        Reference { points, distances }
    }
}

/// Everything the algorithms share: the data, the seeded sample and its two references.
/// (DBSCAN fits on a larger sample of its own; see `run_dbscan`.)
pub(crate) struct Context<'a> {
    pub all: Points<'a>,
    pub options: &'a SegmentOptions,
    /// `sample_indices[s]` is the row of sample point `s`.
    pub sample_indices: Vec<usize>,
    sample: Reference,
    /// The sample with every column permuted independently.
    shuffled: Reference,
    /// Normal draws with the sample's mean and covariance.
    gaussian: Reference,
    /// The sample is all the data, so silhouettes are exact.
    pub exact: bool,
    /// Candidate cluster counts, clipped to what the sample allows.
    pub ks: Vec<usize>,
}

impl<'a> Context<'a> {
    pub(crate) fn new(all: Points<'a>, options: &'a SegmentOptions) -> Context<'a> {
        let (n, dim) = (all.len(), all.dim());
        let m = n.min(options.sample_size.max(10));
        let sample_indices = draw_sample(
            n,
            m,
            &mut rng_for(options.seed, Stream::SilhouetteSample, 0),
        );
        let sample = all.gather(&sample_indices);
        let shuffled = shuffle_columns(
            &sample,
            dim,
            &mut rng_for(options.seed, Stream::ShuffledBaseline, 0),
        );
        let gaussian = gaussian_like(
            &sample,
            dim,
            &mut rng_for(options.seed, Stream::GaussianBaseline, 0),
        );
        let ks = (options.k_min.max(2)..=options.k_max.min(m.saturating_sub(1))).collect();
        Context {
            all,
            options,
            sample_indices,
            sample: Reference::new(sample, dim),
            shuffled: Reference::new(shuffled, dim),
            gaussian: Reference::new(gaussian, dim),
            exact: m == n,
            ks,
        }
    }

    fn points<'r>(&self, reference: &'r Reference) -> Points<'r> {
        Points::new(&reference.points, self.all.dim())
    }

    /// The silhouettes of `procedure` on the two references, side by side (on small
    /// references much of each algorithm's work runs on one thread).
    fn baselines(&self, procedure: impl Fn(&Reference) -> Option<f64> + Sync) -> Baselines {
        let (shuffled, gaussian) = rayon::join(|| procedure(&self.shuffled), || procedure(&self.gaussian));
        Baselines { shuffled, gaussian }
    }
}

/// The same algorithm's silhouettes on the no-structure references.
struct Baselines {
    shuffled: Option<f64>,
    gaussian: Option<f64>,
}

/// One algorithm's report and its labels for every point.
pub(crate) struct Candidate {
    pub result: AlgorithmResult,
    pub labels: Vec<Option<u32>>,
}

/// A candidate k's sample labelling, its silhouette and the model behind it.
struct Scored<T> {
    k: usize,
    silhouette: Option<f64>,
    smallest_share: f64,
    model: T,
}

fn score<T>(k: usize, distances: &DistanceMatrix, labels: &[Option<u32>], model: T) -> Scored<T> {
    Scored {
        k,
        silhouette: silhouette::mean(distances, labels),
        smallest_share: smallest_share(labels),
        model,
    }
}

/// The smallest cluster's share of all points (noise included in the total).
fn smallest_share(labels: &[Option<u32>]) -> f64 {
    let mut sizes = vec![
        0usize;
        labels
            .iter()
            .flatten()
            .map(|&l| l as usize + 1)
            .max()
            .unwrap_or(0)
    ];
    labels
        .iter()
        .flatten()
        .for_each(|&l| sizes[l as usize] += 1);
    let smallest = sizes.into_iter().filter(|&s| s > 0).min().unwrap_or(0);
    if labels.is_empty() {
        0.0
    } else {
        smallest as f64 / labels.len() as f64
    }
}

/// The best k by sample silhouette among those whose clusters are all big enough (ties →
/// smaller k), and every k's score.
fn best_k<T>(scored: Vec<Scored<T>>, ctx: &Context) -> (Option<(usize, f64, T)>, Vec<KScore>) {
    let scores = scored
        .iter()
        .map(|s| KScore {
            k: s.k,
            silhouette: s.silhouette,
            smallest_share: s.smallest_share,
        })
        .collect();
    let mut best: Option<(usize, f64, T)> = None;
    for candidate in scored {
        if candidate.smallest_share < ctx.options.min_segment_share {
            continue;
        }
        if let Some(s) = candidate.silhouette {
            if best.as_ref().is_none_or(|(_, b, _)| s > *b) {
                best = Some((candidate.k, s, candidate.model));
            }
        }
    }
    (best, scores)
}

fn some_labels(labels: &[u32]) -> Vec<Option<u32>> {
    labels.iter().map(|&l| Some(l)).collect()
}

// ---------------------------------------------------------------- k-means

fn kmeans_over_k(
    points: Points,
    distances: &DistanceMatrix,
    ks: &[usize],
    ctx: &Context,
) -> (Option<(usize, f64, KMeansFit)>, Vec<KScore>) {
    let o = ctx.options;
    let scored = ks
        .par_iter()
        .map(|&k| {
            let settings = kmeans::Settings {
                restarts: o.kmeans_restarts,
                max_iter: o.max_iter,
                tolerance: KMEANS_TOLERANCE,
                greedy: true,
                seed: o.seed,
                stream: Stream::KMeans,
            };
            let fit = kmeans::fit_best_of(points, k, settings);
            score(k, distances, &some_labels(&fit.labels), fit)
        })
        .collect();
    best_k(scored, ctx)
}

/// k-means: k chosen on the sample, then Lloyd on all points from the sample's centres.
pub(crate) fn run_kmeans(ctx: &Context) -> Candidate {
    let started = Instant::now();
    let (best, scores) =
        kmeans_over_k(ctx.points(&ctx.sample), &ctx.sample.distances, &ctx.ks, ctx);
    let Some((k, _, fit)) = best else {
        return not_applicable(
            ctx,
            Algorithm::KMeans,
            scores,
            "too few points for the requested k range",
            started,
        );
    };
    let baselines = ctx.baselines(|r| {
        kmeans_over_k(ctx.points(r), &r.distances, &[k], ctx)
            .0
            .map(|(_, s, _)| s)
    });
    let full = kmeans::lloyd(
        ctx.all,
        fit.centroids,
        ctx.options.max_iter,
        KMEANS_TOLERANCE,
    );
    finish(
        ctx,
        Algorithm::KMeans,
        some_labels(&full.labels),
        scores,
        baselines,
        None,
        started,
    )
}

// ---------------------------------------------------------------- Ward

/// Ward's tree over micro-clusters of a sample: the micro-centres, and each sample point's
/// micro-cluster.
struct MicroWard {
    centres: Vec<f64>,
    micro_labels: Vec<u32>,
    tree: ward::WardTree,
}

fn micro_ward(points: Points, ctx: &Context) -> MicroWard {
    let (m, dim) = (points.len(), points.dim());
    let wanted = ctx.options.ward_micro_clusters.max(2);
    let (centres, micro_labels, weights) = if wanted >= m {
        (
            points.data().to_vec(),
            (0..m as u32).collect::<Vec<_>>(),
            vec![1.0; m],
        )
    } else {
        let settings = kmeans::Settings {
            restarts: 1,
            max_iter: MICRO_CLUSTER_ITERATIONS.min(ctx.options.max_iter),
            tolerance: MICRO_CLUSTER_TOLERANCE,
            greedy: false,
            seed: ctx.options.seed,
            stream: Stream::WardMicroClusters,
        };
        let fit = kmeans::fit_best_of(points, wanted, settings);
        // Drop micro-clusters left empty (possible with duplicate points), renumbering the rest.
        let mut counts = vec![0usize; wanted];
        fit.labels.iter().for_each(|&l| counts[l as usize] += 1);
        let mut renumber = vec![u32::MAX; wanted];
        let mut centres = Vec::new();
        let mut weights = Vec::new();
        for c in (0..wanted).filter(|&c| counts[c] > 0) {
            renumber[c] = weights.len() as u32;
            centres.extend_from_slice(&fit.centroids[c * dim..(c + 1) * dim]);
            weights.push(counts[c] as f64);
        }
        (
            centres,
            fit.labels.iter().map(|&l| renumber[l as usize]).collect(),
            weights,
        )
    };
    let tree = ward::build(&centres, &weights, dim);
    MicroWard {
        centres,
        micro_labels,
        tree,
    }
}

fn ward_over_k(
    points: Points,
    distances: &DistanceMatrix,
    ks: &[usize],
    ctx: &Context,
) -> (Option<(usize, f64, MicroWard)>, Vec<KScore>) {
    let model = micro_ward(points, ctx);
    let scored: Vec<Scored<()>> = ks
        .iter()
        .filter(|&&k| k <= model.tree.leaves)
        .map(|&k| {
            let leaf_labels = ward::cut(&model.tree, k);
            let labels: Vec<Option<u32>> = model
                .micro_labels
                .iter()
                .map(|&m| Some(leaf_labels[m as usize]))
                .collect();
            score(k, distances, &labels, ())
        })
        .collect();
    let (best, scores) = best_k(scored, ctx);
    (best.map(|(k, s, ())| (k, s, model)), scores)
}

/// Ward on k-means micro-clusters of the sample, cut at the k with the best silhouette; every
/// point joins the Ward cluster of its nearest micro-centre.
pub(crate) fn run_ward(ctx: &Context) -> Candidate {
    let started = Instant::now();
    let (best, scores) = ward_over_k(ctx.points(&ctx.sample), &ctx.sample.distances, &ctx.ks, ctx);
    let Some((k, _, model)) = best else {
        return not_applicable(
            ctx,
            Algorithm::Ward,
            scores,
            "too few points for the requested k range",
            started,
        );
    };
    let baselines = ctx.baselines(|r| {
        ward_over_k(ctx.points(r), &r.distances, &[k], ctx)
            .0
            .map(|(_, s, _)| s)
    });
    let leaf_labels = ward::cut(&model.tree, k);
    let dim = ctx.all.dim();
    let settled = settling_distances(&model.centres, &leaf_labels, dim);
    let tree = KdTree::new(Points::new(&model.centres, dim));
    let labels = ctx
        .all
        .data()
        .par_chunks(dim)
        .map(|row| {
            tree.nearest_until(row, f64::INFINITY, |c, d2| d2 < settled[c])
                .map(|(c, _)| leaf_labels[c])
        })
        .collect();
    finish(
        ctx,
        Algorithm::Ward,
        labels,
        scores,
        baselines,
        None,
        started,
    )
}

/// Per micro-centre c, the squared half-distance to the nearest centre with another label. A
/// point closer than that to c is nearer to c than to any centre of another label (triangle
/// inequality), so its label is settled without finding its exact nearest centre.
fn settling_distances(centres: &[f64], labels: &[u32], dim: usize) -> Vec<f64> {
    let points = Points::new(centres, dim);
    (0..points.len())
        .map(|c| {
            let nearest_other = (0..points.len())
                .filter(|&o| labels[o] != labels[c])
                .map(|o| squared_distance(points.row(c), points.row(o)))
                .fold(f64::INFINITY, f64::min);
            nearest_other / 4.0
        })
        .collect()
}

// ---------------------------------------------------------------- DBSCAN

fn min_pts(ctx: &Context) -> usize {
    let m = ctx.all.len();
    ctx.options
        .dbscan_min_pts
        .unwrap_or_else(|| dbscan::default_min_pts(ctx.all.dim()))
        .max(2)
        .min(m.max(2))
}

/// DBSCAN on its own seeded sample (`dbscan_sample_size`, larger than the silhouette sample:
/// density estimated from 3,000 points misses clusters that 20,000 show), every point labelled
/// by its nearest core point, scored on the silhouette sample like the others.
///
/// Its baselines run on the shared no-structure references, as the other algorithms' do. On
/// references of the full DBSCAN size they cost several times the real fit (k-d trees gain
/// little on structureless data), for a reference score that only has to be clearly beaten.
pub(crate) fn run_dbscan(ctx: &Context) -> Candidate {
    let started = Instant::now();
    let (n, dim) = (ctx.all.len(), ctx.all.dim());
    let min_pts = min_pts(ctx);
    let rows = draw_sample(
        n,
        n.min(ctx.options.dbscan_sample_size.max(ctx.sample_indices.len())),
        &mut rng_for(ctx.options.seed, Stream::DbscanSample, 0),
    );
    let sample = ctx.all.gather(&rows);
    let fit = dbscan::fit(Points::new(&sample, dim), min_pts);
    let baselines = ctx.baselines(|r| {
        let points = ctx.points(r);
        let labels = dbscan::label(points, &dbscan::fit(points, min_pts));
        // As for the other algorithms, a labelling with a too-small cluster does not count.
        if smallest_share(&labels) >= ctx.options.min_segment_share {
            silhouette::mean(&r.distances, &labels)
        } else {
            None
        }
    });
    let labels = dbscan::label(ctx.all, &fit);
    finish(
        ctx,
        Algorithm::Dbscan,
        labels,
        Vec::new(),
        baselines,
        Some(fit.params),
        started,
    )
}

// ---------------------------------------------------------------- common scoring

fn not_applicable(
    ctx: &Context,
    algorithm: Algorithm,
    k_scores: Vec<KScore>,
    why: &str,
    started: Instant,
) -> Candidate {
    Candidate {
        result: AlgorithmResult {
            algorithm,
            k: 0,
            silhouette: None,
            selection_score: None,
            baseline_silhouette: None,
            gaussian_baseline_silhouette: None,
            k_scores,
            cluster_sizes: Vec::new(),
            noise_count: 0,
            dbscan: None,
            eligible: false,
            passes_gate: false,
            note: Some(why.to_string()),
            run_time_ms: started.elapsed().as_secs_f64() * 1e3,
        },
        labels: vec![None; ctx.all.len()],
    }
}

/// Scores a full labelling on the sample and decides eligibility and the quality gate.
fn finish(
    ctx: &Context,
    algorithm: Algorithm,
    labels: Vec<Option<u32>>,
    k_scores: Vec<KScore>,
    baselines: Baselines,
    dbscan: Option<DbscanParams>,
    started: Instant,
) -> Candidate {
    let o = ctx.options;
    let n = labels.len();
    let sample_labels: Vec<Option<u32>> = ctx.sample_indices.iter().map(|&i| labels[i]).collect();
    let values = silhouette::per_point(&ctx.sample.distances, &sample_labels);
    let silhouette = values
        .as_ref()
        .map(|values| SilhouetteEstimate::from_values(values, ctx.exact));
    let selection_score = values.map(|v| v.iter().sum::<f64>() / sample_labels.len() as f64);

    let mut cluster_sizes = vec![
        0usize;
        labels
            .iter()
            .flatten()
            .map(|&l| l as usize + 1)
            .max()
            .unwrap_or(0)
    ];
    labels
        .iter()
        .flatten()
        .for_each(|&l| cluster_sizes[l as usize] += 1);
    cluster_sizes.retain(|&s| s > 0);
    cluster_sizes.sort_unstable_by(|a, b| b.cmp(a));
    let k = cluster_sizes.len();
    let noise_count = labels.iter().filter(|l| l.is_none()).count();
    let noise_share = if n > 0 {
        noise_count as f64 / n as f64
    } else {
        0.0
    };

    let note = if silhouette.is_none() {
        Some("fewer than two clusters: no silhouette".to_string())
    } else if k < o.k_min.max(2) || k > o.k_max {
        Some(format!(
            "{k} clusters is outside the requested range {}..={}",
            o.k_min, o.k_max
        ))
    } else if smallest_share(&labels) < o.min_segment_share {
        Some(format!(
            "its smallest cluster holds {:.1}% of customers (minimum {:.1}%)",
            smallest_share(&labels) * 100.0,
            o.min_segment_share * 100.0
        ))
    } else if noise_share > o.max_noise_share {
        Some(format!(
            "{:.0}% of customers are noise (limit {:.0}%): the clusters cover too little of the base",
            noise_share * 100.0,
            o.max_noise_share * 100.0
        ))
    } else {
        None
    };
    let eligible = note.is_none();
    // A reference without usable clusters scores 0.
    let strongest_baseline = baselines
        .shuffled
        .unwrap_or(0.0)
        .max(baselines.gaussian.unwrap_or(0.0));
    let passes_gate = eligible
        && silhouette.is_some_and(|s| {
            s.mean >= o.quality_gate && s.mean - strongest_baseline >= o.min_margin_over_baseline
        });
    Candidate {
        result: AlgorithmResult {
            algorithm,
            k,
            silhouette,
            selection_score,
            baseline_silhouette: baselines.shuffled,
            gaussian_baseline_silhouette: baselines.gaussian,
            k_scores,
            cluster_sizes,
            noise_count,
            dbscan,
            eligible,
            passes_gate,
            note,
            run_time_ms: started.elapsed().as_secs_f64() * 1e3,
        },
        labels,
    }
}
