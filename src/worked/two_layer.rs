//! What each step of a two-layer batch computes, as equations with the batch's numbers: the
//! lesson's formulas carried one layer further (Z = XW₁ + b₁, H = σ(Z), ŷ = HW₂ + b₂,
//! δ₁ = (δW₂ᵀ) ⊙ σ′(Z)), every leaf an engine value in its cell.

use super::Symbol;
use nalgebra::{DMatrix, DVector};

use super::rules::{self, Graph};
use super::{Axis, Cell, Equation, Expr, Join, Quantity, held};
use crate::engine::MlpUpdate;
use crate::engine::mlp::{Activation, MlpParams};
use crate::engine::mlp_session::MlpStep;
use crate::engine::tape::mlp::Mlp;
use crate::lesson::Lang;
use crate::math::Role;

/// One batch of a two-layer run and the parameters after its update.
#[derive(Clone, Copy)]
pub struct TwoLayerBatch<'a> {
    pub update: &'a MlpUpdate,
    pub next: &'a MlpParams,
    pub activation: Activation,
}

fn v(q: Quantity, row: usize, col: usize, value: f64, output: bool) -> Expr {
    Expr::value(Cell::new(q, row, col), value, output)
}

/// A matrix of `q`'s values, rows along `axis`.
fn matrix(q: Quantity, m: &DMatrix<f64>, output: bool, axis: Axis) -> Expr {
    Expr::Matrix(
        (0..m.nrows())
            .map(|i| {
                (0..m.ncols())
                    .map(|j| v(q, i, j, m[(i, j)], output))
                    .collect()
            })
            .collect(),
        axis,
    )
}

/// A vector as one row (b₁, a row of Z): a 1×n matrix.
fn row(q: Quantity, r: &DVector<f64>, output: bool) -> Expr {
    Expr::Matrix(
        vec![
            r.iter()
                .enumerate()
                .map(|(j, &x)| v(q, 0, j, x, output))
                .collect(),
        ],
        Axis::Features,
    )
}

fn column(q: Quantity, c: &DVector<f64>, output: bool, axis: Axis) -> Expr {
    Expr::Column(
        c.iter()
            .enumerate()
            .map(|(i, &x)| v(q, i, 0, x, output))
            .collect(),
        axis,
    )
}

/// The batch's tape, recorded and walked back: every step's equations but the draw's, the
/// running sums' and the update's are its ops' rules ([`super::rules`]).
fn tape(t: TwoLayerBatch<'_>) -> Option<Mlp> {
    let u = t.update;
    let b = &u.batch;
    let mut mlp = Mlp::record(
        b.x.clone(),
        &b.y,
        &u.before,
        t.activation,
        u.hyper.objective,
    )
    .ok()?;
    mlp.backward();
    Some(mlp)
}

/// The step's equations as the screen shows them, numbers at `precision` decimals, words in
/// `lang`: a selection of [`every`], for room. Empty when the step does not fit the batch (a
/// sample out of range).
pub fn equations(step: MlpStep, t: TwoLayerBatch<'_>, p: usize, lang: Lang) -> Vec<Equation> {
    worked(step, t, tape(t).as_ref(), p, lang).0
}

/// Every equation of the step: those the screen shows, then one for each cell the step writes
/// that those do not compute on their own (l⁽ⁱ⁾ past the first). What the step writes and
/// reads, and how inspect explains a cell, are read off these.
pub fn every(step: MlpStep, t: TwoLayerBatch<'_>, p: usize, lang: Lang) -> Vec<Equation> {
    every_of(step, t, tape(t).as_ref(), p, lang)
}

/// [`every`] for each of `steps`, the batch's tape recorded once for all of them.
pub fn every_step(
    steps: &[MlpStep],
    t: TwoLayerBatch<'_>,
    p: usize,
    lang: Lang,
) -> Vec<Vec<Equation>> {
    let mlp = tape(t);
    steps
        .iter()
        .map(|&s| every_of(s, t, mlp.as_ref(), p, lang))
        .collect()
}

fn every_of(
    step: MlpStep,
    t: TwoLayerBatch<'_>,
    mlp: Option<&Mlp>,
    p: usize,
    lang: Lang,
) -> Vec<Equation> {
    let (mut shown, rest) = worked(step, t, mlp, p, lang);
    shown.extend(rest);
    shown
}

/// The step's equations: those shown, and the rest.
fn worked(
    step: MlpStep,
    t: TwoLayerBatch<'_>,
    mlp: Option<&Mlp>,
    p: usize,
    lang: Lang,
) -> (Vec<Equation>, Vec<Equation>) {
    let b = &t.update.batch;
    let n = b.x.nrows();
    let in_batch = |i: usize| i < n;
    let shown = match step {
        MlpStep::Draw => draw(t, p, lang),
        MlpStep::Accumulate { layer, sample } if in_batch(sample) => {
            let Some(mlp) = mlp else {
                return (Vec::new(), Vec::new());
            };
            let g = Graph::mlp(mlp);
            let params = match layer {
                2 => [Symbol::W2, Symbol::B2],
                _ => [Symbol::W1, Symbol::B1],
            };
            params
                .into_iter()
                .filter_map(|s| g.running(s, sample, rules::so_far(s, lang), p))
                .collect()
        }
        MlpStep::Update => update(t, p),
        MlpStep::ForwardSample { sample } | MlpStep::SendBack { sample } if !in_batch(sample) => {
            Vec::new()
        }
        MlpStep::Accumulate { .. } => Vec::new(),
        _ => return from_tape(step, mlp, p),
    };
    (shown, Vec::new())
}

