//! Runs that differ in one choice, over the same mini-batches, to show what the choice does.

use super::batch::{self, Scratch};
use super::config::{DivideBy, Hyper, Objective, Params};
use super::schedule::Schedule;
use crate::data::Dataset;

/// The parameters after each of the first batches of a run, and where it overflowed if it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub objective: Objective,
    pub divide_by: DivideBy,
    /// `params[k]` holds (w, b) after batch k.
    pub params: Vec<Params>,
    /// L = Σ½δ² of each batch.
    pub losses: Vec<f64>,
    pub diverged_at: Option<usize>,
}

/// The first `batches` updates of a run (fewer if it overflows first).
pub fn trajectory(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> Trajectory {
    let mut schedule = Schedule::new(data.n(), hyper);
    let mut p = init.clone();
    let mut scratch = Scratch::default();
    let mut params = Vec::new();
    let mut losses = Vec::new();
    let mut diverged_at = None;
    for g in 0..batches.min(schedule.total_batches()) {
        let (loss, finite) =
            batch::sgd_step(data, schedule.indices(g), &mut p, hyper, &mut scratch);
        params.push(p.clone());
        losses.push(loss);
        if !finite {
            diverged_at = Some(g);
            break;
        }
    }
    Trajectory {
        objective: hyper.objective,
        divide_by: hyper.divide_by,
        params,
        losses,
        diverged_at,
    }
}

/// The lesson's three ways of scaling the step, on the same batches: `sum` (divide by N), `mean`
/// (average the loss, do not divide) and `sum-nodiv`.
pub fn objectives(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> [Trajectory; 3] {
    [Objective::Sum, Objective::Mean, Objective::SumNoDiv].map(|objective| {
        trajectory(
            data,
            &Hyper {
                objective,
                ..hyper.clone()
            },
            init,
            batches,
        )
    })
}

/// Dividing by the rows actually in each batch against the lesson code's nominal `batch_size`.
pub fn divisors(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> [Trajectory; 2] {
    [DivideBy::Actual, DivideBy::Nominal].map(|divide_by| {
        trajectory(
            data,
            &Hyper {
                objective: Objective::Sum,
                divide_by,
                ..hyper.clone()
            },
            init,
            batches,
        )
    })
}

/// The largest relative difference between two parameter sets, entry by entry.
pub fn max_relative_difference(a: &Params, b: &Params) -> f64 {
    let rel = |x: f64, y: f64| {
        let scale = x.abs().max(y.abs());
        if scale == 0.0 {
            0.0
        } else {
            (x - y).abs() / scale
        }
    };
    a.w.iter()
        .zip(b.w.iter())
        .map(|(x, y)| rel(*x, *y))
        .fold(rel(a.b, b.b), f64::max)
}
