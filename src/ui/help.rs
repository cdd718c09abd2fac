//! The help overlay: every key of the key table with what it does.

use ratatui::layout::Rect;
use ratatui::symbols::border;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::app::App;
use super::canvas::{Canvas, width, wrap};
use super::keys::{INSPECT_KEYS, KEYS};
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

/// One entry of the overlay: keys and what they do, or a section heading (no keys).
type Row = (Option<String>, String);

pub fn render(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let lang = app.lang;
    let theme = app.theme;
    let entry = |b: &super::keys::Binding| -> Row {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label(&app.glyphs)).collect();
        (Some(keys.join(" ")), b.help.get(lang).to_string())
    };
    let mut rows: Vec<Row> = KEYS.iter().map(entry).collect();
    rows.push((None, S::InInspect.get(lang).to_string()));
    rows.extend(INSPECT_KEYS.iter().map(entry));
    let key_w = rows
        .iter()
        .filter_map(|(k, _)| k.as_deref().map(width))
        .max()
        .unwrap_or(0);
    let text_w = rows.iter().map(|(_, t)| width(t)).max().unwrap_or(0);
    let max_h = usize::from(area.height);
    let max_w = usize::from(area.width);
    // One column if it fits, else two side by side with their texts wrapped.
    let one = (key_w + 2 + text_w + 4).min(max_w);
    let columns = if rows.len() + 2 <= max_h { 1 } else { 2 };
    let col_w = if columns == 1 {
        one.saturating_sub(4)
    } else {
        (max_w.saturating_sub(5) / 2).min(key_w + 2 + text_w)
    };
    let lines = lay_out(&rows, key_w, col_w);
    let per_column = lines.len().div_ceil(columns);
    // A column starts on an entry, never in the middle of a wrapped text.
    let split = (per_column..lines.len())
        .find(|&i| lines[i].0.is_some() || lines[i].2)
        .unwrap_or(lines.len());
    let (left, right) = if columns == 1 {
        (&lines[..], &lines[lines.len()..])
    } else {
        lines.split_at(split)
    };
    let body = left.len().max(right.len());
    let w = (columns * col_w + (columns - 1) + 4).min(max_w);
    let h = (body + 2).min(max_h);
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
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(theme.frame())
        .title(Line::styled(
            format!(" {} ", S::Help.get(lang)),
            theme.title(),
        ))
        // In the frame, so that every row inside is for keys.
        .title_bottom(Line::styled(
            format!(" {} ", S::HelpClose.get(lang)),
            theme.frame(),
        ));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut canvas = Canvas::new(buf, inner);
    for (c, column) in [left, right].iter().enumerate() {
        let x0 = 1 + c * (col_w + 1);
        for (y, (keys, text, heading)) in column.iter().enumerate() {
            if let Some(keys) = keys {
                canvas.text(x0, y, keys, theme.key());
            }
            let (x, style) = if *heading {
                (x0, theme.title())
            } else {
                (x0 + key_w + 2, theme.plain())
            };
            canvas.text(x, y, text, style);
        }
    }
}

/// Screen lines of the entries in a column `col_w` wide: (keys on the first line of an entry,
/// text, whether it is a heading).
fn lay_out(rows: &[Row], key_w: usize, col_w: usize) -> Vec<(Option<String>, String, bool)> {
    let text_room = col_w.saturating_sub(key_w + 2).max(8);
    let mut out = Vec::new();
    for (keys, text) in rows {
        match keys {
            None => {
                for (i, l) in wrap(text, col_w.max(8)).into_iter().enumerate() {
                    out.push((None, l, i == 0));
                }
            }
            Some(k) => {
                for (i, l) in wrap(text, text_room).into_iter().enumerate() {
                    out.push(((i == 0).then(|| k.clone()), l, false));
                }
            }
        }
    }
    out
}
