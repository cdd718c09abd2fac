//! Changing the learning rate and the batch size mid-run, one rung of a ladder at a time. The
//! engine applies a change from the next batch and keeps the old values before it.

pub use crate::engine::LR_LADDER;
use crate::engine::mlp_session::MlpSession;
use crate::engine::schedule::Segment;
use crate::engine::{InvalidRun, Session};

/// A run whose learning rate and batch size can change from its next batch: the linear
/// session and the two-layer one, so both take the same ladders the same way.
pub trait Changing {
    /// The learning-rate and batch-size changes, the first being the run's start.
    fn segments(&self) -> &[Segment];
    /// The 0-based batch shown now.
    fn global(&self) -> usize;
    /// The learning rate and batch size of the batch shown now.
    fn in_force(&self) -> (f64, usize);
    fn rows(&self) -> usize;
    /// From the next batch on; whether anything changed.
    fn change_hyper(&mut self, lr: f64, batch_size: usize) -> Result<bool, InvalidRun>;
}

impl Changing for Session {
    fn segments(&self) -> &[Segment] {
        Session::segments(self)
    }
    fn global(&self) -> usize {
        self.batch().global
    }
    fn in_force(&self) -> (f64, usize) {
        let h = &self.batch().hyper;
        (h.lr, h.batch_size)
    }
    fn rows(&self) -> usize {
        self.data().n()
    }
    fn change_hyper(&mut self, lr: f64, batch_size: usize) -> Result<bool, InvalidRun> {
        Session::change_hyper(self, lr, batch_size)
    }
}

impl Changing for MlpSession {
    fn segments(&self) -> &[Segment] {
        MlpSession::segments(self)
    }
    fn global(&self) -> usize {
        MlpSession::global(self)
    }
    fn in_force(&self) -> (f64, usize) {
        let h = &self.update().hyper;
        (h.lr, h.batch_size)
    }
    fn rows(&self) -> usize {
        self.data().n()
    }
    fn change_hyper(&mut self, lr: f64, batch_size: usize) -> Result<bool, InvalidRun> {
        MlpSession::change_hyper(self, lr, batch_size)
    }
}

pub const BATCH_LADDER: [usize; 12] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000];

/// The next rung above (or below) `now`; a value off the ladder goes to its nearest rung that
/// way. None at the end of the ladder.
pub fn next_lr(now: f64, up: bool) -> Option<f64> {
    if up {
        LR_LADDER.iter().copied().find(|v| *v > now * (1.0 + 1e-9))
    } else {
        LR_LADDER
            .iter()
            .rev()
            .copied()
            .find(|v| *v < now * (1.0 - 1e-9))
    }
}

/// As [`next_lr`], for batch sizes; the whole data set is the last rung.
pub fn next_batch_size(now: usize, up: bool, rows: usize) -> Option<usize> {
    let ladder = BATCH_LADDER
        .iter()
        .copied()
        .filter(|v| *v < rows)
        .chain([rows]);
    if up {
        ladder.into_iter().find(|v| *v > now)
    } else {
        ladder
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|v| *v < now)
    }
}

/// The change waiting to take effect at the next batch, if one was made at this batch.
pub fn pending<S: Changing>(session: &S) -> Option<&Segment> {
    let next = session.global() + 1;
    session.segments().iter().skip(1).find(|s| s.start == next)
}

/// The settings the next batch will use: a pending change, or those in force now.
pub fn upcoming<S: Changing>(session: &S) -> (f64, usize) {
    match pending(session) {
        Some(s) => (s.lr, s.batch_size),
        None => session.in_force(),
    }
}

/// One rung of a ladder, up or down.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Experiment {
    LrUp,
    LrDown,
    BatchUp,
    BatchDown,
}

/// Applies an experiment key; whether anything changed. Refused, with nothing changed, when a
/// smaller batch size would make the run too long to keep its history.
pub fn apply<S: Changing>(session: &mut S, experiment: Experiment) -> Result<bool, InvalidRun> {
    let (lr, bs) = upcoming(session);
    let rows = session.rows();
    let target = match experiment {
        Experiment::LrUp => next_lr(lr, true).map(|v| (v, bs)),
        Experiment::LrDown => next_lr(lr, false).map(|v| (v, bs)),
        Experiment::BatchUp => next_batch_size(bs, true, rows).map(|v| (lr, v)),
        Experiment::BatchDown => next_batch_size(bs, false, rows).map(|v| (lr, v)),
    };
    match target {
        Some((lr, bs)) => session.change_hyper(lr, bs),
        None => Ok(false),
    }
}
