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
use crate::engine::Step;

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

/// The kinds of step in the lesson's order, each node's place among them.
const DRAW: usize = 0;
const FORWARD: usize = 1;
const LOSS: usize = 3;
const ERRORS: usize = 4;
const ACCUMULATE: usize = 5;
const GRAD_W: usize = 6;
const GRAD_B: usize = 7;
const UPDATE: usize = 8;

impl Linear {
    /// The step (by [`Step::order`]) at which each node's value is computed.
    fn computed_at(&self, id: NodeId) -> usize {
        if [self.xw, self.y_hat].contains(&id) {
            FORWARD
        } else if [self.error, self.square, self.losses, self.loss].contains(&id) {
            LOSS
        } else {
            DRAW
        }
    }

    /// The step at which `backward()` visits each node (None for data, which it never visits).
    fn visited_at(&self, id: NodeId) -> Option<usize> {
        if [self.loss, self.losses, self.square, self.error].contains(&id) {
            Some(ERRORS)
        } else if id == self.y_hat {
            Some(ACCUMULATE)
        } else if id == self.xw || id == self.w {
            Some(GRAD_W)
        } else if id == self.b {
            Some(GRAD_B)
        } else {
            None
        }
    }

    /// Where `step` is on this batch's tape.
    pub fn walk(&self, step: Step) -> Walk {
        let at = step.order();
        Stages {
            tape: &self.tape,
            order: self.backward_order(),
            backward: ERRORS..UPDATE,
            update: vec![self.b, self.w],
            computed_at: &|id| self.computed_at(id),
            visited_at: &|id| self.visited_at(id),
        }
        .walk(
            at,
            // The whole batch's forward step computes what the per-sample ones did.
            if at == FORWARD + 1 { FORWARD } else { at },
            match step {
                Step::ForwardSample { sample } => Some(sample + 1),
                _ => None,
            },
        )
    }
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
    use crate::engine::config::{Objective, Params};
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
        let steps = crate::engine::step::steps(2, crate::engine::Granularity::Sample, false);
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
}
