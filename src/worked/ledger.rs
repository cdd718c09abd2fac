//! What each step writes and reads, from its own worked equations: a value the step computes
//! (an output) is written, every other value it shows is read.

use std::collections::HashSet;

use super::{Cell, steps};
use crate::engine::{Batch, Step};
use crate::lesson::Lang;

/// The cells one step writes and reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    pub written: HashSet<Cell>,
    pub read: HashSet<Cell>,
}

impl Ledger {
    /// The ledger of `step` over `batch`: the values of its equations, outputs written, the
    /// rest read (a cell both shown as an operand and computed counts as written).
    pub fn of(step: Step, batch: &Batch) -> Ledger {
        let mut ledger = Ledger::default();
        // Precision and language change how the numbers print, not which cells appear.
        for eq in steps::equations(step, batch, 0, Lang::En) {
            for v in eq.values() {
                if v.output {
                    ledger.written.insert(v.cell);
                } else {
                    ledger.read.insert(v.cell);
                }
            }
        }
        let written = ledger.written.clone();
        ledger.read.retain(|c| !written.contains(c));
        ledger
    }
}
