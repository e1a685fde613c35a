//! Per-customer behavioural features for EYES: one row of eleven numbers per customer, computed
//! from the history as it stood at a cutoff (nothing after the cutoff is looked at, so the same
//! table can feed a churn model trained on "what happened next").
//!
//! Every value is finite. Customers without orders get documented, meaningful values instead of
//! NaN (see [`compute`]). [`Standardizer`] puts the columns on one scale for clustering; it can
//! log-compress the heavy-tailed money and count columns first and undo both steps, so
//! explanations can always be given in the original units.

use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::eyes::history::{CustomerHistory, Time, DAY};

pub const FEATURE_COUNT: usize = 11;

pub const FEATURE_NAMES: [&str; FEATURE_COUNT] = [
    "recency_days",
    "frequency",
    "monetary",
    "tenure_days",
    "avg_order_value",
    "mean_interpurchase_days",
    "events_per_day",
    "channel_diversity",
    "engagement",
    "spend_consistency",
    "content_diversity",
];

// Column indices, so rules elsewhere read as names rather than numbers.
pub const RECENCY_DAYS: usize = 0;
pub const FREQUENCY: usize = 1;
pub const MONETARY: usize = 2;
pub const TENURE_DAYS: usize = 3;
pub const AVG_ORDER_VALUE: usize = 4;
pub const MEAN_INTERPURCHASE_DAYS: usize = 5;
pub const EVENTS_PER_DAY: usize = 6;
pub const CHANNEL_DIVERSITY: usize = 7;
pub const ENGAGEMENT: usize = 8;
pub const SPEND_CONSISTENCY: usize = 9;
pub const CONTENT_DIVERSITY: usize = 10;

/// The look-back window of the `engagement` feature.
pub const ENGAGEMENT_WINDOW_DAYS: i64 = 30;

/// How a feature is shown to a person, and whether it is log-compressed before z-scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FeatureInfo {
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    /// Heavy-tailed (money, counts, waiting times): a handful of whales would otherwise
    /// dominate every distance, so clustering sees `ln(1 + x)` of it.
    pub log_scale: bool,
}

pub const FEATURE_INFO: [FeatureInfo; FEATURE_COUNT] = [
    FeatureInfo {
        name: "recency_days",
        label: "Days since last purchase",
        unit: "days",
        log_scale: true,
    },
    FeatureInfo {
        name: "frequency",
        label: "Orders",
        unit: "orders",
        log_scale: true,
    },
    FeatureInfo {
        name: "monetary",
        label: "Total spend",
        unit: "$",
        log_scale: true,
    },
    FeatureInfo {
        name: "tenure_days",
        label: "Customer for",
        unit: "days",
        log_scale: false,
    },
    FeatureInfo {
        name: "avg_order_value",
        label: "Average order value",
        unit: "$",
        log_scale: true,
    },
    FeatureInfo {
        name: "mean_interpurchase_days",
        label: "Days between purchases",
        unit: "days",
        log_scale: true,
    },
    FeatureInfo {
        name: "events_per_day",
        label: "Activity rate",
        unit: "events/day",
        log_scale: true,
    },
    FeatureInfo {
        name: "channel_diversity",
        label: "Channels used",
        unit: "channels",
        log_scale: false,
    },
    FeatureInfo {
        name: "engagement",
        label: "Events in the last 30 days",
        unit: "events",
        log_scale: true,
    },
    FeatureInfo {
        name: "spend_consistency",
        label: "Spend consistency",
        unit: "score 0-1",
        log_scale: false,
    },
    FeatureInfo {
        name: "content_diversity",
        label: "Distinct content viewed",
        unit: "items",
        log_scale: true,
    },
];

/// The features of every customer at one cutoff.
#[derive(Clone, Debug, PartialEq)]
pub struct FeatureTable {
    /// n × [`FEATURE_COUNT`], row i belongs to `histories[i]`; columns as [`FEATURE_NAMES`].
    pub rows: Array2<f64>,
    pub cutoff: Time,
}

impl FeatureTable {
    pub fn len(&self) -> usize {
        self.rows.nrows()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.nrows() == 0
    }
}

