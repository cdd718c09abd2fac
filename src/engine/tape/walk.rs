//! Where the lesson's steps are on the tape of their batch: which nodes' values a step has
//! computed, which nodes `backward()` has visited by then, and which the step itself is about.
//!
//! The lesson computes the same numbers as the walk, grouped by the chain rule's quantities
//! rather than by PyTorch's nodes, so each step stands for a few consecutive nodes:
//!
//! | step                 | forward (values known)        | backward (nodes visited)                 |
//! |----------------------|-------------------------------|------------------------------------------|
//! | draw                 | X, y, w, b                    |                                          |
//! | forward (per sample) | `X @ w`, `… + b`              |                                          |
//! | loss                 | `ŷ - y`, `** 2`, `/ 2`, `sum` |                                          |
//! | δ                    |                               | Sum, Div, Pow, Sub: δ arrives at Sub     |
//! | accumulate           |                               | Add: passes δ to `X @ w` and to b        |
//! | ∂L/∂w                |                               | Mm, AccumulateGrad w: Xᵀδ into `w.grad`  |
//! | ∂L/∂b                |                               | AccumulateGrad b: Σδ into `b.grad`       |
//! | update               | (`sgd` reads `w.grad`, `b.grad`)                                         |
//!
//! PyTorch visits AccumulateGrad b before `MmBackward0` (see [`super::Tape::backward_order`]);
//! the lesson derives ∂L/∂w first. Both orders are shown: the walk's numbering is PyTorch's.

use super::{Linear, NodeId};
use crate::engine::config::Objective;
use crate::engine::{Granularity, Step};

/// The tape as one step of the lesson sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Walk {
    /// Nodes whose value the steps so far have computed.
    pub known: Vec<NodeId>,
    /// Nodes `backward()` has visited by this step, in PyTorch's order.
    pub visited: Vec<NodeId>,
    /// What this step computes (forward) or visits (backward), in order; the last is the one
    /// the view marks.
    pub now: Vec<NodeId>,
    /// Whether the step is on the way back.
    pub backward: bool,
    /// Per-sample forward steps know the first `rows` entries of the nodes they compute.
    pub rows: Option<usize>,
}

impl Walk {
    pub fn current(&self) -> Option<NodeId> {
        self.now.last().copied()
    }

    pub fn is_known(&self, id: NodeId) -> bool {
        self.known.contains(&id)
    }

    pub fn is_visited(&self, id: NodeId) -> bool {
        self.visited.contains(&id)
    }
}

impl Linear {
    /// The step whose numbers compute each node on the way forward; the leaves are drawn. With
    /// [`Linear::visited_by`], the one place the lesson's steps are tied to its tape.
    fn computed_by(&self, id: NodeId) -> Step {
        if [self.xw, self.y_hat].contains(&id) {
            Step::Forward
        } else if [self.error, self.square, self.losses, self.loss].contains(&id) {
            Step::Loss
        } else {
            Step::Draw
        }
    }

    /// The step at which `backward()` visits each node (None for data, which it never visits).
    fn visited_by(&self, id: NodeId) -> Option<Step> {
        if [self.loss, self.losses, self.square, self.error].contains(&id) {
            Some(Step::Errors)
        } else if id == self.y_hat {
            Some(Step::Accumulate { sample: 0 })
        } else if id == self.xw || id == self.w {
            Some(Step::GradW)
        } else if id == self.b {
            Some(Step::GradB)
        } else {
            None
        }
    }

    /// The lesson's walk back: PyTorch's order for the nodes inside the graph, then the
    /// `AccumulateGrad`s in the order the parameters were recorded (w, then b, as
    /// `sgd([w, b], ...)` lists them). PyTorch runs b's `AccumulateGrad` before `MmBackward0`;
    /// the lesson finishes the chain rule first and then reads each `.grad`.
    fn lesson_order(&self) -> Vec<NodeId> {
        let (mut leaves, inner): (Vec<NodeId>, Vec<NodeId>) = self
            .backward_order()
            .into_iter()
            .partition(|&id| self.tape[id].is_leaf());
        leaves.sort();
        inner.into_iter().chain(leaves).collect()
    }

