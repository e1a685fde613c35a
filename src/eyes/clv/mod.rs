//! Customer lifetime value with the classic probabilistic "buy till you die" models:
//! - `summary`: per-customer (x, t_x, T, monetary) as of a cutoff,
//! - `bgnbd`: BG/NBD purchase counts and P(alive),
//! - `gamma_gamma`: Gamma-Gamma purchase values,
//! - `lifetime_value`: the two combined into a value over a horizon.
//!
//! Typical use: `rfm_summary` for each history, `BgNbd::fit` and `GammaGamma::fit` on (a sample of)
//! the summaries, then `customer_values`.

pub mod bgnbd;
mod digamma;
pub mod gamma_gamma;
pub mod hyp2f1;
pub mod lifetime_value;
mod optimize;
pub mod summary;

use serde::{Deserialize, Serialize};

pub use bgnbd::{BgNbd, BgNbdFit};
pub use gamma_gamma::{GammaGamma, GammaGammaFit};
pub use lifetime_value::{customer_value, customer_values, ClvOptions, CustomerValue};
pub use summary::{rfm_summary, Rfm};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ClvError {
    /// Nothing to fit on (no customers, or none with repeat spend for Gamma-Gamma).
    NoData,
    InvalidData(String),
    FitFailed(String),
    /// The Gamma-Gamma fit put q (the value given) at or below 1: mean spend is unbounded.
    UndefinedMean(f64),
}

impl std::fmt::Display for ClvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClvError::NoData => write!(f, "no customers to fit the model on"),
            ClvError::InvalidData(why) => write!(f, "invalid purchase summary: {why}"),
            ClvError::FitFailed(why) => write!(f, "model fit failed: {why}"),
            ClvError::UndefinedMean(q) => {
                write!(f, "spend model fit gave q = {q} <= 1, for which mean spend is unbounded")
            }
        }
    }
}

impl std::error::Error for ClvError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eyes::history::{CustomerHistory, Order, DAY};

    /// From order histories to CLV: the summaries BG/NBD sees come from real timestamps, with
    /// same-day orders merged, and the fitted models produce sensible values.
    #[test]
    fn histories_to_lifetime_values() {
        let truth = BgNbd { r: 0.6, alpha: 20.0, a: 0.9, b: 3.0 };
        let spend = GammaGamma { p: 6.0, q: 4.0, v: 1500.0 };
        let summaries = bgnbd::tests::simulate(&truth, 8_000, (180.0, 720.0), 3);
        let values = gamma_gamma::tests::simulate(&spend, 8_000, 5, 4);
        let cutoff = 1_000 * DAY;
        let histories: Vec<CustomerHistory> = summaries
            .iter()
            .zip(&values)
            .enumerate()
            .map(|(i, (s, v))| {
                // First purchase `age` days before the cutoff, repeats spread evenly to t_x.
                let first = cutoff - (s.age * DAY as f64) as i64;
                let mut orders = vec![Order { at: first, amount_cents: 1000 }];
                for k in 1..=s.frequency {
                    let at = first + (s.recency * DAY as f64 * k as f64 / s.frequency as f64) as i64;
                    orders.push(Order { at, amount_cents: v.monetary.round() as i64 });
                }
                CustomerHistory { customer_id: format!("c{i}"), created_at: first, orders, ..Default::default() }
            })
            .collect();
        let rfm: Vec<Rfm> = histories.iter().filter_map(|h| rfm_summary(h, cutoff)).collect();
        assert_eq!(rfm.len(), histories.len());
        let bg = BgNbd::fit(&rfm).unwrap().params;
        // Whole days and merged same-day repeats blur the data a little; the fit stays close.
        assert!((bg.r - truth.r).abs() < 0.25 * truth.r, "{bg:?}");
        assert!((bg.alpha - truth.alpha).abs() < 0.25 * truth.alpha, "{bg:?}");
        let gg = GammaGamma::fit(&rfm).unwrap().params;
        let all = customer_values(&bg, &gg, &rfm, &ClvOptions::default());
        assert!(all.iter().all(|v| v.clv.is_finite() && v.clv >= 0.0));
        // Frequent recent buyers are worth more than one-time buyers of the same age.
        let frequent = customer_value(&bg, &gg, &Rfm::new(10, 300.0, 310.0, 2000.0), &ClvOptions::default());
        let one_time = customer_value(&bg, &gg, &Rfm::new(0, 0.0, 310.0, 0.0), &ClvOptions::default());
        assert!(frequent.clv > one_time.clv);
    }
}
