//! Part 2 of the handout: the batch's numbers, stage by stage, each under the lesson's title for
//! that step and with its line of PyTorch.

use crate::engine::{Batch, DivideBy, Objective, Session, Step};
use crate::lesson::Lesson;

use super::tex::{
    HEAD_COLS, HEAD_ROWS, MAX_COLS, MAX_ROWS, TAIL_COLS, TAIL_ROWS, bmatrix, feature_column,
    feature_row, num, operand, sample_column, sample_sum, shown_cols, shown_rows,
};
use super::words::{Words, fill};
use super::{Doc, HandoutOptions, escape};

pub(super) fn batch(
    out: &mut Doc,
    lesson: &Lesson,
    session: &Session,
    opts: &HandoutOptions,
    w: &Words,
) {
    let b = session.batch();
    let p = opts.precision;
    let (n, d) = (b.rows(), b.x.ncols());
    out.para(&fill(w.worked_intro, &[("n", &n), ("d", &d)]));
    if n > MAX_ROWS {
        out.para(&fill(
            w.elided_rows,
            &[("n", &n), ("head", &HEAD_ROWS), ("tail", &TAIL_ROWS)],
        ));
    }
    if d > MAX_COLS {
        out.para(&fill(
            w.elided_cols,
            &[("d", &d), ("head", &HEAD_COLS), ("tail", &TAIL_COLS)],
        ));
    }
    let stage = |out: &mut Doc, step: Step| {
        let text = lesson.step(step);
        out.heading(3, text.title.get(opts.lang));
        out.code("python", &text.code);
    };
    let mean = b.hyper.objective == Objective::Mean;

    stage(out, Step::Draw);
    out.para(w.draw);
    out.display(&format!(
        r"X = {}, \quad y = {}",
        bmatrix(&shown_rows(n), &shown_cols(d), |i, j| num(b.x[(i, j)], p)),
        sample_column(&b.y, p)
    ));
    out.display(&format!(
        r"w = {}, \quad b = {}",
        feature_column(&b.w, p),
        num(b.b, p)
    ));

    stage(out, Step::Forward);
    out.display(&format!(
        r"\hat{{y}} = Xw + b = {}",
        sample_column(&b.y_hat, p)
    ));

    stage(out, Step::Loss);
    out.display(&format!(
        r"l^{{(i)}} = \frac{{1}}{{2}} (\hat{{y}}^{{(i)}} - y^{{(i)}})^2, \quad l = {}",
        sample_column(&b.losses, p)
    ));
    out.display(&format!(
        r"L = \sum_{{i=1}}^{{N}} l^{{(i)}} = {} = {}",
        sample_sum(b.losses.as_slice(), p),
        num(b.loss, p)
    ));

    stage(out, Step::Errors);
    out.display(&format!(
        r"\delta = \hat{{y}} - y = {}",
        sample_column(&b.delta, p)
    ));

    stage(out, Step::Accumulate { sample: 0 });
    out.para(w.contributions);
    out.display(&format!(
        r"\begin{{bmatrix}} \delta^{{(1)}} x^{{(1)}} \\ \vdots \\ \delta^{{(N)}} x^{{(N)}} \end{{bmatrix}} = {}",
        bmatrix(&shown_rows(n), &shown_cols(d), |i, j| num(
            contribution(b, i)[j],
            p
        ))
    ));
    samples_table(out, b, p, w);

    stage(out, Step::GradW);
    let sum = r"X^T \delta = \sum_{i=1}^{N} \delta^{(i)} x^{(i)}";
    if mean {
        let xt_delta = b.acc_w.last().unwrap_or(&b.grad_w);
        out.display(&format!("{sum} = {}", feature_column(xt_delta, p)));
        out.para(&fill(w.mean_gradient, &[("n", &n)]));
        out.display(&format!(
            r"\frac{{\partial L}}{{\partial w}} = \frac{{1}}{{N}} X^T \delta = {}",
            feature_column(&b.grad_w, p)
        ));
    } else {
        out.display(&format!(
            r"\frac{{\partial L}}{{\partial w}} = {sum} = {}",
            feature_column(&b.grad_w, p)
        ));
    }

    stage(out, Step::GradB);
    let factor = if mean { r"\frac{1}{N} " } else { "" };
    let terms = sample_sum(b.delta.as_slice(), p);
    let terms = if mean { format!("({terms})") } else { terms };
    out.display(&format!(
        r"\frac{{\partial L}}{{\partial b}} = {factor}\sum_{{i=1}}^{{N}} \delta^{{(i)}} = {factor}{terms} = {}",
        num(b.grad_b, p)
    ));

    stage(out, Step::Update);
    update(out, session, p, w);
    if d > MAX_COLS {
        features_table(out, session, p, w);
    }

    if let Some(loss) = b.epoch_loss {
        stage(out, Step::EpochSummary);
        let rows = session.data().n();
        out.para(&fill(w.epoch_end, &[("epoch", &b.epoch), ("rows", &rows)]));
        out.display(&format!(
            r"\frac{{1}}{{{rows}}} \sum_{{i=1}}^{{{rows}}} l^{{(i)}} = {}",
            num(loss, p)
        ));
    }
}

