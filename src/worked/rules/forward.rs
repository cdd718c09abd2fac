//! Forward rules: a named node is its op's rule over its inputs, an unnamed input written out
//! through its own rule (`Xw + b`, `½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)²`).

use super::Graph;
use crate::engine::tape::{NodeId, Op};
use crate::math::Role;
use crate::worked::{Cell, Equation, Expr, Func, Join, Part, Quantity, Symbol};

impl Graph<'_> {
    /// A node as an operand: its numbers if it is named, else its op written out.
    pub(super) fn operand(&self, id: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
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
}
