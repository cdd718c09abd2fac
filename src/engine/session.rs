//! The step machine: where the lesson is (batch, step) and how to move forwards and back.
//!
//! History is unlimited but cheap: every `CHECKPOINT_STRIDE` batches the parameters before that
//! batch are kept (O(d)), and any other batch is reached by replaying the few updates since the
//! nearest checkpoint. Replay uses the same arithmetic, so going back is exact to the bit.

use super::batch::{self, Batch, Scratch};
use super::config::{Hyper, Params};
pub use super::history::EpochLoss;
use super::history::{Checkpoint, History};
use super::schedule::{Change, Schedule, Segment};
use super::step::{self, Granularity, Step};
use crate::data::Dataset;

const CHECKPOINT_STRIDE: usize = 16;

/// The most memory the history of one session may take: a loss per batch for the chart, and a
/// checkpoint every [`CHECKPOINT_STRIDE`] batches. A run that would need more is refused up
/// front; `train` and `trace` keep nothing per batch and take any length.
pub const HISTORY_BUDGET: usize = 256 << 20;

/// Bytes of history per batch with `d` features, checkpoints shared out over their stride, for
/// a run that zeroes `.grad` after each update (the lesson's; see [`history_per_batch_of`]).
pub fn history_per_batch(d: usize) -> usize {
    history_per_batch_of(d, false)
}

/// Bytes of history per batch with `d` features; a run that forgets `zero_()` keeps what
/// `.grad` held at each checkpoint too. An upper bound on [`Session::history_bytes`].
pub fn history_per_batch_of(d: usize, keeps_grad: bool) -> usize {
    let f64s = |n: usize| n * std::mem::size_of::<f64>();
    let mut checkpoint = std::mem::size_of::<Checkpoint>() + f64s(d + 1);
    if keeps_grad {
        checkpoint += std::mem::size_of::<batch::Held>() + f64s(d + 1);
    }
    std::mem::size_of::<f64>() + checkpoint.div_ceil(CHECKPOINT_STRIDE)
}

/// The most batches a session over `d` features can step through.
pub fn max_session_batches(d: usize) -> usize {
    max_session_batches_of(d, false)
}

/// The most batches a session over `d` features can step through, keeping `.grad` or not.
pub fn max_session_batches_of(d: usize, keeps_grad: bool) -> usize {
    HISTORY_BUDGET / history_per_batch_of(d, keeps_grad)
}

/// How far a long jump has got (see [`Session::advance`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Batches computed so far, from the first.
    pub done: usize,
    /// Batches that must be computed before the jump can land.
    pub needed: usize,
}

impl Progress {
    pub fn finished(&self) -> bool {
        self.done >= self.needed
    }
}

/// Where a long move lands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jump {
    /// The last batch of the run.
    End,
    /// The first batch of the next epoch.
    NextEpoch,
    /// A 0-based global batch.
    Batch(usize),
}

/// Why a run cannot start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidRun(pub String);

fn check_lr(lr: f64) -> Result<(), InvalidRun> {
    if lr.is_finite() && lr > 0.0 {
        Ok(())
    } else {
        Err(InvalidRun(format!(
            "learning rate must be a positive finite number, got {lr}"
        )))
    }
}

/// A live change of lr and batch size from batch `at` (see [`Schedule::change`]), kept only if
/// `fits` takes the schedule it makes (the caller's memory budget): whether the schedule
/// changed. The linear and the two-layer sessions change their runs through it.
pub(super) fn change_schedule(
    schedule: &mut Schedule,
    at: usize,
    (lr, batch_size): (f64, usize),
    fits: impl FnOnce(&Schedule) -> Result<(), InvalidRun>,
) -> Result<bool, InvalidRun> {
    check_lr(lr)?;
    if batch_size == 0 {
        return Err(InvalidRun("batch size must be at least 1".into()));
    }
    if at >= schedule.total_batches() {
        return Ok(false);
    }
    let before = schedule.clone();
    schedule.change(at, lr, batch_size);
    if schedule.segments() == before.segments() {
        return Ok(false);
    }
    if let Err(too_long) = fits(schedule) {
        *schedule = before;
        return Err(too_long);
    }
    Ok(true)
}

