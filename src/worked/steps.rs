//! What each step computes, as equations with the batch's numbers: the screen shows them under
//! the step's formula, the quiz hides their outputs, the handout prints them.

use super::cells::{self, value, x};
use super::{Axis, Cell, Equation, Expr, Join, Param, Quantity, Value, held};
use crate::engine::tape::Recorded;
use crate::engine::{Batch, Step};
use crate::lesson::Lang;
use crate::math::Role;

/// The step's equations, numbers at `precision` decimals, words in `lang`. Empty when the step
/// does not fit the batch (a sample out of range, an epoch summary without an epoch loss).
pub fn equations(step: Step, batch: &Batch, precision: usize, lang: Lang) -> Vec<Equation> {
    let b = batch;
    let p = precision;
    let in_batch = |i: usize| i < b.rows();
    match step {
        Step::Draw => draw(b, p, lang),
        Step::ForwardSample { sample } if in_batch(sample) => {
            vec![cells::y_hat(b, sample, p, true)]
        }
        Step::Forward => vec![forward(b, p)],
        Step::Loss if in_batch(0) => {
            // Only l⁽¹⁾ is worked in full; the step computes every l⁽ⁱ⁾ the same way.
            let others = (1..b.rows()).flat_map(|i| cells::loss_sample_cells(b, i));
            vec![
                cells::loss_sample(b, 0, p, true).standing_for(others),
                cells::loss(b, p, true),
            ]
        }
        Step::Errors if in_batch(0) => vec![errors(b, p), cells::delta(b, 0, p, true)],
        Step::Accumulate { sample } if in_batch(sample) => accumulate(b, sample, p, lang),
        Step::GradW => vec![grad_w(b, p)],
        Step::GradB => vec![grad_b(b, p)],
        Step::Update => update(b, p),
        Step::EpochSummary => epoch_summary(b, p, lang),
        _ => Vec::new(),
    }
}

