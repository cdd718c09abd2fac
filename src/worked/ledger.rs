//! What each step writes and reads, from its own worked equations: a value the step computes
//! (an output) is written, every other value it shows is read. What a matrix holds at each
//! step follows from the ledgers of a batch's steps, for either model.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Cell, Equation, Quantity, steps};
use crate::engine::{Batch, Step};
use crate::lesson::Lang;

/// The cells one step writes and reads, and the values of all it touches.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ledger {
    pub written: HashSet<Cell>,
    pub read: HashSet<Cell>,
    /// Computed on the way to what is written (a gradient's terms): neither written nor read.
    pub terms: HashSet<Cell>,
    /// The value of each cell above; a cell both read and written has the value it is left with.
    pub values: HashMap<Cell, f64>,
}

/// Every cell known at some step, by quantity and then (row, column), in order.
pub type Known = HashMap<Quantity, BTreeMap<(usize, usize), f64>>;

impl Ledger {
    /// The ledger of `step` over `batch`.
    pub fn of(step: Step, batch: &Batch) -> Ledger {
        // Precision and language change how the numbers print, not which cells appear.
        Ledger::from_equations(&steps::every(step, batch, 0, Lang::En))
    }

    /// The ledger of each of `steps` over `batch`, the batch's tape recorded once.
    pub fn of_steps(steps: &[Step], batch: &Batch) -> Vec<Ledger> {
        steps::every_step(steps, batch, 0, Lang::En)
            .iter()
            .map(|eqs| Ledger::from_equations(eqs))
            .collect()
    }

    /// The ledger of a step with `equations` (all of them, not the screen's selection): outputs written, the rest read (a cell both
    /// shown as an operand and computed counts as written), printed or not.
    pub fn from_equations(equations: &[Equation]) -> Ledger {
        let mut ledger = Ledger::default();
        for eq in equations {
            for v in eq.values().into_iter().chain(&eq.unprinted) {
                if v.output {
                    ledger.written.insert(v.cell);
                    ledger.values.insert(v.cell, v.value);
                } else {
                    ledger.read.insert(v.cell);
                    ledger.values.entry(v.cell).or_insert(v.value);
                }
            }
            // A term that is a number of the sum itself (∂L/∂b's δ⁽ⁱ⁾) is read, not computed.
            let printed: HashSet<Cell> = eq.values().iter().map(|v| v.cell).collect();
            for t in eq.terms.iter().filter(|t| !printed.contains(&t.value.cell)) {
                ledger.terms.insert(t.value.cell);
                ledger.values.insert(t.value.cell, t.value.value);
            }
        }
        let written = ledger.written.clone();
        ledger.read.retain(|c| !written.contains(c));
        ledger
    }

    /// Whether the step computes `cell`, as a result or on the way to one.
    fn computes(&self, cell: &Cell) -> bool {
        self.written.contains(cell) || self.terms.contains(cell)
    }
}

/// What is known at step `now` of a batch whose steps have `ledgers`: the values no step
/// computes (the data and the parameters), and every cell this or an earlier step computed, a
/// running sum at its latest value.
pub fn known(ledgers: &[Ledger], now: usize) -> Known {
    let computed: HashSet<Quantity> = ledgers
        .iter()
        .flat_map(|l| l.written.iter().chain(&l.terms))
        .map(|c| c.q)
        .collect();
    let mut known = Known::new();
    for (k, ledger) in ledgers.iter().enumerate() {
        for (cell, &v) in &ledger.values {
            let given = !computed.contains(&cell.q);
            if given || (k <= now && ledger.computes(cell)) {
                known
                    .entry(cell.q)
                    .or_default()
                    .insert((cell.row, cell.col), v);
            }
        }
    }
    known
}
