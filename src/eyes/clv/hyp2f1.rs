//! The Gauss hypergeometric function 2F1, as needed by the BG/NBD conditional expectation.
//!
//! Hand-written because no well-kept pure-Rust crate provides it (statrs and libm do not). The
//! BG/NBD only ever calls it with positive parameters and 0 <= z < 1, where every term of the
//! power series is positive: summing it directly has no cancellation, so it is accurate to a few
//! ulps per term. Convergence slows as z approaches 1 (about ln(eps)/ln(z) terms), which callers
//! amortise by caching (see `lifetime_value`).

/// Relative accuracy the series is summed to.
const TOLERANCE: f64 = 1e-15;
/// Hard cap on terms; reached only for z within ~1e-5 of 1.
const MAX_TERMS: usize = 5_000_000;

/// 2F1(a, b; c; z) for a, b > 0, c not a non-positive integer and 0 <= z < 1, by its power
/// series sum_k (a)_k (b)_k / ((c)_k k!) z^k. (A negative c only flips the signs of the first
/// few terms; the BG/NBD meets it for one-time buyers when a + b < 1.)
///
/// Returns NaN outside that domain.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let c_is_pole = c <= 0.0 && c.fract() == 0.0;
    if !(a > 0.0 && b > 0.0 && c.is_finite() && !c_is_pole && (0.0..1.0).contains(&z)) {
        return f64::NAN;
    }
    let mut sum = 1.0;
    let mut term = 1.0;
    for k in 0..MAX_TERMS {
        let kf = k as f64;
        let ratio = (a + kf) * (b + kf) / ((c + kf) * (kf + 1.0)) * z;
        term *= ratio;
        sum += term;
        // Once c + k > 0 every later term has the sign of this one and the ratio tends to z;
        // bound the tail by a geometric series with ratio max(current ratio, z) below 1.
        let rho = ratio.max(z);
        if c + kf > 0.0 && rho < 1.0 && term.abs() * rho / (1.0 - rho) <= TOLERANCE * sum.abs() {
            break;
        }
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) -> bool {
        (got - want).abs() <= rel * want.abs().max(1e-300)
    }

    #[test]
    fn matches_closed_forms() {
        for z in [0.0f64, 1e-6, 0.1, 0.5, 0.9, 0.99, 0.999] {
            // 2F1(1, 1; 2; z) = -ln(1 - z) / z
            let want = if z == 0.0 { 1.0 } else { -(-z).ln_1p() / z };
            assert!(close(hyp2f1(1.0, 1.0, 2.0, z), want, 1e-12), "z={z}");
            // 2F1(a, b; b; z) = (1 - z)^-a
            let want = (1.0 - z).powf(-2.7);
            assert!(close(hyp2f1(2.7, 1.3, 1.3, z), want, 1e-12), "z={z}");
        }
        for s in [0.1f64, 0.5, 0.8, 0.95] {
            let z = s * s;
            // 2F1(1/2, 1/2; 3/2; s^2) = asin(s) / s
            assert!(close(hyp2f1(0.5, 0.5, 1.5, z), s.asin() / s, 1e-12));
            // 2F1(1/2, 1; 3/2; s^2) = atanh(s) / s
            assert!(close(hyp2f1(0.5, 1.0, 1.5, z), s.atanh() / s, 1e-12));
        }
    }

    #[test]
    fn matches_a_tabulated_value() {
        // 2F1(1, 1; 3; z) = 2 [ z + (1 - z) ln(1 - z) ] / z^2, so 2F1(1, 1; 3; 1/2) = 4 - 4 ln 2.
        let z: f64 = 0.5;
        let want = 2.0 * (z + (1.0 - z) * (1.0 - z).ln()) / (z * z);
        assert!(close(hyp2f1(1.0, 1.0, 3.0, z), want, 1e-13));
        assert!(close(want, 1.227_411_277_760_218_9, 1e-15));
    }

    #[test]
    fn allows_a_negative_non_integer_c() {
        // Contiguous relation in c (DLMF 15.5.18), spanning c = -1.5, -0.5, 0.5:
        // c(c-1)(z-1) F(c-1) + c[c-1-(2c-a-b-1)z] F(c) + (c-a)(c-b) z F(c+1) = 0.
        let (a, b, z) = (1.3, 0.7, 0.7);
        let f = |c: f64| hyp2f1(a, b, c, z);
        let c: f64 = -0.5;
        let first = c * (c - 1.0) * (z - 1.0) * f(c - 1.0);
        let residual = first + c * (c - 1.0 - (2.0 * c - a - b - 1.0) * z) * f(c) + (c - a) * (c - b) * z * f(c + 1.0);
        assert!(residual.abs() <= 1e-11 * first.abs(), "residual {residual} vs {first}");
    }

    #[test]
    fn rejects_outside_its_domain() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(hyp2f1(1.0, 1.0, 2.0, -0.1).is_nan());
        assert!(hyp2f1(-1.0, 1.0, 2.0, 0.1).is_nan());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.1).is_nan());
    }
}
