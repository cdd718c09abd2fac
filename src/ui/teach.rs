//! The classroom messages' part of `update` (quiz, inspect, presenter, precision, theme,
//! handout), and what the rest of the explainer asks of the classroom state. Here, not in
//! `classroom/`, because it works on the whole explainer, which `App` composes: the classroom's
//! state and logic know nothing of [`App`] (only its drawing files read it, from above).

use std::path::PathBuf;

use super::app::{App, Mode};
use super::classroom::{Explanation, Notice, Teach, handout, inspect};
use super::matrices::PLACED;
use super::progress::{Id, Progress};
use super::shown::Shown;
use super::strings::S;
use super::theme::Mark;
use crate::engine::Granularity;
use crate::number::MAX_PRECISION;
use crate::worked::{Cell, steps};

impl App {
    pub fn key_mode(&self) -> Mode {
        if self.help {
            Mode::Help
        } else if self.goto.open() {
            Mode::Prompt
        } else if self.goto.waiting() {
            Mode::Bookmark
        } else if self.classroom.inspecting {
            Mode::Inspect
        } else if self.follower && self.hiding() {
            Mode::Answering
        } else if self.follower {
            Mode::Following
        } else {
            Mode::Normal
        }
    }

    /// Which entry of a vector result the quiz asks, counted round (see `serve::quiz`).
    pub fn asked_entry(&self) -> usize {
        self.classroom.quiz.entry
    }

    pub fn quiz(&self) -> bool {
        self.classroom.quiz.on
    }

    pub fn presenting(&self) -> bool {
        self.classroom.present
    }

    pub fn theme_palette(&self) -> super::Palette {
        self.theme.palette()
    }

    pub fn precision(&self) -> usize {
        self.classroom.precision
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.classroom.notice.as_ref()
    }

    /// The inspected cell, kept inside the current batch's matrices (the last batch of an epoch
    /// may be smaller than the one the cursor was placed in).
    pub fn inspected(&self) -> Option<(Id, usize, usize)> {
        if !self.classroom.inspecting {
            return None;
        }
        let (id, r, c) = self.classroom.cursor;
        let (rows, cols) = id.shape(self.session.batch());
        Some((
            id,
            r.min(rows.saturating_sub(1)),
            c.min(cols.saturating_sub(1)),
        ))
    }

    /// Where the directory handouts are written to.
    pub fn set_handout_dir(&mut self, dir: PathBuf) {
        self.classroom.handout_dir = dir;
    }

