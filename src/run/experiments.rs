//! Changing the learning rate and the batch size mid-run, one rung of a ladder at a time. The
//! engine applies a change from the next batch and keeps the old values before it.

pub use crate::engine::LR_LADDER;
use crate::engine::schedule::Segment;
use crate::engine::{InvalidRun, Session};

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
pub fn pending(session: &Session) -> Option<&Segment> {
    let next = session.batch().global + 1;
    session.segments().iter().skip(1).find(|s| s.start == next)
}

/// The settings the next batch will use: a pending change, or those in force now.
pub fn upcoming(session: &Session) -> (f64, usize) {
    match pending(session) {
        Some(s) => (s.lr, s.batch_size),
        None => {
            let h = &session.batch().hyper;
            (h.lr, h.batch_size)
        }
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
pub fn apply(session: &mut Session, experiment: Experiment) -> Result<bool, InvalidRun> {
    let (lr, bs) = upcoming(session);
    let rows = session.data().n();
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
