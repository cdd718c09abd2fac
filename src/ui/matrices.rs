//! The matrix panel: the batch's matrices as bracketed grids of live numbers, elided around the
//! focused sample so that the work done depends on what is visible, never on N or d.

use std::borrow::Cow;
use std::collections::HashSet;

use super::canvas::{Canvas, width};
use super::glyphs::Glyphs;
use super::progress::{Id, Progress};
use super::strings::S;
use super::theme::{Mark, Theme};
use crate::lesson::Lang;
use crate::worked::{Part, Symbol};

/// The narrowest cell; more decimals than fit in it widen every cell.
const CELL: usize = 7;
const PRECISION: usize = 3;

/// What the classroom modes change about the panel. The default is the explainer's own look.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    pub precision: usize,
    /// Only these matrices, in the panel's order (presenter mode).
    pub only: Option<Vec<Id>>,
    /// Cells shown as `?` (what the quiz hides).
    pub hidden: HashSet<(Id, usize, usize)>,
    /// The inspected cell; when set, it and `sources` are the only highlights.
    pub cursor: Option<(Id, usize, usize)>,
    /// Cells the cursor's value was computed from: None stands for every row or column.
    pub sources: Vec<(Id, Option<usize>, Option<usize>)>,
    /// Columns between matrices; None picks by width.
    pub gap: Option<usize>,
}

impl Default for Look {
    fn default() -> Look {
        Look {
            precision: PRECISION,
            only: None,
            hidden: HashSet::new(),
            cursor: None,
            sources: Vec::new(),
            gap: None,
        }
    }
}

impl Look {
    /// Cells wide enough for `precision` decimals, a sign and two integer digits.
    fn cell(&self) -> usize {
        (self.precision + 4).max(CELL)
    }

    fn is_source(&self, id: Id, r: usize, c: usize) -> bool {
        self.sources
            .iter()
            .any(|&(s, sr, sc)| s == id && sr.is_none_or(|x| x == r) && sc.is_none_or(|x| x == c))
    }

    fn mark(&self, p: &Progress<'_>, id: Id, r: usize, c: usize) -> Mark {
        match self.cursor {
            None => p.mark(id, r, c),
            Some(cur) if cur == (id, r, c) => Mark::Written,
            Some(_) if self.is_source(id, r, c) => Mark::Read,
            Some(_) => Mark::Plain,
        }
    }

    fn label_mark(&self, p: &Progress<'_>, id: Id) -> Mark {
        match self.cursor {
            None => p.label_mark(id),
            Some((cur, ..)) if cur == id => Mark::Written,
            Some(_) if self.sources.iter().any(|s| s.0 == id) => Mark::Read,
            Some(_) => Mark::Plain,
        }
    }

    /// The inspected cell and the rows it was computed from stay in view when rows are elided.
    fn focus(
        &self,
        id: Id,
        step: (Option<usize>, Option<usize>),
    ) -> (Option<usize>, Option<usize>) {
        if let Some((cur, r, c)) = self.cursor {
            if cur == id {
                return (Some(r), Some(c));
            }
            if let Some(&(_, r, c)) = self.sources.iter().find(|s| s.0 == id) {
                return (r.or(step.0), c.or(step.1));
            }
        }
        step
    }
}

/// A matrix cell on screen, for mapping a mouse click to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub id: Id,
    pub row: usize,
    pub col: usize,
    pub x: usize,
    pub y: usize,
    pub width: usize,
}

/// The panel's rows and what they hold, as one exhaustive match (`row`) and the list it places
/// (`PLACED`), both written by this macro from the same lines: a new quantity is placed in a row
/// or left off on purpose before the code compiles.
macro_rules! panel {
    ($($symbol:ident $part:ident => $row:literal),+ ; off: $off:pat) => {
        /// The panel row `id` sits in: 0 for the forward pass (N tall), 1 for the backward pass
        /// (d tall); None for what the panel does not show.
        pub fn row(id: Id) -> Option<usize> {
            match id {
                $(Id::Of(Symbol::$symbol, Part::$part) => Some($row),)+
                $off => None,
            }
        }

        /// Every quantity the panel shows, row by row, in reading order.
        pub const PLACED: &[Id] = &[$(Id::Of(Symbol::$symbol, Part::$part)),+];
    };
}

