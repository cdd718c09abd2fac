//! The classroom modes on top of the explainer: predict-then-reveal quizzes, inspecting where a
//! number comes from, a presenter layout, themes, display precision and handouts. Their state
//! lives in [`Classroom`], their messages are [`Teach`], and `App::teach` is their update.

mod handout;
pub(super) mod inspect;
pub(super) mod presenter;
mod quiz;

use std::path::PathBuf;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::UiOptions;
use super::app::App;
use super::canvas::{Canvas, width};
use super::keys::Mode;
use super::matrices::{GROUPS, Hit, Look};
use super::progress::{Id, Progress};
use super::shown::Shown;
use super::strings::S;
use super::theme::Mark;
use crate::engine::Granularity;
use crate::lesson::Text;
use crate::worked::{Cell, steps};
use quiz::Quiz;

pub use inspect::Explanation;

use crate::number::{DEFAULT_PRECISION, MAX_PRECISION};

/// What the classroom keys ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Teach {
    ToggleQuiz,
    Reveal,
    ToggleInspect,
    LeaveInspect,
    Move(Dir),
    /// Inspect this cell.
    Select {
        id: Id,
        row: usize,
        col: usize,
    },
    /// A mouse click at (x, y) of a screen `width` × `height`.
    Click {
        x: u16,
        y: u16,
        width: u16,
        height: u16,
    },
    TogglePresent,
    MorePrecision,
    LessPrecision,
    CycleTheme,
    Handout,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
    Up,
    Down,
}

/// A line shown until the next key: what a key did, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug)]
pub struct Classroom {
    pub quiz: Quiz,
    pub present: bool,
    pub precision: usize,
    pub inspecting: bool,
    cursor: (Id, usize, usize),
    pub handout_dir: PathBuf,
    /// Where the data came from, for the handout.
    source: Text,
    pub notice: Option<Notice>,
    /// The inspected cell's explanation, rebuilt by `update`.
    explained: Option<Explanation>,
}

impl Classroom {
    pub fn new(opts: &UiOptions) -> Classroom {
        Classroom {
            quiz: Quiz::new(opts.quiz),
            present: opts.present,
            precision: opts
                .precision
                .map_or(DEFAULT_PRECISION, |p| usize::from(p).min(MAX_PRECISION)),
            inspecting: false,
            cursor: (Id::X, 0, 0),
            handout_dir: opts.handout_dir.clone(),
            source: opts.source.clone(),
            notice: None,
            explained: None,
        }
    }
}

