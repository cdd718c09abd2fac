//! One cell explained, for either explainer: where its number comes from, as the formula that
//! produced it with the batch's numbers in it, and which cells it was computed from. The step
//! whose ledger writes the cell gives its equation, cut down to the one cell
//! ([`crate::worked::entry`]), its long sums told term by term; a number no step computes is
//! given by its value and where it comes from. No quantity has a rule here.

use std::collections::HashSet;

use crate::data::Dataset;
use crate::lesson::Lang;
use crate::ui::glyphs::Glyphs;
use crate::ui::matrices;
use crate::ui::progress::Id;
use crate::ui::strings::S;
use crate::worked::ledger::Ledger;
use crate::worked::screen::Typeset;
use crate::worked::{Cell, Equation, Expr, SCREEN, entry, names};

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
/// What [`explain`] reads of an explainer, either one.
pub struct Inquiry<'a> {
    /// The ledgers of the batch's steps, and the index of the current step.
    pub ledgers: &'a [Ledger],
    pub now: usize,
    /// Every equation of step `k` (not only the screen's selection).
    pub equations: &'a dyn Fn(usize) -> Vec<Equation>,
    /// The value a cell shows now; None while no step so far computed it.
    pub known: &'a dyn Fn(Cell) -> Option<f64>,
    /// Whether the quiz shows a cell as `?`.
    pub quizzed: &'a dyn Fn(Cell) -> bool,
    /// The update step: what it reads and no step computes is a parameter.
    pub update: Option<usize>,
    /// The data set, the rows of it the batch holds (from 0), and the updates before the batch.
    pub data: &'a Dataset,
    pub indices: &'a [usize],
    pub global: usize,
    pub lang: Lang,
    pub precision: usize,
    pub glyphs: &'a Glyphs,
}

/// The cell `me`, named `name`, explained: the equation of the step that wrote it (the latest so
/// far, else the first still to come), cut down to the cell, with every number the screen does
/// not show (not computed yet, or hidden by the quiz) as `?`: an explanation never gives away
/// what the matrices hide. A sum of terms the step names (δ⁽ⁱ⁾xⱼ⁽ⁱ⁾) is told one term a line.
/// A number no step computes is given by its value and where it comes from.
pub fn explain(q: &Inquiry<'_>, me: Cell, name: String) -> Explanation {
    let lang = q.lang;
    let writers: Vec<usize> = (0..q.ledgers.len())
        .filter(|&k| q.ledgers[k].written.contains(&me))
        .collect();
    let done = writers.iter().rev().find(|&&k| k <= q.now).copied();
    let writer = done.or(writers.first().copied());
    let later = done.is_none();
    // A step still to come shows only what is known now, with the same value.
    let hide = |v: &crate::worked::Value| {
        let known = (q.known)(v.cell);
        (q.quizzed)(v.cell) || known.is_none() || (later && known != Some(v.value))
    };
    let cut = writer.and_then(|k| {
        let eqs = (q.equations)(k);
        eqs.iter()
            .find_map(|eq| Some((entry::of_cell(eq, me)?, eq.terms.clone(), eq.clone())))
    });
    let mut e = Explanation {
        cell: name,
        lines: Vec::new(),
        terms: Vec::new(),
        result: Vec::new(),
        notes: Vec::new(),
        sources: Vec::new(),
        typeset: Default::default(),
    };
    // Terms computed on the way (δ⁽ⁱ⁾xⱼ⁽ⁱ⁾) are in no matrix: they are no source.
    let mut computed_terms: HashSet<Cell> = HashSet::new();
    // The cut's own numbers are sources even where its sum is told by terms (Xᵀ's, under
    // δ⁽ⁱ⁾xⱼ⁽ⁱ⁾).
    let mut read: Vec<Cell> = me.mirror().into_iter().collect();
    match cut {
        Some((mut cut, terms, eq)) => {
            cut.hide(hide);
            read.extend(cut.values().iter().map(|v| v.cell));
            computed_terms.extend(
                terms
                    .iter()
                    .filter(|t| !t.of.contains(&t.value.cell))
                    .map(|t| t.value.cell),
            );
            match entry::by_terms(&eq, &cut) {
                Some(told) => {
                    e.lines.extend(told.definition);
                    e.terms = told.lines;
                    e.result.push(told.total);
                    for eq in e.terms.iter_mut().chain(&mut e.result) {
                        eq.hide(hide);
                    }
                }
                None => e.lines.push(cut),
            }
        }
        None => {
            let value = (q.known)(me).unwrap_or(f64::NAN);
            let members = names::latex(me)
                .map(Expr::notation)
                .into_iter()
                .chain([Expr::value(me, value, false)])
                .collect();
            let mut eq = Equation::new(members, q.precision);
            eq.hide(hide);
            e.lines.push(eq);
            e.notes.extend(origin(q, me, writer.is_none()));
        }
    }
    let shown = e.lines.iter().chain(&e.terms).chain(&e.result);
    read.extend(shown.flat_map(|eq| eq.values()).map(|v| v.cell));
    let mut sources: Vec<Cell> = Vec::new();
    for cell in read {
        if cell != me && !computed_terms.contains(&cell) && !sources.contains(&cell) {
            sources.push(cell);
        }
    }
    e.sources = sources
        .into_iter()
        .map(|c| (c.q, Some(c.row), Some(c.col)))
        .collect();
    if (q.quizzed)(me) {
        e.notes.push(S::HiddenQuiz.get(lang).to_string());
    } else if (q.known)(me).is_none() {
        e.notes.push(S::NotComputed.get(lang).to_string());
    }
    e.typeset();
    e
}

