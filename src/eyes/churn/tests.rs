//! End-to-end checks of `predict` on synthetic customers whose answer is known.

use std::cell::RefCell;
use std::time::Instant;

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Exp, Gamma};
use rayon::prelude::*;

use super::*;
use crate::eyes::history::{Event, Order, DAY};

const NAMES: [&str; 5] = ["recency_days", "frequency", "engagement", "tenure_days", "days_since_last_event"];

/// A small featurizer for these tests (the app passes the real one): only data at or before `at`.
fn features(histories: &[CustomerHistory], at: Time) -> (Array2<f64>, Vec<&'static str>) {
    let days = |s: Time| s as f64 / DAY as f64;
    let rows: Vec<[f64; 5]> = histories
        .par_iter()
        .map(|h| {
            let orders = &h.orders[..h.orders.partition_point(|o| o.at <= at)];
            let events = &h.events[..h.events.partition_point(|e| e.at <= at)];
            let start = h.created_at.min(at);
            let last_order = orders.last().map_or(start, |o| o.at);
            let last_event = events.last().map_or(start, |e| e.at);
            let recent = events.iter().rev().take_while(|e| e.at > at - 30 * DAY).count();
            [days(at - last_order), orders.len() as f64, recent as f64, days(at - start), days(at - last_event)]
        })
        .collect();
    let flat: Vec<f64> = rows.iter().flatten().copied().collect();
    (Array2::from_shape_vec((histories.len(), 5), flat).unwrap(), NAMES.to_vec())
}

fn event(at: Time) -> Event {
    Event { at, event_type: 0, channel: Some(0), spend_cents: None, content: None, campaign: None }
}

const CUTOFF: Time = 600 * DAY;

/// Customers who sign up over 500 days, order and browse at personal rates, and stop for good
/// after an exponential lifetime: churn is driven by (unobserved) death, which recency reveals.
/// About 10 orders and events each on average.
pub(crate) fn recency_driven(n: usize, seed: u64) -> Vec<CustomerHistory> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let order_rates = Gamma::new(2.0, 0.015).unwrap();
    let event_rates = Gamma::new(2.0, 0.03).unwrap();
    let lifetimes = Exp::new(1.0 / 150.0).unwrap();
    let end = CUTOFF + 120 * DAY;
    (0..n)
        .map(|i| {
            let created = rng.gen_range(0..500) * DAY + rng.gen_range(0..DAY);
            let death = created + (lifetimes.sample(&mut rng) * DAY as f64) as Time;
            let stop = death.min(end);
            let times = |rate: f64, rng: &mut ChaCha8Rng| {
                let mut out = Vec::new();
                let gaps = Exp::new(rate.max(1e-6)).unwrap();
                let mut t = created as f64;
                loop {
                    t += gaps.sample(rng) * DAY as f64;
                    if t as Time > stop {
                        break out;
                    }
                    out.push(t as Time);
                }
            };
            let (order_rate, event_rate) = (order_rates.sample(&mut rng), event_rates.sample(&mut rng));
            let orders = times(order_rate, &mut rng)
                .into_iter()
                .map(|at| Order { at, amount_cents: rng.gen_range(500..20_000) })
                .collect();
            let events = times(event_rate, &mut rng).into_iter().map(event).collect();
            CustomerHistory { customer_id: format!("c{i}"), created_at: created, orders, events }
        })
        .collect()
}

/// Everyone exists from day 0; in each 30-day block each customer is active once with
/// probability 1/2, independently of everything else: the past says nothing about the future.
fn pure_noise(n: usize, seed: u64) -> Vec<CustomerHistory> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let blocks = CUTOFF / (30 * DAY) + 4;
    (0..n)
        .map(|i| {
            let mut h = CustomerHistory { customer_id: format!("n{i}"), created_at: 0, ..Default::default() };
            for b in 0..blocks {
                if rng.gen::<bool>() {
                    let at = b * 30 * DAY + rng.gen_range(1..30 * DAY);
                    if rng.gen::<bool>() {
                        h.orders.push(Order { at, amount_cents: 1000 });
                    } else {
                        h.events.push(event(at));
                    }
                }
            }
            h
        })
        .collect()
}

