//! The lesson carried one layer further (d2l's "MLP from scratch", regression):
//! Z = XW₁ + b₁, H = σ(Z), ŷ = HW₂ + b₂, with the same loss, objectives and `sgd` update.
//!
//! `l.sum().backward()` leaves, with δ = ŷ − y (times 1/N for a `mean` objective):
//! ∂L/∂W₂ = Hᵀδ and ∂L/∂b₂ = Σδ (the linear model's gradients with H in place of X), then the
//! error sent back, δ₁ = (δW₂ᵀ) ⊙ σ′(Z), and ∂L/∂W₁ = Xᵀδ₁, ∂L/∂b₁ = Σᵢ δ₁⁽ⁱ⁾ (the same
//! formulas again). This module is the closed-form fast path `train` and `trace` run; the tape
//! records the same graph node by node.

use clap::ValueEnum;
use nalgebra::{DMatrix, DVector};
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, StandardNormal};

use super::batch::divisor;
use super::{Hyper, Init, Objective};
use crate::data::{Dataset, derive_seed};

/// The most hidden units `--hidden` takes: beyond this the numbers no longer fit a screen.
pub const MAX_HIDDEN: usize = 16;

/// σ, the hidden layer's activation. The command line takes these names (`--activation tanh`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, ValueEnum)]
pub enum Activation {
    /// max(0, z): σ′ is 1 where z > 0 and 0 elsewhere (0 at z = 0 exactly, as in PyTorch).
    #[default]
    Relu,
    /// tanh z: σ′ = 1 − tanh² z.
    Tanh,
    /// 1 / (1 + e⁻ᶻ): σ′ = σ(z)(1 − σ(z)).
    Sigmoid,
}

impl Activation {
    /// The name the command line, the lesson file and the trace use.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
        }
    }

    /// Every activation, for parsing names outside clap (the lesson file).
    pub const ALL: [Activation; 3] = [Activation::Relu, Activation::Tanh, Activation::Sigmoid];

    /// Reads a name as [`Activation::name`] writes it.
    pub fn parse(name: &str) -> Option<Activation> {
        Activation::ALL.into_iter().find(|a| a.name() == name)
    }

    /// σ(z).
    pub fn apply(self, z: f64) -> f64 {
        match self {
            // NaN passes through, as in PyTorch (f64::max would drop it).
            Activation::Relu => {
                if z > 0.0 || z.is_nan() {
                    z
                } else {
                    0.0
                }
            }
            Activation::Tanh => z.tanh(),
            Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
        }
    }

    /// The gradient that passes back through σ: `grad` ⊙ σ′(z), computed as PyTorch's
    /// backward nodes compute it (ReLU from its input's sign, with σ′(0) = 0, and a blocked
    /// gradient an exact 0; tanh and sigmoid from their output h), so the bits agree.
    pub fn backward(self, grad: f64, z: f64, h: f64) -> f64 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    grad
                } else {
                    0.0
                }
            }
            Activation::Tanh => grad * (1.0 - h * h),
            Activation::Sigmoid => grad * (1.0 - h) * h,
        }
    }

    /// σ′(z) from z and h = σ(z), as the screen and a board write it.
    pub fn slope(self, z: f64, h: f64) -> f64 {
        match self {
            Activation::Relu => {
                if z > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - h * h,
            Activation::Sigmoid => (1.0 - h) * h,
        }
    }

    /// The name of PyTorch's backward node for σ.
    pub fn torch_node(self) -> &'static str {
        match self {
            Activation::Relu => "ReluBackward0",
            Activation::Tanh => "TanhBackward0",
            Activation::Sigmoid => "SigmoidBackward0",
        }
    }
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The two layers' parameters, laid out as d2l does: W₁ is d×H, b₁ has H, W₂ is H×1, b₂ one.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpParams {
    pub w1: DMatrix<f64>,
    pub b1: DVector<f64>,
    /// W₂'s one column.
    pub w2: DVector<f64>,
    pub b2: f64,
}

impl MlpParams {
    /// Hidden units.
    pub fn hidden(&self) -> usize {
        self.b1.len()
    }

    /// Features.
    pub fn d(&self) -> usize {
        self.w1.nrows()
    }

    /// `.grad` of every parameter before the first `backward()`, as zeros, shaped as `self`.
    pub fn zeros_like(&self) -> MlpParams {
        MlpParams {
            w1: DMatrix::zeros(self.d(), self.hidden()),
            b1: DVector::zeros(self.hidden()),
            w2: DVector::zeros(self.hidden()),
            b2: 0.0,
        }
    }

    /// `self + other`, entry by entry: AccumulateGrad's `grad += new` when `self` is what
    /// `.grad` held and `other` a batch's gradient.
    pub fn plus(&self, other: &MlpParams) -> MlpParams {
        MlpParams {
            w1: self.w1.zip_map(&other.w1, |h, g| h + g),
            b1: self.b1.zip_map(&other.b1, |h, g| h + g),
            w2: self.w2.zip_map(&other.w2, |h, g| h + g),
            b2: self.b2 + other.b2,
        }
    }

