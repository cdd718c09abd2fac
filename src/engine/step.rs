//! The kinds of step of one mini-batch. Their order is not kept here: it is read off the
//! lesson's tape by [`crate::engine::tape::walk::steps`].

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
        match self {
            Step::Draw => "draw",
            Step::ForwardSample { .. } => "forward_sample",
            Step::Forward => "forward",
            Step::Loss => "loss",
            Step::Errors => "errors",
            Step::Accumulate { .. } => "accumulate",
            Step::GradW => "grad_w",
            Step::GradB => "grad_b",
            Step::Update => "update",
            Step::EpochSummary => "epoch_summary",
        }
    }

    /// The sample this step is about, if it is about one.
    pub fn sample(self) -> Option<usize> {
        match self {
            Step::ForwardSample { sample } | Step::Accumulate { sample } => Some(sample),
            _ => None,
        }
    }

    /// The stage of the batch this step belongs to: per-sample steps are in the stage of
    /// their sample 0, the forward pass's per-sample steps in the whole batch's.
    pub fn stage(self) -> Step {
        match self {
            Step::ForwardSample { .. } => Step::Forward,
            Step::Accumulate { .. } => Step::Accumulate { sample: 0 },
            other => other,
        }
    }

    /// Whether the step comes after `backward()`, reading the `.grad`s it left.
    pub fn after_backward(self) -> bool {
        matches!(self, Step::Update | Step::EpochSummary)
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

/// Where `step` lands when the granularity changes: per-sample steps fold into their matrix step.
pub fn equivalent(step: Step, granularity: Granularity) -> Step {
    match (step, granularity) {
        (Step::ForwardSample { .. }, Granularity::Matrix) => Step::Forward,
        (Step::Accumulate { .. }, Granularity::Matrix) => Step::GradW,
        (other, _) => other,
    }
}
