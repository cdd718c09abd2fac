//! Which rows go into which mini-batch: a seeded shuffle per epoch, like d2l's `data_iter`, cut into
//! batches whose size (and learning rate) may change mid-run.
//!
//! A change starts a new segment at a global batch number; within a segment the layout is plain
//! arithmetic, so finding any batch costs O(segments), whatever the length of the run.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

use super::batch::BatchPos;
use super::config::Hyper;
use crate::data::derive_seed;

/// The most mini-batches a run may have: far beyond any lesson, and small enough that no count
/// or index derived from it can wrap around.
pub const MAX_BATCHES: usize = 1_000_000_000_000;

/// From global batch `start` on, batches take `batch_size` rows and update with `lr`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub start: usize,
    /// 0-based epoch of batch `start`.
    pub epoch: usize,
    /// Where batch `start` begins in that epoch's row order.
    pub offset: usize,
    /// How many batches of that epoch came before batch `start`.
    pub batch_in_epoch: usize,
    pub lr: f64,
    pub batch_size: usize,
}

/// A change asked for before the run starts: from 0-based batch `at` on, these values (`None`
/// keeps the one in force).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub at: usize,
    pub lr: Option<f64>,
    pub batch_size: Option<usize>,
}

impl Change {
    /// The changes that turn a run's first segment into `segments` (the run's own settings
    /// first): how a run changed live is rebuilt from its start.
    pub fn all_of(segments: &[Segment]) -> Vec<Change> {
        segments
            .iter()
            .skip(1)
            .map(|s| Change {
                at: s.start,
                lr: Some(s.lr),
                batch_size: Some(s.batch_size),
            })
            .collect()
    }
}

/// Why a list of changes cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadChange(pub String);

/// Where one batch lies: its epoch, its rows in the epoch's order, and the settings it uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    pub pos: BatchPos,
    pub offset: usize,
    pub rows: usize,
    pub lr: f64,
    pub batch_size: usize,
}

#[derive(Clone, Debug)]
pub struct Schedule {
    n: usize,
    epochs: usize,
    shuffle: bool,
    seed: u64,
    segments: Vec<Segment>,
    /// The order of the most recently used epoch; rebuilding it costs O(n). Shared between clones: every
    /// student's session starts as a clone of the teacher's, and a million-row order is 8 MB each.
    cached: Option<(usize, Arc<[usize]>)>,
}

impl Schedule {
    pub fn new(n: usize, hyper: &Hyper) -> Self {
        let first = Segment {
            start: 0,
            epoch: 0,
            offset: 0,
            batch_in_epoch: 0,
            lr: hyper.lr,
            batch_size: hyper.batch_size.max(1),
        };
        Schedule {
            n,
            epochs: hyper.epochs,
            shuffle: hyper.shuffle,
            seed: hyper.seed,
            segments: vec![first],
            cached: None,
        }
    }

    fn segment_of(&self, global: usize) -> &Segment {
        let k = self.segments.partition_point(|s| s.start <= global);
        &self.segments[k.saturating_sub(1)]
    }

    /// Batches in a whole epoch at batch size `size`.
    fn per_epoch(&self, size: usize) -> usize {
        self.n.div_ceil(size).max(1)
    }

    /// Batches per epoch at the batch size in force at the end of the run.
    pub fn batches_per_epoch(&self) -> usize {
        self.segments
            .last()
            .map_or(1, |s| self.per_epoch(s.batch_size))
    }

    pub fn total_batches(&self) -> usize {
        let Some(s) = self.segments.last() else {
            return 0;
        };
        let rest_of_epoch = (self.n - s.offset).div_ceil(s.batch_size);
        // Saturating: a run too long to count is refused by its caller, never wrapped to 0.
        let later_epochs = self
            .epochs
            .saturating_sub(s.epoch + 1)
            .saturating_mul(self.per_epoch(s.batch_size));
        s.start
            .saturating_add(rest_of_epoch)
            .saturating_add(later_epochs)
    }

    /// Everything about the batch with this global index.
    pub fn slot(&self, global: usize) -> Slot {
        let s = *self.segment_of(global);
        let k = global - s.start;
        let rest_of_epoch = (self.n - s.offset).div_ceil(s.batch_size);
        let (epoch, offset, batch_in_epoch) = if k < rest_of_epoch {
            (s.epoch, s.offset + k * s.batch_size, s.batch_in_epoch + k)
        } else {
            let per = self.per_epoch(s.batch_size);
            let later = k - rest_of_epoch;
            (
                s.epoch + 1 + later / per,
                (later % per) * s.batch_size,
                later % per,
            )
        };
        let rows = s.batch_size.min(self.n - offset);
        let pos = BatchPos {
            global,
            epoch: epoch + 1,
            batch: batch_in_epoch + 1,
            epoch_end: offset + rows == self.n,
            epoch_batches: self.epoch_batches(global, epoch),
        };
        Slot {
            pos,
            offset,
            rows,
            lr: s.lr,
            batch_size: s.batch_size,
        }
    }

    /// Batches in 0-based `epoch`, which holds batch `global`: the last segment that starts in
    /// that epoch decides how the rest of it is cut.
    fn epoch_batches(&self, global: usize, epoch: usize) -> usize {
        let k = self.segments.partition_point(|s| s.start <= global);
        let own = &self.segments[k.saturating_sub(1)];
        let last = self.segments[k..]
            .iter()
            .take_while(|s| s.epoch == epoch)
            .last();
        match last {
            Some(s) => s.batch_in_epoch + (self.n - s.offset).div_ceil(s.batch_size),
            None if own.epoch == epoch => {
                own.batch_in_epoch + (self.n - own.offset).div_ceil(own.batch_size)
            }
            None => self.per_epoch(own.batch_size),
        }
    }