/// Checks what [`Session::new`] and [`train`](super::train) rely on.
pub fn validate(data: &Dataset, hyper: &Hyper, init: &Params) -> Result<(), InvalidRun> {
    let fail = |m: String| Err(InvalidRun(m));
    if data.n() == 0 {
        return fail("the data set has no rows".into());
    }
    if hyper.batch_size == 0 {
        return fail("batch size must be at least 1".into());
    }
    if hyper.epochs == 0 {
        return fail("epochs must be at least 1".into());
    }
    check_lr(hyper.lr)?;
    let per_epoch = data.n().div_ceil(hyper.batch_size);
    if hyper
        .epochs
        .checked_mul(per_epoch)
        .is_none_or(|total| total > super::MAX_BATCHES)
    {
        return fail(format!(
            "{} epochs of {per_epoch} mini-batches is more than the {} mini-batches a run may have",
            hyper.epochs,
            super::MAX_BATCHES
        ));
    }
    if init.w.len() != data.d() {
        return fail(format!(
            "initial w has {} entries but the data has {} features",
            init.w.len(),
            data.d()
        ));
    }
    Ok(())
}

/// Refuses a run whose history would pass [`HISTORY_BUDGET`].
fn check_length(schedule: &Schedule, d: usize, keeps_grad: bool) -> Result<(), InvalidRun> {
    let total = schedule.total_batches();
    let most = max_session_batches_of(d, keeps_grad);
    if total <= most {
        return Ok(());
    }
    Err(InvalidRun(format!(
        "this run has {total} mini-batches, and stepping through it keeps {} bytes of history for each \
         (its loss, and checkpoints to go back exactly); with {d} features at most {most} fit in the \
         {} MiB allowed: use fewer --epochs or a larger --batch-size, or `gradstep train` or `gradstep trace`, \
         which keep nothing per batch",
        history_per_batch_of(d, keeps_grad),
        HISTORY_BUDGET >> 20
    )))
}

/// A run being stepped through.
#[derive(Clone, Debug)]
pub struct Session {
    data: Dataset,
    hyper: Hyper,
    schedule: Schedule,
    /// Checkpoints and losses, shared with the sessions cloned from this one until one writes.
    history: History,
    /// The first batch whose values overflowed; the run ends there.
    diverged_at: Option<usize>,
    scratch: Scratch,
    batch: Batch,
    granularity: Granularity,
    steps: Vec<Step>,
    step: usize,
}

impl Session {
    pub fn new(data: Dataset, hyper: Hyper, init: Params) -> Result<Self, InvalidRun> {
        validate(&data, &hyper, &init)?;
        let mut schedule = Schedule::new(data.n(), &hyper);
        check_length(&schedule, data.d(), !hyper.zero_grad)?;
        let pos = schedule.position(0);
        let held = (!hyper.zero_grad).then(|| batch::Held::zeros(data.d()));
        let first = batch::compute(
            &data,
            schedule.indices(0),
            &init,
            &hyper,
            pos,
            held.as_ref(),
        );
        let granularity = Granularity::default();
        let steps = step::steps(first.rows(), granularity, pos.epoch_end);
        let mut session = Session {
            data,
            hyper,
            schedule,
            history: History::new((init, held.map(Box::new))),
            diverged_at: None,
            scratch: Scratch::default(),
            batch: first.clone(),
            granularity,
            steps,
            step: 0,
        };
        session.record(&first);
        Ok(session)
    }

    /// Applies learning-rate and batch-size changes given before the run starts (see
    /// [`Schedule::apply`]); the first batch is unaffected, so nothing computed so far changes.
    pub fn with_changes(mut self, changes: &[Change]) -> Result<Self, InvalidRun> {
        self.schedule.apply(changes).map_err(|e| InvalidRun(e.0))?;
        check_length(&self.schedule, self.data.d(), !self.hyper.zero_grad)?;
        Ok(self)
    }

    /// Batches computed so far, from the first: the explored frontier. Any batch before it is
    /// reached by replaying at most `CHECKPOINT_STRIDE - 1` updates.
    pub fn explored(&self) -> usize {
        self.history.get().batch_losses.len()
    }