/// The equations of a step that is the tape's rules: shown, and the rest.
fn from_tape(step: MlpStep, mlp: Option<&Mlp>, p: usize) -> (Vec<Equation>, Vec<Equation>) {
    let Some(mlp) = mlp else {
        return (Vec::new(), Vec::new());
    };
    let some = |eqs: Vec<Option<Equation>>| eqs.into_iter().flatten().collect::<Vec<_>>();
    let g = Graph::mlp(mlp);
    let eqs = match step {
        MlpStep::ForwardSample { sample } => [Symbol::Z, Symbol::H, Symbol::YHat]
            .map(|s| g.forward(s, Some(sample), p))
            .to_vec(),
        MlpStep::Forward => [Symbol::Z, Symbol::H, Symbol::YHat]
            .map(|s| g.forward(s, None, p))
            .to_vec(),
        MlpStep::Loss => {
            // Only l⁽¹⁾ is worked in full on screen; the step computes every l⁽ⁱ⁾ the same way.
            let g = g.computing(&[mlp.losses, mlp.loss]);
            let rest = (1..mlp.rows()).map(|i| g.forward(Symbol::LossSample, Some(i), p));
            return (
                some(vec![
                    g.forward(Symbol::LossSample, Some(0), p),
                    g.forward(Symbol::Loss, None, p),
                ]),
                some(rest.collect()),
            );
        }
        MlpStep::Errors => vec![g.forward(Symbol::Delta, None, p), g.mean_upstream(p)],
        MlpStep::Grads { layer: 2 } => vec![
            g.backward(Symbol::W2, None, p),
            g.backward(Symbol::B2, None, p),
        ],
        MlpStep::Grads { .. } => vec![
            g.backward(Symbol::W1, None, p),
            g.backward(Symbol::B1, None, p),
        ],
        MlpStep::SendBack { sample } => {
            vec![g.slope(sample, p), g.backward(Symbol::Z, Some(sample), p)]
        }
        MlpStep::SendBackAll => vec![g.backward(Symbol::Z, None, p)],
        _ => Vec::new(),
    };
    (some(eqs), Vec::new())
}

fn draw(t: TwoLayerBatch<'_>, p: usize, lang: Lang) -> Vec<Equation> {
    let b = &t.update.batch;
    super::draw::drawn(b.x.nrows(), b.x.ncols(), &t.update.indices, p, lang)
}

/// p ← p − lr·∂L/∂p / divisor for W₁, b₁, W₂ and b₂; when nothing zeroes `.grad`, each after
/// what its `.grad` holds now (`W₁.grad ← W₁.grad + ∂L/∂W₁`), which the update reads.
fn update(t: TwoLayerBatch<'_>, p: usize) -> Vec<Equation> {
    let (u, w, next) = (t.update, &t.update.before, t.next);
    let b = &u.batch;
    let g = u.param_grad();
    let this_batch = b.grads();
    let held = u.held.as_ref();
    let div = crate::engine::batch::divisor(&u.hyper, b.x.nrows());
    let lr = || Expr::exact(u.hyper.lr, Some(Role::Lr));
    // One parameter's equations: its `.grad` summed when held, then its step. `shaped` lays a
    // value of the parameter's shape out as its quantity `q`.
    let param = |param: Symbol, shaped: &dyn Fn(Quantity, &MlpParams, bool) -> Expr| {
        let name = param.latex();
        let read = param.read_by_update(held.is_some());
        let fresh = format!(r"\partial L / \partial {name}");
        let grad = match held {
            Some(_) => param.grad_latex(),
            None => fresh.clone(),
        };
        let scaled = Expr::product(lr(), shaped(read, &g, false), Join::Dot);
        let (scaled, per) = if div == 1.0 {
            (scaled, "")
        } else {
            (
                Expr::quotient(scaled, Expr::exact(div, Some(Role::N))),
                " / N",
            )
        };
        let step = Equation::new(
            vec![
                Expr::notation(format!(
                    r"{name} \leftarrow {name} - \text{{lr}} \cdot {grad}{per}"
                )),
                Expr::difference(shaped(param.value(), w, false), scaled),
                shaped(param.after_update(), next, true),
            ],
            p,
        );
        match held {
            None => vec![step],
            Some(before) => vec![
                held::accumulated(
                    param,
                    &fresh,
                    [
                        shaped(read, before, false),
                        shaped(param.grad(), &this_batch, false),
                        shaped(read, &g, true),
                    ],
                    p,
                ),
                step,
            ],
        }
    };
    let w1 = |q: Quantity, m: &MlpParams, out: bool| matrix(q, &m.w1, out, Axis::Features);
    let b1 = |q: Quantity, m: &MlpParams, out: bool| row(q, &m.b1, out);
    let w2 = |q: Quantity, m: &MlpParams, out: bool| column(q, &m.w2, out, Axis::Features);
    let b2 = |q: Quantity, m: &MlpParams, out: bool| v(q, 0, 0, m.b2, out);
    [
        param(Symbol::W1, &w1),
        param(Symbol::B1, &b1),
        param(Symbol::W2, &w2),
        param(Symbol::B2, &b2),
    ]
    .concat()
}

/// Whether sample i puts some hidden unit at exactly z = 0 under ReLU (None: the whole batch),
/// where σ′ is taken as 0, as PyTorch takes it: the screen says so.
pub fn relu_at_zero(t: TwoLayerBatch<'_>, sample: Option<usize>) -> bool {
    let z = &t.update.batch.z;
    t.activation == Activation::Relu
        && (0..z.nrows())
            .filter(|&i| sample.is_none_or(|s| s == i))
            .any(|i| z.row(i).iter().any(|&v| v == 0.0))
}
