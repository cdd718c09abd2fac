//! The display rule: an equation holds at the digits it prints.
//!
//! A member is recomputed from its numbers *as printed* (a reader's calculator has nothing else)
//! and written the way the result is written; the equation holds when that text is the result's
//! text. [`plan`] finds the fewest operand digits that make it hold.

use super::{Equation, Expr, MAX_EXTRA};
use crate::number::Written;

/// A member's value: a number, a column, or a matrix (rows).
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Scalar(f64),
    Column(Vec<f64>),
    Matrix(Vec<Vec<f64>>),
}

impl Val {
    fn flat(self) -> Vec<f64> {
        match self {
            Val::Scalar(v) => vec![v],
            Val::Column(v) => v,
            Val::Matrix(rows) => rows.into_iter().flatten().collect(),
        }
    }
}

/// Applies `f` entry by entry, a scalar standing for a column of itself.
fn zip(a: Val, b: Val, f: impl Fn(f64, f64) -> f64) -> Option<Val> {
    Some(match (a, b) {
        (Val::Scalar(a), Val::Scalar(b)) => Val::Scalar(f(a, b)),
        (Val::Scalar(a), Val::Column(b)) => Val::Column(b.into_iter().map(|b| f(a, b)).collect()),
        (Val::Column(a), Val::Scalar(b)) => Val::Column(a.into_iter().map(|a| f(a, b)).collect()),
        (Val::Column(a), Val::Column(b)) if a.len() == b.len() => {
            Val::Column(a.into_iter().zip(b).map(|(a, b)| f(a, b)).collect())
        }
        _ => return None,
    })
}

/// The value of `e` with each number read back from how `written` writes it (None for notation,
/// lists and hidden numbers).
pub fn eval(e: &Expr, written: &impl Fn(f64) -> Written) -> Option<Val> {
    Some(match e {
        Expr::Value(v) if v.hidden => return None,
        Expr::Value(v) => Val::Scalar(written(v.value).value()),
        Expr::Exact { value, .. } => Val::Scalar(*value),
        Expr::Notation(_) | Expr::List(_) => return None,
        Expr::Column(items, _) => Val::Column(
            items
                .iter()
                .map(|i| match eval(i, written)? {
                    Val::Scalar(v) => Some(v),
                    _ => None,
                })
                .collect::<Option<_>>()?,
        ),
        Expr::Matrix(rows, _) => Val::Matrix(
            rows.iter()
                .map(|r| {
                    r.iter()
                        .map(|i| match eval(i, written)? {
                            Val::Scalar(v) => Some(v),
                            _ => None,
                        })
                        .collect::<Option<Vec<f64>>>()
                })
                .collect::<Option<_>>()?,
        ),
        Expr::Sum(items) => {
            let mut acc: Option<Val> = None;
            for item in items {
                let v = eval(item, written)?;
                acc = Some(match acc {
                    None => v,
                    Some(a) => zip(a, v, |a, b| a + b)?,
                });
            }
            acc?
        }
        Expr::Difference(a, b) => zip(eval(a, written)?, eval(b, written)?, |a, b| a - b)?,
        Expr::Product(a, b, _) => match (eval(a, written)?, eval(b, written)?) {
            (Val::Matrix(m), Val::Column(v)) => Val::Column(
                m.iter()
                    .map(|row| {
                        (row.len() == v.len())
                            .then(|| row.iter().zip(&v).fold(0.0, |s, (a, b)| s + a * b))
                    })
                    .collect::<Option<_>>()?,
            ),
            (a, b) => zip(a, b, |a, b| a * b)?,
        },
        Expr::Quotient(a, b) => zip(eval(a, written)?, eval(b, written)?, |a, b| a / b)?,
        Expr::HalfSquare(a) => match eval(a, written)? {
            Val::Scalar(v) => Val::Scalar(v * v / 2.0),
            _ => return None,
        },
    })
}

/// Whether the equation holds with operands at `digits` decimals: Some(true/false) when it can
/// be checked, None when it has nothing to check (one numeric member, a non-finite number).
fn holds(eq: &Equation, digits: usize) -> Option<bool> {
    let last = eq.members.len().checked_sub(1)?;
    let result = &eq.members[last];
    let shown: Vec<Written> = result
        .values()
        .iter()
        .map(|v| eq.written(last, v.value))
        .collect();
    if shown.is_empty() || shown.iter().any(|w| !w.value().is_finite()) {
        return None;
    }
    let operand = |v: f64| super::operand(v, eq.precision, digits);
    let mut checked = false;
    for member in &eq.members[..last] {
        let Some(computed) = eval(member, &operand) else {
            continue;
        };
        let computed = computed.flat();
        if computed.len() != shown.len() || computed.iter().any(|v| !v.is_finite()) {
            return None;
        }
        checked = true;
        if computed
            .iter()
            .zip(&shown)
            .any(|(c, s)| s.same_form(*c).plain() != s.plain())
        {
            return Some(false);
        }
    }
    checked.then_some(true)
}

/// The fewest operand decimals (from the precision asked for) with which the equation holds,
/// and whether even [`MAX_EXTRA`] more than the result shows were not enough (then it is printed
/// with `≈`). A small result shows more decimals than the precision (0.0020 at 3), so its
/// operands may get that many and [`MAX_EXTRA`] more.
pub fn plan(eq: &Equation) -> (usize, bool) {
    let last = eq.members.len().saturating_sub(1);
    let shown = eq
        .members
        .last()
        .map(Expr::values)
        .unwrap_or_default()
        .iter()
        .map(|v| match eq.written(last, v.value) {
            Written::Fixed { decimals, .. } => decimals,
            _ => eq.precision,
        })
        .max()
        .unwrap_or(eq.precision)
        .max(eq.precision);
    for digits in eq.precision..=shown + MAX_EXTRA {
        match holds(eq, digits) {
            None => return (eq.precision, false),
            Some(true) => return (digits, false),
            Some(false) => {}
        }
    }
    (shown + MAX_EXTRA, true)
}

/// Whether the equation, as it will be printed, holds (or says ≈): what tests assert of every
/// equation the builders make.
pub fn consistent(eq: &Equation) -> bool {
    eq.approx || holds(eq, eq.operand_digits) != Some(false)
}
