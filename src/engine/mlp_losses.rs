//! The loss of the batches of a two-layer run so far, and the whole data set's mean loss after
//! each epoch: what the loss chart draws. The session notes each batch the first time it computes
//! it (exploring, replaying, stepping), so the chart reads what the run already computed and no
//! second training runs for it. A long run keeps every other point as often as it takes (the
//! chart is a few hundred dots wide), so memory stays bounded however long the run.

/// The most points of each kind kept, unless a record is made with a cap of its own.
pub const MAX_POINTS: usize = 2048;

#[derive(Clone, Debug)]
pub struct MlpLosses {
    /// (batch, its L) for batches 0, stride, 2·stride, … in order.
    batches: Vec<(usize, f64)>,
    /// How many batches apart the points are (1 until the run gets long).
    stride: usize,
    /// The next batch to note: every batch before it has been noted, in order.
    next: usize,
    /// The last batch noted, kept whatever the stride, so the chart ends where the run is.
    latest: Option<(usize, f64)>,
    /// (the batch that ended an epoch, mean ½(ŷ − y)² over the data after its update).
    epochs: Vec<(usize, f64)>,
    /// Points of each kind kept at most.
    cap: usize,
}

impl Default for MlpLosses {
    fn default() -> Self {
        MlpLosses::with_cap(MAX_POINTS)
    }
}

impl MlpLosses {
    /// A record keeping at most `cap` points of each kind (at least 2).
    pub fn with_cap(cap: usize) -> MlpLosses {
        MlpLosses {
            batches: Vec::new(),
            stride: 1,
            next: 0,
            latest: None,
            epochs: Vec::new(),
            cap: cap.max(2),
        }
    }

    /// (batch, its L) of the points kept, in order, then the last batch noted.
    pub fn batches(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let kept_last = self.batches.last().map(|p| p.0);
        let latest = self.latest.filter(|p| Some(p.0) != kept_last);
        self.batches.iter().copied().chain(latest)
    }

    pub fn epochs(&self) -> &[(usize, f64)] {
        &self.epochs
    }

    /// How many batches apart the kept points are.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The first batch not noted yet.
    pub fn next(&self) -> usize {
        self.next
    }

    /// Whether batch `global` is the next to note: only then does [`MlpLosses::note`] keep it
    /// (a replay of a batch noted before, or one past a gap, is not counted).
    pub fn wants(&self, global: usize) -> bool {
        global == self.next
    }

    /// Notes batch `global`'s L, and the data's mean loss after its update when it ends an
    /// epoch; ignored unless it is the next batch (see [`MlpLosses::wants`]).
    pub fn note(&mut self, global: usize, loss: f64, epoch_end: Option<f64>) {
        if !self.wants(global) {
            return;
        }
        self.next = global + 1;
        self.latest = Some((global, loss));
        if global.is_multiple_of(self.stride) {
            self.batches.push((global, loss));
        }
        if let Some(mean) = epoch_end {
            self.epochs.push((global, mean));
        }
        self.thin();
    }

    /// Forgets batch `at` and those after it (a change of settings from batch `at` on): the
    /// batches before it are the same run and stay, and noting goes on from `at`.
    pub fn truncate(&mut self, at: usize) {
        if self.next <= at {
            return;
        }
        self.batches.retain(|p| p.0 < at);
        self.epochs.retain(|p| p.0 < at);
        // The last batch before `at` may have been thinned away: the chart's last point is the
        // session's current batch, which it adds itself.
        self.latest = self.batches.last().copied();
        self.next = at;
    }

    /// Bytes the record takes at most, however long the run.
    pub fn most_bytes(&self) -> usize {
        let point = std::mem::size_of::<(usize, f64)>();
        (2 * self.cap + 3).saturating_mul(point) + std::mem::size_of::<MlpLosses>()
    }

    /// Every other point, as often as it takes to keep at most `cap` of each kind.
    fn thin(&mut self) {
        while self.batches.len() > self.cap {
            self.stride *= 2;
            let s = self.stride;
            self.batches.retain(|(g, _)| g.is_multiple_of(s));
        }
        if self.epochs.len() > self.cap {
            let mut k = 0;
            self.epochs.retain(|_| {
                k += 1;
                k % 2 == 1
            });
        }
    }
}
