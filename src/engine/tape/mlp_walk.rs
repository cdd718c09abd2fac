//! Where a two-layer batch's steps are on its tape, as [`super::walk`] says it for the lesson's
//! model: each step stands for the few consecutive nodes that compute its numbers.
//!
//! | step                     | forward (values known)            | backward (nodes visited)            |
//! |--------------------------|-----------------------------------|-------------------------------------|
//! | draw                     | X, y, W₁, b₁, W₂, b₂              |                                     |
//! | forward (per sample)     | `X @ W₁`, Z, H, `H @ W₂`, ŷ       |                                     |
//! | loss                     | `ŷ - y`, `** 2`, `/ 2`, `sum`     |                                     |
//! | δ                        |                                   | Sum, Div, Pow, Sub: δ arrives at Sub |
//! | second layer's sums      |                                   | Add ŷ, AccumulateGrad b₂, Mm, W₂    |
//! | δ₁ (sent back through σ) |                                   | σ's node, then Add Z, where δ₁ arrives |
//! | first layer's sums       |                                   | AccumulateGrad b₁, Mm, W₁           |
//! | update                   | (`sgd` reads the four `.grad`s)                                         |
//!
//! The δ₁ step ends at Z's AddBackward0 because the gradient arriving there is δ₁: the view's
//! gradient column shows the step's result on the node it marks.

use super::mlp::Mlp;
use super::walk::Stages;
use super::{NodeId, Walk};
use crate::engine::mlp_session::MlpStep;

/// The kinds of step in a batch's order; a node's place among them.
const DRAW: usize = 0;
const FORWARD: usize = 1;
const LOSS: usize = 2;
const ERRORS: usize = 3;
const LAYER_2: usize = 4;
const SEND_BACK: usize = 5;
const LAYER_1: usize = 6;
const UPDATE: usize = 7;

fn rank(step: MlpStep) -> usize {
    match step {
        MlpStep::Draw => DRAW,
        MlpStep::ForwardSample { .. } | MlpStep::Forward => FORWARD,
        MlpStep::Loss => LOSS,
        MlpStep::Errors => ERRORS,
        MlpStep::Accumulate { layer: 2, .. } | MlpStep::Grads { layer: 2 } => LAYER_2,
        MlpStep::SendBack { .. } | MlpStep::SendBackAll => SEND_BACK,
        MlpStep::Accumulate { .. } | MlpStep::Grads { .. } => LAYER_1,
        MlpStep::Update => UPDATE,
    }
}

impl Mlp {
    /// The step at which each node's value is computed.
    fn computed_at(&self, id: NodeId) -> usize {
        if [self.xw1, self.z, self.h, self.hw2, self.y_hat].contains(&id) {
            FORWARD
        } else if [self.error, self.square, self.losses, self.loss].contains(&id) {
            LOSS
        } else {
            DRAW
        }
    }

    /// The step at which `backward()` visits each node (None for data, never visited).
    fn visited_at(&self, id: NodeId) -> Option<usize> {
        if [self.loss, self.losses, self.square, self.error].contains(&id) {
            Some(ERRORS)
        } else if [self.y_hat, self.b2, self.hw2, self.w2].contains(&id) {
            Some(LAYER_2)
        } else if [self.h, self.z].contains(&id) {
            Some(SEND_BACK)
        } else if [self.b1, self.xw1, self.w1].contains(&id) {
            Some(LAYER_1)
        } else {
            None
        }
    }

    /// Where `step` is on this batch's tape.
    pub fn walk(&self, step: MlpStep) -> Walk {
        let at = rank(step);
        Stages {
            tape: &self.tape,
            order: self.tape.backward_order(self.loss),
            backward: ERRORS..UPDATE,
            update: vec![self.b2, self.w2, self.b1, self.w1],
            computed_at: &|id| self.computed_at(id),
            visited_at: &|id| self.visited_at(id),
        }
        .walk(
            at,
            at,
            match step {
                MlpStep::ForwardSample { sample } => Some(sample + 1),
                _ => None,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Granularity;
    use crate::engine::config::Objective;
    use crate::engine::mlp::{Activation, MlpParams};
    use crate::engine::mlp_session::steps;
    use nalgebra::{DMatrix, DVector};

    fn tiny() -> Mlp {
        let params = MlpParams {
            w1: DMatrix::from_row_slice(1, 2, &[1.0, -1.0]),
            b1: DVector::from_vec(vec![0.0, 0.5]),
            w2: DVector::from_vec(vec![0.5, 1.0]),
            b2: 0.0,
        };
        let x = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
        let y = DVector::from_vec(vec![1.0, 0.0]);
        let mut m = Mlp::record(x, &y, &params, Activation::Relu, Objective::Sum)
            .unwrap_or_else(|e| panic!("{e}"));
        m.backward();
        m
    }

    #[test]
    fn the_steps_walk_every_node_once_in_pytorchs_order() {
        let m = tiny();
        let order = m.tape.backward_order(m.loss);
        for granularity in [Granularity::Sample, Granularity::Matrix] {
            let mut seen = Vec::new();
            for s in steps(&m, granularity) {
                let w = m.walk(s);
                if w.backward {
                    for id in &w.now {
                        if !seen.contains(id) {
                            seen.push(*id);
                        }
                    }
                }
                let pos: Vec<usize> = w
                    .visited
                    .iter()
                    .filter_map(|v| order.iter().position(|o| o == v))
                    .collect();
                assert!(pos.windows(2).all(|p| p[0] < p[1]), "{s:?}");
            }
            // Every node backward() visits is some step's, each once and in its order.
            assert_eq!(seen, order, "{granularity:?}");
        }
        assert_eq!(m.walk(MlpStep::Errors).current(), Some(m.error));
        assert_eq!(m.walk(MlpStep::Grads { layer: 2 }).current(), Some(m.w2));
        assert_eq!(m.walk(MlpStep::SendBackAll).current(), Some(m.z));
        assert_eq!(m.walk(MlpStep::Grads { layer: 1 }).current(), Some(m.w1));
        assert!(m.walk(MlpStep::Draw).is_known(m.w1));
        assert!(!m.walk(MlpStep::Draw).is_known(m.h));
        assert_eq!(m.walk(MlpStep::ForwardSample { sample: 1 }).rows, Some(2));
    }
}
