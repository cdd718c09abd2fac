//! The whole screen, drawn from the model alone: derivation and narrative on top, the matrices
//! anchored above the status line so they do not jump from step to step.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::app::App;
use super::canvas::Canvas;
use super::derivation::Derivation;
use super::matrices::Matrices;
use super::narrative::{self, Narrative};
use super::pictures::{self, View};
use super::progress::Progress;
use super::strings::S;
use super::theme::Mark;
use super::{help, status, too_small};
use crate::engine::Granularity;
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
        let room = usize::from(area.width);
        let progress = Progress {
            batch: self.session.batch(),
            step: self.session.step(),
            by_sample: self.session.granularity() == Granularity::Sample,
        };
        if self.view != View::Lesson {
            let body = Rect {
                height: area.height - STATUS,
                ..area
            };
            pictures::render(self, body, buf);
            let bar = Rect {
                y: area.y + area.height - STATUS,
                height: STATUS,
                ..area
            };
            status::render(self, &progress, &mut Canvas::new(buf, bar));
            if self.help {
                help::render(self, area, buf);
            }
            return;
        }
        let derivation = Derivation::new(self, room);
        let narrative = Narrative::new(self, room);
        let matrices = Matrices::new(progress, self.lang, self.theme, self.glyphs, room);

        let avail = usize::from(area.height - STATUS - RULES);
        // The matrices' height depends on the terminal and the batch only, never on the step.
        let mats = matrices
            .natural_height()
            .min(avail.saturating_sub(11).max(avail / 2));
        let top = avail - mats;
        let narr_h = narrative.height().min(top / 2);
        let der_h = top - narr_h;

        let mut y = area.y;
        let mut next = |h: usize| {
            let r = Rect::new(area.x, y, area.width, h as u16);
            y += h as u16;
            r
        };
        derivation.render(&mut Canvas::new(buf, next(der_h)));
        narrative::heading(self, &mut Canvas::new(buf, next(1)));
        narrative.render(&mut Canvas::new(buf, next(narr_h)));
        self.matrices_heading(&mut Canvas::new(buf, next(1)));
        matrices.render(&mut Canvas::new(buf, next(mats)));
        status::render(
            self,
            &progress,
            &mut Canvas::new(buf, next(STATUS as usize)),
        );

        if self.help {
            help::render(self, area, buf);
        }
    }
}

impl App {
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
        let fill = rule.repeat(canvas.width().saturating_sub(x));
        canvas.text(x, 0, &fill, theme.frame());
    }
}