panel! {
    X Value => 0,
    W Value => 0,
    B Value => 0,
    YHat Value => 0,
    Y Value => 0,
    LossSample Value => 0,
    Delta Value => 0,
    Loss Value => 1,
    X Transposed => 1,
    W Grad => 1,
    B Grad => 1,
    W Held => 1,
    B Held => 1,
    W New => 1,
    B New => 1;
    // Inspect explains a term of a sum, and the status line the epoch's loss; tape nodes live in
    // the graph view and the two-layer quantities in their own explainer; no other part of the
    // linear nodes is a matrix of the panel.
    off: Id::Of(Symbol::W, Part::Terms)
        | Id::Of(Symbol::Loss, Part::EpochMean)
        | Id::Unnamed(_)
        | Id::Of(
            Symbol::W1 | Symbol::B1 | Symbol::W2 | Symbol::B2 | Symbol::Z | Symbol::H,
            Part::Value
                | Part::Grad
                | Part::Held
                | Part::New
                | Part::Slope
                | Part::Terms
                | Part::Transposed
                | Part::EpochMean
        )
        | Id::Of(
            Symbol::X | Symbol::Y | Symbol::YHat | Symbol::Delta | Symbol::LossSample | Symbol::Loss,
            Part::Grad | Part::Held | Part::New
        )
        | Id::Of(
            Symbol::X | Symbol::Y | Symbol::W | Symbol::B | Symbol::YHat | Symbol::Delta
                | Symbol::LossSample | Symbol::Loss,
            Part::Slope
        )
        | Id::Of(
            Symbol::X | Symbol::Y | Symbol::B | Symbol::YHat | Symbol::Delta | Symbol::LossSample
                | Symbol::Loss,
            Part::Terms
        )
        | Id::Of(
            Symbol::Y | Symbol::W | Symbol::B | Symbol::YHat | Symbol::Delta | Symbol::LossSample
                | Symbol::Loss,
            Part::Transposed
        )
        | Id::Of(
            Symbol::X | Symbol::Y | Symbol::W | Symbol::B | Symbol::YHat | Symbol::Delta
                | Symbol::LossSample,
            Part::EpochMean
        )
}

/// Whether the panel draws `id` for `p`'s batch: every matrix it places, but a held `.grad`
/// only in a run that keeps it (not yet known until the update sums it). Never by step: the
/// panel's height depends on the terminal and the batch only.
fn drawn(id: Id, p: &Progress<'_>) -> bool {
    !matches!(id, Id::Of(_, Part::Held)) || p.batch.held.is_some()
}

/// The panel's two rows at `p`, each in reading order.
pub fn groups(p: &Progress<'_>) -> [Vec<Id>; 2] {
    [0, 1].map(|g| {
        PLACED
            .iter()
            .copied()
            .filter(|&id| row(id) == Some(g) && drawn(id, p))
            .collect()
    })
}

/// One matrix, laid out.
struct Grid {
    id: Id,
    rows: usize,
    cols: usize,
    focus: (Option<usize>, Option<usize>),
    name: Cow<'static, str>,
    /// Columns of sample numbers left of X.
    gutter: usize,
    cell: usize,
}

/// A matrix's name in the panel's heading and in inspect.
pub fn name(id: Id, lang: Lang, glyphs: &Glyphs) -> Cow<'static, str> {
    let Id::Of(symbol, part) = id else {
        // Not a matrix of the panel: the graph view names tape nodes itself.
        return "".into();
    };
    let text = symbol.text();
    match part {
        // Only δ was ever drawn in the stand-in glyphs among the nodes' own names (kept so).
        Part::Value => match symbol {
            Symbol::Delta => glyphs.text(text).into_owned().into(),
            other => other.text().into(),
        },
        // ∂L/∂ of the node, or the lesson's own name for it: δ₁ = ∂L/∂Z, δ/N = ∂L/∂ŷ under a
        // mean objective.
        Part::Grad => {
            let name = match symbol {
                Symbol::Z => "δ₁".to_string(),
                Symbol::YHat => "δ/N".to_string(),
                other => format!("∂L/∂{}", other.text()),
            };
            glyphs.text(&name).into_owned().into()
        }
        Part::Held => format!("{text}.grad").into(),
        // The linear model's words for its updated parameters; the two-layer's arrow.
        Part::New => match symbol {
            Symbol::W => S::NewW.get(lang).into(),
            Symbol::B => S::NewB.get(lang).into(),
            other => format!("{} ←", other.text()).into(),
        },
        Part::Slope => "σ'(Z)".into(),
        Part::Terms => glyphs.text("δx").into_owned().into(),
        Part::Transposed => format!("{text}ᵀ").into(),
        Part::EpochMean => S::EpochLoss.get(lang).into(),
    }
}

