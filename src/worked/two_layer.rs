//! What each step of a two-layer batch computes, as equations with the batch's numbers: the
//! lesson's formulas carried one layer further (Z = XW₁ + b₁, H = σ(Z), ŷ = HW₂ + b₂,
//! δ₁ = (δW₂ᵀ) ⊙ σ′(Z)), every leaf an engine value in its cell.

use super::{Part, Symbol};
use nalgebra::{DMatrix, DVector};

use super::cells::sup;
use super::{Axis, Cell, Equation, Expr, Func, Join, Param, Quantity, held};
use crate::engine::mlp::{Activation, MlpParams};
use crate::engine::mlp_session::{MlpStep, running};
use crate::engine::{MlpUpdate, Objective};
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

/// Row `i` of a matrix of `q`, its cells keeping their row.
fn row_of(q: Quantity, m: &DMatrix<f64>, i: usize, output: bool) -> Expr {
    Expr::Matrix(
        vec![
            (0..m.ncols())
                .map(|j| v(q, i, j, m[(i, j)], output))
                .collect(),
        ],
        Axis::Features,
    )
}

/// A column laid down as one row (W₂ᵀ), its cells keeping their place in the column.
fn transposed(q: Quantity, c: &DVector<f64>) -> Expr {
    Expr::Matrix(
        vec![
            c.iter()
                .enumerate()
                .map(|(j, &x)| v(q, j, 0, x, false))
                .collect(),
        ],
        Axis::Features,
    )
}

