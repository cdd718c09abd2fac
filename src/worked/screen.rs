//! The screen's output: an equation typeset through [`crate::math`], in two dimensions when it
//! fits, and broken before its `=` signs when even one line is too wide, so that the result (the
//! number the class is waiting for) is never the part cut off.

use super::print::{self, Dots, Sink};
use super::{Cut, Elision, Equation};
use crate::math::build::{Op, Row};
use crate::math::{self, Block, Formula, Options, Role};
use crate::number::Written;

impl Sink for Row {
    fn empty() -> Self {
        Row::new()
    }

    fn then(self, next: Self) -> Self {
        Row::then(self, next)
    }

    fn number(written: &Written, role: Option<Role>) -> Self {
        match written {
            Written::Scientific {
                mantissa, exponent, ..
            } => Row::scientific(mantissa, *exponent, role),
            Written::NonFinite(_) => Row::words(&written.plain(), role),
            Written::Fixed { text, .. } => Row::number(text, role),
        }
    }

    fn unknown(role: Option<Role>) -> Self {
        Row::number("?", role)
    }

    fn exact(text: &str, role: Option<Role>) -> Self {
        Row::number(text, role)
    }

    fn notation(latex: &str) -> Self {
        // The builders' notation is fixed text that the tests parse; a mistake there still shows.
        Row::notation(latex).unwrap_or_else(|_| Row::words(latex, None))
    }

    fn op(op: Op) -> Self {
        Row::op(op)
    }

    fn frac(num: Self, den: Self) -> Self {
        Row::frac(num, den)
    }

    fn parens(inner: Self, squared: bool) -> Self {
        Row::parens(inner, squared)
    }

    fn matrix(rows: Vec<Vec<Self>>) -> Self {
        Row::matrix(rows)
    }

    fn dots(dots: Dots) -> Self {
        Row::dots(match dots {
            Dots::Across => "cdots",
            Dots::Down => "vdots",
            Dots::Diagonal => "ddots",
        })
    }

    fn comma() -> Self {
        Row::comma()
    }
}

/// The most terms a sum is written out in full with: more could not fit any terminal's width
/// (every term takes a few columns), so laying them out would be wasted work.
pub const WHOLE_TERMS: usize = 64;

/// An equation typeset once: each member converted (its notation parsed) when the step is built,
/// so drawing a frame only lays out.
#[derive(Clone, Debug, PartialEq)]
pub struct Typeset {
    /// The members with every sum written out in full, where that differs from `members`: a
    /// reader can check a sum only when all its terms are there, so this is laid out first and
    /// the elided members are used only when it does not fit.
    whole: Option<Vec<Row>>,
    members: Vec<Row>,
    relations: Vec<Op>,
    /// Which members are the lesson's notation (no numbers).
    notation: Vec<bool>,
}

impl Typeset {
    pub fn new(eq: &Equation, el: Elision) -> Typeset {
        let n = eq.members.len();
        let members: Vec<Row> = (0..n).map(|k| print::member::<Row>(eq, k, el)).collect();
        let whole_el = Elision {
            terms: Cut {
                max: el.terms.max.max(WHOLE_TERMS),
                ..el.terms
            },
            ..el
        };
        let whole: Vec<Row> = (0..n)
            .map(|k| print::member::<Row>(eq, k, whole_el))
            .collect();
        Typeset {
            whole: (whole != members).then_some(whole),
            members,
            relations: (0..n).map(|k| print::relation(eq, k)).collect(),
            notation: eq.members.iter().map(|m| m.is_notation()).collect(),
        }
    }

    /// The equation without its worked operands: its notation, then its result. For a screen
    /// too small for the whole of it (Xᵀδ at 80×24); None when there is nothing to leave out.
    pub fn short(&self) -> Option<Typeset> {
        let n = self.members.len();
        let keep: Vec<usize> = (0..n).filter(|&k| self.notation[k] || k + 1 == n).collect();
        if keep.len() == n {
            return None;
        }
        Some(Typeset {
            whole: None,
            members: keep.iter().map(|&k| self.members[k].clone()).collect(),
            // What is left is exact: the result is the engine's, rounded, and nothing recomputes it.
            relations: keep.iter().map(|_| Op::Equals).collect(),
            notation: keep.iter().map(|&k| self.notation[k]).collect(),
        })
    }

    /// Members `from..to` of `members`, a part that does not start the equation starting with
    /// its relation.
    fn part(&self, members: &[Row], from: usize, to: usize) -> Formula {
        let mut row = Row::new();
        let to = to.min(members.len());
        for (k, member) in members.iter().enumerate().take(to).skip(from) {
            if k > 0 {
                row = row.then(Row::op(self.relations[k]));
            }
            row = row.then(member.clone());
        }
        row.into()
    }

    /// The whole equation, long sums elided.
    pub fn formula(&self) -> Formula {
        self.part(&self.members, 0, self.members.len())
    }

    /// The whole equation with every sum in full (the same as [`Typeset::formula`] when no sum
    /// is long).
    pub fn formula_whole(&self) -> Formula {
        let members = self.whole.as_ref().unwrap_or(&self.members);
        self.part(members, 0, members.len())
    }

    /// The equation laid out in `room` columns: whole in 2-D if it fits (on one line if `full`
    /// is false), else broken into lines before its relations, each as wide as fits. Sums are
    /// written in full whenever every line then fits in `room`, even on more lines: a reader
    /// can check a sum only with all its terms.
    pub fn blocks(&self, room: usize, full: bool, opts: Options) -> Vec<Block> {
        if let Some(whole) = &self.whole {
            let blocks = self.blocks_of(whole, room, full, opts);
            if blocks.iter().all(|b| b.width <= room) {
                return blocks;
            }
        }
        self.blocks_elided(room, full, opts)
    }

    /// [`Typeset::blocks`] with long sums elided, whatever the room: for a screen short of rows.
    pub fn blocks_elided(&self, room: usize, full: bool, opts: Options) -> Vec<Block> {
        self.blocks_of(&self.members, room, full, opts)
    }

    fn blocks_of(&self, members: &[Row], room: usize, full: bool, opts: Options) -> Vec<Block> {
        let lay = |from: usize, to: usize| {
            let f = self.part(members, from, to);
            if full {
                math::fit(&f, room, opts)
            } else {
                math::layout_inline(&f, opts)
            }
        };
        let n = members.len();
        let whole = lay(0, n);
        if whole.width <= room || n < 2 {
            return vec![whole];
        }
        // Greedy: each line takes as many members as fit; a member too wide alone gets a line.
        let mut out = Vec::new();
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            let mut block = lay(start, end);
            while end < n {
                let wider = lay(start, end + 1);
                if wider.width > room {
                    break;
                }
                block = wider;
                end += 1;
            }
            out.push(block);
            start = end;
        }
        out
    }

    /// [`Typeset::blocks`] stacked into one block, left-aligned.
    pub fn block(&self, room: usize, full: bool, opts: Options) -> Block {
        Block::stack(self.blocks(room, full, opts))
    }

    /// [`Typeset::blocks_elided`] on one line each, stacked, when it differs from the inline
    /// [`Typeset::block`]: the fallback of a screen too short for a sum in full.
    pub fn compact(&self, room: usize, opts: Options) -> Option<Block> {
        let elided = Block::stack(self.blocks_elided(room, false, opts));
        (elided != self.block(room, false, opts)).then_some(elided)
    }
}

/// The whole equation as a formula (tests and one-off uses; the screen keeps a [`Typeset`]).
pub fn formula(eq: &Equation, el: Elision) -> Formula {
    print::equation::<Row>(eq, el).into()
}
