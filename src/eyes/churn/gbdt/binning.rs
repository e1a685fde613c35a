//! Feature binning: each feature's present values are cut into at most 255 quantile bins; bin 0
//! holds missing (non-finite) values. Trees split on bins, so training only ever looks at
//! small integers and prediction compares bytes.

use rayon::prelude::*;

use crate::eyes::churn::dataset::Matrix;

pub const MISSING: u8 = 0;

/// Values per feature the cut points are chosen from (an even stride through the rows): plenty
/// for 255 quantiles, and it keeps binning cheap next to growing the trees.
const CUT_POINT_SAMPLE: usize = 20_000;

/// The bin of `v` given a feature's strictly increasing cut points: 1 + #{edges < v}, or
/// `MISSING`. A split "bin <= t" (t >= 1) is the same as "v <= edges[t - 1]".
pub fn bin_of(v: f64, edges: &[f64]) -> u8 {
    if v.is_finite() {
        1 + edges.partition_point(|&e| e < v) as u8
    } else {
        MISSING
    }
}

/// At most `max_bins - 1` cut points splitting sorted values into near-equal-count bins; every
/// distinct value gets its own bin when there are few enough.
pub fn cut_points(sorted: &[f64], max_bins: usize) -> Vec<f64> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    if distinct.len() <= max_bins {
        distinct.pop();
        return distinct;
    }
    let mut edges: Vec<f64> = (1..max_bins).map(|k| sorted[k * sorted.len() / max_bins]).collect();
    edges.dedup();
    // The largest value must stay above every edge so the top bin is not empty.
    if edges.last() == sorted.last() {
        edges.pop();
    }
    edges
}

/// Training rows, binned, in two layouts: row-major so that one pass over a leaf's rows fills
/// every feature's histogram, and column-major for partitioning a leaf's rows on one feature.
pub struct Binned {
    pub rows: usize,
    pub cols: usize,
    /// bins[i * cols + j]
    bins: Vec<u8>,
    /// columns[j * rows + i]: a split reads one feature of scattered rows, and a column
    /// (rows bytes) stays in cache where the row-major table (rows x cols bytes) does not.
    columns: Vec<u8>,
    pub edges: Vec<Vec<f64>>,
}

impl Binned {
    pub fn new(x: &Matrix, max_bins: usize) -> Binned {
        let (rows, cols) = (x.rows(), x.cols());
        let edges: Vec<Vec<f64>> = (0..cols)
            .into_par_iter()
            .map(|j| {
                let stride = rows.div_ceil(CUT_POINT_SAMPLE).max(1);
                let mut present: Vec<f64> = x.column(j).step_by(stride).filter(|v| v.is_finite()).collect();
                present.sort_unstable_by(f64::total_cmp);
                cut_points(&present, max_bins)
            })
            .collect();
        let mut bins = vec![0u8; rows * cols];
        bins.par_chunks_mut(cols).enumerate().for_each(|(i, out)| {
            for ((o, &v), e) in out.iter_mut().zip(x.row(i)).zip(&edges) {
                *o = bin_of(v, e);
            }
        });
        let mut columns = vec![0u8; rows * cols];
        columns.par_chunks_mut(rows.max(1)).enumerate().for_each(|(j, column)| {
            for (c, row) in column.iter_mut().zip(bins.chunks_exact(cols)) {
                *c = row[j];
            }
        });
        Binned { rows, cols, bins, columns, edges }
    }

    pub fn row(&self, i: usize) -> &[u8] {
        &self.bins[i * self.cols..(i + 1) * self.cols]
    }

    /// Feature j's bins, by row.
    pub fn column(&self, j: usize) -> &[u8] {
        &self.columns[j * self.rows..(j + 1) * self.rows]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_points_give_every_small_value_set_its_own_bin() {
        assert_eq!(cut_points(&[1.0, 1.0, 2.0, 5.0], 255), vec![1.0, 2.0]);
        let many: Vec<f64> = (0..10_000).map(|i| i as f64).collect();
        let e = cut_points(&many, 10);
        assert_eq!(e.len(), 9);
        assert!(e.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(e[0], 1000.0);
    }

    #[test]
    fn bins_follow_the_cut_points_and_missing_values_get_bin_zero() {
        let edges = [1.0, 2.0];
        let bins: Vec<u8> =
            [0.5, 1.0, 1.5, 2.0, 9.0, f64::NAN, f64::INFINITY].iter().map(|&v| bin_of(v, &edges)).collect();
        assert_eq!(bins, vec![1, 1, 2, 2, 3, MISSING, MISSING]);
        let x = Matrix::new(vec![3.0, f64::NAN, 1.0, 2.0], 1);
        let b = Binned::new(&x, 255);
        assert_eq!(b.edges[0], vec![1.0, 2.0]);
        assert_eq!(b.column(0), [3, 0, 1, 2]);
        assert_eq!((0..4).map(|i| b.row(i)[0]).collect::<Vec<_>>(), vec![3, 0, 1, 2]);
    }
}
