//! The full-data loss as a function of the parameters, for pictures of where training goes.
//!
//! The mean loss ½·mean((x̃θ − y)²) with x̃ = [x 1] and θ = [w; b] depends on the data only through
//! S = Σx̃x̃ᵀ, r = Σx̃y and q = Σy², so after one pass it costs O(d²) per point, not O(N·d): a
//! contour of thousands of points stays cheap.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;

#[derive(Clone, Debug, PartialEq)]
pub struct Surface {
    s: DMatrix<f64>,
    r: DVector<f64>,
    q: f64,
    n: f64,
}

impl Surface {
    pub fn new(data: &Dataset) -> Self {
        let d = data.d() + 1;
        let mut s = DMatrix::zeros(d, d);
        let mut r = DVector::zeros(d);
        let mut q = 0.0;
        let mut xt = DVector::zeros(d);
        for i in 0..data.n() {
            for (j, v) in data.row(i).iter().enumerate() {
                xt[j] = *v;
            }
            xt[d - 1] = 1.0;
            let y = data.y()[i];
            s.ger(1.0, &xt, &xt, 1.0);
            r.axpy(y, &xt, 1.0);
            q += y * y;
        }
        Surface {
            s,
            r,
            q,
            n: data.n() as f64,
        }
    }

    fn theta(w: &[f64], b: f64) -> DVector<f64> {
        DVector::from_iterator(w.len() + 1, w.iter().copied().chain([b]))
    }

    /// Mean of ½(ŷ − y)² over the whole data set at (w, b).
    pub fn loss(&self, w: &[f64], b: f64) -> f64 {
        let t = Self::theta(w, b);
        let quad = t.dot(&(&self.s * &t));
        // Rounding can take an exact fit a hair below zero.
        ((quad - 2.0 * t.dot(&self.r) + self.q) / (2.0 * self.n)).max(0.0)
    }

    /// Gradient of the mean loss at (w, b): the full-batch direction a mini-batch step estimates.
    pub fn gradient(&self, w: &[f64], b: f64) -> (Vec<f64>, f64) {
        let t = Self::theta(w, b);
        let g = (&self.s * &t - &self.r) / self.n;
        let d = w.len();
        (g.iter().take(d).copied().collect(), g[d])
    }

    /// The loss over a grid of two parameters with every other parameter fixed; row 0 is the top
    /// (largest value on the vertical axis), as a picture is drawn.
    pub fn grid(&self, w: &[f64], b: f64, grid: &Grid) -> Vec<Vec<f64>> {
        let mut p = w.to_vec();
        (0..grid.rows)
            .map(|r| {
                p[grid.axes.1] = grid.y_at(r);
                (0..grid.cols)
                    .map(|c| {
                        p[grid.axes.0] = grid.x_at(c);
                        self.loss(&p, b)
                    })
                    .collect()
            })
            .collect()
    }
}

/// A rectangle of parameter space sampled at `cols`×`rows` points: weight `axes.0` across,
/// weight `axes.1` up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Grid {
    pub axes: (usize, usize),
    pub lo: (f64, f64),
    pub hi: (f64, f64),
    pub cols: usize,
    pub rows: usize,
}

impl Grid {
    fn fraction(k: usize, count: usize) -> f64 {
        if count > 1 {
            k as f64 / (count - 1) as f64
        } else {
            0.5
        }
    }

    pub fn x_at(&self, col: usize) -> f64 {
        self.lo.0 + Self::fraction(col, self.cols) * (self.hi.0 - self.lo.0)
    }

    pub fn y_at(&self, row: usize) -> f64 {
        self.hi.1 - Self::fraction(row, self.rows) * (self.hi.1 - self.lo.1)
    }
}