/// A column of the batch's values of `q` (one per sample or per feature).
fn column<'a>(q: Quantity, values: impl IntoIterator<Item = &'a f64>, output: bool) -> Expr {
    let axis = match q {
        Quantity::W | Quantity::GradW | Quantity::WNew | Quantity::Held(Param::W) => Axis::Features,
        Quantity::X
        | Quantity::B
        | Quantity::YHat
        | Quantity::Y
        | Quantity::LossSample
        | Quantity::Delta
        | Quantity::Loss
        | Quantity::XT
        | Quantity::GradB
        | Quantity::BNew
        | Quantity::Contribution
        | Quantity::EpochLoss
        | Quantity::Node(_)
        | Quantity::Held(Param::B | Param::W1 | Param::B1 | Param::W2 | Param::B2)
        | super::two_layer!() => Axis::Samples,
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
                        .map(|i| value(Quantity::XT, j, i, b.x[(i, j)], false))
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
    let mut eqs = drawn(n, d, &b.indices, p, lang);
    // The rows drawn fill X (so Xᵀ) and y, which the draw names by row number only.
    let filled = (0..n)
        .flat_map(|i| {
            (0..d).flat_map(move |j| {
                let v = b.x[(i, j)];
                [
                    Value::new(Cell::new(Quantity::X, i, j), v, true),
                    Value::new(Cell::new(Quantity::XT, j, i), v, true),
                ]
            })
        })
        .chain((0..n).map(|i| Value::new(Cell::new(Quantity::Y, i, 0), b.y[i], true)));
    if let Some(rows) = eqs.pop() {
        eqs.push(rows.standing_for(filled));
    }
    eqs
}

/// The draw step of either model: N, d and the rows of the data set the batch holds.
pub(super) fn drawn(n: usize, d: usize, rows: &[usize], p: usize, lang: Lang) -> Vec<Equation> {
    let count = |name: &str, v: usize, role: Option<Role>| {
        Equation::new(vec![Expr::notation(name), Expr::exact(v as f64, role)], p)
    };
    // Counted from 1 like every row on screen; PyTorch's `batch_indices` (and the trace's
    // `indices`) hold these minus 1, which inspect says for a row of X.
    let label = match lang {
        Lang::En => r"\text{data rows (from 1)}",
        Lang::Zh => r"\text{数据行号（从 1 起）}",
    };
    let indices = rows
        .iter()
        .map(|&i| Expr::exact(i as f64 + 1.0, None))
        .collect();
    vec![
        count("N", n, Some(Role::N)),
        count("d", d, None),
        Equation::new(vec![Expr::notation(label), Expr::List(indices)], p),
    ]
}

fn forward(b: &Batch, p: usize) -> Equation {
    Equation::new(
        vec![
            Expr::notation(r"\hat{y}"),
            Expr::notation("Xw + b"),
            Expr::Sum(vec![
                Expr::product(
                    matrix(b, false),
                    column(Quantity::W, &b.w, false),
                    Join::Juxtapose,
                ),
                value(Quantity::B, 0, 0, b.b, false),
            ]),
            column(Quantity::YHat, &b.y_hat, true),
        ],
        p,
    )
}

fn errors(b: &Batch, p: usize) -> Equation {
    Equation::new(
        vec![
            Expr::notation(r"\delta"),
            Expr::notation(r"\hat{y} - y"),
            Expr::difference(
                column(Quantity::YHat, &b.y_hat, false),
                column(Quantity::Y, &b.y, false),
            ),
            column(Quantity::Delta, &b.delta, true),
        ],
        p,
    )
}

/// What the running sums become, so the class knows what it is watching grow: ∂L/∂w and ∂L/∂b
/// for the summed loss, N times them for the mean (whose gradient divides the sums by N).
fn running(b: &Batch, of_w: bool, lang: Lang) -> String {
    let target = if of_w {
        r"\frac{\partial L}{\partial w}"
    } else {
        r"\frac{\partial L}{\partial b}"
    };
    let times_n = if Recorded::of(b.hyper.objective).is_mean() {
        "N "
    } else {
        ""
    };
    let so_far = match lang {
        Lang::En => r"\;\text{so far}",
        Lang::Zh => r"\;\text{（累计）}",
    };
    format!("{times_n}{target} {so_far}")
}

fn accumulate(b: &Batch, i: usize, p: usize, lang: Lang) -> Vec<Equation> {
    let (Some(acc_w), Some(&acc_b)) = (b.acc_w.get(i), b.acc_b.get(i)) else {
        return Vec::new();
    };
    let upto = format!("_{{j=1}}^{{{}}}", i + 1);
    // Before the first sample the running sums are the zeroed gradients.
    let zero = || Expr::exact(0.0, None);
    let (prev_w, prev_b) = match i.checked_sub(1) {
        Some(h) => (
            b.acc_w
                .get(h)
                .map_or_else(zero, |v| column(Quantity::GradW, v, false)),
            b.acc_b
                .get(h)
                .map_or_else(zero, |&v| value(Quantity::GradB, 0, 0, v, false)),
        ),
        None => (zero(), zero()),
    };
    let d = b.x.ncols();
    let delta = || value(Quantity::Delta, i, 0, b.delta[i], false);
    // What δ⁽ⁱ⁾ multiplies is x⁽ⁱ⁾ᵀ, the row of X stood up as a column: column i of Xᵀ.
    let x_column = Expr::Column(
        (0..d)
            .map(|j| value(Quantity::XT, j, i, b.x[(i, j)], false))
            .collect(),
        Axis::Features,
    );
    let term = (0..d).map(|j| cells::term(b, i, j));
    vec![
        Equation::new(
            vec![
                Expr::notation(running(b, true, lang)),
                Expr::notation(format!(r"\sum{upto} \delta^{{(j)}} x^{{(j)T}}")),
                Expr::Sum(vec![
                    prev_w,
                    Expr::product(delta(), x_column, Join::Juxtapose),
                ]),
                column(Quantity::GradW, acc_w, true),
            ],
            p,
        )
        .summing(term),
        Equation::new(
            vec![
                Expr::notation(running(b, false, lang)),
                Expr::notation(format!(r"\sum{upto} \delta^{{(j)}}")),
                Expr::Sum(vec![prev_b, delta()]),
                value(Quantity::GradB, 0, 0, acc_b, true),
            ],
            p,
        ),
    ]
}

fn grad_w(b: &Batch, p: usize) -> Equation {
    let product = Expr::product(
        matrix(b, true),
        column(Quantity::Delta, &b.delta, false),
        Join::Juxtapose,
    );
    let (symbol, computed) = match cells::mean_factor(b) {
        Some((s, f)) => (s, Expr::product(f, product, Join::Juxtapose)),
        None => ("", product),
    };
    // Xᵀδ adds up every sample's δ⁽ⁱ⁾x⁽ⁱ⁾ᵀ.
    let terms = (0..b.rows()).flat_map(|i| (0..b.x.ncols()).map(move |j| cells::term(b, i, j)));
    Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial w}"),
            Expr::notation(format!(r"{symbol}X^T \delta")),
            computed,
            column(Quantity::GradW, &b.grad_w, true),
        ],
        p,
    )
    .summing(terms)
}

