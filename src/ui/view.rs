//! The whole screen, drawn from the model alone: derivation and narrative on top, the matrices
//! anchored above the status line so they do not jump from step to step.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::app::{App, Message};
use super::canvas::{Canvas, width};
use super::classroom::presenter;
use super::classroom::{Teach, inspect};
use super::derivation::{self, Derivation};
use super::matrices::{Hit, Look, Matrices};
use super::narrative::{self, Narrative};
use super::pictures::{self, View};
use super::strings::S;
use super::theme::Mark;
use super::{classroom, help, status, too_small};
use crate::math::Role;

const STATUS: u16 = 2;
/// The narrative's and the matrices' headings.
const RULES: u16 = 2;

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if !too_small::fits(area) {
            too_small::render(self, area, buf);
            return;
        }
        if self.view != View::Lesson {
            let body = Rect {
                height: area.height - STATUS,
                ..area
            };
            if self.view == View::Graph {
                super::graph::render(self, body, buf);
            } else {
                pictures::render(self, body, buf);
            }
            let bar = Rect {
                y: area.y + area.height - STATUS,
                height: STATUS,
                ..area
            };
            status::render(self, &self.progress(), &mut Canvas::new(buf, bar), false);
        } else if self.presenting() {
            // The stop's note and the divergence warnings above the presenter's layout.
            let (top, below) = self.presenter_area(area);
            let banner = super::banner::lines(self, usize::from(area.width));
            let mut canvas = Canvas::new(buf, top);
            for (y, (line, style)) in banner.iter().take(usize::from(top.height)).enumerate() {
                canvas.text(0, y, line, *style);
            }
            classroom::presenter::render(self, below, buf);
        } else {
            self.explainer(area, buf);
        }
        classroom::overlay::overlay(self, area, buf);
        if self.help {
            let shown = help::Screen {
                at: self.help_at,
                lang: self.lang,
                theme: self.theme,
                glyphs: self.glyphs,
                follower: self.follower,
            };
            help::render(&shown, area, buf);
        }
    }
}

/// The explainer's panels on the screen; each heading is the row above its panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExplainerRects {
    pub derivation: Rect,
    pub narrative: Rect,
    pub matrices: Rect,
    pub status: Rect,
}

/// Where the explainer's panels go.
struct Panels<'a> {
    derivation: Arc<Derivation>,
    narrative: Narrative,
    matrices: Matrices<'a>,
    rects: [Rect; 6],
}

