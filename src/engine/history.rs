//! What a session remembers of the batches computed so far: checkpoints, a loss per batch and the
//! epochs' losses. Sessions of the same run share it (a class's students following the teacher
//! hold the teacher's, not a copy each); the first to record something new copies it.

use std::sync::Arc;

use super::batch::Held;
use super::config::Params;

/// Where a replay can start: the parameters before a batch, and what `.grad` held then when the
/// run keeps gradients (`None` when `zero_()` empties it after every update).
/// The parameters before a batch, and what `.grad` held then in a run that forgets `zero_()`
/// (boxed: most runs zero it, and a checkpoint is kept every few batches of a long run).
pub(super) type Checkpoint = (Params, Option<Box<Held>>);

#[derive(Clone, Debug, Default)]
pub(super) struct Record {
    /// `checkpoints[k]` holds the parameters before global batch `k * CHECKPOINT_STRIDE`.
    pub checkpoints: Vec<Checkpoint>,
    /// L of every batch computed so far, from the first; its length is the explored frontier.
    pub batch_losses: Vec<f64>,
    pub epoch_losses: Vec<EpochLoss>,
}

/// A [`Record`] shared until written to.
#[derive(Clone, Debug)]
pub(super) struct History(Arc<Record>);

impl History {
    pub fn new(first: Checkpoint) -> History {
        History(Arc::new(Record {
            checkpoints: vec![first],
            ..Record::default()
        }))
    }

    pub fn get(&self) -> &Record {
        &self.0
    }

    /// The record to write to, copied first if another session shares it.
    pub fn edit(&mut self) -> &mut Record {
        Arc::make_mut(&mut self.0)
    }

    /// Keeps what comes before global batch `at` (and the checkpoints up to it); a shared record
    /// is left to the others and only the part kept is copied.
    pub fn truncate(&mut self, checkpoints: usize, at: usize) {
        match Arc::get_mut(&mut self.0) {
            Some(r) => {
                r.checkpoints.truncate(checkpoints);
                r.batch_losses.truncate(at);
                r.epoch_losses.retain(|e| e.global < at);
            }
            None => {
                let r = &self.0;
                self.0 = Arc::new(Record {
                    checkpoints: r.checkpoints[..checkpoints.min(r.checkpoints.len())].to_vec(),
                    batch_losses: r.batch_losses[..at.min(r.batch_losses.len())].to_vec(),
                    epoch_losses: r
                        .epoch_losses
                        .iter()
                        .filter(|e| e.global < at)
                        .copied()
                        .collect(),
                });
            }
        }
    }

    pub fn shared_with(&self, other: &History) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Whether another session holds this record too.
    pub fn shared(&self) -> bool {
        Arc::strong_count(&self.0) > 1
    }

    /// About how many bytes the record takes.
    pub fn bytes(&self) -> usize {
        let r = &self.0;
        let checkpoint = r.checkpoints.first().map_or(0, |(p, held)| {
            let held = held
                .as_ref()
                .map_or(0, |h| std::mem::size_of::<Held>() + h.w.len() * 8);
            std::mem::size_of::<Checkpoint>() + p.w.len() * std::mem::size_of::<f64>() + held
        });
        r.checkpoints.len().saturating_mul(checkpoint)
            + r.batch_losses.len() * std::mem::size_of::<f64>()
            + r.epoch_losses.len() * std::mem::size_of::<EpochLoss>()
    }
}

/// The mean loss over the whole data set at the end of an epoch, as the loss chart draws it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochLoss {
    /// 1-based epoch.
    pub epoch: usize,
    /// The global batch that ended it.
    pub global: usize,
    /// Mean of ½(ŷ − y)² over the whole data set after that batch's update.
    pub loss: f64,
}
