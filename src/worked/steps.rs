//! What each step computes, as equations with the batch's numbers: the screen shows them under
//! the step's formula, the quiz hides their outputs, the handout prints them.

use super::cells::{self, value, x};
use super::rules::{self, Graph};
use super::{Axis, Cell, Equation, Expr, Join, Quantity, Value, held};
use super::{Part, Symbol};
use crate::engine::Params;
use crate::engine::tape::Linear;
use crate::engine::{Batch, Step};
use crate::lesson::Lang;

/// The step's equations as the screen shows them, numbers at `precision` decimals, words in
/// `lang`: a selection of [`every`], for room. Empty when the step does not fit the batch (a
/// sample out of range, an epoch summary without an epoch loss).
pub fn equations(step: Step, batch: &Batch, precision: usize, lang: Lang) -> Vec<Equation> {
    worked(step, batch, tape(batch).as_ref(), precision, lang).0
}

/// Every equation of the step: those the screen shows, then one for each cell the step writes
/// that those do not compute on their own. What the step writes and reads
/// ([`super::ledger`]) and how inspect explains a cell are read off these.
pub fn every(step: Step, batch: &Batch, precision: usize, lang: Lang) -> Vec<Equation> {
    every_of(step, batch, tape(batch).as_ref(), precision, lang)
}

/// [`every`] for each of `steps`, the batch's tape recorded once for all of them.
pub fn every_step(
    steps: &[Step],
    batch: &Batch,
    precision: usize,
    lang: Lang,
) -> Vec<Vec<Equation>> {
    let linear = tape(batch);
    steps
        .iter()
        .map(|&s| every_of(s, batch, linear.as_ref(), precision, lang))
        .collect()
}

fn every_of(step: Step, b: &Batch, linear: Option<&Linear>, p: usize, lang: Lang) -> Vec<Equation> {
    let (mut shown, rest) = worked(step, b, linear, p, lang);
    shown.extend(rest);
    shown
}

/// The batch's tape, recorded and walked back: the equations of every step but the draw, the
/// accumulation, the update and the epoch's summary are its ops' rules ([`super::rules`]).
fn tape(b: &Batch) -> Option<Linear> {
    let params = Params {
        w: b.w.clone(),
        b: b.b,
    };
    let mut linear = Linear::record(b.x.clone(), &b.y, &params, b.hyper.objective).ok()?;
    linear.backward();
    Some(linear)
}

/// The step's equations: those shown, and the rest.
fn worked(
    step: Step,
    b: &Batch,
    linear: Option<&Linear>,
    p: usize,
    lang: Lang,
) -> (Vec<Equation>, Vec<Equation>) {
    let in_batch = |i: usize| i < b.rows();
    let shown = match step {
        Step::Draw => draw(b, p, lang),
        Step::Accumulate { sample } if in_batch(sample) => {
            let Some(linear) = linear else {
                return (Vec::new(), Vec::new());
            };
            let g = Graph::linear(linear);
            [Symbol::W, Symbol::B]
                .into_iter()
                .filter_map(|s| g.running(s, sample, rules::so_far(s, lang), p))
                .collect()
        }
        Step::Update => update(b, p),
        Step::EpochSummary => epoch_summary(b, p, lang),
        Step::ForwardSample { sample } if in_batch(sample) => return from_tape(step, b, linear, p),
        Step::Forward | Step::GradW | Step::GradB => return from_tape(step, b, linear, p),
        Step::Loss | Step::Errors if in_batch(0) => return from_tape(step, b, linear, p),
        _ => Vec::new(),
    };
    (shown, Vec::new())
}

/// The equations of a step that is one of the tape's rules: shown, and the rest.
fn from_tape(
    step: Step,
    b: &Batch,
    linear: Option<&Linear>,
    p: usize,
) -> (Vec<Equation>, Vec<Equation>) {
    let Some(linear) = linear else {
        return (Vec::new(), Vec::new());
    };
    let g = Graph::linear(linear);
    let some = |eqs: Vec<Option<Equation>>| eqs.into_iter().flatten().collect::<Vec<_>>();
    match step {
        Step::ForwardSample { sample } => (
            some(vec![g.forward(Symbol::YHat, Some(sample), p)]),
            Vec::new(),
        ),
        Step::Forward => (some(vec![g.forward(Symbol::YHat, None, p)]), Vec::new()),
        Step::Loss => {
            // Only l⁽¹⁾ is worked in full on screen; the step computes every l⁽ⁱ⁾ the same way.
            let g = g.computing(&[linear.losses, linear.loss]);
            (
                some(vec![
                    g.forward(Symbol::LossSample, Some(0), p),
                    g.forward(Symbol::Loss, None, p),
                ]),
                some(
                    (1..b.rows())
                        .map(|i| g.forward(Symbol::LossSample, Some(i), p))
                        .collect(),
                ),
            )
        }
        Step::Errors => (
            some(vec![
                g.forward(Symbol::Delta, None, p),
                g.forward(Symbol::Delta, Some(0), p),
                g.mean_upstream(p),
            ]),
            Vec::new(),
        ),
        Step::GradW => (some(vec![g.backward(Symbol::W, None, p)]), Vec::new()),
        Step::GradB => (some(vec![g.backward(Symbol::B, None, p)]), Vec::new()),
        _ => (Vec::new(), Vec::new()),
    }
}

