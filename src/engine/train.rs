//! Training without a screen: the same updates as the step machine, as fast as they go, keeping
//! nothing per batch (any length of run takes the same memory).

use super::batch::{self, BatchPos, Scratch};
use super::config::{Hyper, Params};
use super::schedule::{Change, Schedule};
use super::session::{InvalidRun, validate};
use crate::data::Dataset;

/// The mean loss over the whole data set after an epoch, as d2l prints it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    pub loss: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TrainReport {
    pub epochs: Vec<EpochReport>,
    pub params: Params,
    /// Updates carried out (including the one that diverged, if any).
    pub batches: usize,
    /// The first batch whose values overflowed; training stops there.
    pub diverged_at: Option<BatchPos>,
}

/// Runs every epoch of mini-batch SGD from `init`.
pub fn train(data: &Dataset, hyper: &Hyper, init: Params) -> Result<TrainReport, InvalidRun> {
    train_with(data, hyper, init, &[])
}

/// [`train`] with learning-rate and batch-size changes along the way.
pub fn train_with(
    data: &Dataset,
    hyper: &Hyper,
    init: Params,
    changes: &[Change],
) -> Result<TrainReport, InvalidRun> {
    let mut training = Training::new(data, hyper, init, changes)?;
    let epochs = training.by_ref().collect();
    Ok(training.finish(epochs))
}

/// A run of training, one epoch per `next()`: a caller that prints each epoch as it ends keeps
/// nothing per epoch either.
pub struct Training<'a> {
    data: &'a Dataset,
    hyper: &'a Hyper,
    schedule: Schedule,
    params: Params,
    scratch: Scratch,
    /// The next global batch.
    next: usize,
    total: usize,
    diverged_at: Option<BatchPos>,
}

impl<'a> Training<'a> {
    pub fn new(
        data: &'a Dataset,
        hyper: &'a Hyper,
        init: Params,
        changes: &[Change],
    ) -> Result<Self, InvalidRun> {
        validate(data, hyper, &init)?;
        let mut schedule = Schedule::new(data.n(), hyper);
        schedule.apply(changes).map_err(|e| InvalidRun(e.0))?;
        let total = schedule.total_batches();
        Ok(Training {
            data,
            hyper,
            schedule,
            params: init,
            scratch: Scratch::default(),
            next: 0,
            total,
            diverged_at: None,
        })
    }

    /// The report, once the iterator is exhausted (earlier, it describes the run so far).
    pub fn finish(self, epochs: Vec<EpochReport>) -> TrainReport {
        TrainReport {
            epochs,
            params: self.params,
            batches: self.next,
            diverged_at: self.diverged_at,
        }
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn diverged_at(&self) -> Option<BatchPos> {
        self.diverged_at
    }
}

impl Iterator for Training<'_> {
    type Item = EpochReport;

    /// Trains to the end of the next epoch; None at the end of the run or once it has diverged.
    fn next(&mut self) -> Option<EpochReport> {
        while self.next < self.total && self.diverged_at.is_none() {
            let g = self.next;
            // One lookup per batch gives its rows, its place in the epoch and the settings in force.
            let slot = self.schedule.slot(g);
            let at = Hyper {
                lr: slot.lr,
                batch_size: slot.batch_size,
                ..self.hyper.clone()
            };
            let (_, finite) = batch::sgd_step(
                self.data,
                self.schedule.rows_of(&slot),
                &mut self.params,
                &at,
                &mut self.scratch,
            );
            self.next = g + 1;
            if !finite {
                self.diverged_at = Some(slot.pos);
                return None;
            }
            if slot.pos.epoch_end {
                return Some(EpochReport {
                    epoch: slot.pos.epoch,
                    loss: batch::full_loss(self.data, &self.params),
                });
            }
        }
        None
    }
}