impl App {
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
            let cursor = look.cursor.map(|c| c.0);
            look.only = Some(inspect::shown(&self.progress(), cursor, &look.sources));
            look.gap = Some(3);
        }
        look
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

    /// A click at (x, y) of a screen of `area`: the cell drawn there is inspected. The screen's
    /// layout decides which cell that is, so a click becomes a message here, at the edge.
    pub fn click(&mut self, area: Rect, x: u16, y: u16) -> bool {
        match self.cell_at(area, x, y) {
            Some(hit) => self.update(Message::Teach(Teach::Select {
                id: hit.id,
                row: hit.row,
                col: hit.col,
            })),
            None => false,
        }
    }

    /// The derivation panel laid out for `room` columns: once per step and width, since
    /// `update` forgets it (a frame only draws).
    fn derivation_at(&self, room: usize, rows: usize) -> Arc<Derivation> {
        let input = derivation::Input {
            session: &self.session,
            lesson: &self.lesson,
            shown: &self.shown,
            theme: self.theme,
            glyphs: self.glyphs,
            precision: self.precision(),
            lang: self.lang,
        };
        self.layout.get(&input, room, rows)
    }

    /// The presenter's banner rows and the area left for its layout (drawing and clicks alike).
    pub(super) fn presenter_area(&self, area: Rect) -> (Rect, Rect) {
        let banner = super::banner::lines(self, usize::from(area.width)).len();
        let rows = banner.min(usize::from(area.height / 4)) as u16;
        let below = Rect {
            y: area.y + rows,
            height: area.height - rows,
            ..area
        };
        (
            Rect {
                height: rows,
                ..area
            },
            below,
        )
    }

    /// One layout for drawing and for mapping clicks to cells, so the two cannot disagree.
    fn panels(&self, area: Rect) -> Panels<'_> {
        let room = usize::from(area.width);
        let narrative = Narrative::new(self, room);
        let matrices = Matrices::with_look(
            self.progress(),
            self.lang,
            self.theme,
            self.glyphs,
            room,
            self.look(),
        );

        // A standardized run's heading has a second line: the features' scales.
        let scales = usize::from(self.session.data().scales().is_some());
        let avail = usize::from(area.height.saturating_sub(STATUS + RULES)).saturating_sub(scales);
        // The matrices' height depends on the terminal and the batch only, never on the step.
        let mats = matrices
            .natural_height()
            .min(avail.saturating_sub(11).max(avail / 2));
        let top = avail - mats;
        // Reading on, the text takes what it needs, leaving the derivation two rows.
        let narr_h = if self.reading_on() {
            narrative.height().min(top.saturating_sub(2).max(top / 2))
        } else {
            narrative.height().min(top / 2)
        };
        let der_h = top - narr_h;
        let derivation = self.derivation_at(room, der_h);

        let mut y = area.y;
        let mut next = |h: usize| {
            let r = Rect::new(area.x, y, area.width, h as u16);
            y += h as u16;
            r
        };
        let rects = [
            next(der_h),
            next(1),
            next(narr_h),
            next(1 + scales),
            next(mats),
            next(STATUS as usize),
        ];
        Panels {
            derivation,
            narrative,
            matrices,
            rects,
        }
    }

    /// Where the explainer's panels are on a screen of `area` (None when another view, the
    /// presenter or the too-small screen is drawn): what tests cut out to look at one panel.
    pub fn explainer_rects(&self, area: Rect) -> Option<ExplainerRects> {
        if !too_small::fits(area) || self.view != View::Lesson || self.presenting() {
            return None;
        }
        let [derivation, _, narrative, _, matrices, status] = self.panels(area).rects;
        Some(ExplainerRects {
            derivation,
            narrative,
            matrices,
            status,
        })
    }

    /// The matrix panel and its place on the screen.
    pub(super) fn matrix_panel(&self, area: Rect) -> Option<(Matrices<'_>, Rect)> {
        if !too_small::fits(area) {
            return None;
        }
        let p = self.panels(area);
        Some((p.matrices, p.rects[4]))
    }

    fn explainer(&self, area: Rect, buf: &mut Buffer) {
        let p = self.panels(area);
        let [der, narr_heading, narr, mat_heading, mats, status] = p.rects;
        // Inspecting, the derivation's place explains the selected cell instead.
        match self.explanation() {
            Some(e) => {
                classroom::panel::render(self.inspect_look(), e, &mut Canvas::new(buf, der), false)
            }
            None => p.derivation.render(&mut Canvas::new(buf, der)),
        }
        narrative::heading(self, &mut Canvas::new(buf, narr_heading));
        p.narrative.render(&mut Canvas::new(buf, narr));
        self.matrices_heading(&mut Canvas::new(buf, mat_heading));
        p.matrices.render(&mut Canvas::new(buf, mats));
        let more_text = p.narrative.cut(usize::from(narr.height));
        status::render(
            self,
            &self.progress(),
            &mut Canvas::new(buf, status),
            more_text,
        );
    }
    /// The matrices' heading doubles as the legend of the highlights, which matters most
    /// without colour.
    fn matrices_heading(&self, canvas: &mut Canvas<'_>) {
        let theme = self.theme;
        let rule = self.glyphs.rule;
        let lang = self.lang;
        let (computed, read, pending) = (
            S::Computed.get(lang),
            S::ReadNow.get(lang),
            S::NotYet.get(lang),
        );
        let mut x = canvas.text(0, 0, rule, theme.frame());
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, S::Matrices.get(self.lang), theme.title());
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, &rule.repeat(2), theme.frame());
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, computed, theme.cell(Role::N, Mark::Written));
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, read, theme.cell(Role::N, Mark::Read));
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, self.glyphs.pending, theme.pending());
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, pending, theme.pending());
        x += canvas.text(x, 0, " ", theme.plain());
        // ≈ is explained where it appears, once.
        if self.shown.approx() {
            let legend = self.glyphs.text(S::ApproxLegend.get(lang));
            x += canvas.text(x, 0, &legend, theme.plain());
            x += canvas.text(x, 0, " ", theme.plain());
        }
        // What the rows count and what the columns are, in the data's own names, as room allows.
        for part in super::names::legend(self.session.data(), lang, &self.glyphs) {
            let need = width(&part) + 4;
            if x + need <= canvas.width() {
                x += canvas.text(x, 0, &rule.repeat(2), theme.frame());
                x += canvas.text(x, 0, " ", theme.plain());
                x += canvas.text(x, 0, &self.glyphs.text(&part), theme.plain());
                x += canvas.text(x, 0, " ", theme.plain());
            }
        }
        let fill = rule.repeat(canvas.width().saturating_sub(x));
        canvas.text(x, 0, &fill, theme.frame());
        self.scales_line(canvas);
    }

    /// Under the heading of a standardized run: each feature's mean and sd, as many as fit.
    fn scales_line(&self, canvas: &mut Canvas<'_>) {
        let data = self.session.data();
        let Some(parts) = super::names::scales(data, self.lang, &self.glyphs, self.precision())
        else {
            return;
        };
        let theme = self.theme;
        let hdots = self.glyphs.hdots;
        let mut x = 0;
        let n = parts.len();
        for (k, part) in parts.iter().enumerate() {
            let part = self.glyphs.text(part);
            let gap = if k == 0 { 0 } else { 2 };
            // A part that is not the last leaves room for the ellipsis after it.
            let end = x + gap + width(&part);
            let more = if k + 1 < n { 2 + width(hdots) } else { 0 };
            if end + more > canvas.width() {
                if k > 0 {
                    canvas.text(x + 2, 1, hdots, theme.frame());
                }
                return;
            }
            x += canvas.text(x, 1, &" ".repeat(gap), theme.plain());
            let style = if k == 0 { theme.title() } else { theme.plain() };
            x += canvas.text(x, 1, &part, style);
        }
    }
}
