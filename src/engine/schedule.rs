//! Which rows go into which mini-batch: a seeded shuffle per epoch, like d2l's `data_iter`.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand::seq::SliceRandom;

use super::batch::BatchPos;
use super::config::Hyper;

/// The mini-batch layout of a run: `n` rows cut into batches of `batch_size`, the last one
/// possibly shorter.
#[derive(Clone, Debug)]
pub struct Schedule {
    n: usize,
    batch_size: usize,
    epochs: usize,
    shuffle: bool,
    seed: u64,
    /// The order of the most recently used epoch; rebuilding it costs O(n).
    cached: Option<(usize, Vec<usize>)>,
}

/// Mixes an epoch number into the seed so each epoch's shuffle is independent yet reproducible.
pub fn derive_seed(seed: u64, stream: u64) -> u64 {
    // SplitMix64's finaliser: nearby inputs give unrelated outputs.
    let mut z = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Schedule {
    pub fn new(n: usize, hyper: &Hyper) -> Self {
        Schedule {
            n,
            batch_size: hyper.batch_size.max(1),
            epochs: hyper.epochs,
            shuffle: hyper.shuffle,
            seed: hyper.seed,
            cached: None,
        }
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.n.div_ceil(self.batch_size)
    }

    pub fn total_batches(&self) -> usize {
        self.batches_per_epoch() * self.epochs
    }

    pub fn position(&self, global: usize) -> BatchPos {
        let per = self.batches_per_epoch().max(1);
        BatchPos {
            global,
            epoch: global / per + 1,
            batch: global % per + 1,
            epoch_end: global % per + 1 == per,
        }
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
        let per = self.batches_per_epoch().max(1);
        let epoch = global / per;
        if self.cached.as_ref().is_none_or(|(e, _)| *e != epoch) {
            self.cached = Some((epoch, self.epoch_order(epoch)));
        }
        let start = (global % per) * self.batch_size;
        let end = (start + self.batch_size).min(self.n);
        match &self.cached {
            Some((_, order)) => &order[start.min(end)..end],
            None => &[],
        }
    }
}
