//! Runs that differ in one choice, over the same mini-batches, to show what the choice does:
//! the same shape for any model, the linear one and two layers, given how one batch updates it.

use super::batch::{self, Scratch};
use super::config::{DivideBy, Hyper, Objective, Params};
use super::mlp::{self, MlpParams, TwoLayer};
use super::schedule::Schedule;
use crate::data::Dataset;

/// The parameters after each of the first batches of a run, and where it overflowed if it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory<P = Params> {
    pub objective: Objective,
    pub divide_by: DivideBy,
    /// `params[k]` holds the parameters after batch k.
    pub params: Vec<P>,
    /// L = Σ½δ² of each batch (under every objective, so the three runs compare alike).
    pub losses: Vec<f64>,
    pub diverged_at: Option<usize>,
}

/// Every number of a model's parameters, in one fixed order, for comparing two runs' entries.
pub trait Entries {
    fn entries(&self) -> Vec<f64>;
}

impl Entries for Params {
    fn entries(&self) -> Vec<f64> {
        self.w.iter().copied().chain([self.b]).collect()
    }
}

impl Entries for MlpParams {
    /// W₁ (column by column), b₁, W₂, b₂.
    fn entries(&self) -> Vec<f64> {
        let (w1, b1, w2) = (self.w1.iter(), self.b1.iter(), self.w2.iter());
        w1.chain(b1).chain(w2).copied().chain([self.b2]).collect()
    }
}

/// The first `batches` updates of a run over `rows` rows (fewer if it overflows first); `step`
/// updates the parameters on one batch's row indices and returns L = Σ½δ² and whether every
/// value stayed finite.
pub fn run<P: Clone>(
    rows: usize,
    hyper: &Hyper,
    init: &P,
    batches: usize,
    mut step: impl FnMut(&[usize], &mut P, &Hyper) -> (f64, bool),
) -> Trajectory<P> {
    let mut schedule = Schedule::new(rows, hyper);
    let mut p = init.clone();
    let mut params = Vec::new();
    let mut losses = Vec::new();
    let mut diverged_at = None;
    for g in 0..batches.min(schedule.total_batches()) {
        let (loss, finite) = step(schedule.indices(g), &mut p, hyper);
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

/// The first `batches` updates of a linear run.
pub fn trajectory(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> Trajectory {
    let mut scratch = Scratch::default();
    run(data.n(), hyper, init, batches, |indices, p, hyper| {
        batch::sgd_step(data, indices, p, hyper, &mut scratch)
    })
}

/// The first `batches` updates of a two-layer run, from the model's start.
pub fn two_layer_trajectory(
    data: &Dataset,
    hyper: &Hyper,
    model: &TwoLayer,
    batches: usize,
) -> Trajectory<MlpParams> {
    // Without `zero_()` each run holds its own `.grad`, as the explainer's run does.
    let mut held: Option<MlpParams> = None;
    run(
        data.n(),
        hyper,
        &model.init,
        batches,
        |indices, p, hyper| {
            let (x, y) = mlp::gather(data, indices);
            let b = mlp::forward_backward(x, y, p, model.activation, hyper.objective);
            let grads = b.grads();
            let used = if hyper.zero_grad {
                grads
            } else {
                let sum = held.take().unwrap_or_else(|| p.zeros_like()).plus(&grads);
                held.insert(sum).clone()
            };
            *p = mlp::descend(p, &used, hyper, b.x.nrows());
            // Σ½δ² whatever the objective (a mean run's `loss` is this over N), summed as the
            // forward pass sums it.
            let half_squares = b.delta.iter().fold(0.0, |s, e| s + e * e / 2.0);
            (half_squares, b.is_finite() && p.is_finite())
        },
    )
}

/// The lesson's three ways of scaling the step, on the same batches: `sum` (divide by N), `mean`
/// (average the loss, do not divide) and `sum-nodiv`; `run` makes one run with the settings.
pub fn objectives_of<P>(
    hyper: &Hyper,
    mut run: impl FnMut(&Hyper) -> Trajectory<P>,
) -> [Trajectory<P>; 3] {
    [Objective::Sum, Objective::Mean, Objective::SumNoDiv].map(|objective| {
        run(&Hyper {
            objective,
            ..hyper.clone()
        })
    })
}

/// Dividing by the rows actually in each batch against the lesson code's nominal `batch_size`.
pub fn divisors_of<P>(
    hyper: &Hyper,
    mut run: impl FnMut(&Hyper) -> Trajectory<P>,
) -> [Trajectory<P>; 2] {
    [DivideBy::Actual, DivideBy::Nominal].map(|divide_by| {
        run(&Hyper {
            objective: Objective::Sum,
            divide_by,
            ..hyper.clone()
        })
    })
}

/// [`objectives_of`] a linear run.
pub fn objectives(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> [Trajectory; 3] {
    objectives_of(hyper, |h| trajectory(data, h, init, batches))
}

/// [`divisors_of`] a linear run.
pub fn divisors(data: &Dataset, hyper: &Hyper, init: &Params, batches: usize) -> [Trajectory; 2] {
    divisors_of(hyper, |h| trajectory(data, h, init, batches))
}

/// The largest relative difference between two parameter sets, entry by entry.
pub fn max_relative_difference<P: Entries>(a: &P, b: &P) -> f64 {
    let rel = |x: f64, y: f64| {
        let scale = x.abs().max(y.abs());
        if scale == 0.0 {
            0.0
        } else {
            (x - y).abs() / scale
        }
    };
    a.entries()
        .into_iter()
        .zip(b.entries())
        .map(|(x, y)| rel(x, y))
        .fold(0.0, f64::max)
}