#[test]
fn recency_driven_churn_is_predicted_well_and_beats_chance() {
    let histories = recency_driven(20_000, 1);
    let result = predict(&histories, CUTOFF, 30, &features, 7).unwrap();
    let e = result.evaluation();
    let logistic = e.candidates.iter().find(|c| c.kind == ModelKind::Logistic).unwrap();
    let trees = e.candidates.iter().find(|c| c.kind == ModelKind::GradientBoosting).unwrap();
    assert!(logistic.held_out.auc.unwrap() > 0.75, "logistic {:?}", logistic.held_out.auc);
    assert!(trees.held_out.auc.unwrap() > 0.75, "trees {:?}", trees.held_out.auc);
    assert!(e.best_auc.unwrap() >= logistic.held_out.auc.unwrap().max(trees.held_out.auc.unwrap()));
    assert!(e.target_met);
    // The recency rule is a strong baseline here; the BG/NBD one is weaker (one-time buyers tie).
    let recency = e.baselines.iter().find(|b| b.name == "recency").unwrap().auc.unwrap();
    let bgnbd = e.baselines.iter().find(|b| b.name == "bgnbd").unwrap().auc.unwrap();
    assert!(recency > 0.6 && bgnbd > 0.5, "recency {recency}, bgnbd {bgnbd}");
    assert_eq!(e.beats_baselines, e.best_auc.unwrap() > recency.max(bgnbd));
    // Windows: features at C - 2h and C - h, labels up to C - h and C.
    assert_eq!(e.train_window.features_at, CUTOFF - 60 * DAY);
    assert_eq!(e.train_window.labels_until, CUTOFF - 30 * DAY);
    assert_eq!(e.eval_window.features_at, CUTOFF - 30 * DAY);
    assert_eq!(e.eval_window.labels_until, CUTOFF);
    let held_out = &logistic.held_out;
    assert_eq!(held_out.n, e.eval_window.customers);
    assert!(held_out.roc.len() <= 100 && held_out.calibration.len() == 10);
    assert!(held_out.f1 > 0.0 && held_out.brier < held_out.base_rate);
    // Scored: everyone existing at C, with sane risks and reasons.
    let existing = histories.iter().filter(|h| labels::existed_at(h, CUTOFF)).count();
    assert_eq!(result.customers.len(), existing);
    assert_eq!(result.counts.high + result.counts.medium + result.counts.low, existing);
    for c in &result.customers {
        assert!((0.0..=1.0).contains(&c.risk));
        assert_eq!(c.level, RiskLevel::of(c.risk));
        assert!(c.reasons.len() <= 3);
        if c.level == RiskLevel::High {
            assert!(!c.reasons.is_empty() && c.reasons.iter().all(|r| r.contribution > 0.0));
        }
    }
    // Long-silent customers are the riskiest: the top decile by risk has a high median recency.
    let mut by_risk: Vec<&CustomerRisk> = result.customers.iter().collect();
    by_risk.sort_by(|a, b| b.risk.total_cmp(&a.risk));
    let silent = by_risk[..existing / 10]
        .iter()
        .filter(|c| c.reasons.iter().any(|r| r.feature == "recency_days" || r.feature == "days_since_last_event"))
        .count();
    assert!(silent * 10 > existing / 10 * 9, "{silent} of {}", existing / 10);
}

#[test]
fn pure_noise_gives_chance_auc_and_misses_the_target() {
    let histories = pure_noise(20_000, 2);
    let result = predict(&histories, CUTOFF, 30, &features, 3).unwrap();
    let e = result.evaluation();
    for c in &e.candidates {
        let auc = c.held_out.auc.unwrap();
        assert!((auc - 0.5).abs() < 0.03, "{:?}: {auc}", c.kind);
    }
    assert!(!e.target_met);
    assert!((e.eval_window.churn_rate - 0.5).abs() < 0.02);
}

#[test]
fn same_data_and_seed_give_identical_results() {
    let histories = recency_driven(3_000, 4);
    let options = ChurnOptions { seed: 11, max_train_rows: 1_500, ..Default::default() };
    let a = predict_with(&histories, CUTOFF, 60, &features, &options).unwrap();
    let b = predict_with(&histories, CUTOFF, 60, &features, &options).unwrap();
    assert_eq!(a, b);
    // On a pool with one thread (a different parallel split) too.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let c = pool.install(|| predict_with(&histories, CUTOFF, 60, &features, &options).unwrap());
    assert_eq!(a, c);
}

#[test]
fn data_after_the_cutoff_changes_nothing() {
    let histories = recency_driven(3_000, 5);
    let calls = RefCell::new(Vec::new());
    let recording = |h: &[CustomerHistory], at: Time| {
        calls.borrow_mut().push(at);
        features(h, at)
    };
    let before = predict(&histories, CUTOFF, 30, &recording, 1).unwrap();
    // The featurizer is only ever asked about C - 2h, C - h and C.
    let mut asked = calls.borrow().clone();
    asked.sort_unstable();
    assert_eq!(asked, vec![CUTOFF - 60 * DAY, CUTOFF - 30 * DAY, CUTOFF]);

    let mut with_future = histories.clone();
    for (i, h) in with_future.iter_mut().enumerate() {
        if i % 2 == 0 {
            h.orders.push(Order { at: CUTOFF + 1 + i as Time, amount_cents: 99_999 });
        }
        h.events.push(event(CUTOFF + DAY));
    }
    with_future.push(CustomerHistory { customer_id: "future".into(), created_at: CUTOFF + 1, ..Default::default() });
    for at in [CUTOFF - 60 * DAY, CUTOFF] {
        let (old, _) = features(&histories, at);
        let (new, _) = features(&with_future[..histories.len()], at);
        assert_eq!(old, new);
    }
    let after = predict(&with_future, CUTOFF, 30, &features, 1).unwrap();
    assert_eq!(before.model, after.model);
    assert_eq!(before.customers, after.customers);
}

