//! Pictures of the run in progress (loss chart, fitted line or loss surface or parameter traces),
//! the mid-run experiments, the objective comparison and the gradient check.
//!
//! Each picture is a pure function from the session to the points and lines it draws (tested
//! without rendering), then one shared routine draws any [`plot::Plot`] in braille.

pub mod compare;
pub mod compare_view;
pub mod contour;
pub mod fit;
pub mod gradcheck;
pub mod loss_chart;
pub mod plot;
pub mod traces;
mod view;

pub use view::render;

use ratatui::layout::Rect;

use super::canvas::Canvas;
use super::glyphs::Glyphs;
use super::theme::Theme;
use crate::engine::{Params, Session, Surface};

/// The most points of the path of the parameters kept (see [`Pictures::path`]).
const MAX_PATH: usize = 2048;

/// Which screen the explainer shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Lesson,
    Pictures,
    Compare,
    /// The autograd graph and `backward()`'s walk over it.
    Graph,
}

impl View {
    pub fn next(self) -> View {
        match self {
            View::Lesson => View::Pictures,
            View::Pictures => View::Compare,
            View::Compare => View::Graph,
            View::Graph => View::Lesson,
        }
    }
}

/// What the pictures need that would cost more than a frame's worth to recompute: kept in the
/// model and brought up to date by `update`, so drawing stays proportional to the screen.
#[derive(Clone, Debug, Default)]
pub struct Pictures {
    /// The parameters before batches 0, stride, 2·stride, … up to the furthest reached so far.
    path: Vec<(usize, Params)>,
    /// How many batches apart the path's points are (1 until the run gets long).
    stride: usize,
    /// The loss surface, built the first time a picture of two features needs it.
    surface: Option<Surface>,
    /// The comparison runs, for the whole run, built when the comparison is first shown.
    compare: Option<compare::Runs>,
    /// With two features: w − lr·∇(mean loss over all the data) from the current batch's w,
    /// the full-batch step the contour picture sets beside the mini-batch one.
    full_step: Option<(f64, f64)>,
}

impl Pictures {
    /// The parameters before sampled batches (their 0-based index), from the first up to the
    /// furthest one reached.
    pub fn path(&self) -> &[(usize, Params)] {
        &self.path
    }

    pub fn surface(&self) -> Option<&Surface> {
        self.surface.as_ref()
    }

    pub fn compare(&self) -> Option<&compare::Runs> {
        self.compare.as_ref()
    }

    /// The full-batch step from the current w, once the pictures have needed it.
    pub fn full_step(&self) -> Option<(f64, f64)> {
        self.full_step
    }

    /// Brings the caches up to the session's current batch; nothing is computed for the lesson
    /// view, so stepping through the lesson costs what it did before.
    pub fn sync(&mut self, session: &Session, view: View) {
        if matches!(view, View::Lesson | View::Graph) {
            return;
        }
        self.extend_path(session);
        if view == View::Pictures && self.surface.is_none() && session.data().d() <= 2 {
            self.surface = Some(Surface::new(session.data()));
        }
        self.full_step = match (&self.surface, session.data().d()) {
            (Some(surface), 2) => {
                let b = session.batch();
                let (grad, _) = surface.gradient(b.w.as_slice(), b.b);
                let lr = b.hyper.lr;
                Some((b.w[0] - lr * grad[0], b.w[1] - lr * grad[1]))
            }
            _ => None,
        };
        let stale = self.compare.as_ref().is_none_or(|c| !c.matches(session));
        if view == View::Compare && stale {
            let init = self.path.first().map(|(_, p)| p.clone());
            self.compare = init.map(|init| compare::Runs::new(session, &init));
        }
    }

    fn extend_path(&mut self, session: &Session) {
        let now = session.batch().global;
        let stride = self.stride.max(1);
        let next = self.path.last().map_or(0, |(g, _)| g + stride);
        if next > now {
            return;
        }
        let batch = session.batch();
        if next == now {
            self.path.push((
                now,
                Params {
                    w: batch.w.clone(),
                    b: batch.b,
                },
            ));
        } else {
            // A jump (End, next epoch, opening the pictures late): the batches on the way are
            // sampled at the stride, each replayed from the engine's nearest checkpoint.
            let wanted: Vec<usize> = (next..=now).step_by(stride).collect();
            self.path.extend(session.params_at(&wanted));
        }
        // A long run keeps every other point, as often as it takes: the picture is a few
        // hundred dots wide, and memory stays bounded however long the run.
        while self.path.len() > MAX_PATH {
            self.stride = stride.max(self.stride) * 2;
            let s = self.stride;
            self.path.retain(|(g, _)| g % s == 0);
        }
    }

    /// After a change of settings the batches after `global` are recomputed, so what was known
    /// of them is stale.
    pub fn forget_after(&mut self, global: usize) {
        self.path.retain(|(g, _)| *g <= global);
        self.compare = None;
    }
}

/// The heading rule with a title, as the lesson's panels have.
pub(super) fn heading(theme: Theme, glyphs: Glyphs, canvas: &mut Canvas<'_>, title: &str) {
    let rule = glyphs.rule;
    let mut x = canvas.text(0, 0, rule, theme.frame());
    x += canvas.text(x, 0, " ", theme.plain());
    x += canvas.text(x, 0, title, theme.title());
    x += canvas.text(x, 0, " ", theme.plain());
    let fill = rule.repeat(canvas.width().saturating_sub(x));
    canvas.text(x, 0, &fill, theme.frame());
}

pub(super) fn split_rows(area: Rect, top: u16) -> (Rect, Rect) {
    let top = top.min(area.height);
    (
        Rect {
            height: top,
            ..area
        },
        Rect {
            y: area.y + top,
            height: area.height - top,
            ..area
        },
    )
}
