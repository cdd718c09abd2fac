//! The objectives compared (`v` after the pictures): the linear explainer's comparison screen,
//! drawn from the same scene over the two-layer runs, with this explainer's notice, stop note
//! and keys below it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::TwoLayerApp;
use super::words::words;
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::glyphs::Glyphs;
use crate::ui::pictures::compare_view::{self, Naming, Scene};

impl TwoLayerApp {
    /// Under the header row: the comparison, then the notice, the stop's note and the keys.
    pub(super) fn compared(&self, area: Rect, buf: &mut Buffer) {
        let (theme, cols) = (self.theme, usize::from(area.width));
        let (glyphs, w) = (Glyphs::new(self.ambiguous_wide), words());
        let mut below: Vec<(String, ratatui::style::Style)> = Vec::new();
        for line in self.notice.iter().flat_map(|n| wrap(n, cols)) {
            below.push((line, theme.warning()));
        }
        for line in self.stop_line().map_or_else(Vec::new, |l| wrap(&l, cols)) {
            below.push((line, theme.badge()));
        }
        let hints = self.hints(cols.saturating_sub(self.badge_room()));
        let height = usize::from(area.height);
        // The table keeps at least half the screen; the notes give way first.
        below.truncate(height / 4);
        below.push((hints, theme.frame()));
        let under = below.len();
        if let Some((_, _, runs)) = &self.compare {
            let scene = Scene {
                theme,
                glyphs,
                lang: self.lang,
                runs,
                now: self.session.global(),
                naming: Naming {
                    start: w.word("compare_start", self.lang, &[]),
                    rel_diff: w.word("compare_rel_diff", self.lang, &[]),
                    same: w.word("compare_same", self.lang, &[]),
                    divisors_differ: w.word("compare_divisors_differ", self.lang, &[]),
                },
            };
            let room = Rect {
                y: area.y + 1,
                height: area.height.saturating_sub(1 + under as u16),
                ..area
            };
            compare_view::draw(&scene, room, buf);
        }
        let mut c = Canvas::new(buf, area);
        let top = height.saturating_sub(under);
        for (k, (line, style)) in below.iter().enumerate() {
            c.text(0, top + k, line, *style);
        }
        self.draw_badge(&mut c, height - 1);
    }
}
