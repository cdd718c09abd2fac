//! `gradstep trace`: every update as one JSON object per line.
//!
//! The trace takes the training path ([`batch::sgd_step`], which allocates nothing per batch)
//! rather than the explainer's [`Batch`], which also keeps every partial sum for the screen:
//! a batch of 200,000 rows × 100 features then costs its own output and nothing more. Both
//! paths do the same arithmetic in the same order, so the records are bit-identical.

use std::io::Write;

use nalgebra::DMatrix;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::data::Dataset;
use crate::engine::batch::{self, Scratch};
use crate::engine::{Batch, Objective, Schedule};

use super::setup::Run;

/// Writes the trace; stops after the first batch with a non-finite value.
pub fn write_trace(run: &Run, limit: Option<usize>, out: &mut impl Write) -> std::io::Result<()> {
    let mut schedule = Schedule::new(run.data.n(), &run.hyper);
    schedule
        .apply(&run.changes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
    let total = schedule.total_batches().min(limit.unwrap_or(usize::MAX));
    let data = &run.data;
    let mut params = run.init.clone();
    let mut scratch = Scratch::default();
    let (mut y, mut y_hat) = (Vec::new(), Vec::new());
    for g in 0..total {
        let slot = schedule.slot(g);
        let hyper = schedule.hyper_at(&run.hyper, g);
        let indices = schedule.rows_of(&slot);
        let w = params.w.clone();
        let b = params.b;
        y.clear();
        y.extend(indices.iter().map(|&r| data.y()[r]));
        y_hat.clear();
        y_hat.extend(
            indices
                .iter()
                .map(|&r| batch::predict(data.row(r), w.as_slice(), b)),
        );
        let (loss, finite) = batch::sgd_step(data, indices, &mut params, &hyper, &mut scratch);
        // `.grad` as the update read it: this batch's gradient, or the sum kept without zero_().
        let (grad_w, grad_b) = scratch.param_grad();
        let record = Record {
            epoch: slot.pos.epoch,
            batch: slot.pos.batch,
            indices,
            x: Rows::Data(data, indices),
            y: &y,
            w: w.as_slice(),
            b,
            y_hat: &y_hat,
            delta: scratch.delta(),
            loss,
            grad_w,
            grad_b,
            lr: hyper.lr,
            divisor: batch::divisor(&hyper, indices.len()),
            w_next: params.w.as_slice(),
            b_next: params.b,
            objective: hyper.objective,
            batch_size: hyper.batch_size,
            zero_grad: hyper.zero_grad,
        };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
        if !finite {
            break;
        }
    }
    out.flush()
}

/// One line of the trace for a batch the explainer computed, keys in the documented order.
pub fn record(b: &Batch) -> String {
    let (grad_w, grad_b) = b.param_grad();
    let r = Record {
        epoch: b.epoch,
        batch: b.batch,
        indices: &b.indices,
        x: Rows::Matrix(&b.x),
        y: b.y.as_slice(),
        w: b.w.as_slice(),
        b: b.b,
        y_hat: b.y_hat.as_slice(),
        delta: b.delta.as_slice(),
        loss: b.loss,
        grad_w: grad_w.as_slice(),
        grad_b,
        lr: b.hyper.lr,
        divisor: b.divisor(),
        w_next: b.w_next.as_slice(),
        b_next: b.b_next,
        objective: b.hyper.objective,
        batch_size: b.hyper.batch_size,
        zero_grad: b.hyper.zero_grad,
    };
    // Writing JSON into a String cannot fail: every value has a representation.
    serde_json::to_string(&r).unwrap_or_default()
}

/// The trace's keys, in the documented order. The last three record the experiment in force:
/// the objective, the nominal batch size (which `--change` may alter mid-run), and whether
/// `sgd` zeroes `.grad` after each update (false with `--keep-grad`: `grad_w` and `grad_b` are
/// then the sums `.grad` holds, which the update reads).
#[derive(Serialize)]
struct Record<'a> {
    epoch: usize,
    batch: usize,
    indices: &'a [usize],
    x: Rows<'a>,
    #[serde(serialize_with = "numbers")]
    y: &'a [f64],
    #[serde(serialize_with = "numbers")]
    w: &'a [f64],
    #[serde(serialize_with = "number")]
    b: f64,
    #[serde(serialize_with = "numbers")]
    y_hat: &'a [f64],
    #[serde(serialize_with = "numbers")]
    delta: &'a [f64],
    #[serde(serialize_with = "number")]
    loss: f64,
    #[serde(serialize_with = "numbers")]
    grad_w: &'a [f64],
    #[serde(serialize_with = "number")]
    grad_b: f64,
    #[serde(serialize_with = "number")]
    lr: f64,
    #[serde(serialize_with = "number")]
    divisor: f64,
    #[serde(serialize_with = "numbers")]
    w_next: &'a [f64],
    #[serde(serialize_with = "number")]
    b_next: f64,
    #[serde(serialize_with = "objective")]
    objective: Objective,
    batch_size: usize,
    zero_grad: bool,
}

/// The batch's rows: gathered from the data set by index, or the explainer's copy.
enum Rows<'a> {
    Data(&'a Dataset, &'a [usize]),
    Matrix(&'a DMatrix<f64>),
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Rows::Data(data, indices) => {
                let mut seq = s.serialize_seq(Some(indices.len()))?;
                for &r in *indices {
                    seq.serialize_element(&Numbers(data.row(r)))?;
                }
                seq.end()
            }
            Rows::Matrix(x) => {
                let mut seq = s.serialize_seq(Some(x.nrows()))?;
                for row in x.row_iter() {
                    let row: Vec<f64> = row.iter().copied().collect();
                    seq.serialize_element(&Numbers(&row))?;
                }
                seq.end()
            }
        }
    }
}

/// A list of numbers, each as [`number`] writes it.
pub(super) struct Numbers<'a>(pub(super) &'a [f64]);

impl Serialize for Numbers<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for v in self.0 {
            seq.serialize_element(&Number(*v))?;
        }
        seq.end()
    }
}

pub(super) struct Number(pub(super) f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        number(&self.0, s)
    }
}

/// The shortest text that reads back as the same f64; JSON has no non-finite numbers, so those
/// are the strings "NaN", "inf" and "-inf".
pub(super) fn number<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    match *v {
        v if v.is_nan() => s.serialize_str("NaN"),
        v if v == f64::INFINITY => s.serialize_str("inf"),
        v if v == f64::NEG_INFINITY => s.serialize_str("-inf"),
        v => s.serialize_f64(v),
    }
}

fn numbers<S: Serializer>(v: &&[f64], s: S) -> Result<S::Ok, S::Error> {
    Numbers(v).serialize(s)
}

pub(super) fn objective<S: Serializer>(v: &Objective, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.name())
}
