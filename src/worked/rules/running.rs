//! The running sums of the accumulation: a parameter's backward rule taken one sample at a time.

use nalgebra::DMatrix;

use super::Graph;
use crate::engine::tape::{NodeId, Op};
use crate::worked::{Axis, Cell, Equation, Expr, Join, Part, Quantity, Symbol};

impl Graph<'_> {
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
        let g_all = self.tape[c].grad.as_ref()?;
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
}
