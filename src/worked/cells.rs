//! The equation behind a number the accumulation and the update compute (a running sum's
//! term, a new parameter), with the batch's numbers; the other steps' equations are the
//! tape's rules (see [`super::rules`]).

use super::{Cell, Equation, Expr, Join, Quantity};
use super::{Part, Symbol};
use crate::engine::Batch;

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

/// The update of wⱼ (Some(j)) or of b (None).
pub fn update(b: &Batch, j: Option<usize>, p: usize, output: bool) -> Equation {
    // The update reads `.grad`: this batch's gradient, or with `--keep-grad` the sum so far.
    let (grad_w, grad_b) = b.param_grad();
    let held = b.held.is_some();
    let (name, old, grad, new) = match j {
        Some(j) => (
            format!("w_{{{}}}", j + 1),
            value(Quantity::Of(Symbol::W, Part::Value), j, 0, b.w[j], false),
            value(Symbol::W.read_by_update(held), j, 0, grad_w[j], false),
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
            value(Symbol::B.read_by_update(held), 0, 0, grad_b, false),
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