impl App {
    pub fn key_mode(&self) -> Mode {
        if self.goto.open() {
            Mode::Prompt
        } else if self.goto.waiting() {
            Mode::Bookmark
        } else if self.classroom.inspecting {
            Mode::Inspect
        } else {
            Mode::Normal
        }
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

    pub(super) fn progress(&self) -> Progress<'_> {
        Progress {
            batch: self.session.batch(),
            step: self.session.step(),
            by_sample: self.session.granularity() == Granularity::Sample,
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
        let mut equations = steps::equations(step, batch, self.precision(), self.lang);
        self.classroom.quiz.hide(batch.global, &mut equations);
        self.shown = Shown::new(equations);
        self.classroom.explained = None;
        if let Some(cursor) = self.inspected() {
            let hidden = self.quiz_hidden();
            self.classroom.explained = Some(inspect::explain(self, &hidden, cursor));
        }
    }

    /// The matrix cells the quiz shows as `?`: those the step writes, unless revealed.
    fn quiz_hidden(&self) -> inspect::Hidden {
        let mut hidden = inspect::Hidden::new();
        if !self.hiding() {
            return hidden;
        }
        let p = self.progress();
        let global = p.batch.global;
        for id in GROUPS.iter().flat_map(|g| g.iter().copied()) {
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

    /// How the matrix panel looks under the classroom modes.
    pub(super) fn look(&self) -> Look {
        let mut look = Look {
            precision: self.precision(),
            hidden: self.quiz_hidden(),
            ..Look::default()
        };
        if let Some(cursor) = self.inspected() {
            look.cursor = Some(cursor);
            look.sources = self
                .explanation()
                .map(|e| e.sources.clone())
                .unwrap_or_default();
        }
        if self.presenting() {
            look.only = Some(presenter::shown(self, &look));
            look.gap = Some(3);
        }
        look
    }

    /// Where the inspected cell's number comes from.
    pub fn explanation(&self) -> Option<&Explanation> {
        self.classroom.explained.as_ref()
    }

    /// Every matrix cell on screen, in screen coordinates, in whichever layout is on screen.
    pub fn cells_on_screen(&self, area: Rect) -> Vec<Hit> {
        let panel = if self.presenting() {
            presenter::matrix_panel(self, self.presenter_area(area).1)
        } else {
            self.matrix_panel(area)
        };
        let Some((matrices, rect)) = panel else {
            return Vec::new();
        };
        let (left, top) = (usize::from(rect.x), usize::from(rect.y));
        let right = usize::from(rect.right());
        matrices
            .hits(usize::from(rect.height))
            .into_iter()
            .map(|h| Hit {
                x: h.x + left,
                y: h.y + top,
                // A cell cut by the panel's edge is only clickable where it is drawn.
                width: h.width.min(right.saturating_sub(h.x + left)),
                ..h
            })
            .filter(|h| h.width > 0)
            .collect()
    }

    /// The matrix cell at a screen position, in whichever layout is on screen.
    pub fn cell_at(&self, area: Rect, x: u16, y: u16) -> Option<Hit> {
        let (x, y) = (usize::from(x), usize::from(y));
        self.cells_on_screen(area)
            .into_iter()
            .find(|c| c.y == y && (c.x..c.x + c.width).contains(&x))
    }

    /// The classroom messages' part of `update`.
    pub(super) fn teach(&mut self, t: Teach) -> bool {
        let lang = self.lang;
        match t {
            Teach::ToggleQuiz => {
                let c = &mut self.classroom;
                c.quiz.on = !c.quiz.on;
                let text = if c.quiz.on { S::QuizOn } else { S::QuizOff };
                self.say(text.get(lang).to_string(), false);
            }
            Teach::Reveal => {
                let global = self.session.batch().global;
                self.classroom.quiz.reveal(global, self.shown.equations());
            }
            Teach::ToggleInspect if self.classroom.inspecting => self.classroom.inspecting = false,
            Teach::ToggleInspect => {
                self.classroom.cursor = inspect::start(self);
                self.classroom.inspecting = true;
            }
            Teach::LeaveInspect => self.classroom.inspecting = false,
            Teach::Move(dir) => {
                if let Some(cursor) = self.inspected() {
                    self.classroom.cursor = inspect::moved(self, cursor, dir);
                }
            }
            Teach::Select { id, row, col } => {
                self.classroom.cursor = (id, row, col);
                self.classroom.inspecting = true;
            }
            Teach::Click {
                x,
                y,
                width,
                height,
            } => {
                let area = Rect::new(0, 0, width, height);
                let Some(hit) = self.cell_at(area, x, y) else {
                    return false;
                };
                return self.teach(Teach::Select {
                    id: hit.id,
                    row: hit.row,
                    col: hit.col,
                });
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
                let (text, error) = match handout::write(self) {
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

/// Drawn over the finished screen: the transient notice in place of the key hints, and the
/// badge of the mode that changes what keys or cells mean.
pub(super) fn overlay(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let bottom = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let mut canvas = Canvas::new(buf, bottom);
    let badge = if app.classroom.inspecting {
        Some(S::InspectBadge)
    } else if app.hiding() {
        Some(S::QuizBadge)
    } else {
        None
    };
    let badge = badge.map(|b| format!(" {} ", b.get(app.lang)));
    let badge_w = badge.as_deref().map_or(0, width);
    if let Some(notice) = app.notice() {
        canvas.text(0, 0, &" ".repeat(canvas.width()), theme.plain());
        let style = if notice.error {
            theme.warning()
        } else {
            theme.title()
        };
        let room = canvas.width().saturating_sub(badge_w + 1);
        canvas.text(0, 0, &fit(&notice.text, room), style);
    }
    if let Some(badge) = badge {
        let x = canvas.width().saturating_sub(badge_w);
        // A key hint the badge would cut in half goes whole; hints are two spaces apart.
        let mut start = x;
        while start > 1 && !(canvas.is_blank(start - 1, 0) && canvas.is_blank(start - 2, 0)) {
            start -= 1;
        }
        canvas.text(start, 0, &" ".repeat(x - start), theme.plain());
        canvas.text(x, 0, &badge, theme.badge());
    }
}

/// The end of a long text is what matters (a file name), so it is the start that gives way.
fn fit(text: &str, room: usize) -> String {
    if width(text) <= room {
        return text.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    // Three dots, not U+2026, which is ambiguous-width.
    let mut used = 3;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.extend(['.', '.', '.']);
    out.into_iter().rev().collect()
}
