//! Maximum-likelihood search shared by the BG/NBD and Gamma-Gamma fits, over the logarithms of
//! strictly positive parameters (argmin solvers):
//! - with an analytic gradient, L-BFGS (tens of evaluations);
//! - without one, Nelder-Mead, restarted from its own optimum until it stops improving (a single
//!   run can stall on a collapsed simplex).

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Executor, Gradient};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::neldermead::NelderMead;
use argmin::solver::quasinewton::LBFGS;

/// Cost values above this (or non-finite ones) are treated as "infeasible".
const INFEASIBLE: f64 = 1e300;
const MAX_RESTARTS: usize = 4;
/// Parameters are kept within e^-15..e^15 (3e-7..3e6): beyond that a likelihood is flat in
/// practice (e.g. BG/NBD's a, b growing together), and an unbounded search would crawl along it.
const MAX_ABS_LOG: f64 = 15.0;

pub(crate) struct Minimum {
    /// The minimising (positive) parameters.
    pub params: Vec<f64>,
    pub cost: f64,
    pub iterations: u64,
    /// Whether the last restart ended on the tolerance rather than the iteration cap.
    pub converged: bool,
}

struct InLogSpace<F: Fn(&[f64]) -> f64> {
    cost: F,
}

impl<F: Fn(&[f64]) -> f64> CostFunction for InLogSpace<F> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, log_params: &Vec<f64>) -> Result<f64, Error> {
        // Also catches NaN.
        if !log_params.iter().all(|l| l.abs() <= MAX_ABS_LOG) {
            return Ok(INFEASIBLE);
        }
        let params: Vec<f64> = log_params.iter().map(|l| l.exp()).collect();
        if params.iter().any(|p| !p.is_finite() || *p <= 0.0) {
            return Ok(INFEASIBLE);
        }
        let c = (self.cost)(&params);
        Ok(if c.is_finite() { c.min(INFEASIBLE) } else { INFEASIBLE })
    }
}

/// Minimises `cost` over positive parameters starting from `start`. `cost` should be scaled so
/// that `tolerance` is a meaningful absolute change (e.g. a mean per-customer negative
/// log-likelihood).
pub(crate) fn minimize_positive(
    cost: impl Fn(&[f64]) -> f64,
    start: &[f64],
    tolerance: f64,
    max_iters_per_run: u64,
) -> Result<Minimum, String> {
    let problem = InLogSpace { cost };
    let mut best: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    let mut best_cost = problem.cost(&best).map_err(|e| e.to_string())?;
    let mut iterations = 0;
    let mut converged = false;
    let mut step = 0.5;
    for _ in 0..MAX_RESTARTS {
        let mut simplex = vec![best.clone()];
        for i in 0..best.len() {
            let mut v = best.clone();
            v[i] += step;
            simplex.push(v);
        }
        let solver = NelderMead::new(simplex).with_sd_tolerance(tolerance).map_err(|e| e.to_string())?;
        let problem = InLogSpace { cost: &problem.cost };
        let result = Executor::new(problem, solver)
            .configure(|s| s.max_iters(max_iters_per_run))
            .run()
            .map_err(|e| e.to_string())?;
        let state = result.state();
        iterations += state.iter;
        converged = state.iter < max_iters_per_run;
        let improved = best_cost - state.best_cost;
        if let Some(p) = &state.best_param {
            if state.best_cost < best_cost {
                best = p.clone();
                best_cost = state.best_cost;
            }
        }
        if improved.abs() <= tolerance {
            break;
        }
        step = 0.25;
    }
    if best_cost >= INFEASIBLE {
        return Err("no feasible parameters found".into());
    }
    Ok(Minimum { params: best.iter().map(|l| l.exp()).collect(), cost: best_cost, iterations, converged })
}

/// (log-parameters, cost, gradient)
type Evaluation = (Vec<f64>, f64, Vec<f64>);

