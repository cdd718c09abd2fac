//! Follow mode: where the teacher is, as a small value every student's explainer can be put at.
//! The engine is deterministic, so a place (the run's setting changes, the batch, the step, the
//! view and the quiz) is all a student needs; the teacher's explainer is never copied.

use crate::engine::schedule::Segment;
use crate::engine::{Change, Granularity, Hyper, InvalidRun, Objective, Params, Session};
use crate::run::goto;
use crate::ui::{App, Message, Teach, View};

/// What a following student's explainer shows the same as the teacher's.
/// The lead a class follows; where in the run it is, is a [`goto::Place`] ([`Lead::at`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    /// The learning rates and batch sizes of the run, as the teacher changed them live.
    pub segments: Vec<Segment>,
    /// The objective in force (a stop of the lesson plan may change it).
    pub objective: Objective,
    /// Whether `.grad` is zeroed after each update (the teacher's `z` forgets it).
    pub zero_grad: bool,
    /// 0-based batch over the whole run, and the step within it.
    pub global: usize,
    pub step: usize,
    pub granularity: Granularity,
    pub view: View,
    pub quiz: bool,
    /// The quiz hides the current step's result.
    pub hiding: bool,
    /// Decimals the teacher's screen shows: a handout fetched over SSH is at these.
    pub precision: usize,
    /// Which entry of a vector the quiz asks (the teacher's `e`), counted round.
    pub entry: usize,
}

impl Lead {
    /// Whether `session` is the run this place is in: the same live changes, objective and
    /// zeroing of `.grad` (its batches are then the teacher's).
    pub fn is_run_of(&self, session: &Session) -> bool {
        let hyper = &session.batch().hyper;
        session.segments() == self.segments.as_slice()
            && hyper.objective == self.objective
            && hyper.zero_grad == self.zero_grad
    }

    /// The place in the run the teacher is at.
    pub fn at(&self) -> goto::Place {
        goto::Place {
            global: self.global,
            step: self.step,
            by_sample: self.granularity == Granularity::Sample,
        }
    }

    pub fn of(app: &App) -> Lead {
        let s = app.session();
        Lead {
            segments: s.segments().to_vec(),
            objective: s.batch().hyper.objective,
            zero_grad: s.batch().hyper.zero_grad,
            global: s.batch().global,
            step: s.steps().1,
            granularity: s.granularity(),
            view: app.view(),
            quiz: app.quiz(),
            hiding: app.hiding(),
            precision: app.precision(),
            entry: app.asked_entry(),
        }
    }
}

/// The teacher's run: `pristine` (never moved from its first batch, so that batch's parameters
/// are the start) under the teacher's objective and live changes.
pub fn rebuild(pristine: &Session, place: &Lead) -> Result<Session, InvalidRun> {
    let first = pristine.batch();
    let init = Params {
        w: first.w.clone(),
        b: first.b,
    };
    let hyper = Hyper {
        objective: place.objective,
        zero_grad: place.zero_grad,
        ..first.hyper.clone()
    };
    Session::new(pristine.data().clone(), hyper, init)?
        .with_changes(&Change::all_of(&place.segments))
}

/// Gives `app` the teacher's run when the teacher changed a setting live (cheap: nothing is
/// computed beyond the first batch). `pristine` is the run before any change.
pub fn take_run(app: &mut App, place: &Lead, pristine: &Session) {
    let s = app.session();
    if !place.is_run_of(s)
        && let Ok(rebuilt) = rebuild(pristine, place)
    {
        let granularity = app.session().granularity();
        app.with_session(|s| {
            *s = rebuilt;
            s.set_granularity(granularity);
        });
    }
}

/// Puts `app` at `place` (see [`take_run`]).
pub fn follow(app: &mut App, place: &Lead, pristine: &Session) {
    take_run(app, place, pristine);
    app.show_at(place.at(), place.view);
    if app.quiz() != place.quiz {
        app.update(Message::Teach(Teach::ToggleQuiz));
    }
    if place.quiz && !place.hiding && app.hiding() {
        app.update(Message::Teach(Teach::Reveal));
    }
}

/// Whether two sessions are the same run (see [`Lead::is_run_of`]), wherever each one is.
pub fn same_run(a: &Session, b: &Session) -> bool {
    let (x, y) = (&a.batch().hyper, &b.batch().hyper);
    a.segments() == b.segments() && x.objective == y.objective && x.zero_grad == y.zero_grad
}
