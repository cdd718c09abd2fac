//! Ask any cell: where its number comes from, as the formula that produced it with the batch's
//! numbers in it, and which cells it was computed from.

use std::collections::HashSet;

use super::Dir;
use crate::data::Dataset;
use crate::engine::Step;
use crate::lesson::Lang;
use crate::ui::glyphs::Glyphs;
use crate::ui::matrices::{self, PLACED};
use crate::ui::progress::{Id, Progress};
use crate::ui::strings::S;
use crate::ui::theme::Mark;
use crate::worked::screen::Typeset;
use crate::worked::{Cell, Equation, Expr, Param, SCREEN, cells, entry, steps};

/// The matrix cells the quiz shows as `?`.
pub type Hidden = HashSet<(Id, usize, usize)>;

/// What the inspect panel shows about one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The cell in words, e.g. "ŷ, row 3".
    pub cell: String,
    /// The formula first, then its numbers.
    pub lines: Vec<Equation>,
    /// One line per term of a sum (∂L/∂w, ∂L/∂b), elided on screen when rows run short.
    pub terms: Vec<Equation>,
    /// The sum of the terms and its value, after them.
    pub result: Vec<Equation>,
    pub notes: Vec<String>,
    /// The cells it was computed from: None stands for every row or column.
    pub sources: Vec<(Id, Option<usize>, Option<usize>)>,
    /// `lines`, `terms` and `result` typeset, once.
    pub(super) typeset: [Vec<Typeset>; 3],
}

impl Explanation {
    /// The explanation of `cell` by `lines` and `notes` alone, typeset once.
    pub fn of_lines(
        cell: String,
        lines: Vec<Equation>,
        notes: Vec<String>,
        sources: Vec<(Id, Option<usize>, Option<usize>)>,
    ) -> Explanation {
        let mut e = Explanation {
            cell,
            lines,
            terms: Vec::new(),
            result: Vec::new(),
            notes,
            sources,
            typeset: Default::default(),
        };
        e.typeset();
        e
    }

