//! The handout of one mini-batch through two layers: the run, the derivation carried one layer
//! further, then every matrix of the batch in the same formulas. The numbers are the engine's
//! ([`crate::engine::MlpTraining`]'s update); this module only formats them.

use nalgebra::{DMatrix, DVector};

use crate::data::Dataset;
use crate::engine::mlp::{Activation, MlpParams};
use crate::engine::mlp_session::MlpSession;
use crate::engine::{DivideBy, MlpUpdate, Objective};
use crate::number;

use super::two_layer_words::TwoLayerWords;
use super::words::{Words, fill, shown_name};
use super::{Doc, HandoutOptions, escape};

/// Matrices with more rows than this show their first [`HEAD`] and last [`TAIL`].
const MAX_ROWS: usize = 8;
const HEAD: usize = 5;
const TAIL: usize = 2;
/// Columns: every hidden unit fits (16 at most); a wide CSV's features are elided the same way.
const MAX_COLS: usize = 16;

/// One batch of a two-layer run, as the engine computed it.
pub struct TwoLayerBatch<'a> {
    pub data: &'a Dataset,
    pub update: &'a MlpUpdate,
    /// The parameters after the update.
    pub next: &'a MlpParams,
    pub activation: Activation,
    /// Mini-batches in the whole run, and in one epoch.
    pub total: usize,
    pub per_epoch: usize,
}

