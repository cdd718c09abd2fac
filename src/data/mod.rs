//! The data a run trains on: the synthetic set of the lesson's code and CSV files (the presets,
//! which pair data with settings, are [`crate::preset`]).

mod csv_file;
mod synthetic;

pub use csv_file::{DataError, MAX_CSV_BYTES, load_csv, parse_csv};
pub use synthetic::Synthetic;

use std::sync::Arc;

/// The seed every run uses unless told otherwise, so a class sees the same numbers every time.
pub const DEFAULT_SEED: u64 = 42;

/// The most numbers a data set may take: 1 GiB of 8-byte values, which a million rows of a
/// hundred features fit in. Checked before anything is allocated.
pub const MAX_VALUES: usize = 1 << 27;

/// Rows of `d` features each that fit in [`MAX_VALUES`]: a row takes its features, its target
/// and its place in the epoch's shuffled order.
pub fn max_rows(d: usize) -> usize {
    MAX_VALUES / (d + 2)
}

/// Mixes a stream number into the seed so each use (data, init, each epoch's shuffle) gets an
/// independent yet reproducible generator.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    // SplitMix64's finaliser: nearby inputs give unrelated outputs.
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Power-iteration passes of [`Dataset::curvature`]; the estimate only has to tell "near 1"
/// from "far above 2/lr", which a few passes do.
const CURVATURE_PASSES: usize = 20;
/// At most this many values (rows × (features + 1)) enter the curvature estimate: an evenly
/// spaced sample of rows stands for the rest, so the estimate costs the same for any N.
const CURVATURE_SAMPLE: usize = 20_000;

/// How [`Dataset::standardize`] rescaled one feature: its mean and standard deviation before,
/// in the feature's own units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub mean: f64,
    pub sd: f64,
}

impl Scale {
    /// The value a standardized `v` stood for in the data as loaded (up to rounding).
    pub fn original(&self, v: f64) -> f64 {
        v * self.sd + self.mean
    }
}

/// Features and targets, with the true parameters when the data was generated from them.
///
/// Cloning is cheap: the numbers are shared (a served class holds one copy for every student's
/// explainer), and the methods that change them copy them first if they are shared.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    n: usize,
    d: usize,
    /// Row-major N×d: a mini-batch gathers whole rows, so rows are contiguous.
    rows: Arc<Vec<f64>>,
    y: Arc<Vec<f64>>,
    pub feature_names: Vec<String>,
    pub target_name: String,
    pub true_w: Option<Vec<f64>>,
    pub true_b: Option<f64>,
    /// One per feature once standardized, else empty.
    scales: Vec<Scale>,
}

impl Dataset {
    /// `rows` is row-major, `y.len()` rows of `feature_names.len()` features each.
    pub fn new(
        rows: Vec<f64>,
        y: Vec<f64>,
        feature_names: Vec<String>,
        target_name: String,
    ) -> Result<Self, DataError> {
        let d = feature_names.len();
        let n = y.len();
        if d == 0 {
            return Err(DataError::plain("the data has no feature columns"));
        }
        if Some(rows.len()) != n.checked_mul(d) {
            return Err(DataError::plain(format!(
                "expected {n} rows of {d} features, got {} values",
                rows.len()
            )));
        }
        Ok(Dataset {
            n,
            d,
            rows: Arc::new(rows),
            y: Arc::new(y),
            feature_names,
            target_name,
            true_w: None,
            true_b: None,
            scales: Vec::new(),
        })
    }

    /// Each feature's mean and standard deviation before [`Dataset::standardize`], if it ran.
    pub fn scales(&self) -> Option<&[Scale]> {
        (!self.scales.is_empty()).then_some(&self.scales[..])
    }

    /// Rows (samples).
    pub fn n(&self) -> usize {
        self.n
    }

    /// Features per row.
    pub fn d(&self) -> usize {
        self.d
    }

    /// The features of row `i`.
    pub fn row(&self, i: usize) -> &[f64] {
        &self.rows[i * self.d..(i + 1) * self.d]
    }

    /// Every row's features, one row after another.
    pub fn features(&self) -> &[f64] {
        &self.rows
    }

    pub fn y(&self) -> &[f64] {
        &self.y
    }

    /// Whether two data sets hold the very same numbers in memory (not merely equal ones).
    pub fn shares_storage(&self, other: &Dataset) -> bool {
        Arc::ptr_eq(&self.rows, &other.rows) && Arc::ptr_eq(&self.y, &other.y)
    }

    /// Adds `by` to the target of row `row` (the outlier scenario). The data no longer follows
    /// its generating parameters exactly, but they are still the ones to compare with.
    pub fn shift_target(&mut self, row: usize, by: f64) {
        if let Some(y) = Arc::make_mut(&mut self.y).get_mut(row) {
            *y += by;
        }
    }

    /// Reorders the rows by increasing target, so that batches taken in order are biased.
    pub fn sort_by_target(&mut self) {
        let mut order: Vec<usize> = (0..self.n).collect();
        order.sort_by(|&a, &b| self.y[a].total_cmp(&self.y[b]));
        self.rows = Arc::new(order.iter().flat_map(|&i| self.row(i).to_vec()).collect());
        self.y = Arc::new(order.iter().map(|&i| self.y[i]).collect());
    }

