//! Predict, then reveal: the quiz shows a step's outputs as `?` while its inputs stay visible,
//! until Enter. A number once revealed stays revealed: stepping back to it, or meeting it again
//! in the whole-batch step (ŷ⁽¹⁾…ŷ⁽³⁾ revealed one by one, then ŷ), shows it.

use std::collections::HashSet;

use crate::worked::{Cell, Equation, Value};

#[derive(Clone, Debug, Default)]
pub struct Quiz {
    pub on: bool,
    /// Which entry of a vector result a class is asked to predict (`e` moves it on; under
    /// `serve` the teacher's choice is every student's).
    pub entry: usize,
    /// Revealed numbers: the batch (global index), the cell, and the value's bits (a running sum
    /// is the same cell with a new value at every sample).
    revealed: HashSet<(usize, Cell, u64)>,
}

impl Quiz {
    pub fn new(on: bool) -> Quiz {
        Quiz {
            on,
            entry: 0,
            revealed: HashSet::new(),
        }
    }

    /// Whether the number at `cell` with `value` in batch `global` has been revealed.
    pub fn revealed(&self, global: usize, cell: Cell, value: f64) -> bool {
        self.revealed.contains(&(global, cell, value.to_bits()))
    }

    /// Whether the quiz hides `v`: an output of the step, not revealed yet.
    pub fn hides(&self, global: usize, v: &Value) -> bool {
        self.on && v.output && !self.revealed(global, v.cell, v.value)
    }

    /// Hides the outputs of `equations` that are not revealed yet, wherever in the step they
    /// appear: a two-layer step reads what its first equation wrote (z⁽ⁱ⁾, then σ(z⁽ⁱ⁾)), and
    /// that must not give the answer away.
    pub fn hide(&self, global: usize, equations: &mut [Equation]) {
        let asked: HashSet<(Cell, u64)> = equations
            .iter()
            .flat_map(Equation::values)
            .filter(|v| self.hides(global, v))
            .map(|v| (v.cell, v.value.to_bits()))
            .collect();
        for eq in equations {
            eq.hide(|v| asked.contains(&(v.cell, v.value.to_bits())));
        }
    }

    /// Reveals every output of `equations` (hidden or not).
    pub fn reveal(&mut self, global: usize, equations: &[Equation]) {
        for v in equations.iter().flat_map(Equation::values) {
            if v.output {
                self.revealed.insert((global, v.cell, v.value.to_bits()));
            }
        }
    }
}

/// What the quiz asks of a step: its `entry`-th output (counted round), one per cell in
/// reading order, so a class predicts z⁽ⁱ⁾'s units, then h⁽ⁱ⁾'s, then ŷ⁽ⁱ⁾.
pub fn asked(equations: &[Equation], entry: usize) -> Option<Value> {
    let mut outputs: Vec<Value> = Vec::new();
    for v in equations.iter().flat_map(Equation::results) {
        if v.output && !outputs.iter().any(|o| o.cell == v.cell) {
            outputs.push(*v);
        }
    }
    outputs.get(entry % outputs.len().max(1)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worked::{Expr, Part, Quantity, Symbol};

    fn y_hat(i: usize, v: f64) -> Equation {
        Equation::new(
            vec![
                Expr::notation(r"\hat{y}"),
                Expr::value(
                    Cell::new(Quantity::Of(Symbol::X, Part::Value), i, 0),
                    2.0,
                    false,
                ),
                Expr::value(
                    Cell::new(Quantity::Of(Symbol::YHat, Part::Value), i, 0),
                    v,
                    true,
                ),
            ],
            3,
        )
    }

    #[test]
    fn outputs_hide_until_revealed_and_stay_revealed() {
        let mut quiz = Quiz::new(true);
        let mut eqs = vec![y_hat(0, 2.0)];
        quiz.hide(7, &mut eqs);
        let hidden: Vec<bool> = eqs[0].values().iter().map(|v| v.hidden).collect();
        assert_eq!(
            hidden,
            [false, true],
            "the input shows, the output does not"
        );
        quiz.reveal(7, &eqs);
        let mut again = vec![y_hat(0, 2.0), y_hat(1, 3.0)];
        quiz.hide(7, &mut again);
        assert!(!again[0].hides_any(), "ŷ⁽¹⁾ stays revealed");
        assert!(again[1].hides_any(), "ŷ⁽²⁾ was never revealed");
        let mut other_batch = vec![y_hat(0, 2.0)];
        quiz.hide(8, &mut other_batch);
        assert!(other_batch[0].hides_any(), "another batch starts hidden");
    }

    #[test]
    fn a_new_value_in_the_same_cell_is_hidden_again() {
        let mut quiz = Quiz::new(true);
        quiz.reveal(0, &[y_hat(0, 2.0)]);
        let mut eqs = vec![y_hat(0, 2.5)];
        quiz.hide(0, &mut eqs);
        assert!(eqs[0].hides_any());
    }
}