/// δ⁽ⁱ⁾x⁽ⁱ⁾, the same product `backward()` adds for sample `i`.
fn contribution(b: &Batch, i: usize) -> Vec<f64> {
    b.x.row(i).iter().map(|x| b.delta[i] * x).collect()
}

fn samples_table(out: &mut Doc, b: &Batch, p: usize, w: &Words) {
    let math = |s: String| format!("${s}$");
    let rows: Vec<Vec<String>> = (0..b.rows())
        .map(|i| {
            vec![
                (i + 1).to_string(),
                b.indices[i].to_string(),
                math(num(b.y_hat[i], p)),
                math(num(b.y[i], p)),
                math(num(b.delta[i], p)),
                math(num(b.losses[i], p)),
                math(feature_row(&contribution(b, i), p)),
            ]
        })
        .collect();
    out.table(
        &[
            w.sample,
            w.data_row,
            r"$\hat{y}^{(i)}$",
            r"$y^{(i)}$",
            r"$\delta^{(i)}$",
            r"$l^{(i)}$",
            r"$\delta^{(i)} x^{(i)}$",
        ],
        &rows,
    );
}

fn update(out: &mut Doc, session: &Session, p: usize, w: &Words) {
    let b = session.batch();
    let hyper = &b.hyper;
    // Settings are shown as given (shortest round-trip), computed values rounded.
    let lr = format!("{}", b.hyper.lr);
    let (symbol, step, note) = if b.divisor() == 1.0 {
        (r"\text{lr}".to_string(), lr, w.no_division)
    } else {
        let note = match (hyper.objective, hyper.divide_by) {
            (Objective::Sum, DivideBy::Nominal) => w.divides_by_nominal,
            _ => w.divides_by_rows,
        };
        (
            r"\frac{\text{lr}}{N}".to_string(),
            format!(r"\frac{{{lr}}}{{{}}}", b.divisor()),
            note,
        )
    };
    out.para(&fill(note, &[("divisor", &b.divisor())]));
    out.display(&format!(
        r"w \leftarrow w - {symbol} \cdot \frac{{\partial L}}{{\partial w}} = {} - {step} \cdot {} = {}",
        feature_column(&b.w, p),
        feature_column(&b.grad_w, p),
        feature_column(&b.w_next, p)
    ));
    out.display(&format!(
        r"b \leftarrow b - {symbol} \cdot \frac{{\partial L}}{{\partial b}} = {} - {step} \cdot {} = {}",
        num(b.b, p),
        operand(b.grad_b, p),
        num(b.b_next, p)
    ));
}

fn features_table(out: &mut Doc, session: &Session, p: usize, w: &Words) {
    let b = session.batch();
    let names = &session.data().feature_names;
    let math = |v: f64| format!("${}$", num(v, p));
    let rows: Vec<Vec<String>> = (0..b.w.len())
        .map(|j| {
            vec![
                (j + 1).to_string(),
                names.get(j).map_or_else(String::new, |n| escape(n)),
                math(b.w[j]),
                math(b.grad_w[j]),
                math(b.w_next[j]),
            ]
        })
        .collect();
    out.para(w.feature_table);
    out.table(
        &[
            "$j$",
            w.feature,
            "$w_j$",
            r"$\partial L / \partial w_j$",
            w.after_update,
        ],
        &rows,
    );
}
