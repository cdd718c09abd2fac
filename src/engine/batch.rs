//! The arithmetic of one mini-batch: forward pass, errors, gradients and the update.
//!
//! Every sum runs left to right over samples (and over features inside ŷ⁽ⁱ⁾), so the detailed
//! [`Batch`] and the allocation-free [`sgd_step`] produce bit-identical parameters.

use nalgebra::{DMatrix, DVector};

use super::config::{DivideBy, Hyper, Objective, Params};
use crate::data::Dataset;

/// Everything computed for one mini-batch, kept so every step can be shown and checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// 1-based epoch.
    pub epoch: usize,
    /// 1-based batch within the epoch.
    pub batch: usize,
    /// 0-based index of this batch over the whole run.
    pub global: usize,
    /// 0-based rows of the data set, in batch order.
    pub indices: Vec<usize>,
    /// The batch's features, N×d.
    pub x: DMatrix<f64>,
    pub y: DVector<f64>,
    /// Parameters before the update.
    pub w: DVector<f64>,
    pub b: f64,
    pub y_hat: DVector<f64>,
    /// δ = ŷ − y = ∂(Σl)/∂ŷ.
    pub delta: DVector<f64>,
    /// l⁽ⁱ⁾ = ½δ⁽ⁱ⁾².
    pub losses: DVector<f64>,
    /// L = Σ l⁽ⁱ⁾, whatever the objective.
    pub loss: f64,
    /// After sample i: Σ_{j≤i} δ⁽ʲ⁾x⁽ʲ⁾. The last entry is Xᵀδ.
    pub acc_w: Vec<DVector<f64>>,
    /// After sample i: Σ_{j≤i} δ⁽ʲ⁾. The last entry is Σδ.
    pub acc_b: Vec<f64>,
    /// Gradient of the objective in use (equals Xᵀδ for `sum` and `sum-nodiv`).
    pub grad_w: DVector<f64>,
    pub grad_b: f64,
    /// The settings this batch was computed with: the learning rate and nominal batch size in
    /// force for it (after any change), the objective and what the update divides by.
    pub hyper: Hyper,
    pub w_next: DVector<f64>,
    pub b_next: f64,
    /// What `w.grad` and `b.grad` held before this batch's `backward()` when nothing zeroes them
    /// (`--keep-grad`): the sum of the earlier batches' gradients. `None` with `zero_()`.
    pub held: Option<Held>,
    /// Mean of ½(ŷ − y)² over the whole data set after this update, on the last batch of an epoch.
    pub epoch_loss: Option<f64>,
}

impl Batch {
    /// Rows in this batch (the lesson's N).
    pub fn rows(&self) -> usize {
        self.indices.len()
    }

    /// False once any value of the batch has overflowed to ±inf or NaN.
    pub fn is_finite(&self) -> bool {
        self.loss.is_finite()
            && self.grad_b.is_finite()
            && self.b_next.is_finite()
            && self
                .grad_w
                .iter()
                .chain(self.w_next.iter())
                .all(|v| v.is_finite())
    }

    /// δ⁽ⁱ⁾xⱼ⁽ⁱ⁾: the product `backward()` adds for sample `i` to ∂L/∂wⱼ, computed exactly as the
    /// running sums add it.
    pub fn contribution(&self, i: usize, j: usize) -> f64 {
        self.delta[i] * self.x[(i, j)]
    }

    /// What the update divided the gradient by; 1 when it does not divide.
    pub fn divisor(&self) -> f64 {
        divisor(&self.hyper, self.rows())
    }

    /// `w.grad` and `b.grad` as the update reads them: this batch's gradient, plus what was
    /// held from earlier batches when nothing zeroed it.
    pub fn param_grad(&self) -> (DVector<f64>, f64) {
        match &self.held {
            Some(h) => h.plus(&self.grad_w, self.grad_b),
            None => (self.grad_w.clone(), self.grad_b),
        }
    }

    pub fn next_params(&self) -> Params {
        Params {
            w: self.w_next.clone(),
            b: self.b_next,
        }
    }
}

/// What `w.grad` and `b.grad` hold between batches when the lesson's `sgd` leaves out
/// `param.grad.zero_()`: every gradient so far, added up as `AccumulateGrad` adds them.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub w: DVector<f64>,
    pub b: f64,
}

impl Held {
    /// Nothing held yet: `.grad` before the first `backward()`, as zeros.
    pub fn zeros(d: usize) -> Held {
        Held {
            w: DVector::zeros(d),
            b: 0.0,
        }
    }

