//! Where a two-layer run opens and what it keeps on quitting: `--at`, bookmarks and the saved
//! place `--resume` reopens, all as `run::goto`'s [`Place`] and `run::resume`'s [`Saved`], the
//! linear explainer's, with the hidden layer recorded in the run's print.

use super::{Screen, TwoLayerApp};
use crate::engine::Change;
use crate::lesson::Lang;
use crate::run::goto::{Place, Stepped};
use crate::run::live::Live;
use crate::run::resume::{Resume, Saved, VERSION};

impl TwoLayerApp {
    /// Goes to `place`, per sample or by whole matrices as it was named.
    pub(super) fn jump(&mut self, place: Place) {
        self.session.go(place);
    }

    /// Opens at `place` (`--at`, or the saved place): the run loop computes the way there in
    /// slices first, then calls [`TwoLayerApp::open`].
    pub fn open_at(&mut self, place: Place) {
        self.opening = Some(place);
    }

    /// The batch the opening place is at, while the way there is still to compute.
    pub fn opening(&self) -> Option<usize> {
        self.opening.map(|p| p.global)
    }

    /// Goes to the opening place.
    pub fn open(&mut self) {
        if let Some(place) = self.opening.take() {
            self.jump(place);
            let _ = self.sync_stop(false);
            self.rebuild();
        }
    }

    /// Stays where the run starts: the way to the opening place was abandoned (Esc).
    pub fn stay(&mut self) {
        self.opening = None;
    }

    /// Where the place is saved on quitting, and the place `--resume` found for this run.
    pub fn set_resume(&mut self, resume: Resume) {
        if let Some(saved) = &resume.saved {
            self.restore(saved);
        }
        self.resume = Some(resume);
    }

    /// What `--resume` needs to reopen here.
    pub fn saved(&self) -> Option<(std::path::PathBuf, Saved)> {
        let r = self.resume.as_ref()?;
        let here = self.opening.unwrap_or_else(|| self.session.place());
        let saved = Saved {
            version: VERSION,
            args: r.args.clone(),
            run: r.run.clone(),
            place: here,
            view: match self.graph {
                Some(_) => "graph".into(),
                None => self.screen.name().into(),
            },
            quiz: self.quiz.on,
            present: self.presenting,
            precision: self.precision,
            lang: match self.lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            }
            .into(),
            theme: self.theme.palette().name().into(),
            live: Live {
                objective: self.session.objective().name().to_string(),
                changes: Change::all_of(self.session.segments()),
                zero_grad: self.session.hyper().zero_grad,
            },
            marks: self.goto.marks,
            stop: self.plan.at.last,
        };
        Some((r.path.clone(), saved))
    }

    /// Reopens a saved place: the live changes first (they decide where batches are), then the
    /// place, the view and the display's settings.
    fn restore(&mut self, saved: &Saved) {
        if self.session.segments() != self.started.as_slice() || !saved.live.changes.is_empty() {
            // The changes were valid for this very run when saved; a failure keeps its own.
            let _ = self.session.reschedule(&saved.live.changes);
        }
        self.restore_stop(saved.stop, &saved.live.objective);
        if saved.live.zero_grad != self.session.hyper().zero_grad
            && let Ok(fresh) = self.session.with_zero_grad(saved.live.zero_grad)
        {
            self.session = fresh;
        }
        self.opening = Some(saved.place);
        self.screen = Screen::named(&saved.view);
        self.graph = (saved.view == "graph").then(Default::default);
        self.quiz.on = saved.quiz;
        self.presenting = saved.present;
        self.precision = saved.precision.min(crate::number::MAX_PRECISION);
        self.lang = if saved.lang == "zh" {
            Lang::Zh
        } else {
            Lang::En
        };
        if let Ok(p) = saved.theme.parse::<crate::ui::theme::Palette>() {
            self.theme = self.theme.with_palette(p);
        }
        self.goto.marks = saved.marks;
        self.rebuild();
    }
}
