//! The loss of every batch of a two-layer run so far, and the whole data set's mean loss after
//! each epoch: what the loss chart draws. Kept beside the session and extended a batch range at
//! a time from where it stopped, so moving on recomputes only the batches not seen yet.

use super::mlp::{self, MlpParams, TwoLayer};
use super::mlp_session::MlpSession;
use super::mlp_train::MlpTraining;
use super::schedule::Segment;

#[derive(Clone, Debug, Default)]
pub struct MlpLosses {
    /// L of batches 0, 1, … in order.
    batches: Vec<f64>,
    /// (the batch that ended an epoch, mean ½(ŷ − y)² over the data after its update).
    epochs: Vec<(usize, f64)>,
    /// The parameters after the last batch counted, where the next extension starts.
    after: Option<MlpParams>,
    /// The segments the losses were computed under: another schedule starts them afresh.
    segments: Vec<Segment>,
}

impl MlpLosses {
    pub fn batches(&self) -> &[f64] {
        &self.batches
    }

    pub fn epochs(&self) -> &[(usize, f64)] {
        &self.epochs
    }

    /// Counts every batch up to the session's current one (its loss included).
    pub fn sync(&mut self, session: &MlpSession) {
        self.extend_to(session, session.global());
    }

    /// Counts every batch up to `now` of the session's run: a long move extends them a slice
    /// at a time, beside the session's own exploring, so showing the chart after it is quick.
    pub fn extend_to(&mut self, session: &MlpSession, now: usize) {
        if self.segments != session.segments() {
            *self = MlpLosses {
                segments: session.segments().to_vec(),
                ..MlpLosses::default()
            };
        }
        let start = self.batches.len();
        if start > now {
            return;
        }
        let model = TwoLayer {
            activation: session.activation(),
            init: self.after.clone().unwrap_or_else(|| session.init().clone()),
        };
        let schedule = session.schedule().clone();
        let (data, hyper) = (session.data(), session.hyper());
        let Ok(training) = MlpTraining::on_schedule(data, hyper, &model, schedule) else {
            return;
        };
        let mut training = training.starting_at(start);
        for _ in start..=now {
            let Some(u) = training.next_update() else {
                break;
            };
            self.batches.push(u.batch.loss);
            if u.pos.epoch_end {
                let full = mlp::full_loss(data, training.params(), session.activation());
                self.epochs.push((u.pos.global, full));
            }
        }
        self.after = Some(training.params().clone());
    }
}
