//! The gradient check of a two-layer batch: every entry of W₁, b₁, W₂ and b₂, its analytic
//! gradient beside a central difference of the batch's objective, as [`super::gradcheck`] does
//! for the linear model.
//!
//! L is no longer quadratic in the parameters, so the difference has a truncation error of
//! order h² besides the rounding of L (about ε·L/h); h = 1e-5 keeps both near 1e-10. Where a
//! ReLU's z is within h of 0 the two sides of the difference straddle the kink, and the check
//! disagrees by design: the analytic side takes σ′(0) = 0, as PyTorch does.

use super::config::Objective;
use super::gradcheck::Check;
use super::mlp::{Activation, MlpParams, predict};
use super::mlp_train::MlpUpdate;

/// One check per entry: W₁ row by row (d rows of H), b₁ and W₂ by unit, then b₂.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpGradCheck {
    pub w1: Vec<Check>,
    pub b1: Vec<Check>,
    pub w2: Vec<Check>,
    pub b2: Check,
}

/// The batch's objective at `p`: Σ ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)², or its mean.
fn objective(u: &MlpUpdate, p: &MlpParams, activation: Activation) -> f64 {
    let b = &u.batch;
    let mut row = vec![0.0; b.x.ncols()];
    let sum = (0..b.x.nrows()).fold(0.0, |s, i| {
        for (k, v) in row.iter_mut().enumerate() {
            *v = b.x[(i, k)];
        }
        let e = predict(&row, p, activation) - b.y[i];
        s + e * e / 2.0
    });
    match u.hyper.objective {
        Objective::Mean => sum / b.x.nrows() as f64,
        Objective::Sum | Objective::SumNoDiv => sum,
    }
}

/// Which entry of which parameter a difference moves.
#[derive(Clone, Copy)]
enum Entry {
    W1(usize, usize),
    B1(usize),
    W2(usize),
    B2,
}

fn at(p: &mut MlpParams, e: Entry) -> &mut f64 {
    match e {
        Entry::W1(k, j) => &mut p.w1[(k, j)],
        Entry::B1(j) => &mut p.b1[j],
        Entry::W2(j) => &mut p.w2[j],
        Entry::B2 => &mut p.b2,
    }
}

/// Central differences of the batch's objective around the parameters before its update.
pub fn check(u: &MlpUpdate, activation: Activation) -> MlpGradCheck {
    let b = &u.batch;
    let one = |e: Entry, analytic: f64| {
        let mut p = u.before.clone();
        let v = *at(&mut p, e);
        let h = 1e-5 * v.abs().max(1.0);
        *at(&mut p, e) = v + h;
        let up = objective(u, &p, activation);
        *at(&mut p, e) = v - h;
        let down = objective(u, &p, activation);
        Check::central(analytic, up, down, h)
    };
    let (d, hidden) = (u.before.d(), u.before.hidden());
    MlpGradCheck {
        w1: (0..d * hidden)
            .map(|n| {
                let (k, j) = (n / hidden, n % hidden);
                one(Entry::W1(k, j), b.grad_w1[(k, j)])
            })
            .collect(),
        b1: (0..hidden)
            .map(|j| one(Entry::B1(j), b.grad_b1[j]))
            .collect(),
        w2: (0..hidden)
            .map(|j| one(Entry::W2(j), b.grad_w2[j]))
            .collect(),
        b2: one(Entry::B2, b.grad_b2),
    }
}