impl<'a> TwoLayerBatch<'a> {
    /// The batch a two-layer session is at.
    pub fn of(s: &'a MlpSession) -> TwoLayerBatch<'a> {
        TwoLayerBatch {
            data: s.data(),
            update: s.update(),
            next: s.next_params(),
            activation: s.activation(),
            total: s.total_batches(),
            per_epoch: s.batches_per_epoch(),
        }
    }
}

/// The handout for one two-layer batch, as Markdown.
pub fn render(b: &TwoLayerBatch, opts: &HandoutOptions) -> String {
    render_with(b, opts, None)
}

/// The handout of a lesson stop's batch (`handout --stop K`), the stop's note on top.
pub fn render_stop(b: &TwoLayerBatch, opts: &HandoutOptions, note: &str) -> String {
    let pos = &b.update.pos;
    let lead = super::words::stop_lead(pos.epoch, pos.batch, note, opts.lang);
    render_with(b, opts, Some(&lead))
}

fn render_with(b: &TwoLayerBatch, opts: &HandoutOptions, lead: Option<&str>) -> String {
    let w = Words::of(opts.lang);
    let t = TwoLayerWords::of(opts.lang);
    let u = b.update;
    let p = opts.precision;
    let mut out = Doc::default();
    out.title(t.title);
    if let Some(lead) = lead {
        out.para(lead);
    }
    out.para(&fill(t.intro, &[("p", &p)]));
    settings(&mut out, b, opts, w, t);

    out.heading(2, w.derivation);
    out.para(t.derivation_intro);
    for latex in derivation(b.activation, u.hyper.objective) {
        out.display(&latex);
    }

    out.heading(2, &fill(w.worked, &[("k", &(u.pos.global + 1))]));
    if u.batch.x.nrows() > MAX_ROWS {
        out.para(&fill(
            t.elided,
            &[("max", &MAX_ROWS), ("head", &HEAD), ("tail", &TAIL)],
        ));
    }
    let m = |v: &DMatrix<f64>| matrix(v, p);
    let col = |v: &DVector<f64>| matrix(&DMatrix::from_column_slice(v.len(), 1, v.as_slice()), p);
    let row = |v: &DVector<f64>| matrix(&DMatrix::from_row_slice(1, v.len(), v.as_slice()), p);
    let num = |v: f64| number::written(v, p).latex();
    let before = &u.before;
    let x = &u.batch;

    out.heading(3, t.forward);
    out.code(
        "python",
        &format!(
            "Z = X @ W1 + b1\nH = torch.{}(Z)\ny_hat = H @ W2 + b2",
            b.activation
        ),
    );
    out.display(&format!(r"X = {}, \quad y = {}", m(&x.x), col(&x.y)));
    out.display(&format!(
        r"W_1 = {}, \quad b_1 = {}, \quad W_2 = {}, \quad b_2 = {}",
        m(&before.w1),
        row(&before.b1),
        col(&before.w2),
        num(before.b2)
    ));
    out.para(t.forward_note);
    out.display(&format!("Z = XW_1 + b_1 = {}", m(&x.z)));
    out.display(&format!(r"H = \sigma(Z) = {}", m(&x.h)));
    out.display(&format!(r"\hat{{y}} = HW_2 + b_2 = {}", col(&x.y_hat)));

    out.heading(3, t.loss);
    out.code(
        "python",
        match u.hyper.objective {
            Objective::Mean => "l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2\nl.mean().backward()",
            Objective::Sum | Objective::SumNoDiv => {
                "l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2\nl.sum().backward()"
            }
        },
    );
    out.display(&format!(r"\delta = \hat{{y}} - y = {}", col(&x.delta)));
    let upstream = match u.hyper.objective {
        Objective::Mean => {
            out.display(&format!(
                r"L = \frac{{1}}{{N}} \sum_i \tfrac{{1}}{{2}} \left(\delta^{{(i)}}\right)^2 = {}",
                num(x.loss)
            ));
            out.para(t.mean_seed);
            out.display(&format!(
                r"\frac{{\partial L}}{{\partial \hat{{y}}}} = \frac{{\delta}}{{N}} = {}",
                col(&x.upstream)
            ));
            (r"\tfrac{\delta}{N}", r"\tfrac{\delta^{(i)}}{N}")
        }
        Objective::Sum | Objective::SumNoDiv => {
            out.display(&format!(
                r"L = \sum_i \tfrac{{1}}{{2}} \left(\delta^{{(i)}}\right)^2 = {}",
                num(x.loss)
            ));
            (r"\delta", r"\delta^{(i)}")
        }
    };
    let (upstream, upstream_i) = upstream;

    out.heading(3, t.second_layer);
    out.para(t.second_layer_note);
    out.display(&format!(
        r"\frac{{\partial L}}{{\partial W_2}} = H^T {upstream} = {}, \quad \frac{{\partial L}}{{\partial b_2}} = \sum_i {upstream_i} = {}",
        col(&x.grad_w2),
        num(x.grad_b2)
    ));

    out.heading(3, t.back);
    out.para(t.back_note);
    if b.activation == Activation::Relu {
        out.para(t.relu_kink);
    }
    let slope = DMatrix::from_fn(x.z.nrows(), x.z.ncols(), |i, j| {
        b.activation.slope(x.z[(i, j)], x.h[(i, j)])
    });
    out.display(&format!(r"\sigma'(Z) = {}", m(&slope)));
    out.display(&format!(
        r"\delta_1 = \left({upstream} W_2^T\right) \odot \sigma'(Z) = {}",
        m(&x.delta1)
    ));

    out.heading(3, t.first_layer);
    out.para(t.first_layer_note);
    out.display(&format!(
        r"\frac{{\partial L}}{{\partial W_1}} = X^T \delta_1 = {}, \quad \frac{{\partial L}}{{\partial b_1}} = \sum_i \delta_1^{{(i)}} = {}",
        m(&x.grad_w1),
        row(&x.grad_b1)
    ));

    out.heading(3, t.update);
    let divisor = crate::engine::batch::divisor(&u.hyper, u.indices.len());
    let divisor_code = match (u.hyper.objective, u.hyper.divide_by) {
        (Objective::Sum, DivideBy::Actual) => "N",
        (Objective::Sum, DivideBy::Nominal) => "batch_size",
        (Objective::Mean | Objective::SumNoDiv, _) => "1",
    };
    out.para(&fill(t.update_note, &[("divisor", &divisor_code)]));
    let step = format!(r"\frac{{{}}}{{{}}}", u.hyper.lr, number::exact(divisor));
    let n = b.next;
    for (name, grad, value) in [
        ("W_1", "W_1", m(&n.w1)),
        ("b_1", "b_1", row(&n.b1)),
        ("W_2", "W_2", col(&n.w2)),
        ("b_2", "b_2", num(n.b2)),
    ] {
        out.display(&format!(
            r"{name} \leftarrow {name} - {step} \cdot \frac{{\partial L}}{{\partial {grad}}} = {value}"
        ));
    }
    out.finish()
}

fn settings(out: &mut Doc, b: &TwoLayerBatch, opts: &HandoutOptions, w: &Words, t: &TwoLayerWords) {
    let hyper = &b.update.hyper;
    let names: Vec<String> = b
        .data
        .feature_names
        .iter()
        .map(|n| escape(&shown_name(n)))
        .collect();
    let objective = match (hyper.objective, hyper.divide_by) {
        (Objective::Sum, DivideBy::Actual) => w.sum_actual,
        (Objective::Sum, DivideBy::Nominal) => w.sum_nominal,
        (Objective::Mean, _) => w.mean,
        (Objective::SumNoDiv, _) => w.sum_nodiv,
    };
    let pos = b.update.pos;
    let position = fill(
        w.position,
        &[
            ("k", &(pos.global + 1)),
            ("total", &b.total),
            ("epoch", &pos.epoch),
            ("batch", &pos.batch),
            ("per", &b.per_epoch),
        ],
    );
    out.heading(2, w.settings);
    out.table(
        &[w.setting, w.value],
        &[
            vec![w.data.into(), escape(&opts.source)],
            vec![
                w.features.into(),
                format!(
                    "{} → {}",
                    names.join(", "),
                    escape(&shown_name(&b.data.target_name))
                ),
            ],
            vec![t.hidden.into(), b.update.before.hidden().to_string()],
            vec![t.activation.into(), format!("`{}`", b.activation)],
            vec![w.seed.into(), hyper.seed.to_string()],
            vec![w.lr.into(), format!("${}$", hyper.lr)],
            vec![w.batch_size.into(), hyper.batch_size.to_string()],
            vec![w.epochs.into(), hyper.epochs.to_string()],
            vec![
                w.shuffle.into(),
                (if hyper.shuffle { w.yes } else { w.no }).into(),
            ],
            vec![w.objective.into(), objective.into()],
            vec![w.this_batch.into(), position],
        ],
    );
}

/// The two-layer derivation, symbol by symbol as the lesson writes the linear one; under the
/// mean objective the gradient reaching ŷ is δ/N, and the update does not divide.
fn derivation(activation: Activation, objective: Objective) -> Vec<String> {
    let (loss, up, step) = match objective {
        Objective::Mean => (
            r"L = \frac{1}{N} \sum_{i=1}^{N} \tfrac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2",
            r"\tfrac{1}{N}\delta",
            r"\mathrm{lr}",
        ),
        Objective::Sum => (
            r"L = \sum_{i=1}^{N} \tfrac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2",
            r"\delta",
            r"\frac{\mathrm{lr}}{N}",
        ),
        Objective::SumNoDiv => (
            r"L = \sum_{i=1}^{N} \tfrac{1}{2}\left(\hat{y}^{(i)} - y^{(i)}\right)^2",
            r"\delta",
            r"\mathrm{lr}",
        ),
    };
    let sigma = match activation {
        Activation::Relu => {
            r"\sigma(z) = \max(0, z), \quad \sigma'(z) = \begin{cases} 1 & z > 0 \\ 0 & z \le 0 \end{cases}"
        }
        Activation::Tanh => r"\sigma(z) = \tanh z, \quad \sigma'(z) = 1 - \tanh^2 z",
        Activation::Sigmoid => {
            r"\sigma(z) = \frac{1}{1 + e^{-z}}, \quad \sigma'(z) = \sigma(z)\left(1 - \sigma(z)\right)"
        }
    };
    vec![
        r"Z = XW_1 + b_1, \quad H = \sigma(Z), \quad \hat{y} = HW_2 + b_2".to_string(),
        sigma.to_string(),
        loss.to_string(),
        format!(
            r"\delta = \hat{{y}} - y, \quad \frac{{\partial L}}{{\partial W_2}} = H^T {up}, \quad \frac{{\partial L}}{{\partial b_2}} = \sum_i {up}^{{(i)}}"
        ),
        format!(
            r"\delta_1 = \left({up} W_2^T\right) \odot \sigma'(Z), \quad \frac{{\partial L}}{{\partial W_1}} = X^T \delta_1, \quad \frac{{\partial L}}{{\partial b_1}} = \sum_i \delta_1^{{(i)}}"
        ),
        format!(
            r"\theta \leftarrow \theta - {step} \frac{{\partial L}}{{\partial \theta}} \qquad (\theta = W_1, b_1, W_2, b_2)"
        ),
    ]
}

/// A matrix as LaTeX, rows and columns beyond the limits elided with ⋮ and ⋯.
fn matrix(m: &DMatrix<f64>, p: usize) -> String {
    let keep = |n: usize, max: usize, head: usize, tail: usize| -> Vec<Option<usize>> {
        if n <= max {
            (0..n).map(Some).collect()
        } else {
            (0..head)
                .map(Some)
                .chain([None])
                .chain((n - tail..n).map(Some))
                .collect()
        }
    };
    let rows = keep(m.nrows(), MAX_ROWS, HEAD, TAIL);
    let cols = keep(m.ncols(), MAX_COLS, MAX_COLS - 4, 3);
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| match (r, c) {
                    (Some(i), Some(j)) => number::written(m[(*i, *j)], p).latex(),
                    (None, Some(_)) => r"\vdots".into(),
                    (Some(_), None) => r"\cdots".into(),
                    (None, None) => r"\ddots".into(),
                })
                .collect();
            cells.join(" & ")
        })
        .collect();
    format!(r"\begin{{bmatrix}} {} \end{{bmatrix}}", lines.join(r" \\ "))
}