/// A smooth cost in log-space: the cost plus a quadratic wall beyond +-MAX_ABS_LOG, and the
/// chain-rule gradient. Remembers its last evaluation, since argmin asks for the cost and the
/// gradient at the same point separately.
struct SmoothInLogSpace<F: Fn(&[f64]) -> (f64, Vec<f64>)> {
    cost_and_gradient: F,
    last: RefCell<Option<Evaluation>>,
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> SmoothInLogSpace<F> {
    fn evaluate(&self, log_params: &[f64]) -> (f64, Vec<f64>) {
        if let Some((at, c, g)) = self.last.borrow().as_ref() {
            if at.as_slice() == log_params {
                return (*c, g.clone());
            }
        }
        let params: Vec<f64> = log_params.iter().map(|l| l.exp()).collect();
        let (mut c, g) = (self.cost_and_gradient)(&params);
        // d/d(ln p) = p d/dp
        let mut g: Vec<f64> = g.iter().zip(&params).map(|(g, p)| g * p).collect();
        for (l, gi) in log_params.iter().zip(g.iter_mut()) {
            let excess = l.abs() - MAX_ABS_LOG;
            if excess > 0.0 {
                c += excess * excess;
                *gi += 2.0 * excess * l.signum();
            }
        }
        if !c.is_finite() || g.iter().any(|v| !v.is_finite()) {
            c = INFEASIBLE;
        }
        *self.last.borrow_mut() = Some((log_params.to_vec(), c, g.clone()));
        (c, g)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> CostFunction for SmoothInLogSpace<F> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, log_params: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(log_params).0)
    }
}

impl<F: Fn(&[f64]) -> (f64, Vec<f64>)> Gradient for SmoothInLogSpace<F> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, log_params: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(self.evaluate(log_params).1)
    }
}

/// Minimises a smooth cost over positive parameters with L-BFGS, given `cost_and_gradient`
/// returning the cost and its gradient with respect to the parameters themselves. Falls back to
/// Nelder-Mead if the line search fails.
pub(crate) fn minimize_positive_smooth(
    cost_and_gradient: impl Fn(&[f64]) -> (f64, Vec<f64>),
    start: &[f64],
    tolerance: f64,
    max_iters: u64,
) -> Result<Minimum, String> {
    let problem = SmoothInLogSpace { cost_and_gradient: &cost_and_gradient, last: RefCell::new(None) };
    let init: Vec<f64> = start.iter().map(|p| p.ln()).collect();
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 7)
        .with_tolerance_grad(tolerance)
        .and_then(|s| s.with_tolerance_cost(tolerance * 1e-2))
        .map_err(|e| e.to_string())?;
    let outcome = Executor::new(problem, solver).configure(|s| s.param(init.clone()).max_iters(max_iters)).run();
    match outcome {
        Ok(result) if result.state().best_cost < INFEASIBLE => {
            let state = result.state();
            let best = state.best_param.clone().unwrap_or(init);
            Ok(Minimum {
                params: best.iter().map(|l| l.exp()).collect(),
                cost: state.best_cost,
                iterations: state.iter,
                converged: state.iter < max_iters,
            })
        }
        _ => minimize_positive(|p| cost_and_gradient(p).0, start, tolerance, max_iters.max(1_000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_a_positive_quadratic() {
        let m = minimize_positive(
            |p| (p[0] - 3.0).powi(2) + 10.0 * (p[1] - 0.2).powi(2) + (p[2] * p[0] - 6.0).powi(2),
            &[1.0, 1.0, 1.0],
            1e-14,
            2_000,
        )
        .unwrap();
        assert!((m.params[0] - 3.0).abs() < 1e-4, "{:?}", m.params);
        assert!((m.params[1] - 0.2).abs() < 1e-4);
        assert!((m.params[2] - 2.0).abs() < 1e-4);
        assert!(m.converged);
    }

    #[test]
    fn lbfgs_finds_the_same_minimum_with_a_gradient() {
        let f = |p: &[f64]| {
            let (a, b, c) = (p[0] - 3.0, p[1] - 0.2, p[2] * p[0] - 6.0);
            let cost = a * a + 10.0 * b * b + c * c;
            (cost, vec![2.0 * a + 2.0 * c * p[2], 20.0 * b, 2.0 * c * p[0]])
        };
        let m = minimize_positive_smooth(f, &[1.0, 1.0, 1.0], 1e-10, 500).unwrap();
        assert!((m.params[0] - 3.0).abs() < 1e-5, "{:?}", m.params);
        assert!((m.params[1] - 0.2).abs() < 1e-5);
        assert!((m.params[2] - 2.0).abs() < 1e-5);
        assert!(m.converged && m.iterations < 100);
    }
}
