//! Training without a screen: the same updates as the step machine, as fast as they go.

use super::batch::{self, BatchPos, Scratch};
use super::config::{Hyper, Params};
use super::schedule::Schedule;
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
    validate(data, hyper, &init)?;
    let schedule = Schedule::new(data.n(), hyper);
    let mut params = init;
    let mut scratch = Scratch::default();
    let mut epochs = Vec::with_capacity(hyper.epochs);
    let mut batches = 0;
    for epoch in 0..hyper.epochs {
        let order = schedule.epoch_order(epoch);
        for indices in order.chunks(hyper.batch_size) {
            let (_, finite) = batch::sgd_step(data, indices, &mut params, hyper, &mut scratch);
            batches += 1;
            if !finite {
                let diverged_at = Some(schedule.position(batches - 1));
                return Ok(TrainReport {
                    epochs,
                    params,
                    batches,
                    diverged_at,
                });
            }
        }
        epochs.push(EpochReport {
            epoch: epoch + 1,
            loss: batch::full_loss(data, &params),
        });
    }
    Ok(TrainReport {
        epochs,
        params,
        batches,
        diverged_at: None,
    })
}