    /// held + this batch's gradient, entry by entry (AccumulateGrad's `grad += new`).
    pub fn plus(&self, grad_w: &DVector<f64>, grad_b: f64) -> (DVector<f64>, f64) {
        (
            DVector::from_iterator(
                grad_w.len(),
                self.w.iter().zip(grad_w.iter()).map(|(h, g)| h + g),
            ),
            self.b + grad_b,
        )
    }
}

/// Where a batch sits in the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchPos {
    pub global: usize,
    pub epoch: usize,
    pub batch: usize,
    pub epoch_end: bool,
    /// Batches in this batch's epoch as the run is scheduled now (changes of batch size included).
    pub epoch_batches: usize,
}

/// ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b.
#[inline]
pub fn predict(row: &[f64], w: &[f64], b: f64) -> f64 {
    let mut s = 0.0;
    for (x, w) in row.iter().zip(w) {
        s += x * w;
    }
    s + b
}

/// What each sample's δ is multiplied by on its way back: `backward()` of a mean seeds 1/N.
#[inline]
fn upstream_scale(objective: Objective, rows: usize) -> Option<f64> {
    match objective {
        Objective::Mean => Some(1.0 / rows as f64),
        Objective::Sum | Objective::SumNoDiv => None,
    }
}

/// What the update divides the gradient by.
pub fn divisor(hyper: &Hyper, rows: usize) -> f64 {
    match (hyper.objective, hyper.divide_by) {
        (Objective::Sum, DivideBy::Actual) => rows as f64,
        (Objective::Sum, DivideBy::Nominal) => hyper.batch_size as f64,
        (Objective::Mean | Objective::SumNoDiv, _) => 1.0,
    }
}

/// `param -= lr * param.grad / divisor`, in that order of operations.
#[inline]
fn descend(param: f64, grad: f64, lr: f64, divisor: f64) -> f64 {
    param - lr * grad / divisor
}

/// Computes every quantity of one mini-batch from the parameters before it; `held` is what
/// `.grad` holds before it when the run keeps gradients (`hyper.zero_grad` false).
pub fn compute(
    data: &Dataset,
    indices: &[usize],
    params: &Params,
    hyper: &Hyper,
    pos: BatchPos,
    held: Option<&Held>,
) -> Batch {
    let n = indices.len();
    let d = data.d();
    let w = params.w.as_slice();
    let x = DMatrix::from_fn(n, d, |i, j| data.row(indices[i])[j]);
    let y = DVector::from_iterator(n, indices.iter().map(|&r| data.y()[r]));
    let y_hat = DVector::from_iterator(
        n,
        indices.iter().map(|&r| predict(data.row(r), w, params.b)),
    );
    let delta = &y_hat - &y;
    let losses = delta.map(|e| e * e / 2.0);
    let loss = losses.iter().fold(0.0, |s, l| s + l);

    let mut acc_w = Vec::with_capacity(n);
    let mut acc_b = Vec::with_capacity(n);
    let mut sum_w = DVector::zeros(d);
    let mut sum_b = 0.0;
    for (i, &r) in indices.iter().enumerate() {
        for (g, x) in sum_w.iter_mut().zip(data.row(r)) {
            *g += delta[i] * x;
        }
        sum_b += delta[i];
        acc_w.push(sum_w.clone());
        acc_b.push(sum_b);
    }

    let (grad_w, grad_b) = match upstream_scale(hyper.objective, n) {
        None => (sum_w, sum_b),
        Some(scale) => {
            let mut gw = DVector::zeros(d);
            let mut gb = 0.0;
            for (i, &r) in indices.iter().enumerate() {
                let u = scale * delta[i];
                for (g, x) in gw.iter_mut().zip(data.row(r)) {
                    *g += u * x;
                }
                gb += u;
            }
            (gw, gb)
        }
    };

    let div = divisor(hyper, n);
    let held = (!hyper.zero_grad).then(|| held.cloned().unwrap_or_else(|| Held::zeros(d)));
    let (used_w, used_b) = match &held {
        Some(h) => h.plus(&grad_w, grad_b),
        None => (grad_w.clone(), grad_b),
    };
    let w_next = DVector::from_iterator(
        d,
        params
            .w
            .iter()
            .zip(used_w.iter())
            .map(|(p, g)| descend(*p, *g, hyper.lr, div)),
    );
    let b_next = descend(params.b, used_b, hyper.lr, div);
    let next = Params {
        w: w_next.clone(),
        b: b_next,
    };
    let epoch_loss = pos.epoch_end.then(|| full_loss(data, &next));

    Batch {
        epoch: pos.epoch,
        batch: pos.batch,
        global: pos.global,
        indices: indices.to_vec(),
        x,
        y,
        w: params.w.clone(),
        b: params.b,
        y_hat,
        delta,
        losses,
        loss,
        acc_w,
        acc_b,
        grad_w,
        grad_b,
        hyper: hyper.clone(),
        w_next,
        b_next,
        held,
        epoch_loss,
    }
}

