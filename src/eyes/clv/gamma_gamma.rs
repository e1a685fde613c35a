//! The Gamma-Gamma spend model (Fader & Hardie 2013, "The Gamma-Gamma model of monetary value").
//!
//! Each purchase of a customer is worth z ~ Gamma(p, nu) (shape p, rate nu), and nu varies across
//! customers as Gamma(q, v). Only the mean of a customer's x repeat purchase values, m_x, is used.
//! Values are in cents, so `v` is too.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::digamma::digamma;
use super::optimize::minimize_positive_smooth;
use super::summary::Rfm;
use super::ClvError;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGamma,
    pub log_likelihood: f64,
    /// Customers used: those with at least one repeat purchase and a positive mean value.
    pub customers: usize,
    pub iterations: u64,
    pub converged: bool,
}

/// Customers summed per chunk; fixed so the sum never depends on the thread count.
const CHUNK: usize = 4096;

fn lgamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The customers the model applies to, with the logs the likelihood reuses, sorted by x so the
/// per-x special functions are computed once per run.
struct Spenders {
    /// (x, m_x, ln x, ln m_x)
    rows: Vec<(f64, f64, f64, f64)>,
}

impl Spenders {
    fn new(data: &[Rfm]) -> Spenders {
        let mut rows: Vec<(f64, f64, f64, f64)> = data
            .iter()
            .filter(|c| c.frequency > 0 && c.monetary > 0.0 && c.monetary.is_finite())
            .map(|c| {
                let x = c.frequency as f64;
                (x, c.monetary, x.ln(), c.monetary.ln())
            })
            .collect();
        rows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        Spenders { rows }
    }

    /// Sum over customers of ln f(m_x | p, q, v, x) =
    /// lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m_x + px ln x - (px+q) ln(v + x m_x),
    /// and its gradient with respect to (p, q, v):
    ///   d/dp = x [psi(px+q) - psi(px) + ln m_x + ln x - ln(v + x m_x)]
    ///   d/dq = psi(px+q) - psi(q) + ln v - ln(v + x m_x)
    ///   d/dv = q/v - (px+q) / (v + x m_x)
    fn log_likelihood_and_gradient(&self, m: &GammaGamma) -> (f64, [f64; 3]) {
        let GammaGamma { p, q, v } = *m;
        let chunk_sums: Vec<[f64; 4]> = self
            .rows
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut cached_x = f64::NAN;
                let (mut gamma_terms, mut psi_pxq, mut psi_px) = (0.0, 0.0, 0.0);
                let mut s = [0.0; 4];
                for &(x, mx, ln_x, ln_mx) in chunk {
                    let px = p * x;
                    if x != cached_x {
                        cached_x = x;
                        gamma_terms = lgamma(px + q) - lgamma(px);
                        psi_pxq = digamma(px + q);
                        psi_px = digamma(px);
                    }
                    let total = v + x * mx;
                    let ln_total = total.ln();
                    s[0] += gamma_terms + (px - 1.0) * ln_mx + px * ln_x - (px + q) * ln_total;
                    s[1] += x * (psi_pxq - psi_px + ln_mx + ln_x - ln_total);
                    s[2] += psi_pxq - ln_total;
                    s[3] -= (px + q) / total;
                }
                s
            })
            .collect();
        let n = self.rows.len() as f64;
        let mut s = [-lgamma(q) * n + q * v.ln() * n, 0.0, (v.ln() - digamma(q)) * n, q / v * n];
        for c in &chunk_sums {
            for j in 0..4 {
                s[j] += c[j];
            }
        }
        (s[0], [s[1], s[2], s[3]])
    }
}

impl GammaGamma {
    /// Fits p, q, v by maximum likelihood on the customers with a repeat purchase of positive
    /// mean value (others carry no spend information under the model). Fails if the fit puts
    /// q <= 1, where the population mean spend (and so every expectation below) is infinite.
    pub fn fit(data: &[Rfm]) -> Result<GammaGammaFit, ClvError> {
        let spenders = Spenders::new(data);
        if spenders.rows.is_empty() {
            return Err(ClvError::NoData);
        }
        let n = spenders.rows.len() as f64;
        let mean_value = spenders.rows.iter().map(|r| r.1).sum::<f64>() / n;
        // p = 2, q = 3 puts the population mean p v / (q - 1) at v: start v at the data's mean.
        let cost = |k: &[f64]| {
            let (ll, g) = spenders.log_likelihood_and_gradient(&GammaGamma { p: k[0], q: k[1], v: k[2] });
            (-ll / n, g.iter().map(|g| -g / n).collect())
        };
        let m = minimize_positive_smooth(cost, &[2.0, 3.0, mean_value], 1e-8, 200).map_err(ClvError::FitFailed)?;
        let params = GammaGamma { p: m.params[0], q: m.params[1], v: m.params[2] };
        if params.q <= 1.0 {
            return Err(ClvError::UndefinedMean(params.q));
        }
        Ok(GammaGammaFit {
            params,
            log_likelihood: -m.cost * n,
            customers: spenders.rows.len(),
            iterations: m.iterations,
            converged: m.converged,
        })
    }

