//! A node's value and gradient as grids of numbers, for a tape whose rules are not written as
//! equations (the two-layer model's): Z, H and δ₁ are matrices, which the table can only name
//! by their shape.

use nalgebra::DMatrix;

use super::super::canvas::width;
use super::super::strings::S;
use super::{Scene, Spans, pad};
use crate::engine::tape::NodeId;
use crate::number;

/// Rows of a grid shown whole; a taller one shows one less and says how many it has.
const GRID_ROWS: usize = 4;
/// Columns before the first grid.
const INDENT: usize = 4;

/// The node's lines: `head` (marker and PyTorch's name) with its code, then its value beside
/// its gradient, once `backward()` has visited it, row by row.
pub fn lines(s: &Scene<'_>, id: NodeId, head: &str, room: usize) -> Vec<Spans> {
    let (theme, walk) = (s.theme, s.walk);
    let node = &s.tape[id];
    let is_now = walk.now.contains(&id);
    let (value_role, grad_role) = s.roles(id);
    let style = |role| {
        if is_now {
            theme.current(Some(role))
        } else {
            theme.role(Some(role))
        }
    };
    let code = match (&node.symbol, node.is_leaf()) {
        (Some(sym), false) => format!("{sym} = {}", node.label),
        _ => node.label.clone(),
    };
    let mut out: Vec<Spans> = vec![vec![
        (format!("{head}  "), theme.title()),
        (code, theme.code()),
    ]];
    let rows = if is_now && !walk.backward {
        walk.rows
    } else {
        None
    };
    let grad = node.grad.as_ref().filter(|_| walk.is_visited(id));
    let value = cells(s, &node.value, rows);
    let grad_cells = grad.map(|g| cells(s, g, None));
    let cell_w = value
        .iter()
        .chain(grad_cells.iter().flatten())
        .flatten()
        .map(|t| width(t))
        .max()
        .unwrap_or(1);
    let grids = if grad_cells.is_some() { 2 } else { 1 };
    let ncols = node.value.ncols();
    // Columns shown of each grid: as many as fit side by side, then a sign that more follow.
    let per_grid = room.saturating_sub(INDENT + 3 * grids) / grids;
    let fit = (per_grid.saturating_sub(4) / (cell_w + 1)).max(1);
    let shown_cols = if fit >= ncols { ncols } else { fit };
    let text = |row: &[String]| -> String {
        let mut parts: Vec<String> = row
            .iter()
            .take(shown_cols)
            .map(|t| format!("{t:>cell_w$}"))
            .collect();
        if shown_cols < ncols {
            parts.push(s.glyphs.hdots.to_string());
        }
        format!("[{}]", parts.join(" "))
    };
    let grid_w = value.first().map_or(0, |row| width(&text(row)));
    if grad_cells.is_some() {
        let grad_title = s.glyphs.text(S::GraphGrad.get(s.lang)).into_owned();
        out.push(vec![
            (" ".repeat(INDENT), theme.plain()),
            (pad(S::GraphValue.get(s.lang), grid_w + 3), theme.frame()),
            (grad_title, theme.frame()),
        ]);
    }
    let nrows = value.len();
    let shown_rows = if nrows <= GRID_ROWS {
        nrows
    } else {
        GRID_ROWS - 1
    };
    for r in 0..shown_rows {
        let mut line = vec![
            (" ".repeat(INDENT), theme.plain()),
            (text(&value[r]), style(value_role)),
        ];
        if let Some(g) = &grad_cells {
            line.push(("   ".to_string(), theme.plain()));
            line.push((text(&g[r]), style(grad_role)));
        }
        out.push(line);
    }
    if shown_rows < nrows {
        let more = format!(
            "{}{} ({}{}{})",
            " ".repeat(INDENT + 1),
            s.glyphs.vdots,
            nrows,
            s.glyphs.times,
            ncols
        );
        out.push(vec![(more, theme.frame())]);
    }
    out
}

/// Each entry as printed, row by row; rows from `rows` on are not known yet.
fn cells(s: &Scene<'_>, m: &DMatrix<f64>, rows: Option<usize>) -> Vec<Vec<String>> {
    (0..m.nrows())
        .map(|r| {
            (0..m.ncols())
                .map(|c| {
                    if rows.is_some_and(|k| r >= k) {
                        s.glyphs.pending.to_string()
                    } else {
                        number::plain(m[(r, c)], s.precision)
                    }
                })
                .collect()
        })
        .collect()
}
