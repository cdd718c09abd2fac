//! The gradient check: central finite differences of the objective beside the analytic gradient.
//!
//! L is quadratic in (w, b), so a central difference has no truncation error at all and the step
//! can be large; what remains is the rounding of L itself, about ε·L/h.

use super::batch::{Batch, predict};
use super::config::Objective;

/// One parameter's analytic gradient, its finite-difference estimate and their relative error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Check {
    pub analytic: f64,
    pub numeric: f64,
    pub relative_error: f64,
}

/// The check for every weight and for the bias of one batch.
#[derive(Clone, Debug, PartialEq)]
pub struct GradCheck {
    pub w: Vec<Check>,
    pub b: Check,
}

impl Check {
    /// The central difference (up − down) / 2h of the objective beside `analytic`.
    pub fn central(analytic: f64, up: f64, down: f64, h: f64) -> Check {
        let numeric = (up - down) / (2.0 * h);
        Check {
            analytic,
            numeric,
            relative_error: relative_error(analytic, numeric),
        }
    }
}

impl GradCheck {
    /// The worst relative error over all parameters.
    pub fn worst(&self) -> f64 {
        self.w
            .iter()
            .chain([&self.b])
            .map(|c| c.relative_error)
            .fold(0.0, f64::max)
    }
}

/// The objective in use, evaluated on the batch's rows at (w, b).
fn objective(batch: &Batch, w: &[f64], b: f64) -> f64 {
    let rows = batch.rows();
    let mut sum = 0.0;
    let mut row = vec![0.0; batch.x.ncols()];
    for i in 0..rows {
        for (j, v) in row.iter_mut().enumerate() {
            *v = batch.x[(i, j)];
        }
        let e = predict(&row, w, b) - batch.y[i];
        sum += e * e / 2.0;
    }
    match batch.hyper.objective {
        Objective::Mean => sum / rows as f64,
        Objective::Sum | Objective::SumNoDiv => sum,
    }
}

fn relative_error(a: f64, n: f64) -> f64 {
    let scale = a.abs().max(n.abs());
    if scale == 0.0 {
        0.0
    } else {
        (a - n).abs() / scale
    }
}

/// Central differences with a step of 1e-3 relative to each parameter's size.
pub fn check(batch: &Batch) -> GradCheck {
    let w: Vec<f64> = batch.w.iter().copied().collect();
    let step = |v: f64| 1e-3 * v.abs().max(1.0);
    let checks_w = (0..w.len())
        .map(|j| {
            let h = step(w[j]);
            let mut plus = w.clone();
            let mut minus = w.clone();
            plus[j] += h;
            minus[j] -= h;
            Check::central(
                batch.grad_w[j],
                objective(batch, &plus, batch.b),
                objective(batch, &minus, batch.b),
                h,
            )
        })
        .collect();
    let h = step(batch.b);
    let b = Check::central(
        batch.grad_b,
        objective(batch, &w, batch.b + h),
        objective(batch, &w, batch.b - h),
        h,
    );
    GradCheck { w: checks_w, b }
}
