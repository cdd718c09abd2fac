//! The draw step of either model, linear or two layers: how many samples and features the batch
//! holds, and which rows of the data set it drew.

use super::{Equation, Expr};
use crate::lesson::Lang;
use crate::math::Role;

/// The draw step of either model: N, d and the rows of the data set the batch holds.
pub(super) fn drawn(n: usize, d: usize, rows: &[usize], p: usize, lang: Lang) -> Vec<Equation> {
    let count = |name: &str, v: usize, role: Option<Role>| {
        Equation::new(vec![Expr::notation(name), Expr::exact(v as f64, role)], p)
    };
    // Counted from 1 like every row on screen; PyTorch's `batch_indices` (and the trace's
    // `indices`) hold these minus 1, which inspect says for a row of X.
    let label = match lang {
        Lang::En => r"\text{data rows (from 1)}",
        Lang::Zh => r"\text{数据行号（从 1 起）}",
    };
    let indices = rows
        .iter()
        .map(|&i| Expr::exact(i as f64 + 1.0, None))
        .collect();
    vec![
        count("N", n, Some(Role::N)),
        count("d", d, None),
        Equation::new(vec![Expr::notation(label), Expr::List(indices)], p),
    ]
}