/// Where a number no step's equation computes comes from: a parameter (the update step reads
/// it, no step writes it) is initial or the last update's; a number of the data is a row of
/// the data, and a standardized feature's value says what it was as loaded.
fn origin(q: &Inquiry<'_>, me: Cell, unwritten: bool) -> Vec<String> {
    let lang = q.lang;
    let update_reads = q
        .update
        .and_then(|k| q.ledgers.get(k))
        .is_some_and(|l| l.read.contains(&me));
    if unwritten && update_reads {
        return vec![match q.global {
            0 => S::Initial.get(lang).to_string(),
            g => S::FromUpdate.get(lang).replace("{k}", &g.to_string()),
        }];
    }
    let Some((sample, feature)) = me.in_data() else {
        return Vec::new();
    };
    // Rows count from 1 on screen; batch_indices (PyTorch's, and the trace's) from 0.
    let (row, index) = match q.indices.get(sample) {
        Some(i) => ((i + 1).to_string(), i.to_string()),
        None => ("?".into(), "?".into()),
    };
    let mut notes = vec![
        S::FromData
            .get(lang)
            .replace("{row}", &row)
            .replace("{index}", &index),
    ];
    notes.extend(feature.and_then(|j| unstandardized(q, j, (q.known)(me)?)));
    notes
}

/// A standardized feature's value as loaded, computed by the data layer.
fn unstandardized(q: &Inquiry<'_>, j: usize, x: f64) -> Option<String> {
    let scale = q.data.scales()?.get(j)?;
    let plain = |v: f64| crate::number::plain(v, q.precision);
    Some(
        S::Unstandardized
            .get(q.lang)
            .replace("{name}", &crate::ui::names::feature(q.data, j, q.glyphs))
            .replace("{value}", &plain(scale.original(x)))
            .replace("{mean}", &plain(scale.mean))
            .replace("{sd}", &plain(scale.sd))
            .replace("{x}", &plain(x)),
    )
}
/// A cell in words: its matrix's name, then its row and column where the matrix (`shape`) has
/// more than one, then what it is `about` (a feature, the target).
pub fn cell_words(
    me: Cell,
    (rows, cols): (usize, usize),
    about: Option<String>,
    lang: Lang,
    glyphs: &Glyphs,
) -> String {
    let mut out = matrices::name(me.q, lang, glyphs).into_owned();
    if rows > 1 {
        out.push_str(&format!(", {} {}", S::Row.get(lang), me.row + 1));
    }
    if cols > 1 {
        out.push_str(&format!(", {} {}", S::Column.get(lang), me.col + 1));
    }
    if let Some(about) = about {
        out.push_str(&format!(" ({about})"));
    }
    out
}
