//! `.grad` when nothing zeroes it (`--keep-grad`, or `z` in the explainer): `backward()` adds
//! this batch's gradient onto what `.grad` already held (PyTorch's `AccumulateGrad`), and the
//! update reads that sum. Both models show it as a number of its own, `w.grad` or `W₁.grad`,
//! so that ∂L/∂w keeps meaning this batch's gradient everywhere.

use super::{Equation, Expr, Symbol};

/// `p.grad ← p.grad + ∂L/∂p` with the numbers: `before`, what `.grad` held before this batch,
/// plus `grad`, this batch's gradient (named `fresh`, as the model's own formulas write ∂L/∂p),
/// is `after`, what the update reads. `before` and `after` are the same cells, read and then
/// written, as a running sum's are.
pub fn accumulated(
    param: Symbol,
    fresh: &str,
    [before, grad, after]: [Expr; 3],
    p: usize,
) -> Equation {
    let held = param.grad_latex();
    Equation::new(
        vec![
            Expr::notation(format!(r"{held} \leftarrow {held} + {fresh}")),
            Expr::Sum(vec![before, grad]),
            after,
        ],
        p,
    )
}
