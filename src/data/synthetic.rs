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
        let (rows, y) = self.draw(workers());
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

/// The rows of the first chunk, drawn from one seeded stream. A set of at most this many rows is
/// drawn exactly as it always was (one stream, all of X and then the noise, as d2l does), so small
/// sets and every number quoted from them stay the same.
pub const CHUNK_ROWS: usize = 65_536;
/// The rows of each later chunk, each from its own stream derived from the seed and the chunk's
/// number, so chunks can be drawn on several cores and the data is the same whichever core draws
/// which chunk. Smaller than the first, so the cores finish together: while one draws the first
/// chunk, the other draws the next ones.
pub const LATER_CHUNK_ROWS: usize = 16_384;

/// The data's stream: chunk 0's, and the root the other chunks' streams are derived from.
const DATA_STREAM: u64 = 0x4441_5441;

/// The cores to draw on: two are plenty for the sizes allowed, and more would only compete.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(2))
}

/// One chunk to draw: its number, its rows' features and their targets.
type Chunk<'a> = (usize, &'a mut [f64], &'a mut [f64]);

impl Synthetic {
    /// The features (row-major) and targets, drawn chunk by chunk on `workers` threads, each
    /// taking the next chunk not yet taken. Sizes were checked by [`Synthetic::generate`]; the
    /// result does not depend on `workers`.
    fn draw(&self, workers: usize) -> (Vec<f64>, Vec<f64>) {
        let d = self.true_w.len();
        let mut rows = vec![0.0; self.samples * d];
        let mut y = vec![0.0; self.samples];
        let first = self.samples.min(CHUNK_ROWS);
        let (x0, x_rest) = rows.split_at_mut(first * d);
        let (y0, y_rest) = y.split_at_mut(first);
        let later = x_rest
            .chunks_mut(LATER_CHUNK_ROWS * d)
            .zip(y_rest.chunks_mut(LATER_CHUNK_ROWS))
            .enumerate()
            .map(|(k, (x, y))| (k + 1, x, y));
        let chunks: Vec<Chunk> = std::iter::once((0, x0, y0)).chain(later).collect();
        let workers = workers.clamp(1, chunks.len());
        let queue = std::sync::Mutex::new(chunks.into_iter());
        let work = || {
            // The lock is held only to take a chunk; a worker that panicked is reported by the scope.
            while let Some((k, x, y)) = queue.lock().ok().and_then(|mut q| q.next()) {
                self.draw_chunk(k, x, y);
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..workers {
                scope.spawn(work);
            }
            work();
        });
        (rows, y)
    }

    /// Chunk `k`: its features row by row, then each row's target with its noise.
    fn draw_chunk(&self, k: usize, x: &mut [f64], y: &mut [f64]) {
        let data = derive_seed(self.seed, DATA_STREAM);
        let seed = match k {
            0 => data,
            k => derive_seed(data, k as u64),
        };
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        for v in x.iter_mut() {
            *v = StandardNormal.sample(&mut rng);
        }
        let d = self.true_w.len();
        for (t, row) in y.iter_mut().zip(x.chunks_exact(d)) {
            // x⁽ⁱ⁾w* + b*, summed left to right like the model's own prediction.
            let clean = row
                .iter()
                .zip(&self.true_w)
                .fold(0.0, |s, (x, w)| s + x * w)
                + self.true_b;
            let e: f64 = StandardNormal.sample(&mut rng);
            *t = clean + self.noise * e;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator as it was before chunks, written out plainly: one stream, all of X
    /// row-major, then each row's noise.
    fn sequential(s: &Synthetic) -> (Vec<f64>, Vec<f64>) {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(s.seed, 0x4441_5441));
        let d = s.true_w.len();
        let x: Vec<f64> = (0..s.samples * d)
            .map(|_| StandardNormal.sample(&mut rng))
            .collect();
        let mut y = Vec::new();
        for row in x.chunks(d) {
            let mut clean = 0.0;
            for (v, w) in row.iter().zip(&s.true_w) {
                clean += v * w;
            }
            let e: f64 = StandardNormal.sample(&mut rng);
            y.push(clean + s.true_b + s.noise * e);
        }
        (x, y)
    }

    fn set(samples: usize, d: usize) -> Synthetic {
        Synthetic {
            samples,
            true_w: (1..=d).map(|j| j as f64 - 2.5).collect(),
            true_b: 0.75,
            noise: 0.3,
            seed: 7,
        }
    }

    fn same_bits(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits())
    }

    #[test]
    fn a_set_of_one_chunk_is_drawn_as_before() {
        for s in [
            Synthetic::default(),
            set(1, 1),
            set(CHUNK_ROWS, 3),
            set(CHUNK_ROWS - 1, 2),
        ] {
            let (x, y) = s.draw(2);
            let (x0, y0) = sequential(&s);
            assert!(same_bits(&x, &x0), "features of {} rows", s.samples);
            assert!(same_bits(&y, &y0), "targets of {} rows", s.samples);
        }
    }

    #[test]
    fn the_lessons_set_starts_with_the_numbers_it_always_had() {
        // The d2l preset's first two rows as `gradstep data` printed them before chunks.
        let (x, y) = Synthetic::default().draw(2);
        assert_eq!(
            &x[..4],
            [
                1.312522123232456,
                0.014267513291025519,
                -1.8490713471620546,
                -1.3415955165727862
            ]
        );
        assert_eq!(&y[..2], [6.759789530255448, 5.064027907580433]);
        // y = 2x₁ − 3.4x₂ + 4.2 + ε with ε ~ N(0, 0.01²).
        assert!((y[0] - (2.0 * x[0] - 3.4 * x[1] + 4.2)).abs() < 0.05);
    }

    #[test]
    fn a_larger_set_keeps_its_first_rows_features_and_is_the_same_on_any_number_of_cores() {
        let s = set(CHUNK_ROWS + 3 * LATER_CHUNK_ROWS + 17, 3);
        let (x1, y1) = s.draw(1);
        let (x2, y2) = s.draw(2);
        let (x3, y3) = s.draw(3);
        assert!(
            same_bits(&x1, &x2) && same_bits(&y1, &y2),
            "1 and 2 workers"
        );
        assert!(
            same_bits(&x1, &x3) && same_bits(&y1, &y3),
            "1 and 3 workers"
        );
        // Chunk 0 is drawn as before: its features are the first of the old single stream.
        let (x0, _) = sequential(&s);
        let first = CHUNK_ROWS * 3;
        assert!(same_bits(&x1[..first], &x0[..first]));
        // The later chunks come from streams of their own, not a copy of the first.
        let later = LATER_CHUNK_ROWS * 3;
        assert!(!same_bits(&x1[first..first + later], &x1[..later]));
        assert!(!same_bits(
            &x1[first + later..first + 2 * later],
            &x1[first..first + later]
        ));
        // Every target still follows its own row: y = xw* + b* + noise, the noise small.
        for (row, t) in x1.chunks(3).zip(&y1) {
            let clean: f64 = row.iter().zip(&s.true_w).map(|(v, w)| v * w).sum::<f64>() + 0.75;
            assert!((t - clean).abs() < 0.3 * 7.0, "{t} against {clean}");
        }
    }
}
