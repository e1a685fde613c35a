//! The digamma function psi = (ln Gamma)', for the Gamma-Gamma likelihood gradient. Hand-written:
//! libm has no digamma, and statrs would bring nalgebra into the main crate for one function.

/// psi(x) for x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the
/// asymptotic series ln x - 1/(2x) - sum B_2k / (2k x^2k), whose first omitted term is below
/// 1e-16 there. NaN for x <= 0.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    let (mut x, mut shift) = (x, 0.0);
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    // B2/2 = 1/12, B4/4 = -1/120, B6/6 = 1/252, B8/8 = -1/240, B10/10 = 1/132,
    // B12/12 = -691/32760, B14/14 = 1/12.
    let series = f
        * (1.0 / 12.0
            - f * (1.0 / 120.0
                - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f * (1.0 / 132.0 - f * (691.0 / 32760.0 - f / 12.0))))));
    shift + x.ln() - 0.5 / x - series
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_known_values() {
        let euler_gamma = 0.577_215_664_901_532_9;
        for (x, want) in [
            (1.0, -euler_gamma),
            (0.5, -euler_gamma - 2.0 * 2f64.ln()),
            (2.0, 1.0 - euler_gamma),
            (10.0, 2.251_752_589_066_721),
            (100.0, 4.600_161_852_738_087),
        ] {
            assert!((digamma(x) - want).abs() < 1e-14 * want.abs().max(1.0), "psi({x}) = {} not {want}", digamma(x));
        }
        // The recurrence holds across the switch to the series, and for tiny arguments.
        for x in [1e-6, 0.3, 9.5, 9.999, 37.2] {
            let lhs = digamma(x + 1.0);
            let rhs = digamma(x) + 1.0 / x;
            // Scaled by the terms added, which cancel for tiny x.
            assert!((lhs - rhs).abs() < 1e-14 * (digamma(x).abs() + 1.0 / x), "x = {x}");
        }
        assert!(digamma(0.0).is_nan() && digamma(-1.5).is_nan());
    }

    #[test]
    fn is_the_derivative_of_ln_gamma() {
        for x in [0.7, 3.3, 25.0, 1e4] {
            let h = 1e-5 * x;
            let numeric = (libm::lgamma(x + h) - libm::lgamma(x - h)) / (2.0 * h);
            assert!((digamma(x) - numeric).abs() < 1e-7 * numeric.abs().max(1.0), "x = {x}");
        }
    }
}