impl Grid {
    fn new(id: Id, p: &Progress<'_>, lang: Lang, glyphs: &Glyphs, look: &Look) -> Grid {
        let (rows, cols) = id.shape(p.batch);
        let name = name(id, lang, glyphs);
        let gutter = if id == Id::Of(Symbol::X, Part::Value) {
            rows.to_string().len() + 1
        } else {
            0
        };
        Grid {
            id,
            rows,
            cols,
            focus: look.focus(id, id.focus(p.step)),
            name,
            gutter,
            cell: look.cell(),
        }
    }

    fn body_width(&self, cols: &[Option<usize>], hdots: usize) -> usize {
        let data = cols.iter().filter(|c| c.is_some()).count();
        let marks = cols.len() - data;
        self.gutter + 2 + data * self.cell + marks * hdots + cols.len().saturating_sub(1)
    }

    fn natural_width(&self) -> usize {
        let body = self.gutter + 2 + self.cols * self.cell + self.cols.saturating_sub(1);
        body.max(width(&self.name))
    }

    fn min_width(&self, hdots: usize) -> usize {
        let cols = window(self.cols, 2, self.focus.1);
        self.body_width(&cols, hdots).max(width(&self.name))
    }

    fn shrinkable(&self) -> bool {
        self.cols > 1
    }

    /// The most columns that fit in `room`.
    fn columns(&self, room: usize, hdots: usize) -> Vec<Option<usize>> {
        let most = self.cols.min(room / 2 + 1);
        for slots in (1..=most).rev() {
            let cols = window(self.cols, slots, self.focus.1);
            if self.body_width(&cols, hdots) <= room {
                return cols;
            }
        }
        window(self.cols, 1, self.focus.1)
    }
}

/// Indices to show of `n`, in at most `slots` places, around `focus`; None marks the elided.
pub fn window(n: usize, slots: usize, focus: Option<usize>) -> Vec<Option<usize>> {
    if n <= slots {
        return (0..n).map(Some).collect();
    }
    let f = focus.unwrap_or(0).min(n - 1);
    match slots {
        0 => Vec::new(),
        1 => vec![Some(f)],
        2 if f == 0 => vec![Some(0), None],
        2 => vec![None, Some(f)],
        _ => {
            let k = slots - 2;
            let start = f.saturating_sub(k / 2);
            if start == 0 {
                (0..=k).map(Some).chain([None]).collect()
            } else if start + k >= n {
                [None].into_iter().chain((n - k - 1..n).map(Some)).collect()
            } else {
                [None]
                    .into_iter()
                    .chain((start..start + k).map(Some))
                    .chain([None])
                    .collect()
            }
        }
    }
}

/// The panel laid out for a width: which matrices share a row, and how wide each is.
pub struct Matrices<'a> {
    progress: Progress<'a>,
    theme: Theme,
    glyphs: Glyphs,
    lines: Vec<Vec<(Grid, usize)>>,
    gap: usize,
    look: Look,
}

impl<'a> Matrices<'a> {
    pub fn with_look(
        progress: Progress<'a>,
        lang: Lang,
        theme: Theme,
        glyphs: Glyphs,
        room: usize,
        look: Look,
    ) -> Self {
        let gap = look.gap.unwrap_or(if room >= 100 { 2 } else { 1 });
        let hdots = width(glyphs.hdots);
        let mut lines = Vec::new();
        for group in groups(&progress) {
            let mut line: Vec<Grid> = Vec::new();
            let mut used = 0;
            let shown = group
                .iter()
                .filter(|id| look.only.as_ref().is_none_or(|only| only.contains(id)));
            for &id in shown {
                let grid = Grid::new(id, &progress, lang, &glyphs, &look);
                let need = grid.min_width(hdots) + if line.is_empty() { 0 } else { gap };
                if !line.is_empty() && used + need > room {
                    lines.push(std::mem::take(&mut line));
                    used = 0;
                }
                used += grid.min_width(hdots) + if line.is_empty() { 0 } else { gap };
                line.push(grid);
            }
            if !line.is_empty() {
                lines.push(line);
            }
        }
        let lines = lines
            .into_iter()
            .map(|line| share_width(line, room, gap, hdots))
            .collect();
        Matrices {
            progress,
            theme,
            glyphs,
            lines,
            gap,
            look,
        }
    }