    pub fn position(&self, global: usize) -> BatchPos {
        self.slot(global).pos
    }

    /// The settings in force for a batch: the base ones with this segment's lr and batch size.
    pub fn hyper_at(&self, base: &Hyper, global: usize) -> Hyper {
        let s = self.segment_of(global);
        Hyper {
            lr: s.lr,
            batch_size: s.batch_size,
            ..base.clone()
        }
    }

    /// The changes so far, the first segment being the run's own settings.
    pub fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// From batch `at` on, use `lr` and `batch_size`. Later changes are forgotten, as editing the
    /// past rewrites the future; a batch size change mid-epoch cuts the rest of that epoch anew.
    pub fn change(&mut self, at: usize, lr: f64, batch_size: usize) {
        self.segments.retain(|s| s.start < at);
        let batch_size = batch_size.max(1);
        // Asking for the values already in force only forgets the later changes.
        if let Some(last) = self.segments.last()
            && last.lr == lr
            && last.batch_size == batch_size
        {
            return;
        }
        let (epoch, offset, batch_in_epoch) = if self.segments.is_empty() {
            (0, 0, 0)
        } else {
            let slot = self.slot(at);
            (slot.pos.epoch - 1, slot.offset, slot.pos.batch - 1)
        };
        self.segments.push(Segment {
            start: at,
            epoch,
            offset,
            batch_in_epoch,
            lr,
            batch_size,
        });
    }

    /// Applies changes given in increasing order of batch, each after the first batch and before
    /// the end of the run as the earlier changes leave it.
    pub fn apply(&mut self, changes: &[Change]) -> Result<(), BadChange> {
        let mut after = 0;
        for c in changes {
            let shown = c.at + 1;
            if c.at <= after {
                let why = if c.at == 0 {
                    "must be batch 2 or later (set batch 1's values with --lr and --batch-size)"
                        .to_string()
                } else {
                    format!(
                        "changes must be in increasing order of batch, and batch {shown} is not after the previous one"
                    )
                };
                return Err(BadChange(why));
            }
            let total = self.total_batches();
            if c.at >= total {
                return Err(BadChange(format!(
                    "batch {shown} is past the end of the run ({total} batches)"
                )));
            }
            if let Some(lr) = c.lr
                && !(lr.is_finite() && lr > 0.0)
            {
                return Err(BadChange(format!(
                    "batch {shown}: the learning rate must be a positive finite number"
                )));
            }
            if c.batch_size == Some(0) {
                return Err(BadChange(format!(
                    "batch {shown}: the batch size must be at least 1"
                )));
            }
            let now = *self.segment_of(c.at);
            self.change(
                c.at,
                c.lr.unwrap_or(now.lr),
                c.batch_size.unwrap_or(now.batch_size),
            );
            after = c.at;
        }
        Ok(())
    }

    /// The row order of a 0-based epoch.
    pub fn epoch_order(&self, epoch: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.n).collect();
        if self.shuffle {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(derive_seed(
                self.seed,
                0x5348_5546 + epoch as u64,
            ));
            order.shuffle(&mut rng);
        }
        order
    }

    /// The 0-based rows of the batch with this global index.
    pub fn indices(&mut self, global: usize) -> &[usize] {
        let slot = self.slot(global);
        self.rows_of(&slot)
    }

    /// The 0-based rows of the batch at `slot`, for callers that already located it.
    pub fn rows_of(&mut self, slot: &Slot) -> &[usize] {
        let epoch = slot.pos.epoch - 1;
        if self.cached.as_ref().is_none_or(|(e, _)| *e != epoch) {
            self.cached = Some((epoch, self.epoch_order(epoch).into()));
        }
        match &self.cached {
            Some((_, order)) => &order[slot.offset..slot.offset + slot.rows],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shuffled(n: usize) -> Schedule {
        let hyper = Hyper {
            shuffle: true,
            ..Hyper::default()
        };
        Schedule::new(n, &hyper)
    }

    #[test]
    fn a_clone_shares_the_epoch_order_until_it_moves_to_another_epoch() {
        let mut teacher = shuffled(1000);
        let first = teacher.indices(0).to_vec();
        let mut student = teacher.clone();
        let (Some((_, a)), Some((_, b))) = (&teacher.cached, &student.cached) else {
            panic!("both hold the order of epoch 1");
        };
        assert!(
            Arc::ptr_eq(a, b),
            "the clone holds the same order, not a copy"
        );
        assert_eq!(student.indices(0), &first[..]);

        // The student's own later epoch is its own, and the teacher's order is untouched by it.
        let per_epoch = student.batches_per_epoch();
        let later = student.indices(per_epoch).to_vec();
        assert_eq!(later, student.epoch_order(1)[..later.len()]);
        assert_eq!(teacher.indices(0), &first[..]);
        // A permutation of the rows, and a different one from epoch 1's.
        let mut sorted = student.epoch_order(1);
        sorted.sort_unstable();
        assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
        assert_ne!(student.epoch_order(1), teacher.epoch_order(0));
    }
}
