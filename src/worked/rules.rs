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
use super::{Axis, Cell, Equation, Expr, Func, Join, Part, Quantity, Symbol, Term, Value};
use crate::engine::mlp::Activation;
use crate::engine::tape::mlp::Mlp;
use crate::engine::tape::{Layout, Linear, NodeId, Op, Tape};
use crate::lesson::Lang;
use crate::math::Role;

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

    /// The linear tape, its nodes by the lesson's names (δ is the `ŷ − y` node).
    pub fn linear(l: &'a Linear) -> Graph<'a> {
        Graph::new(
            &l.tape,
            &[
                (l.x, Symbol::X),
                (l.y, Symbol::Y),
                (l.w, Symbol::W),
                (l.b, Symbol::B),
                (l.y_hat, Symbol::YHat),
                (l.error, Symbol::Delta),
                (l.losses, Symbol::LossSample),
                (l.loss, Symbol::Loss),
            ],
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
        Graph::new(
            &m.tape,
            &[
                (m.x, Symbol::X),
                (m.y, Symbol::Y),
                (m.w1, Symbol::W1),
                (m.b1, Symbol::B1),
                (m.w2, Symbol::W2),
                (m.b2, Symbol::B2),
                (m.z, Symbol::Z),
                (m.h, Symbol::H),
                (m.y_hat, Symbol::YHat),
                (m.error, Symbol::Delta),
                (m.losses, Symbol::LossSample),
                (m.loss, Symbol::Loss),
            ],
            vec![
                (m.y_hat, upstream(&m.tape, m.loss)),
                (
                    m.z,
                    Named {
                        q: Quantity::Of(Symbol::Z, Part::Grad),
                        latex: r"\delta_1".into(),
                        entry: r"\delta_1#".into(),
                    },
                ),
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

    /// A node as an operand: its numbers if it is named, else its op written out.
    fn operand(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
        // δ is the lesson's name for `ŷ − y`, which the tape records unnamed: inside l it is
        // written out, as the loss is computed before δ is named.
        match self.symbols[id.0].filter(|_| self.tape[id].symbol.is_some()) {
            Some(s) => Some((
                self.lay(
                    Quantity::Of(s, Part::Value),
                    &self.tape[id].value,
                    self.per_sample[id.0],
                    sample,
                    self.output(id),
                ),
                self.symbol_latex(s, sample),
            )),
            None => self.forward_rule(id, sample),
        }
    }

    /// The op's forward rule over its inputs, and its notation.
    fn forward_rule(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
        let node = &self.tape[id];
        let op = node.op?;
        let input = |k: usize| self.operand(*node.inputs.get(k)?, sample);
        Some(match op {
            Op::MatMul => {
                let (a, at) = input(0)?;
                let (b, bt) = input(1)?;
                // One sample's row times a column is one number: the sum of the products,
                // as a board writes x⁽ⁱ⁾w.
                let column = match &b {
                    Expr::Column(items, _) => Some(items.clone()),
                    Expr::Value(_) => Some(vec![b.clone()]),
                    _ => None,
                };
                let expr = match (&a, column) {
                    (Expr::Matrix(rows, _), Some(column))
                        if sample.is_some() && rows.len() == 1 && rows[0].len() == column.len() =>
                    {
                        Expr::Sum(
                            rows[0]
                                .iter()
                                .zip(column)
                                .map(|(x, y)| Expr::product(x.clone(), y, Join::Dot))
                                .collect(),
                        )
                    }
                    _ => Expr::product(a, b, Join::Juxtapose),
                };
                // Xw, but x⁽ⁱ⁾ w: a symbol's letters run on, a superscript is spaced off.
                let gap = if at.ends_with(|c: char| c.is_ascii_alphabetic()) {
                    ""
                } else {
                    " "
                };
                (expr, format!("{at}{gap}{bt}"))
            }
            Op::Add => {
                let (a, at) = input(0)?;
                let (b, bt) = input(1)?;
                let mut terms = match a {
                    Expr::Sum(t) if self.symbols[node.inputs[0].0].is_none() => t,
                    a => vec![a],
                };
                terms.push(b);
                (Expr::Sum(terms), format!("{at} + {bt}"))
            }
            Op::Sub => {
                let (a, at) = input(0)?;
                let (b, bt) = input(1)?;
                (Expr::difference(a, b), format!("{at} - {bt}"))
            }
            // (r ** 2) / 2 is the lesson's ½r².
            Op::DivScalar(2.0) => {
                let square = *node.inputs.first()?;
                if self.tape[square].op != Some(Op::Square) {
                    return None;
                }
                let (r, rt) = self.operand(*self.tape[square].inputs.first()?, sample)?;
                (Expr::half_square(r), format!(r"\frac{{1}}{{2}} ({rt})^2"))
            }
            Op::Sum | Op::Mean => {
                let a = *node.inputs.first()?;
                let s = self.symbols[a.0]?;
                let m = &self.tape[a].value;
                let q = Quantity::Of(s, Part::Value);
                let out = self.output(a);
                let sum = Expr::Sum(
                    (0..m.nrows())
                        .flat_map(|i| (0..m.ncols()).map(move |j| (i, j)))
                        .map(|(i, j)| Expr::value(Cell::new(q, i, j), m[(i, j)], out))
                        .collect(),
                );
                let sum_latex = format!(r"\sum_{{i=1}}^{{N}} {}^{{(i)}}", s.latex());
                if op == Op::Mean {
                    let n = Expr::exact(m.len() as f64, Some(Role::N));
                    (
                        Expr::product(Expr::quotient(Expr::exact(1.0, None), n), sum, Join::Dot),
                        format!(r"\frac{{1}}{{N}} {sum_latex}"),
                    )
                } else {
                    (sum, sum_latex)
                }
            }
            Op::Relu | Op::Tanh | Op::Sigmoid => {
                let (a, at) = input(0)?;
                (
                    Expr::apply(Func::Sigma(self.activation?), a),
                    format!(r"\sigma({at})"),
                )
            }
            Op::Square | Op::DivScalar(_) | Op::Transpose | Op::Mul => return None,
        })
    }

    /// `name = its rule = the rule's numbers = its value`, for the node `name` names (one
    /// sample's row with `sample`). `None` when the tape has no such node or its rule is not
    /// one the lesson writes.
    pub fn forward(&self, name: Symbol, sample: Option<usize>, p: usize) -> Option<Equation> {
        let id = self.node(name)?;
        let (expr, latex) = self.forward_rule(id, sample)?;
        let result = self.lay(
            Quantity::Of(name, Part::Value),
            &self.tape[id].value,
            self.per_sample[id.0],
            sample,
            true,
        );
        Some(Equation::new(
            vec![
                Expr::notation(self.symbol_latex(name, sample)),
                Expr::notation(latex),
                expr,
                result,
            ],
            p,
        ))
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

    /// A named gradient as its numbers.
    fn named_grad(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
        let n = self.grads[id.0].as_ref()?;
        let latex = match sample.filter(|_| self.per_sample[id.0]) {
            Some(i) => n.at(&sup(i)),
            None => n.latex.clone(),
        };
        Some((
            self.lay(n.q, self.arrived(id)?, self.per_sample[id.0], sample, false),
            latex,
        ))
    }

    /// The gradient arriving at `id`: its numbers where the lesson names it, else the backward
    /// rule of the op that consumed it.
    fn grad_operand(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
        self.named_grad(id, sample)
            .or_else(|| self.backward_rule(id, sample).map(|(e, l, _)| (e, l)))
    }

    /// ∂L/∂`id` by the backward rule of its consumer, with the terms a sum of it adds up.
    fn backward_rule(
        &self,
        id: NodeId,
        sample: Option<usize>,
    ) -> Option<(Expr, String, Vec<Term>)> {
        let (c, at) = self.consumer(id)?;
        let consumer = &self.tape[c];
        let op = consumer.op?;
        let (g, gt) = self.grad_operand(c, sample)?;
        match (op, at) {
            // A matrix product sends the left input g·bᵀ and the right one aᵀ·g.
            (Op::MatMul, 0) => {
                let b = consumer.inputs[1];
                let bt = self.symbol_latex(self.symbols[b.0]?, None);
                let expr = Expr::product(g, self.transposed(b)?, Join::Juxtapose);
                Some((expr, format!("{gt} {bt}^T"), Vec::new()))
            }
            (Op::MatMul, _) => {
                let a = consumer.inputs[0];
                let s = self.symbols[a.0]?;
                let terms = self.product_terms(id, a, c);
                let expr = Expr::product(self.transposed(a)?, g, Join::Juxtapose);
                Some((expr, format!("{}^T {gt}", s.latex()), terms))
            }
            // An addition passes g on; to an input it broadcast over the samples, summed.
            (Op::Add, _) if self.tape[id].value.shape() == consumer.value.shape() => {
                Some((g, gt, Vec::new()))
            }
            (Op::Add, _) => {
                let rows = self.rows_of(c)?;
                let terms = match rows.first() {
                    Some(Expr::Value(_)) => rows
                        .iter()
                        .filter_map(|e| match e {
                            Expr::Value(v) => Some(Term {
                                value: *v,
                                of: vec![v.cell],
                            }),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let entry = self.grads[c.0].as_ref()?.at("^{(i)}");
                Some((Expr::Sum(rows), format!(r"\sum {entry}"), terms))
            }
            // An activation multiplies g by its slope, entry by entry.
            (Op::Relu | Op::Tanh | Op::Sigmoid, _) => {
                let (slope, st) = match sample {
                    Some(i) => self.slope_values(c, i, false)?,
                    None => self.slope_rule(c, None)?,
                };
                Some((
                    Expr::product(g, slope, Join::Hadamard),
                    format!(r"({gt}) \odot {st}"),
                    Vec::new(),
                ))
            }
            _ => None,
        }
    }

    /// The rows of the named gradient arriving at `id`, one per sample.
    fn rows_of(&self, id: NodeId) -> Option<Vec<Expr>> {
        let n = self.grads[id.0].as_ref()?;
        let m = self.arrived(id)?;
        Some(
            (0..m.nrows())
                .map(|i| self.lay(n.q, m, true, Some(i), false))
                .collect(),
        )
    }

    /// The terms g⁽ⁱ⁾aⱼ⁽ⁱ⁾ that aᵀg adds up for the parameter `id`, named as the lesson names
    /// them (δ⁽ⁱ⁾xⱼ⁽ⁱ⁾ for ∂L/∂w, the one gradient whose terms have a name of their own).
    fn product_terms(&self, id: NodeId, a: NodeId, product: NodeId) -> Vec<Term> {
        let (Some(target), Some(Symbol::X), Some(g)) = (
            self.symbols[id.0],
            self.symbols[a.0],
            self.grads[product.0].as_ref().or_else(|| {
                let (c, _) = self.consumer(product)?;
                self.grads[c.0]
                    .as_ref()
                    .filter(|_| self.tape[c].value.shape() == self.tape[product].value.shape())
            }),
        ) else {
            return Vec::new();
        };
        if g.q != Quantity::Of(Symbol::Delta, Part::Value) {
            return Vec::new();
        }
        let (x, Some(arrived)) = (&self.tape[a].value, self.tape[product].grad.as_ref()) else {
            return Vec::new();
        };
        (0..x.nrows())
            .flat_map(|i| (0..x.ncols()).map(move |j| (i, j)))
            .map(|(i, j)| Term {
                value: Value::new(
                    Cell::new(Quantity::Of(target, Part::Terms), i, j),
                    arrived[(i, 0)] * x[(i, j)],
                    false,
                ),
                of: vec![
                    Cell::new(g.q, i, 0),
                    Cell::new(Quantity::Of(Symbol::X, Part::Value), i, j),
                ],
            })
            .collect()
    }

    /// ∂L/∂`name` = its consumer's rule = the rule's numbers = the gradient, for a node whose
    /// gradient the lesson names (sample i's row of it with `sample`).
    pub fn backward(&self, name: Symbol, sample: Option<usize>, p: usize) -> Option<Equation> {
        let id = self.node(name)?;
        let n = self.grads[id.0].as_ref()?;
        let (expr, latex, terms) = self.backward_rule(id, sample)?;
        let sample = sample.filter(|_| self.per_sample[id.0]);
        let lhs = match sample {
            Some(i) => n.at(&sup(i)),
            None => n.latex.clone(),
        };
        let result = self.lay(n.q, self.arrived(id)?, self.per_sample[id.0], sample, true);
        Some(
            Equation::new(
                vec![Expr::notation(lhs), Expr::notation(latex), expr, result],
                p,
            )
            .summing(terms),
        )
    }

    /// The running sum of ∂L/∂`name` after sample `i`, as the lesson accumulates it: the
    /// backward rule of the op that consumed the parameter taken one sample at a time (aᵀg adds
    /// g⁽ⁱ⁾a⁽ⁱ⁾ᵀ, a broadcast sum adds g⁽ⁱ⁾), headed `lhs`. The partial sums add in the order the
    /// full rule does, so the last one is the gradient to the bit.
    pub fn running(&self, name: Symbol, i: usize, lhs: String, p: usize) -> Option<Equation> {
        let id = self.node(name)?;
        let n = self.grads[id.0].as_ref()?;
        let (c, at) = self.consumer(id)?;
        let consumer = &self.tape[c];
        let upto = format!("_{{j=1}}^{{{}}}", i + 1);
        // What the consumer's own gradient is, one sample's row at a time.
        let (g, _) = self.grad_operand(c, Some(i))?;
        let g_all = self.grad_matrix(c)?;
        let partial = |k: usize| -> DMatrix<f64> {
            match (consumer.op, at) {
                (Some(Op::MatMul), 1) => {
                    let a = &self.tape[consumer.inputs[0]].value;
                    DMatrix::from_fn(a.ncols(), g_all.ncols(), |r, col| {
                        let mut s = 0.0;
                        for row in 0..=k {
                            s += a[(row, r)] * g_all[(row, col)];
                        }
                        s
                    })
                }
                _ => {
                    let mut out = DMatrix::zeros(1, g_all.ncols());
                    for row in 0..=k {
                        for col in 0..g_all.ncols() {
                            out[(0, col)] += g_all[(row, col)];
                        }
                    }
                    out
                }
            }
        };
        let entry = self.named_entry(c)?;
        let (added, rule, terms) = match (consumer.op?, at) {
            (Op::MatMul, 1) => {
                let a = consumer.inputs[0];
                let s = self.symbols[a.0]?;
                let row = format!("{}^{{(j)T}}", s.latex().to_lowercase());
                // Row i of a, stood up as a column; for X, column i of Xᵀ.
                let m = &self.tape[a].value;
                let column = Expr::Column(
                    (0..m.ncols())
                        .map(|j| {
                            let cell = match s {
                                Symbol::X => Cell::new(Quantity::Of(s, Part::Transposed), j, i),
                                _ => Cell::new(Quantity::Of(s, Part::Value), i, j),
                            };
                            Expr::value(cell, m[(i, j)], false)
                        })
                        .collect(),
                    Axis::Features,
                );
                let terms = self
                    .product_terms(id, a, c)
                    .into_iter()
                    .filter(|t| t.value.cell.row == i)
                    .collect();
                // A number times a column is written number first (δ⁽ⁱ⁾x⁽ⁱ⁾ᵀ); a column times
                // a row is the outer product x⁽ⁱ⁾ᵀδ₁⁽ⁱ⁾.
                match g {
                    Expr::Value(_) => (
                        Expr::product(g, column, Join::Juxtapose),
                        format!(r"\sum{upto} {entry} {row}"),
                        terms,
                    ),
                    _ => (
                        Expr::product(column, g, Join::Juxtapose),
                        format!(r"\sum{upto} {row} {entry}"),
                        terms,
                    ),
                }
            }
            (Op::Add, _) => (g, format!(r"\sum{upto} {entry}"), Vec::new()),
            _ => return None,
        };
        let layout = |m: &DMatrix<f64>, output: bool| {
            // A bias's sum is a row (b₁) or one number (b, b₂), as the parameter is.
            let m = if m.shape() == self.tape[id].value.shape() {
                m.clone()
            } else {
                m.transpose()
            };
            self.lay(n.q, &m, false, None, output)
        };
        let prev = match i.checked_sub(1) {
            // Before the first sample the running sums are the zeroed gradients.
            None => Expr::exact(0.0, None),
            Some(h) => layout(&partial(h), false),
        };
        Some(
            Equation::new(
                vec![
                    Expr::notation(lhs),
                    Expr::notation(rule),
                    Expr::Sum(vec![prev, added]),
                    layout(&partial(i), true),
                ],
                p,
            )
            .summing(terms),
        )
    }

    /// The gradient that arrived at `id`, as a matrix: its own, or the one it passed on
    /// unchanged (`X @ w` has ŷ's).
    fn grad_matrix(&self, id: NodeId) -> Option<&DMatrix<f64>> {
        self.tape[id].grad.as_ref()
    }

    /// How one sample's entry of the gradient arriving at `id` is written, `(j)` its index:
    /// its own name's, or that of the named gradient it passes on unchanged.
    fn named_entry(&self, id: NodeId) -> Option<String> {
        match self.grads[id.0].as_ref() {
            Some(n) => Some(n.at("^{(j)}")),
            None => {
                let (c, _) = self.consumer(id)?;
                let same = self.tape[c].value.shape() == self.tape[id].value.shape();
                same.then(|| self.named_entry(c)).flatten()
            }
        }
    }

    /// What arrives at ŷ under a mean: δ/N, the mean's backward rule (1/N for each l⁽ⁱ⁾)
    /// carried through ½(ŷ − y)², whose own rule leaves ŷ − y. `None` when it is δ itself.
    pub fn mean_upstream(&self, p: usize) -> Option<Equation> {
        let id = self.node(Symbol::YHat)?;
        let n = self.grads[id.0].as_ref()?;
        if n.q == Quantity::Of(Symbol::Delta, Part::Value) {
            return None;
        }
        let delta = self.node(Symbol::Delta)?;
        let d = &self.tape[delta].value;
        Some(Equation::new(
            vec![
                Expr::notation(n.latex.clone()),
                Expr::quotient(
                    self.lay(
                        Quantity::Of(Symbol::Delta, Part::Value),
                        d,
                        true,
                        None,
                        false,
                    ),
                    Expr::exact(d.nrows() as f64, Some(Role::N)),
                ),
                self.lay(n.q, self.arrived(id)?, true, None, true),
            ],
            p,
        ))
    }

    /// The activation's slope σ′ as its own numbers (H's slope cells) for sample i's row,
    /// and how it is written.
    fn slope_values(&self, act: NodeId, i: usize, output: bool) -> Option<(Expr, String)> {
        let z = self.tape[act].inputs.first()?;
        let (a, zv, hv) = (
            self.activation?,
            &self.tape[*z].value,
            &self.tape[act].value,
        );
        let s = DMatrix::from_fn(zv.nrows(), zv.ncols(), |r, c| {
            a.slope(zv[(r, c)], hv[(r, c)])
        });
        let h = self.symbols[act.0]?;
        let zs = self.symbols[z.0]?;
        Some((
            self.lay(Quantity::Of(h, Part::Slope), &s, true, Some(i), output),
            format!(r"\sigma'({})", self.symbol_latex(zs, Some(i))),
        ))
    }

    /// The activation's slope written out as a board writes it, from the printed z or h:
    /// relu′(z), 1 − h ⊙ h, or (1 − h) ⊙ h (sample i's row with `sample`).
    fn slope_rule(&self, act: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
        let z = *self.tape[act].inputs.first()?;
        let (h, zs) = (self.symbols[act.0]?, self.symbols[z.0]?);
        let of = |id: NodeId, s: Symbol| {
            self.lay(
                Quantity::Of(s, Part::Value),
                &self.tape[id].value,
                true,
                sample,
                false,
            )
        };
        let (ht, zt) = (self.symbol_latex(h, sample), self.symbol_latex(zs, sample));
        let one = || Expr::exact(1.0, None);
        Some(match self.activation? {
            Activation::Relu => (
                Expr::apply(Func::ReluSlope, of(z, zs)),
                format!(r"\text{{relu'}}({zt})"),
            ),
            Activation::Tanh => (
                Expr::difference(one(), Expr::product(of(act, h), of(act, h), Join::Hadamard)),
                format!(r"(1 - {ht} \odot {ht})"),
            ),
            Activation::Sigmoid => (
                Expr::product(
                    Expr::difference(one(), of(act, h)),
                    of(act, h),
                    Join::Hadamard,
                ),
                format!(r"((1 - {ht}) \odot {ht})"),
            ),
        })
    }

    /// σ′(z⁽ⁱ⁾) = its rule = the rule's numbers = the slopes, for sample i.
    pub fn slope(&self, sample: usize, p: usize) -> Option<Equation> {
        let act = self.node(Symbol::H)?;
        let (worked, rule) = self.slope_rule(act, Some(sample))?;
        let (result, name) = self.slope_values(act, sample, true)?;
        // A single factor needs no parentheses around it on its own line.
        let rule = rule
            .strip_prefix('(')
            .and_then(|r| r.strip_suffix(')'))
            .map_or(rule.clone(), str::to_string);
        Some(Equation::new(
            vec![Expr::notation(name), Expr::notation(rule), worked, result],
            p,
        ))
    }
}
