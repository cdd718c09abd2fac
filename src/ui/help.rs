//! The help overlay: every key of the key table with what it does.

use ratatui::layout::Rect;
use ratatui::symbols::border;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::app::App;
use super::canvas::{Canvas, width};
use super::keys::KEYS;
use super::strings::S;

/// Box-drawing characters are ambiguous-width; `+-|` are not.
const ASCII: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

pub fn render(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let lang = app.lang;
    let theme = app.theme;
    let rows: Vec<(String, &str)> = KEYS
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(|k| k.label(&app.glyphs)).collect();
            (keys.join(" "), b.help.get(lang))
        })
        .collect();
    let key_w = rows.iter().map(|(k, _)| width(k)).max().unwrap_or(0);
    let text_w = rows.iter().map(|(_, t)| width(t)).max().unwrap_or(0);
    let w = (key_w + 2 + text_w + 4).min(usize::from(area.width));
    let short = rows.len() + 4 > usize::from(area.height);
    let h = (rows.len() + if short { 2 } else { 4 }).min(usize::from(area.height));
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(w as u16)) / 2,
        y: area.y + (area.height.saturating_sub(h as u16)) / 2,
        width: w as u16,
        height: h as u16,
    };
    Clear.render(popup, buf);
    let set = if app.glyphs.ambiguous_wide {
        ASCII
    } else {
        border::PLAIN
    };
    let mut block = Block::new()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(theme.frame())
        .title(format!(" {} ", S::Help.get(lang)))
        .title_style(theme.title());
    // On a short terminal the closing hint moves into the bottom border to leave the keys room.
    if short {
        block = block.title_bottom(format!(" {} ", S::HelpClose.get(lang)));
    }
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut canvas = Canvas::new(buf, inner);
    for (y, (keys, text)) in rows.iter().enumerate() {
        canvas.text(1, y, keys, theme.key());
        canvas.text(1 + key_w + 2, y, text, theme.plain());
    }
    if !short {
        canvas.text(1, rows.len() + 1, S::HelpClose.get(lang), theme.frame());
    }
}
