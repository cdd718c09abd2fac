//! Divergence, visible from the first frame: the prediction from the data's curvature and the
//! learning rate in force, the loss growing batch after batch before anything overflows, and
//! whether an epoch's mean loss fell or grew. State brought up to date by `update`; the view
//! only reads it.

use crate::engine::stability::{self, Unstable};
use crate::engine::{Session, Step};

/// Batches in a row whose loss grew, and by how much overall, before the run is called diverging:
/// the loss of single batches is noisy, but not five rises in a row by a factor 10 in all.
const RISES: usize = 5;
const GROWTH: f64 = 10.0;
/// An epoch mean within this fraction of the one before counts as unchanged.
const FLAT: f64 = 0.01;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trend {
    Fell,
    Flat,
    Grew,
}

/// The epoch mean shown at an epoch's summary, and the one it is compared with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochVerdict {
    pub epoch: usize,
    pub now: f64,
    /// The previous epoch's mean, or the first batch's L / N for the first epoch.
    pub before: f64,
    pub trend: Trend,
}

#[derive(Clone, Debug, Default)]
pub struct Divergence {
    /// The data's largest curvature (None when too costly to compute).
    curvature: Option<f64>,
    /// Whether the features were standardized (then rescaling is no advice).
    pub standardized: bool,
    /// The prediction for the settings of the current batch.
    pub predicted: Option<Unstable>,
    /// The first global batch that ended [`RISES`] rises of the loss in a row.
    growing_from: Option<usize>,
    /// Batch losses looked at so far (a change of settings truncates the history).
    scanned: usize,
    /// At an epoch's summary: how its mean compares with the one before.
    pub verdict: Option<EpochVerdict>,
    /// Whether the run is growing at the current batch.
    pub diverging: Option<usize>,
}

impl Divergence {
    pub fn new(session: &Session, standardized: bool) -> Divergence {
        let mut d = Divergence {
            curvature: stability::curvature(session.data()),
            standardized,
            ..Divergence::default()
        };
        d.sync(session);
        d
    }

    /// Rises of the loss in a row that count as diverging.
    pub fn rises(&self) -> usize {
        RISES
    }

    /// The advice belongs with the prediction: rescaling if the features are far from unit scale.
    pub fn advise_standardize(&self) -> bool {
        !self.standardized && self.predicted.is_some_and(|p| p.curvature > 10.0)
    }

    pub fn sync(&mut self, session: &Session) {
        let b = session.batch();
        let h = &b.hyper;
        self.predicted = self
            .curvature
            .and_then(|c| stability::predict(c, h.lr, h.batch_size, h.objective));
        let losses = session.batch_losses();
        if losses.len() < self.scanned || self.growing_from.is_some_and(|g| g >= losses.len()) {
            self.scanned = 0;
            self.growing_from = None;
        }
        if self.growing_from.is_none() {
            for g in self.scanned.max(RISES)..losses.len() {
                let window = &losses[g - RISES..=g];
                let rising = window.windows(2).all(|w| w[1] > w[0]);
                if rising && window[RISES] >= GROWTH * window[0] {
                    self.growing_from = Some(g);
                    break;
                }
            }
            self.scanned = losses.len();
        }
        self.diverging = self.growing_from.filter(|&g| g <= b.global);
        self.verdict = None;
        if session.step() == Step::EpochSummary
            && let Some(now) = b.epoch_loss
        {
            let earlier = session
                .epoch_losses()
                .iter()
                .rev()
                .find(|e| e.epoch + 1 == b.epoch)
                .map(|e| e.loss);
            let first_rows = session
                .segments()
                .first()
                .map_or(1, |s| s.batch_size.min(session.data().n()).max(1));
            let first = losses.first().map(|l| l / first_rows as f64);
            if let Some(before) = earlier.or(if b.epoch == 1 { first } else { None }) {
                let trend = if now > before * (1.0 + FLAT) {
                    Trend::Grew
                } else if now < before * (1.0 - FLAT) {
                    Trend::Fell
                } else {
                    Trend::Flat
                };
                self.verdict = Some(EpochVerdict {
                    epoch: b.epoch,
                    now,
                    before,
                    trend,
                });
            }
        }
    }
}
