//! The steps of one mini-batch, in the lesson's order.

/// One step of the derivation for the current mini-batch. `sample` is 0-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The mini-batch is drawn: X and y.
    Draw,
    /// ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b for one sample.
    ForwardSample { sample: usize },
    /// ŷ = Xw + b for the whole batch at once.
    Forward,
    /// l⁽ⁱ⁾ = ½(ŷ⁽ⁱ⁾ − y⁽ⁱ⁾)² and L = Σ l⁽ⁱ⁾.
    Loss,
    /// δ = ∂L/∂ŷ = ŷ − y.
    Errors,
    /// ∂L/∂w after adding sample `sample`'s contribution δ⁽ⁱ⁾x⁽ⁱ⁾.
    Accumulate { sample: usize },
    /// ∂L/∂w = Xᵀδ.
    GradW,
    /// ∂L/∂b = Σ δ⁽ⁱ⁾.
    GradB,
    /// w ← w − lr/N·∂L/∂w, b ← b − lr/N·∂L/∂b, then the gradients are zeroed.
    Update,
    /// After the last batch of an epoch: the mean loss over the whole data set.
    EpochSummary,
}

impl Step {
    /// A stable name, used by the lesson file to attach text to each kind of step.
    pub fn kind(self) -> &'static str {
        Self::KINDS[self.order()]
    }

    /// Where this kind of step comes in a batch: its place in [`Step::KINDS`].
    pub fn order(self) -> usize {
        match self {
            Step::Draw => 0,
            Step::ForwardSample { .. } => 1,
            Step::Forward => 2,
            Step::Loss => 3,
            Step::Errors => 4,
            Step::Accumulate { .. } => 5,
            Step::GradW => 6,
            Step::GradB => 7,
            Step::Update => 8,
            Step::EpochSummary => 9,
        }
    }

    /// Every kind name, in lesson order: the one spelling of each.
    pub const KINDS: [&'static str; 10] = [
        "draw",
        "forward_sample",
        "forward",
        "loss",
        "errors",
        "accumulate",
        "grad_w",
        "grad_b",
        "update",
        "epoch_summary",
    ];

    /// The sample this step is about, if it is about one.
    pub fn sample(self) -> Option<usize> {
        match self {
            Step::ForwardSample { sample } | Step::Accumulate { sample } => Some(sample),
            _ => None,
        }
    }
}

/// Whether the forward pass and the accumulation go one sample at a time or as one matrix step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Granularity {
    #[default]
    Sample,
    Matrix,
}

impl Granularity {
    pub fn toggled(self) -> Self {
        match self {
            Granularity::Sample => Granularity::Matrix,
            Granularity::Matrix => Granularity::Sample,
        }
    }
}

/// The steps of a batch of `rows` samples; `epoch_end` adds the epoch summary.
pub fn steps(rows: usize, granularity: Granularity, epoch_end: bool) -> Vec<Step> {
    let per_sample = granularity == Granularity::Sample;
    let mut out = vec![Step::Draw];
    if per_sample {
        out.extend((0..rows).map(|sample| Step::ForwardSample { sample }));
    }
    out.extend([Step::Forward, Step::Loss, Step::Errors]);
    if per_sample {
        out.extend((0..rows).map(|sample| Step::Accumulate { sample }));
    }
    out.extend([Step::GradW, Step::GradB, Step::Update]);
    if epoch_end {
        out.push(Step::EpochSummary);
    }
    out
}

/// Where `step` lands when the granularity changes: per-sample steps fold into their matrix step.
pub fn equivalent(step: Step, granularity: Granularity) -> Step {
    match (step, granularity) {
        (Step::ForwardSample { .. }, Granularity::Matrix) => Step::Forward,
        (Step::Accumulate { .. }, Granularity::Matrix) => Step::GradW,
        (other, _) => other,
    }
}