/// Computes the feature table from the data at or before `cutoff`, one row per history in the
/// same order. Definitions (O = orders at or before the cutoff, E = events likewise):
///
/// - `tenure_days`: cutoff minus the customer's start, where the start is the earliest of
///   `created_at` and the first order or event; 0 when the customer starts after the cutoff.
/// - `recency_days`: days since the last order in O; **without orders**, days since the start
///   (= tenure: they have gone that long without buying).
/// - `frequency`: |O|. `monetary`: sum of O amounts in currency units (refunds, entered as
///   negative amounts, reduce it). `avg_order_value`: monetary / frequency, 0 without orders.
/// - `mean_interpurchase_days`: (last − first order) / (|O| − 1); with **fewer than two orders**,
///   the tenure — the censored lower bound "no repeat purchase seen in the whole tenure".
/// - `events_per_day`: |E| / max(tenure_days, 1); the one-day floor keeps brand-new customers
///   finite.
/// - `channel_diversity` / `content_diversity`: distinct channel / content ids in E.
/// - `engagement`: events in the last [`ENGAGEMENT_WINDOW_DAYS`] days up to the cutoff.
/// - `spend_consistency`: 1 / (1 + cv) with cv = population std / mean of O amounts, in (0, 1],
///   1 = every order the same size. One order → 1; no orders or a non-positive mean → 0.
///
/// Histories need not be sorted for correctness. Runs in parallel; each row is independent, so
/// the result does not depend on the thread count.
pub fn compute(histories: &[CustomerHistory], cutoff: Time) -> FeatureTable {
    let mut rows = Array2::<f64>::zeros((histories.len(), FEATURE_COUNT));
    rows.as_slice_mut()
        .expect("a fresh array is contiguous")
        .par_chunks_mut(FEATURE_COUNT)
        .zip(histories.par_iter())
        .for_each_init(Vec::new, |scratch, (row, history)| {
            let features = customer_features(history, cutoff, scratch);
            row.copy_from_slice(&features);
        });
    FeatureTable { rows, cutoff }
}

/// One customer's row; `scratch` is a reusable buffer for counting distinct ids.
fn customer_features(
    h: &CustomerHistory,
    cutoff: Time,
    scratch: &mut Vec<u32>,
) -> [f64; FEATURE_COUNT] {
    let days = |seconds: Time| seconds.max(0) as f64 / DAY as f64;

    let mut order_count = 0usize;
    let mut total_cents: i128 = 0;
    let mut first_order = Time::MAX;
    let mut last_order = Time::MIN;
    // Welford's running mean and variance of the order amounts, in currency units.
    let (mut mean, mut m2) = (0.0f64, 0.0f64);
    for o in h.orders.iter().filter(|o| o.at <= cutoff) {
        order_count += 1;
        total_cents += o.amount_cents as i128;
        first_order = first_order.min(o.at);
        last_order = last_order.max(o.at);
        let amount = o.amount_cents as f64 / 100.0;
        let delta = amount - mean;
        mean += delta / order_count as f64;
        m2 += delta * (amount - mean);
    }

    let engagement_from = cutoff.saturating_sub(ENGAGEMENT_WINDOW_DAYS * DAY);
    let mut event_count = 0usize;
    let mut recent_events = 0usize;
    let mut first_event = Time::MAX;
    for e in h.events.iter().filter(|e| e.at <= cutoff) {
        event_count += 1;
        first_event = first_event.min(e.at);
        if e.at > engagement_from {
            recent_events += 1;
        }
    }
    let channel_diversity = count_distinct(
        scratch,
        h.events
            .iter()
            .filter(|e| e.at <= cutoff)
            .filter_map(|e| e.channel),
    );
    let content_diversity = count_distinct(
        scratch,
        h.events
            .iter()
            .filter(|e| e.at <= cutoff)
            .filter_map(|e| e.content),
    );

    let start = h.created_at.min(first_order).min(first_event).min(cutoff);
    let tenure_days = days(cutoff - start);
    let frequency = order_count as f64;
    let monetary = total_cents as f64 / 100.0;
    let (recency_days, avg_order_value) = if order_count > 0 {
        (days(cutoff - last_order), monetary / frequency)
    } else {
        (tenure_days, 0.0)
    };
    let mean_interpurchase_days = if order_count >= 2 {
        days(last_order - first_order) / (order_count - 1) as f64
    } else {
        tenure_days
    };
    let events_per_day = event_count as f64 / tenure_days.max(1.0);
    let spend_consistency = match order_count {
        0 => 0.0,
        1 => 1.0,
        n if mean > 0.0 => {
            let cv = (m2 / n as f64).max(0.0).sqrt() / mean;
            1.0 / (1.0 + cv)
        }
        _ => 0.0,
    };

    [
        recency_days,
        frequency,
        monetary,
        tenure_days,
        avg_order_value,
        mean_interpurchase_days,
        events_per_day,
        channel_diversity as f64,
        recent_events as f64,
        spend_consistency,
        content_diversity as f64,
    ]
}