/// Row `i` of a matrix of `q` stood up as a column (h⁽ⁱ⁾ᵀ, x⁽ⁱ⁾ᵀ), its cells keeping their place.
fn row_as_column(q: Quantity, m: &DMatrix<f64>, i: usize) -> Expr {
    Expr::Column(
        (0..m.ncols())
            .map(|j| v(q, i, j, m[(i, j)], false))
            .collect(),
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

/// The name the gradient that reaches ŷ goes by: δ, or δ/N under a mean objective.
fn upstream_name(u: &MlpUpdate) -> &'static str {
    match u.hyper.objective {
        Objective::Mean => r"\frac{\delta}{N}",
        Objective::Sum | Objective::SumNoDiv => r"\delta",
    }
}

/// Where the gradient that reaches ŷ lives: δ itself, or its own column δ/N under a mean.
fn upstream_q(u: &MlpUpdate) -> Quantity {
    match u.hyper.objective {
        Objective::Mean => Quantity::Of(Symbol::YHat, Part::Grad),
        Objective::Sum | Objective::SumNoDiv => Quantity::Of(Symbol::Delta, Part::Value),
    }
}

/// The step's equations, numbers at `precision` decimals, words in `lang`. Empty when the step
/// does not fit the batch (a sample out of range).
pub fn equations(step: MlpStep, t: TwoLayerBatch<'_>, p: usize, lang: Lang) -> Vec<Equation> {
    let b = &t.update.batch;
    let n = b.x.nrows();
    let in_batch = |i: usize| i < n;
    match step {
        MlpStep::Draw => draw(t, p, lang),
        MlpStep::ForwardSample { sample } if in_batch(sample) => forward_sample(t, sample, p),
        MlpStep::Forward => forward(t, p),
        MlpStep::Loss => vec![loss(t, p)],
        MlpStep::Errors => errors(t, p),
        MlpStep::Accumulate { layer: 2, sample } if in_batch(sample) => accumulate2(t, sample, p),
        MlpStep::Accumulate { sample, .. } if in_batch(sample) => accumulate1(t, sample, p),
        MlpStep::Grads { layer: 2 } => grads2(t, p),
        MlpStep::Grads { .. } => grads1(t, p),
        MlpStep::SendBack { sample } if in_batch(sample) => send_back(t, sample, p),
        MlpStep::SendBackAll => vec![send_back_all(t, p)],
        MlpStep::Update => update(t, p),
        _ => Vec::new(),
    }
}

fn draw(t: TwoLayerBatch<'_>, p: usize, lang: Lang) -> Vec<Equation> {
    let b = &t.update.batch;
    super::draw::drawn(b.x.nrows(), b.x.ncols(), &t.update.indices, p, lang)
}

/// z⁽ⁱ⁾ = x⁽ⁱ⁾W₁ + b₁, h⁽ⁱ⁾ = σ(z⁽ⁱ⁾), ŷ⁽ⁱ⁾ = h⁽ⁱ⁾W₂ + b₂.
fn forward_sample(t: TwoLayerBatch<'_>, i: usize, p: usize) -> Vec<Equation> {
    let (b, w) = (&t.update.batch, &t.update.before);
    let k = sup(i);
    let z = Equation::new(
        vec![
            Expr::notation(format!("z{k}")),
            Expr::notation(format!("x{k} W_1 + b_1")),
            Expr::Sum(vec![
                Expr::product(
                    row_of(Quantity::Of(Symbol::X, Part::Value), &b.x, i, false),
                    matrix(
                        Quantity::Of(Symbol::W1, Part::Value),
                        &w.w1,
                        false,
                        Axis::Features,
                    ),
                    Join::Juxtapose,
                ),
                row(Quantity::Of(Symbol::B1, Part::Value), &w.b1, false),
            ]),
            row_of(Quantity::Of(Symbol::Z, Part::Value), &b.z, i, true),
        ],
        p,
    );
    let h = Equation::new(
        vec![
            Expr::notation(format!("h{k}")),
            Expr::notation(format!(r"\sigma(z{k})")),
            Expr::apply(
                Func::Sigma(t.activation),
                row_of(Quantity::Of(Symbol::Z, Part::Value), &b.z, i, false),
            ),
            row_of(Quantity::Of(Symbol::H, Part::Value), &b.h, i, true),
        ],
        p,
    );
    let y_hat = Equation::new(
        vec![
            Expr::notation(format!(r"\hat{{y}}{k}")),
            Expr::notation(format!("h{k} W_2 + b_2")),
            Expr::Sum(vec![
                Expr::product(
                    row_of(Quantity::Of(Symbol::H, Part::Value), &b.h, i, false),
                    column(
                        Quantity::Of(Symbol::W2, Part::Value),
                        &w.w2,
                        false,
                        Axis::Features,
                    ),
                    Join::Juxtapose,
                ),
                v(Quantity::Of(Symbol::B2, Part::Value), 0, 0, w.b2, false),
            ]),
            v(
                Quantity::Of(Symbol::YHat, Part::Value),
                i,
                0,
                b.y_hat[i],
                true,
            ),
        ],
        p,
    );
    vec![z, h, y_hat]
}

fn forward(t: TwoLayerBatch<'_>, p: usize) -> Vec<Equation> {
    let (b, w) = (&t.update.batch, &t.update.before);
    let z = Equation::new(
        vec![
            Expr::notation("Z"),
            Expr::notation("X W_1 + b_1"),
            Expr::Sum(vec![
                Expr::product(
                    matrix(
                        Quantity::Of(Symbol::X, Part::Value),
                        &b.x,
                        false,
                        Axis::Samples,
                    ),
                    matrix(
                        Quantity::Of(Symbol::W1, Part::Value),
                        &w.w1,
                        false,
                        Axis::Features,
                    ),
                    Join::Juxtapose,
                ),
                row(Quantity::Of(Symbol::B1, Part::Value), &w.b1, false),
            ]),
            matrix(
                Quantity::Of(Symbol::Z, Part::Value),
                &b.z,
                true,
                Axis::Samples,
            ),
        ],
        p,
    );
    let h = Equation::new(
        vec![
            Expr::notation("H"),
            Expr::notation(r"\sigma(Z)"),
            Expr::apply(
                Func::Sigma(t.activation),
                matrix(
                    Quantity::Of(Symbol::Z, Part::Value),
                    &b.z,
                    false,
                    Axis::Samples,
                ),
            ),
            matrix(
                Quantity::Of(Symbol::H, Part::Value),
                &b.h,
                true,
                Axis::Samples,
            ),
        ],
        p,
    );
    let y_hat = Equation::new(
        vec![
            Expr::notation(r"\hat{y}"),
            Expr::notation("H W_2 + b_2"),
            Expr::Sum(vec![
                Expr::product(
                    matrix(
                        Quantity::Of(Symbol::H, Part::Value),
                        &b.h,
                        false,
                        Axis::Samples,
                    ),
                    column(
                        Quantity::Of(Symbol::W2, Part::Value),
                        &w.w2,
                        false,
                        Axis::Features,
                    ),
                    Join::Juxtapose,
                ),
                v(Quantity::Of(Symbol::B2, Part::Value), 0, 0, w.b2, false),
            ]),
            column(
                Quantity::Of(Symbol::YHat, Part::Value),
                &b.y_hat,
                true,
                Axis::Samples,
            ),
        ],
        p,
    );
    vec![z, h, y_hat]
}

fn loss(t: TwoLayerBatch<'_>, p: usize) -> Equation {
    let b = &t.update.batch;
    let n = b.x.nrows();
    let terms = Expr::Sum(
        (0..n)
            .map(|i| {
                Expr::half_square(Expr::difference(
                    v(
                        Quantity::Of(Symbol::YHat, Part::Value),
                        i,
                        0,
                        b.y_hat[i],
                        false,
                    ),
                    v(Quantity::Of(Symbol::Y, Part::Value), i, 0, b.y[i], false),
                ))
            })
            .collect(),
    );
    let (name, computed) = match t.update.hyper.objective {
        Objective::Mean => (
            r"\frac{1}{N} \sum_{i=1}^{N} \frac{1}{2} (\hat{y}^{(i)} - y^{(i)})^2",
            Expr::quotient(terms, Expr::exact(n as f64, Some(Role::N))),
        ),
        Objective::Sum | Objective::SumNoDiv => (
            r"\sum_{i=1}^{N} \frac{1}{2} (\hat{y}^{(i)} - y^{(i)})^2",
            terms,
        ),
    };
    Equation::new(
        vec![
            Expr::notation("L"),
            Expr::notation(name),
            computed,
            v(Quantity::Of(Symbol::Loss, Part::Value), 0, 0, b.loss, true),
        ],
        p,
    )
}

fn errors(t: TwoLayerBatch<'_>, p: usize) -> Vec<Equation> {
    let b = &t.update.batch;
    let delta = Equation::new(
        vec![
            Expr::notation(r"\delta"),
            Expr::notation(r"\hat{y} - y"),
            Expr::difference(
                column(
                    Quantity::Of(Symbol::YHat, Part::Value),
                    &b.y_hat,
                    false,
                    Axis::Samples,
                ),
                column(
                    Quantity::Of(Symbol::Y, Part::Value),
                    &b.y,
                    false,
                    Axis::Samples,
                ),
            ),
            column(
                Quantity::Of(Symbol::Delta, Part::Value),
                &b.delta,
                true,
                Axis::Samples,
            ),
        ],
        p,
    );
    let mut out = vec![delta];
    if t.update.hyper.objective == Objective::Mean {
        out.push(Equation::new(
            vec![
                Expr::notation(r"\frac{\delta}{N}"),
                Expr::quotient(
                    column(
                        Quantity::Of(Symbol::Delta, Part::Value),
                        &b.delta,
                        false,
                        Axis::Samples,
                    ),
                    Expr::exact(b.x.nrows() as f64, Some(Role::N)),
                ),
                column(
                    Quantity::Of(Symbol::YHat, Part::Grad),
                    &b.upstream,
                    true,
                    Axis::Samples,
                ),
            ],
            p,
        ));
    }
    out
}

/// What reaches ŷ for sample i: δ⁽ⁱ⁾ (or δ⁽ⁱ⁾/N), as a value of δ's column.
fn upstream(t: TwoLayerBatch<'_>, i: usize) -> Expr {
    v(
        upstream_q(t.update),
        i,
        0,
        t.update.batch.upstream[i],
        false,
    )
}

/// ∂L/∂W₂ and ∂L/∂b₂ after sample i: the previous running sums plus h⁽ⁱ⁾ᵀδ⁽ⁱ⁾ and δ⁽ⁱ⁾.
fn accumulate2(t: TwoLayerBatch<'_>, i: usize, p: usize) -> Vec<Equation> {
    let b = &t.update.batch;
    let k = sup(i);
    let now = running(b, i);
    let prev = (i > 0).then(|| running(b, i - 1));
    let u = upstream_name(t.update);
    let w2 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial W_2}"),
            Expr::notation(format!(r"\ldots + h^{{({})T}} {u}{k}", i + 1)),
            Expr::Sum(vec![
                prev.as_ref().map_or(Expr::exact(0.0, None), |r| {
                    column(
                        Quantity::Of(Symbol::W2, Part::Grad),
                        &r.w2,
                        false,
                        Axis::Features,
                    )
                }),
                Expr::product(
                    upstream(t, i),
                    row_as_column(Quantity::Of(Symbol::H, Part::Value), &b.h, i),
                    Join::Juxtapose,
                ),
            ]),
            column(
                Quantity::Of(Symbol::W2, Part::Grad),
                &now.w2,
                true,
                Axis::Features,
            ),
        ],
        p,
    );
    let b2 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial b_2}"),
            Expr::notation(format!(r"\ldots + {u}{k}")),
            Expr::Sum(vec![
                prev.as_ref().map_or(Expr::exact(0.0, None), |r| {
                    v(Quantity::Of(Symbol::B2, Part::Grad), 0, 0, r.b2, false)
                }),
                upstream(t, i),
            ]),
            v(Quantity::Of(Symbol::B2, Part::Grad), 0, 0, now.b2, true),
        ],
        p,
    );
    vec![w2, b2]
}

