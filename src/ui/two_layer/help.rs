//! The two-layer explainer's help (`?`): the key table's keys with what they do, every one of
//! which acts on two layers. One column, scrolled by the help's own keys; the linear help's plan
//! and symbol pages are not repeated.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

use super::TwoLayerApp;
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::glyphs::Glyphs;
use crate::ui::keys::{KEYS, Key};
use crate::ui::strings::S;

/// One entry: keys (none for a heading) and its text.
type Row = (Option<String>, String);

impl TwoLayerApp {
    /// The help's entries, from the key table.
    pub fn help_rows(&self) -> Vec<Row> {
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let keys = |b: &crate::ui::keys::Binding| {
            let k: Vec<String> = b.keys.iter().map(|k| k.label(&glyphs)).collect();
            Some(k.join(" "))
        };
        let lang = self.lang;
        KEYS.iter()
            .map(|b| (keys(b), b.help.get(lang).to_string()))
            .collect()
    }

    pub(super) fn render_help(&self, scroll: usize, area: Rect, buf: &mut Buffer) {
        Clear.render(area, buf);
        let theme = self.theme;
        let mut c = Canvas::new(buf, area);
        // The title above, and below the way to move and to close, as the linear help's frame has.
        let (cols, room) = (c.width(), c.height().saturating_sub(2));
        c.text(0, 0, S::Help.get(self.lang), theme.title());
        let rows = self.help_rows();
        let key_w = rows
            .iter()
            .filter_map(|(k, _)| k.as_deref().map(crate::ui::canvas::width))
            .max()
            .unwrap_or(0);
        let mut lines = Vec::new();
        for (k, text) in &rows {
            let (x, room_w) = match k {
                Some(_) => (key_w + 2, cols.saturating_sub(key_w + 2).max(8)),
                None => (0, cols.max(8)),
            };
            for (i, l) in wrap(text, room_w).into_iter().enumerate() {
                lines.push(((i == 0).then(|| k.clone()).flatten(), x, l, k.is_none()));
            }
        }
        let scroll = scroll.min(lines.len().saturating_sub(room));
        for (y, (k, x, l, heading)) in lines.iter().skip(scroll).take(room).enumerate() {
            if let Some(k) = k {
                c.text(0, y + 1, k, theme.key());
            }
            let style = if *heading {
                theme.title()
            } else {
                theme.plain()
            };
            c.text(*x, y + 1, l, style);
        }
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let moves: Vec<String> = [
            (scroll > 0, Key::Up),
            (scroll + room < lines.len(), Key::Down),
        ]
        .iter()
        .filter(|(can, _)| *can)
        .map(|(_, k)| k.label(&glyphs))
        .collect();
        let close = S::HelpClose.get(self.lang);
        let foot = if moves.is_empty() {
            close.to_string()
        } else {
            format!("{} · {close}", moves.join(" "))
        };
        c.text(0, room + 1, &glyphs.text(&foot), theme.frame());
    }
}