fn count_distinct(scratch: &mut Vec<u32>, ids: impl Iterator<Item = u32>) -> usize {
    scratch.clear();
    scratch.extend(ids);
    scratch.sort_unstable();
    scratch.dedup();
    scratch.len()
}

/// `sign(x) · ln(1 + |x|)`: log compression that also accepts negatives (net refunds).
pub fn signed_log1p(x: f64) -> f64 {
    x.signum() * x.abs().ln_1p()
}

/// Inverse of [`signed_log1p`].
pub fn signed_expm1(y: f64) -> f64 {
    y.signum() * y.abs().exp_m1()
}

/// Rows per parallel work item when scanning the table.
const STATS_CHUNK_ROWS: usize = 4096;

/// Column-wise z-scoring, optionally after [`signed_log1p`] on chosen columns.
/// Columns with zero spread get std 1, so they transform to 0 instead of NaN.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Standardizer {
    /// Per column: whether values are log-compressed before centring.
    pub log_columns: Vec<bool>,
    /// Means and standard deviations of the (possibly log-compressed) columns.
    pub means: Vec<f64>,
    pub stds: Vec<f64>,
}

impl Standardizer {
    /// Plain z-scoring of every column.
    pub fn fit(x: &Array2<f64>) -> Standardizer {
        Self::fit_with_log(x.view(), &vec![false; x.ncols()])
    }

    /// The scaling EYES clusters on: [`FEATURE_INFO`]'s heavy-tailed columns are log-compressed,
    /// then every column is z-scored.
    pub fn fit_features(table: &FeatureTable) -> Standardizer {
        let log_columns: Vec<bool> = FEATURE_INFO.iter().map(|f| f.log_scale).collect();
        Self::fit_with_log(table.rows.view(), &log_columns)
    }

    /// [`Self::fit_features`] and [`Self::transform`] in one, taking each logarithm once.
    pub fn fit_transform_features(table: &FeatureTable) -> (Standardizer, Array2<f64>) {
        let log_columns: Vec<bool> = FEATURE_INFO.iter().map(|f| f.log_scale).collect();
        let mut z = table.rows.as_standard_layout().into_owned();
        let logged = Standardizer {
            log_columns: log_columns.clone(),
            means: vec![0.0; FEATURE_COUNT],
            stds: vec![1.0; FEATURE_COUNT],
        };
        logged.transform_in_place(&mut z);
        let mut fitted = Self::fit_with_log(z.view(), &[false; FEATURE_COUNT]);
        fitted.transform_in_place(&mut z);
        fitted.log_columns = log_columns;
        (fitted, z)
    }

    pub fn fit_with_log(x: ArrayView2<f64>, log_columns: &[bool]) -> Standardizer {
        assert_eq!(x.ncols(), log_columns.len(), "one log flag per column");
        let (n, columns) = x.dim();
        let x = x.as_standard_layout();
        let flat = x.as_slice().expect("standard layout is contiguous");
        let value = |j: usize, v: f64| if log_columns[j] { signed_log1p(v) } else { v };
        // Sums are taken about the first row's values (shifted data keeps the one-pass variance
        // accurate), in fixed chunks reduced in order: reproducible on any thread count.
        let shift: Vec<f64> = (0..columns)
            .map(|j| if n > 0 { value(j, flat[j]) } else { 0.0 })
            .collect();
        let partials: Vec<Vec<f64>> = if columns == 0 {
            Vec::new()
        } else {
            flat.par_chunks(STATS_CHUNK_ROWS * columns)
                .map(|rows| {
                    let mut sums = vec![0.0; 2 * columns];
                    for row in rows.chunks_exact(columns) {
                        for (j, &v) in row.iter().enumerate() {
                            let d = value(j, v) - shift[j];
                            sums[j] += d;
                            sums[columns + j] += d * d;
                        }
                    }
                    sums
                })
                .collect()
        };
        let mut sums = vec![0.0; 2 * columns];
        for p in &partials {
            sums.iter_mut().zip(p).for_each(|(s, v)| *s += v);
        }
        let mut means = Vec::with_capacity(columns);
        let mut stds = Vec::with_capacity(columns);
        for j in 0..columns {
            let (mean_shifted, var) = if n == 0 {
                (0.0, 0.0)
            } else {
                let m = sums[j] / n as f64;
                (m, (sums[columns + j] / n as f64 - m * m).max(0.0))
            };
            means.push(shift[j] + mean_shifted);
            let std = var.sqrt();
            stds.push(if std.is_finite() && std > 1e-12 {
                std
            } else {
                1.0
            });
        }
        Standardizer {
            log_columns: log_columns.to_vec(),
            means,
            stds,
        }
    }