fn grads2(t: TwoLayerBatch<'_>, p: usize) -> Vec<Equation> {
    let b = &t.update.batch;
    let u = upstream_name(t.update);
    let ht = b.h.transpose();
    let w2 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial W_2}"),
            Expr::notation(format!("H^T {u}")),
            Expr::product(
                Expr::Matrix(
                    (0..ht.nrows())
                        .map(|j| {
                            (0..ht.ncols())
                                .map(|i| {
                                    v(
                                        Quantity::Of(Symbol::H, Part::Value),
                                        i,
                                        j,
                                        ht[(j, i)],
                                        false,
                                    )
                                })
                                .collect()
                        })
                        .collect(),
                    Axis::Features,
                ),
                column(upstream_q(t.update), &b.upstream, false, Axis::Samples),
                Join::Juxtapose,
            ),
            column(
                Quantity::Of(Symbol::W2, Part::Grad),
                &b.grad_w2,
                true,
                Axis::Features,
            ),
        ],
        p,
    );
    let b2 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial b_2}"),
            Expr::notation(format!(r"\sum_{{i=1}}^{{N}} {u}^{{(i)}}")),
            Expr::Sum((0..b.x.nrows()).map(|i| upstream(t, i)).collect()),
            v(Quantity::Of(Symbol::B2, Part::Grad), 0, 0, b.grad_b2, true),
        ],
        p,
    );
    vec![w2, b2]
}

