//! The worked equations of a tape, one rule per op: a named node's value is its op's forward
//! rule over its inputs, and a gradient is the backward rule of the op that consumed the node,
//! applied to what arrived there. Both models' steps read their equations from here, so a new
//! model (another tape) gets its worked equations without new per-step code.
//!
//! An unnamed node (`X @ w`, `ŷ − y` inside l) is written out through its own rule, as the
//! tape's labels write it inside Python code; a named node stands as its numbers. On the way
//! back, a gradient the lesson names (δ at ŷ, δ₁ at Z, ∂L/∂p at a parameter) stands as its
//! numbers and any other is written out through its consumer's rule, so δ₁ reads
//! (δW₂ᵀ) ⊙ σ′(Z), through ∂L/∂H and ∂L/∂(HW₂) without naming them.
//!
//! Every number is the tape's own: a node's value, the gradient that arrived at it, what its
//! consumer sent to a parameter. The tape and the fast path agree bit for bit (see
//! `tests/engine_tape.rs`), so these are the numbers the rest of the program shows.

use nalgebra::DMatrix;

use super::cells::sup;
use super::{Axis, Cell, Expr, Part, Quantity, Symbol};
use crate::engine::mlp::Activation;
use crate::engine::tape::mlp::Mlp;
use crate::engine::tape::{Layout, Linear, NodeId, Op, Tape};
use crate::lesson::Lang;

mod backward;
mod forward;
mod running;
mod slope;

/// A gradient the lesson names where it arrives: its cells and how it is written.
#[derive(Clone, Debug, PartialEq)]
struct Named {
    q: Quantity,
    latex: String,
    /// One sample's entry, `#` standing for its superscript: `\frac{\delta#}{N}`.
    entry: String,
}

impl Named {
    fn at(&self, sup: &str) -> String {
        self.entry.replace('#', sup)
    }
}

/// A recorded tape with the lesson's names on it.
pub struct Graph<'a> {
    tape: &'a Tape,
    symbols: Vec<Option<Symbol>>,
    grads: Vec<Option<Named>>,
    per_sample: Vec<bool>,
    activation: Option<Activation>,
    /// The nodes the step being written computes: their numbers are its outputs.
    outputs: Vec<NodeId>,
}

/// `∂L/∂p so far`: what a running sum grows into, so the class knows what it is watching.
pub fn so_far(p: Symbol, lang: Lang) -> String {
    let words = match lang {
        Lang::En => r"\;\text{so far}",
        Lang::Zh => r"\;\text{（累计）}",
    };
    format!("{} {words}", partial(p.latex()))
}

/// ∂L/∂`of`.
fn partial(of: &str) -> String {
    format!(r"\frac{{\partial L}}{{\partial {of}}}")
}

/// How the gradient arriving at ŷ is named: δ when it is δ to the bit (a sum: 1 · 2/2 ·
/// (ŷ − y)), its own column δ/N under a mean.
fn upstream(tape: &Tape, loss: NodeId) -> Named {
    if tape[loss].op == Some(Op::Mean) {
        Named {
            q: Quantity::Of(Symbol::YHat, Part::Grad),
            latex: r"\frac{\delta}{N}".into(),
            entry: r"\frac{\delta#}{N}".into(),
        }
    } else {
        Named {
            q: Quantity::Of(Symbol::Delta, Part::Value),
            latex: r"\delta".into(),
            entry: r"\delta#".into(),
        }
    }
}

fn param(s: Symbol) -> Named {
    Named {
        q: Quantity::Of(s, Part::Grad),
        latex: partial(s.latex()),
        entry: partial(&format!("{}#", s.latex())),
    }
}
/// The nodes a model's tape names by `symbols` (as it recorded them), and δ, the `ŷ − y` node
/// `error` the tape records unnamed, as PyTorch's `SubBackward0`.
fn named(tape: &Tape, symbols: &[Symbol], error: NodeId) -> Vec<(NodeId, Symbol)> {
    let recorded = tape.nodes().iter().enumerate().filter_map(|(k, node)| {
        let text = node.symbol.as_deref()?;
        let s = symbols.iter().find(|s| s.text() == text)?;
        Some((NodeId(k), *s))
    });
    recorded.chain([(error, Symbol::Delta)]).collect()
}

