//! The knobs of a run: what is minimised, how the update divides, and the hyperparameters.

use clap::ValueEnum;
use nalgebra::DVector;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use crate::data::derive_seed;

/// Learning rates roughly ×3 apart, as a class would try them, from too timid to diverging on
/// the d2l data (whose curvature is about 1, so stable below 2): the explainer's `[` `]` rungs
/// and `gradstep sweep`'s default.
pub const LR_LADDER: [f64; 8] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0];

/// Which scalar `backward()` starts from, and whether the update divides by the batch. The
/// command line takes these names (`--objective sum-nodiv`); the first line of each doc comment
/// is its help.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum Objective {
    /// The lesson: L = Σ l⁽ⁱ⁾, and the update divides by N.
    #[default]
    Sum,
    /// L = (1/N) Σ l⁽ⁱ⁾, and the update does not divide: the same trajectory as sum.
    Mean,
    /// L = Σ l⁽ⁱ⁾ without dividing: the step grows with the batch, which the lesson warns about.
    #[value(name = "sum-nodiv")]
    SumNoDiv,
}

impl Objective {
    /// The name the command line and the trace use.
    pub fn name(self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Objective {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        value_name(self, f)
    }
}

/// A value's command-line name, the single spelling of it everywhere.
fn value_name(v: &impl ValueEnum, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match v.to_possible_value() {
        Some(p) => f.write_str(p.get_name()),
        None => Ok(()),
    }
}

/// What `Objective::Sum` divides the update by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum DivideBy {
    /// The rows actually in the batch (the lesson's N); differs from `Nominal` on a short last batch.
    #[default]
    #[value(name = "actual")]
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
    /// The lesson's `sgd` ends with `param.grad.zero_()`. Without it (`--keep-grad`), `.grad`
    /// keeps every batch's gradient added up, and each update uses that sum.
    pub zero_grad: bool,
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
            zero_grad: true,
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

/// Where the parameters start. The command line takes the first three by name (`--init zeros`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum Init {
    /// w ~ N(0, 0.01²), b = 0, as in d2l.
    #[default]
    Normal,
    /// Every weight and b = 0.
    Zeros,
    /// Every weight and b = 10: far from any sensible answer.
    Large,
    /// Every weight 1.8 and b = 0: the house preset's first prediction is the lesson's 180.
    #[value(skip)]
    WorkedExample,
}

impl Init {
    pub fn params(self, d: usize, seed: u64) -> Params {
        match self {
            Init::Normal => {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(seed, 0x494E_4954));
                let w = DVector::from_iterator(
                    d,
                    (0..d).map(|_| {
                        let z: f64 = StandardNormal.sample(&mut rng);
                        0.01 * z
                    }),
                );
                Params { w, b: 0.0 }
            }
            Init::Zeros => Params::zeros(d),
            Init::Large => Params {
                w: DVector::from_element(d, 10.0),
                b: 10.0,
            },
            Init::WorkedExample => Params {
                w: DVector::from_element(d, 1.8),
                b: 0.0,
            },
        }
    }
}
