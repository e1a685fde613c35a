//! The BG/NBD purchase model (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
//!
//! While alive, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
//! repeat purchase they drop out for good with probability p ~ Beta(a, b). Time is in days (see
//! `summary`), so `alpha` is in days too.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::hyp2f1::hyp2f1;
use super::optimize::minimize_positive_smooth;
use super::summary::Rfm;
use super::ClvError;

/// Fitted BG/NBD parameters.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// A maximum-likelihood fit and how it went.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BgNbdFit {
    pub params: BgNbd,
    /// Total log-likelihood of the fitted customers at `params`.
    pub log_likelihood: f64,
    pub customers: usize,
    pub iterations: u64,
    pub converged: bool,
}

fn lgamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Cells summed per chunk; fixed so the float sum's order (and result) never depends on threads.
const CHUNK: usize = 4096;

/// Customers grouped by identical (x, t_x, T): whole-day data has far fewer distinct cells than
/// customers, and the log-likelihood only depends on the cell.
struct Cells {
    /// Distinct frequencies, with how many customers have each.
    xs: Vec<(f64, f64)>,
    ages: Vec<f64>,
    recencies: Vec<f64>,
    /// (index into xs, index into ages, index into recencies, customers in the cell)
    cells: Vec<(u32, u32, u32, f64)>,
    customers: usize,
}

fn distinct(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn index_of(sorted: &[f64], v: f64) -> u32 {
    sorted.partition_point(|&s| s < v) as u32
}

impl Cells {
    fn new(data: &[Rfm]) -> Cells {
        let xs = distinct(data.iter().map(|c| c.frequency as f64).collect());
        let ages = distinct(data.iter().map(|c| c.age).collect());
        let recencies = distinct(data.iter().map(|c| c.recency).collect());
        let mut keys: Vec<(u32, u32, u32)> = data
            .iter()
            .map(|c| (index_of(&xs, c.frequency as f64), index_of(&ages, c.age), index_of(&recencies, c.recency)))
            .collect();
        keys.sort_unstable();
        let mut cells: Vec<(u32, u32, u32, f64)> = Vec::new();
        for k in keys {
            match cells.last_mut() {
                Some(last) if (last.0, last.1, last.2) == k => last.3 += 1.0,
                _ => cells.push((k.0, k.1, k.2, 1.0)),
            }
        }
        let mut x_counts = vec![0.0; xs.len()];
        for c in &cells {
            x_counts[c.0 as usize] += c.3;
        }
        Cells { xs: xs.into_iter().zip(x_counts).collect(), ages, recencies, cells, customers: data.len() }
    }

    /// Total log-likelihood at (r, alpha, a, b) (FHL 2005 eq. 6, in logs) and its gradient with
    /// respect to (r, alpha, a, b).
    ///
    /// Per customer, ln L = G(x) + ln(e^A1 + e^A2) with
    ///   G(x) = lnG(r+x) - lnG(r) + r ln alpha + lnG(b+x) - lnG(a+b+x) - lnG(b) + lnG(a+b),
    ///   A1 = -(r+x) ln(alpha+T)                                (still alive at T),
    ///   A2 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x), x > 0     (dropped out after t_x).
    /// For integer x the digamma differences in dG are finite sums, e.g.
    /// psi(r+x) - psi(r) = sum_{k<x} 1/(r+k), so no special function is needed for the gradient.
    fn log_likelihood_and_gradient(&self, m: &BgNbd) -> (f64, [f64; 4]) {
        let BgNbd { r, alpha, a, b } = *m;
        let ln_age: Vec<f64> = self.ages.iter().map(|t| (alpha + t).ln()).collect();
        let inv_age: Vec<f64> = self.ages.iter().map(|t| 1.0 / (alpha + t)).collect();
        let ln_rec: Vec<f64> = self.recencies.iter().map(|t| (alpha + t).ln()).collect();
        let inv_rec: Vec<f64> = self.recencies.iter().map(|t| 1.0 / (alpha + t)).collect();

        // Per distinct frequency: G(x), its gradient, and ln(a/(b+x-1)).
        let shared = -lgamma(r) + r * alpha.ln() - lgamma(b) + lgamma(a + b);
        let (mut sum_r, mut sum_b, mut sum_ab, mut k) = (0.0, 0.0, 0.0, 0.0);
        let mut total = 0.0;
        let mut grad = [0.0; 4];
        let per_x: Vec<f64> = self
            .xs
            .iter()
            .map(|&(x, count)| {
                while k < x {
                    sum_r += 1.0 / (r + k);
                    sum_b += 1.0 / (b + k);
                    sum_ab += 1.0 / (a + b + k);
                    k += 1.0;
                }
                total += count * (lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x) + shared);
                grad[0] += count * (sum_r + alpha.ln());
                grad[1] += count * r / alpha;
                grad[2] -= count * sum_ab;
                grad[3] += count * (sum_b - sum_ab);
                if x > 0.0 {
                    a.ln() - (b + x - 1.0).ln()
                } else {
                    f64::NEG_INFINITY
                }
            })
            .collect();

        let chunk_sums: Vec<[f64; 5]> = self
            .cells
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut s = [0.0; 5];
                for &(xi, ti, ri, n) in chunk {
                    let x = self.xs[xi as usize].0;
                    let (lt, it) = (ln_age[ti as usize], inv_age[ti as usize]);
                    let alive = -(r + x) * lt;
                    if x == 0.0 {
                        s[0] += n * alive;
                        s[1] -= n * lt;
                        s[2] -= n * r * it;
                        continue;
                    }
                    let (lr, ir) = (ln_rec[ri as usize], inv_rec[ri as usize]);
                    let dropped = per_x[xi as usize] - (r + x) * lr;
                    // ln(e^alive + e^dropped) and each term's share of the sum, from one exp.
                    let (hi, lo) = if alive >= dropped { (alive, dropped) } else { (dropped, alive) };
                    let ratio = (lo - hi).exp();
                    let total = hi + ratio.ln_1p();
                    let lo_share = ratio / (1.0 + ratio);
                    let w_dropped = if alive >= dropped { lo_share } else { 1.0 - lo_share };
                    let w_alive = 1.0 - w_dropped;
                    s[0] += n * total;
                    s[1] -= n * (w_alive * lt + w_dropped * lr);
                    s[2] -= n * (r + x) * (w_alive * it + w_dropped * ir);
                    s[3] += n * w_dropped / a;
                    s[4] -= n * w_dropped / (b + x - 1.0);
                }
                s
            })
            .collect();
        for s in &chunk_sums {
            total += s[0];
            for j in 0..4 {
                grad[j] += s[j + 1];
            }
        }
        (total, grad)
    }
}

