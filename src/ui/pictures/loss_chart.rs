//! L of every batch so far and the whole data set's mean loss after each epoch, on a log scale
//! once the values span more than two decades.

use super::plot::{Ink, Layer, Plot, padded, range};
use crate::engine::Session;
use crate::engine::schedule::Segment;
use crate::lesson::Lang;
use crate::ui::strings::S;

/// A log scale is used when the largest loss is more than this many times the smallest.
pub const LOG_RATIO: f64 = 100.0;

#[derive(Clone, Debug, PartialEq)]
pub struct LossChart {
    /// (1-based batch, L) for every batch up to the current one.
    pub batches: Vec<(f64, f64)>,
    /// (the batch that ended the epoch, mean loss over the data after it).
    pub epochs: Vec<(f64, f64)>,
    pub log: bool,
    /// The batch whose loss overflowed, if it is on the chart.
    pub overflow: Option<f64>,
    /// Batches where a change of learning rate or batch size took effect.
    pub changes: Vec<f64>,
}

impl LossChart {
    pub fn new(session: &Session) -> LossChart {
        let epochs: Vec<(usize, f64)> = session
            .epoch_losses()
            .iter()
            .map(|e| (e.global, e.loss))
            .collect();
        Self::of(
            session.batch_losses().iter().copied().enumerate(),
            &epochs,
            session.segments(),
            session.batch().global,
        )
    }

    /// The chart of any run: (batch, its loss) in order (those after `now` left out), the
    /// (batch, mean loss) of each epoch's end, and the run's segments.
    pub fn of(
        losses: impl IntoIterator<Item = (usize, f64)>,
        epochs: &[(usize, f64)],
        segments: &[Segment],
        now: usize,
    ) -> LossChart {
        let batches: Vec<(f64, f64)> = losses
            .into_iter()
            .take_while(|(g, _)| *g <= now)
            .map(|(g, l)| ((g + 1) as f64, l))
            .collect();
        let epochs = epochs
            .iter()
            .filter(|e| e.0 <= now)
            .map(|e| ((e.0 + 1) as f64, e.1))
            .collect::<Vec<_>>();
        let overflow = batches
            .iter()
            .find(|(_, l)| !l.is_finite())
            .map(|(x, _)| *x);
        let changes = segments
            .iter()
            .skip(1)
            .filter(|s| s.start <= now)
            .map(|s| (s.start + 1) as f64)
            .collect();
        let log = needs_log(batches.iter().chain(&epochs).map(|p| p.1));
        LossChart {
            batches,
            epochs,
            log,
            overflow,
            changes,
        }
    }

    pub fn plot(&self, lang: Lang) -> Plot {
        let y = |v: f64| {
            if self.log {
                v.max(f64::MIN_POSITIVE).log10()
            } else {
                v
            }
        };
        let map = |pts: &[(f64, f64)]| -> Vec<(f64, f64)> {
            pts.iter().map(|(x, v)| (*x, y(*v))).collect()
        };
        let batches = map(&self.batches);
        let epochs = map(&self.epochs);
        let last = self.batches.last().map_or(1.0, |p| p.0);
        let x = (1.0, last.max(2.0));
        let (lo, hi) = range(batches.iter().chain(&epochs).map(|p| p.1)).unwrap_or((0.0, 1.0));
        let y_bounds = if self.log {
            (lo.floor(), hi.ceil().max(lo.floor() + 1.0))
        } else {
            let (a, b) = padded(lo.min(0.0), hi, 0.05);
            (lo.min(0.0).max(a), b)
        };
        let mut layers: Vec<Layer> = self
            .changes
            .iter()
            .map(|c| Layer::Polyline(vec![(*c, y_bounds.0), (*c, y_bounds.1)], Ink::Quiet))
            .collect();
        layers.push(Layer::Polyline(batches, Ink::Loss));
        // A dot of braille is easy to miss, so a few epochs get a mark and a line joins them.
        if epochs.len() <= 20 {
            layers.extend(
                epochs
                    .iter()
                    .map(|p| Layer::Label(*p, "o".into(), Ink::Epoch)),
            );
        }
        layers.push(Layer::Polyline(epochs, Ink::Epoch));

        let mut title = S::LossPerBatch.get(lang).to_string();
        if self.log {
            title = format!("{title} ({})", S::LogScale.get(lang));
        }
        Plot {
            title,
            legend: self
                .overflow
                .map(|at| (format!("inf @ {at}"), Ink::Loss))
                .into_iter()
                .chain([(S::EpochMean.get(lang).into(), Ink::Epoch)])
                .collect(),
            x,
            y: y_bounds,
            x_name: S::Batch.get(lang).into(),
            y_log: self.log,
            layers,
            header: 1,
        }
    }
}

/// Whether the finite, positive values span more than [`LOG_RATIO`].
pub fn needs_log(values: impl IntoIterator<Item = f64>) -> bool {
    range(values.into_iter().filter(|v| *v > 0.0)).is_some_and(|(lo, hi)| hi / lo > LOG_RATIO)
}
