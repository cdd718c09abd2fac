//! Inspect in the linear explainer: a cursor over the matrix panel's fixed groups, and the cell
//! under it explained by the explanation both explainers share ([`super::explain`]).

use crate::worked::{Part, Symbol};
use std::collections::HashSet;

use super::Dir;
use super::explain::{Explanation, Inquiry, cell_words, explain};
use crate::data::Dataset;
use crate::engine::Step;
use crate::lesson::Lang;
use crate::ui::glyphs::Glyphs;
use crate::ui::matrices::{self, PLACED};
use crate::ui::progress::{Id, Progress};
use crate::ui::theme::Mark;
use crate::worked::{Cell, steps};

/// The matrix cells the quiz shows as `?`.
pub type Hidden = HashSet<(Id, usize, usize)>;
/// What inspect reads of the explainer: the step over the batch, the data (for its names), and
/// how numbers and symbols are shown.
pub struct Ask<'a> {
    pub progress: Progress<'a>,
    pub data: &'a Dataset,
    pub lang: Lang,
    pub precision: usize,
    pub glyphs: &'a Glyphs,
    /// The presenter layout is on: the cursor moves over the matrices it shows.
    pub presenting: bool,
}

/// The matrices the step reads or writes, and `current`.
pub fn involved(p: &Progress<'_>, current: Option<Id>) -> Vec<Id> {
    PLACED
        .iter()
        .copied()
        .filter(|&id| p.label_mark(id) != Mark::Plain || Some(id) == current)
        .collect()
}

/// What the presenter's panel shows: the involved matrices and those the inspected cell comes
/// from.
pub fn shown(
    p: &Progress<'_>,
    cursor: Option<Id>,
    sources: &[(Id, Option<usize>, Option<usize>)],
) -> Vec<Id> {
    let mut ids = involved(p, cursor);
    for s in sources {
        if !ids.contains(&s.0) {
            ids.push(s.0);
        }
    }
    ids
}

/// The matrices the cursor moves over, in the panel's order.
fn movable(ask: &Ask<'_>, current: Id) -> Vec<Vec<Id>> {
    let only = ask
        .presenting
        .then(|| involved(&ask.progress, Some(current)));
    matrices::groups(&ask.progress)
        .into_iter()
        .map(|g| {
            g.into_iter()
                .filter(|id| only.as_ref().is_none_or(|o| o.contains(id)))
                .collect::<Vec<Id>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// Where the cursor starts: the first value the step computes, else the first cell of X.
pub fn start(ask: &Ask<'_>) -> (Id, usize, usize) {
    let p = &ask.progress;
    for group in movable(ask, Id::Of(Symbol::X, Part::Value)) {
        for id in group {
            let (rows, cols) = id.shape(p.batch);
            for r in 0..rows {
                for c in 0..cols {
                    if p.mark(id, r, c) == Mark::Written {
                        return (id, r, c);
                    }
                }
            }
        }
    }
    (Id::Of(Symbol::X, Part::Value), 0, 0)
}

/// The cursor after one move: within the matrix, then on to its neighbour.
pub fn moved(ask: &Ask<'_>, (id, r, c): (Id, usize, usize), dir: Dir) -> (Id, usize, usize) {
    let batch = ask.progress.batch;
    let (rows, cols) = id.shape(batch);
    let groups = movable(ask, id);
    let Some((g, k)) = groups
        .iter()
        .enumerate()
        .find_map(|(g, ids)| Some((g, ids.iter().position(|&i| i == id)?)))
    else {
        return (id, r, c);
    };
    let clamp = |id: Id, r: usize, c: usize| {
        let (rows, cols) = id.shape(batch);
        (
            id,
            r.min(rows.saturating_sub(1)),
            c.min(cols.saturating_sub(1)),
        )
    };
    let flat: Vec<Id> = groups.iter().flatten().copied().collect();
    let at = flat.iter().position(|&i| i == id).unwrap_or(0);
    match dir {
        Dir::Left if c > 0 => (id, r, c - 1),
        Dir::Right if c + 1 < cols => (id, r, c + 1),
        Dir::Up if r > 0 => (id, r - 1, c),
        Dir::Down if r + 1 < rows => (id, r + 1, c),
        // Past the last matrix → goes on from the first, as past δ it goes on to L: the
        // matrices are one ring in reading order, both ways.
        Dir::Left => match flat.get((at + flat.len() - 1) % flat.len().max(1)) {
            Some(&prev) => clamp(prev, r, usize::MAX),
            None => (id, r, c),
        },
        Dir::Right => match flat.get((at + 1) % flat.len().max(1)) {
            Some(&next) => clamp(next, r, 0),
            None => (id, r, c),
        },
        Dir::Up | Dir::Down => {
            let other = if dir == Dir::Up {
                g.checked_sub(1)
            } else {
                Some(g + 1)
            };
            match other.and_then(|o| groups.get(o)) {
                Some(ids) => {
                    let target = ids[k.min(ids.len() - 1)];
                    let row = if dir == Dir::Up { usize::MAX } else { 0 };
                    clamp(target, row, c)
                }
                None => (id, r, c),
            }
        }
    }
}
/// The linear explainer's cell `(id, r, c)` explained (see [`explain`]).
pub fn explain_linear(
    ask: &Ask<'_>,
    hidden: &Hidden,
    (id, r, c): (Id, usize, usize),
) -> Explanation {
    let p = &ask.progress;
    let b = p.batch;
    let (steps, ledgers, now) = p.tally.steps();
    let equations = |k: usize| {
        steps
            .get(k)
            .map(|&s| steps::every(s, b, ask.precision, ask.lang))
            .unwrap_or_default()
    };
    let known = |cell: Cell| p.value(cell.q, cell.row, cell.col);
    let quizzed = |cell: Cell| hidden.contains(&(cell.q, cell.row, cell.col));
    let inquiry = Inquiry {
        ledgers,
        now,
        equations: &equations,
        known: &known,
        quizzed: &quizzed,
        update: steps.iter().position(|&s| s == Step::Update),
        data: ask.data,
        indices: &b.indices,
        global: b.global,
        lang: ask.lang,
        precision: ask.precision,
        glyphs: ask.glyphs,
    };
    explain(&inquiry, Cell::new(id, r, c), cell_name(ask, id, r, c))
}

/// The linear explainer's cell in words, with the data's own name of what it is about.
fn cell_name(ask: &Ask<'_>, id: Id, r: usize, c: usize) -> String {
    let me = Cell::new(id, r, c);
    let about = crate::ui::names::about(ask.data, me, ask.glyphs);
    let shape = id.shape(ask.progress.batch);
    cell_words(me, shape, about, ask.lang, ask.glyphs)
}