fn validate(data: &[Rfm]) -> Result<(), ClvError> {
    if data.is_empty() {
        return Err(ClvError::NoData);
    }
    match data.iter().find(|c| !(c.recency >= 0.0 && c.age >= c.recency && c.age.is_finite())) {
        Some(bad) => Err(ClvError::InvalidData(format!("need 0 <= recency <= age, got {bad:?}"))),
        None => Ok(()),
    }
}

impl BgNbd {
    /// Fits r, alpha, a, b by maximum likelihood. Callers with very many customers may fit on a
    /// random sample: four parameters are pinned down well by tens of thousands of customers.
    pub fn fit(data: &[Rfm]) -> Result<BgNbdFit, ClvError> {
        validate(data)?;
        let cells = Cells::new(data);
        let n = data.len() as f64;
        // Start from a rate matching the observed repeat rate; a and b near common fits.
        let total_x: f64 = data.iter().map(|c| c.frequency as f64).sum();
        let total_age: f64 = data.iter().map(|c| c.age).sum();
        let alpha0 = (total_age / total_x.max(1.0)).clamp(1e-3, 1e6);
        let cost = |p: &[f64]| {
            let (ll, g) = cells.log_likelihood_and_gradient(&BgNbd { r: p[0], alpha: p[1], a: p[2], b: p[3] });
            (-ll / n, g.iter().map(|g| -g / n).collect())
        };
        let m = minimize_positive_smooth(cost, &[1.0, alpha0, 1.0, 2.0], 1e-8, 200).map_err(ClvError::FitFailed)?;
        let params = BgNbd { r: m.params[0], alpha: m.params[1], a: m.params[2], b: m.params[3] };
        Ok(BgNbdFit {
            params,
            log_likelihood: -m.cost * n,
            customers: cells.customers,
            iterations: m.iterations,
            converged: m.converged,
        })
    }

    /// Total log-likelihood of `data` under these parameters.
    pub fn log_likelihood(&self, data: &[Rfm]) -> f64 {
        Cells::new(data).log_likelihood_and_gradient(self).0
    }

