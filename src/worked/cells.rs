//! The equation behind one number of the batch: how ŷ⁽ⁱ⁾, l⁽ⁱ⁾, δ⁽ⁱ⁾, L, a gradient or a new
//! parameter was computed, with the batch's numbers. The steps show these (see [`super::steps`]);
//! inspect shows them for whichever cell is asked about.

use super::{Cell, Equation, Expr, Join, Param, Quantity};
use super::{Part, Symbol};
use crate::engine::Batch;
use crate::engine::tape::{Recorded, root_value};
use crate::math::Role;

/// `^{(k)}` for 0-based sample `i`: the lesson counts samples from 1.
pub fn sup(i: usize) -> String {
    format!("^{{({})}}", i + 1)
}

/// An engine value of the batch.
pub fn value(q: Quantity, row: usize, col: usize, v: f64, output: bool) -> Expr {
    Expr::value(Cell::new(q, row, col), v, output)
}

/// δ⁽ⁱ⁾xⱼ⁽ⁱ⁾, sample i's term of ∂L/∂wⱼ, as the value of its cell: δ⁽ⁱ⁾ times xⱼ⁽ⁱ⁾ (which
/// Xᵀδ reads from Xᵀ).
pub fn term(b: &Batch, i: usize, j: usize) -> super::Term {
    super::Term {
        value: super::Value::new(
            Cell::new(Quantity::Of(Symbol::W, Part::Terms), i, j),
            b.contribution(i, j),
            false,
        ),
        of: vec![
            Cell::new(Quantity::Of(Symbol::Delta, Part::Value), i, 0),
            Cell::new(Quantity::Of(Symbol::X, Part::Value), i, j),
        ],
    }
}

/// δ⁽ⁱ⁾, sample i's term of ∂L/∂b: a number of the sum itself.
pub fn delta_term(b: &Batch, i: usize) -> super::Term {
    let cell = Cell::new(Quantity::Of(Symbol::Delta, Part::Value), i, 0);
    super::Term {
        value: super::Value::new(cell, b.delta[i], false),
        of: vec![cell],
    }
}

/// xⱼ⁽ⁱ⁾ as a cell of X.
pub fn x(b: &Batch, i: usize, j: usize) -> Expr {
    value(
        Quantity::Of(Symbol::X, Part::Value),
        i,
        j,
        b.x[(i, j)],
        false,
    )
}

/// The batch size as the engine divided by it.
pub fn n_rows(b: &Batch) -> Expr {
    Expr::exact(b.rows() as f64, Some(Role::N))
}

/// ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b = Σⱼ xⱼ⁽ⁱ⁾wⱼ + b.
pub fn y_hat(b: &Batch, i: usize, p: usize, output: bool) -> Equation {
    let k = sup(i);
    let mut terms: Vec<Expr> = (0..b.x.ncols())
        .map(|j| {
            Expr::product(
                x(b, i, j),
                value(Quantity::Of(Symbol::W, Part::Value), j, 0, b.w[j], false),
                Join::Dot,
            )
        })
        .collect();
    terms.push(value(
        Quantity::Of(Symbol::B, Part::Value),
        0,
        0,
        b.b,
        false,
    ));
    Equation::new(
        vec![
            Expr::notation(format!(r"\hat{{y}}{k}")),
            Expr::notation(format!(r"x{k} w + b")),
            Expr::Sum(terms),
            value(
                Quantity::Of(Symbol::YHat, Part::Value),
                i,
                0,
                b.y_hat[i],
                output,
            ),
        ],
        p,
    )
}

/// ŷ⁽ⁱ⁾ − y⁽ⁱ⁾ with the sample's numbers.
fn difference(b: &Batch, i: usize) -> Expr {
    Expr::difference(
        value(
            Quantity::Of(Symbol::YHat, Part::Value),
            i,
            0,
            b.y_hat[i],
            false,
        ),
        value(Quantity::Of(Symbol::Y, Part::Value), i, 0, b.y[i], false),
    )
}