    /// The stages of a batch, one step standing for each: the steps that compute the nodes in
    /// the tape's order, those that visit them in the lesson's walk back, then the update and
    /// the epoch's summary, which read what `backward()` left.
    pub fn stages(&self) -> Vec<Step> {
        let forward = (0..self.tape.len()).map(|id| self.computed_by(NodeId(id)));
        let backward = self
            .lesson_order()
            .into_iter()
            .filter_map(|id| self.visited_by(id));
        let mut out: Vec<Step> = Vec::new();
        for stage in forward
            .chain(backward)
            .chain([Step::Update, Step::EpochSummary])
        {
            if !out.contains(&stage) {
                out.push(stage);
            }
        }
        out
    }

    /// Where `step` is on this batch's tape.
    pub fn walk(&self, step: Step) -> Walk {
        let stages = self.stages();
        let rank = |s: Step| stages.iter().position(|t| *t == s.stage()).unwrap_or(0);
        let at = rank(step);
        let (errors, update) = (rank(Step::Errors), rank(Step::Update));
        Stages {
            tape: &self.tape,
            order: self.backward_order(),
            backward: errors..update,
            update: vec![self.b, self.w],
            computed_at: &|id| rank(self.computed_by(id)),
            visited_at: &|id| self.visited_by(id).map(rank),
        }
        .walk(
            at,
            at,
            match step {
                Step::ForwardSample { sample } => Some(sample + 1),
                _ => None,
            },
        )
    }
}

/// The stages of a batch of the lesson's model, read once off a tape of its shape: which
/// steps there are and in what order depends on the graph, not on the numbers or the
/// objective (`l.mean()` only changes the root's op).
pub fn stages(epoch_end: bool) -> Vec<Step> {
    static STAGES: std::sync::OnceLock<Vec<Step>> = std::sync::OnceLock::new();
    let all = STAGES.get_or_init(|| {
        let params = crate::engine::Params {
            w: nalgebra::DVector::zeros(1),
            b: 0.0,
        };
        let one = nalgebra::DMatrix::zeros(1, 1);
        Linear::record(one, &nalgebra::DVector::zeros(1), &params, Objective::Sum)
            .map_or_else(|_| vec![Step::Draw, Step::Update], |l| l.stages())
    });
    all.iter()
        .copied()
        .filter(|s| epoch_end || *s != Step::EpochSummary)
        .collect()
}

/// The steps of a batch of `rows` samples, in order: each stage's step, the forward pass and
/// the accumulation of ∂L/∂w expanded per sample when the granularity is [`Granularity::Sample`]
/// (the accumulation is folded into ∂L/∂w otherwise); `epoch_end` adds the epoch summary.
pub fn steps(rows: usize, granularity: Granularity, epoch_end: bool) -> Vec<Step> {
    let per_sample = granularity == Granularity::Sample;
    let mut out = Vec::new();
    for stage in stages(epoch_end) {
        match stage {
            Step::Forward if per_sample => {
                out.extend((0..rows).map(|sample| Step::ForwardSample { sample }));
                out.push(stage);
            }
            Step::Accumulate { .. } if per_sample => {
                out.extend((0..rows).map(|sample| Step::Accumulate { sample }));
            }
            Step::Accumulate { .. } => {}
            _ => out.push(stage),
        }
    }
    out
}

/// Every kind name, in the order a batch's steps come: the lesson file's one text per kind.
pub fn kinds() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for step in steps(1, Granularity::Sample, true) {
        if !out.contains(&step.kind()) {
            out.push(step.kind());
        }
    }
    out
}

/// A model's steps on its tape: each node computed at one kind of step (by rank) and visited
/// by `backward()` at one; how any model's [`Walk`] is read off its tape.
pub(super) struct Stages<'a> {
    pub tape: &'a super::Tape,
    /// `backward()`'s order.
    pub order: Vec<NodeId>,
    /// The ranks of the steps on the way back.
    pub backward: std::ops::Range<usize>,
    /// The `AccumulateGrad`s `sgd` reads at the update (the rank `backward.end` and after).
    pub update: Vec<NodeId>,
    pub computed_at: &'a dyn Fn(NodeId) -> usize,
    pub visited_at: &'a dyn Fn(NodeId) -> Option<usize>,
}

