//! Writing an equation out, once for every output: what is elided, where parentheses go, which
//! relation joins the members. An output ([`Sink`]) only says how each piece looks: LaTeX text
//! for the handout, typeset rows for the screen.

use super::{Axis, Elision, Equation, Expr, Join};
use crate::math::Role;
use crate::math::build::Op;
use crate::number::{self, Written};

/// Where entries are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dots {
    /// Along a row or a sum.
    Across,
    /// Down a column.
    Down,
    /// Both.
    Diagonal,
}

/// One output's pieces.
pub trait Sink: Sized {
    fn empty() -> Self;
    /// `self` then `next`, spaced as the output spaces them.
    fn then(self, next: Self) -> Self;
    fn number(written: &Written, role: Option<Role>) -> Self;
    /// A number the quiz or the step hides.
    fn unknown(role: Option<Role>) -> Self;
    /// A setting as given (already written out).
    fn exact(text: &str, role: Option<Role>) -> Self;
    fn notation(latex: &str) -> Self;
    fn op(op: Op) -> Self;
    fn frac(num: Self, den: Self) -> Self;
    fn parens(inner: Self, squared: bool) -> Self;
    fn matrix(rows: Vec<Vec<Self>>) -> Self;
    fn dots(dots: Dots) -> Self;
    fn comma() -> Self;
}

struct Ctx<'a> {
    eq: &'a Equation,
    member: usize,
    el: Elision,
}

/// Sums and differences need parentheses as factors or subtrahends.
fn compound(e: &Expr) -> bool {
    matches!(e, Expr::Sum(_) | Expr::Difference(..))
}

fn expr<S: Sink>(e: &Expr, cx: &Ctx<'_>, after_op: bool) -> S {
    let signed = |s: S, negative: bool| {
        if after_op && negative {
            S::parens(s, false)
        } else {
            s
        }
    };
    match e {
        Expr::Value(v) => {
            let role = Some(v.cell.q.role());
            if v.hidden {
                return S::unknown(role);
            }
            let w = cx.eq.written(cx.member, v.value);
            signed(S::number(&w, role), w.negative())
        }
        Expr::Exact { value, role } => {
            let text = number::exact(*value);
            let negative = text.starts_with('-');
            signed(S::exact(&text, *role), negative)
        }
        Expr::Notation(latex) => S::notation(latex),
        Expr::Column(items, axis) => S::matrix(
            cx.el
                .along(*axis)
                .shown(items.len())
                .into_iter()
                .map(|i| {
                    vec![match i {
                        Some(i) => expr(&items[i], cx, false),
                        None => S::dots(Dots::Down),
                    }]
                })
                .collect(),
        ),
        Expr::Matrix(rows, axis) => {
            let cols = rows.first().map_or(0, Vec::len);
            let across = match axis {
                Axis::Samples => Axis::Features,
                Axis::Features => Axis::Samples,
            };
            let shown_cols = cx.el.along(across).shown(cols);
            S::matrix(
                cx.el
                    .along(*axis)
                    .shown(rows.len())
                    .into_iter()
                    .map(|r| {
                        shown_cols
                            .iter()
                            .map(|c| match (r, c) {
                                (Some(r), Some(c)) => rows[r]
                                    .get(*c)
                                    .map_or_else(S::empty, |e| expr(e, cx, false)),
                                (Some(_), None) => S::dots(Dots::Across),
                                (None, Some(_)) => S::dots(Dots::Down),
                                (None, None) => S::dots(Dots::Diagonal),
                            })
                            .collect()
                    })
                    .collect(),
            )
        }
        Expr::List(items) => {
            let mut out = S::empty();
            for (k, i) in cx.el.terms.shown(items.len()).into_iter().enumerate() {
                if k > 0 {
                    out = out.then(S::comma());
                }
                out = out.then(match i {
                    Some(i) => expr(&items[i], cx, false),
                    None => S::dots(Dots::Across),
                });
            }
            out
        }
        Expr::Sum(items) => {
            let mut out = S::empty();
            for (k, i) in cx.el.terms.shown(items.len()).into_iter().enumerate() {
                let first = k == 0;
                if !first {
                    out = out.then(S::op(Op::Plus));
                }
                out = out.then(match i {
                    Some(i) => expr(&items[i], cx, after_op || !first),
                    None => S::dots(Dots::Across),
                });
            }
            out
        }
        Expr::Difference(a, b) => {
            let right = expr(b, cx, true);
            let right = if compound(b) {
                S::parens(right, false)
            } else {
                right
            };
            expr::<S>(a, cx, after_op)
                .then(S::op(Op::Minus))
                .then(right)
        }
        Expr::Product(a, b, join) => {
            let factor = |e: &Expr, after: bool| {
                let s = expr(e, cx, after);
                if compound(e) { S::parens(s, false) } else { s }
            };
            let left = factor(a, after_op);
            let right = factor(b, true);
            match join {
                Join::Dot => left.then(S::op(Op::Dot)).then(right),
                Join::Juxtapose => left.then(right),
                Join::Hadamard => left.then(S::op(Op::Hadamard)).then(right),
            }
        }
        Expr::Quotient(a, b) => S::frac(expr(a, cx, false), expr(b, cx, false)),
        Expr::HalfSquare(a) => {
            let half = S::frac(S::exact("1", None), S::exact("2", None));
            half.then(S::parens(expr(a, cx, false), true))
        }
        Expr::Apply(f, a) => S::notation(f.latex()).then(S::parens(expr(a, cx, false), false)),
    }
}

/// Member `k` on its own.
pub fn member<S: Sink>(eq: &Equation, k: usize, el: Elision) -> S {
    match eq.members.get(k) {
        Some(e) => expr(e, &Ctx { eq, member: k, el }, false),
        None => S::empty(),
    }
}

/// The relation before member `k` (k ≥ 1): `=`, or `≈` before the result of an equation that
/// does not hold at its digits.
pub fn relation(eq: &Equation, k: usize) -> Op {
    if eq.approx && k + 1 == eq.members.len() {
        Op::Approx
    } else {
        Op::Equals
    }
}

/// Members `from..to`; a part that does not start the equation starts with its relation.
pub fn members<S: Sink>(eq: &Equation, from: usize, to: usize, el: Elision) -> S {
    let mut out = S::empty();
    for k in from..to.min(eq.members.len()) {
        if k > 0 {
            out = out.then(S::op(relation(eq, k)));
        }
        out = out.then(member(eq, k, el));
    }
    out
}

/// The whole equation.
pub fn equation<S: Sink>(eq: &Equation, el: Elision) -> S {
    members(eq, 0, eq.members.len(), el)
}
