//! Stepping through a two-layer run: where the lesson is (batch, step) and how to move.
//!
//! The steps of a batch are read off the batch's tape: the forward pass by sample, the loss,
//! then one group of steps for each node `backward()` visits that a teacher stops at: the
//! error (δ), each layer's matrix product with a parameter (its running sums), and the
//! activation (δ₁, sent back through σ′). A longer tape gives more steps, not another table.

use std::sync::Arc;

use super::mlp::{self, Activation, MlpBatch, MlpParams, TwoLayer};
use super::mlp_losses::MlpLosses;
use super::mlp_train::{MlpTraining, MlpUpdate};
use super::schedule::{Change, Schedule, Segment};
use super::session::{HISTORY_BUDGET, InvalidRun, change_schedule};
use super::step::Granularity;
use super::tape::mlp::Mlp;
use super::tape::{NodeId, Op};
use super::{Hyper, Objective};
use crate::data::Dataset;

/// Keep the parameters before every this many batches; any other batch is a short replay.
const CHECKPOINT_STRIDE: usize = 16;

/// One step of a two-layer batch. `layer` is 1 or 2; `sample` is 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MlpStep {
    /// The mini-batch is drawn: X and y.
    Draw,
    /// z⁽ⁱ⁾ = x⁽ⁱ⁾W₁ + b₁, h⁽ⁱ⁾ = σ(z⁽ⁱ⁾), ŷ⁽ⁱ⁾ = h⁽ⁱ⁾W₂ + b₂ for one sample.
    ForwardSample { sample: usize },
    /// Z, H and ŷ for the whole batch at once.
    Forward,
    /// l⁽ⁱ⁾ = ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)² and L = Σ l⁽ⁱ⁾ (or their mean).
    Loss,
    /// δ = ŷ − y.
    Errors,
    /// A layer's running sums after sample `sample`: ∂L/∂W₂ += h⁽ⁱ⁾ᵀδ⁽ⁱ⁾ (layer 2), ∂L/∂W₁ +=
    /// x⁽ⁱ⁾ᵀδ₁⁽ⁱ⁾ (layer 1), and the bias's.
    Accumulate { layer: u8, sample: usize },
    /// A layer's gradients as matrices: Hᵀδ and Σδ, or Xᵀδ₁ and Σδ₁.
    Grads { layer: u8 },
    /// δ₁⁽ⁱ⁾ = (δ⁽ⁱ⁾W₂ᵀ) ⊙ σ′(z⁽ⁱ⁾) for one sample.
    SendBack { sample: usize },
    /// δ₁ = (δW₂ᵀ) ⊙ σ′(Z) for the batch.
    SendBackAll,
    /// All four parameters: p ← p − lr·∂L/∂p / divisor.
    Update,
}

impl MlpStep {
    /// Whether this step is where the linear lesson's step of kind `linear` lives one layer
    /// further, so a lesson plan written for the linear model stops here too: the second layer's
    /// sums and gradients are the lesson's formulas with H in place of X. The epoch's summary has
    /// no two-layer screen, so nothing carries it.
    pub fn carries(self, linear: &str) -> bool {
        match self {
            MlpStep::Draw => linear == "draw",
            MlpStep::ForwardSample { .. } => linear == "forward_sample",
            MlpStep::Forward => linear == "forward",
            MlpStep::Loss => linear == "loss",
            MlpStep::Errors => linear == "errors",
            MlpStep::Accumulate { layer: 2, .. } => linear == "accumulate",
            MlpStep::Grads { layer: 2 } => matches!(linear, "grad_w" | "grad_b"),
            MlpStep::Update => linear == "update",
            MlpStep::Accumulate { .. }
            | MlpStep::Grads { .. }
            | MlpStep::SendBack { .. }
            | MlpStep::SendBackAll => false,
        }
    }

