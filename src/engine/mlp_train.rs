//! Training two layers without a screen: the linear run's schedule, objectives and update,
//! through [`super::mlp`]'s closed form, one batch or one epoch at a time.

use super::batch::BatchPos;
use super::config::{Hyper, Params};
use super::mlp::{self, MlpBatch, MlpParams, TwoLayer};
use super::schedule::{Change, Schedule};
use super::session::{InvalidRun, validate};
use super::train::EpochReport;
use crate::data::Dataset;

/// One update: where it is, the settings in force, the parameters before it and every value of
/// its batch. The parameters after it are [`MlpTraining::params`].
#[derive(Clone, Debug)]
pub struct MlpUpdate {
    pub pos: BatchPos,
    pub indices: Vec<usize>,
    pub hyper: Hyper,
    pub before: MlpParams,
    pub batch: MlpBatch,
    /// What `.grad` of every parameter held before this batch's `backward()` when nothing
    /// zeroes it (`--keep-grad`): the earlier batches' gradients added up. `None` with `zero_()`.
    pub held: Option<MlpParams>,
}

impl MlpUpdate {
    /// `.grad` as the update reads it: this batch's gradient, plus what was held from earlier
    /// batches when nothing zeroed it.
    pub fn param_grad(&self) -> MlpParams {
        match &self.held {
            Some(h) => h.plus(&self.batch.grads()),
            None => self.batch.grads(),
        }
    }
}

/// A two-layer run; `next()` trains to the end of the next epoch, [`MlpTraining::next_update`]
/// one batch.
pub struct MlpTraining<'a> {
    data: &'a Dataset,
    hyper: &'a Hyper,
    schedule: Schedule,
    activation: mlp::Activation,
    params: MlpParams,
    /// What `.grad` holds between batches when the run keeps gradients: the sum so far.
    held: Option<MlpParams>,
    next: usize,
    total: usize,
    diverged_at: Option<BatchPos>,
}

/// The run's own checks (rows, batch size, epochs, lr) are the linear run's; W₁ must read the
/// data's features.
fn check(data: &Dataset, hyper: &Hyper, model: &TwoLayer) -> Result<(), InvalidRun> {
    validate(data, hyper, &Params::zeros(data.d()))?;
    let p = &model.init;
    if p.d() != data.d()
        || p.w2.len() != p.hidden()
        || p.w1.ncols() != p.hidden()
        || p.hidden() == 0
    {
        return Err(InvalidRun(format!(
            "the hidden layer's W₁ is {}×{} but the data has {} features",
            p.w1.nrows(),
            p.w1.ncols(),
            data.d()
        )));
    }
    Ok(())
}

impl<'a> MlpTraining<'a> {
    pub fn new(
        data: &'a Dataset,
        hyper: &'a Hyper,
        model: &TwoLayer,
        changes: &[Change],
    ) -> Result<Self, InvalidRun> {
        check(data, hyper, model)?;
        let mut schedule = Schedule::new(data.n(), hyper);
        schedule.apply(changes).map_err(|e| InvalidRun(e.0))?;
        Ok(Self::build(data, hyper, model, schedule))
    }

    /// The run on a schedule already made (its changes applied, as a session keeps it), so a
    /// replay from a checkpoint reads the very segments the session shows.
    pub fn on_schedule(
        data: &'a Dataset,
        hyper: &'a Hyper,
        model: &TwoLayer,
        schedule: Schedule,
    ) -> Result<Self, InvalidRun> {
        check(data, hyper, model)?;
        Ok(Self::build(data, hyper, model, schedule))
    }

    fn build(data: &'a Dataset, hyper: &'a Hyper, model: &TwoLayer, schedule: Schedule) -> Self {
        let total = schedule.total_batches();
        MlpTraining {
            data,
            hyper,
            schedule,
            activation: model.activation,
            params: model.init.clone(),
            held: None,
            next: 0,
            total,
            diverged_at: None,
        }
    }

    /// Trains one batch; None at the end of the run or once it has diverged (the update that
    /// overflowed is returned, then nothing).
    pub fn next_update(&mut self) -> Option<MlpUpdate> {
        if self.next >= self.total || self.diverged_at.is_some() {
            return None;
        }
        let g = self.next;
        let slot = self.schedule.slot(g);
        let hyper = Hyper {
            lr: slot.lr,
            batch_size: slot.batch_size,
            ..self.hyper.clone()
        };
        let indices = self.schedule.rows_of(&slot).to_vec();
        let (x, y) = mlp::gather(self.data, &indices);
        let batch = mlp::forward_backward(x, y, &self.params, self.activation, hyper.objective);
        let zeros = || self.params.zeros_like();
        let held = (!hyper.zero_grad).then(|| self.held.take().unwrap_or_else(zeros));
        let update = MlpUpdate {
            pos: slot.pos,
            indices,
            hyper,
            before: self.params.clone(),
            batch,
            held,
        };
        let grad = update.param_grad();
        self.params = mlp::descend(&self.params, &grad, &update.hyper, update.indices.len());
        if !update.hyper.zero_grad {
            self.held = Some(grad);
        }
        self.next = g + 1;
        if !(update.batch.is_finite() && self.params.is_finite()) {
            self.diverged_at = Some(slot.pos);
        }
        Some(update)
    }

    /// The same run from batch `global` on, its parameters taken as those before that batch
    /// and `.grad` as `held` then (a checkpoint the caller kept).
    pub fn starting_at(mut self, global: usize, held: Option<MlpParams>) -> Self {
        self.next = global;
        self.held = held;
        self
    }

    pub fn params(&self) -> &MlpParams {
        &self.params
    }

    /// What `.grad` holds after the last update when the run keeps gradients.
    pub fn held(&self) -> Option<&MlpParams> {
        self.held.as_ref()
    }

    pub fn activation(&self) -> mlp::Activation {
        self.activation
    }

    pub fn diverged_at(&self) -> Option<BatchPos> {
        self.diverged_at
    }
}

impl Iterator for MlpTraining<'_> {
    type Item = EpochReport;

    /// Trains to the end of the next epoch; None at the end of the run or once it has diverged.
    fn next(&mut self) -> Option<EpochReport> {
        while let Some(u) = self.next_update() {
            if self.diverged_at.is_some() {
                return None;
            }
            if u.pos.epoch_end {
                return Some(EpochReport {
                    epoch: u.pos.epoch,
                    loss: mlp::full_loss(self.data, &self.params, self.activation),
                });
            }
        }
        None
    }
}