/// Scratch space for [`sgd_step`], so training allocates nothing per batch.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    delta: Vec<f64>,
    grad: Vec<f64>,
    grad_b: f64,
    /// `.grad` between batches when the run keeps gradients: the sum so far.
    held: Option<Held>,
}

impl Scratch {
    /// The last [`sgd_step`]'s δ = ŷ − y, per sample.
    pub fn delta(&self) -> &[f64] {
        &self.delta
    }

    /// The last [`sgd_step`]'s gradients of the objective, ∂/∂w and ∂/∂b.
    pub fn grad(&self) -> (&[f64], f64) {
        (&self.grad, self.grad_b)
    }

    /// `w.grad` and `b.grad` as the last [`sgd_step`]'s update read them: its gradient, or the
    /// sum held so far when the run keeps gradients.
    pub fn param_grad(&self) -> (&[f64], f64) {
        match &self.held {
            Some(h) => (h.w.as_slice(), h.b),
            None => self.grad(),
        }
    }

    /// What `.grad` holds after the last [`sgd_step`] when the run keeps gradients.
    pub fn held(&self) -> Option<&Held> {
        self.held.as_ref()
    }

    /// Starts a replay from a checkpoint: `.grad` as it was held there.
    pub fn set_held(&mut self, held: Option<Held>) {
        self.held = held;
    }
}

/// One update in place, with the same arithmetic as [`compute`]. Returns L = Σ½δ² and whether
/// every value stayed finite.
pub fn sgd_step(
    data: &Dataset,
    indices: &[usize],
    params: &mut Params,
    hyper: &Hyper,
    scratch: &mut Scratch,
) -> (f64, bool) {
    let n = indices.len();
    let d = data.d();
    scratch.delta.clear();
    scratch.grad.clear();
    scratch.grad.resize(d, 0.0);
    let mut loss = 0.0;
    let mut grad_b = 0.0;
    let scale = upstream_scale(hyper.objective, n);
    touch(data, indices);
    {
        let w = params.w.as_slice();
        for &r in indices {
            let row = data.row(r);
            let e = predict(row, w, params.b) - data.y()[r];
            loss += e * e / 2.0;
            let u = match scale {
                Some(s) => s * e,
                None => e,
            };
            for (g, x) in scratch.grad.iter_mut().zip(row) {
                *g += u * x;
            }
            grad_b += u;
            scratch.delta.push(e);
        }
    }
    let div = divisor(hyper, n);
    let mut finite = loss.is_finite() && grad_b.is_finite();
    scratch.grad_b = grad_b;
    if hyper.zero_grad {
        scratch.held = None;
    } else {
        // AccumulateGrad without zero_(): .grad += this batch's gradient, and sgd reads the sum.
        let held = scratch.held.get_or_insert_with(|| Held::zeros(d));
        if held.w.len() != d {
            *held = Held::zeros(d);
        }
        for (h, g) in held.w.iter_mut().zip(&scratch.grad) {
            *h += g;
        }
        held.b += grad_b;
    }
    let (used, used_b) = scratch.param_grad();
    for (p, g) in params.w.iter_mut().zip(used) {
        *p = descend(*p, *g, hyper.lr, div);
        finite &= g.is_finite() && p.is_finite();
    }
    params.b = descend(params.b, used_b, hyper.lr, div);
    finite &= used_b.is_finite() && params.b.is_finite();
    (loss, finite)
}

/// Reads each of the batch's rows (both ends) and targets once, before any arithmetic: a shuffled
/// batch's rows are scattered over a large data set, and these loads, depending on nothing, then
/// wait on memory together instead of one row's arithmetic after another's. About a fifth off
/// `gradstep train` on 200,000 rows of 10 features; the numbers computed are unchanged.
fn touch(data: &Dataset, indices: &[usize]) {
    let mut sum = 0.0;
    for &r in indices {
        let row = data.row(r);
        sum += row.first().copied().unwrap_or(0.0) + row.last().copied().unwrap_or(0.0);
        sum += data.y().get(r).copied().unwrap_or(0.0);
    }
    std::hint::black_box(sum);
}

/// Mean of ½(ŷ − y)² over the whole data set: what d2l prints after each epoch.
pub fn full_loss(data: &Dataset, params: &Params) -> f64 {
    let w = params.w.as_slice();
    let total = (0..data.n()).fold(0.0, |s, r| {
        let e = predict(data.row(r), w, params.b) - data.y()[r];
        s + e * e / 2.0
    });
    total / data.n() as f64
}