    /// A stable name, used by the lesson file to attach text to each kind of step.
    pub fn kind(self) -> &'static str {
        match self {
            MlpStep::Draw => "draw",
            MlpStep::ForwardSample { .. } => "mlp_forward_sample",
            MlpStep::Forward => "mlp_forward",
            MlpStep::Loss => "loss",
            MlpStep::Errors => "errors",
            MlpStep::Accumulate { layer: 2, .. } => "mlp_accumulate_2",
            MlpStep::Accumulate { .. } => "mlp_accumulate_1",
            MlpStep::Grads { layer: 2 } => "mlp_grads_2",
            MlpStep::Grads { .. } => "mlp_grads_1",
            MlpStep::SendBack { .. } => "mlp_send_back",
            MlpStep::SendBackAll => "mlp_send_back_all",
            MlpStep::Update => "mlp_update",
        }
    }

    /// Every kind, one step of each, for tests and snapshots.
    pub const EXAMPLES: [MlpStep; 12] = [
        MlpStep::Draw,
        MlpStep::ForwardSample { sample: 0 },
        MlpStep::Forward,
        MlpStep::Loss,
        MlpStep::Errors,
        MlpStep::Accumulate {
            layer: 2,
            sample: 0,
        },
        MlpStep::Grads { layer: 2 },
        MlpStep::SendBack { sample: 0 },
        MlpStep::SendBackAll,
        MlpStep::Accumulate {
            layer: 1,
            sample: 0,
        },
        MlpStep::Grads { layer: 1 },
        MlpStep::Update,
    ];

    /// The sample this step is about, if it is about one.
    pub fn sample(self) -> Option<usize> {
        match self {
            MlpStep::ForwardSample { sample }
            | MlpStep::Accumulate { sample, .. }
            | MlpStep::SendBack { sample } => Some(sample),
            _ => None,
        }
    }

    /// Where `self` lands when the granularity changes: per-sample steps fold into their matrix
    /// step.
    pub fn equivalent(self, granularity: Granularity) -> MlpStep {
        match (self, granularity) {
            (MlpStep::ForwardSample { .. }, Granularity::Matrix) => MlpStep::Forward,
            (MlpStep::Accumulate { layer, .. }, Granularity::Matrix) => MlpStep::Grads { layer },
            (MlpStep::SendBack { .. }, Granularity::Matrix) => MlpStep::SendBackAll,
            (other, _) => other,
        }
    }
}

/// The steps of one batch, read off its tape: the forward pass, then the nodes `backward()`
/// visits, in its order, each that a teacher stops at giving its step (or a step per sample).
pub fn steps(tape: &Mlp, granularity: Granularity) -> Vec<MlpStep> {
    let rows = tape.rows();
    let per_sample = granularity == Granularity::Sample;
    let each = |f: &dyn Fn(usize) -> MlpStep, whole: MlpStep| -> Vec<MlpStep> {
        if per_sample {
            (0..rows).map(f).collect()
        } else {
            vec![whole]
        }
    };
    let mut out = vec![MlpStep::Draw];
    if per_sample {
        out.extend((0..rows).map(|sample| MlpStep::ForwardSample { sample }));
    }
    out.extend([MlpStep::Forward, MlpStep::Loss]);
    for id in tape.tape.backward_order(tape.loss) {
        let node = &tape.tape.nodes()[id.0];
        let param_of = |weight: NodeId| node.inputs.get(1) == Some(&weight);
        match node.op {
            Some(Op::Sub) if id == tape.error => out.push(MlpStep::Errors),
            Some(Op::MatMul) if param_of(tape.w2) => {
                if per_sample {
                    out.extend((0..rows).map(|sample| MlpStep::Accumulate { layer: 2, sample }));
                }
                out.push(MlpStep::Grads { layer: 2 });
            }
            Some(Op::MatMul) if param_of(tape.w1) => {
                if per_sample {
                    out.extend((0..rows).map(|sample| MlpStep::Accumulate { layer: 1, sample }));
                }
                out.push(MlpStep::Grads { layer: 1 });
            }
            Some(Op::Relu | Op::Tanh | Op::Sigmoid) if id == tape.h => {
                out.extend(each(
                    &|sample| MlpStep::SendBack { sample },
                    MlpStep::SendBackAll,
                ));
            }
            _ => {}
        }
    }
    out.push(MlpStep::Update);
    out
}

