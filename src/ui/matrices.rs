//! The matrix panel: the batch's matrices as bracketed grids of live numbers, elided around the
//! focused sample so that the work done depends on what is visible, never on N or d.

use std::borrow::Cow;

use super::canvas::{Canvas, width};
use super::glyphs::Glyphs;
use super::number;
use super::progress::{Id, Progress};
use super::strings::S;
use super::theme::{Mark, Theme};
use crate::lesson::Lang;

const CELL: usize = 7;
const PRECISION: usize = 3;

/// The two rows of the panel: the forward pass (N tall), then the backward pass (d tall).
const GROUPS: [&[Id]; 2] = [
    &[
        Id::X,
        Id::W,
        Id::B,
        Id::YHat,
        Id::Y,
        Id::LossSample,
        Id::Delta,
    ],
    &[Id::Loss, Id::XT, Id::GradW, Id::GradB, Id::WNew, Id::BNew],
];

/// One matrix, laid out.
struct Grid {
    id: Id,
    rows: usize,
    cols: usize,
    focus: (Option<usize>, Option<usize>),
    name: Cow<'static, str>,
    /// Columns of sample numbers left of X.
    gutter: usize,
}

impl Grid {
    fn new(id: Id, p: &Progress<'_>, lang: Lang, glyphs: &Glyphs) -> Grid {
        let (rows, cols) = id.shape(p.batch);
        let name: Cow<'static, str> = match id {
            Id::X => "X".into(),
            Id::W => "w".into(),
            Id::B => "b".into(),
            Id::YHat => "ŷ".into(),
            Id::Y => "y".into(),
            Id::LossSample => "l".into(),
            Id::Delta => glyphs.text("δ").into_owned().into(),
            Id::Loss => "L".into(),
            Id::XT => "Xᵀ".into(),
            Id::GradW => glyphs.text("∂L/∂w").into_owned().into(),
            Id::GradB => glyphs.text("∂L/∂b").into_owned().into(),
            Id::WNew => S::NewW.get(lang).into(),
            Id::BNew => S::NewB.get(lang).into(),
        };
        let gutter = if id == Id::X {
            rows.to_string().len() + 1
        } else {
            0
        };
        Grid {
            id,
            rows,
            cols,
            focus: id.focus(p.step),
            name,
            gutter,
        }
    }

    fn body_width(&self, cols: &[Option<usize>], hdots: usize) -> usize {
        let data = cols.iter().filter(|c| c.is_some()).count();
        let marks = cols.len() - data;
        self.gutter + 2 + data * CELL + marks * hdots + cols.len().saturating_sub(1)
    }

    fn natural_width(&self) -> usize {
        let body = self.gutter + 2 + self.cols * CELL + self.cols.saturating_sub(1);
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
}

impl<'a> Matrices<'a> {
    pub fn new(
        progress: Progress<'a>,
        lang: Lang,
        theme: Theme,
        glyphs: Glyphs,
        room: usize,
    ) -> Self {
        let gap = if room >= 100 { 2 } else { 1 };
        let hdots = width(glyphs.hdots);
        let mut lines = Vec::new();
        for group in GROUPS {
            let mut line: Vec<Grid> = Vec::new();
            let mut used = 0;
            for &id in group {
                let grid = Grid::new(id, &progress, lang, &glyphs);
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
        }
    }

    /// Rows needed to show every matrix whole (with a blank row between the groups).
    pub fn natural_height(&self) -> usize {
        let rows: usize = self.lines.iter().map(|l| line_height(l)).sum();
        rows + self.lines.len().saturating_sub(1)
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        let room = canvas.height();
        let natural: Vec<usize> = self.lines.iter().map(|l| line_height(l)).collect();
        let spaced = natural.iter().sum::<usize>() + natural.len().saturating_sub(1) <= room;
        let heights = fill(&natural, room);
        let mut y = 0;
        for (line, h) in self.lines.iter().zip(heights) {
            let mut x = 0;
            for (grid, w) in line {
                self.grid(canvas, grid, x, y, *w, h);
                x += w + self.gap;
            }
            y += h + usize::from(spaced);
        }
    }

    fn grid(&self, canvas: &mut Canvas<'_>, g: &Grid, x0: usize, y0: usize, w: usize, h: usize) {
        if h == 0 {
            return;
        }
        let p = &self.progress;
        let theme = self.theme;
        let hdots = width(self.glyphs.hdots);
        let cols = g.columns(w, hdots);
        let shape = format!(" {}{}{}", g.rows, self.glyphs.times, g.cols);
        let mut label = g.name.to_string();
        if (g.rows, g.cols) != (1, 1) && width(&label) + width(&shape) <= w {
            label.push_str(&shape);
        }
        canvas.text(x0, y0, &label, theme.label(g.id.role(), p.label_mark(g.id)));
        let rows = window(g.rows, h - 1, g.focus.0);
        for (dy, row) in rows.iter().enumerate() {
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
            let mut prev = None;
            for (k, col) in cols.iter().enumerate() {
                if k > 0 {
                    x += 1;
                }
                let (text, mark, style) = match (row, col) {
                    (Some(r), Some(c)) => {
                        let mark = p.mark(g.id, *r, *c);
                        match p.value(g.id, *r, *c) {
                            Some(v) => (
                                number::cell(v, CELL, PRECISION),
                                mark,
                                theme.cell(g.id.role(), mark),
                            ),
                            None => (
                                format!("{:>CELL$}", self.glyphs.pending),
                                Mark::Plain,
                                theme.pending(),
                            ),
                        }
                    }
                    (None, Some(_)) => (
                        format!("{:>CELL$}", self.glyphs.vdots),
                        Mark::Plain,
                        theme.frame(),
                    ),
                    (_, None) => (self.glyphs.hdots.to_string(), Mark::Plain, theme.frame()),
                };
                // A run of highlighted cells reads as one bar, gaps included.
                if k > 0 && mark != Mark::Plain && prev == Some(mark) {
                    canvas.style(x - 1, y, 1, theme.cell(g.id.role(), mark));
                }
                x += canvas.text(x, y, &text, style);
                prev = Some(mark);
            }
            canvas.text(x, y, "]", theme.frame());
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
