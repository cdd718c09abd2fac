//! What the current step has computed so far, and which values it reads and writes: the single
//! source for the matrix panel's not-yet cells and highlights.

use crate::engine::{Batch, Step};

use super::theme::Mark;

/// The matrices of the panel, in the lesson's names: the worked formulas' own cells.
pub use crate::worked::Quantity as Id;

/// The current step over the current batch.
#[derive(Clone, Copy)]
pub struct Progress<'a> {
    pub batch: &'a Batch,
    pub step: Step,
    /// The forward pass and the accumulation went one sample at a time.
    pub by_sample: bool,
}

impl Progress<'_> {
    /// The value shown at (r, c), or None while the step has not computed it yet.
    pub fn value(&self, id: Id, r: usize, c: usize) -> Option<f64> {
        let b = self.batch;
        let k = self.step.order();
        let sample = self.step.sample();
        let known = match id {
            Id::X | Id::XT | Id::W | Id::B | Id::Y => true,
            Id::YHat => k >= 2 || (k == 1 && sample.is_some_and(|i| r <= i)),
            Id::LossSample | Id::Loss => k >= 3,
            Id::Delta => k >= 4,
            Id::GradW => k >= 5,
            Id::GradB => k >= 7 || k == 5 || (k == 6 && self.by_sample),
            Id::WNew | Id::BNew => k >= 8,
            Id::Contribution => k >= 6 || (k == 5 && sample.is_some_and(|i| r <= i)),
            Id::EpochLoss => k >= 9,
            // Tape nodes and the two-layer quantities live in no linear batch (see `two_layer`).
            Id::Node(_) | crate::worked::two_layer!() => false,
        };
        if !known {
            return None;
        }
        let last = b.rows().checked_sub(1);
        match id {
            Id::X => b.x.get((r, c)).copied(),
            Id::XT => b.x.get((c, r)).copied(),
            Id::W => b.w.get(r).copied(),
            Id::B => Some(b.b),
            Id::Y => b.y.get(r).copied(),
            Id::YHat => b.y_hat.get(r).copied(),
            Id::LossSample => b.losses.get(r).copied(),
            Id::Loss => Some(crate::engine::tape::root_value(b)),
            Id::Delta => b.delta.get(r).copied(),
            // During the accumulation the gradient is the running sum so far.
            Id::GradW if k == 5 => sample.and_then(|i| b.acc_w.get(i)?.get(r).copied()),
            Id::GradW => b.grad_w.get(r).copied(),
            Id::GradB if k == 5 => sample.and_then(|i| b.acc_b.get(i).copied()),
            Id::GradB if k == 6 => last.and_then(|i| b.acc_b.get(i).copied()),
            Id::GradB => Some(b.grad_b),
            Id::WNew => b.w_next.get(r).copied(),
            Id::BNew => Some(b.b_next),
            Id::Contribution => (r < b.rows() && c < b.x.ncols()).then(|| b.contribution(r, c)),
            Id::EpochLoss => b.epoch_loss,
            Id::Node(_) | crate::worked::two_layer!() => None,
        }
    }

    /// Whether the step computes (r, c), reads it, or leaves it alone.
    pub fn mark(&self, id: Id, r: usize, c: usize) -> Mark {
        use Id::*;
        use Mark::{Plain, Read, Written};
        match self.step {
            Step::Draw => match id {
                X | XT | Y => Written,
                _ => Plain,
            },
            Step::ForwardSample { sample } => match id {
                YHat if r == sample => Written,
                X if r == sample => Read,
                W | B => Read,
                _ => Plain,
            },
            Step::Forward => match id {
                YHat => Written,
                X | W | B => Read,
                _ => Plain,
            },
            Step::Loss => match id {
                LossSample | Loss => Written,
                YHat | Y => Read,
                _ => Plain,
            },
            Step::Errors => match id {
                Delta => Written,
                YHat | Y => Read,
                _ => Plain,
            },
            Step::Accumulate { sample } => match id {
                GradW | GradB => Written,
                XT if c == sample => Read,
                Delta if r == sample => Read,
                _ => Plain,
            },
            Step::GradW => match id {
                GradW => Written,
                XT | Delta => Read,
                _ => Plain,
            },
            Step::GradB => match id {
                GradB => Written,
                Delta => Read,
                _ => Plain,
            },
            Step::Update => match id {
                WNew | BNew => Written,
                W | B | GradW | GradB => Read,
                _ => Plain,
            },
            Step::EpochSummary => match id {
                WNew | BNew => Read,
                _ => Plain,
            },
        }
    }

    /// The strongest mark of any cell of the matrix, for its label.
    pub fn label_mark(&self, id: Id) -> Mark {
        let (rows, cols) = id.shape(self.batch);
        let (fr, fc) = id.focus(self.step);
        // Marks are uniform except on the focused row or column, so probing those suffices.
        let probes = [
            (fr.unwrap_or(0), fc.unwrap_or(0)),
            (0, 0),
            (rows.saturating_sub(1), cols.saturating_sub(1)),
        ];
        let mut best = Mark::Plain;
        for (r, c) in probes {
            match self.mark(id, r, c) {
                Mark::Written => return Mark::Written,
                Mark::Read => best = Mark::Read,
                Mark::Plain => {}
            }
        }
        best
    }
}