/// Bytes of one checkpoint of parameters shaped as `p`; a run that forgets `zero_()` keeps
/// what `.grad` holds there too, of the same shape.
fn checkpoint_bytes(p: &MlpParams, keeps_grad: bool) -> usize {
    let floats = p
        .d()
        .saturating_mul(p.hidden())
        .saturating_add(2 * p.hidden() + 1);
    let one = floats
        .saturating_mul(std::mem::size_of::<f64>())
        .saturating_add(std::mem::size_of::<MlpParams>());
    if keeps_grad {
        one.saturating_mul(2)
    } else {
        one
    }
}

/// Where the run stands before a batch: the parameters, and what `.grad` holds then when the
/// run keeps gradients (`None` with `zero_()`).
#[derive(Clone, Debug)]
struct Checkpoint {
    params: MlpParams,
    held: Option<MlpParams>,
}

impl Checkpoint {
    fn of(training: &MlpTraining) -> Checkpoint {
        Checkpoint {
            params: training.params().clone(),
            held: training.held().cloned(),
        }
    }
}

/// A two-layer run being stepped through.
#[derive(Clone, Debug)]
pub struct MlpSession {
    data: Dataset,
    hyper: Hyper,
    model: TwoLayer,
    /// Which rows and settings each batch takes, `--change` and the live changes applied.
    schedule: Schedule,
    /// The parameters before batch `k · CHECKPOINT_STRIDE`, for every such batch reached;
    /// shared by clones (serve's followers) until one of them records more.
    checkpoints: Arc<Vec<Checkpoint>>,
    /// The loss of every batch computed so far (thinned on a long run) and each epoch's mean
    /// loss, noted as the batches are computed: the loss chart's, so it trains nothing itself.
    /// Shared by clones like the checkpoints.
    losses: Arc<MlpLosses>,
    granularity: Granularity,
    /// The current batch and the parameters after it.
    update: MlpUpdate,
    next: MlpParams,
    steps: Vec<MlpStep>,
    step: usize,
}

impl MlpSession {
    pub fn new(data: Dataset, hyper: Hyper, model: TwoLayer) -> Result<MlpSession, InvalidRun> {
        let schedule = Schedule::new(data.n(), &hyper);
        check_length(&schedule, &model.init, !hyper.zero_grad)?;
        let mut training = MlpTraining::on_schedule(&data, &hyper, &model, schedule.clone())?;
        let update = training
            .next_update()
            .ok_or_else(|| InvalidRun("the run has no mini-batch".into()))?;
        let next = training.params().clone();
        let granularity = Granularity::default();
        let steps = Self::steps_of(&update, &model, granularity)?;
        let mut losses = Arc::new(MlpLosses::default());
        note(&mut losses, (&data, model.activation), &update, &next);
        Ok(MlpSession {
            checkpoints: Arc::new(vec![Checkpoint {
                params: model.init.clone(),
                held: None,
            }]),
            losses,
            data,
            hyper,
            model,
            schedule,
            granularity,
            update,
            next,
            steps,
            step: 0,
        })
    }

    /// The same run with `changes` of learning rate and batch size (`--change`), at its first
    /// batch.
    pub fn with_changes(mut self, changes: &[Change]) -> Result<MlpSession, InvalidRun> {
        if !changes.is_empty() {
            self.reschedule(changes)?;
        }
        Ok(self)
    }

    /// The run from its start with only `changes` beyond its own settings (none: as the command
    /// line's options alone make it), at its first batch. Nothing changes on an error.
    pub fn reschedule(&mut self, changes: &[Change]) -> Result<(), InvalidRun> {
        let mut schedule = Schedule::new(self.data.n(), &self.hyper);
        schedule.apply(changes).map_err(|e| InvalidRun(e.0))?;
        check_length(&schedule, &self.model.init, !self.hyper.zero_grad)?;
        self.schedule = schedule;
        Arc::make_mut(&mut self.checkpoints).truncate(1);
        self.losses = Arc::new(MlpLosses::default());
        self.go_to_batch(0);
        Ok(())
    }

