//! The lesson plan: the lesson file's `[[stop]]` entries. `Tab` and `Shift-Tab` go to the next and
//! previous stop, reaching a stop shows its note, and a stop reached going forward applies its
//! changes (learning rate, batch size, objective, view, quiz).

use super::goto::{self, Place, Stepped, Target};
use super::{experiments, live};
use crate::engine::{InvalidRun, Params, Session};
use crate::lesson::{Lang, Lesson, Stop, StopAt, StopStep};

/// Where `at` is in the run as it is scheduled now.
pub fn place<R: Stepped + ?Sized>(session: &R, at: &StopAt) -> Result<Place, String> {
    match &at.step {
        StopStep::Index(step) => Target::At {
            epoch: at.epoch,
            batch: at.batch,
            step: *step,
        }
        .resolve(session)
        .map_err(|e| e.to_string()),
        StopStep::Kind(kind) => goto::first_of_kind(session, at.epoch, at.batch, kind),
    }
}

/// Which stop the class is at, and the last one reached.
#[derive(Clone, Debug, Default)]
pub struct Stops {
    /// The stop the current place is (0-based), while it is.
    pub here: Option<usize>,
    /// The last stop reached, kept after moving on.
    pub last: Option<usize>,
}

fn order(p: &Place) -> (usize, usize) {
    (p.global, p.step)
}

impl Stops {
    /// The next stop after the current place (`forward`) or the previous one before it, with its
    /// place; stops that cannot be placed in this run (a batch it does not have) are passed over.
    pub fn neighbour<R: Stepped + ?Sized>(
        &self,
        stops: &[Stop],
        session: &R,
        forward: bool,
    ) -> Option<(usize, Place)> {
        let now = order(&session.place());
        let placed = stops
            .iter()
            .enumerate()
            .filter_map(|(k, s)| place(session, &s.at).ok().map(|p| (k, p)));
        if forward {
            placed
                .filter(|(_, p)| order(p) > now)
                .min_by_key(|(k, p)| (order(p), *k))
        } else {
            placed
                .filter(|(_, p)| order(p) < now)
                .max_by_key(|(k, p)| (order(p), *k))
        }
    }

    /// Notes which stop the current place is; returns it when it was just reached.
    pub fn sync<R: Stepped + ?Sized>(&mut self, stops: &[Stop], session: &R) -> Option<usize> {
        let now = session.place();
        let was = self.here;
        self.here = stops
            .iter()
            .position(|s| place(session, &s.at).is_ok_and(|p| order(&p) == order(&now)));
        if self.here.is_some() {
            self.last = self.here;
        }
        self.here.filter(|_| self.here != was)
    }
}

/// A stop's changes to the run itself: the objective (the whole run recomputed with it), then
/// the learning rate and batch size from the next batch. Whether the run changed; an error when
/// the stop's batch size would make the run too long to step through (its objective may have
/// applied; its lr and batch size did not).
pub fn change_run(session: &mut Session, init: &Params, stop: &Stop) -> Result<bool, InvalidRun> {
    let mut changed = false;
    if let Some(objective) = stop.objective
        && session.batch().hyper.objective != objective
        && let Ok(s) = live::with_objective(session, init, objective)
    {
        *session = s;
        changed = true;
    }
    if stop.lr.is_some() || stop.batch_size.is_some() {
        let (lr, bs) = experiments::upcoming(session);
        let lr = stop.lr.unwrap_or(lr);
        let bs = stop.batch_size.unwrap_or(bs);
        changed |= session.change_hyper(lr, bs)?;
    }
    Ok(changed)
}

/// The run at the lesson plan's stop `k` (1-based), each stop before it applied in turn as a
/// class going through them would; with the stop's note in `lang`.
pub fn session_at(
    mut session: Session,
    init: &Params,
    lesson: &Lesson,
    k: usize,
    lang: Lang,
) -> Result<(Session, String), String> {
    let stops = lesson.stops();
    if stops.is_empty() {
        return Err(match lesson.stops_for() {
            Some(preset) => format!("the lesson's stops are planned for --preset {preset} only"),
            None => "the lesson has no stops".into(),
        });
    }
    if k == 0 || k > stops.len() {
        return Err(format!("the lesson has {} stops", stops.len()));
    }
    for stop in &stops[..k] {
        let at = place(&session, &stop.at).map_err(|e| format!("stop at {}: {e}", stop.at))?;
        goto::jump(&mut session, at);
        change_run(&mut session, init, stop).map_err(|e| format!("stop at {}: {e}", stop.at))?;
    }
    Ok((session, stops[k - 1].note.get(lang).to_string()))
}
