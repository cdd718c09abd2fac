//! Whether gradient descent on this data can converge at a learning rate: on a quadratic loss an
//! update is stable only while lr × (largest curvature) stays below 2.

use super::config::{Hyper, Objective};
use crate::data::Dataset;

/// The data's largest curvature ([`Dataset::curvature`] bounds its own cost in rows and
/// features); None when the data gives no finite estimate.
pub fn curvature(data: &Dataset) -> Option<f64> {
    let c = data.curvature();
    c.is_finite().then_some(c)
}

/// A prediction that updates will overshoot, with the numbers behind it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unstable {
    /// Largest eigenvalue of the mean of x̃x̃ᵀ (x̃ = x with a 1 for the bias).
    pub curvature: f64,
    /// lr × curvature (× N when the update does not divide): above 2 diverges.
    pub gain: f64,
    /// The learning rate below which the update is stable.
    pub limit: f64,
}

/// Whether training with `lr` and `batch_size` under `objective` overshoots on data of this
/// curvature.
pub fn predict(
    curvature: f64,
    lr: f64,
    batch_size: usize,
    objective: Objective,
) -> Option<Unstable> {
    let per_row = match objective {
        Objective::SumNoDiv => batch_size as f64,
        Objective::Sum | Objective::Mean => 1.0,
    };
    let gain = lr * per_row * curvature;
    (gain > 2.0).then(|| Unstable {
        curvature,
        gain,
        limit: 2.0 / (per_row * curvature),
    })
}

/// [`predict`] for a run's own settings.
pub fn predict_run(data: &Dataset, hyper: &Hyper) -> Option<Unstable> {
    predict(
        curvature(data)?,
        hyper.lr,
        hyper.batch_size,
        hyper.objective,
    )
}
