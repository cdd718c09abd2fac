//! An activation's local derivative σ′, as a board writes it and as numbers of its own.

use nalgebra::DMatrix;

use super::Graph;
use crate::engine::mlp::Activation;
use crate::engine::tape::NodeId;
use crate::worked::{Equation, Expr, Func, Join, Part, Quantity, Symbol};

impl Graph<'_> {
    /// The activation's slope σ′ as its own numbers (H's slope cells) for sample i's row,
    /// and how it is written.
    pub(super) fn slope_values(
        &self,
        act: NodeId,
        i: usize,
        output: bool,
    ) -> Option<(Expr, String)> {
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
    pub(super) fn slope_rule(&self, act: NodeId, sample: Option<usize>) -> Option<(Expr, String)> {
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
