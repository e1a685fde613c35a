//! Feature rows for the churn models: a dense row-major matrix, gathered for the customers of a
//! window, and seeded sampling of training rows.

use ndarray::{Array2, ArrayView2};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Dense row-major features (rows = customers, columns = features).
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    values: Vec<f64>,
    cols: usize,
}

impl Matrix {
    pub fn new(values: Vec<f64>, cols: usize) -> Matrix {
        assert!(cols > 0 && values.len().is_multiple_of(cols), "values must fill whole rows");
        Matrix { values, cols }
    }

    pub fn from_array(a: Array2<f64>) -> Matrix {
        let cols = a.ncols().max(1);
        let values = if a.is_standard_layout() { a.into_raw_vec_and_offset().0 } else { a.iter().copied().collect() };
        Matrix { values, cols }
    }

    pub fn from_view(a: ArrayView2<f64>) -> Matrix {
        Matrix { values: a.iter().copied().collect(), cols: a.ncols().max(1) }
    }

    pub fn rows(&self) -> usize {
        self.values.len() / self.cols
    }

    pub fn cols(&self) -> usize {
        self.cols
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.cols..(i + 1) * self.cols]
    }

    pub fn column(&self, j: usize) -> impl Iterator<Item = f64> + '_ {
        self.values[j..].iter().step_by(self.cols).copied()
    }

    /// The given rows, in the given order.
    pub fn gather(&self, rows: impl IntoIterator<Item = usize>) -> Matrix {
        let mut values = Vec::new();
        for i in rows {
            values.extend_from_slice(self.row(i));
        }
        Matrix { values, cols: self.cols }
    }
}

/// SplitMix64: derives independent-looking seeds for each use of one user seed.
pub fn derive_seed(seed: u64, purpose: u64) -> u64 {
    let mut z = seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Up to `max` of the positions 0..n, drawn without replacement with a seeded generator and
/// returned ascending (all of them when n <= max).
pub fn sample_positions(n: usize, max: usize, seed: u64) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut picked = rand::seq::index::sample(&mut rng, n, max).into_vec();
    picked.sort_unstable();
    picked
}

/// Median of the finite values of each column (None for a column with none), the "typical"
/// value that reasons compare a customer against.
pub fn column_medians(x: &Matrix) -> Vec<Option<f64>> {
    (0..x.cols())
        .map(|j| {
            let mut v: Vec<f64> = x.column(j).filter(|v| v.is_finite()).collect();
            if v.is_empty() {
                return None;
            }
            let mid = v.len() / 2;
            let (_, upper, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
            let upper = *upper;
            if v.len() % 2 == 1 {
                Some(upper)
            } else {
                let lower = v[..mid].iter().copied().fold(f64::NEG_INFINITY, f64::max);
                Some(0.5 * (lower + upper))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn gathers_rows_from_any_layout() {
        let a = array![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
        let m = Matrix::from_array(a.clone());
        assert_eq!(m.gather([2, 0]).row(0), &[5.0, 6.0]);
        let transposed_twice = a.t().to_owned().reversed_axes();
        assert_eq!(Matrix::from_array(transposed_twice), m);
        assert_eq!(m.column(1).collect::<Vec<_>>(), vec![2.0, 4.0, 6.0]);
    }

    #[test]
    fn sampling_is_seeded_sorted_and_capped() {
        let a = sample_positions(1000, 10, 5);
        assert_eq!(a, sample_positions(1000, 10, 5));
        assert_ne!(a, sample_positions(1000, 10, 6));
        assert!(a.windows(2).all(|w| w[0] < w[1]) && a.len() == 10);
        assert_eq!(sample_positions(3, 10, 5), vec![0, 1, 2]);
    }

    #[test]
    fn medians_skip_missing_values() {
        let m = Matrix::new(vec![1.0, f64::NAN, 3.0, f64::NAN, 2.0, f64::NAN, 10.0, f64::NAN], 2);
        assert_eq!(column_medians(&m), vec![Some(2.5), None]);
    }
}
