//! What the current step has computed so far, and which values it reads and writes: the single
//! source for the matrix panel's not-yet cells and highlights, read off the ledgers of the
//! batch's steps (see [`crate::worked::ledger`]).

use std::collections::HashMap;

use crate::engine::{Batch, Step};
use crate::worked::Cell;
use crate::worked::ledger::{self, Known, Ledger};

use super::theme::Mark;

/// The matrices of the panel, in the lesson's names: the worked formulas' own cells.
pub use crate::worked::Quantity as Id;

/// The current step's ledger, what is known by it, and each matrix's strongest mark: worked out
/// once when the place changes, so that drawing only looks them up. The ledgers of the batch's
/// steps are built once per batch (each builds its step's equations), not once per key.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// The batch and steps the ledgers were built for.
    of: Option<(Batch, Vec<Step>)>,
    ledgers: Vec<Ledger>,
    /// The step the tally is at, an index into the steps.
    now: usize,
    ledger: Ledger,
    known: Known,
    labels: HashMap<Id, Mark>,
}

impl Tally {
    /// The tally of step `now` of `steps`, the steps of `batch`.
    pub fn new(batch: &Batch, steps: &[Step], now: usize) -> Tally {
        let mut tally = Tally::default();
        tally.sync(batch, steps, now);
        tally
    }

    /// Brings the tally to step `now` of `steps` over `batch`, rebuilding the ledgers only when
    /// the batch or its steps changed.
    pub fn sync(&mut self, batch: &Batch, steps: &[Step], now: usize) {
        let same = self
            .of
            .as_ref()
            .is_some_and(|(b, s)| b == batch && s.as_slice() == steps);
        if !same {
            self.ledgers = Ledger::of_steps(steps, batch);
            self.of = Some((batch.clone(), steps.to_vec()));
        }
        self.known = ledger::known(&self.ledgers, now);
        self.now = now;
        self.ledger = self.ledgers.get(now).cloned().unwrap_or_default();
        self.labels.clear();
        for c in &self.ledger.read {
            self.labels.insert(c.q, Mark::Read);
        }
        for c in &self.ledger.written {
            self.labels.insert(c.q, Mark::Written);
        }
    }
}

impl Tally {
    /// The batch's steps, their ledgers, and the index of the current one.
    pub fn steps(&self) -> (&[Step], &[Ledger], usize) {
        let steps = self.of.as_ref().map_or(&[][..], |(_, s)| s.as_slice());
        (steps, &self.ledgers, self.now)
    }
}

/// The current step over the current batch.
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    pub batch: &'a Batch,
    pub step: Step,
    /// The forward pass and the accumulation went one sample at a time.
    pub by_sample: bool,
    /// What the step writes, reads and knows.
    pub tally: &'a Tally,
}

impl Progress<'_> {
    /// The value shown at (r, c), or None while the step has not computed it yet.
    pub fn value(&self, id: Id, r: usize, c: usize) -> Option<f64> {
        self.tally.known.get(&id)?.get(&(r, c)).copied()
    }

    /// Whether the step computes (r, c), reads it, or leaves it alone.
    pub fn mark(&self, id: Id, r: usize, c: usize) -> Mark {
        let cell = Cell::new(id, r, c);
        if self.tally.ledger.written.contains(&cell) {
            Mark::Written
        } else if self.tally.ledger.read.contains(&cell) {
            Mark::Read
        } else {
            Mark::Plain
        }
    }

    /// The strongest mark of any cell of the matrix, for its label.
    pub fn label_mark(&self, id: Id) -> Mark {
        self.tally.labels.get(&id).copied().unwrap_or(Mark::Plain)
    }
}
