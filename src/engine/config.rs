//! The knobs of a run: what is minimised, how the update divides, and the hyperparameters.

use nalgebra::DVector;

/// Which scalar `backward()` starts from, and whether the update divides by the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Objective {
    /// The lesson: L = Σ l⁽ⁱ⁾, and the update divides by N.
    #[default]
    Sum,
    /// L = (1/N) Σ l⁽ⁱ⁾, and the update does not divide: the same trajectory as `Sum`.
    Mean,
    /// L = Σ l⁽ⁱ⁾ without dividing: the step grows with the batch, which the lesson warns about.
    SumNoDiv,
}

impl Objective {
    pub fn name(self) -> &'static str {
        match self {
            Objective::Sum => "sum",
            Objective::Mean => "mean",
            Objective::SumNoDiv => "sum-nodiv",
        }
    }
}

/// What `Objective::Sum` divides the update by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DivideBy {
    /// The rows actually in the batch (the lesson's N); differs from `Nominal` on a short last batch.
    #[default]
    Actual,
    /// The configured batch size, as the lesson's `sgd(params, lr, batch_size)` does literally.
    Nominal,
}

/// Everything about a run except the data and the starting parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Hyper {
    pub lr: f64,
    pub batch_size: usize,
    pub epochs: usize,
    pub shuffle: bool,
    /// Seeds the per-epoch shuffles (data and initial weights take their own seeds from it).
    pub seed: u64,
    pub objective: Objective,
    pub divide_by: DivideBy,
}

impl Default for Hyper {
    /// d2l's settings for the synthetic set: lr 0.03, batch 10, 3 epochs.
    fn default() -> Self {
        Hyper {
            lr: 0.03,
            batch_size: 10,
            epochs: 3,
            shuffle: true,
            seed: crate::data::DEFAULT_SEED,
            objective: Objective::Sum,
            divide_by: DivideBy::Actual,
        }
    }
}

/// The model's parameters: ŷ = Xw + b.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    pub w: DVector<f64>,
    pub b: f64,
}

impl Params {
    pub fn zeros(d: usize) -> Self {
        Params {
            w: DVector::zeros(d),
            b: 0.0,
        }
    }

    pub fn is_finite(&self) -> bool {
        self.b.is_finite() && self.w.iter().all(|v| v.is_finite())
    }
}