    /// Rows needed to show every matrix whole (with a blank row between the groups).
    pub fn natural_height(&self) -> usize {
        let rows: usize = self.lines.iter().map(|l| line_height(l)).sum();
        rows + self.lines.len().saturating_sub(1)
    }

    /// Where each matrix goes in `room` rows: (grid, x, y, width, height).
    fn places(&self, room: usize) -> Vec<(&Grid, usize, usize, usize, usize)> {
        let natural: Vec<usize> = self.lines.iter().map(|l| line_height(l)).collect();
        let spaced = natural.iter().sum::<usize>() + natural.len().saturating_sub(1) <= room;
        let heights = fill(&natural, room);
        let mut out = Vec::new();
        let mut y = 0;
        for (line, h) in self.lines.iter().zip(heights) {
            let mut x = 0;
            for (grid, w) in line {
                out.push((grid, x, y, *w, h));
                x += w + self.gap;
            }
            y += h + usize::from(spaced);
        }
        out
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        for (grid, x, y, w, h) in self.places(canvas.height()) {
            self.grid(canvas, grid, x, y, w, h);
        }
    }

    /// Every cell drawn in a panel `height` rows tall, where `render` places it.
    pub fn hits(&self, height: usize) -> Vec<Hit> {
        self.places(height)
            .into_iter()
            .flat_map(|(g, x0, y0, w, h)| self.cells(g, x0, y0, w, h))
            .collect()
    }

    /// The visible rows of a grid: its sample number column, then one entry per shown row.
    fn rows(&self, g: &Grid, h: usize) -> Vec<Option<usize>> {
        window(g.rows, h.saturating_sub(1), g.focus.0)
    }

    /// Each shown column's x offset from the opening bracket's right, and its width.
    fn columns(&self, g: &Grid, w: usize) -> Vec<(Option<usize>, usize, usize)> {
        let hdots = width(self.glyphs.hdots);
        let mut x = 0;
        let mut out = Vec::new();
        for (k, col) in g.columns(w, hdots).into_iter().enumerate() {
            if k > 0 {
                x += 1;
            }
            let cw = if col.is_some() { g.cell } else { hdots };
            out.push((col, x, cw));
            x += cw;
        }
        out
    }

    fn cells(&self, g: &Grid, x0: usize, y0: usize, w: usize, h: usize) -> Vec<Hit> {
        if h == 0 {
            return Vec::new();
        }
        let left = x0 + g.gutter + 1;
        let cols = self.columns(g, w);
        let mut out = Vec::new();
        for (dy, row) in self.rows(g, h).into_iter().enumerate() {
            for &(col, dx, cw) in &cols {
                if let (Some(row), Some(col)) = (row, col) {
                    out.push(Hit {
                        id: g.id,
                        row,
                        col,
                        x: left + dx,
                        y: y0 + 1 + dy,
                        width: cw,
                    });
                }
            }
        }
        out
    }