    /// ln of a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x): the odds that the customer dropped out
    /// right after their last purchase rather than still being alive.
    fn ln_dropout_odds(&self, c: &Rfm) -> f64 {
        if c.frequency == 0 {
            return f64::NEG_INFINITY;
        }
        let x = c.frequency as f64;
        self.a.ln() - (self.b + x - 1.0).ln()
            + (self.r + x) * ((self.alpha + c.age).ln() - (self.alpha + c.recency).ln())
    }

    /// P(alive | x, t_x, T) (FHL 2005 eq. 11). Exactly 1 for customers with no repeat purchase:
    /// in the BG/NBD a customer can only drop out right after a repeat purchase.
    pub fn p_alive(&self, c: &Rfm) -> f64 {
        1.0 / (1.0 + self.ln_dropout_odds(c).exp())
    }

    /// E[X(t)]: expected purchases in the first `t` days of a brand-new customer (FHL eq. 9).
    pub fn expected_purchases_new_customer(&self, t: f64) -> f64 {
        self.expected_purchases(t, &Rfm::new(0, 0.0, 0.0, 0.0))
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` days (FHL 2005 eq. 10): P(alive)
    /// times the expectation for a customer known to be alive.
    pub fn expected_purchases(&self, t: f64, c: &Rfm) -> f64 {
        self.p_alive(c) * self.expected_purchases_if_alive(t, c.frequency, c.age)
    }

    /// Expected purchases in the next `t` days of a customer known to be alive at age T with x
    /// repeat purchases: (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x)
    /// 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]. It does not depend on t_x, so batch callers can
    /// share it between customers.
    ///
    /// The closed form divides by (a - 1) and its bracket vanishes at a = 1 (a removable
    /// singularity); within 1e-6 of it we average the values at 1 +- 1e-4 instead (error ~1e-8).
    pub fn expected_purchases_if_alive(&self, t: f64, frequency: u32, age: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        if (self.a - 1.0).abs() < 1e-6 {
            let lo = BgNbd { a: 1.0 - 1e-4, ..*self };
            let hi = BgNbd { a: 1.0 + 1e-4, ..*self };
            return 0.5
                * (lo.expected_purchases_if_alive(t, frequency, age)
                    + hi.expected_purchases_if_alive(t, frequency, age));
        }
        let BgNbd { r, alpha, a, b } = *self;
        let x = frequency as f64;
        let horizon_start = alpha + age;
        let z = t / (horizon_start + t);
        let decay = ((r + x) * (horizon_start / (horizon_start + t)).ln()).exp();
        let bracket = 1.0 - decay * hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        (a + b + x - 1.0) / (a - 1.0) * bracket
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Beta, Distribution, Exp, Gamma};

    /// Customers drawn from the BG/NBD itself, observed for T ~ U[min_age, max_age] days after
    /// their first purchase (continuous time, no same-day merging).
    pub(crate) fn simulate(m: &BgNbd, n: usize, ages: (f64, f64), seed: u64) -> Vec<Rfm> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let rates = Gamma::new(m.r, 1.0 / m.alpha).unwrap();
        let dropouts = Beta::new(m.a, m.b).unwrap();
        (0..n)
            .map(|_| {
                let lambda: f64 = rates.sample(&mut rng);
                let p: f64 = dropouts.sample(&mut rng);
                let age = rng.gen_range(ages.0..ages.1);
                let gaps = Exp::new(lambda.max(1e-12)).unwrap();
                let (mut now, mut x, mut last) = (0.0, 0u32, 0.0);
                loop {
                    now += gaps.sample(&mut rng);
                    if now > age {
                        break;
                    }
                    x += 1;
                    last = now;
                    if rng.gen::<f64>() < p {
                        break;
                    }
                }
                Rfm::new(x, last, age, 0.0)
            })
            .collect()
    }

    fn within(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want
    }

    #[test]
    fn recovers_the_parameters_it_simulated_from() {
        let truth = BgNbd { r: 0.6, alpha: 20.0, a: 0.9, b: 3.0 };
        let data = simulate(&truth, 20_000, (180.0, 720.0), 7);
        let fit = BgNbd::fit(&data).unwrap();
        let p = fit.params;
        assert!(fit.converged);
        for (got, want) in [(p.r, truth.r), (p.alpha, truth.alpha), (p.a, truth.a), (p.b, truth.b)] {
            assert!(within(got, want, 0.15), "fitted {p:?} vs true {truth:?}");
        }
        // The optimum beats the truth's own likelihood (it is the maximum) and small moves away.
        assert!(fit.log_likelihood >= truth.log_likelihood(&data) - 1e-6);
        let nudged = BgNbd { r: p.r * 1.01, ..p };
        assert!(fit.log_likelihood > nudged.log_likelihood(&data));
        assert!((fit.log_likelihood - p.log_likelihood(&data)).abs() < 1e-6 * fit.log_likelihood.abs());
    }

    #[test]
    fn grouping_customers_into_cells_does_not_change_the_likelihood() {
        let m = BgNbd { r: 0.5, alpha: 10.0, a: 0.8, b: 2.5 };
        let data = vec![Rfm::new(0, 0.0, 30.0, 0.0), Rfm::new(2, 10.0, 30.0, 0.0), Rfm::new(2, 10.0, 30.0, 0.0)];
        let one = |c: &Rfm| m.log_likelihood(std::slice::from_ref(c));
        let by_hand: f64 = data.iter().map(one).sum();
        assert!((m.log_likelihood(&data) - by_hand).abs() < 1e-12);
        // x = 0: ln L = ln Gamma-part + r ln alpha - r ln(alpha + T) with the Beta ratio equal 1.
        let want = 0.5 * (10.0f64 / 40.0).ln();
        assert!((one(&data[0]) - want).abs() < 1e-12);
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let data = simulate(&BgNbd { r: 0.6, alpha: 20.0, a: 0.9, b: 3.0 }, 2_000, (30.0, 300.0), 5);
        let cells = Cells::new(&data);
        let at = BgNbd { r: 0.8, alpha: 15.0, a: 1.3, b: 2.2 };
        let (_, grad) = cells.log_likelihood_and_gradient(&at);
        let ll = |m: BgNbd| cells.log_likelihood_and_gradient(&m).0;
        let h = 1e-6;
        let numeric = [
            (ll(BgNbd { r: at.r + h, ..at }) - ll(BgNbd { r: at.r - h, ..at })) / (2.0 * h),
            (ll(BgNbd { alpha: at.alpha + h, ..at }) - ll(BgNbd { alpha: at.alpha - h, ..at })) / (2.0 * h),
            (ll(BgNbd { a: at.a + h, ..at }) - ll(BgNbd { a: at.a - h, ..at })) / (2.0 * h),
            (ll(BgNbd { b: at.b + h, ..at }) - ll(BgNbd { b: at.b - h, ..at })) / (2.0 * h),
        ];
        for (g, n) in grad.iter().zip(numeric) {
            assert!((g - n).abs() < 1e-5 * n.abs().max(1.0), "{grad:?} vs {numeric:?}");
        }
    }

    #[test]
    fn p_alive_is_one_without_repeat_purchases_and_falls_with_silence() {
        let m = BgNbd { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
        for age in [0.0, 5.0, 400.0] {
            assert_eq!(m.p_alive(&Rfm::new(0, 0.0, age, 0.0)), 1.0);
        }
        // Same purchases, longer silence since the last one: less likely alive.
        let mut previous = 1.0;
        for age in [20.0, 40.0, 80.0, 160.0] {
            let p = m.p_alive(&Rfm::new(3, 20.0, age, 0.0));
            assert!(p < previous && p > 0.0, "age {age}: {p}");
            previous = p;
        }
        // Bought just now: P(alive) = 1 / (1 + a/(b+x-1)).
        let p = m.p_alive(&Rfm::new(3, 50.0, 50.0, 0.0));
        assert!((p - 1.0 / (1.0 + 0.79 / (2.43 + 2.0))).abs() < 1e-12);
    }

    #[test]
    fn expected_purchases_match_a_hand_computation() {
        // r = 1, b = 1, a = 2 makes the hypergeometric 2F1(1, 1; 2; z) = -ln(1 - z)/z.
        // A one-time buyer (x = 0, so P(alive) = 1) with T = 10, alpha = 10, over t = 20 days:
        //   alpha + T = 20, z = t / (alpha + T + t) = 20/40 = 1/2,
        //   2F1(1, 1; 2; 1/2) = 2 ln 2,
        //   E = (a+b+x-1)/(a-1) * [1 - ((alpha+T)/(alpha+T+t))^(r+x) * 2F1]
        //     = 2/1 * [1 - (1/2) * 2 ln 2] = 2 (1 - ln 2) = 0.613705638880109...
        let m = BgNbd { r: 1.0, alpha: 10.0, a: 2.0, b: 1.0 };
        let e = m.expected_purchases(20.0, &Rfm::new(0, 0.0, 10.0, 0.0));
        assert!((e - 2.0 * (1.0 - 2f64.ln())).abs() < 1e-13, "{e}");
        // A new customer (T = 0) over t = 10 days has the same z = 1/2: E[X(10)] is that too.
        assert!((m.expected_purchases_new_customer(10.0) - 0.613_705_638_880_109_4).abs() < 1e-13);
    }

    /// E[Y(t) | x, t_x, T] = P(alive) * E over p ~ Beta(a, b+x), lambda ~ Gamma(r+x, alpha+T) of
    /// (1 - e^(-lambda p t)) / p, i.e. P(alive) * integral of (1 - (A/(A + p t))^(r+x)) / p
    /// against the Beta(a, b+x) density, with A = alpha + T. Checks the 2F1 closed form against
    /// that integral done numerically (Simpson, with a, b + x >= 1 so the density is bounded).
    #[test]
    fn expected_purchases_match_numerical_integration_over_the_dropout_probability() {
        let m = BgNbd { r: 0.7, alpha: 12.0, a: 1.6, b: 2.2 };
        for (c, t) in [
            (Rfm::new(0, 0.0, 30.0, 0.0), 30.0),
            (Rfm::new(4, 60.0, 90.0, 0.0), 90.0),
            (Rfm::new(9, 200.0, 210.0, 0.0), 365.0),
            (Rfm::new(1, 5.0, 3.0e2, 0.0), 1.0),
        ] {
            let x = c.frequency as f64;
            let big_a = m.alpha + c.age;
            let ln_beta = libm::lgamma(m.a) + libm::lgamma(m.b + x) - libm::lgamma(m.a + m.b + x);
            let integrand = |p: f64| {
                let per_p =
                    if p == 0.0 { (m.r + x) * t / big_a } else { (1.0 - (big_a / (big_a + p * t)).powf(m.r + x)) / p };
                let density = ((m.a - 1.0) * p.ln() + (m.b + x - 1.0) * (1.0 - p).ln() - ln_beta).exp();
                per_p * if density.is_finite() { density } else { 0.0 }
            };
            let steps = 200_000;
            let h = 1.0 / steps as f64;
            let mut sum = integrand(0.0) + integrand(1.0);
            for i in 1..steps {
                sum += integrand(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            let want = m.p_alive(&c) * sum * h / 3.0;
            let got = m.expected_purchases(t, &c);
            assert!((got - want).abs() < 1e-7 * want, "{c:?} t={t}: {got} vs {want}");
        }
    }

    #[test]
    fn expected_purchases_grow_with_the_horizon_and_shrink_with_silence() {
        let m = BgNbd { r: 0.24, alpha: 4.41, a: 0.79, b: 2.43 };
        let c = Rfm::new(5, 100.0, 120.0, 0.0);
        let mut previous = 0.0;
        for t in [1.0, 7.0, 30.0, 365.0, 3650.0] {
            let e = m.expected_purchases(t, &c);
            assert!(e > previous, "t={t}");
            previous = e;
        }
        let quiet = Rfm::new(5, 30.0, 120.0, 0.0);
        assert!(m.expected_purchases(30.0, &quiet) < m.expected_purchases(30.0, &c));
        // More purchases in the same span: more expected.
        assert!(m.expected_purchases(30.0, &Rfm::new(10, 100.0, 120.0, 0.0)) > m.expected_purchases(30.0, &c));
        assert_eq!(m.expected_purchases(0.0, &c), 0.0);
    }

    #[test]
    fn expected_purchases_are_continuous_through_a_equal_to_one() {
        let c = Rfm::new(2, 40.0, 100.0, 0.0);
        let at = |a: f64| BgNbd { r: 0.5, alpha: 8.0, a, b: 2.0 }.expected_purchases(60.0, &c);
        let (below, exact, above) = (at(1.0 - 1e-3), at(1.0), at(1.0 + 1e-3));
        assert!(exact.is_finite());
        assert!((exact - 0.5 * (below + above)).abs() < 1e-5 * exact);
    }

    #[test]
    fn rejects_impossible_summaries() {
        assert_eq!(BgNbd::fit(&[]), Err(ClvError::NoData));
        assert!(matches!(BgNbd::fit(&[Rfm::new(1, 20.0, 10.0, 0.0)]), Err(ClvError::InvalidData(_))));
    }
}