    /// How the inspect panel draws here.
    pub(super) fn inspect_look(&self) -> super::classroom::panel::Look<'_> {
        super::classroom::panel::Look {
            theme: self.theme,
            glyphs: &self.glyphs,
            lang: self.lang,
        }
    }

    /// What inspect reads of the explainer.
    fn ask(&self) -> inspect::Ask<'_> {
        inspect::Ask {
            progress: self.progress(),
            data: self.session.data(),
            lang: self.lang,
            precision: self.precision(),
            glyphs: &self.glyphs,
            presenting: self.presenting(),
        }
    }

    pub(super) fn progress(&self) -> Progress<'_> {
        Progress {
            batch: self.session.batch(),
            step: self.session.step(),
            by_sample: self.session.granularity() == Granularity::Sample,
            tally: &self.tally,
        }
    }

    /// Whether the quiz hides the current step's result now.
    pub fn hiding(&self) -> bool {
        self.shown.hides_any()
    }

    /// The current step's worked equations, as shown (the quiz's hidden numbers as `?`).
    pub fn worked(&self) -> &[crate::worked::Equation] {
        self.shown.equations()
    }

    /// Rebuilds what the step shows from the engine's batch: the worked equations, what the
    /// quiz hides of them, and the inspected cell's explanation.
    pub(super) fn refresh(&mut self) {
        let step = self.session.step();
        let batch = self.session.batch();
        let (steps, now) = self.session.steps();
        self.tally.sync(batch, steps, now);
        let mut equations = steps::equations(step, batch, self.precision(), self.lang);
        self.classroom.quiz.hide(batch.global, &mut equations);
        self.shown = Shown::new(equations);
        self.classroom.explained = None;
        if let Some(cursor) = self.inspected() {
            let hidden = self.quiz_hidden();
            self.classroom.explained = Some(inspect::explain_linear(&self.ask(), &hidden, cursor));
        }
    }

    /// The matrix cells the quiz shows as `?`: those the step writes, unless revealed.
    pub(super) fn quiz_hidden(&self) -> inspect::Hidden {
        let mut hidden = inspect::Hidden::new();
        if !self.hiding() {
            return hidden;
        }
        let p = self.progress();
        let global = p.batch.global;
        for &id in PLACED {
            if p.label_mark(id) != Mark::Written {
                continue;
            }
            let (rows, cols) = id.shape(p.batch);
            for r in 0..rows {
                for c in 0..cols {
                    let Some(v) = p.value(id, r, c) else { continue };
                    if p.mark(id, r, c) == Mark::Written
                        && !self.classroom.quiz.revealed(global, Cell::new(id, r, c), v)
                    {
                        hidden.insert((id, r, c));
                    }
                }
            }
        }
        hidden
    }

    /// Where the inspected cell's number comes from.
    pub fn explanation(&self) -> Option<&Explanation> {
        self.classroom.explained.as_ref()
    }

    /// The classroom messages' part of `update`.
    pub(super) fn teach(&mut self, t: Teach) -> bool {
        let lang = self.lang;
        match t {
            Teach::ToggleQuiz => {
                let c = &mut self.classroom;
                c.quiz.on = !c.quiz.on;
                let text = if c.quiz.on { S::QuizOn } else { S::QuizOff };
                // A following student's quiz is the teacher's, and their Enter submits: the
                // quiz's badge says so, and the key hints stay in view.
                if !self.follower {
                    self.say(text.get(lang).to_string(), false);
                }
            }
            Teach::NextEntry => {
                let q = &mut self.classroom.quiz;
                q.entry = q.entry.wrapping_add(1);
            }
            Teach::Reveal => {
                let global = self.session.batch().global;
                self.classroom.quiz.reveal(global, self.shown.equations());
            }
            Teach::ToggleInspect if self.classroom.inspecting => self.classroom.inspecting = false,
            Teach::ToggleInspect => {
                self.classroom.cursor = inspect::start(&self.ask());
                self.classroom.inspecting = true;
            }
            Teach::LeaveInspect => self.classroom.inspecting = false,
            Teach::Move(dir) => {
                if let Some(cursor) = self.inspected() {
                    self.classroom.cursor = inspect::moved(&self.ask(), cursor, dir);
                }
            }
            Teach::Select { id, row, col } => {
                self.classroom.cursor = (id, row, col);
                self.classroom.inspecting = true;
            }
            Teach::TogglePresent => self.classroom.present = !self.classroom.present,
            Teach::MorePrecision | Teach::LessPrecision => {
                let p = self.classroom.precision;
                self.classroom.precision = if t == Teach::MorePrecision {
                    (p + 1).min(MAX_PRECISION)
                } else {
                    p.saturating_sub(1)
                };
                let text = S::Precision
                    .get(lang)
                    .replace("{p}", &self.classroom.precision.to_string());
                self.say(text, false);
            }
            Teach::CycleTheme => {
                self.theme = self.theme.with_palette(self.theme.palette().next());
                let text = S::ThemeNow
                    .get(lang)
                    .replace("{name}", self.theme.palette().name());
                self.say(text, false);
            }
            Teach::Handout => {
                let c = &self.classroom;
                let written = handout::write(
                    &self.lesson,
                    &self.session,
                    self.lang,
                    c.precision,
                    c.source.get(lang),
                    &c.handout_dir,
                );
                let (text, error) = match written {
                    Ok(path) => (
                        S::HandoutWrote
                            .get(lang)
                            .replace("{path}", &path.display().to_string()),
                        false,
                    ),
                    Err(reason) => (
                        S::HandoutFailed.get(lang).replace("{reason}", &reason),
                        true,
                    ),
                };
                self.say(text, error);
            }
        }
        true
    }

    fn say(&mut self, text: String, error: bool) {
        self.classroom.notice = Some(Notice { text, error });
    }
}
