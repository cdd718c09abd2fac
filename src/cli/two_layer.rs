//! `gradstep trace`, `train` and `graph` for a run with a hidden layer (`--hidden`, or the
//! two-layer preset): the same schedule, objectives and update as the linear model, through
//! [`crate::engine::mlp`]'s closed form (and batch K's tape for `graph`).

use std::io::Write;

use nalgebra::{DMatrix, DVector};
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::engine::tape::mlp::Mlp;
use crate::engine::{MlpTraining, MlpUpdate, Objective, TwoLayer};

use super::setup::Run;
use super::trace::{Number, Numbers, number, objective};

fn training<'a>(run: &'a Run, model: &TwoLayer) -> std::io::Result<MlpTraining<'a>> {
    MlpTraining::new(&run.data, &run.hyper, model, &run.changes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))
}

/// Every update as one JSON object per line, keys as `gradstep trace --help` lists them; the
/// trace ends at the first batch with a non-finite value.
pub fn write_trace(
    run: &Run,
    model: &TwoLayer,
    limit: Option<usize>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut training = training(run, model)?;
    for _ in 0..limit.unwrap_or(usize::MAX) {
        let Some(u) = training.next_update() else {
            break;
        };
        let (b, before, next) = (&u.batch, &u.before, training.params());
        // `.grad` as the update reads it: with --keep-grad, the sum held so far.
        let grad = u.param_grad();
        let record = Record {
            epoch: u.pos.epoch,
            batch: u.pos.batch,
            indices: &u.indices,
            x: Matrix(&b.x),
            y: b.y.as_slice(),
            w1: Matrix(&before.w1),
            b1: before.b1.as_slice(),
            w2: Column(&before.w2),
            b2: [before.b2],
            y_hat: b.y_hat.as_slice(),
            delta: b.delta.as_slice(),
            loss: b.loss,
            grad_w1: Matrix(&grad.w1),
            grad_b1: grad.b1.as_slice(),
            grad_w2: Column(&grad.w2),
            grad_b2: [grad.b2],
            lr: u.hyper.lr,
            divisor: crate::engine::batch::divisor(&u.hyper, u.indices.len()),
            w1_next: Matrix(&next.w1),
            b1_next: next.b1.as_slice(),
            w2_next: Column(&next.w2),
            b2_next: [next.b2],
            objective: u.hyper.objective,
            batch_size: u.hyper.batch_size,
            zero_grad: u.hyper.zero_grad,
            hidden: before.hidden(),
            activation: model.activation.name(),
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Batch `k` (1-based over the run) of a two-layer run, trained to on the fast path.
pub struct BatchK<'a> {
    pub update: MlpUpdate,
    pub training: MlpTraining<'a>,
    /// Mini-batches in the whole run, and in one epoch.
    pub total: usize,
    pub per_epoch: usize,
}

/// Trains up to and including batch `k`; a `k` past the run, or past the batch where it
/// overflowed, is an `InvalidInput` error that says which batches there are.
pub fn batch_k<'a>(run: &'a Run, model: &TwoLayer, k: usize) -> std::io::Result<BatchK<'a>> {
    let bad = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, msg);
    let mut schedule = crate::engine::Schedule::new(run.data.n(), &run.hyper);
    schedule.apply(&run.changes).map_err(|e| bad(e.0))?;
    let total = schedule.total_batches();
    if k == 0 || k > total {
        return Err(bad(format!(
            "--batch {k}: this run has {total} mini-batches"
        )));
    }
    let mut training = training(run, model)?;
    let mut reached = None;
    for _ in 0..k {
        reached = training.next_update();
        if training.diverged_at().is_some() {
            break;
        }
    }
    match reached.filter(|u| u.pos.global + 1 == k) {
        Some(update) => Ok(BatchK {
            update,
            training,
            total,
            per_epoch: schedule.batches_per_epoch(),
        }),
        None => {
            let end = training.diverged_at().map_or(k, |p| p.global + 1);
            Err(bad(format!(
                "--batch {k}: the run overflows at batch {end} and stops there; choose K ≤ {end}"
            )))
        }
    }
}

/// `gradstep graph` of a two-layer run: batch `k`'s tape as one JSON object, in the format of
/// the linear model's (the batches before it train on the fast path, which equals the tape).
pub fn write_graph(
    run: &Run,
    model: &TwoLayer,
    k: usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let u = batch_k(run, model, k)?.update;
    let (x, y) = crate::engine::mlp::gather(&run.data, &u.indices);
    let mut tape =
        Mlp::record(x, &y, &u.before, model.activation, u.hyper.objective).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the tape of batch {k}: {e}"),
            )
        })?;
    // Without zero_(), AccumulateGrad adds this batch's gradient to what .grad kept.
    if let Some(held) = &u.held {
        tape.hold_grads(held);
    }
    tape.backward();
    let graph = super::graph::tape_graph(&tape.tape, tape.loss, tape.objective, u.pos);
    serde_json::to_writer(&mut *out, &graph)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The loss over the whole data after each epoch, then the learned parameters.
pub fn write_train(run: &Run, model: &TwoLayer, out: &mut impl Write) -> std::io::Result<()> {
    let mut training = training(run, model)?;
    for e in training.by_ref() {
        writeln!(
            out,
            "epoch {}, loss {}",
            e.epoch,
            crate::number::like_d2l(e.loss, Some(6))
        )?;
    }
    if let Some(pos) = training.diverged_at() {
        writeln!(
            out,
            "diverged in epoch {}, batch {}: values overflowed to inf/NaN. The steps were too large: lower --lr.",
            pos.epoch, pos.batch
        )?;
    }
    let params = training.params();
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
    zero_grad: bool,
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