    pub fn log_likelihood(&self, data: &[Rfm]) -> f64 {
        Spenders::new(data).log_likelihood_and_gradient(self).0
    }

    /// Mean purchase value across the population: p v / (q - 1).
    pub fn population_mean_value(&self) -> f64 {
        self.p * self.v / (self.q - 1.0)
    }

    /// E[M | x, m_x] = p (v + x m_x) / (p x + q - 1): a weighted mix of the population mean and the
    /// customer's own mean repeat value, leaning on the latter as x grows. Customers with no
    /// repeat purchase get the population mean.
    pub fn expected_value(&self, c: &Rfm) -> f64 {
        let x = c.frequency as f64;
        let mx = if c.frequency > 0 { c.monetary } else { 0.0 };
        self.p * (self.v + x * mx) / (self.p * x + self.q - 1.0)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, Gamma};

    /// Customers with 1..=max_x repeat purchases whose values follow the Gamma-Gamma.
    pub(crate) fn simulate(m: &GammaGamma, n: usize, max_x: u32, seed: u64) -> Vec<Rfm> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let nus = Gamma::new(m.q, 1.0 / m.v).unwrap();
        (0..n)
            .map(|_| {
                let nu: f64 = nus.sample(&mut rng);
                let values = Gamma::new(m.p, 1.0 / nu).unwrap();
                let x = rng.gen_range(1..=max_x);
                let total: f64 = (0..x).map(|_| values.sample(&mut rng)).sum();
                Rfm::new(x, 1.0, 1.0, total / x as f64)
            })
            .collect()
    }

    #[test]
    fn recovers_the_parameters_it_simulated_from() {
        let truth = GammaGamma { p: 6.25, q: 3.74, v: 1544.0 };
        let data = simulate(&truth, 20_000, 10, 11);
        let fit = GammaGamma::fit(&data).unwrap();
        let p = fit.params;
        assert!(fit.converged);
        for (got, want) in [(p.p, truth.p), (p.q, truth.q), (p.v, truth.v)] {
            assert!((got - want).abs() <= 0.15 * want, "fitted {p:?} vs true {truth:?}");
        }
        assert!(fit.log_likelihood >= truth.log_likelihood(&data) - 1e-6);
        let want_mean = truth.population_mean_value();
        assert!((p.population_mean_value() - want_mean).abs() < 0.05 * want_mean);
    }

    #[test]
    fn the_gradient_matches_finite_differences() {
        let data = simulate(&GammaGamma { p: 6.0, q: 4.0, v: 1500.0 }, 2_000, 8, 2);
        let spenders = Spenders::new(&data);
        let at = GammaGamma { p: 5.0, q: 3.0, v: 1200.0 };
        let (_, grad) = spenders.log_likelihood_and_gradient(&at);
        let ll = |m: GammaGamma| spenders.log_likelihood_and_gradient(&m).0;
        let numeric = [
            (ll(GammaGamma { p: at.p + 1e-6, ..at }) - ll(GammaGamma { p: at.p - 1e-6, ..at })) / 2e-6,
            (ll(GammaGamma { q: at.q + 1e-6, ..at }) - ll(GammaGamma { q: at.q - 1e-6, ..at })) / 2e-6,
            (ll(GammaGamma { v: at.v + 1e-3, ..at }) - ll(GammaGamma { v: at.v - 1e-3, ..at })) / 2e-3,
        ];
        for (g, n) in grad.iter().zip(numeric) {
            assert!((g - n).abs() < 1e-5 * n.abs().max(1.0), "{grad:?} vs {numeric:?}");
        }
    }

    #[test]
    fn expected_value_matches_a_hand_computation() {
        // p = 2, q = 3, v = 100: population mean p v/(q-1) = 100. A customer with x = 2 repeat
        // purchases averaging 400: E = 2 (100 + 2*400) / (2*2 + 3 - 1) = 1800 / 6 = 300,
        // i.e. weights 2/6 on the population mean and 4/6 on their own 400.
        let m = GammaGamma { p: 2.0, q: 3.0, v: 100.0 };
        assert!((m.expected_value(&Rfm::new(2, 5.0, 9.0, 400.0)) - 300.0).abs() < 1e-12);
        assert!((m.expected_value(&Rfm::new(0, 0.0, 9.0, 0.0)) - 100.0).abs() < 1e-12);
        // More purchases at the same mean: the estimate moves toward the customer's own mean.
        let more = m.expected_value(&Rfm::new(20, 5.0, 9.0, 400.0));
        assert!(more > 300.0 && more < 400.0);
    }

    #[test]
    fn ignores_customers_without_repeat_spend() {
        let m = GammaGamma { p: 2.0, q: 3.0, v: 100.0 };
        let with_noise = vec![Rfm::new(0, 0.0, 3.0, 0.0), Rfm::new(2, 1.0, 3.0, -5.0), Rfm::new(1, 1.0, 3.0, 50.0)];
        assert_eq!(m.log_likelihood(&with_noise), m.log_likelihood(&with_noise[2..]));
        assert_eq!(GammaGamma::fit(&with_noise[..2]), Err(ClvError::NoData));
    }
}
