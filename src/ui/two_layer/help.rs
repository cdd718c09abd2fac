//! The two-layer explainer's help (`?`): the key table's keys that act on two layers with what
//! they do, then those that do not yet, each with the feature `refused` names. One column,
//! scrolled by the help's own keys; the linear help's plan and symbol pages are not repeated.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Clear, Widget};

use super::TwoLayerApp;
use super::words::words;
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::glyphs::Glyphs;
use crate::ui::keys::{KEYS, Key};
use crate::ui::strings::S;

/// One entry: keys (none for a heading) and its text.
type Row = (Option<String>, String);

impl TwoLayerApp {
    /// The help's entries, from the key table: what acts first, then what is refused.
    pub fn help_rows(&self) -> Vec<Row> {
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let keys = |b: &crate::ui::keys::Binding| {
            let k: Vec<String> = b.keys.iter().map(|k| k.label(&glyphs)).collect();
            Some(k.join(" "))
        };
        let lang = self.lang;
        let mut rows: Vec<Row> = KEYS
            .iter()
            .filter(|b| self.refused(b.message).is_none())
            .map(|b| (keys(b), b.help.get(lang).to_string()))
            .collect();
        let refused: Vec<Row> = KEYS
            .iter()
            .filter_map(|b| {
                let feature = self.refused(b.message)?;
                Some((keys(b), words().feature(feature, lang)))
            })
            .collect();
        // The heading only over keys it names: with every key acting there is none.
        if !refused.is_empty() {
            rows.push((None, words().word("help_not_yet", lang, &[])));
            rows.extend(refused);
        }
        rows
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
