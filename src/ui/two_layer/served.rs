//! What `gradstep serve` needs of the two-layer explainer: its place as a small value, put on a
//! student's own explainer, and the teacher's run taken whole (its checkpoints are shared).

use super::TwoLayerApp;
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
    /// The fit picture (`v`) is shown.
    pub picture: bool,
    pub precision: usize,
}

impl TwoLayerApp {
    pub fn place(&self) -> TwoLayerPlace {
        TwoLayerPlace {
            global: self.session.global(),
            step: self.session.step(),
            granularity: self.session.granularity(),
            picture: self.showing_picture,
            precision: self.precision,
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
        self.showing_picture = place.picture;
        self.precision = place.precision;
        self.playing = false;
        self.typing = None;
        self.waiting = None;
        // The stop's note shows where the teacher is; its changes came with the teacher's run.
        let _ = self.sync_stop(false);
        self.rebuild();
    }

    /// Takes `run` as this explainer's run, where it is (see [`MlpSession::shares_history_with`]).
    pub fn take_run(&mut self, run: &MlpSession) {
        self.session = run.clone();
        self.rebuild();
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn help_open(&self) -> bool {
        self.help.is_some()
    }
}
