//! `gradstep graph`: one batch's tape as JSON, node by node, to compare with what PyTorch's
//! autograd records for the lesson's code (`tensor.retain_grad()` on each intermediate).
//!
//! The batches before K run on the fast path, as `trace` does (the tape and the fast path agree
//! bit for bit); batch K is recorded on the tape and `backward()` run over it.

use std::io::Write;

use nalgebra::DMatrix;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};

use crate::engine::batch::{Scratch, sgd_step};
use crate::engine::tape::{Linear, Node, NodeId, Tape};
use crate::engine::{BatchPos, Objective, Schedule};

use super::setup::Run;
use super::trace::number;

/// Writes batch `k` (1-based over the whole run) of `run` as one JSON object and a newline.
/// A `k` past the run is an `InvalidInput` error naming the run's length.
pub fn write_graph(run: &Run, k: usize, out: &mut impl Write) -> std::io::Result<()> {
    let bad = |msg: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, msg);
    let mut schedule = Schedule::new(run.data.n(), &run.hyper);
    schedule.apply(&run.changes).map_err(|e| bad(e.0))?;
    let total = schedule.total_batches();
    let global = match k.checked_sub(1) {
        Some(g) if g < total => g,
        _ => {
            return Err(bad(format!(
                "--batch {k}: this run has {total} mini-batches"
            )));
        }
    };
    let mut params = run.init.clone();
    let mut scratch = Scratch::default();
    for g in 0..global {
        let slot = schedule.slot(g);
        let hyper = schedule.hyper_at(&run.hyper, g);
        let indices = schedule.rows_of(&slot);
        sgd_step(&run.data, indices, &mut params, &hyper, &mut scratch);
    }
    let slot = schedule.slot(global);
    let hyper = schedule.hyper_at(&run.hyper, global);
    let indices = schedule.rows_of(&slot);
    let mut linear = Linear::batch_recorded(&run.data, indices, &params, hyper.objective)
        .map_err(|e| bad(format!("the tape of batch {k}: {e}")))?;
    // Without zero_(), AccumulateGrad adds this batch's gradient to what .grad kept.
    if let Some(held) = scratch.held() {
        linear.hold_grads(&held.w, held.b);
    }
    linear.backward();
    serde_json::to_writer(&mut *out, &graph(&linear, slot.pos))?;
    out.write_all(b"\n")?;
    out.flush()
}

/// The JSON object for a recorded tape after `backward()`, keys in the documented order.
pub fn graph(linear: &Linear, pos: BatchPos) -> impl Serialize + '_ {
    tape_graph(&linear.tape, linear.loss, linear.objective, pos)
}

/// [`graph`] for any model's tape (the two-layer model's too), walked back from `root`.
pub fn tape_graph(
    tape: &Tape,
    root: NodeId,
    objective: Objective,
    pos: BatchPos,
) -> impl Serialize + '_ {
    Graph {
        epoch: pos.epoch,
        batch: pos.batch,
        objective: objective.name(),
        nodes: tape
            .nodes()
            .iter()
            .enumerate()
            .map(|(id, node)| NodeJson::new(id, node))
            .collect(),
        backward_order: tape.backward_order(root).iter().map(|id| id.0).collect(),
    }
}

#[derive(Serialize)]
struct Graph<'a> {
    epoch: usize,
    batch: usize,
    objective: String,
    nodes: Vec<NodeJson<'a>>,
    backward_order: Vec<usize>,
}

/// One node: PyTorch's class name (`null` for X and y, which PyTorch leaves out of the graph),
/// the code it computed, its inputs, its value and ∂L/∂value (`null` where PyTorch holds none).
#[derive(Serialize)]
struct NodeJson<'a> {
    id: usize,
    name: Option<&'static str>,
    label: &'a str,
    inputs: Vec<usize>,
    value: Rows<'a>,
    grad: Option<Rows<'a>>,
}

impl<'a> NodeJson<'a> {
    fn new(id: usize, node: &'a Node) -> Self {
        NodeJson {
            id,
            name: node.torch_name(),
            label: &node.label,
            inputs: node.inputs.iter().map(|i| i.0).collect(),
            value: Rows(&node.value),
            grad: node.grad.as_ref().map(Rows),
        }
    }
}

/// A matrix as a list of rows: a scalar is `[[v]]`, a column of N is N rows of one.
struct Rows<'a>(&'a DMatrix<f64>);

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.nrows()))?;
        for row in self.0.row_iter() {
            let row: Vec<Number> = row.iter().map(|&v| Number(v)).collect();
            seq.serialize_element(&row)?;
        }
        seq.end()
    }
}

struct Number(f64);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        number(&self.0, s)
    }
}
