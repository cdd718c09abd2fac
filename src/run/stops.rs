//! The lesson plan: the lesson file's `[[stop]]` entries. `Tab` and `Shift-Tab` go to the next and
//! previous stop, reaching a stop shows its note, and a stop reached going forward applies its
//! changes (learning rate, batch size, objective, view, quiz).

use super::experiments::{self, Changing};
use super::goto::{self, Place, Stepped, Target};
use super::live;
use crate::engine::mlp_session::MlpSession;
use crate::engine::{InvalidRun, Params, Session, Starts, TwoLayer};
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
    Ok(change_hyper(session, stop)? || changed)
}

/// A stop's learning rate and batch size, from the next batch.
fn change_hyper<S: Changing>(session: &mut S, stop: &Stop) -> Result<bool, InvalidRun> {
    if stop.lr.is_none() && stop.batch_size.is_none() {
        return Ok(false);
    }
    let (lr, bs) = experiments::upcoming(session);
    session.change_hyper(stop.lr.unwrap_or(lr), stop.batch_size.unwrap_or(bs))
}

/// The network of a two-layer run at stop `k` (0-based): the one it started with, changed by
/// every stop of the plan up to `k` that sets `hidden` or `activation`. A stop's network holds
/// from that stop on, so going back before it gives the earlier network again.
pub fn network_at(stops: &[Stop], k: usize, first: &TwoLayer, starts: &Starts) -> TwoLayer {
    let mut hidden = first.init.hidden();
    let mut activation = first.activation;
    for stop in stops.iter().take(k.saturating_add(1)) {
        hidden = stop.hidden.unwrap_or(hidden);
        activation = stop.activation.unwrap_or(activation);
    }
    TwoLayer {
        activation,
        init: if hidden == first.init.hidden() {
            first.init.clone()
        } else {
            starts.params(hidden)
        },
    }
}

/// A stop's changes to a two-layer run: its network (see [`network_at`]) and objective, the
/// whole run recomputed with them and back at the same place, then the learning rate and batch
/// size from the next batch, as [`change_run`]. Whether the run changed.
pub fn change_two_layer(
    session: &mut MlpSession,
    network: TwoLayer,
    stop: &Stop,
) -> Result<bool, InvalidRun> {
    let objective = stop.objective.unwrap_or(session.objective());
    let mut changed = false;
    if network != *session.model() || objective != session.objective() {
        let mut fresh = session.remodel(network, objective)?;
        fresh.go(session.place());
        *session = fresh;
        changed = true;
    }
    Ok(change_hyper(session, stop)? || changed)
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
    let note = walk(&mut session, lesson, k, lang, |s, _, stop| {
        change_run(s, init, stop)
    })?;
    Ok((session, note))
}

/// [`session_at`] for a two-layer run, whose stops may also set the network.
pub fn two_layer_at(
    mut session: MlpSession,
    starts: &Starts,
    lesson: &Lesson,
    k: usize,
    lang: Lang,
) -> Result<(MlpSession, String), String> {
    let first = session.model().clone();
    let stops = lesson.stops();
    let note = walk(&mut session, lesson, k, lang, |s, j, stop| {
        change_two_layer(s, network_at(stops, j, &first, starts), stop)
    })?;
    Ok((session, note))
}

/// Goes to each stop up to `k` (1-based) in turn and applies it; the stop's note.
fn walk<R: Stepped>(
    session: &mut R,
    lesson: &Lesson,
    k: usize,
    lang: Lang,
    mut apply: impl FnMut(&mut R, usize, &Stop) -> Result<bool, InvalidRun>,
) -> Result<String, String> {
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
    for (j, stop) in stops[..k].iter().enumerate() {
        let at = place(session, &stop.at).map_err(|e| format!("stop at {}: {e}", stop.at))?;
        session.go(at);
        apply(session, j, stop).map_err(|e| format!("stop at {}: {e}", stop.at))?;
    }
    Ok(stops[k - 1].note.get(lang).to_string())
}