    /// Original units → model scale.
    pub fn transform(&self, x: &Array2<f64>) -> Array2<f64> {
        let mut out = x.as_standard_layout().into_owned();
        self.transform_in_place(&mut out);
        out
    }

    pub fn transform_in_place(&self, x: &mut Array2<f64>) {
        assert_eq!(
            x.ncols(),
            self.means.len(),
            "column count differs from the fitted one"
        );
        let columns = self.means.len();
        let apply = |row: &mut [f64]| {
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.transform_value(j, *v);
            }
        };
        if columns == 0 {
            return;
        }
        match x.as_slice_mut() {
            Some(flat) => flat
                .par_chunks_mut(STATS_CHUNK_ROWS * columns)
                .for_each(|rows| {
                    rows.chunks_exact_mut(columns).for_each(apply);
                }),
            None => x.rows_mut().into_iter().for_each(|mut row| {
                row.iter_mut()
                    .enumerate()
                    .for_each(|(j, v)| *v = self.transform_value(j, *v));
            }),
        }
    }

    /// Model scale → original units.
    pub fn inverse(&self, z: &Array2<f64>) -> Array2<f64> {
        let mut out = z.clone();
        for mut row in out.rows_mut() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = self.inverse_value(j, *v);
            }
        }
        out
    }

    pub fn transform_value(&self, column: usize, v: f64) -> f64 {
        let v = if self.log_columns[column] {
            signed_log1p(v)
        } else {
            v
        };
        (v - self.means[column]) / self.stds[column]
    }

    pub fn inverse_value(&self, column: usize, z: f64) -> f64 {
        let v = z * self.stds[column] + self.means[column];
        if self.log_columns[column] {
            signed_expm1(v)
        } else {
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::{Event, Order};
    use ndarray::array;

    const CUTOFF: Time = 100 * DAY;

    fn event(day: i64, channel: Option<u32>, content: Option<u32>) -> Event {
        Event {
            at: day * DAY,
            event_type: 0,
            channel,
            spend_cents: None,
            content,
            campaign: None,
        }
    }

    fn histories() -> Vec<CustomerHistory> {
        vec![
            // Three orders of $10, $20, $30 on days 40, 60, 90; activity on three channels.
            CustomerHistory {
                customer_id: "a".into(),
                created_at: 20 * DAY,
                orders: vec![
                    Order {
                        at: 40 * DAY,
                        amount_cents: 1000,
                    },
                    Order {
                        at: 60 * DAY,
                        amount_cents: 2000,
                    },
                    Order {
                        at: 90 * DAY,
                        amount_cents: 3000,
                    },
                    // After the cutoff: must be ignored.
                    Order {
                        at: 120 * DAY,
                        amount_cents: 99_999,
                    },
                ],
                events: vec![
                    event(30, Some(0), Some(7)),
                    event(50, Some(1), Some(7)),
                    event(75, Some(1), None),
                    event(95, Some(2), Some(8)),
                    event(99, None, Some(9)),
                    event(101, Some(5), Some(10)),
                ],
            },
            // Never bought; signed up on day 80, two events.
            CustomerHistory {
                customer_id: "b".into(),
                created_at: 80 * DAY,
                orders: vec![],
                events: vec![event(85, Some(0), None), event(90, Some(0), None)],
            },
            // One order; signed up after the cutoff but an order shows they were active before.
            CustomerHistory {
                customer_id: "c".into(),
                created_at: 150 * DAY,
                orders: vec![Order {
                    at: 50 * DAY,
                    amount_cents: 4550,
                }],
                events: vec![],
            },
        ]
    }

    fn assert_row(actual: ndarray::ArrayView1<f64>, expected: [f64; FEATURE_COUNT]) {
        for (j, (a, e)) in actual.iter().zip(expected).enumerate() {
            assert!((a - e).abs() < 1e-9, "{}: {a} != {e}", FEATURE_NAMES[j]);
        }
    }

    #[test]
    fn features_match_a_hand_computation() {
        let table = compute(&histories(), CUTOFF);
        assert_eq!(table.rows.dim(), (3, FEATURE_COUNT));

        // a: mean 20, population std sqrt(200/3) → cv 0.408248…; 5 events by day 100 over 80 days;
        // last 30 days (day 70, 100]: days 75, 95, 99.
        let cv = (200.0f64 / 3.0).sqrt() / 20.0;
        assert_row(
            table.rows.row(0),
            [
                10.0,
                3.0,
                60.0,
                80.0,
                20.0,
                25.0,
                5.0 / 80.0,
                3.0,
                3.0,
                1.0 / (1.0 + cv),
                3.0,
            ],
        );
        // b: no orders → recency = tenure = 20, interpurchase = tenure, consistency 0.
        assert_row(
            table.rows.row(1),
            [
                20.0,
                0.0,
                0.0,
                20.0,
                0.0,
                20.0,
                2.0 / 20.0,
                1.0,
                2.0,
                0.0,
                0.0,
            ],
        );
        // c: start is the order on day 50; one order → interpurchase = tenure, consistency 1.
        assert_row(
            table.rows.row(2),
            [50.0, 1.0, 45.5, 50.0, 45.5, 50.0, 0.0, 0.0, 0.0, 1.0, 0.0],
        );
    }

    #[test]
    fn a_customer_who_starts_after_the_cutoff_gets_finite_zeros() {
        let h = CustomerHistory {
            customer_id: "late".into(),
            created_at: CUTOFF + DAY,
            ..Default::default()
        };
        let table = compute(&[h], CUTOFF);
        assert!(table.rows.iter().all(|v| v.is_finite()));
        assert_row(table.rows.row(0), [0.0; FEATURE_COUNT]);
    }

    #[test]
    fn standardizer_round_trips_and_handles_constant_columns() {
        let x = array![[1.0, 5.0, 100.0], [2.0, 5.0, 1000.0], [3.0, 5.0, -50.0]];
        let s = Standardizer::fit_with_log(x.view(), &[false, false, true]);
        let z = s.transform(&x);
        assert!(z.iter().all(|v| v.is_finite()));
        assert_eq!(s.stds[1], 1.0);
        assert!(z.column(1).iter().all(|&v| v == 0.0));
        let col0: Vec<f64> = z.column(0).to_vec();
        assert!((col0.iter().sum::<f64>()).abs() < 1e-12);
        assert!((col0.iter().map(|v| v * v).sum::<f64>() / 3.0 - 1.0).abs() < 1e-12);
        let back = s.inverse(&z);
        for (a, b) in back.iter().zip(x.iter()) {
            assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} != {b}");
        }
        let plain = Standardizer::fit(&x);
        assert_eq!(plain.log_columns, vec![false; 3]);
    }

    #[test]
    fn feature_standardizer_logs_the_heavy_tailed_columns() {
        let table = compute(&histories(), CUTOFF);
        let s = Standardizer::fit_features(&table);
        assert!(s.log_columns[MONETARY] && !s.log_columns[TENURE_DAYS]);
        let z = s.transform(&table.rows);
        assert!(z.iter().all(|v| v.is_finite()));
        let (s2, z2) = Standardizer::fit_transform_features(&table);
        assert_eq!(s2.log_columns, s.log_columns);
        for (a, b) in s2
            .means
            .iter()
            .chain(&s2.stds)
            .zip(s.means.iter().chain(&s.stds))
        {
            assert!((a - b).abs() < 1e-12);
        }
        for (a, b) in z2.iter().zip(z.iter()) {
            assert!((a - b).abs() < 1e-9);
        }
    }
}
