//! Inspect with a hidden layer: a cursor over the matrix panel's cells, and for the cell under
//! it the equation of the step that wrote it, cut down to that one number
//! ([`crate::worked::entry`]). Which step wrote a cell is read off the steps' ledgers, so no
//! quantity has a rule of its own here; the explanation is drawn by the classroom's panel, as
//! the linear explainer's is.

use std::collections::BTreeSet;

use super::TwoLayerApp;
use crate::engine::mlp_session::MlpStep;
use crate::ui::classroom::{Dir, Explanation};
use crate::ui::glyphs::Glyphs;
use crate::ui::strings::S;
use crate::worked::{Cell, Equation, Expr, Quantity, entry, two_layer};

/// A cell of the panel: its matrix, row and column.
pub type Cursor = (Quantity, usize, usize);

impl TwoLayerApp {
    /// The matrices of the panel in its order: those the step's equations hold, then the
    /// cursor's when the step does not hold it.
    pub(super) fn panel_order(&self) -> Vec<Quantity> {
        let mut order: Vec<Quantity> = Vec::new();
        for v in self.shown.iter().flat_map(|e| e.values()) {
            if !order.contains(&v.cell.q) {
                order.push(v.cell.q);
            }
        }
        if let Some((q, ..)) = self.inspected()
            && !order.contains(&q)
        {
            order.push(q);
        }
        order
    }

    /// The cursor while inspect is on.
    pub fn inspected(&self) -> Option<Cursor> {
        self.inspecting.then_some(self.cursor)
    }

    /// The cells of `q` the cursor can stand on: those known at this step and those the step
    /// shows, by row and column.
    fn cells(&self, q: Quantity) -> BTreeSet<(usize, usize)> {
        let mut cells: BTreeSet<(usize, usize)> = self
            .known
            .get(&q)
            .into_iter()
            .flat_map(|m| m.keys().copied())
            .collect();
        let shown = self.shown.iter().flat_map(|e| e.values());
        cells.extend(
            shown
                .filter(|v| v.cell.q == q)
                .map(|v| (v.cell.row, v.cell.col)),
        );
        cells
    }

    /// Where the cursor starts: the first number the step computes, else the first it reads.
    pub(super) fn cursor_start(&self) -> Cursor {
        let values: Vec<_> = self.shown.iter().flat_map(|e| e.values()).collect();
        values
            .iter()
            .find(|v| v.output)
            .or(values.first())
            .map_or((Quantity::X, 0, 0), |v| (v.cell.q, v.cell.row, v.cell.col))
    }

    /// The cursor after one move: within its matrix, then on to the next or previous one (the
    /// matrices are one ring in the panel's order, both ways).
    pub(super) fn cursor_moved(&self, (q, r, c): Cursor, dir: Dir) -> Cursor {
        let cells = self.cells(q);
        let within = match dir {
            Dir::Right => cells.iter().find(|&&(rr, cc)| rr == r && cc > c),
            Dir::Left => cells.iter().rev().find(|&&(rr, cc)| rr == r && cc < c),
            Dir::Down => cells.iter().find(|&&(rr, cc)| cc == c && rr > r),
            Dir::Up => cells.iter().rev().find(|&&(rr, cc)| cc == c && rr < r),
        };
        if let Some(&(r, c)) = within {
            return (q, r, c);
        }
        let order = self.panel_order();
        let Some(at) = order.iter().position(|&o| o == q) else {
            return self.cursor_start();
        };
        let forward = matches!(dir, Dir::Right | Dir::Down);
        let next = if forward {
            (at + 1) % order.len()
        } else {
            (at + order.len() - 1) % order.len()
        };
        let target = order[next];
        let cells = self.cells(target);
        // The same row where the next matrix has it, else its first (or last) cell.
        let same_row: Vec<_> = cells.iter().filter(|k| k.0 == r).collect();
        let pick = if forward {
            same_row.first().copied().or(cells.first())
        } else {
            same_row.last().copied().or(cells.last())
        };
        pick.map_or((target, 0, 0), |&(r, c)| (target, r, c))
    }

