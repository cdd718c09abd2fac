//! Changes made to the run while it is shown: learning rate and batch size from a batch on (the
//! engine's segments), and the objective, which is not a per-batch setting, so changing it
//! recomputes the run from its start with the same parameters, data and segments.

use serde::{Deserialize, Serialize};

use super::goto::{self, Place};
use crate::engine::schedule::Segment;
use crate::engine::{Change, InvalidRun, Objective, Params, Session};

/// The learning-rate and batch-size changes of a run beyond its first segment, and its
/// objective: what the resume file keeps and what a stop may change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Live {
    pub objective: String,
    /// The learning rate and batch size from a batch on, beyond the run's first segment.
    #[serde(with = "super::changes")]
    pub changes: Vec<Change>,
    /// `param.grad.zero_()` after each update (false after `z`); files written before it
    /// existed zeroed.
    #[serde(default = "zeroes")]
    pub zero_grad: bool,
}

fn zeroes() -> bool {
    true
}

pub fn objective_named(name: &str) -> Option<Objective> {
    [Objective::Sum, Objective::Mean, Objective::SumNoDiv]
        .into_iter()
        .find(|o| o.name() == name)
}

impl Live {
    pub fn of(session: &Session) -> Live {
        Live {
            objective: session.batch().hyper.objective.name().to_string(),
            changes: Change::all_of(session.segments()),
            zero_grad: session.batch().hyper.zero_grad,
        }
    }
}

/// The run recomputed from `init` with `objective` and the segments given, at its first batch:
/// the way back to a far place is the caller's to compute, in slices where it may be long.
pub fn rebuild(
    session: &Session,
    init: &Params,
    objective: Objective,
    segments: &[Segment],
) -> Result<Session, InvalidRun> {
    let zero_grad = session.batch().hyper.zero_grad;
    rebuild_segments(session, init, objective, segments, zero_grad)
}

/// The run recomputed from `init` with `objective` and a saved [`Live`]'s changes on top of the
/// run's own first segment, at its first batch.
pub fn rebuild_changed(
    session: &Session,
    init: &Params,
    objective: Objective,
    changes: &[Change],
) -> Result<Session, InvalidRun> {
    let zero_grad = session.batch().hyper.zero_grad;
    let first = session.segments().first();
    rebuild_with(session, init, objective, first, changes, zero_grad)
}

/// The same run, at its first batch, with or without `param.grad.zero_()` after each update.
pub fn with_zero_grad(
    session: &Session,
    init: &Params,
    zero_grad: bool,
) -> Result<Session, InvalidRun> {
    let objective = session.batch().hyper.objective;
    rebuild_segments(session, init, objective, session.segments(), zero_grad)
}

fn rebuild_segments(
    session: &Session,
    init: &Params,
    objective: Objective,
    segments: &[Segment],
    zero_grad: bool,
) -> Result<Session, InvalidRun> {
    let changes = Change::all_of(segments);
    let first = segments.first();
    rebuild_with(session, init, objective, first, &changes, zero_grad)
}

fn rebuild_with(
    session: &Session,
    init: &Params,
    objective: Objective,
    first: Option<&Segment>,
    changes: &[Change],
    zero_grad: bool,
) -> Result<Session, InvalidRun> {
    let mut hyper = session.batch().hyper.clone();
    hyper.zero_grad = zero_grad;
    if let Some(first) = first {
        hyper.lr = first.lr;
        hyper.batch_size = first.batch_size;
    }
    hyper.objective = objective;
    Session::new(session.data().clone(), hyper, init.clone())?.with_changes(changes)
}

/// The same run with `objective`, at the same place.
pub fn with_objective(
    session: &Session,
    init: &Params,
    objective: Objective,
) -> Result<Session, InvalidRun> {
    let mut fresh = rebuild(session, init, objective, session.segments())?;
    goto::jump(&mut fresh, Place::of(session));
    Ok(fresh)
}
