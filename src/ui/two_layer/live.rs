//! Changing a two-layer run while it is shown: the learning rate and batch size from the next
//! batch (`]` `[` `}` `{`, the linear explainer's ladders from `run::experiments`), and `r`,
//! which undoes them and starts over.

use super::{TwoLayerApp, words};
use crate::run::experiments::{self, Experiment};
use crate::run::goto::Stepped;
use crate::ui::app::Message;
use crate::ui::strings::S;

impl TwoLayerApp {
    /// One rung of the lr or batch-size ladder, from the next batch; the notice says what the
    /// next batch will take, or that a batch size that small makes the run too long.
    pub(super) fn experiment(&mut self, message: Message) {
        let experiment = match message {
            Message::LrUp => Experiment::LrUp,
            Message::LrDown => Experiment::LrDown,
            Message::BatchUp => Experiment::BatchUp,
            _ => Experiment::BatchDown,
        };
        let w = words::words();
        self.notice = Some(match experiments::apply(&mut self.session, experiment) {
            Ok(_) => {
                let (lr, batch_size) = experiments::upcoming(&self.session);
                let next = self.session.global() + 2;
                if next > self.session.total_batches() {
                    w.word("no_next_batch", self.lang, &[])
                } else {
                    w.word(
                        "from_next",
                        self.lang,
                        &[
                            ("batch", next.to_string()),
                            ("lr", lr.to_string()),
                            ("batch_size", batch_size.to_string()),
                        ],
                    )
                }
            }
            Err(_) => w.word("too_long", self.lang, &[]),
        });
    }

    /// `z`: the run without the lesson's `param.grad.zero_()`, or with it again, recomputed from
    /// its first batch to where it is (the linear explainer's experiment, every parameter's
    /// `.grad` adding up); refused, with nothing changed, when keeping `.grad` at each
    /// checkpoint would make the run too long to step through. A short way back is computed at
    /// once; a long one is the run loop's (or serve's) to compute in slices, as the linear
    /// explainer's `z`: Esc then stays at the new run's start.
    pub(super) fn toggle_keep_grad(&mut self) {
        let zero_grad = !self.session.hyper().zero_grad;
        // Where the run was, or was going back to when `z` comes before the way back is done.
        let here = self.opening.unwrap_or_else(|| self.session.place());
        match self.session.with_zero_grad(zero_grad) {
            Ok(fresh) => {
                self.session = fresh;
                let said = if zero_grad {
                    S::ZeroGradBack
                } else {
                    S::KeepGradOn
                };
                let said = said.get(self.lang).to_string();
                if self.near(here.global) {
                    self.session.go(here);
                    self.notice = Some(said);
                    (self.opening, self.said) = (None, None);
                } else {
                    self.opening = Some(here);
                    self.said = Some(said);
                }
            }
            Err(_) => self.notice = Some(words::words().word("keep_too_long", self.lang, &[])),
        }
    }

    /// Back to the run as it was started: its first batch, with the command line's settings
    /// (the live changes and a stop's network undone), as the linear explainer's `r`.
    pub(super) fn restart(&mut self) {
        self.playing = false;
        self.first_network();
        if self.session.hyper().zero_grad != self.started_zero_grad
            && let Ok(fresh) = self.session.with_zero_grad(self.started_zero_grad)
        {
            self.session = fresh;
        }
        if self.session.segments() != self.started.as_slice() {
            let changes = crate::engine::Change::all_of(&self.started);
            // The started schedule was valid when the run began; it cannot fail now.
            let _ = self.session.reschedule(&changes);
        }
        self.session.go_to_batch(0);
    }
}