impl Stages<'_> {
    /// The walk at the step of rank `at`; a forward step's own nodes are those computed at
    /// `now_at`; per-sample steps know `rows` rows.
    pub fn walk(&self, at: usize, now_at: usize, rows: Option<usize>) -> Walk {
        let ids = (0..self.tape.len()).map(NodeId);
        let known: Vec<NodeId> = ids
            .clone()
            .filter(|&id| (self.computed_at)(id) <= at)
            .collect();
        let visited: Vec<NodeId> = self
            .order
            .iter()
            .copied()
            .filter(|&id| (self.visited_at)(id).is_some_and(|v| v <= at))
            .collect();
        let backward = self.backward.contains(&at);
        let now: Vec<NodeId> = if at >= self.backward.end {
            self.update.clone()
        } else if backward {
            self.order
                .iter()
                .copied()
                .filter(|&id| (self.visited_at)(id) == Some(at))
                .collect()
        } else {
            ids.filter(|&id| (self.computed_at)(id) == now_at).collect()
        };
        Walk {
            known,
            visited,
            now,
            backward,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::config::Params;
    use nalgebra::{DMatrix, DVector};

    fn tiny() -> Linear {
        let x = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
        let y = DVector::from_vec(vec![1.0, 0.0]);
        let params = Params {
            w: DVector::from_vec(vec![0.5]),
            b: 0.0,
        };
        let mut l =
            Linear::record(x, &y, &params, Objective::Sum).unwrap_or_else(|e| panic!("{e}"));
        l.backward();
        l
    }

    #[test]
    fn the_steps_walk_every_node_once_in_pytorchs_order() {
        let l = tiny();
        let steps = steps(2, Granularity::Sample, false);
        let mut seen = Vec::new();
        for s in &steps {
            let w = l.walk(*s);
            if w.backward {
                for id in &w.now {
                    if !seen.contains(id) {
                        seen.push(*id);
                    }
                }
                // Whatever is visited is visited in PyTorch's order.
                let order = l.backward_order();
                let pos: Vec<usize> = w
                    .visited
                    .iter()
                    .filter_map(|v| order.iter().position(|o| o == v))
                    .collect();
                assert!(pos.windows(2).all(|p| p[0] < p[1]), "{s:?}");
            }
        }
        let mut order = l.backward_order();
        order.sort();
        seen.sort();
        assert_eq!(seen, order);
        // δ arrives at SubBackward0 at the δ step.
        assert_eq!(l.walk(Step::Errors).current(), Some(l.error));
        assert_eq!(l.walk(Step::GradW).current(), Some(l.w));
        assert_eq!(l.walk(Step::Loss).current(), Some(l.loss));
        assert!(l.walk(Step::Draw).is_known(l.w));
        assert!(!l.walk(Step::Draw).is_known(l.y_hat));
        assert_eq!(l.walk(Step::ForwardSample { sample: 0 }).rows, Some(1));
    }

    #[test]
    fn the_step_order_read_off_the_tape_is_the_lessons() {
        use Step::*;
        // The lesson's numbering as users see it (`--at E:B:S`, the stops): a batch of two in
        // the order the lesson was written in before the order came from the tape.
        let per_sample = [
            Draw,
            ForwardSample { sample: 0 },
            ForwardSample { sample: 1 },
            Forward,
            Loss,
            Errors,
            Accumulate { sample: 0 },
            Accumulate { sample: 1 },
            GradW,
            GradB,
            Update,
            EpochSummary,
        ];
        assert_eq!(steps(2, Granularity::Sample, true), per_sample);
        let matrix = [Draw, Forward, Loss, Errors, GradW, GradB, Update];
        assert_eq!(steps(2, Granularity::Matrix, false), matrix);
        // Any tape of the lesson's model gives the same stages, whatever its numbers.
        assert_eq!(tiny().stages(), stages(true));
        assert_eq!(
            kinds(),
            [
                "draw",
                "forward_sample",
                "forward",
                "loss",
                "errors",
                "accumulate",
                "grad_w",
                "grad_b",
                "update",
                "epoch_summary"
            ]
        );
    }
}
