//! The graph view of a two-layer run: the batch's tape ([`Mlp`]) recorded and walked by the
//! engine when the place changes, and drawn by the same code as the lesson's model.

use crate::engine::Objective;
use crate::engine::mlp::{Activation, MlpParams};
use crate::engine::mlp_session::{MlpSession, MlpStep};
use crate::engine::tape::mlp::Mlp;
use crate::engine::tape::{NodeId, Walk};
use crate::math::Role;

/// The batch a tape was recorded for: its place, rows, starting parameters and model, and what
/// `.grad` held before it without zero_().
type TapeKey = (
    usize,
    Vec<usize>,
    MlpParams,
    Activation,
    Objective,
    Option<MlpParams>,
);

/// What the two-layer graph view shows for one place.
#[derive(Clone, Debug, Default)]
pub struct Layers {
    key: Option<(TapeKey, MlpStep)>,
    mlp: Option<Mlp>,
    walk: Option<Walk>,
}

impl Layers {
    /// Brings the graph to the session's place: a new batch records its tape and runs
    /// `backward()`; a new step within it only walks the tape again.
    pub fn sync(&mut self, session: &MlpSession) {
        let u = session.update();
        let step = session.step();
        let tape_key = (
            u.pos.global,
            u.indices.clone(),
            u.before.clone(),
            session.activation(),
            u.hyper.objective,
            u.held.clone(),
        );
        if self.key.as_ref() == Some(&(tape_key.clone(), step)) {
            return;
        }
        if self.key.as_ref().is_none_or(|(k, _)| *k != tape_key) {
            self.mlp = Mlp::record(
                u.batch.x.clone(),
                &u.batch.y,
                &u.before,
                session.activation(),
                u.hyper.objective,
            )
            .ok()
            .map(|mut m| {
                // Without zero_(), AccumulateGrad adds this batch's gradient to what .grad
                // kept (before the first batch PyTorch's .grad is None, not zeros).
                if let Some(held) = u.held.as_ref().filter(|_| u.pos.global > 0) {
                    m.hold_grads(held);
                }
                m.backward();
                m
            });
        }
        self.walk = self.mlp.as_ref().map(|m| m.walk(step));
        self.key = Some((tape_key, step));
    }

    pub fn mlp(&self) -> Option<&Mlp> {
        self.mlp.as_ref()
    }

    pub fn walk(&self) -> Option<&Walk> {
        self.walk.as_ref()
    }

    /// Whether the step is the update, when `sgd` reads the four `.grad`s.
    pub fn at_update(&self) -> bool {
        self.key
            .as_ref()
            .is_some_and(|(_, s)| *s == MlpStep::Update)
    }
}

/// The roles of each node's value and gradient, as the two-layer matrices colour them: Z in
/// ŷ's colour (a layer's output), H in X's (the second layer's input), their gradients errors.
pub fn roles(m: &Mlp) -> Vec<(Role, Role)> {
    (0..m.tape.len())
        .map(NodeId)
        .map(|id| {
            if id == m.loss {
                (Role::Loss, Role::Loss)
            } else if id == m.losses || id == m.square {
                (Role::LossSample, Role::LossSample)
            } else if id == m.error {
                (Role::Delta, Role::Delta)
            } else if [m.y_hat, m.hw2, m.z, m.xw1].contains(&id) {
                (Role::YHat, Role::Delta)
            } else if id == m.h {
                (Role::X, Role::Delta)
            } else if id == m.w1 || id == m.w2 {
                (Role::W, Role::GradW)
            } else if id == m.b1 || id == m.b2 {
                (Role::B, Role::GradB)
            } else if id == m.y {
                (Role::Y, Role::Y)
            } else {
                (Role::X, Role::X)
            }
        })
        .collect()
}
