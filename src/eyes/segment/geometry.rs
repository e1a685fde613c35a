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

/// Points per block of [`LaneBlocks`].
pub(crate) const LANES: usize = 8;

/// Points stored in blocks of `LANES`, dimension-major inside a block (`[d][lane]`), so the
/// distances from one query to a block's points are computed side by side, one SIMD lane each.
/// Each lane still sums its dimensions in order, so every distance equals `squared_distance`
/// bit for bit; a row-major scan instead waits on one point's chain of dependent additions at a
/// time. Lanes past the last point hold NaN.
pub(crate) struct LaneBlocks {
    dim: usize,
    data: Vec<f64>,
}

impl LaneBlocks {
    /// Every point of `points`, in order: point i is lane i % LANES of block i / LANES.
    pub(crate) fn of(points: Points) -> LaneBlocks {
        let dim = points.dim();
        let mut data = vec![f64::NAN; points.len().div_ceil(LANES) * dim * LANES];
        for i in 0..points.len() {
            let block = i / LANES * dim * LANES;
            for (d, &v) in points.row(i).iter().enumerate() {
                data[block + d * LANES + i % LANES] = v;
            }
        }
        LaneBlocks { dim, data }
    }

    /// Squared distances from `query` to the points of `block`, lane by lane (NaN for padding).
    #[inline]
    pub(crate) fn squared_distances(&self, block: usize, query: &[f64]) -> [f64; LANES] {
        let columns = &self.data[block * self.dim * LANES..(block + 1) * self.dim * LANES];
        let mut sums = [0.0; LANES];
        for (column, &q) in columns.chunks_exact(LANES).zip(query) {
            for (s, &x) in sums.iter_mut().zip(column) {
                *s += (q - x) * (q - x);
            }
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lane_distances_equal_row_distances_bit_for_bit() {
        let dim = 3;
        // 11 points: a full block and a padded one; values whose sums round differently when
        // added out of order.
        let data: Vec<f64> = (0..11 * dim).map(|i| (i as f64 * 0.37).sin() * 1e3 + 0.1).collect();
        let points = Points::new(&data, dim);
        let blocks = LaneBlocks::of(points);
        assert_eq!(blocks.data.len(), 2 * dim * LANES, "two blocks");
        let query = [0.3, -17.25, 1e-3];
        for block in 0..2 {
            let d2 = blocks.squared_distances(block, &query);
            for (lane, d) in d2.iter().enumerate() {
                let i = block * LANES + lane;
                if i < points.len() {
                    assert_eq!(*d, squared_distance(&query, points.row(i)));
                } else {
                    assert!(d.is_nan(), "padding lane {lane} of block {block}");
                }
            }
        }
    }
}