fn grad_b(b: &Batch, p: usize) -> Equation {
    let sum = Expr::Sum(
        (0..b.rows())
            .map(|i| value(Quantity::Delta, i, 0, b.delta[i], false))
            .collect(),
    );
    let (symbol, computed) = match cells::mean_factor(b) {
        Some((s, f)) => (s, Expr::product(f, sum, Join::Dot)),
        None => ("", sum),
    };
    Equation::new(
        vec![
            Expr::notation(r"\frac{\partial L}{\partial b}"),
            Expr::notation(format!(r"{symbol}\sum \delta^{{(i)}}")),
            computed,
            value(Quantity::GradB, 0, 0, b.grad_b, true),
        ],
        p,
    )
}

/// The update of w and b; when nothing zeroes `.grad`, each after what its `.grad` holds now.
fn update(b: &Batch, p: usize) -> Vec<Equation> {
    let w = update_w(b, p);
    let bias = cells::update(b, None, p, true);
    let Some(before) = &b.held else {
        return vec![w, bias];
    };
    let (grad_w, grad_b) = b.param_grad();
    let (held_w, held_b) = (Quantity::Held(Param::W), Quantity::Held(Param::B));
    vec![
        held::accumulated(
            Param::W,
            r"\frac{\partial L}{\partial w}",
            [
                column(held_w, &before.w, false),
                column(Quantity::GradW, &b.grad_w, false),
                column(held_w, &grad_w, true),
            ],
            p,
        ),
        w,
        held::accumulated(
            Param::B,
            r"\frac{\partial L}{\partial b}",
            [
                value(held_b, 0, 0, before.b, false),
                value(Quantity::GradB, 0, 0, b.grad_b, false),
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
    let read = Param::W.read_by_update(b.held.is_some());
    Equation::new(
        vec![
            Expr::notation(format!(
                r"w \leftarrow w - {rate} \cdot {}",
                cells::grad_name(b, "w")
            )),
            Expr::difference(
                column(Quantity::W, &b.w, false),
                Expr::product(step, column(read, &grad, false), Join::Dot),
            ),
            column(Quantity::WNew, &b.w_next, true),
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
    let computed = [Value::new(Cell::scalar(Quantity::EpochLoss), mean, true)];
    let params = (0..b.w_next.len())
        .map(|j| Value::new(Cell::new(Quantity::WNew, j, 0), b.w_next[j], false))
        .chain([Value::new(Cell::scalar(Quantity::BNew), b.b_next, false)]);
    vec![
        Equation::new(
            vec![
                Expr::notation(label),
                Expr::notation(r"\frac{1}{n} \sum_{i=1}^{n} l^{(i)}"),
                Expr::value(Cell::scalar(Quantity::EpochLoss), mean, false),
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
        given("y", column(Quantity::Y, &b.y, false)),
        given("w", column(Quantity::W, &b.w, false)),
        given("b", value(Quantity::B, 0, 0, b.b, false)),
    ]
}

/// Every sample's contribution δ⁽ⁱ⁾x⁽ⁱ⁾ᵀ to ∂L/∂w, one row per sample.
pub fn contributions(b: &Batch, p: usize) -> Equation {
    let rows = (0..b.rows())
        .map(|i| {
            (0..b.x.ncols())
                .map(|j| value(Quantity::Contribution, i, j, b.contribution(i, j), false))
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
        .map(|j| value(Quantity::Contribution, i, j, b.contribution(i, j), false))
        .collect();
    Equation::new(
        vec![
            Expr::notation(format!(r"\delta{0} x{0}", cells::sup(i))),
            Expr::Matrix(vec![row], Axis::Samples),
        ],
        p,
    )
}