    /// About how many bytes this session's history takes (see [`HISTORY_BUDGET`]).
    pub fn history_bytes(&self) -> usize {
        self.history.bytes()
    }

    /// Whether another session (cloned from this one, or this one from it) holds the same
    /// history: it is kept once, and copied by the first to record something new.
    pub fn history_shared(&self) -> bool {
        self.history.shared()
    }

    /// Whether `other` holds this very history.
    pub fn shares_history_with(&self, other: &Session) -> bool {
        self.history.shared_with(&other.history)
    }

    /// The 0-based batch a jump would land on now. It may come earlier once the run is
    /// explored that far, if the values overflow on the way.
    pub fn jump_target(&self, jump: Jump) -> usize {
        let last = self.last_batch();
        match jump {
            Jump::End => last,
            Jump::Batch(g) => g.min(last),
            Jump::NextEpoch => {
                let pos = self.schedule.position(self.batch.global);
                // The rest of this epoch, then one more.
                let rest = pos.epoch_batches.saturating_sub(pos.batch);
                self.batch.global.saturating_add(rest + 1).min(last)
            }
        }
    }

    /// Computes up to `budget` more batches towards `target` (0-based), so that a later move to
    /// it costs no more than a step. A long jump calls this in slices, checking for keys and
    /// signals in between; nothing on screen changes until the move itself. Finished once every
    /// batch before `target` is known, or the run has overflowed before it.
    pub fn advance(&mut self, target: usize, budget: usize) -> Progress {
        let target = target.min(self.last_batch());
        let from = self.explored();
        if from < target {
            let to = target.min(from.saturating_add(budget.max(1)));
            self.params_before(to);
        }
        let needed = target.min(self.last_batch());
        Progress {
            done: self.explored().min(needed),
            needed,
        }
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }

