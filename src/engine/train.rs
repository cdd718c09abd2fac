//! Training without a screen: the same updates as the step machine, as fast as they go.

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
    validate(data, hyper, &init)?;
    let mut schedule = Schedule::new(data.n(), hyper);
    schedule.apply(changes).map_err(|e| InvalidRun(e.0))?;
    let mut params = init;
    let mut scratch = Scratch::default();
    let mut epochs = Vec::with_capacity(hyper.epochs);
    let total = schedule.total_batches();
    for g in 0..total {
        // One lookup per batch gives its rows, its place in the epoch and the settings in force.
        let slot = schedule.slot(g);
        let (pos, at) = (
            slot.pos,
            Hyper {
                lr: slot.lr,
                batch_size: slot.batch_size,
                ..hyper.clone()
            },
        );
        let (_, finite) = batch::sgd_step(
            data,
            schedule.rows_of(&slot),
            &mut params,
            &at,
            &mut scratch,
        );
        if !finite {
            return Ok(TrainReport {
                epochs,
                params,
                batches: g + 1,
                diverged_at: Some(pos),
            });
        }
        if pos.epoch_end {
            epochs.push(EpochReport {
                epoch: pos.epoch,
                loss: batch::full_loss(data, &params),
            });
        }
    }
    Ok(TrainReport {
        epochs,
        params,
        batches: total,
        diverged_at: None,
    })
}