/// A column of the batch's values of `q` (one per sample or per feature).
fn column<'a>(q: Quantity, values: impl IntoIterator<Item = &'a f64>, output: bool) -> Expr {
    // w's entries (and its gradient's, `.grad`'s and the update's) are one per feature.
    let axis = match q {
        Quantity::Of(Symbol::W, Part::Value | Part::Grad | Part::New | Part::Held) => {
            Axis::Features
        }
        Quantity::Of(_, _) | Quantity::Unnamed(_) => Axis::Samples,
    };
    Expr::Column(
        values
            .into_iter()
            .enumerate()
            .map(|(i, &v)| value(q, i, 0, v, output))
            .collect(),
        axis,
    )
}

/// The batch's X, or its transpose Xᵀ (d × N).
fn matrix(b: &Batch, transposed: bool) -> Expr {
    let (n, d) = (b.rows(), b.x.ncols());
    let axis = if transposed {
        Axis::Features
    } else {
        Axis::Samples
    };
    Expr::Matrix(
        if transposed {
            (0..d)
                .map(|j| {
                    (0..n)
                        .map(|i| {
                            value(
                                Quantity::Of(Symbol::X, Part::Transposed),
                                j,
                                i,
                                b.x[(i, j)],
                                false,
                            )
                        })
                        .collect()
                })
                .collect()
        } else {
            (0..n)
                .map(|i| (0..d).map(|j| x(b, i, j)).collect())
                .collect()
        },
        axis,
    )
}

fn draw(b: &Batch, p: usize, lang: Lang) -> Vec<Equation> {
    let (n, d) = (b.rows(), b.x.ncols());
    let mut eqs = super::draw::drawn(n, d, &b.indices, p, lang);
    // The rows drawn fill X (so Xᵀ) and y, which the draw names by row number only.
    let filled = (0..n)
        .flat_map(|i| {
            (0..d).flat_map(move |j| {
                let v = b.x[(i, j)];
                [
                    Value::new(
                        Cell::new(Quantity::Of(Symbol::X, Part::Value), i, j),
                        v,
                        true,
                    ),
                    Value::new(
                        Cell::new(Quantity::Of(Symbol::X, Part::Transposed), j, i),
                        v,
                        true,
                    ),
                ]
            })
        })
        .chain((0..n).map(|i| {
            Value::new(
                Cell::new(Quantity::Of(Symbol::Y, Part::Value), i, 0),
                b.y[i],
                true,
            )
        }));
    if let Some(rows) = eqs.pop() {
        eqs.push(rows.standing_for(filled));
    }
    eqs
}

/// The update of w and b; when nothing zeroes `.grad`, each after what its `.grad` holds now.
fn update(b: &Batch, p: usize) -> Vec<Equation> {
    let w = update_w(b, p);
    let bias = cells::update(b, None, p, true);
    let Some(before) = &b.held else {
        return vec![w, bias];
    };
    let (grad_w, grad_b) = b.param_grad();
    let (held_w, held_b) = (
        Quantity::Of(Symbol::W, Part::Held),
        Quantity::Of(Symbol::B, Part::Held),
    );
    vec![
        held::accumulated(
            Symbol::W,
            r"\frac{\partial L}{\partial w}",
            [
                column(held_w, &before.w, false),
                column(Quantity::Of(Symbol::W, Part::Grad), &b.grad_w, false),
                column(held_w, &grad_w, true),
            ],
            p,
        ),
        w,
        held::accumulated(
            Symbol::B,
            r"\frac{\partial L}{\partial b}",
            [
                value(held_b, 0, 0, before.b, false),
                value(Quantity::Of(Symbol::B, Part::Grad), 0, 0, b.grad_b, false),
                value(held_b, 0, 0, grad_b, true),
            ],
            p,
        ),
        bias,
    ]
}