    /// Rescales every feature to mean 0 and standard deviation 1 (population form).
    ///
    /// Each column is first brought to magnitudes below 1 by a power of two, so that squares
    /// neither overflow (values near 1e170) nor underflow (near 1e-300); a power of two scales
    /// exactly, so ordinary columns give the very same numbers as without it.
    pub fn standardize(&mut self) -> Result<(), DataError> {
        let rows = Arc::make_mut(&mut self.rows);
        let mut scales = Vec::with_capacity(self.d);
        for j in 0..self.d {
            let n = self.n as f64;
            let column = |i: usize| rows[i * self.d + j];
            let first = column(0);
            if (1..self.n).all(|i| column(i) == first) {
                return Err(DataError::plain(format!(
                    "cannot standardize column \"{}\": all its values are equal",
                    self.feature_names[j]
                )));
            }
            let largest = (0..self.n).map(|i| column(i).abs()).fold(0.0, f64::max);
            let k = -exponent(largest) - 1;
            let mean = (0..self.n).map(|i| times_pow2(column(i), k)).sum::<f64>() / n;
            let var = (0..self.n)
                .map(|i| (times_pow2(column(i), k) - mean).powi(2))
                .sum::<f64>()
                / n;
            let sd = var.sqrt();
            if !(sd > 0.0 && sd.is_finite()) {
                return Err(DataError::plain(format!(
                    "cannot standardize column \"{}\": its values differ too little to rescale",
                    self.feature_names[j]
                )));
            }
            for i in 0..self.n {
                let v = &mut rows[i * self.d + j];
                *v = (times_pow2(*v, k) - mean) / sd;
            }
            scales.push(Scale {
                mean: times_pow2(mean, -k),
                sd: times_pow2(sd, -k),
            });
        }
        self.scales = scales;
        // The generating parameters no longer describe the rescaled features.
        self.true_w = None;
        self.true_b = None;
        Ok(())
    }

    /// The largest step size that keeps full-batch gradient descent on the mean loss stable is
    /// 2/λ, where λ is the largest eigenvalue of M = mean of [x 1]ᵀ[x 1]; this estimates λ.
    ///
    /// Power iteration on M without forming it (each pass is two sweeps over the rows, O(N·d)
    /// instead of O(N·d² + d³)), over an evenly spaced sample of at most
    /// `CURVATURE_SAMPLE / (d + 1)` rows, for a bounded number of passes: the cost is bounded
    /// whatever N and d are. The Rayleigh quotient never exceeds λ and converges fast when one
    /// direction dominates, which is when the answer matters (unscaled features).
    pub fn curvature(&self) -> f64 {
        let d = self.d + 1;
        let take = (CURVATURE_SAMPLE / d).clamp(1, self.n);
        let sample: Vec<usize> = (0..take).map(|k| k * self.n / take).collect();
        let mut v = vec![1.0 / (d as f64).sqrt(); d];
        let mut lambda = 0.0_f64;
        let mut next = vec![0.0; d];
        for _ in 0..CURVATURE_PASSES {
            next.iter_mut().for_each(|u| *u = 0.0);
            for &i in &sample {
                let row = self.row(i);
                let z_dot_v = row.iter().zip(&v).map(|(x, v)| x * v).sum::<f64>() + v[d - 1];
                for (u, x) in next.iter_mut().zip(row) {
                    *u += x * z_dot_v;
                }
                next[d - 1] += z_dot_v;
            }
            let scale = 1.0 / take as f64;
            next.iter_mut().for_each(|u| *u *= scale);
            // v is a unit vector, so v·Mv is the Rayleigh quotient.
            let rayleigh: f64 = next.iter().zip(&v).map(|(u, v)| u * v).sum();
            lambda = lambda.max(rayleigh);
            let norm = next.iter().map(|u| u * u).sum::<f64>().sqrt();
            if !(norm.is_finite() && norm > 0.0) {
                break;
            }
            for (v, u) in v.iter_mut().zip(&next) {
                *v = u / norm;
            }
        }
        lambda
    }

    /// Writes the data set as CSV with a header row, features then target, quoting names that
    /// need it, so `gradstep data` reads back with `--data`.
    pub fn write_csv(&self, out: impl std::io::Write) -> std::io::Result<()> {
        // A csv::Error wraps the I/O error; unwrap it so a closed pipe stays recognisable.
        let io = |e: csv::Error| match e.into_kind() {
            csv::ErrorKind::Io(e) => e,
            other => std::io::Error::other(format!("{other:?}")),
        };
        let mut w = csv::Writer::from_writer(out);
        let header = self
            .feature_names
            .iter()
            .map(String::as_str)
            .chain([self.target_name.as_str()]);
        w.write_record(header).map_err(io)?;
        // `{:?}` is the shortest text that parses back to the same f64.
        let mut fields: Vec<String> = Vec::with_capacity(self.d + 1);
        for i in 0..self.n {
            fields.clear();
            fields.extend(
                self.row(i)
                    .iter()
                    .chain([&self.y[i]])
                    .map(|v| format!("{v:?}")),
            );
            w.write_record(&fields).map_err(io)?;
        }
        w.flush()
    }
}

/// E with 2^E ≤ |x| < 2^(E+1), for finite non-zero `x` (subnormals included).
fn exponent(x: f64) -> i32 {
    let bits = x.abs().to_bits();
    let biased = (bits >> 52) as i32;
    if biased > 0 {
        biased - 1023
    } else {
        // Subnormal: 2^-1074 times the mantissa, whose highest set bit says the rest.
        let top = 63 - bits.leading_zeros() as i32;
        top - 1074
    }
}

/// x · 2^k, in two exact steps so that neither factor overflows (|k| up to ~2100).
fn times_pow2(x: f64, k: i32) -> f64 {
    let pow2 = |e: i32| f64::from_bits(((e + 1023) as u64) << 52);
    let half = k / 2;
    x * pow2(half) * pow2(k - half)
}
