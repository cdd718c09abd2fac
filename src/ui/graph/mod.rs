//! The autograd graph view: the graph PyTorch records for the lesson's code, with this batch's
//! values at its nodes, and `backward()` walking it from L down as the lesson's steps go.
//!
//! Everything it shows is read from the batch's tape ([`Linear`]), recorded and walked by the
//! engine when the place changes (in `update`, never in a frame); the worked rules are
//! [`crate::worked::graph`]'s equations, typeset once.

mod draw;
mod grid;
mod layers;
mod legend;

pub use draw::{draw, render};
pub use layers::{Layers, roles as layer_roles};
pub use legend::help_lines as legend_help_lines;

use nalgebra::DVector;
use ratatui::style::Style;

use super::glyphs::Glyphs;
use super::theme::Theme;
use crate::engine::tape::{Linear, NodeId, Tape, Walk};
use crate::engine::{Objective, Params, Session, Step};
use crate::lesson::Lang;
use crate::math::Role;
use crate::worked::Equation;
use crate::worked::graph::{ELISION, Rule, rules_of};
use crate::worked::screen::Typeset;

/// One line of the graph view: its pieces, each in its own style.
pub type Spans = Vec<(String, Style)>;

/// What the drawing reads, whichever model recorded the tape: the tape, where the step is on
/// it, and the words around it. Built for a frame from the model's state; it computes nothing.
pub struct Scene<'a> {
    pub tape: &'a Tape,
    /// The node `backward()` starts from.
    pub root: NodeId,
    pub walk: &'a Walk,
    /// The worked rules of the nodes shown below the table, typeset (none where a model's
    /// rules are not written: its nodes show their numbers as grids instead).
    pub typeset: &'a [(NodeId, Vec<Typeset>)],
    /// Each node's (value, gradient) roles, by its place on the tape.
    pub roles: Vec<(Role, Role)>,
    /// What the step does, on the rule above its nodes.
    pub what: String,
    /// Epoch and batch within it, from 1.
    pub place: (usize, usize),
    /// The sentences that tie the graph to the lesson's chain.
    pub links: Vec<String>,
    /// The lesson's symbol table (the linear model's) beside the graph where there is room.
    pub legend: bool,
    /// Nodes without rules show their value and gradient as grids (else one line, as data).
    pub grids: bool,
    pub lang: Lang,
    pub theme: Theme,
    pub glyphs: &'a Glyphs,
    pub precision: usize,
}

impl Scene<'_> {
    fn typeset(&self, id: NodeId) -> &[Typeset] {
        self.typeset
            .iter()
            .find(|(n, _)| *n == id)
            .map_or(&[], |(_, t)| t.as_slice())
    }

    fn roles(&self, id: NodeId) -> (Role, Role) {
        self.roles.get(id.0).copied().unwrap_or((Role::X, Role::X))
    }
}

/// The batch a tape was recorded for: its place, its loss (the parameters it starts from), its
/// objective, and what `.grad` held before it.
type TapeKey = (usize, u64, Objective, Vec<u64>);

/// What the graph view shows for one place.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// The batch recorded on the tape, and the step and precision its rules were built for:
    /// stepping within a batch rebuilds the rules, not the tape.
    key: Option<(TapeKey, Step, usize)>,
    linear: Option<Linear>,
    walk: Option<Walk>,
    rules: Vec<Rule>,
    typeset: Vec<(NodeId, Vec<Typeset>)>,
}

impl Graph {
    /// Brings the graph to the session's place; `held` is what `w.grad` and `b.grad` hold
    /// before this batch's `backward()` (zeros after `zero_()`; `None` on the first batch,
    /// when PyTorch's `.grad` is still `None`).
    pub fn sync(&mut self, session: &Session, precision: usize, held: Option<(DVector<f64>, f64)>) {
        let b = session.batch();
        let step = session.step();
        let held_bits: Vec<u64> = held
            .iter()
            .flat_map(|(w, b)| w.iter().chain([b]).map(|v| v.to_bits()))
            .collect();
        let tape_key = (b.global, b.loss.to_bits(), b.hyper.objective, held_bits);
        if self.key.as_ref() == Some(&(tape_key.clone(), step, precision)) {
            return;
        }
        if self.key.as_ref().is_none_or(|(k, _, _)| *k != tape_key) {
            let params = Params {
                w: b.w.clone(),
                b: b.b,
            };
            self.linear = Linear::record(b.x.clone(), &b.y, &params, b.hyper.objective)
                .ok()
                .map(|mut l| {
                    if let Some((w, g)) = &held {
                        l.hold_grads(w, *g);
                    }
                    l.backward();
                    l
                });
        }
        self.walk = self.linear.as_ref().map(|l| l.walk(step));
        self.rules = match (&self.linear, &self.walk) {
            (Some(l), Some(w)) => rules_of(l, &shown(w, step), precision),
            _ => Vec::new(),
        };
        self.typeset = self
            .rules
            .iter()
            .map(|r| {
                let t = r
                    .equations
                    .iter()
                    .map(|e| Typeset::new(e, ELISION))
                    .collect();
                (r.node, t)
            })
            .collect();
        self.key = Some((tape_key, step, precision));
    }

    /// Every worked equation the view shows now.
    pub fn equations(&self) -> impl Iterator<Item = &Equation> {
        self.rules.iter().flat_map(|r| r.equations.iter())
    }

    pub fn linear(&self) -> Option<&Linear> {
        self.linear.as_ref()
    }

    pub fn walk(&self) -> Option<&Walk> {
        self.walk.as_ref()
    }
}

/// The nodes whose rules the view shows at `step`: on the way back, those visited before the
/// step, then the step's own (last, so a short screen keeps them); at the update, the two
/// `AccumulateGrad`s `sgd` reads; on the way forward, none.
fn shown(walk: &Walk, step: Step) -> Vec<NodeId> {
    if step.order() >= Step::Update.order() {
        return walk.now.clone();
    }
    if !walk.backward {
        return Vec::new();
    }
    let earlier = walk.visited.iter().filter(|id| !walk.now.contains(id));
    earlier.chain(&walk.now).copied().collect()
}

/// `text` followed by spaces to `w` columns.
fn pad(text: &str, w: usize) -> String {
    let used = super::canvas::width(text);
    format!("{text}{}", " ".repeat(w.saturating_sub(used)))
}

/// The lesson's role of a node's value and of its gradient, for their colours.
fn roles(l: &Linear, id: NodeId) -> (Role, Role) {
    if id == l.loss {
        (Role::Loss, Role::Loss)
    } else if id == l.losses || id == l.square {
        (Role::LossSample, Role::LossSample)
    } else if id == l.error {
        (Role::Delta, Role::Delta)
    } else if id == l.y_hat || id == l.xw {
        (Role::YHat, Role::Delta)
    } else if id == l.w {
        (Role::W, Role::GradW)
    } else if id == l.b {
        (Role::B, Role::GradB)
    } else if id == l.y {
        (Role::Y, Role::Y)
    } else {
        (Role::X, Role::X)
    }
}