fn update_w(b: &Batch, p: usize) -> Equation {
    let (rate, step) = cells::step_size(b);
    let (grad, _) = b.param_grad();
    let read = Symbol::W.read_by_update(b.held.is_some());
    Equation::new(
        vec![
            Expr::notation(format!(
                r"w \leftarrow w - {rate} \cdot {}",
                cells::grad_name(b, "w")
            )),
            Expr::difference(
                column(Quantity::Of(Symbol::W, Part::Value), &b.w, false),
                Expr::product(step, column(read, &grad, false), Join::Dot),
            ),
            column(Quantity::Of(Symbol::W, Part::New), &b.w_next, true),
        ],
        p,
    )
}

fn epoch_summary(b: &Batch, p: usize, lang: Lang) -> Vec<Equation> {
    let Some(mean) = b.epoch_loss else {
        return Vec::new();
    };
    let label = match lang {
        Lang::En => format!(r"\text{{epoch {}, mean loss}}", b.epoch),
        Lang::Zh => format!(r"\text{{第 {} 轮，平均损失}}", b.epoch),
    };
    // The step computes the mean loss with the parameters the last update left. The printed
    // value is no output, for the quiz leaves it shown (no class predicts a whole data set's
    // loss); the step writes it all the same.
    let computed = [Value::new(
        Cell::scalar(Quantity::Of(Symbol::Loss, Part::EpochMean)),
        mean,
        true,
    )];
    let params = (0..b.w_next.len())
        .map(|j| {
            Value::new(
                Cell::new(Quantity::Of(Symbol::W, Part::New), j, 0),
                b.w_next[j],
                false,
            )
        })
        .chain([Value::new(
            Cell::scalar(Quantity::Of(Symbol::B, Part::New)),
            b.b_next,
            false,
        )]);
    vec![
        Equation::new(
            vec![
                Expr::notation(label),
                Expr::notation(r"\frac{1}{n} \sum_{i=1}^{n} l^{(i)}"),
                Expr::value(
                    Cell::scalar(Quantity::Of(Symbol::Loss, Part::EpochMean)),
                    mean,
                    false,
                ),
            ],
            p,
        )
        .standing_for(computed.into_iter().chain(params)),
    ]
}

/// Whether `step` computes something a class could predict from the screen.
pub fn produces(step: Step) -> bool {
    !matches!(step, Step::Draw | Step::EpochSummary)
}

/// The batch as drawn: X, y, and the parameters before the update.
pub fn data(b: &Batch, p: usize) -> Vec<Equation> {
    let given = |name: &str, e: Expr| Equation::new(vec![Expr::notation(name), e], p);
    vec![
        given("X", matrix(b, false)),
        given(
            "y",
            column(Quantity::Of(Symbol::Y, Part::Value), &b.y, false),
        ),
        given(
            "w",
            column(Quantity::Of(Symbol::W, Part::Value), &b.w, false),
        ),
        given(
            "b",
            value(Quantity::Of(Symbol::B, Part::Value), 0, 0, b.b, false),
        ),
    ]
}

/// Every sample's contribution δ⁽ⁱ⁾x⁽ⁱ⁾ᵀ to ∂L/∂w, one row per sample.
pub fn contributions(b: &Batch, p: usize) -> Equation {
    let rows = (0..b.rows())
        .map(|i| {
            (0..b.x.ncols())
                .map(|j| {
                    value(
                        Quantity::Of(Symbol::W, Part::Terms),
                        i,
                        j,
                        b.contribution(i, j),
                        false,
                    )
                })
                .collect()
        })
        .collect();
    Equation::new(
        vec![
            Expr::notation(
                r"\begin{bmatrix} \delta^{(1)} x^{(1)T} \\ \vdots \\ \delta^{(N)} x^{(N)T} \end{bmatrix}",
            ),
            Expr::Matrix(rows, Axis::Samples),
        ],
        p,
    )
}

/// Sample `i`'s contribution δ⁽ⁱ⁾x⁽ⁱ⁾ᵀ as a row.
pub fn contribution_row(b: &Batch, i: usize, p: usize) -> Equation {
    let row = (0..b.x.ncols())
        .map(|j| {
            value(
                Quantity::Of(Symbol::W, Part::Terms),
                i,
                j,
                b.contribution(i, j),
                false,
            )
        })
        .collect();
    Equation::new(
        vec![
            Expr::notation(format!(r"\delta{0} x{0}", cells::sup(i))),
            Expr::Matrix(vec![row], Axis::Samples),
        ],
        p,
    )
}