/// σ′ of row i of Z (None: all of Z), written as a board writes it: relu′(z), 1 − h ⊙ h,
/// or (1 − h) ⊙ h, from the printed z or h.
fn slope_of(t: TwoLayerBatch<'_>, i: Option<usize>) -> (&'static str, Expr) {
    let b = &t.update.batch;
    let pick = |q: Quantity, m: &DMatrix<f64>| match i {
        Some(i) => row_of(q, m, i, false),
        None => matrix(q, m, false, Axis::Samples),
    };
    let h = || pick(Quantity::Of(Symbol::H, Part::Value), &b.h);
    match t.activation {
        Activation::Relu => (
            r"\text{relu'}",
            Expr::apply(
                Func::ReluSlope,
                pick(Quantity::Of(Symbol::Z, Part::Value), &b.z),
            ),
        ),
        Activation::Tanh => (
            r"1 - h \odot h",
            Expr::difference(
                Expr::exact(1.0, None),
                Expr::product(h(), h(), Join::Hadamard),
            ),
        ),
        Activation::Sigmoid => (
            r"(1 - h) \odot h",
            Expr::product(
                Expr::difference(Expr::exact(1.0, None), h()),
                h(),
                Join::Hadamard,
            ),
        ),
    }
}

/// σ′(z⁽ⁱ⁾) for every unit of sample i, as the engine's activation computes it.
fn slopes(t: TwoLayerBatch<'_>, i: usize) -> DMatrix<f64> {
    let b = &t.update.batch;
    DMatrix::from_fn(1, b.z.ncols(), |_, j| {
        t.activation.slope(b.z[(i, j)], b.h[(i, j)])
    })
}