    /// From the next batch on, `lr` and `batch_size` (a live change, `]` `[` `}` `{`); later
    /// changes are forgotten. Whether the run changed; refused, with nothing changed, when the
    /// smaller batch size would make the run too long to step through.
    pub fn change_hyper(&mut self, lr: f64, batch_size: usize) -> Result<bool, InvalidRun> {
        let at = self.global() + 1;
        let (init, keeps_grad) = (&self.model.init, !self.hyper.zero_grad);
        let fits = |s: &Schedule| check_length(s, init, keeps_grad);
        if !change_schedule(&mut self.schedule, at, (lr, batch_size), fits)? {
            return Ok(false);
        }
        // Checkpoints up to batch `at` depend only on earlier batches and stay valid.
        Arc::make_mut(&mut self.checkpoints).truncate(at / CHECKPOINT_STRIDE + 1);
        if self.losses.next() > at {
            Arc::make_mut(&mut self.losses).truncate(at);
        }
        Ok(true)
    }

    /// The same data and schedule (its learning-rate and batch-size changes kept) through
    /// another network or objective, recomputed from its first batch, where it is: a lesson
    /// stop that sets `hidden`, `activation` or `objective` (each decides every batch's numbers).
    pub fn remodel(&self, model: TwoLayer, objective: Objective) -> Result<MlpSession, InvalidRun> {
        let hyper = Hyper {
            objective,
            ..self.hyper.clone()
        };
        self.rerun(model, hyper)
    }

    /// The same run with the lesson's `param.grad.zero_()` (`zero_grad`) or without it (`z`),
    /// recomputed from its first batch, where it is; refused when keeping `.grad` at each
    /// checkpoint would make the run too long to step through.
    pub fn with_zero_grad(&self, zero_grad: bool) -> Result<MlpSession, InvalidRun> {
        let hyper = Hyper {
            zero_grad,
            ..self.hyper.clone()
        };
        self.rerun(self.model.clone(), hyper)
    }

    /// The same data and schedule through `model` with `hyper`'s objective and `.grad` rule.
    fn rerun(&self, model: TwoLayer, mut hyper: Hyper) -> Result<MlpSession, InvalidRun> {
        if let Some(first) = self.segments().first() {
            hyper.lr = first.lr;
            hyper.batch_size = first.batch_size;
        }
        MlpSession::new(self.data.clone(), hyper, model)?
            .with_changes(&Change::all_of(self.segments()))
    }

    /// The learning-rate and batch-size changes of the run, the first being its start.
    pub fn segments(&self) -> &[Segment] {
        self.schedule.segments()
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The parameters the run starts from.
    pub fn init(&self) -> &MlpParams {
        &self.model.init
    }

    /// Hidden units and activation: what a two-layer run is, beyond the linear run's options.
    pub fn model(&self) -> &TwoLayer {
        &self.model
    }

    fn steps_of(
        u: &MlpUpdate,
        model: &TwoLayer,
        granularity: Granularity,
    ) -> Result<Vec<MlpStep>, InvalidRun> {
        let tape = Mlp::record(
            u.batch.x.clone(),
            &u.batch.y,
            &u.before,
            model.activation,
            u.hyper.objective,
        )
        .map_err(|e| InvalidRun(e.0))?;
        Ok(steps(&tape, granularity))
    }

    pub fn data(&self) -> &Dataset {
        &self.data
    }

    pub fn hyper(&self) -> &Hyper {
        &self.hyper
    }

    pub fn activation(&self) -> Activation {
        self.model.activation
    }

    /// The current batch: where it is, its settings, the parameters before it, every value.
    pub fn update(&self) -> &MlpUpdate {
        &self.update
    }

    pub fn batch(&self) -> &MlpBatch {
        &self.update.batch
    }

    /// The parameters after the current batch's update.
    pub fn next_params(&self) -> &MlpParams {
        &self.next
    }

    pub fn objective(&self) -> Objective {
        self.update.hyper.objective
    }

    pub fn total_batches(&self) -> usize {
        self.schedule.total_batches()
    }

    /// Batches per epoch at the batch size in force at the end of the run.
    pub fn batches_per_epoch(&self) -> usize {
        self.schedule.batches_per_epoch()
    }

    pub fn steps(&self) -> &[MlpStep] {
        &self.steps
    }

    pub fn step(&self) -> MlpStep {
        self.steps[self.step]
    }

    pub fn step_index(&self) -> usize {
        self.step
    }

    pub fn granularity(&self) -> Granularity {
        self.granularity
    }

    pub fn global(&self) -> usize {
        self.update.pos.global
    }

    /// Batches whose parameters are known without replaying more than a stride: the explored
    /// frontier (see [`MlpSession::explore`]).
    pub fn explored(&self) -> usize {
        (self.checkpoints.len() - 1) * CHECKPOINT_STRIDE
    }

    /// Whether `other` holds this session's very checkpoints and losses (a clone that recorded
    /// none since).
    pub fn shares_history_with(&self, other: &MlpSession) -> bool {
        Arc::ptr_eq(&self.checkpoints, &other.checkpoints)
            && Arc::ptr_eq(&self.losses, &other.losses)
    }

    /// What the session has noted of the run's losses (see [`MlpLosses`]).
    pub fn losses(&self) -> &MlpLosses {
        &self.losses
    }

    /// (batch, its L) as the loss chart draws them up to the current batch: the points kept
    /// before it, then the current batch itself, so the chart ends where the run is.
    pub fn batch_losses(&self) -> impl Iterator<Item = (usize, f64)> + '_ {
        let now = self.global();
        let kept = self.losses.batches().take_while(move |p| p.0 < now);
        kept.chain(std::iter::once((now, self.update.batch.loss)))
    }

