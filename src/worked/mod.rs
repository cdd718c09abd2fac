//! Worked formulas: the lesson's formulas with one mini-batch's numbers in them.
//!
//! Each is one typed [`Equation`], built once from the engine's [`Batch`](crate::engine::Batch):
//! its leaves are the engine's own values, each knowing which [`Cell`] it is and whether the step
//! produced it. Everything reads that one object: the screen lays it out through
//! [`crate::math`], the quiz hides its outputs, inspect builds the same equations for one cell,
//! and the handout prints it back as LaTeX.
//!
//! Equations keep a promise to a reader with a calculator: recomputed from the operands as
//! printed, the result rounds to the result as printed. When the chosen precision cannot make
//! that so, the operands get more digits (up to [`MAX_EXTRA`]), and past that the last `=`
//! becomes `≈`. See [`check`].

pub mod cells;
pub mod check;
mod draw;
pub mod entry;
pub mod graph;
pub mod held;
pub mod latex;
pub mod ledger;
pub mod names;
pub mod print;
mod quantity;
pub mod rules;
pub mod screen;
pub mod steps;
pub mod two_layer;

pub use crate::engine::tape::Symbol;
pub use quantity::{Cell, Part, Quantity};

use crate::math::Role;
use crate::number::{self, Written};

/// The most digits an equation's operands get beyond what its result shows.
pub const MAX_EXTRA: usize = 3;

/// A number computed by the engine, in its place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Value {
    pub cell: Cell,
    pub value: f64,
    /// The step being shown computes this number (the quiz hides outputs).
    pub output: bool,
    /// Shown as `?`.
    pub hidden: bool,
}

/// How two factors stand side by side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// `a · b`
    Dot,
    /// `a b`: a scalar before a vector, a matrix before a vector or a matrix.
    Juxtapose,
    /// `a ⊙ b`: entry by entry.
    Hadamard,
}

/// A function applied entry by entry: the hidden layer's σ, or ReLU's slope σ′ (tanh′ and
/// sigmoid′ are written out as arithmetic on h, as a board writes them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Sigma(crate::engine::Activation),
    /// relu′(z): 1 where z > 0, else 0 (0 at exactly 0, as in PyTorch).
    ReluSlope,
}

impl Func {
    pub fn eval(self, z: f64) -> f64 {
        match self {
            Func::Sigma(a) => a.apply(z),
            Func::ReluSlope => crate::engine::Activation::Relu.slope(z, z),
        }
    }

    /// How the function's name is written, in the LaTeX subset [`crate::math::parse`] reads.
    pub fn latex(self) -> &'static str {
        match self {
            Func::Sigma(a) => match a {
                crate::engine::Activation::Relu => r"\text{relu}",
                crate::engine::Activation::Tanh => r"\text{tanh}",
                crate::engine::Activation::Sigmoid => r"\text{sigmoid}",
            },
            Func::ReluSlope => r"\text{relu'}",
        }
    }
}

/// What a column's entries, or a matrix's rows, stand for: long runs of samples and of
/// features are shortened differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    Samples,
    Features,
}

/// A formula with numbers, as a tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Value(Value),
    /// A setting or a constant, shown exactly as given (a learning rate, N, the 0 gradients
    /// start from).
    Exact {
        value: f64,
        role: Option<Role>,
    },
    /// The lesson's notation, in the LaTeX subset [`crate::math::parse`] reads. It has no value.
    Notation(String),
    /// A column vector of one entry per sample or per feature.
    Column(Vec<Expr>, Axis),
    /// A matrix whose rows are samples (X) or features (Xᵀ).
    Matrix(Vec<Vec<Expr>>, Axis),
    /// Items separated by commas: a list, not arithmetic.
    List(Vec<Expr>),
    Sum(Vec<Expr>),
    Difference(Box<Expr>, Box<Expr>),
    Product(Box<Expr>, Box<Expr>, Join),
    Quotient(Box<Expr>, Box<Expr>),
    /// ½(a)², the loss of one sample.
    HalfSquare(Box<Expr>),
    /// f(a), entry by entry.
    Apply(Func, Box<Expr>),
}

