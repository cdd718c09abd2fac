//! The gradient check beside the derivation: central finite differences of the batch's
//! objective next to the analytic ∂L/∂w and ∂L/∂b, with their relative error.

use crate::engine::{GradCheck, Step};

/// One row of the check: the parameter's name, analytic, numeric, relative error.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub analytic: f64,
    pub numeric: f64,
    pub relative_error: f64,
}

/// The check of a batch, one row per weight and one for b.
pub fn rows(check: &GradCheck) -> Vec<Row> {
    let d = check.w.len();
    let mut out: Vec<Row> = check
        .w
        .iter()
        .enumerate()
        .map(|(j, c)| Row {
            name: if d == 1 {
                "∂L/∂w".into()
            } else {
                format!("∂L/∂w{}", j + 1)
            },
            analytic: c.analytic,
            numeric: c.numeric,
            relative_error: c.relative_error,
        })
        .collect();
    out.push(Row {
        name: "∂L/∂b".into(),
        analytic: check.b.analytic,
        numeric: check.b.numeric,
        relative_error: check.b.relative_error,
    });
    out
}

/// The steps where the gradient is being formed, where the status line shows the check.
pub fn at_gradient_step(step: Step) -> bool {
    matches!(step, Step::Accumulate { .. } | Step::GradW | Step::GradB)
}

/// A relative error in at most 7 columns: 2.1e-14, or NaN/inf when the run has overflowed.
pub fn error_text(e: f64) -> String {
    if e == 0.0 {
        "0".into()
    } else {
        crate::number::scientific(e, 1)
    }
}