    /// (the batch that ended an epoch, the data's mean loss after it) for every epoch computed
    /// so far (thinned on a long run), including any past the current batch.
    pub fn epoch_losses(&self) -> &[(usize, f64)] {
        self.losses.epochs()
    }

    /// Whether another clone holds these checkpoints too.
    pub fn history_shared(&self) -> bool {
        Arc::strong_count(&self.checkpoints) > 1
    }

    /// About how many bytes the checkpoints and the losses noted take.
    pub fn history_bytes(&self) -> usize {
        self.history_bytes_to(self.explored())
    }

    /// About how many bytes the checkpoints would take, explored as far as batch `global`, with
    /// the most the losses noted for the chart take (bounded however long the run).
    pub fn history_bytes_to(&self, global: usize) -> usize {
        let one = checkpoint_bytes(&self.model.init, !self.hyper.zero_grad);
        (global / CHECKPOINT_STRIDE + 1)
            .saturating_mul(one)
            .saturating_add(self.losses.most_bytes())
    }

    /// Computes at most about `budget` batches of the way to batch `target`, keeping their
    /// checkpoints, so that a long move can be made a slice at a time and stopped in between.
    /// True once [`MlpSession::go_to_batch`] to `target` has at most a stride left to replay
    /// (or the run can go no further).
    pub fn explore(&mut self, target: usize, budget: usize) -> bool {
        let want = target.min(self.total_batches().saturating_sub(1)) / CHECKPOINT_STRIDE;
        if self.checkpoints.len() > want {
            return true;
        }
        let k = self.checkpoints.len() - 1;
        let start = k * CHECKPOINT_STRIDE;
        let Some(mut training) = replay_from(
            (&self.data, &self.hyper, &self.schedule),
            self.model.activation,
            k,
            &self.checkpoints[k],
        ) else {
            return true;
        };
        // Whole strides only: a checkpoint is kept at the end of each.
        let end = (want * CHECKPOINT_STRIDE)
            .min(start + budget.max(1).next_multiple_of(CHECKPOINT_STRIDE));
        let seen = (&self.data, self.model.activation);
        for g in start..end {
            let Some(u) = training.next_update() else {
                return true;
            };
            note(&mut self.losses, seen, &u, training.params());
            if (g + 1) % CHECKPOINT_STRIDE == 0 {
                Arc::make_mut(&mut self.checkpoints).push(Checkpoint::of(&training));
            }
        }
        self.checkpoints.len() > want
    }

    /// Goes to batch `global` (clamped to the run), at its first step.
    pub fn go_to_batch(&mut self, global: usize) {
        let global = global.min(self.total_batches().saturating_sub(1));
        let k = (global / CHECKPOINT_STRIDE).min(self.checkpoints.len() - 1);
        let start = k * CHECKPOINT_STRIDE;
        let Some(mut training) = replay_from(
            (&self.data, &self.hyper, &self.schedule),
            self.model.activation,
            k,
            &self.checkpoints[k],
        ) else {
            return;
        };
        let mut landed = None;
        for g in start..=global {
            if g % CHECKPOINT_STRIDE == 0 && g / CHECKPOINT_STRIDE == self.checkpoints.len() {
                Arc::make_mut(&mut self.checkpoints).push(Checkpoint::of(&training));
            }
            let Some(u) = training.next_update() else {
                break;
            };
            note(
                &mut self.losses,
                (&self.data, self.model.activation),
                &u,
                training.params(),
            );
            landed = Some((u, training.params().clone()));
        }
        if let Some((u, next)) = landed
            && let Ok(steps) = Self::steps_of(&u, &self.model, self.granularity)
        {
            self.update = u;
            self.next = next;
            self.steps = steps;
            self.step = 0;
        }
    }