impl<'a> Graph<'a> {
    fn new(
        tape: &'a Tape,
        symbols: &[(NodeId, Symbol)],
        grads: Vec<(NodeId, Named)>,
        activation: Option<Activation>,
    ) -> Graph<'a> {
        let mut names = vec![None; tape.len()];
        for &(id, s) in symbols {
            names[id.0] = Some(s);
        }
        let mut named = vec![None; tape.len()];
        for (id, n) in grads {
            named[id.0] = Some(n);
        }
        // A node holds one entry per sample when it is data, or computed from data without
        // summing over the samples.
        let mut per_sample = vec![false; tape.len()];
        for (k, node) in tape.nodes().iter().enumerate() {
            per_sample[k] = match node.op {
                None => names[k].is_some_and(|s: Symbol| {
                    matches!(s.layout(), Layout::SamplesByColumns | Layout::PerSample)
                }),
                Some(Op::Sum | Op::Mean) => false,
                Some(_) => node.inputs.iter().any(|i| per_sample[i.0]),
            };
        }
        Graph {
            tape,
            symbols: names,
            grads: named,
            per_sample,
            activation,
            outputs: Vec::new(),
        }
    }

    /// The linear tape, its nodes by the lesson's names.
    pub fn linear(l: &'a Linear) -> Graph<'a> {
        Graph::new(
            &l.tape,
            &named(&l.tape, &Linear::SYMBOLS, l.error),
            vec![
                (l.y_hat, upstream(&l.tape, l.loss)),
                (l.w, param(Symbol::W)),
                (l.b, param(Symbol::B)),
            ],
            None,
        )
    }

    /// The two-layer tape; the gradient arriving at Z is the lesson's δ₁.
    pub fn mlp(m: &'a Mlp) -> Graph<'a> {
        let delta1 = Named {
            q: Quantity::Of(Symbol::Z, Part::Grad),
            latex: r"\delta_1".into(),
            entry: r"\delta_1#".into(),
        };
        Graph::new(
            &m.tape,
            &named(&m.tape, &Mlp::SYMBOLS, m.error),
            vec![
                (m.y_hat, upstream(&m.tape, m.loss)),
                (m.z, delta1),
                (m.w1, param(Symbol::W1)),
                (m.b1, param(Symbol::B1)),
                (m.w2, param(Symbol::W2)),
                (m.b2, param(Symbol::B2)),
            ],
            Some(m.activation),
        )
    }

    /// The graph, writing `ids` as what the step computes.
    pub fn computing(mut self, ids: &[NodeId]) -> Graph<'a> {
        self.outputs = ids.to_vec();
        self
    }

    fn output(&self, id: NodeId) -> bool {
        self.outputs.contains(&id)
    }

    /// The node `name` names.
    pub fn node(&self, name: Symbol) -> Option<NodeId> {
        let k = self.symbols.iter().position(|s| *s == Some(name))?;
        Some(NodeId(k))
    }

    /// Entries of `m` as cells of `q`: a number, a column, or a matrix; with `sample`, only
    /// that sample's row of a per-sample node.
    fn lay(
        &self,
        q: Quantity,
        m: &DMatrix<f64>,
        per_sample: bool,
        sample: Option<usize>,
        output: bool,
    ) -> Expr {
        let v = |i: usize, j: usize| Expr::value(Cell::new(q, i, j), m[(i, j)], output);
        let axis = if per_sample {
            Axis::Samples
        } else {
            Axis::Features
        };
        let (rows, cols) = m.shape();
        let row = |i: usize| (0..cols).map(|j| v(i, j)).collect::<Vec<_>>();
        let layout = match q {
            Quantity::Of(s, _) => s.layout(),
            Quantity::Unnamed(_) => Layout::Matrix,
        };
        match (sample.filter(|_| per_sample), layout) {
            (Some(i), Layout::PerSample) => v(i, 0),
            (Some(i), _) => Expr::Matrix(vec![row(i)], Axis::Features),
            (None, Layout::Scalar) => v(0, 0),
            (None, Layout::PerSample | Layout::PerFeature) => {
                Expr::Column((0..rows).map(|i| v(i, 0)).collect(), axis)
            }
            // W₂'s one column is the one output's weights: the lesson writes it as a column
            // vector. W₁ stays a matrix even with one hidden unit, as Z does.
            (None, Layout::Matrix) if cols == 1 && matches!(q, Quantity::Of(Symbol::W2, _)) => {
                Expr::Column((0..rows).map(|i| v(i, 0)).collect(), axis)
            }
            (None, _) => Expr::Matrix((0..rows).map(row).collect(), axis),
        }
    }

    /// A named node's transpose, its cells keeping their places: Xᵀ reads the draw's own Xᵀ
    /// cells, any other node its own values.
    fn transposed(&self, id: NodeId) -> Option<Expr> {
        let s = self.symbols[id.0]?;
        let m = &self.tape[id].value;
        let cell = |i: usize, j: usize| match s {
            Symbol::X => Cell::new(Quantity::Of(s, Part::Transposed), j, i),
            _ => Cell::new(Quantity::Of(s, Part::Value), i, j),
        };
        Some(Expr::Matrix(
            (0..m.ncols())
                .map(|j| {
                    (0..m.nrows())
                        .map(|i| Expr::value(cell(i, j), m[(i, j)], false))
                        .collect()
                })
                .collect(),
            Axis::Features,
        ))
    }

    /// How a named node is written: `X`, or sample i's row `x⁽ⁱ⁾`.
    fn symbol_latex(&self, s: Symbol, sample: Option<usize>) -> String {
        match (sample, s.layout()) {
            (Some(i), Layout::SamplesByColumns) => {
                format!("{}{}", s.latex().to_lowercase(), sup(i))
            }
            (Some(i), Layout::PerSample) => format!("{}{}", s.latex(), sup(i)),
            _ => s.latex().to_string(),
        }
    }

    /// The one op that uses `id`, and at which input.
    fn consumer(&self, id: NodeId) -> Option<(NodeId, usize)> {
        self.tape.nodes().iter().enumerate().find_map(|(k, n)| {
            let at = n.inputs.iter().position(|&i| i == id)?;
            Some((NodeId(k), at))
        })
    }

    /// The gradient that arrived at `id` in the last backward pass (for a parameter, what its
    /// consumer sent it, without what `.grad` held before).
    fn arrived(&self, id: NodeId) -> Option<&DMatrix<f64>> {
        if self.tape[id].is_leaf() {
            let (c, at) = self.consumer(id)?;
            self.tape[c].sent.get(at)?.as_ref()
        } else {
            self.tape[id].grad.as_ref()
        }
    }
}
