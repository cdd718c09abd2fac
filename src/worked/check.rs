//! The display rule: an equation holds at the digits it prints.
//!
//! A member is recomputed from its numbers *as printed* (a reader's calculator has nothing else)
//! and written the way the result is written; the equation holds when that text is the result's
//! text. [`plan`] finds the fewest operand digits that make it hold.

use super::{Equation, Expr, Join, MAX_EXTRA};
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

/// A member the checker cannot evaluate: an operator, or a combination of shapes, it does not
/// know. Such an equation is never counted as holding: [`consistent`] is false for it and it is
/// printed with `≈`, so a new operator cannot pass the display rule by being unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unevaluable(pub String);

impl std::fmt::Display for Unevaluable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn shape(v: &Val) -> String {
    match v {
        Val::Scalar(_) => "a number".into(),
        Val::Column(c) => format!("a column of {}", c.len()),
        Val::Matrix(rows) => format!("a matrix of {} rows", rows.len()),
    }
}

/// Applies `f` entry by entry, a scalar standing for a column of itself.
fn zip(a: Val, b: Val, what: &str, f: impl Fn(f64, f64) -> f64) -> Result<Val, Unevaluable> {
    Ok(match (a, b) {
        (Val::Scalar(a), Val::Scalar(b)) => Val::Scalar(f(a, b)),
        (Val::Scalar(a), Val::Column(b)) => Val::Column(b.into_iter().map(|b| f(a, b)).collect()),
        (Val::Column(a), Val::Scalar(b)) => Val::Column(a.into_iter().map(|a| f(a, b)).collect()),
        (Val::Column(a), Val::Column(b)) if a.len() == b.len() => {
            Val::Column(a.into_iter().zip(b).map(|(a, b)| f(a, b)).collect())
        }
        (Val::Matrix(a), Val::Scalar(b)) => Val::Matrix(
            a.into_iter()
                .map(|r| r.into_iter().map(|a| f(a, b)).collect())
                .collect(),
        ),
        (Val::Scalar(a), Val::Matrix(b)) => Val::Matrix(
            b.into_iter()
                .map(|r| r.into_iter().map(|b| f(a, b)).collect())
                .collect(),
        ),
        // Same shape entry by entry; a one-row matrix is broadcast over the rows (`… + b₁`).
        (Val::Matrix(a), Val::Matrix(b))
            if (b.len() == a.len() || b.len() == 1)
                && a.iter().all(|r| r.len() == b[0].len())
                && b.iter().all(|r| r.len() == b[0].len()) =>
        {
            let single = b.len() == 1;
            Val::Matrix(
                a.into_iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let other = &b[if single { 0 } else { i }];
                        r.into_iter().zip(other).map(|(a, b)| f(a, *b)).collect()
                    })
                    .collect(),
            )
        }
        (a, b) => {
            return Err(Unevaluable(format!(
                "cannot {what} {} and {}",
                shape(&a),
                shape(&b)
            )));
        }
    })
}

/// A matrix times a column, each entry summed left to right from 0.
fn matrix_column(m: &[Vec<f64>], v: &[f64]) -> Result<Val, Unevaluable> {
    let mut out = Vec::with_capacity(m.len());
    for row in m {
        if row.len() != v.len() {
            return Err(Unevaluable(format!(
                "cannot multiply rows of {} by a column of {}",
                row.len(),
                v.len()
            )));
        }
        out.push(row.iter().zip(v).fold(0.0, |s, (a, b)| s + a * b));
    }
    Ok(Val::Column(out))
}

/// Each entry of a column or a matrix row as a number.
fn scalars(
    items: &[Expr],
    written: &impl Fn(f64) -> Written,
) -> Result<Option<Vec<f64>>, Unevaluable> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match eval(item, written)? {
            None => return Ok(None),
            Some(Val::Scalar(v)) => out.push(v),
            Some(other) => {
                return Err(Unevaluable(format!("{} inside a column", shape(&other))));
            }
        }
    }
    Ok(Some(out))
}

