//! The lesson's symbol table as lines: beside the graph (symbol, code, name), and as a page of
//! the help (with what each means).

use ratatui::style::Style;

use super::super::canvas::{width, wrap};
use super::super::glyphs::Glyphs;
use super::super::strings::S;
use super::super::theme::Theme;
use super::pad;
use crate::lesson::Lang;
use crate::lesson::symbols::{self, Symbol};

pub type Spans = Vec<(String, Style)>;

/// Column widths of symbol and code over the table.
fn widths(table: &[Symbol], glyphs: &Glyphs) -> (usize, usize) {
    let sym = table
        .iter()
        .map(|s| width(&glyphs.text(&s.symbol)))
        .max()
        .unwrap_or(0);
    let code = table.iter().map(|s| width(&s.code)).max().unwrap_or(0);
    (sym, code)
}

/// The table for the graph's side: a title, then one line per symbol (symbol, code, name);
/// with `meaning`, each symbol's meaning follows, indented and wrapped to `room` columns.
pub fn lines(lang: Lang, theme: Theme, glyphs: &Glyphs, room: usize, meaning: bool) -> Vec<Spans> {
    let table = symbols::embedded();
    let (sw, cw) = widths(&table, glyphs);
    let mut out: Vec<Spans> = vec![vec![(S::GraphSymbols.get(lang).to_string(), theme.title())]];
    for s in &table {
        let sym = glyphs.text(&s.symbol).into_owned();
        let line = vec![
            (pad(&sym, sw + 1), theme.current(s.role)),
            (pad(&s.code, cw + 1), theme.code()),
            (s.name(lang).to_string(), theme.plain()),
        ];
        // The canvas leaves out what passes its edge, a glyph whole.
        out.push(line);
        if meaning {
            for l in wrap(&glyphs.text(s.meaning(lang)), room.saturating_sub(sw + 1)) {
                out.push(vec![(format!("{}{l}", " ".repeat(sw + 1)), theme.frame())]);
            }
        }
    }
    out
}

/// The help's page: each symbol with its name, meaning and code, wrapped to
/// `room`. Lines as plain text (the help draws its own styles).
pub fn help_lines(lang: Lang, glyphs: &Glyphs, room: usize) -> Vec<(String, bool)> {
    let table = symbols::embedded();
    let (sw, _) = widths(&table, glyphs);
    let mut out = Vec::new();
    for s in &table {
        if !out.is_empty() {
            out.push((String::new(), false));
        }
        let head = format!(
            "{}{}  ({})",
            pad(&glyphs.text(&s.symbol), sw + 1),
            s.name(lang),
            s.code
        );
        out.extend(wrap(&head, room).into_iter().map(|l| (l, false)));
        let indent = " ".repeat(sw + 1);
        for l in wrap(&glyphs.text(s.meaning(lang)), room.saturating_sub(sw + 1)) {
            out.push((format!("{indent}{l}"), false));
        }
    }
    out
}