    /// The steps batch `global` has at the granularity in force, read off a tape of its shape
    /// (a batch's steps depend on its rows, not its values), without computing the way there.
    pub fn steps_at(&self, global: usize) -> Vec<MlpStep> {
        let rows = self.schedule.slot(global).rows;
        let x = nalgebra::DMatrix::zeros(rows, self.data.d());
        let y = nalgebra::DVector::zeros(rows);
        let activation = self.model.activation;
        Mlp::record(x, &y, &self.model.init, activation, self.hyper.objective)
            .map_or_else(|_| Vec::new(), |tape| steps(&tape, self.granularity))
    }

    /// Goes to batch `global`, its `step`th step (0-based, clamped to the batch), per sample
    /// or by whole matrices: a saved place, `--at`, a bookmark or a stop.
    pub fn go_to(&mut self, global: usize, step: usize, granularity: Granularity) {
        if self.granularity != granularity {
            self.toggle_granularity();
        }
        self.go_to_batch(global);
        self.step = step.min(self.steps.len().saturating_sub(1));
    }

    /// The next step, into the next batch after the last; false at the end of the run.
    pub fn next_step(&mut self) -> bool {
        if self.step + 1 < self.steps.len() {
            self.step += 1;
            return true;
        }
        self.next_batch()
    }

    /// The previous step, into the previous batch's last; false at the very start.
    pub fn prev_step(&mut self) -> bool {
        if self.step > 0 {
            self.step -= 1;
            return true;
        }
        if self.global() == 0 {
            return false;
        }
        self.go_to_batch(self.global() - 1);
        self.step = self.steps.len() - 1;
        true
    }

    pub fn next_batch(&mut self) -> bool {
        let g = self.global();
        if g + 1 >= self.total_batches() || !self.next.is_finite() {
            return false;
        }
        self.go_to_batch(g + 1);
        self.global() == g + 1
    }

    pub fn prev_batch(&mut self) -> bool {
        let g = self.global();
        if g == 0 {
            self.step = 0;
            return false;
        }
        self.go_to_batch(g - 1);
        true
    }

    /// Goes to the step of this batch equal to `target` (or its matrix equivalent).
    pub fn go_to_step(&mut self, target: MlpStep) {
        let target = target.equivalent(self.granularity);
        if let Some(k) = self.steps.iter().position(|&s| s == target) {
            self.step = k;
        }
    }

    /// Per sample ↔ whole matrices, staying on the same part of the batch.
    pub fn toggle_granularity(&mut self) {
        let now = self.step();
        self.granularity = self.granularity.toggled();
        if let Ok(steps) = Self::steps_of(&self.update, &self.model, self.granularity) {
            self.steps = steps;
            self.step = 0;
            self.go_to_step(now);
        }
    }
}

/// Notes batch `u`'s loss in `losses` when it is the next one not noted, with the data's mean
/// loss after its update (`after`) when it ends an epoch; a batch noted before costs nothing and
/// leaves a shared record shared.
fn note(
    losses: &mut Arc<MlpLosses>,
    (data, activation): (&Dataset, Activation),
    u: &MlpUpdate,
    after: &MlpParams,
) {
    let g = u.pos.global;
    if !losses.wants(g) {
        return;
    }
    let mean = u
        .pos
        .epoch_end
        .then(|| mlp::full_loss(data, after, activation));
    Arc::make_mut(losses).note(g, u.batch.loss, mean);
}