    pub fn is_finite(&self) -> bool {
        self.b2.is_finite()
            && self.w1.iter().all(|v| v.is_finite())
            && self.b1.iter().all(|v| v.is_finite())
            && self.w2.iter().all(|v| v.is_finite())
    }

    /// A start for `d` features and `hidden` units. `normal` is d2l's: weights N(0, 0.01²),
    /// biases 0, drawn from their own stream of the seed (W₁ row by row, then W₂).
    pub fn init(init: Init, d: usize, hidden: usize, seed: u64) -> MlpParams {
        let filled = |v: f64| MlpParams {
            w1: DMatrix::from_element(d, hidden, v),
            b1: DVector::from_element(hidden, v),
            w2: DVector::from_element(hidden, v),
            b2: v,
        };
        match init {
            // The worked example's 1.8 belongs to the house's one weight; a network drawn as
            // d2l draws it is the sensible start there.
            Init::Normal | Init::WorkedExample => {
                let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(seed, 0x4D4C_5031));
                let mut draw = || {
                    let z: f64 = StandardNormal.sample(&mut rng);
                    0.01 * z
                };
                let w1 = DMatrix::from_row_iterator(d, hidden, (0..d * hidden).map(|_| draw()));
                let w2 = DVector::from_iterator(hidden, (0..hidden).map(|_| draw()));
                MlpParams {
                    w1,
                    b1: DVector::zeros(hidden),
                    w2,
                    b2: 0.0,
                }
            }
            Init::Zeros => filled(0.0),
            Init::Large => filled(10.0),
        }
    }
}

/// Where a hidden layer of any size starts on one run: a preset's own round weights where they
/// fit (its size and features, no `--init`), else `--init`'s start drawn from the run's seed.
/// The command line's `--hidden` and a lesson stop's `hidden` both start this way.
#[derive(Clone, Debug, PartialEq)]
pub struct Starts {
    pub own: Option<MlpParams>,
    pub init: Option<Init>,
    pub d: usize,
    pub seed: u64,
}

impl Starts {
    pub fn params(&self, hidden: usize) -> MlpParams {
        match &self.own {
            Some(own) if self.init.is_none() && own.d() == self.d && own.hidden() == hidden => {
                own.clone()
            }
            _ => MlpParams::init(self.init.unwrap_or_default(), self.d, hidden, self.seed),
        }
    }
}

/// A two-layer run's model: its activation and where its parameters start.
#[derive(Clone, Debug, PartialEq)]
pub struct TwoLayer {
    pub activation: Activation,
    pub init: MlpParams,
}

/// Every quantity of one mini-batch through two layers, from the parameters before it.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpBatch {
    /// N×d, the batch's rows.
    pub x: DMatrix<f64>,
    pub y: DVector<f64>,
    /// N×H: XW₁ + b₁.
    pub z: DMatrix<f64>,
    /// N×H: σ(Z).
    pub h: DMatrix<f64>,
    pub y_hat: DVector<f64>,
    /// ŷ − y, as the linear trace's `delta`.
    pub delta: DVector<f64>,
    /// The gradient that reaches ŷ: δ, or δ/N under a `mean` objective.
    pub upstream: DVector<f64>,
    /// N×H: (upstream · W₂ᵀ) ⊙ σ′(Z), the error sent back to the first layer.
    pub delta1: DMatrix<f64>,
    /// The batch's objective: Σ ½δ², or its mean.
    pub loss: f64,
    pub grad_w1: DMatrix<f64>,
    pub grad_b1: DVector<f64>,
    pub grad_w2: DVector<f64>,
    pub grad_b2: f64,
}

impl MlpBatch {
    pub fn is_finite(&self) -> bool {
        self.loss.is_finite()
            && self.grad_b2.is_finite()
            && self.grad_w1.iter().all(|v| v.is_finite())
            && self.grad_b1.iter().all(|v| v.is_finite())
            && self.grad_w2.iter().all(|v| v.is_finite())
    }

    /// This batch's own gradient of every parameter, shaped as the parameters.
    pub fn grads(&self) -> MlpParams {
        MlpParams {
            w1: self.grad_w1.clone(),
            b1: self.grad_b1.clone(),
            w2: self.grad_w2.clone(),
            b2: self.grad_b2,
        }
    }
}