    fn grid(&self, canvas: &mut Canvas<'_>, g: &Grid, x0: usize, y0: usize, w: usize, h: usize) {
        if h == 0 {
            return;
        }
        let p = &self.progress;
        let look = &self.look;
        let theme = self.theme;
        let cell = g.cell;
        let shape = format!(" {}{}{}", g.rows, self.glyphs.times, g.cols);
        let mut label = g.name.to_string();
        if (g.rows, g.cols) != (1, 1) && width(&label) + width(&shape) <= w {
            label.push_str(&shape);
        }
        canvas.text(
            x0,
            y0,
            &label,
            theme.label(g.id.role(), look.label_mark(p, g.id)),
        );
        let cols = self.columns(g, w);
        for (dy, row) in self.rows(g, h).iter().enumerate() {
            let y = y0 + 1 + dy;
            let mut x = x0;
            if g.gutter > 0 {
                if let Some(r) = row {
                    let focused = g.focus.0 == Some(*r);
                    let style = if focused {
                        theme.title()
                    } else {
                        theme.frame()
                    };
                    let n = format!("{:>w$} ", r + 1, w = g.gutter - 1);
                    canvas.text(x, y, &n, style);
                }
                x += g.gutter;
            }
            x += canvas.text(x, y, "[", theme.frame());
            let left = x;
            let mut prev = None;
            let mut end = x;
            for (k, &(col, dx, _)) in cols.iter().enumerate() {
                let x = left + dx;
                let (text, mark, style) = match (*row, col) {
                    (Some(r), Some(c)) => {
                        let mark = look.mark(p, g.id, r, c);
                        let hidden = look.hidden.contains(&(g.id, r, c));
                        match p.value(g.id, r, c) {
                            Some(_) if hidden => (
                                format!("{:>cell$}", "?"),
                                mark,
                                theme.cell(g.id.role(), mark),
                            ),
                            Some(v) => (
                                crate::number::cell(v, cell, look.precision),
                                mark,
                                theme.cell(g.id.role(), mark),
                            ),
                            None => (
                                format!("{:>cell$}", self.glyphs.pending),
                                Mark::Plain,
                                theme.pending(),
                            ),
                        }
                    }
                    (None, Some(_)) => (
                        format!("{:>cell$}", self.glyphs.vdots),
                        Mark::Plain,
                        theme.frame(),
                    ),
                    (_, None) => (self.glyphs.hdots.to_string(), Mark::Plain, theme.frame()),
                };
                // A run of highlighted cells reads as one bar, gaps included.
                if k > 0 && mark != Mark::Plain && prev == Some(mark) {
                    canvas.style(x - 1, y, 1, theme.cell(g.id.role(), mark));
                }
                end = x + canvas.text(x, y, &text, style);
                prev = Some(mark);
            }
            canvas.text(end, y, "]", theme.frame());
        }
    }
}

fn line_height(line: &[(Grid, usize)]) -> usize {
    1 + line.iter().map(|(g, _)| g.rows).max().unwrap_or(0)
}

/// Widths for a row of matrices: natural if they fit, else the wide ones (X, Xᵀ) give way.
fn share_width(line: Vec<Grid>, room: usize, gap: usize, hdots: usize) -> Vec<(Grid, usize)> {
    let gaps = gap * line.len().saturating_sub(1);
    let natural: usize = line.iter().map(Grid::natural_width).sum::<usize>() + gaps;
    if natural <= room {
        return line
            .into_iter()
            .map(|g| {
                let w = g.natural_width();
                (g, w)
            })
            .collect();
    }
    let fixed: usize = line
        .iter()
        .filter(|g| !g.shrinkable())
        .map(Grid::natural_width)
        .sum();
    let flexible: usize = line
        .iter()
        .filter(|g| g.shrinkable())
        .map(Grid::natural_width)
        .sum::<usize>()
        .max(1);
    let spare = room.saturating_sub(fixed + gaps);
    line.into_iter()
        .map(|g| {
            let w = if g.shrinkable() {
                (spare * g.natural_width() / flexible).max(g.min_width(hdots))
            } else {
                g.natural_width()
            };
            (g, w)
        })
        .collect()
}

/// Heights that sum to at most `room`: the tallest rows give way first, down to a label and one
/// row each.
fn fill(natural: &[usize], room: usize) -> Vec<usize> {
    let mut h: Vec<usize> = natural.iter().map(|&n| n.min(room)).collect();
    while h.iter().sum::<usize>() > room {
        let Some((i, &most)) = h.iter().enumerate().max_by_key(|(_, v)| **v) else {
            break;
        };
        if most <= 2 {
            // No room for every row: the last ones go.
            if let Some(last) = h.iter_mut().rev().find(|v| **v > 0) {
                *last = 0;
            }
            continue;
        }
        h[i] -= 1;
    }
    h
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_keeps_the_focus_and_fills_its_slots() {
        for n in 1..30 {
            for slots in 1..12 {
                for f in 0..n {
                    let w = window(n, slots, Some(f));
                    assert_eq!(w.len(), n.min(slots), "n={n} slots={slots} f={f}");
                    assert!(w.contains(&Some(f)), "n={n} slots={slots} f={f}: {w:?}");
                }
            }
        }
    }
}
