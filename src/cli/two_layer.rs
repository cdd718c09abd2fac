//! `gradstep trace` and `gradstep train` for a run with a hidden layer (`--hidden`, or the
//! two-layer preset): the same schedule, objectives and update as the linear model, through
//! [`crate::engine::mlp`]'s closed form.

use std::io::Write;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::engine::mlp::{self, MlpParams, TwoLayer};
use crate::engine::{Objective, Schedule};

use super::setup::Run;
use super::trace::{Number, Numbers, number, objective};

/// Runs the schedule, calling `each` with every batch and the parameters before and after it;
/// stops after the first batch with a non-finite value.
fn run_batches(
    run: &Run,
    model: &TwoLayer,
    limit: Option<usize>,
    mut each: impl FnMut(Step<'_>) -> std::io::Result<()>,
) -> std::io::Result<MlpParams> {
    let mut schedule = Schedule::new(run.data.n(), &run.hyper);
    schedule
        .apply(&run.changes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
    let total = schedule.total_batches().min(limit.unwrap_or(usize::MAX));
    let mut params = model.init.clone();
    for g in 0..total {
        let slot = schedule.slot(g);
        let hyper = schedule.hyper_at(&run.hyper, g);
        let last_of_epoch =
            g + 1 == schedule.total_batches() || schedule.position(g + 1).epoch != slot.pos.epoch;
        let indices = schedule.rows_of(&slot);
        let (x, y) = mlp::gather(&run.data, indices);
        let batch = mlp::forward_backward(x, y, &params, model.activation, hyper.objective);
        let next = mlp::update(&params, &batch, &hyper);
        let finite = batch.is_finite() && next.is_finite();
        each(Step {
            epoch: slot.pos.epoch,
            batch: slot.pos.batch,
            last_of_epoch,
            indices,
            params: &params,
            values: &batch,
            next: &next,
            hyper: &hyper,
        })?;
        params = next;
        if !finite {
            break;
        }
    }
    Ok(params)
}

struct Step<'a> {
    epoch: usize,
    batch: usize,
    last_of_epoch: bool,
    indices: &'a [usize],
    params: &'a MlpParams,
    values: &'a mlp::MlpBatch,
    next: &'a MlpParams,
    hyper: &'a crate::engine::Hyper,
}

/// Every update as one JSON object per line, keys as `gradstep trace --help` lists them.
pub fn write_trace(
    run: &Run,
    model: &TwoLayer,
    limit: Option<usize>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    run_batches(run, model, limit, |s| {
        let b = s.values;
        let record = Record {
            epoch: s.epoch,
            batch: s.batch,
            indices: s.indices,
            x: Matrix(&b.x),
            y: b.y.as_slice(),
            w1: Matrix(&s.params.w1),
            b1: s.params.b1.as_slice(),
            w2: Column(&s.params.w2),
            b2: [s.params.b2],
            y_hat: b.y_hat.as_slice(),
            delta: b.delta.as_slice(),
            loss: b.loss,
            grad_w1: Matrix(&b.grad_w1),
            grad_b1: b.grad_b1.as_slice(),
            grad_w2: Column(&b.grad_w2),
            grad_b2: [b.grad_b2],
            lr: s.hyper.lr,
            divisor: crate::engine::batch::divisor(s.hyper, s.indices.len()),
            w1_next: Matrix(&s.next.w1),
            b1_next: s.next.b1.as_slice(),
            w2_next: Column(&s.next.w2),
            b2_next: [s.next.b2],
            objective: s.hyper.objective,
            batch_size: s.hyper.batch_size,
            hidden: s.params.hidden(),
            activation: model.activation.name(),
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")
    })?;
    out.flush()
}

/// The loss over the whole data after each epoch, then the learned parameters.
pub fn write_train(run: &Run, model: &TwoLayer, out: &mut impl Write) -> std::io::Result<()> {
    let mut diverged = None;
    let params = run_batches(run, model, None, |s| {
        let finite = s.values.is_finite() && s.next.is_finite();
        if !finite {
            diverged = Some((s.epoch, s.batch));
        } else if s.last_of_epoch {
            let loss = mlp::full_loss(&run.data, s.next, model.activation);
            writeln!(
                out,
                "epoch {}, loss {}",
                s.epoch,
                crate::number::like_d2l(loss, Some(6))
            )?;
        }
        Ok(())
    })?;
    if let Some((epoch, batch)) = diverged {
        writeln!(
            out,
            "diverged in epoch {epoch}, batch {batch}: values overflowed to inf/NaN. Lower --lr."
        )?;
    }
    let list = |values: &mut dyn Iterator<Item = f64>| {
        let shown: Vec<String> = values
            .map(|v| crate::number::like_d2l(v, Some(6)))
            .collect();
        format!("[{}]", shown.join(", "))
    };
    let rows: Vec<String> = params
        .w1
        .row_iter()
        .map(|r| list(&mut r.iter().copied()))
        .collect();
    writeln!(
        out,
        "hidden {} ({}), W1 = [{}]",
        params.hidden(),
        model.activation,
        rows.join(", ")
    )?;
    writeln!(out, "b1 = {}", list(&mut params.b1.iter().copied()))?;
    writeln!(out, "W2 = {}", list(&mut params.w2.iter().copied()))?;
    writeln!(out, "b2 = {}", crate::number::like_d2l(params.b2, Some(6)))?;
    out.flush()
}

/// A two-layer trace line, keys in the documented order.
#[derive(Serialize)]
struct Record<'a> {
    epoch: usize,
    batch: usize,
    indices: &'a [usize],
    x: Matrix<'a>,
    #[serde(serialize_with = "numbers")]
    y: &'a [f64],
    #[serde(rename = "W1")]
    w1: Matrix<'a>,
    #[serde(serialize_with = "numbers")]
    b1: &'a [f64],
    #[serde(rename = "W2")]
    w2: Column<'a>,
    #[serde(serialize_with = "one")]
    b2: [f64; 1],
    #[serde(serialize_with = "numbers")]
    y_hat: &'a [f64],
    #[serde(serialize_with = "numbers")]
    delta: &'a [f64],
    #[serde(serialize_with = "number")]
    loss: f64,
    #[serde(rename = "grad_W1")]
    grad_w1: Matrix<'a>,
    #[serde(serialize_with = "numbers")]
    grad_b1: &'a [f64],
    #[serde(rename = "grad_W2")]
    grad_w2: Column<'a>,
    #[serde(serialize_with = "one")]
    grad_b2: [f64; 1],
    #[serde(serialize_with = "number")]
    lr: f64,
    #[serde(serialize_with = "number")]
    divisor: f64,
    #[serde(rename = "W1_next")]
    w1_next: Matrix<'a>,
    #[serde(serialize_with = "numbers")]
    b1_next: &'a [f64],
    #[serde(rename = "W2_next")]
    w2_next: Column<'a>,
    #[serde(serialize_with = "one")]
    b2_next: [f64; 1],
    #[serde(serialize_with = "objective")]
    objective: Objective,
    batch_size: usize,
    hidden: usize,
    activation: &'static str,
}

/// A matrix as a list of its rows.
struct Matrix<'a>(&'a DMatrix<f64>);

impl Serialize for Matrix<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.nrows()))?;
        for row in self.0.row_iter() {
            let row: Vec<f64> = row.iter().copied().collect();
            seq.serialize_element(&Numbers(&row))?;
        }
        seq.end()
    }
}

/// A column vector as a matrix of one column: a list of one-number rows.
struct Column<'a>(&'a DVector<f64>);

impl Serialize for Column<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0.iter() {
            seq.serialize_element(&[Number(*v)])?;
        }
        seq.end()
    }
}

fn numbers<S: Serializer>(v: &&[f64], s: S) -> Result<S::Ok, S::Error> {
    Numbers(v).serialize(s)
}

fn one<S: Serializer>(v: &[f64; 1], s: S) -> Result<S::Ok, S::Error> {
    Numbers(v).serialize(s)
}