#[test]
fn a_stored_model_scores_like_the_result() {
    let histories = recency_driven(3_000, 6);
    let result = predict(&histories, CUTOFF, 90, &features, 2).unwrap();
    // JSON keeps floats to within a unit in the last place (serde_json's default parser).
    let back: ChurnResult = serde_json::from_str(&serde_json::to_string(&result).unwrap()).unwrap();
    assert_eq!(back.customers.len(), result.customers.len());
    assert_eq!(back.model.evaluation.best, result.model.evaluation.best);
    let stored: ChurnModel = serde_json::from_str(&serde_json::to_string(&result.model).unwrap()).unwrap();
    let rescored = stored.score_customers(&histories, CUTOFF, &features).unwrap();
    assert_eq!(rescored.len(), result.customers.len());
    for (a, b) in rescored.iter().zip(&result.customers) {
        assert_eq!(a.customer_id, b.customer_id);
        assert!((a.risk - b.risk).abs() < 1e-12);
        let features = |c: &CustomerRisk| c.reasons.iter().map(|r| r.feature.clone()).collect::<Vec<_>>();
        if (a.risk - 0.3).abs() > 1e-9 && (a.risk - 0.7).abs() > 1e-9 {
            assert_eq!(a.level, b.level);
            assert_eq!(features(a), features(b));
        }
    }
    // The model applied in memory (no JSON) reproduces the result exactly.
    assert_eq!(result.model.score_customers(&histories, CUTOFF, &features).unwrap(), result.customers);
    let other = |h: &[CustomerHistory], at: Time| {
        let (x, _) = features(h, at);
        (x, vec!["a", "b", "c", "d", "e"])
    };
    assert!(matches!(stored.score_customers(&histories, CUTOFF, &other), Err(ChurnError::FeatureMismatch(_))));
}

#[test]
fn all_horizons_share_features_and_report_each() {
    let histories = recency_driven(4_000, 8);
    let calls = RefCell::new(0);
    let counting = |h: &[CustomerHistory], at: Time| {
        *calls.borrow_mut() += 1;
        features(h, at)
    };
    let results = predict_all_horizons(&histories, CUTOFF, &counting, 5);
    // C, C-30, C-60, C-90, C-120, C-180: six distinct cutoffs.
    assert_eq!(*calls.borrow(), 6);
    let horizons: Vec<u32> = results.iter().map(|r| r.as_ref().unwrap().horizon_days).collect();
    assert_eq!(horizons, HORIZONS_DAYS.to_vec());
}

#[test]
fn too_little_history_is_an_error_not_a_guess() {
    let histories = recency_driven(500, 9);
    let early = 20 * DAY;
    assert!(matches!(predict(&histories, early, 30, &features, 1), Err(ChurnError::NotEnoughHistory { .. })));
    assert!(matches!(predict(&[], CUTOFF, 30, &features, 1), Err(ChurnError::NoCustomers)));
    let wrong_shape = |h: &[CustomerHistory], _at: Time| (Array2::zeros((h.len(), 2)), vec!["only_one"]);
    assert!(matches!(predict(&histories, CUTOFF, 30, &wrong_shape, 1), Err(ChurnError::FeatureMismatch(_))));
}

/// `cargo test --release -- --ignored --nocapture churn_timing`; sizes can be set with
/// EYES_TIMING_SIZES=100000,1000000.
#[test]
#[ignore]
fn churn_timing() {
    let sizes: Vec<usize> = std::env::var("EYES_TIMING_SIZES")
        .map(|s| s.split(',').map(|n| n.trim().parse().expect("a number")).collect())
        .unwrap_or_else(|_| vec![100_000, 1_000_000]);
    for n in sizes {
        let t = Instant::now();
        let histories = recency_driven(n, 42);
        let items: usize = histories.iter().map(|h| h.orders.len() + h.events.len()).sum();
        println!("{n} customers, {:.1} orders+events each, generated in {:.2?}", items as f64 / n as f64, t.elapsed());
        let t = Instant::now();
        for at in [CUTOFF - 180 * DAY, CUTOFF] {
            features(&histories, at);
        }
        let featurize_each = t.elapsed() / 2;
        let t = Instant::now();
        let results = predict_all_horizons(&histories, CUTOFF, &features, 1);
        let total = t.elapsed();
        println!("  all horizons: {total:.2?} (of which ~{:.2?} in the test featurizer, 6 calls)", featurize_each * 6);
        for r in &results {
            let r = r.as_ref().unwrap();
            let e = r.evaluation();
            let aucs: Vec<String> = e
                .candidates
                .iter()
                .map(|c| format!("{:?} {:.3}", c.kind, c.held_out.auc.unwrap_or(f64::NAN)))
                .chain(e.baselines.iter().map(|b| format!("{} {:.3}", b.name, b.auc.unwrap_or(f64::NAN))))
                .collect();
            let size = match &r.model.classifier {
                Classifier::GradientBoosting(m) => format!("{} trees", m.trees.len()),
                Classifier::Logistic(_) => "logistic".to_string(),
            };
            println!(
                "  {}d: best {:?} ({size}), {}; scored {}",
                r.horizon_days,
                e.best,
                aucs.join(", "),
                r.customers.len()
            );
        }
    }
}
