//! The lesson's three objectives on the same batches, and the two divisors of a short last
//! batch: the numbers behind the comparison screen.

use crate::engine::compare::{self, Entries, Trajectory};
use crate::engine::mlp::MlpParams;
use crate::engine::mlp_session::MlpSession;
use crate::engine::{Hyper, Params, Schedule, Session};

/// The memory the five runs of a comparison may keep: their parameters after every batch.
/// Beyond it the comparison stops, and says so: a long run (or a student of `serve` on one)
/// would otherwise hold gigabytes for a table that shows a screenful of rows.
pub const COMPARE_BYTES: usize = 16 << 20;

/// How many batches five runs may keep within [`COMPARE_BYTES`], for parameters of `entries`
/// numbers (each kept as its numbers, the loss, and a few words of allocation).
pub fn compared_batches(entries: usize) -> usize {
    let per_batch = 5 * (entries * 8 + 8 + 64);
    (COMPARE_BYTES / per_batch).max(1)
}

/// The comparison runs for the settings in force, of either model: over the whole run, or its
/// first [`compared_batches`] when it is longer.
#[derive(Clone, Debug, PartialEq)]
pub struct Runs<P = Params> {
    /// The learning rate and batch size they were run with.
    pub lr: f64,
    pub batch_size: usize,
    /// Rows in the data set.
    pub n: usize,
    /// The batches compared, when fewer than the run has.
    pub cut: Option<usize>,
    /// `sum` (divide by N), `mean`, `sum-nodiv`.
    pub objectives: [Trajectory<P>; 3],
    /// `sum` dividing by the rows in the batch, and by the nominal batch size.
    pub divisors: [Trajectory<P>; 2],
}

/// One batch of the comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// 1-based global batch.
    pub batch: usize,
    pub rows: usize,
    /// L of the batch under `sum`, `mean`, `sum-nodiv` (None once a run has stopped).
    pub losses: [Option<f64>; 3],
    /// Largest relative difference of (w, b) after this batch, `sum` against `mean`.
    pub sum_mean: Option<f64>,
    /// The same, dividing by the rows against dividing by the nominal batch size.
    pub divisors: Option<f64>,
}

/// The batches to compare for a run of `rows` rows under `hyper` from `init`, and whether that
/// cuts the run short.
fn bounded<P: Entries>(rows: usize, hyper: &Hyper, init: &P) -> (usize, Option<usize>) {
    let total = Schedule::new(rows, hyper).total_batches();
    let kept = compared_batches(init.entries().len());
    (total.min(kept), (kept < total).then_some(kept))
}

fn diff<P: Entries>(a: &Trajectory<P>, b: &Trajectory<P>, g: usize) -> Option<f64> {
    Some(compare::max_relative_difference(
        a.params.get(g)?,
        b.params.get(g)?,
    ))
}

impl Runs {
    /// `init` is the parameters before the first batch.
    pub fn new(session: &Session, init: &Params) -> Runs {
        let hyper = session.batch().hyper.clone();
        let data = session.data();
        let (batches, cut) = bounded(data.n(), &hyper, init);
        Runs {
            lr: hyper.lr,
            batch_size: hyper.batch_size,
            n: data.n(),
            cut,
            objectives: compare::objectives(data, &hyper, init, batches),
            divisors: compare::divisors(data, &hyper, init, batches),
        }
    }

    /// Whether these runs were made with the settings the session uses now.
    pub fn matches(&self, session: &Session) -> bool {
        let h = &session.batch().hyper;
        h.lr == self.lr && h.batch_size == self.batch_size
    }
}

impl Runs<MlpParams> {
    /// A two-layer run's comparison, from where its parameters start, with the learning rate
    /// and batch size of the batch shown (as the linear one has them).
    pub fn two_layer(session: &MlpSession) -> Self {
        let (data, model) = (session.data(), session.model());
        let hyper = &session.update().hyper;
        let (batches, cut) = bounded(data.n(), hyper, &model.init);
        let run = |h: &_| compare::two_layer_trajectory(data, h, model, batches);
        Runs {
            lr: hyper.lr,
            batch_size: hyper.batch_size,
            n: data.n(),
            cut,
            objectives: compare::objectives_of(hyper, run),
            divisors: compare::divisors_of(hyper, run),
        }
    }
}

impl<P: Entries> Runs<P> {
    pub fn batches_per_epoch(&self) -> usize {
        self.n.div_ceil(self.batch_size.max(1))
    }

    /// Rows in the last batch of each epoch.
    pub fn last_rows(&self) -> usize {
        self.n - self.batch_size * (self.batches_per_epoch() - 1)
    }

    pub fn rows_of(&self, g: usize) -> usize {
        let per = self.batches_per_epoch();
        if g % per == per - 1 {
            self.last_rows()
        } else {
            self.batch_size
        }
    }

    /// The first short batch (0-based), if the batch size does not divide the data.
    pub fn first_short(&self) -> Option<usize> {
        (self.last_rows() != self.batch_size).then(|| self.batches_per_epoch() - 1)
    }

    pub fn row(&self, g: usize) -> Row {
        let [sum, mean, nodiv] = &self.objectives;
        let [actual, nominal] = &self.divisors;
        Row {
            batch: g + 1,
            rows: self.rows_of(g),
            losses: [sum, mean, nodiv].map(|t| t.losses.get(g).copied()),
            sum_mean: diff(sum, mean, g),
            divisors: diff(actual, nominal, g),
        }
    }

    /// The largest `sum` against `mean` difference over batches 0..=g.
    pub fn max_sum_mean(&self, g: usize) -> f64 {
        (0..=g)
            .filter_map(|k| diff(&self.objectives[0], &self.objectives[1], k))
            .fold(0.0, f64::max)
    }

    /// The largest divisor difference over batches 0..=g.
    pub fn max_divisors(&self, g: usize) -> f64 {
        (0..=g)
            .filter_map(|k| diff(&self.divisors[0], &self.divisors[1], k))
            .fold(0.0, f64::max)
    }
}
