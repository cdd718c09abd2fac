//! The inspect panel: the explanation of one cell drawn where the derivation was (or, in the
//! presenter layout, above the matrices).

use super::explain::Explanation;
use crate::lesson::Lang;
use crate::math::{self, Options, Role};
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::glyphs::Glyphs;
use crate::ui::strings::S;
use crate::ui::theme::Theme;
use crate::worked::screen::Typeset;

/// How the panel draws, whichever explainer (linear or two layers) it draws for.
#[derive(Clone, Copy)]
pub struct Look<'a> {
    pub theme: Theme,
    pub glyphs: &'a Glyphs,
    pub lang: Lang,
}

/// The explanation drawn into a panel: heading, formula, as many terms as fit, sum, notes.
pub fn render(look: Look<'_>, e: &Explanation, canvas: &mut Canvas<'_>, spacious: bool) {
    let theme = look.theme;
    let room = canvas.width();
    let opts = Options {
        ambiguous_wide: look.glyphs.ambiguous_wide,
    };
    let heading = format!("{}  {}", S::InspectHeading.get(look.lang), e.cell);
    let block_lines = |t: &Typeset, full: bool| {
        t.blocks(room.saturating_sub(4), full, opts)
            .iter()
            .flat_map(|b| math::tui::lines(b, |r: Option<Role>| theme.role(r)))
            .collect::<Vec<_>>()
    };
    let [lines, terms, result] = &e.typeset;
    let notes: Vec<String> = e
        .notes
        .iter()
        .flat_map(|n| wrap(&look.glyphs.text(n), room.saturating_sub(2)))
        .collect();
    let head: Vec<_> = lines.iter().map(|l| block_lines(l, true)).collect();
    let tail: Vec<_> = result.iter().map(|l| block_lines(l, true)).collect();
    let fixed: usize = 1
        + head.iter().map(Vec::len).sum::<usize>()
        + tail.iter().map(Vec::len).sum::<usize>()
        + notes.len();
    let gap = usize::from(spacious && fixed + e.terms.len() + 3 <= canvas.height());
    // Terms are one line each; when they do not all fit, the first ones and the last stay.
    let spare = canvas.height().saturating_sub(fixed + 3 * gap);
    let shown = shown_terms(e.terms.len(), spare);
    let mut y = 0;
    // Lines one under the other at `indent`, from row `y` on.
    let put = |canvas: &mut Canvas<'_>, y: &mut usize, indent: usize, lines: &[_]| {
        for line in lines {
            canvas.line(indent, *y, line);
            *y += 1;
        }
    };
    canvas.text(0, y, &heading, theme.title());
    y += 1 + gap;
    for lines in &head {
        put(canvas, &mut y, 2, lines);
    }
    y += gap;
    for t in shown {
        match t {
            Some(i) => {
                if let Some(lines) = terms.get(i).map(|l| block_lines(l, false)) {
                    put(canvas, &mut y, 4, &lines);
                }
            }
            None => {
                canvas.text(4, y, look.glyphs.vdots, theme.frame());
                y += 1;
            }
        }
    }
    for lines in &tail {
        put(canvas, &mut y, 2, lines);
    }
    y += gap;
    for note in notes {
        canvas.text(2, y, &note, theme.plain());
        y += 1;
    }
}

/// The rows the explanation takes at `width` with every term shown.
pub fn height(look: Look<'_>, e: &Explanation, width: usize) -> usize {
    let opts = Options {
        ambiguous_wide: look.glyphs.ambiguous_wide,
    };
    let equations: usize = e
        .typeset
        .iter()
        .flatten()
        .flat_map(|t| t.blocks(width.saturating_sub(4), true, opts))
        .map(|b| b.height)
        .sum();
    let notes: usize = e
        .notes
        .iter()
        .map(|n| wrap(&look.glyphs.text(n), width.saturating_sub(2)).len())
        .sum();
    1 + equations + notes
}

/// Which of `n` terms fit in `rows` lines: all, or the first ones, a gap and the last.
fn shown_terms(n: usize, rows: usize) -> Vec<Option<usize>> {
    if n <= rows {
        return (0..n).map(Some).collect();
    }
    if rows < 3 {
        return Vec::new();
    }
    let head = rows - 2;
    (0..head).map(Some).chain([None, Some(n - 1)]).collect()
}
