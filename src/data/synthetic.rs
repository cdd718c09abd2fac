//! d2l's synthetic set: X ~ N(0, 1), y = Xw* + b* + ε with ε ~ N(0, noise²).

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use super::{DataError, Dataset, derive_seed, max_rows};

#[derive(Clone, Debug, PartialEq)]
pub struct Synthetic {
    pub samples: usize,
    /// Its length sets the number of features.
    pub true_w: Vec<f64>,
    pub true_b: f64,
    pub noise: f64,
    pub seed: u64,
}

impl Default for Synthetic {
    fn default() -> Self {
        Synthetic {
            samples: 1000,
            true_w: vec![2.0, -3.4],
            true_b: 4.2,
            noise: 0.01,
            seed: super::DEFAULT_SEED,
        }
    }
}

impl Synthetic {
    pub fn generate(&self) -> Result<Dataset, DataError> {
        if self.samples == 0 {
            return Err(DataError::option("--samples", "must be at least 1"));
        }
        if self.true_w.is_empty() {
            return Err(DataError::option("--true-w", "needs at least one weight"));
        }
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return Err(DataError::option("--noise", "must be a finite number ≥ 0"));
        }
        let d = self.true_w.len();
        let limit = max_rows(d);
        if self.samples > limit {
            return Err(DataError::option(
                "--samples",
                &format!(
                    "{} rows of {d} features is more than the {limit} that fit in memory here \
                     (each row takes {} numbers with its target and its place in the shuffle, at most {} in all)",
                    self.samples,
                    d + 2,
                    super::MAX_VALUES
                ),
            ));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(self.seed, 0x4441_5441));
        // Same order as d2l: all of X first (row-major), then the noise.
        let rows: Vec<f64> = (0..self.samples * d)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let y: Vec<f64> = (0..self.samples)
            .map(|i| {
                // x⁽ⁱ⁾w* + b*, summed left to right like the model's own prediction.
                let row = &rows[i * d..(i + 1) * d];
                let clean = row
                    .iter()
                    .zip(&self.true_w)
                    .fold(0.0, |s, (x, w)| s + x * w)
                    + self.true_b;
                let e: f64 = StandardNormal.sample(&mut rng);
                clean + self.noise * e
            })
            .collect();
        if let Some(row) = y.iter().position(|v| !v.is_finite()) {
            return Err(DataError::plain(format!(
                "--true-w, --true-b, --noise: the generated target of row {} is {}, not a finite number; \
                 use smaller weights, bias or noise",
                row + 1,
                y[row]
            )));
        }
        let names = (1..=d).map(|j| format!("x{j}")).collect();
        let mut data = Dataset::new(rows, y, names, "y".into())?;
        data.true_w = Some(self.true_w.clone());
        data.true_b = Some(self.true_b);
        Ok(data)
    }
}
