//! The derivation panel: the lesson's chain of formulas in its order; the current step's in 2-D
//! and in bold, the same formula with today's numbers under it, the others compact around it.

use ratatui::text::Line;

use super::canvas::Canvas;
use super::glyphs::Glyphs;
use super::theme::Theme;
use crate::math::{self, Block, Options, Role};

const PRECISION: usize = 3;
/// Pointer column left of the formulas.
const GUTTER: usize = 2;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Current,
    Numbers,
    Other,
}

struct Entry {
    kind: Kind,
    /// How it is drawn when rows are short: inline for the other formulas.
    block: Block,
    /// How it is drawn when every formula fits in 2-D.
    full: Block,
}

pub struct Derivation {
    entries: Vec<Entry>,
    theme: Theme,
    glyphs: Glyphs,
}

impl Derivation {
    /// Lays the chain out for `room` columns, as tall as it would like to be.
    pub fn new(app: &super::app::App, room: usize) -> Derivation {
        let opts = Options {
            ambiguous_wide: app.glyphs.ambiguous_wide,
        };
        let room = room.saturating_sub(GUTTER);
        let step = app.session.step();
        let chain = app.lesson.derivation();
        let current = &app.lesson.step(step).derivation;
        let numbers = app
            .lesson
            .numbers(step, app.session.batch(), PRECISION, app.lang);
        let last_current = current.iter().copied().filter(|&i| i < chain.len()).max();
        let mut entries = Vec::with_capacity(chain.len() + numbers.len());
        for (index, d) in chain.iter().enumerate() {
            let full = math::fit(&d.formula, room, opts);
            let (kind, block) = if current.contains(&index) {
                (Kind::Current, full.clone())
            } else {
                (Kind::Other, math::layout_inline(&d.formula, opts))
            };
            entries.push(Entry { kind, block, full });
            if Some(index) == last_current {
                entries.extend(numbers_entries(&numbers, room, opts));
            }
        }
        // A step the chain does not cover still shows its numbers.
        if last_current.is_none() {
            entries.extend(numbers_entries(&numbers, room, opts));
        }
        Derivation {
            entries,
            theme: app.theme,
            glyphs: app.glyphs,
        }
    }

    /// Rows for the current formulas and their numbers, which must be shown.
    pub fn needed_height(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.kind != Kind::Other)
            .map(|e| e.block.height)
            .sum()
    }

    /// Rows for the whole chain as laid out.
    pub fn natural_height(&self) -> usize {
        self.entries.iter().map(|e| e.block.height).sum()
    }

    /// Rows for every formula in 2-D.
    pub fn full_height(&self) -> usize {
        self.entries.iter().map(|e| e.full.height).sum()
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        let rows = canvas.height();
        // With room for it, the whole chain is shown in 2-D.
        let full = rows >= self.full_height();
        let (lo, hi) = if full {
            (0, self.entries.len())
        } else {
            self.visible(rows)
        };
        let mut y = 0;
        for (k, e) in self.entries[lo..hi].iter().enumerate() {
            let block = if full { &e.full } else { &e.block };
            let theme = self.theme;
            let lines: Vec<Line<'static>> = match e.kind {
                Kind::Current => math::tui::lines(block, |r: Option<Role>| theme.current(r)),
                Kind::Numbers => math::tui::lines(block, |r: Option<Role>| theme.role(r)),
                Kind::Other => math::tui::lines(block, |_| theme.inactive()),
            };
            let indent = if e.kind == Kind::Numbers {
                2 * GUTTER
            } else {
                GUTTER
            };
            for (dy, line) in lines.iter().enumerate() {
                if y >= rows {
                    return;
                }
                if e.kind == Kind::Current && dy == block.baseline {
                    canvas.text(0, y, self.glyphs.pointer, theme.current(None));
                }
                let first_or_last = (k == 0 && lo > 0 && y == 0)
                    || (lo + k + 1 == hi && hi < self.entries.len() && y + 1 == rows);
                if first_or_last {
                    canvas.text(0, y, self.glyphs.vdots, theme.frame());
                }
                self.clipped(canvas, indent, y, line, block.width);
                y += 1;
            }
        }
    }

    /// A line wider than the panel ends in an ellipsis at a glyph boundary.
    fn clipped(&self, canvas: &mut Canvas<'_>, x: usize, y: usize, line: &Line<'_>, w: usize) {
        let room = canvas.width().saturating_sub(x);
        if w <= room {
            canvas.line(x, y, line);
            return;
        }
        let dots = super::canvas::width(self.glyphs.hdots);
        let mut sub = prefix(line, room.saturating_sub(dots));
        sub.spans.push(ratatui::text::Span::styled(
            self.glyphs.hdots,
            self.theme.frame(),
        ));
        canvas.line(x, y, &sub);
    }

    /// Which entries fit in `rows`: the current ones and their numbers, then neighbours, the
    /// previous formula first so the chain reads from where it came.
    fn visible(&self, rows: usize) -> (usize, usize) {
        let n = self.entries.len();
        let first = self.entries.iter().position(|e| e.kind != Kind::Other);
        let last = self.entries.iter().rposition(|e| e.kind != Kind::Other);
        let (Some(mut lo), Some(last)) = (first, last) else {
            return (0, n);
        };
        let mut hi = last + 1;
        let mut used: usize = self.entries[lo..hi].iter().map(|e| e.block.height).sum();
        let mut before = true;
        loop {
            let can_before = lo > 0 && used + self.entries[lo - 1].block.height <= rows;
            let can_after = hi < n && used + self.entries[hi].block.height <= rows;
            match (can_before, can_after, before) {
                (false, false, _) => break,
                (true, _, true) | (true, false, false) => {
                    lo -= 1;
                    used += self.entries[lo].block.height;
                }
                _ => {
                    used += self.entries[hi].block.height;
                    hi += 1;
                }
            }
            before = !before;
        }
        (lo, hi)
    }
}

fn numbers_entries(numbers: &[math::Formula], room: usize, opts: Options) -> Vec<Entry> {
    numbers
        .iter()
        .map(|f| {
            let block = math::fit(f, room.saturating_sub(GUTTER), opts);
            Entry {
                kind: Kind::Numbers,
                full: block.clone(),
                block,
            }
        })
        .collect()
}

/// The glyphs of `line` that fit whole in `room` columns.
fn prefix(line: &Line<'_>, room: usize) -> Line<'static> {
    let mut out = Vec::new();
    let mut used = 0;
    for span in &line.spans {
        let mut text = String::new();
        for c in span.content.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if used + cw > room {
                break;
            }
            used += cw;
            text.push(c);
        }
        let done = text.chars().count() < span.content.chars().count();
        out.push(ratatui::text::Span::styled(text, span.style));
        if done {
            break;
        }
    }
    Line::from(out)
}