/// l⁽ⁱ⁾ = ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)².
pub fn loss_sample(b: &Batch, i: usize, p: usize, output: bool) -> Equation {
    let k = sup(i);
    Equation::new(
        vec![
            Expr::notation(format!("l{k}")),
            Expr::notation(format!(r"\frac{{1}}{{2}} (\hat{{y}}{k} - y{k})^2")),
            Expr::half_square(difference(b, i)),
            value(
                Quantity::Of(Symbol::LossSample, Part::Value),
                i,
                0,
                b.losses[i],
                output,
            ),
        ],
        p,
    )
}

/// δ⁽ⁱ⁾ = ŷ⁽ⁱ⁾ − y⁽ⁱ⁾.
pub fn delta(b: &Batch, i: usize, p: usize, output: bool) -> Equation {
    let k = sup(i);
    Equation::new(
        vec![
            Expr::notation(format!(r"\delta{k}")),
            Expr::notation(format!(r"\hat{{y}}{k} - y{k}")),
            difference(b, i),
            value(
                Quantity::Of(Symbol::Delta, Part::Value),
                i,
                0,
                b.delta[i],
                output,
            ),
        ],
        p,
    )
}

/// L = Σ l⁽ⁱ⁾, or (1/N) Σ l⁽ⁱ⁾ when the tape's root is `l.mean()`; `output`: the step computes
/// the l⁽ⁱ⁾ as well as L.
pub fn loss(b: &Batch, p: usize, output: bool) -> Equation {
    let terms = (0..b.rows())
        .map(|i| {
            value(
                Quantity::Of(Symbol::LossSample, Part::Value),
                i,
                0,
                b.losses[i],
                output,
            )
        })
        .collect();
    let sum = Expr::Sum(terms);
    let (scale, computed) = match mean_factor(b) {
        Some((s, f)) => (s, Expr::product(f, sum, Join::Dot)),
        None => ("", sum),
    };
    Equation::new(
        vec![
            Expr::notation("L"),
            Expr::notation(format!(r"{scale}\sum_{{i=1}}^{{N}} l^{{(i)}}")),
            computed,
            value(
                Quantity::Of(Symbol::Loss, Part::Value),
                0,
                0,
                root_value(b),
                output,
            ),
        ],
        p,
    )
}

/// The plain sum the engine adds up for ∂L/∂wⱼ (Some(j)) or ∂L/∂b (None): one term per sample
/// of the first `count`.
fn terms(b: &Batch, j: Option<usize>, count: usize) -> Vec<Expr> {
    (0..count)
        .map(|i| match j {
            Some(j) => value(
                Quantity::Of(Symbol::W, Part::Terms),
                i,
                j,
                b.contribution(i, j),
                false,
            ),
            None => value(
                Quantity::Of(Symbol::Delta, Part::Value),
                i,
                0,
                b.delta[i],
                false,
            ),
        })
        .collect()
}

/// `\frac{1}{N} ` and 1/N as a factor under the mean objective, whose gradients are the plain
/// sums divided by N.
pub fn mean_factor(b: &Batch) -> Option<(&'static str, Expr)> {
    Recorded::of(b.hyper.objective).is_mean().then(|| {
        (
            r"\frac{1}{N} ",
            Expr::quotient(Expr::exact(1.0, None), n_rows(b)),
        )
    })
}

/// One sample's term of ∂L/∂wⱼ: δ⁽ⁱ⁾xⱼ⁽ⁱ⁾ = δ · x.
pub fn contribution(b: &Batch, i: usize, j: usize, p: usize) -> Equation {
    let k = sup(i);
    Equation::new(
        vec![
            Expr::notation(format!(r"\delta{k} x_{{{}}}{k}", j + 1)),
            Expr::product(
                value(
                    Quantity::Of(Symbol::Delta, Part::Value),
                    i,
                    0,
                    b.delta[i],
                    false,
                ),
                x(b, i, j),
                Join::Dot,
            ),
            value(
                Quantity::Of(Symbol::W, Part::Terms),
                i,
                j,
                b.contribution(i, j),
                false,
            ),
        ],
        p,
    )
}

