//! Customer lifetime value over a horizon: BG/NBD expected purchases times the Gamma-Gamma
//! expected purchase value, optionally discounted.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbd;
use super::gamma_gamma::GammaGamma;
use super::summary::Rfm;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClvOptions {
    pub horizon_days: f64,
    /// Yearly discount rate (0.1 = 10 %/year); 0 for no discounting.
    pub annual_discount_rate: f64,
    /// With discounting, purchases expected in each step of this many days are discounted at the
    /// step's end (the `lifetimes` convention with monthly steps).
    pub step_days: f64,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions { horizon_days: 365.0, annual_discount_rate: 0.0, step_days: 30.0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerValue {
    pub p_alive: f64,
    /// Expected purchases within the horizon (undiscounted).
    pub expected_purchases: f64,
    /// Expected value of one purchase, in cents.
    pub expected_order_value: f64,
    /// Expected value of the horizon's purchases, in cents, discounted as asked.
    pub clv: f64,
}

/// Step ends t_1 < ... < t_K = horizon at which discounting is applied (just the horizon when
/// not discounting: then CLV = E[purchases in horizon] x E[value]).
fn step_ends(o: &ClvOptions) -> Vec<f64> {
    if o.annual_discount_rate == 0.0 || o.step_days <= 0.0 || o.horizon_days <= 0.0 {
        return vec![o.horizon_days.max(0.0)];
    }
    let steps = (o.horizon_days / o.step_days).ceil() as usize;
    (1..=steps).map(|k| (k as f64 * o.step_days).min(o.horizon_days)).collect()
}

/// The discounted number of expected purchases, given a customer's expected purchases if alive
/// at each step end.
fn discounted(purchases_by_step: &[f64], ends: &[f64], annual_rate: f64) -> f64 {
    let mut previous = 0.0;
    let mut total = 0.0;
    for (&cumulative, &t) in purchases_by_step.iter().zip(ends) {
        total += (cumulative - previous) / (1.0 + annual_rate).powf(t / 365.0);
        previous = cumulative;
    }
    total
}

/// One customer's value.
pub fn customer_value(bg: &BgNbd, gg: &GammaGamma, c: &Rfm, o: &ClvOptions) -> CustomerValue {
    let ends = step_ends(o);
    let if_alive: Vec<f64> = ends.iter().map(|&t| bg.expected_purchases_if_alive(t, c.frequency, c.age)).collect();
    assemble(bg, gg, c, o, &ends, &if_alive)
}

fn assemble(bg: &BgNbd, gg: &GammaGamma, c: &Rfm, o: &ClvOptions, ends: &[f64], if_alive: &[f64]) -> CustomerValue {
    let p_alive = bg.p_alive(c);
    let expected_order_value = gg.expected_value(c);
    let expected_purchases = p_alive * if_alive.last().copied().unwrap_or(0.0);
    CustomerValue {
        p_alive,
        expected_purchases,
        expected_order_value,
        clv: p_alive * discounted(if_alive, ends, o.annual_discount_rate) * expected_order_value,
    }
}

/// Every customer's value, in input order. The expensive part (a hypergeometric series per step)
/// depends only on (x, T), which whole-day data shares across many customers: it is computed
/// once per distinct pair, in parallel.
pub fn customer_values(bg: &BgNbd, gg: &GammaGamma, customers: &[Rfm], o: &ClvOptions) -> Vec<CustomerValue> {
    let ends = step_ends(o);
    let mut keys: Vec<(u32, u64)> = customers.iter().map(|c| (c.frequency, c.age.to_bits())).collect();
    keys.sort_unstable();
    keys.dedup();
    let table: Vec<Vec<f64>> = keys
        .par_iter()
        .map(|&(x, age)| ends.iter().map(|&t| bg.expected_purchases_if_alive(t, x, f64::from_bits(age))).collect())
        .collect();
    customers
        .par_iter()
        .map(|c| {
            let i = keys.binary_search(&(c.frequency, c.age.to_bits())).expect("key was collected");
            assemble(bg, gg, c, o, &ends, &table[i])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BG: BgNbd = BgNbd { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
    const GG: GammaGamma = GammaGamma { p: 6.25, q: 3.74, v: 1544.0 };

    #[test]
    fn undiscounted_value_is_expected_purchases_times_expected_value() {
        let c = Rfm::new(4, 80.0, 100.0, 2500.0);
        let o = ClvOptions { horizon_days: 180.0, ..Default::default() };
        let v = customer_value(&BG, &GG, &c, &o);
        let purchases = BG.expected_purchases(180.0, &c);
        assert!((v.expected_purchases - purchases).abs() < 1e-12);
        assert!((v.clv - purchases * GG.expected_value(&c)).abs() < 1e-9);
    }

    #[test]
    fn discounting_lowers_value_and_more_discount_lowers_it_more() {
        let c = Rfm::new(4, 80.0, 100.0, 2500.0);
        let at =
            |rate| customer_value(&BG, &GG, &c, &ClvOptions { annual_discount_rate: rate, ..Default::default() }).clv;
        let (none, some, more) = (at(0.0), at(0.1), at(0.3));
        assert!(none > some && some > more && more > 0.0);
        // A year at 10 %: every purchase is discounted by between 1 and 1/1.1.
        assert!(some > none / 1.1);
    }

    #[test]
    fn batch_matches_one_by_one() {
        let customers = vec![
            Rfm::new(0, 0.0, 30.0, 0.0),
            Rfm::new(3, 20.0, 30.0, 1200.0),
            Rfm::new(3, 25.0, 30.0, 900.0),
            Rfm::new(7, 300.0, 400.0, 5000.0),
        ];
        let o = ClvOptions { annual_discount_rate: 0.12, ..Default::default() };
        let batch = customer_values(&BG, &GG, &customers, &o);
        for (c, v) in customers.iter().zip(&batch) {
            assert_eq!(*v, customer_value(&BG, &GG, c, &o));
        }
    }
}