/// The forward pass and `backward()` of one batch, in closed form.
///
/// Every sum runs left to right from +0.0, over samples in the batch's order and features in
/// the row's, as the lesson's running sums do and as the tape's matrix product does: the tape
/// and this fast path agree bit for bit (and a blocked gradient is +0.0, as PyTorch prints it).
pub fn forward_backward(
    x: DMatrix<f64>,
    y: DVector<f64>,
    params: &MlpParams,
    activation: Activation,
    objective: Objective,
) -> MlpBatch {
    let (n, d, hidden) = (x.nrows(), x.ncols(), params.hidden());
    let z = DMatrix::from_fn(n, hidden, |i, j| {
        sum_of((0..d).map(|k| x[(i, k)] * params.w1[(k, j)])) + params.b1[j]
    });
    let h = z.map(|v| activation.apply(v));
    let y_hat = DVector::from_fn(n, |i, _| {
        sum_of((0..hidden).map(|j| h[(i, j)] * params.w2[j])) + params.b2
    });
    let delta = &y_hat - &y;
    let sum = sum_of(delta.iter().map(|e| e * e / 2.0));
    // `backward()` of a mean seeds 1/N; of a sum, 1. Through `/ 2` and `** 2` that is
    // (seed / 2)·(2δ), which is seed·δ exactly: halving and doubling round nothing.
    let (loss, upstream) = match objective {
        Objective::Mean => (sum / n as f64, delta.map(|e| (1.0 / n as f64) * e)),
        Objective::Sum | Objective::SumNoDiv => (sum, delta.clone()),
    };
    let grad_w2 = DVector::from_fn(hidden, |j, _| {
        sum_of((0..n).map(|i| h[(i, j)] * upstream[i]))
    });
    let grad_b2 = sum_of(upstream.iter().copied());
    // δW₂ᵀ is a product of N×1 by 1×H: each entry one term, summed from +0.0.
    let delta1 = DMatrix::from_fn(n, hidden, |i, j| {
        let back = 0.0 + upstream[i] * params.w2[j];
        activation.backward(back, z[(i, j)], h[(i, j)])
    });
    let grad_w1 = DMatrix::from_fn(d, hidden, |k, j| {
        sum_of((0..n).map(|i| x[(i, k)] * delta1[(i, j)]))
    });
    let grad_b1 = DVector::from_fn(hidden, |j, _| sum_of((0..n).map(|i| delta1[(i, j)])));
    MlpBatch {
        x,
        y,
        z,
        h,
        y_hat,
        delta,
        upstream,
        delta1,
        loss,
        grad_w1,
        grad_b1,
        grad_w2,
        grad_b2,
    }
}

/// Left to right from +0.0 (`Iterator::sum` may start from −0.0).
fn sum_of(terms: impl Iterator<Item = f64>) -> f64 {
    terms.fold(0.0, |s, t| s + t)
}

/// The batch's rows and targets, gathered from the data set.
pub fn gather(data: &Dataset, indices: &[usize]) -> (DMatrix<f64>, DVector<f64>) {
    let x = DMatrix::from_row_iterator(
        indices.len(),
        data.d(),
        indices.iter().flat_map(|&r| data.row(r).iter().copied()),
    );
    let y = DVector::from_iterator(indices.len(), indices.iter().map(|&r| data.y()[r]));
    (x, y)
}

/// `param -= lr * param.grad / divisor` for all four parameters, `.grad` being the batch's own
/// gradient (after `zero_()`).
pub fn update(params: &MlpParams, b: &MlpBatch, hyper: &Hyper) -> MlpParams {
    descend(params, &b.grads(), hyper, b.x.nrows())
}

/// `param -= lr * param.grad / divisor` for all four parameters, `.grad` being `grad` (with
/// `zero_()` left out, the sum held so far) of a batch of `rows` rows.
pub fn descend(params: &MlpParams, grad: &MlpParams, hyper: &Hyper, rows: usize) -> MlpParams {
    let div = divisor(hyper, rows);
    let step = |p: f64, g: f64| p - hyper.lr * g / div;
    MlpParams {
        w1: params.w1.zip_map(&grad.w1, step),
        b1: params.b1.zip_map(&grad.b1, step),
        w2: params.w2.zip_map(&grad.w2, step),
        b2: step(params.b2, grad.b2),
    }
}

/// ŷ for one row.
pub fn predict(row: &[f64], params: &MlpParams, activation: Activation) -> f64 {
    let mut out = params.b2;
    for j in 0..params.hidden() {
        let z = row
            .iter()
            .enumerate()
            .fold(params.b1[j], |s, (k, x)| s + x * params.w1[(k, j)]);
        out += activation.apply(z) * params.w2[j];
    }
    out
}

/// Mean of ½(ŷ − y)² over the whole data set: what `train` prints after each epoch.
pub fn full_loss(data: &Dataset, params: &MlpParams, activation: Activation) -> f64 {
    let total = (0..data.n()).fold(0.0, |s, r| {
        let e = predict(data.row(r), params, activation) - data.y()[r];
        s + e * e / 2.0
    });
    total / data.n() as f64
}
