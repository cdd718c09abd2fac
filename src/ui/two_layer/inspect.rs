//! Inspect with a hidden layer: a cursor over the matrix panel's cells, ordered by the step's
//! equations, and the cell under it explained by the inspect both explainers share
//! ([`crate::ui::classroom::explain`]) and drawn by the classroom's panel.

use crate::worked::{Part, Symbol};
use std::collections::{BTreeSet, HashSet};

use super::TwoLayerApp;
use crate::engine::mlp_session::MlpStep;
use crate::ui::classroom::explain::{self, Inquiry};
use crate::ui::classroom::{Dir, Explanation};
use crate::ui::glyphs::Glyphs;
use crate::worked::{Cell, Quantity, two_layer};

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
            .map_or((Quantity::Of(Symbol::X, Part::Value), 0, 0), |v| {
                (v.cell.q, v.cell.row, v.cell.col)
            })
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

    /// The cursor's cell explained by the one inspect both explainers share.
    pub(super) fn explain(&self, (q, r, c): Cursor) -> Explanation {
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let me = Cell::new(q, r, c);
        let steps = self.session.steps();
        let u = self.session.update();
        let equations = |k: usize| {
            steps
                .get(k)
                .map(|&s| two_layer::every(s, self.batch(), self.precision, self.lang))
                .unwrap_or_default()
        };
        let quiz_hidden: HashSet<Cell> = self
            .shown
            .iter()
            .flat_map(|e| e.values())
            .filter(|v| v.hidden)
            .map(|v| v.cell)
            .collect();
        let known = |cell: Cell| self.known.get(&cell.q)?.get(&(cell.row, cell.col)).copied();
        let quizzed = |cell: Cell| quiz_hidden.contains(&cell);
        let inquiry = Inquiry {
            ledgers: &self.ledgers,
            now: self.session.step_index(),
            equations: &equations,
            known: &known,
            quizzed: &quizzed,
            update: steps.iter().position(|&s| s == MlpStep::Update),
            data: self.session.data(),
            indices: &u.indices,
            global: u.pos.global,
            lang: self.lang,
            precision: self.precision,
            glyphs: &glyphs,
        };
        explain::explain(&inquiry, me, self.cell_name(me, &glyphs))
    }

    /// The cell in words: the matrix's name, then its row and column where it has more than one.
    fn cell_name(&self, me: Cell, glyphs: &Glyphs) -> String {
        let cells = self.cells(me.q);
        let rows = cells.iter().map(|k| k.0).max().unwrap_or(0) + 1;
        let cols = cells.iter().map(|k| k.1).max().unwrap_or(0) + 1;
        explain::cell_words(me, (rows, cols), None, self.lang, glyphs)
    }
}