    /// The current mini-batch with everything computed for it.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    pub fn step(&self) -> Step {
        self.steps[self.step]
    }

    /// The steps of the current batch, and the index of the current one.
    pub fn steps(&self) -> (&[Step], usize) {
        (&self.steps, self.step)
    }

    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    /// Batches in the current batch's epoch, as the run is scheduled now: "batch 7 of 8" stays
    /// true after a change of batch size.
    pub fn batches_in_epoch(&self) -> usize {
        self.schedule.position(self.batch.global).epoch_batches
    }

    /// Batches in the run as configured (the run stops early if it diverges).
    pub fn total_batches(&self) -> usize {
        self.schedule.total_batches()
    }

    /// The first batch whose values overflowed, once the run has reached it.
    pub fn diverged_at(&self) -> Option<usize> {
        self.diverged_at
    }

    /// L = Σ½δ² of every batch from the first up to the furthest one reached so far.
    pub fn batch_losses(&self) -> &[f64] {
        &self.history.get().batch_losses
    }

    /// The mean loss over the whole data set after each epoch reached so far.
    pub fn epoch_losses(&self) -> &[EpochLoss] {
        &self.history.get().epoch_losses
    }

    /// Which rows go into which batch, and with which settings, as the run is scheduled now.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The learning-rate and batch-size changes of the run, the first being its start.
    pub fn segments(&self) -> &[Segment] {
        self.schedule.segments()
    }

    /// The last global batch that can be reached.
    fn last_batch(&self) -> usize {
        self.diverged_at
            .unwrap_or(self.total_batches().saturating_sub(1))
    }

    /// Notes a batch reached for the first time: its loss, its epoch's mean, its divergence.
    fn note(
        &mut self,
        global: usize,
        loss: f64,
        finite: bool,
        after: impl FnOnce(&Self) -> Option<f64>,
    ) {
        if global != self.explored() {
            return;
        }
        let pos = self.schedule.position(global);
        let mean = if pos.epoch_end { after(self) } else { None };
        let history = self.history.edit();
        history.batch_losses.push(loss);
        if let Some(mean) = mean {
            history.epoch_losses.push(EpochLoss {
                epoch: pos.epoch,
                global,
                loss: mean,
            });
        }
        if !finite && self.diverged_at.is_none() {
            self.diverged_at = Some(global);
        }
    }

    fn record(&mut self, b: &Batch) {
        self.note(b.global, b.loss, b.is_finite(), |_| b.epoch_loss);
    }

    /// The parameters before each of the batches `gs` (ascending, within the explored run),
    /// replayed from the nearest checkpoints without recording anything: how the pictures sample
    /// the path of a long run. Batches past what has been explored are left out.
    pub fn params_at(&self, gs: &[usize]) -> Vec<(usize, Params)> {
        let mut schedule = self.schedule.clone();
        let mut scratch = Scratch::default();
        let mut out = Vec::with_capacity(gs.len());
        for &g in gs.iter().filter(|&&g| g <= self.explored()) {
            let checkpoints = &self.history.get().checkpoints;
            let k = (g / CHECKPOINT_STRIDE).min(checkpoints.len().saturating_sub(1));
            let Some((start, held)) = checkpoints.get(k) else {
                break;
            };
            let mut p = start.clone();
            scratch.set_held(held.as_deref().cloned());
            for h in k * CHECKPOINT_STRIDE..g {
                let hyper = schedule.hyper_at(&self.hyper, h);
                let indices = schedule.indices(h);
                batch::sgd_step(&self.data, indices, &mut p, &hyper, &mut scratch);
            }
            out.push((g, p));
        }
        out
    }

    /// Parameters before global batch `g`, replayed from the nearest checkpoint, and what
    /// `.grad` holds then (when the run keeps gradients). Walking past the explored frontier
    /// records new checkpoints, losses and divergence.
    fn params_before(&mut self, g: usize) -> (Params, Option<batch::Held>) {
        let checkpoints = &self.history.get().checkpoints;
        let k = (g / CHECKPOINT_STRIDE).min(checkpoints.len() - 1);
        let (mut p, held) = checkpoints[k].clone();
        self.scratch.set_held(held.map(|h| *h));
        for h in k * CHECKPOINT_STRIDE..g {
            let hyper = self.schedule.hyper_at(&self.hyper, h);
            let indices = self.schedule.indices(h);
            let (loss, finite) =
                batch::sgd_step(&self.data, indices, &mut p, &hyper, &mut self.scratch);
            self.note(h, loss, finite, |s| Some(batch::full_loss(&s.data, &p)));
            if (h + 1) % CHECKPOINT_STRIDE == 0
                && (h + 1) / CHECKPOINT_STRIDE == self.history.get().checkpoints.len()
            {
                let held = self.scratch.held().cloned();
                self.history
                    .edit()
                    .checkpoints
                    .push((p.clone(), held.map(Box::new)));
            }
        }
        (p, self.scratch.held().cloned())
    }

    /// Makes global batch `g` current, at step `step` (clamped; `usize::MAX` means its last).
    fn go(&mut self, g: usize, step: usize) {
        // Reaching g may reveal an earlier divergence, which then becomes the end of the run.
        let mut g = g.min(self.last_batch());
        let (mut params, mut held) = self.params_before(g);
        if let Some(stop) = self.diverged_at
            && g > stop
        {
            g = stop;
            (params, held) = self.params_before(g);
        }
        let pos = self.schedule.position(g);
        let hyper = self.schedule.hyper_at(&self.hyper, g);
        let b = batch::compute(
            &self.data,
            self.schedule.indices(g),
            &params,
            &hyper,
            pos,
            held.as_ref(),
        );
        self.record(&b);
        self.steps = step::steps(b.rows(), self.granularity, pos.epoch_end);
        self.step = step.min(self.steps.len() - 1);
        self.batch = b;
    }

    pub fn at_start(&self) -> bool {
        self.batch.global == 0 && self.step == 0
    }

    pub fn at_end(&self) -> bool {
        self.batch.global == self.last_batch() && self.step + 1 == self.steps.len()
    }

    /// One step forward, into the next batch after the last step. False at the end of the run.
    pub fn next_step(&mut self) -> bool {
        if self.step + 1 < self.steps.len() {
            self.step += 1;
            return true;
        }
        self.next_batch()
    }

    /// One step back, into the previous batch's last step from the first. False at the start.
    pub fn prev_step(&mut self) -> bool {
        if self.step > 0 {
            self.step -= 1;
            return true;
        }
        if self.batch.global == 0 {
            return false;
        }
        self.go(self.batch.global - 1, usize::MAX);
        true
    }

    /// The first step of the next batch. False at the end of the run.
    pub fn next_batch(&mut self) -> bool {
        let g = self.batch.global;
        if g >= self.last_batch() {
            return false;
        }
        self.go(g + 1, 0);
        // Divergence found on the way can pull the end back to where we already are.
        self.batch.global != g
    }

    /// The first step of this batch, or of the previous one when already there.
    pub fn prev_batch(&mut self) -> bool {
        let g = self.batch.global;
        if self.step > 0 {
            self.step = 0;
            return true;
        }
        if g == 0 {
            return false;
        }
        self.go(g - 1, 0);
        true
    }

    /// The first step of the next epoch's first batch, or the end of the run in the last epoch.
    pub fn next_epoch(&mut self) -> bool {
        let target = self.jump_target(Jump::NextEpoch);
        if target >= self.last_batch() {
            return self.last();
        }
        self.go(target, 0);
        true
    }

    /// The first step of global batch `global` (0-based; clamped to the end of the run).
    pub fn go_to_batch(&mut self, global: usize) {
        self.go(global, 0);
    }

    /// The first step of the run.
    pub fn first(&mut self) -> bool {
        if self.at_start() {
            return false;
        }
        self.go(0, 0);
        true
    }

    /// The last step of the run (walks the whole run the first time).
    pub fn last(&mut self) -> bool {
        if self.at_end() {
            return false;
        }
        let g = self.last_batch();
        self.go(g, usize::MAX);
        true
    }

    /// Switches between per-sample and whole-matrix steps, staying on the equivalent step.
    pub fn set_granularity(&mut self, granularity: Granularity) {
        if granularity == self.granularity {
            return;
        }
        let target = step::equivalent(self.step(), granularity);
        self.granularity = granularity;
        let pos = self.schedule.position(self.batch.global);
        self.steps = step::steps(self.batch.rows(), granularity, pos.epoch_end);
        self.step = self.steps.iter().position(|s| *s == target).unwrap_or(0);
    }

    /// From the next batch on, train with this learning rate and batch size. The current batch
    /// stays as computed; whatever had been explored beyond it is recomputed with the new values,
    /// and stepping back before the change shows the old ones. Asking for the current values
    /// takes back a change waiting at the next batch. False when nothing changes (same values and
    /// nothing waiting, or already at the last batch). Refused, with nothing changed, when the
    /// run would grow past the history budget that [`Session::new`] enforces.
    pub fn change_hyper(&mut self, lr: f64, batch_size: usize) -> Result<bool, InvalidRun> {
        let at = self.batch.global + 1;
        let (d, keeps_grad) = (self.data.d(), !self.hyper.zero_grad);
        // A smaller batch size lengthens the run: the same budget as at start-up, or no change.
        let fits = |s: &Schedule| check_length(s, d, keeps_grad);
        if !change_schedule(&mut self.schedule, at, (lr, batch_size), fits)? {
            return Ok(false);
        }
        // Checkpoints before `at` depend only on earlier batches and stay valid.
        self.history.truncate(at / CHECKPOINT_STRIDE + 1, at);
        if self.diverged_at.is_some_and(|d| d >= at) {
            self.diverged_at = None;
        }
        let pos = self.schedule.position(self.batch.global);
        self.steps = step::steps(self.batch.rows(), self.granularity, pos.epoch_end);
        self.step = self.step.min(self.steps.len() - 1);
        Ok(true)
    }

    /// Parameters after the current batch's update, or before it until the update step is reached.
    pub fn params_shown(&self) -> Params {
        let updated = self.steps[..=self.step].contains(&Step::Update);
        if updated {
            self.batch.next_params()
        } else {
            Params {
                w: self.batch.w.clone(),
                b: self.batch.b,
            }
        }
    }
}
