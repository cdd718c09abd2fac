//! A step's formula with the current mini-batch's values in place of the symbols: what students
//! check against PyTorch, so every number is the batch's own, only rounded for display.

use super::Lang;
use super::latex::{column, count, elide, lead, operand, paren_if_negative, role, sum_of, term};
use crate::engine::{Batch, Step};

/// `x⁽ⁱ⁾·w` shows every product up to this many features, then the first two and the last.
const MAX_PRODUCTS: usize = 3;
/// The draw step lists the batch's data set indices up to this many, then the first 4 and the last.
const MAX_INDICES: usize = 8;

/// One LaTeX string per displayed line; empty when the step does not fit the batch (a sample
/// out of range, an epoch summary without an epoch loss).
pub(super) fn latex(step: Step, batch: &Batch, precision: usize, lang: Lang) -> Vec<String> {
    let p = precision;
    match step {
        Step::Draw => draw(batch, lang),
        Step::ForwardSample { sample } => forward_sample(batch, sample, p).into_iter().collect(),
        Step::Forward => vec![forward(batch, p)],
        Step::Loss => loss(batch, p),
        Step::Errors => errors(batch, p),
        Step::Accumulate { sample } => accumulate(batch, sample, p),
        Step::GradW => vec![grad_w(batch, p)],
        Step::GradB => vec![grad_b(batch, p)],
        Step::Update => update(batch, p),
        Step::EpochSummary => epoch_summary(batch, p, lang),
    }
}

/// `^{(k)}` for 0-based sample `i`: the lesson counts samples from 1.
fn sup(i: usize) -> String {
    format!("^{{({})}}", i + 1)
}

fn draw(batch: &Batch, lang: Lang) -> Vec<String> {
    let sizes = format!(
        r"N = {},\; d = {}",
        role("N", &batch.rows().to_string()),
        batch.x.ncols()
    );
    // 0-based and named as in `data_iter`, so they match `batch_indices` in PyTorch.
    let indices = batch.indices.iter().map(|i| i.to_string()).collect();
    let indices = elide(indices, MAX_INDICES, 4, 1, r"\ldots").join(r",\, ");
    let label = match lang {
        Lang::En => r"\text{data rows (from 0)}",
        Lang::Zh => r"\text{数据行号（从 0 起）}",
    };
    vec![sizes, format!("{label} = {indices}")]
}

fn forward_sample(batch: &Batch, i: usize, p: usize) -> Option<String> {
    let y_hat = *batch.y_hat.get(i)?;
    if i >= batch.x.nrows() {
        return None;
    }
    let products = batch
        .x
        .row(i)
        .iter()
        .zip(batch.w.iter())
        .enumerate()
        .map(|(j, (&x, &w))| format!(r"{} \cdot {}", term("x", x, p, j), operand("w", w, p)))
        .collect();
    let products = elide(products, MAX_PRODUCTS, 2, 1, r"\cdots").join(" + ");
    let k = sup(i);
    Some(format!(
        r"\hat{{y}}{k} = x{k} w + b = {products} + {} = {}",
        operand("b", batch.b, p),
        lead("yhat", y_hat, p)
    ))
}

fn forward(batch: &Batch, p: usize) -> String {
    format!(
        r"\hat{{y}} = Xw + b = X {} + {} = {}",
        column("w", &batch.w, p),
        operand("b", batch.b, p),
        column("yhat", &batch.y_hat, p)
    )
}

/// `ŷ⁽ⁱ⁾ − y⁽ⁱ⁾` with the sample's numbers, or None past the batch's end.
fn difference(batch: &Batch, i: usize, p: usize) -> Option<String> {
    Some(format!(
        "{} - {}",
        lead("yhat", *batch.y_hat.get(i)?, p),
        operand("y", *batch.y.get(i)?, p)
    ))
}

fn loss(batch: &Batch, p: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(2);
    if let (Some(diff), Some(&l)) = (difference(batch, 0, p), batch.losses.get(0)) {
        out.push(format!(
            r"l^{{(1)}} = \frac{{1}}{{2}} (\hat{{y}}^{{(1)}} - y^{{(1)}})^2 = \frac{{1}}{{2}} ({diff})^2 = {}",
            lead("l", l, p)
        ));
    }
    out.push(format!(
        r"L = \sum l^{{(i)}} = {} = {}",
        sum_of("l", &batch.losses, p),
        lead("L", batch.loss, p)
    ));
    out
}

fn errors(batch: &Batch, p: usize) -> Vec<String> {
    let mut out = vec![format!(
        r"\delta = \hat{{y}} - y = {} - {} = {}",
        column("yhat", &batch.y_hat, p),
        column("y", &batch.y, p),
        column("delta", &batch.delta, p)
    )];
    if let (Some(diff), Some(&d)) = (difference(batch, 0, p), batch.delta.get(0)) {
        out.push(format!(
            r"\delta^{{(1)}} = \hat{{y}}^{{(1)}} - y^{{(1)}} = {diff} = {}",
            lead("delta", d, p)
        ));
    }
    out
}

