//! Backward rules: a gradient is the rule of the op that consumed the node, applied to what
//! arrived there, written out through gradients the lesson does not name.

use super::Graph;
use crate::engine::tape::{NodeId, Op};
use crate::math::Role;
use crate::worked::cells::sup;
use crate::worked::{Cell, Equation, Expr, Join, Part, Quantity, Symbol, Term, Value};

impl Graph<'_> {
    /// A named gradient as its numbers.
    pub(super) fn named_grad(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
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
    pub(super) fn grad_operand(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
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
    pub(super) fn product_terms(&self, id: NodeId, a: NodeId, product: NodeId) -> Vec<Term> {
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
}