/// The run from checkpoint `k` (`at`) on: its parameters, and `.grad` as held there.
fn replay_from<'a>(
    (data, hyper, schedule): (&'a Dataset, &'a Hyper, &Schedule),
    activation: Activation,
    k: usize,
    at: &Checkpoint,
) -> Option<MlpTraining<'a>> {
    let model = TwoLayer {
        activation,
        init: at.params.clone(),
    };
    let training = MlpTraining::on_schedule(data, hyper, &model, schedule.clone()).ok()?;
    Some(training.starting_at(k * CHECKPOINT_STRIDE, at.held.clone()))
}

/// Refuses a run whose checkpoints, one every [`CHECKPOINT_STRIDE`] batches, would pass the
/// linear session's budget.
fn check_length(schedule: &Schedule, p: &MlpParams, keeps_grad: bool) -> Result<(), InvalidRun> {
    let total = schedule.total_batches();
    let bytes = checkpoint_bytes(p, keeps_grad);
    let most = (HISTORY_BUDGET / bytes.max(1)).saturating_mul(CHECKPOINT_STRIDE);
    if total > most {
        return Err(InvalidRun(format!(
            "this run has {total} mini-batches, and stepping through two layers keeps the \
             parameters{} every {CHECKPOINT_STRIDE} of them ({bytes} bytes each); at most {most} \
             fit in the {} MiB allowed: use fewer --epochs or a larger --batch-size, or \
             `gradstep train` or `gradstep trace`, which keep nothing per batch",
            if keeps_grad {
                " and what .grad holds (--keep-grad)"
            } else {
                ""
            },
            HISTORY_BUDGET >> 20
        )));
    }
    Ok(())
}

/// The running sums `backward()` leaves after the samples `0..=upto`, each summed left to right
/// from +0.0 as [`super::mlp::forward_backward`] sums them (so after the last sample they are
/// the gradients, to the bit): ∂L/∂W₂, ∂L/∂b₂, ∂L/∂W₁ (d×H), ∂L/∂b₁.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub w2: nalgebra::DVector<f64>,
    pub b2: f64,
    pub w1: nalgebra::DMatrix<f64>,
    pub b1: nalgebra::DVector<f64>,
}

pub fn running(b: &MlpBatch, upto: usize) -> Running {
    let rows = 0..=upto.min(b.x.nrows().saturating_sub(1));
    let sum = |f: &dyn Fn(usize) -> f64| rows.clone().fold(0.0, |s, i| s + f(i));
    let (d, hidden) = (b.x.ncols(), b.h.ncols());
    Running {
        w2: nalgebra::DVector::from_fn(hidden, |j, _| sum(&|i| b.h[(i, j)] * b.upstream[i])),
        b2: sum(&|i| b.upstream[i]),
        w1: nalgebra::DMatrix::from_fn(d, hidden, |k, j| sum(&|i| b.x[(i, k)] * b.delta1[(i, j)])),
        b1: nalgebra::DVector::from_fn(hidden, |j, _| sum(&|i| b.delta1[(i, j)])),
    }
}

/// The network's curve over one feature, and what each hidden unit adds to it: for ReLU a
/// hinge, w₂ⱼ·relu(x·W₁ⱼ + b₁ⱼ). The curve is b₂ plus the units' contributions, so the class
/// sees it is a sum of hinges.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub xs: Vec<f64>,
    pub y_hat: Vec<f64>,
    /// One row per hidden unit: its contribution at each x.
    pub units: Vec<Vec<f64>>,
}

/// The curve of `params` (one feature) at `points` evenly spaced x from `lo` to `hi`; None
/// when the network has more than one feature or fewer than two points are asked for.
pub fn curve(
    params: &MlpParams,
    activation: Activation,
    (lo, hi): (f64, f64),
    points: usize,
) -> Option<Curve> {
    if params.d() != 1 || points < 2 || !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    let xs: Vec<f64> = (0..points)
        .map(|k| lo + (hi - lo) * k as f64 / (points - 1) as f64)
        .collect();
    let units: Vec<Vec<f64>> = (0..params.hidden())
        .map(|j| {
            xs.iter()
                .map(|&x| params.w2[j] * activation.apply(x * params.w1[(0, j)] + params.b1[j]))
                .collect()
        })
        .collect();
    let y_hat = (0..points)
        .map(|k| units.iter().fold(params.b2, |s, u| s + u[k]))
        .collect();
    Some(Curve { xs, y_hat, units })
}