fn accumulate(batch: &Batch, i: usize, p: usize) -> Vec<String> {
    let (Some(&delta), Some(acc_w), Some(&acc_b)) =
        (batch.delta.get(i), batch.acc_w.get(i), batch.acc_b.get(i))
    else {
        return Vec::new();
    };
    if i >= batch.x.nrows() {
        return Vec::new();
    }
    // Before the first sample the running sums are the zeroed gradients.
    let (prev_w, prev_b) = match i.checked_sub(1) {
        Some(h) => (
            batch
                .acc_w
                .get(h)
                .map_or_else(|| "0".into(), |v| column("gradw", v, p)),
            batch
                .acc_b
                .get(h)
                .map_or_else(|| "0".into(), |&v| lead("gradb", v, p)),
        ),
        None => ("0".to_string(), "0".to_string()),
    };
    let upto = format!("_{{j=1}}^{{{}}}", i + 1);
    let x = column("x", batch.x.row(i).iter(), p);
    vec![
        format!(
            r"\sum{upto} \delta^{{(j)}} x^{{(j)}} = {prev_w} + {} {x} = {}",
            operand("delta", delta, p),
            column("gradw", acc_w, p)
        ),
        format!(
            r"\sum{upto} \delta^{{(j)}} = {prev_b} + {} = {}",
            operand("delta", delta, p),
            lead("gradb", acc_b, p)
        ),
    ]
}

/// Whether the batch's gradients are the plain sums Xᵀδ and Σδ (the `sum` objectives) rather
/// than their means. Equal values make the plain formula true whichever objective produced them.
fn summed(batch: &Batch) -> bool {
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || a == b;
    let w = batch.acc_w.last().is_some_and(|acc| {
        acc.len() == batch.grad_w.len()
            && acc
                .iter()
                .zip(batch.grad_w.iter())
                .all(|(a, g)| same(*a, *g))
    });
    let b = batch
        .acc_b
        .last()
        .is_some_and(|&acc| same(acc, batch.grad_b));
    w && b
}

/// `\frac{1}{N}` with the batch's N when the gradient is a mean, nothing when it is a sum.
fn mean_factor(batch: &Batch) -> String {
    if summed(batch) {
        String::new()
    } else {
        format!(r"\frac{{1}}{{{}}} ", role("N", &batch.rows().to_string()))
    }
}

fn grad_w(batch: &Batch, p: usize) -> String {
    format!(
        r"\frac{{\partial L}}{{\partial w}} = {}X^T \delta = {}",
        mean_factor(batch),
        column("gradw", &batch.grad_w, p)
    )
}

fn grad_b(batch: &Batch, p: usize) -> String {
    let factor = mean_factor(batch);
    let deltas = sum_of("delta", &batch.delta, p);
    let deltas = if factor.is_empty() {
        deltas
    } else {
        format!("({deltas})")
    };
    format!(
        r"\frac{{\partial L}}{{\partial b}} = {factor}\sum \delta^{{(i)}} = {factor}{deltas} = {}",
        lead("gradb", batch.grad_b, p)
    )
}

fn update(batch: &Batch, p: usize) -> Vec<String> {
    let lr = role("lr", &count(batch.hyper.lr));
    // The update divides by what the engine divided by; without a division there is no N.
    let (symbol, step) = if batch.divisor() == 1.0 {
        (r"\text{lr}".to_string(), lr)
    } else {
        let n = paren_if_negative(role("N", &count(batch.divisor())), batch.divisor(), 0);
        (
            r"\frac{\text{lr}}{N}".to_string(),
            format!(r"\frac{{{lr}}}{{{n}}}"),
        )
    };
    vec![
        format!(
            r"w \leftarrow w - {symbol} \cdot \frac{{\partial L}}{{\partial w}} = {} - {step} \cdot {} = {}",
            column("w", &batch.w, p),
            column("gradw", &batch.grad_w, p),
            column("w", &batch.w_next, p)
        ),
        format!(
            r"b \leftarrow b - {symbol} \cdot \frac{{\partial L}}{{\partial b}} = {} - {step} \cdot {} = {}",
            lead("b", batch.b, p),
            operand("gradb", batch.grad_b, p),
            lead("b", batch.b_next, p)
        ),
    ]
}

fn epoch_summary(batch: &Batch, p: usize, lang: Lang) -> Vec<String> {
    let Some(mean) = batch.epoch_loss else {
        return Vec::new();
    };
    let label = match lang {
        Lang::En => format!(r"\text{{epoch {}, mean loss}}", batch.epoch),
        Lang::Zh => format!(r"\text{{第 {} 轮，平均损失}}", batch.epoch),
    };
    vec![format!("{label} = {}", lead("L", mean, p))]
}