/// Members joined by `=`: the lesson's notation first, then the numbers; the last member is the
/// result.
#[derive(Clone, Debug, PartialEq)]
pub struct Equation {
    pub members: Vec<Expr>,
    /// Decimals of the result.
    pub precision: usize,
    /// Decimals of the operands: at least as many as the result shows (a small result keeps
    /// significant digits past `precision`), more where the equation needs them to hold.
    pub operand_digits: usize,
    /// Even `MAX_EXTRA` more digits did not make it hold: the last relation is `≈`.
    pub approx: bool,
    /// Values the equation stands for that no member prints (written where `output`, read
    /// otherwise): the cells a drawn batch fills, the mean loss an epoch summary computes.
    /// What a step writes and reads is read off its equations (see [`ledger`]), so an equation
    /// that says less than it means says the rest here.
    pub unprinted: Vec<Value>,
    /// The terms a sum of the equation adds up, each with the numbers it multiplies: the terms
    /// δ⁽ⁱ⁾xⱼ⁽ⁱ⁾ a gradient adds up. One not printed as a cell is known from the step on,
    /// neither written nor read by it; inspect tells a cut sum term by term with them.
    pub terms: Vec<Term>,
}

/// A term a sum adds up, and the cells whose product it is (a term that is a number of the
/// sum itself is the product of that one cell).
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub value: Value,
    pub of: Vec<Cell>,
}

/// Which entries are shown when there are too many: the first `head`, a gap, the last `tail`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cut {
    pub max: usize,
    pub head: usize,
    pub tail: usize,
}

impl Cut {
    /// The positions shown out of `n`: `Some(i)` for an entry, `None` once for the gap.
    pub fn shown(self, n: usize) -> Vec<Option<usize>> {
        if n <= self.max || self.head + self.tail >= n {
            return (0..n).map(Some).collect();
        }
        (0..self.head)
            .map(Some)
            .chain([None])
            .chain((n - self.tail..n).map(Some))
            .collect()
    }
}

/// How long columns, wide matrices and long sums are shortened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elision {
    pub rows: Cut,
    pub cols: Cut,
    pub terms: Cut,
}

impl Elision {
    /// How runs along `axis` are cut: samples as rows, features as columns.
    pub fn along(&self, axis: Axis) -> Cut {
        match axis {
            Axis::Samples => self.rows,
            Axis::Features => self.cols,
        }
    }
}

/// On screen: a column of more than 6 shows 3 and 2, a sum of more than 4 terms 3 and 1.
pub const SCREEN: Elision = Elision {
    rows: Cut {
        max: 6,
        head: 3,
        tail: 2,
    },
    cols: Cut {
        max: 3,
        head: 2,
        tail: 1,
    },
    terms: Cut {
        max: 4,
        head: 3,
        tail: 1,
    },
};

/// In a handout, with a page's room.
pub const HANDOUT: Elision = Elision {
    rows: Cut {
        max: 20,
        head: 6,
        tail: 2,
    },
    cols: Cut {
        max: 8,
        head: 4,
        tail: 2,
    },
    terms: Cut {
        max: 20,
        head: 6,
        tail: 2,
    },
};

impl Value {
    pub fn new(cell: Cell, value: f64, output: bool) -> Value {
        Value {
            cell,
            value,
            output,
            hidden: false,
        }
    }
}

impl Expr {
    pub fn value(cell: Cell, value: f64, output: bool) -> Expr {
        Expr::Value(Value::new(cell, value, output))
    }

    pub fn exact(value: f64, role: Option<Role>) -> Expr {
        Expr::Exact { value, role }
    }

    pub fn notation(latex: impl Into<String>) -> Expr {
        Expr::Notation(latex.into())
    }

    pub fn difference(a: Expr, b: Expr) -> Expr {
        Expr::Difference(Box::new(a), Box::new(b))
    }

    pub fn product(a: Expr, b: Expr, join: Join) -> Expr {
        Expr::Product(Box::new(a), Box::new(b), join)
    }

    pub fn quotient(a: Expr, b: Expr) -> Expr {
        Expr::Quotient(Box::new(a), Box::new(b))
    }

    pub fn half_square(a: Expr) -> Expr {
        Expr::HalfSquare(Box::new(a))
    }

    pub fn apply(f: Func, a: Expr) -> Expr {
        Expr::Apply(f, Box::new(a))
    }

    /// Every engine value in the expression, in reading order.
    pub fn values(&self) -> Vec<&Value> {
        let mut out = Vec::new();
        self.visit(&mut |v| out.push(v));
        out
    }