    /// The cursor's cell explained: the equation of the step that wrote it (the latest so far,
    /// else the first still to come, its numbers not yet known shown as `?`), or, for a number
    /// no step computes, its value and where it comes from.
    pub(super) fn explain(&self, (q, r, c): Cursor) -> Explanation {
        let lang = self.lang;
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let me = Cell::new(q, r, c);
        let now = self.session.step_index();
        let steps = self.session.steps();
        let writers: Vec<usize> = (0..self.ledgers.len())
            .filter(|&k| self.ledgers[k].written.contains(&me))
            .collect();
        let done = writers.iter().rev().find(|&&k| k <= now).copied();
        let writer = done.or(writers.first().copied());
        let quiz_hidden: std::collections::HashSet<Cell> = self
            .shown
            .iter()
            .flat_map(|e| e.values())
            .filter(|v| v.hidden)
            .map(|v| v.cell)
            .collect();
        let hidden_by_quiz = |cell: Cell| quiz_hidden.contains(&cell);
        let known = |cell: Cell| self.known.get(&cell.q)?.get(&(cell.row, cell.col)).copied();
        let mut lines: Vec<Equation> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        match writer.and_then(|k| Some((k, *steps.get(k)?))) {
            Some((k, step)) => {
                let eqs = two_layer::equations(step, self.batch(), self.precision, lang);
                if let Some(mut cut) = eqs.iter().find_map(|eq| entry::of_cell(eq, me)) {
                    // A step still to come shows only what is known now, with the same value.
                    let later = k > now;
                    cut.hide(|v| {
                        hidden_by_quiz(v.cell) || (later && known(v.cell) != Some(v.value))
                    });
                    lines.push(cut);
                }
            }
            None => notes.push(self.origin(me)),
        }
        // A number no step computes, or none cut down to it: its value alone.
        if lines.is_empty() {
            let value = known(me).unwrap_or(f64::NAN);
            let mut eq = Equation::new(vec![Expr::value(me, value, false)], self.precision);
            eq.hide(|_| hidden_by_quiz(me) || known(me).is_none());
            lines.push(eq);
        }
        if hidden_by_quiz(me) {
            notes.push(S::HiddenQuiz.get(lang).to_string());
        } else if done.is_none() && writer.is_some() {
            notes.push(S::NotComputed.get(lang).to_string());
        }
        let sources = lines
            .iter()
            .flat_map(|eq| eq.values())
            .filter(|v| v.cell != me)
            .map(|v| (v.cell.q, Some(v.cell.row), Some(v.cell.col)))
            .collect();
        Explanation::of_lines(self.cell_name(me, &glyphs), lines, notes, sources)
    }

    /// Where a number no step computes comes from: a parameter (the update step reads it) is
    /// initial or the last update's; the rest is a row of the data.
    fn origin(&self, me: Cell) -> String {
        let lang = self.lang;
        let u = self.session.update();
        let update = self
            .session
            .steps()
            .iter()
            .position(|&s| s == MlpStep::Update)
            .and_then(|k| self.ledgers.get(k));
        if update.is_some_and(|l| l.read.contains(&me)) {
            return match u.pos.global {
                0 => S::Initial.get(lang).to_string(),
                g => S::FromUpdate.get(lang).replace("{k}", &g.to_string()),
            };
        }
        // Rows count from 1 on screen; batch_indices (PyTorch's, and the trace's) from 0.
        let (row, index) = match u.indices.get(me.row) {
            Some(i) => ((i + 1).to_string(), i.to_string()),
            None => ("?".into(), "?".into()),
        };
        S::FromData
            .get(lang)
            .replace("{row}", &row)
            .replace("{index}", &index)
    }

    /// The cell in words: the matrix's name, then its row and column where it has more than one.
    fn cell_name(&self, me: Cell, glyphs: &Glyphs) -> String {
        let lang = self.lang;
        let cells = self.cells(me.q);
        let rows = cells.iter().map(|k| k.0).max().unwrap_or(0) + 1;
        let cols = cells.iter().map(|k| k.1).max().unwrap_or(0) + 1;
        let mut out = crate::ui::matrices::name(me.q, lang, glyphs).into_owned();
        if rows > 1 {
            out.push_str(&format!(", {} {}", S::Row.get(lang), me.row + 1));
        }
        if cols > 1 {
            out.push_str(&format!(", {} {}", S::Column.get(lang), me.col + 1));
        }
        out
    }
}