/// The gradient of wⱼ (Some(j)) or of b (None) over the first `count` samples: its definition,
/// then the sum of its terms. `result` is the number the sum comes to: the running sum during
/// the accumulation, the gradient once it is complete.
pub fn gradient(
    b: &Batch,
    j: Option<usize>,
    count: usize,
    result: f64,
    p: usize,
) -> (Equation, Equation) {
    let complete = count == b.rows();
    let (symbol, q, row) = match j {
        Some(j) => (
            format!(r"\frac{{\partial L}}{{\partial w_{{{}}}}}", j + 1),
            Quantity::Of(Symbol::W, Part::Grad),
            j,
        ),
        None => (
            r"\frac{\partial L}{\partial b}".to_string(),
            Quantity::Of(Symbol::B, Part::Grad),
            0,
        ),
    };
    let x = j.map_or_else(String::new, |j| format!("x_{{{}}}^{{(i)}}", j + 1));
    // The running sum of the accumulation is the plain one; the gradient is scaled, if at all.
    let scale = mean_factor(b).filter(|_| complete);
    let symbol_scale = scale.as_ref().map_or("", |(s, _)| *s);
    let definition = Equation::new(
        vec![
            Expr::notation(symbol.clone()),
            Expr::notation(format!(
                r"{symbol_scale}\sum_{{i=1}}^{{{count}}} \delta^{{(i)}} {x}"
            )),
        ],
        p,
    );
    let sum = Expr::Sum(terms(b, j, count));
    let sum = match scale {
        Some((_, f)) => Expr::product(f, sum, Join::Dot),
        None => sum,
    };
    let total = Equation::new(
        vec![Expr::notation(symbol), sum, value(q, row, 0, result, false)],
        p,
    );
    (definition, total)
}

/// The update of wⱼ (Some(j)) or of b (None).
pub fn update(b: &Batch, j: Option<usize>, p: usize, output: bool) -> Equation {
    // The update reads `.grad`: this batch's gradient, or with `--keep-grad` the sum so far.
    let (grad_w, grad_b) = b.param_grad();
    let held = b.held.is_some();
    let (name, old, grad, new) = match j {
        Some(j) => (
            format!("w_{{{}}}", j + 1),
            value(Quantity::Of(Symbol::W, Part::Value), j, 0, b.w[j], false),
            value(Param::W.read_by_update(held), j, 0, grad_w[j], false),
            value(
                Quantity::Of(Symbol::W, Part::New),
                j,
                0,
                b.w_next[j],
                output,
            ),
        ),
        None => (
            "b".to_string(),
            value(Quantity::Of(Symbol::B, Part::Value), 0, 0, b.b, false),
            value(Param::B.read_by_update(held), 0, 0, grad_b, false),
            value(Quantity::Of(Symbol::B, Part::New), 0, 0, b.b_next, output),
        ),
    };
    let grad_name = match (j, &b.held) {
        (Some(j), None) => format!(r"\frac{{\partial L}}{{\partial w_{{{}}}}}", j + 1),
        (None, None) => r"\frac{\partial L}{\partial b}".into(),
        (Some(j), Some(_)) => format!(r"\text{{w.grad}}_{{{}}}", j + 1),
        (None, Some(_)) => grad_name(b, "b"),
    };
    let (rate, step) = step_size(b);
    Equation::new(
        vec![
            Expr::notation(format!(
                r"{name} \leftarrow {name} - {rate} \cdot {grad_name}"
            )),
            Expr::difference(old, Expr::product(step, grad, Join::Dot)),
            new,
        ],
        p,
    )
}

/// What the update multiplies by the step size, by name: ∂L/∂w, or `w.grad` when `.grad` holds
/// the sum of every batch's gradient (nothing zeroes it).
pub fn grad_name(b: &Batch, param: &str) -> String {
    match b.held {
        Some(_) => format!(r"\text{{{param}.grad}}"),
        None => format!(r"\frac{{\partial L}}{{\partial {param}}}"),
    }
}

/// The learning rate's symbol and value as the update uses it: lr/N when the engine divided
/// (by the rows, or by the nominal batch size), lr alone when it did not.
pub fn step_size(b: &Batch) -> (&'static str, Expr) {
    let lr = Expr::exact(b.hyper.lr, Some(Role::Lr));
    let divisor = b.divisor();
    if divisor == 1.0 {
        (r"\text{lr}", lr)
    } else {
        (
            r"\frac{\text{lr}}{N}",
            Expr::quotient(lr, Expr::exact(divisor, Some(Role::N))),
        )
    }
}