/// σ′(z⁽ⁱ⁾) worked out, then δ₁⁽ⁱ⁾ = (δ⁽ⁱ⁾W₂ᵀ) ⊙ σ′(z⁽ⁱ⁾).
fn send_back(t: TwoLayerBatch<'_>, i: usize, p: usize) -> Vec<Equation> {
    let (b, w) = (&t.update.batch, &t.update.before);
    let u = upstream_name(t.update);
    let k = sup(i);
    let (rule, worked) = slope_of(t, Some(i));
    let s = slopes(t, i);
    let slope_row = |output: bool| {
        Expr::Matrix(
            vec![
                (0..s.ncols())
                    .map(|j| {
                        v(
                            Quantity::Of(Symbol::H, Part::Slope),
                            i,
                            j,
                            s[(0, j)],
                            output,
                        )
                    })
                    .collect(),
            ],
            Axis::Features,
        )
    };
    let rule = match t.activation {
        Activation::Relu => format!(r"{rule}(z{k})"),
        _ => rule.replace('h', &format!("h{k}")),
    };
    let sigma = Equation::new(
        vec![
            Expr::notation(format!(r"\sigma'(z{k})")),
            Expr::notation(rule),
            worked,
            slope_row(true),
        ],
        p,
    );
    let delta1 = Equation::new(
        vec![
            Expr::notation(format!(r"\delta_1{k}")),
            Expr::notation(format!(r"({u}{k} W_2^T) \odot \sigma'(z{k})")),
            Expr::product(
                Expr::product(
                    upstream(t, i),
                    transposed(Quantity::Of(Symbol::W2, Part::Value), &w.w2),
                    Join::Juxtapose,
                ),
                slope_row(false),
                Join::Hadamard,
            ),
            row_of(Quantity::Of(Symbol::Z, Part::Grad), &b.delta1, i, true),
        ],
        p,
    );
    vec![sigma, delta1]
}

fn send_back_all(t: TwoLayerBatch<'_>, p: usize) -> Equation {
    let (b, w) = (&t.update.batch, &t.update.before);
    let u = upstream_name(t.update);
    let (rule, slopes) = slope_of(t, None);
    let name = match t.activation {
        Activation::Relu => format!("{rule}(Z)"),
        _ => format!("({})", rule.replace('h', "H")),
    };
    Equation::new(
        vec![
            Expr::notation(r"\delta_1"),
            Expr::notation(format!(r"({u} W_2^T) \odot {name}")),
            Expr::product(
                Expr::product(
                    column(upstream_q(t.update), &b.upstream, false, Axis::Samples),
                    transposed(Quantity::Of(Symbol::W2, Part::Value), &w.w2),
                    Join::Juxtapose,
                ),
                slopes,
                Join::Hadamard,
            ),
            matrix(
                Quantity::Of(Symbol::Z, Part::Grad),
                &b.delta1,
                true,
                Axis::Samples,
            ),
        ],
        p,
    )
}