/// The value of `e` with each number read back from how `written` writes it: `None` for what
/// is not a number by design (notation, lists, hidden numbers, and anything containing them),
/// an error for what the checker cannot evaluate.
pub fn eval(e: &Expr, written: &impl Fn(f64) -> Written) -> Result<Option<Val>, Unevaluable> {
    // Both operands, or `None` when either is not a number by design.
    let pair = |a: &Expr, b: &Expr| -> Result<Option<(Val, Val)>, Unevaluable> {
        Ok(eval(a, written)?.zip(eval(b, written)?))
    };
    Ok(Some(match e {
        Expr::Value(v) if v.hidden => return Ok(None),
        Expr::Value(v) => Val::Scalar(written(v.value).value()),
        Expr::Exact { value, .. } => Val::Scalar(*value),
        Expr::Notation(_) | Expr::List(_) => return Ok(None),
        Expr::Column(items, _) => match scalars(items, written)? {
            Some(v) => Val::Column(v),
            None => return Ok(None),
        },
        Expr::Matrix(rows, _) => {
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                match scalars(row, written)? {
                    Some(v) => out.push(v),
                    None => return Ok(None),
                }
            }
            Val::Matrix(out)
        }
        Expr::Sum(items) => {
            let mut acc: Option<Val> = None;
            for item in items {
                let Some(v) = eval(item, written)? else {
                    return Ok(None);
                };
                acc = Some(match acc {
                    None => v,
                    Some(a) => zip(a, v, "add", |a, b| a + b)?,
                });
            }
            acc.ok_or_else(|| Unevaluable("an empty sum".into()))?
        }
        Expr::Difference(a, b) => match pair(a, b)? {
            Some((a, b)) => zip(a, b, "subtract", |a, b| a - b)?,
            None => return Ok(None),
        },
        Expr::Product(a, b, Join::Juxtapose) => match pair(a, b)? {
            // A matrix product, each entry summed left to right from 0 as the engine sums.
            Some((Val::Matrix(m), Val::Matrix(k))) => {
                let inner = k.len();
                let cols = k.first().map_or(0, Vec::len);
                if m.iter().any(|r| r.len() != inner) {
                    return Err(Unevaluable(format!(
                        "cannot multiply rows by a matrix of {inner} rows"
                    )));
                }
                Val::Matrix(
                    m.iter()
                        .map(|r| {
                            (0..cols)
                                .map(|j| r.iter().zip(&k).fold(0.0, |s, (a, kr)| s + a * kr[j]))
                                .collect()
                        })
                        .collect(),
                )
            }
            // A column times a one-row matrix: the outer product (δW₂ᵀ).
            Some((Val::Column(c), Val::Matrix(k))) if k.len() == 1 => Val::Matrix(
                c.iter()
                    .map(|a| k[0].iter().map(|b| 0.0 + a * b).collect())
                    .collect(),
            ),
            Some((Val::Matrix(m), Val::Column(v))) => matrix_column(&m, &v)?,
            Some((a, b)) => zip(a, b, "multiply", |a, b| a * b)?,
            None => return Ok(None),
        },
        Expr::Product(a, b, _) => match pair(a, b)? {
            Some((Val::Matrix(m), Val::Column(v))) => matrix_column(&m, &v)?,
            Some((a, b)) => zip(a, b, "multiply", |a, b| a * b)?,
            None => return Ok(None),
        },
        Expr::Quotient(a, b) => match pair(a, b)? {
            Some((a, b)) => zip(a, b, "divide", |a, b| a / b)?,
            None => return Ok(None),
        },
        Expr::Apply(f, a) => match eval(a, written)? {
            Some(Val::Scalar(v)) => Val::Scalar(f.eval(v)),
            Some(Val::Column(c)) => Val::Column(c.into_iter().map(|v| f.eval(v)).collect()),
            Some(Val::Matrix(m)) => Val::Matrix(
                m.into_iter()
                    .map(|r| r.into_iter().map(|v| f.eval(v)).collect())
                    .collect(),
            ),
            None => return Ok(None),
        },
        Expr::HalfSquare(a) => match eval(a, written)? {
            Some(Val::Scalar(v)) => Val::Scalar(v * v / 2.0),
            Some(other) => {
                return Err(Unevaluable(format!("½(…)² of {}", shape(&other))));
            }
            None => return Ok(None),
        },
    }))
}

/// What recomputing an equation's members found.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Holds {
    Yes,
    No,
    /// Nothing to check: one numeric member, or a non-finite number.
    Nothing,
    Cannot(Unevaluable),
}

/// Whether the equation holds with operands at `digits` decimals.
fn holds(eq: &Equation, digits: usize) -> Holds {
    let Some(last) = eq.members.len().checked_sub(1) else {
        return Holds::Nothing;
    };
    let result = &eq.members[last];
    let shown: Vec<Written> = result
        .values()
        .iter()
        .map(|v| eq.written(last, v.value))
        .collect();
    if shown.is_empty() || shown.iter().any(|w| !w.value().is_finite()) {
        return Holds::Nothing;
    }
    let operand = |v: f64| super::operand(v, eq.precision, digits);
    let mut checked = false;
    for member in &eq.members[..last] {
        let computed = match eval(member, &operand) {
            Ok(Some(v)) => v.flat(),
            Ok(None) => continue,
            Err(e) => return Holds::Cannot(e),
        };
        if computed.iter().any(|v| !v.is_finite()) {
            return Holds::Nothing;
        }
        if computed.len() != shown.len() {
            return Holds::Cannot(Unevaluable(format!(
                "a member of {} numbers equals a result of {}",
                computed.len(),
                shown.len()
            )));
        }
        checked = true;
        if computed
            .iter()
            .zip(&shown)
            // + 0.0: a blocked gradient times a negative number is −0, which a board writes 0.
            .any(|(c, s)| s.same_form(*c + 0.0).plain() != s.plain())
        {
            return Holds::No;
        }
    }
    if checked { Holds::Yes } else { Holds::Nothing }
}

/// Why the equation cannot be checked, if it cannot.
pub fn unevaluable(eq: &Equation) -> Option<Unevaluable> {
    match holds(eq, eq.operand_digits) {
        Holds::Cannot(e) => Some(e),
        _ => None,
    }
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
            Holds::Nothing => return (eq.precision, false),
            Holds::Yes => return (digits, false),
            // Printed with ≈: nothing vouches for it (and `consistent` says so).
            Holds::Cannot(_) => return (eq.precision, true),
            Holds::No => {}
        }
    }
    (shown + MAX_EXTRA, true)
}

/// Whether the equation, as it will be printed, holds (or says ≈): what tests assert of every
/// equation the builders make. An equation the checker cannot evaluate is not consistent, even
/// printed with ≈.
pub fn consistent(eq: &Equation) -> bool {
    match holds(eq, eq.operand_digits) {
        Holds::Cannot(_) => false,
        Holds::No => eq.approx,
        Holds::Yes | Holds::Nothing => true,
    }
}