    fn typeset(&mut self) {
        self.typeset = [&self.lines, &self.terms, &self.result]
            .map(|eqs| eqs.iter().map(|eq| Typeset::new(eq, SCREEN)).collect());
    }
}

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
    for group in movable(ask, Id::X) {
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
    (Id::X, 0, 0)
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

/// The equations behind the cell `(id, r, c)`, with every number the screen does not show (not
/// computed yet, or hidden by the quiz) as `?`: an explanation never gives away what the
/// matrices hide.
pub fn explain(ask: &Ask<'_>, hidden: &Hidden, (id, r, c): (Id, usize, usize)) -> Explanation {
    let p = &ask.progress;
    let b = p.batch;
    let lang = ask.lang;
    let prec = ask.precision;
    let visible = |cell: Cell| {
        p.value(cell.q, cell.row, cell.col).is_some()
            && !hidden.contains(&(cell.q, cell.row, cell.col))
            // A term of a sum is as visible as the δ it multiplies.
            && (cell.q != Id::Contribution || !hidden.contains(&(Id::Delta, cell.row, 0)))
    };
    let me = Cell::new(id, r, c);
    let mut e = Explanation {
        cell: cell_name(ask, id, r, c),
        lines: Vec::new(),
        terms: Vec::new(),
        result: Vec::new(),
        notes: Vec::new(),
        sources: Vec::new(),
        typeset: Default::default(),
    };
    // Rows count from 1 on screen; batch_indices (PyTorch's, and the trace's) from 0.
    let data_row = |r: usize| match b.indices.get(r) {
        Some(i) => S::FromData
            .get(lang)
            .replace("{row}", &(i + 1).to_string())
            .replace("{index}", &i.to_string()),
        None => S::FromData
            .get(lang)
            .replace("{row}", "?")
            .replace("{index}", "?"),
    };
    // A standardized feature's value as loaded, computed by the data layer.
    let unstandardized = |i: usize, j: usize| {
        let scale = ask.data.scales()?.get(j)?;
        let x = *b.x.get((i, j))?;
        let plain = |v: f64| crate::number::plain(v, prec);
        Some(
            S::Unstandardized
                .get(lang)
                .replace(
                    "{name}",
                    &crate::ui::names::feature(ask.data, j, ask.glyphs),
                )
                .replace("{value}", &plain(scale.original(x)))
                .replace("{mean}", &plain(scale.mean))
                .replace("{sd}", &plain(scale.sd))
                .replace("{x}", &plain(x)),
        )
    };
    let parameter = || {
        if b.global == 0 {
            S::Initial.get(lang).to_string()
        } else {
            S::FromUpdate
                .get(lang)
                .replace("{k}", &b.global.to_string())
        }
    };
    let given = |symbol: String| {
        let v = p.value(id, r, c).unwrap_or(f64::NAN);
        Equation::new(
            vec![Expr::notation(symbol), cells::value(id, r, c, v, false)],
            prec,
        )
    };
    let sup = cells::sup;
    let in_batch = r < b.rows();
    match id {
        Id::X => {
            e.lines.push(given(format!("x_{{{}}}{}", c + 1, sup(r))));
            e.notes.push(data_row(r));
            e.notes.extend(unstandardized(r, c));
            e.sources.push((Id::XT, Some(c), Some(r)));
        }
        Id::XT => {
            e.lines.push(given(format!(
                "(X^T)_{{{},{}}} = x_{{{}}}{}",
                r + 1,
                c + 1,
                r + 1,
                sup(c)
            )));
            e.notes.push(data_row(c));
            e.notes.extend(unstandardized(c, r));
            e.sources.push((Id::X, Some(c), Some(r)));
        }
        Id::Y => {
            e.lines.push(given(format!("y{}", sup(r))));
            e.notes.push(data_row(r));
        }
        Id::W => {
            e.lines.push(given(format!("w_{{{}}}", r + 1)));
            e.notes.push(parameter());
        }
        Id::B => {
            e.lines.push(given("b".into()));
            e.notes.push(parameter());
        }
        Id::YHat if in_batch => e.lines.push(cells::y_hat(b, r, prec, false)),
        Id::LossSample if in_batch => e.lines.push(cells::loss_sample(b, r, prec, false)),
        Id::Delta if in_batch => e.lines.push(cells::delta(b, r, prec, false)),
        Id::Loss => e.lines.push(cells::loss(b, prec, false)),
        Id::GradW | Id::GradB => {
            let j = (id == Id::GradW).then_some(r);
            let count = match p.step {
                Step::Accumulate { sample } => sample + 1,
                _ => b.rows(),
            };
            let result = p.value(id, r, 0).unwrap_or(f64::NAN);
            let (definition, total) = cells::gradient(b, j, count, result, prec);
            e.lines.push(definition);
            for i in 0..count {
                e.terms.push(match j {
                    Some(j) => cells::contribution(b, i, j, prec),
                    None => Equation::new(
                        vec![
                            Expr::notation(format!(r"\delta{}", sup(i))),
                            cells::value(Id::Delta, i, 0, b.delta[i], false),
                        ],
                        prec,
                    ),
                });
                if let Some(j) = j {
                    // Xᵀ is what the gradient step multiplies: its column is the same numbers.
                    e.sources.push((Id::XT, Some(j), Some(i)));
                }
            }
            e.result.push(total);
        }
        Id::WNew => e.lines.push(cells::update(b, Some(r), prec, false)),
        Id::BNew => e.lines.push(cells::update(b, None, prec, false)),
        // Cut from the update step's equation that sums it, as the two-layer inspect cuts all;
        // a run with zero_() has no such cell to ask about.
        Id::Held(_) => e.lines.push(
            steps::equations(Step::Update, b, prec, lang)
                .iter()
                .find_map(|eq| entry::of_cell(eq, me))
                .unwrap_or_else(|| given(matrices::name(id, lang, ask.glyphs).into_owned())),
        ),
        // A row past the batch (the cursor kept from a larger one), a term of a sum and what
        // the panel does not hold are given by name and value.
        Id::YHat
        | Id::LossSample
        | Id::Delta
        | Id::Contribution
        | Id::EpochLoss
        | Id::Node(_)
        | crate::worked::two_layer!() => e
            .lines
            .push(given(matrices::name(id, lang, ask.glyphs).into_owned())),
    }
    let mut sources: Vec<(Id, Option<usize>, Option<usize>)> = Vec::new();
    for eq in e.lines.iter_mut().chain(&mut e.terms).chain(&mut e.result) {
        eq.hide(|v| !visible(v.cell));
        for v in eq.values() {
            let cell = v.cell;
            let source = (cell.q, Some(cell.row), Some(cell.col));
            if cell != me
                && !matches!(cell.q, Id::Contribution | Id::EpochLoss)
                && !sources.contains(&source)
            {
                sources.push(source);
            }
        }
    }
    e.sources.extend(sources);
    if !visible(me) {
        let note = if hidden.contains(&(id, r, c)) {
            S::HiddenQuiz
        } else {
            S::NotComputed
        };
        e.notes.push(note.get(lang).to_string());
    }
    e.typeset();
    e
}

/// The cell in words: the matrix's name, then its row and column where it has more than one.
fn cell_name(ask: &Ask<'_>, id: Id, r: usize, c: usize) -> String {
    let lang = ask.lang;
    let (rows, cols) = id.shape(ask.progress.batch);
    let mut out = matrices::name(id, lang, ask.glyphs).into_owned();
    if rows > 1 {
        out.push_str(&format!(", {} {}", S::Row.get(lang), r + 1));
    }
    if cols > 1 {
        out.push_str(&format!(", {} {}", S::Column.get(lang), c + 1));
    }
    // The data's own name of what the cell is about: a feature, or the target.
    let data = ask.data;
    let about = match id {
        Id::X => Some(crate::ui::names::feature(data, c, ask.glyphs)),
        Id::XT | Id::W | Id::GradW | Id::WNew | Id::Held(Param::W) => {
            Some(crate::ui::names::feature(data, r, ask.glyphs))
        }
        Id::Y | Id::YHat => Some(crate::ui::names::target(data, ask.glyphs)),
        // Named by the lesson's symbol alone, with no feature or target beside it.
        Id::B
        | Id::LossSample
        | Id::Delta
        | Id::Loss
        | Id::GradB
        | Id::BNew
        | Id::Contribution
        | Id::EpochLoss
        | Id::Node(_)
        | Id::Held(Param::B | Param::W1 | Param::B1 | Param::W2 | Param::B2)
        | crate::worked::two_layer!() => None,
    };
    if let Some(about) = about {
        out.push_str(&format!(" ({about})"));
    }
    out
}
