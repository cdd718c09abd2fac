//! What `gradstep serve` needs of the two-layer explainer: its place as a small value (the quiz
//! with it), put on a student's own explainer, and the teacher's run taken whole (its
//! checkpoints are shared).

use super::{Screen, TwoLayerApp};
use crate::engine::Granularity;
use crate::engine::mlp_session::{MlpSession, MlpStep};
use crate::lesson::Lang;

/// Where a two-layer explainer is and how it shows it: what a follower takes from the teacher.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TwoLayerPlace {
    /// 0-based batch over the whole run, and the step within it.
    pub global: usize,
    pub step: MlpStep,
    pub granularity: Granularity,
    /// The steps, the pictures or the objectives compared (`v`).
    pub screen: Screen,
    /// The autograd graph is open over the steps (`G`, or `v` past the objectives compared).
    pub graph: bool,
    pub precision: usize,
    /// The quiz is on; it hides a result of this step now; the entry it asks (`e`).
    pub quiz: bool,
    pub hiding: bool,
    pub entry: usize,
}

impl TwoLayerApp {
    pub fn place(&self) -> TwoLayerPlace {
        TwoLayerPlace {
            global: self.session.global(),
            step: self.session.step(),
            granularity: self.session.granularity(),
            screen: self.screen,
            graph: self.graph.is_some(),
            precision: self.precision,
            quiz: self.quiz.on,
            hiding: self.hiding(),
            entry: self.quiz.entry,
        }
    }

    /// Puts this explainer at `place`; a batch beyond what it has explored is computed here.
    pub fn show_at(&mut self, place: &TwoLayerPlace) {
        let s = &mut self.session;
        if s.granularity() != place.granularity {
            s.toggle_granularity();
        }
        if s.global() != place.global {
            s.go_to_batch(place.global);
        }
        s.go_to_step(place.step);
        self.screen = place.screen;
        if place.graph != self.graph.is_some() {
            self.graph = place.graph.then(Default::default);
        }
        self.precision = place.precision;
        self.playing = false;
        self.goto.close();
        self.quiz.on = place.quiz;
        self.quiz.entry = place.entry;
        // The stop's note shows where the teacher is; its changes came with the teacher's run.
        let _ = self.sync_stop(false);
        self.rebuild();
        // What the teacher revealed shows here too (what this explainer revealed before, the
        // teacher had revealed then).
        if place.quiz && !place.hiding && self.hiding() {
            self.quiz.reveal(self.session.global(), &self.shown);
            self.rebuild();
        }
    }

    /// Takes `run` as this explainer's run, where it is (see [`MlpSession::shares_history_with`]).
    pub fn take_run(&mut self, run: &MlpSession) {
        self.session = run.clone();
        self.rebuild();
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The host's badge, as set.
    pub fn badge(&self) -> Option<&str> {
        self.badge.as_deref()
    }

    pub fn help_open(&self) -> bool {
        self.help.is_some()
    }
}