/// ∂L/∂W₁ and ∂L/∂b₁ after sample i: the previous running sums plus x⁽ⁱ⁾ᵀδ₁⁽ⁱ⁾ and δ₁⁽ⁱ⁾.
fn accumulate1(t: TwoLayerBatch<'_>, i: usize, p: usize) -> Vec<Equation> {
    let b = &t.update.batch;
    let k = sup(i);
    let now = running(b, i);
    let prev = (i > 0).then(|| running(b, i - 1));
    let w1 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial W_1}"),
            Expr::notation(format!(r"\ldots + x^{{({})T}} \delta_1{k}", i + 1)),
            Expr::Sum(vec![
                prev.as_ref().map_or(Expr::exact(0.0, None), |r| {
                    matrix(
                        Quantity::Of(Symbol::W1, Part::Grad),
                        &r.w1,
                        false,
                        Axis::Features,
                    )
                }),
                Expr::product(
                    row_as_column(Quantity::Of(Symbol::X, Part::Value), &b.x, i),
                    row_of(Quantity::Of(Symbol::Z, Part::Grad), &b.delta1, i, false),
                    Join::Juxtapose,
                ),
            ]),
            matrix(
                Quantity::Of(Symbol::W1, Part::Grad),
                &now.w1,
                true,
                Axis::Features,
            ),
        ],
        p,
    );
    let b1 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial b_1}"),
            Expr::notation(format!(r"\ldots + \delta_1{k}")),
            Expr::Sum(vec![
                prev.as_ref().map_or(Expr::exact(0.0, None), |r| {
                    row(Quantity::Of(Symbol::B1, Part::Grad), &r.b1, false)
                }),
                row_of(Quantity::Of(Symbol::Z, Part::Grad), &b.delta1, i, false),
            ]),
            row(Quantity::Of(Symbol::B1, Part::Grad), &now.b1, true),
        ],
        p,
    );
    vec![w1, b1]
}

fn grads1(t: TwoLayerBatch<'_>, p: usize) -> Vec<Equation> {
    let b = &t.update.batch;
    let xt = Expr::Matrix(
        (0..b.x.ncols())
            .map(|c| {
                (0..b.x.nrows())
                    .map(|i| {
                        v(
                            Quantity::Of(Symbol::X, Part::Transposed),
                            c,
                            i,
                            b.x[(i, c)],
                            false,
                        )
                    })
                    .collect()
            })
            .collect(),
        Axis::Features,
    );
    let w1 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial W_1}"),
            Expr::notation(r"X^T \delta_1"),
            Expr::product(
                xt,
                matrix(
                    Quantity::Of(Symbol::Z, Part::Grad),
                    &b.delta1,
                    false,
                    Axis::Samples,
                ),
                Join::Juxtapose,
            ),
            matrix(
                Quantity::Of(Symbol::W1, Part::Grad),
                &b.grad_w1,
                true,
                Axis::Features,
            ),
        ],
        p,
    );
    let b1 = Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial b_1}"),
            Expr::notation(r"\sum_{i=1}^{N} \delta_1^{(i)}"),
            Expr::Sum(
                (0..b.x.nrows())
                    .map(|i| row_of(Quantity::Of(Symbol::Z, Part::Grad), &b.delta1, i, false))
                    .collect(),
            ),
            row(Quantity::Of(Symbol::B1, Part::Grad), &b.grad_b1, true),
        ],
        p,
    );
    vec![w1, b1]
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
    let param = |param: Param, shaped: &dyn Fn(Quantity, &MlpParams, bool) -> Expr| {
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
        param(Param::W1, &w1),
        param(Param::B1, &b1),
        param(Param::W2, &w2),
        param(Param::B2, &b2),
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
