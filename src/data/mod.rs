//! The data a run trains on: the synthetic set of the lesson's code, presets, and CSV files.

mod csv_file;
mod init;
mod presets;
mod synthetic;

pub use csv_file::{DataError, load_csv};
pub use init::Init;
pub use presets::Preset;
pub use synthetic::Synthetic;

use std::sync::Arc;

use nalgebra::DMatrix;

/// The seed every run uses unless told otherwise, so a class sees the same numbers every time.
pub const DEFAULT_SEED: u64 = 42;

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
        if rows.len() != n * d {
            return Err(DataError::plain(format!(
                "expected {} values for {n} rows of {d} features, got {}",
                n * d,
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
        })
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
    pub fn standardize(&mut self) -> Result<(), DataError> {
        let rows = Arc::make_mut(&mut self.rows);
        for j in 0..self.d {
            let n = self.n as f64;
            let mean = (0..self.n).map(|i| rows[i * self.d + j]).sum::<f64>() / n;
            let var = (0..self.n)
                .map(|i| (rows[i * self.d + j] - mean).powi(2))
                .sum::<f64>()
                / n;
            let sd = var.sqrt();
            if !(sd > 0.0 && sd.is_finite()) {
                return Err(DataError::plain(format!(
                    "cannot standardize column \"{}\": all its values are equal",
                    self.feature_names[j]
                )));
            }
            for i in 0..self.n {
                let v = &mut rows[i * self.d + j];
                *v = (*v - mean) / sd;
            }
        }
        // The generating parameters no longer describe the rescaled features.
        self.true_w = None;
        self.true_b = None;
        Ok(())
    }

    /// The largest step size that keeps full-batch gradient descent on the mean loss stable is
    /// 2/λ, where λ is the largest eigenvalue of the mean of [x 1]ᵀ[x 1]; this returns λ.
    pub fn curvature(&self) -> f64 {
        let d = self.d + 1;
        let mut m = DMatrix::<f64>::zeros(d, d);
        for i in 0..self.n {
            let row = self.row(i);
            for a in 0..d {
                let xa = if a < self.d { row[a] } else { 1.0 };
                for b in 0..d {
                    let xb = if b < self.d { row[b] } else { 1.0 };
                    m[(a, b)] += xa * xb;
                }
            }
        }
        m /= self.n as f64;
        m.symmetric_eigenvalues()
            .iter()
            .fold(0.0_f64, |a, &v| a.max(v))
    }

    /// Writes the data set as CSV with a header row, features then target.
    pub fn write_csv(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let header: Vec<&str> = self
            .feature_names
            .iter()
            .map(String::as_str)
            .chain([self.target_name.as_str()])
            .collect();
        writeln!(out, "{}", header.join(","))?;
        for i in 0..self.n {
            let mut line = String::new();
            for v in self.row(i).iter().chain([&self.y[i]]) {
                if !line.is_empty() {
                    line.push(',');
                }
                // `{:?}` is the shortest text that parses back to the same f64.
                line.push_str(&format!("{v:?}"));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}
