//! Rows of a row-major matrix as plain slices, and the distances every algorithm here uses.
//! The hot loops work on `&[f64]` rather than ndarray views: a fixed, contiguous layout lets the
//! compiler vectorise the distance loop.

/// A borrowed row-major n × dim matrix.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Points<'a> {
    data: &'a [f64],
    dim: usize,
}

impl<'a> Points<'a> {
    pub(crate) fn new(data: &'a [f64], dim: usize) -> Points<'a> {
        assert!(dim > 0, "points need at least one dimension");
        assert_eq!(data.len() % dim, 0, "data is not a whole number of rows");
        Points { data, dim }
    }

    pub(crate) fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    pub(crate) fn dim(&self) -> usize {
        self.dim
    }

    pub(crate) fn data(&self) -> &'a [f64] {
        self.data
    }

    #[inline]
    pub(crate) fn row(&self, i: usize) -> &'a [f64] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Copies the given rows, in the given order, into a new row-major buffer.
    pub(crate) fn gather(&self, indices: &[usize]) -> Vec<f64> {
        let mut out = Vec::with_capacity(indices.len() * self.dim);
        for &i in indices {
            out.extend_from_slice(self.row(i));
        }
        out
    }
}

#[inline]
pub(crate) fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Index of the nearest centroid (lowest index on ties) and the squared distance to it.
#[inline]
pub(crate) fn nearest_centroid(point: &[f64], centroids: &[f64], dim: usize) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, centroid) in centroids.chunks_exact(dim).enumerate() {
        let d2 = squared_distance(point, centroid);
        if d2 < best.1 {
            best = (c, d2);
        }
    }
    best
}

/// Rows per parallel work item. Fixed, so floating-point sums are grouped the same way on any
/// number of threads and results are bit-for-bit reproducible.
pub(crate) const CHUNK_ROWS: usize = 4096;