    fn visit<'a>(&'a self, f: &mut impl FnMut(&'a Value)) {
        match self {
            Expr::Value(v) => f(v),
            Expr::Exact { .. } | Expr::Notation(_) => {}
            Expr::Column(items, _) | Expr::List(items) | Expr::Sum(items) => {
                items.iter().for_each(|e| e.visit(f));
            }
            Expr::Matrix(rows, _) => rows.iter().flatten().for_each(|e| e.visit(f)),
            Expr::Difference(a, b) | Expr::Product(a, b, _) | Expr::Quotient(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            Expr::HalfSquare(a) | Expr::Apply(_, a) => a.visit(f),
        }
    }

    fn visit_mut(&mut self, f: &mut impl FnMut(&mut Value)) {
        match self {
            Expr::Value(v) => f(v),
            Expr::Exact { .. } | Expr::Notation(_) => {}
            Expr::Column(items, _) | Expr::List(items) | Expr::Sum(items) => {
                items.iter_mut().for_each(|e| e.visit_mut(f));
            }
            Expr::Matrix(rows, _) => rows.iter_mut().flatten().for_each(|e| e.visit_mut(f)),
            Expr::Difference(a, b) | Expr::Product(a, b, _) | Expr::Quotient(a, b) => {
                a.visit_mut(f);
                b.visit_mut(f);
            }
            Expr::HalfSquare(a) | Expr::Apply(_, a) => a.visit_mut(f),
        }
    }

    /// Whether the expression holds no numbers at all (pure notation).
    pub fn is_notation(&self) -> bool {
        matches!(self, Expr::Notation(_))
    }
}

/// `v` with `digits` decimals, or with `precision` when those already say it exactly: more
/// digits help where rounding hides something, and 3 is as exact as 3.00000.
pub(crate) fn operand(v: f64, precision: usize, digits: usize) -> Written {
    let short = number::written(v, precision);
    if digits > precision && short.value() != v {
        number::written(v, digits)
    } else {
        short
    }
}

impl Equation {
    /// The equation with its digits chosen so that it holds as printed (see [`check::plan`]).
    pub fn new(members: Vec<Expr>, precision: usize) -> Equation {
        let mut eq = Equation {
            members,
            precision,
            operand_digits: precision,
            approx: false,
            unprinted: Vec::new(),
            terms: Vec::new(),
        };
        let (digits, approx) = check::plan(&eq);
        eq.operand_digits = digits;
        eq.approx = approx;
        // Loud in every test build; a release build prints such an equation with ≈.
        debug_assert!(
            check::unevaluable(&eq).is_none(),
            "an equation the display rule cannot check: {}",
            check::unevaluable(&eq).map(|e| e.0).unwrap_or_default()
        );
        eq
    }

    /// The equation, standing also for `values` it does not print.
    pub fn standing_for(mut self, values: impl IntoIterator<Item = Value>) -> Equation {
        self.unprinted.extend(values);
        self
    }

    /// The equation, with the `terms` it adds up on the way to its result.
    pub fn summing(mut self, terms: impl IntoIterator<Item = Term>) -> Equation {
        self.terms.extend(terms);
        self
    }

    /// Decimals of the numbers in member `k`: the result's precision for the last member, more
    /// for the operands when the equation needed them.
    pub fn digits(&self, k: usize) -> usize {
        if k + 1 == self.members.len() {
            self.precision
        } else {
            self.operand_digits
        }
    }

    /// How member `k` writes `v`.
    pub fn written(&self, k: usize, v: f64) -> Written {
        operand(v, self.precision, self.digits(k))
    }

    /// Every engine value of the equation.
    pub fn values(&self) -> Vec<&Value> {
        self.members.iter().flat_map(Expr::values).collect()
    }

    /// The values of the result (the last member).
    pub fn results(&self) -> Vec<&Value> {
        self.members.last().map(Expr::values).unwrap_or_default()
    }

    /// Shows as `?` every value for which `hide` is true; digits stay as planned, so revealing
    /// changes nothing else.
    pub fn hide(&mut self, mut hide: impl FnMut(&Value) -> bool) {
        for m in &mut self.members {
            m.visit_mut(&mut |v| {
                if hide(v) {
                    v.hidden = true;
                }
            });
        }
    }

    /// Whether any value is hidden.
    pub fn hides_any(&self) -> bool {
        self.values().iter().any(|v| v.hidden)
    }
}
