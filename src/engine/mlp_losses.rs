//! The loss of the batches of a two-layer run so far, and the whole data set's mean loss after
//! each epoch: what the loss chart draws. Kept beside the session and extended a batch range at
//! a time from where it stopped, so moving on recomputes only the batches not seen yet. A long
//! run keeps every other point as often as it takes (the chart is a few hundred dots wide), so
//! memory stays bounded however long the run, as the linear pictures' path does.

use super::mlp::{self, MlpParams, TwoLayer};
use super::mlp_session::MlpSession;
use super::mlp_train::MlpTraining;
use super::schedule::Segment;

/// The most points of each kind kept.
const MAX_POINTS: usize = 2048;

#[derive(Clone, Debug, Default)]
pub struct MlpLosses {
    /// (batch, its L) for batches 0, stride, 2·stride, … in order.
    batches: Vec<(usize, f64)>,
    /// How many batches apart the points are (1 until the run gets long).
    stride: usize,
    /// The next batch to count.
    next: usize,
    /// The last batch counted, kept whatever the stride, so the chart ends where the run is.
    latest: Option<(usize, f64)>,
    /// (the batch that ended an epoch, mean ½(ŷ − y)² over the data after its update).
    epochs: Vec<(usize, f64)>,
    /// The parameters after the last batch counted, and what `.grad` held then when the run
    /// keeps gradients: where the next extension starts.
    after: Option<(MlpParams, Option<MlpParams>)>,
    /// The segments the losses were computed under: another schedule starts them afresh.
    segments: Vec<Segment>,
    /// Whether `sgd` zeroed `.grad` in the run counted: the experiment toggled starts afresh.
    zero_grad: bool,
}

impl MlpLosses {
    /// (batch, its L) of the points kept, in order, then the last batch counted.
    pub fn batches(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let kept_last = self.batches.last().map(|p| p.0);
        let latest = self.latest.filter(|p| Some(p.0) != kept_last);
        self.batches.iter().copied().chain(latest)
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
        let zero_grad = session.hyper().zero_grad;
        if self.segments != session.segments() || self.zero_grad != zero_grad {
            *self = MlpLosses {
                segments: session.segments().to_vec(),
                zero_grad,
                ..MlpLosses::default()
            };
        }
        let start = self.next;
        if start > now {
            return;
        }
        let (init, held) = self
            .after
            .clone()
            .unwrap_or_else(|| (session.init().clone(), None));
        let model = TwoLayer {
            activation: session.activation(),
            init,
        };
        let schedule = session.schedule().clone();
        let (data, hyper) = (session.data(), session.hyper());
        let Ok(training) = MlpTraining::on_schedule(data, hyper, &model, schedule) else {
            return;
        };
        let mut training = training.starting_at(start, held);
        for _ in start..=now {
            let Some(u) = training.next_update() else {
                break;
            };
            let g = u.pos.global;
            self.next = g + 1;
            self.latest = Some((g, u.batch.loss));
            if g % self.stride.max(1) == 0 {
                self.batches.push((g, u.batch.loss));
            }
            if u.pos.epoch_end {
                let full = mlp::full_loss(data, training.params(), session.activation());
                self.epochs.push((g, full));
            }
            self.thin();
        }
        self.after = Some((training.params().clone(), training.held().cloned()));
    }

    /// Every other point, as often as it takes to keep at most [`MAX_POINTS`] of each kind.
    fn thin(&mut self) {
        while self.batches.len() > MAX_POINTS {
            self.stride = self.stride.max(1) * 2;
            let s = self.stride;
            self.batches.retain(|(g, _)| g % s == 0);
        }
        if self.epochs.len() > MAX_POINTS {
            let mut k = 0;
            self.epochs.retain(|_| {
                k += 1;
                k % 2 == 1
            });
        }
    }
}
