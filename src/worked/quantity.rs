//! Which number a leaf of a worked formula is: a cell of one of the batch's matrices (the same
//! names as the matrix panel), or one of the two numbers that live in no matrix.

use crate::engine::{Batch, Step};
use crate::math::Role;

/// The two-layer model's quantities as one pattern, so matches over the linear model's kinds
/// stay exhaustive (a new kind must be placed) without listing these seventeen twice.
macro_rules! two_layer {
    () => {
        $crate::worked::Quantity::Z
            | $crate::worked::Quantity::H
            | $crate::worked::Quantity::W1
            | $crate::worked::Quantity::B1
            | $crate::worked::Quantity::W2
            | $crate::worked::Quantity::B2
            | $crate::worked::Quantity::Slope
            | $crate::worked::Quantity::Delta1
            | $crate::worked::Quantity::GradW1
            | $crate::worked::Quantity::GradB1
            | $crate::worked::Quantity::GradW2
            | $crate::worked::Quantity::GradB2
            | $crate::worked::Quantity::W1New
            | $crate::worked::Quantity::B1New
            | $crate::worked::Quantity::W2New
            | $crate::worked::Quantity::B2New
            | $crate::worked::Quantity::Upstream
    };
}
pub(crate) use two_layer;

/// The batch's matrices, in the lesson's names, and the numbers outside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantity {
    X,
    W,
    B,
    YHat,
    Y,
    LossSample,
    Delta,
    Loss,
    XT,
    GradW,
    GradB,
    WNew,
    BNew,
    /// δ⁽ⁱ⁾xⱼ⁽ⁱ⁾, the term `backward()` adds for sample i to ∂L/∂wⱼ: row i, column j.
    Contribution,
    /// The mean loss over the whole data set after an epoch's last update.
    EpochLoss,
    /// A value or gradient of a node of the batch's tape that no matrix of the panel holds
    /// (`X @ w`, ∂L/∂l, what a node sends down), coloured as the lesson's symbol it belongs to.
    Node(Role),
    /// Two layers: Z = XW₁ + b₁ and H = σ(Z) (N×H), the parameters, σ′(Z), δ₁ (N×H), the
    /// gradients and the parameters after the update.
    Z,
    H,
    W1,
    B1,
    W2,
    B2,
    Slope,
    Delta1,
    GradW1,
    GradB1,
    GradW2,
    GradB2,
    W1New,
    B1New,
    W2New,
    B2New,
    /// δ/N, the gradient that reaches ŷ under a mean objective.
    Upstream,
    /// A parameter's `.grad` when nothing zeroes it (`--keep-grad`): every batch's gradient so
    /// far, added up, which the update reads in place of this batch's ∂L/∂p.
    Held(Param),
}

/// A parameter of either model: what a `.grad` belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    W,
    B,
    W1,
    B1,
    W2,
    B2,
}

impl Param {
    /// The parameter's own quantity, before the update.
    pub fn value(self) -> Quantity {
        match self {
            Param::W => Quantity::W,
            Param::B => Quantity::B,
            Param::W1 => Quantity::W1,
            Param::B1 => Quantity::B1,
            Param::W2 => Quantity::W2,
            Param::B2 => Quantity::B2,
        }
    }

    /// This batch's gradient of the parameter, ∂L/∂p.
    pub fn grad(self) -> Quantity {
        match self {
            Param::W => Quantity::GradW,
            Param::B => Quantity::GradB,
            Param::W1 => Quantity::GradW1,
            Param::B1 => Quantity::GradB1,
            Param::W2 => Quantity::GradW2,
            Param::B2 => Quantity::GradB2,
        }
    }

    /// The parameter after the update.
    pub fn after_update(self) -> Quantity {
        match self {
            Param::W => Quantity::WNew,
            Param::B => Quantity::BNew,
            Param::W1 => Quantity::W1New,
            Param::B1 => Quantity::B1New,
            Param::W2 => Quantity::W2New,
            Param::B2 => Quantity::B2New,
        }
    }

    /// What the update reads as the parameter's gradient: this batch's ∂L/∂p after `zero_()`,
    /// else the `.grad` held over the batches (`held`).
    pub fn read_by_update(self, held: bool) -> Quantity {
        if held {
            Quantity::Held(self)
        } else {
            self.grad()
        }
    }

    /// The parameter's name in the LaTeX subset [`crate::math::parse`] reads: `w`, `W_1`.
    pub fn latex(self) -> &'static str {
        match self {
            Param::W => "w",
            Param::B => "b",
            Param::W1 => "W_1",
            Param::B1 => "b_1",
            Param::W2 => "W_2",
            Param::B2 => "b_2",
        }
    }

    /// Its `.grad` by PyTorch's name: `w.grad`, `W₁.grad`.
    pub fn grad_name(self) -> &'static str {
        match self {
            Param::W => "w.grad",
            Param::B => "b.grad",
            Param::W1 => "W₁.grad",
            Param::B1 => "b₁.grad",
            Param::W2 => "W₂.grad",
            Param::B2 => "b₂.grad",
        }
    }

    /// That name as LaTeX: one word of text, its subscript inside (part of the attribute's name).
    pub fn grad_latex(self) -> String {
        format!(r"\text{{{}}}", self.grad_name())
    }
}

/// One number: a quantity, and where in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cell {
    pub q: Quantity,
    pub row: usize,
    pub col: usize,
}

impl Cell {
    pub fn new(q: Quantity, row: usize, col: usize) -> Cell {
        Cell { q, row, col }
    }

    /// The only cell of a scalar.
    pub fn scalar(q: Quantity) -> Cell {
        Cell::new(q, 0, 0)
    }
}

impl Quantity {
    pub fn role(self) -> Role {
        match self {
            Quantity::X | Quantity::XT => Role::X,
            Quantity::W | Quantity::WNew => Role::W,
            Quantity::B | Quantity::BNew => Role::B,
            Quantity::YHat => Role::YHat,
            Quantity::Y => Role::Y,
            Quantity::LossSample => Role::LossSample,
            Quantity::Delta => Role::Delta,
            Quantity::Loss | Quantity::EpochLoss => Role::Loss,
            Quantity::GradW | Quantity::Contribution => Role::GradW,
            Quantity::GradB => Role::GradB,
            Quantity::Node(role) => role,
            // The hidden layer's values take the roles of what they stand in for: Z is the
            // first layer's output, H the second layer's input (H in place of X), δ₁ an error.
            Quantity::Z => Role::YHat,
            Quantity::H => Role::X,
            Quantity::W1 | Quantity::W2 | Quantity::W1New | Quantity::W2New => Role::W,
            Quantity::B1 | Quantity::B2 | Quantity::B1New | Quantity::B2New => Role::B,
            Quantity::Slope | Quantity::Delta1 | Quantity::Upstream => Role::Delta,
            Quantity::GradW1 | Quantity::GradW2 => Role::GradW,
            Quantity::GradB1 | Quantity::GradB2 => Role::GradB,
            // Held and fresh gradients of a parameter share its gradient's colour.
            Quantity::Held(p) => p.grad().role(),
        }
    }

    /// Rows × columns for this batch.
    pub fn shape(self, batch: &Batch) -> (usize, usize) {
        let n = batch.rows();
        let d = batch.x.ncols();
        match self {
            Quantity::X | Quantity::Contribution => (n, d),
            Quantity::XT => (d, n),
            Quantity::W | Quantity::GradW | Quantity::WNew => (d, 1),
            Quantity::YHat
            | Quantity::Y
            | Quantity::LossSample
            | Quantity::Delta
            | Quantity::Node(_) => (n, 1),
            Quantity::B
            | Quantity::Loss
            | Quantity::GradB
            | Quantity::BNew
            | Quantity::EpochLoss => (1, 1),
            // Not the linear model's: a linear batch holds none of them.
            two_layer!() => (0, 0),
            // `.grad` has its parameter's shape.
            Quantity::Held(p) => p.value().shape(batch),
        }
    }

    /// The sample the step is about, as a row (or, for Xᵀ, a column) of this matrix.
    pub fn focus(self, step: Step) -> (Option<usize>, Option<usize>) {
        let sample = step.sample();
        match self {
            Quantity::X
            | Quantity::YHat
            | Quantity::Y
            | Quantity::LossSample
            | Quantity::Delta
            | Quantity::Contribution
            | Quantity::Node(_) => (sample, None),
            Quantity::XT => (None, sample),
            Quantity::W
            | Quantity::B
            | Quantity::Loss
            | Quantity::GradW
            | Quantity::GradB
            | Quantity::WNew
            | Quantity::BNew
            | Quantity::EpochLoss => (None, None),
            // A linear step is about no sample of the two-layer model's matrices.
            two_layer!() => (None, None),
            Quantity::Held(p) => p.value().focus(step),
        }
    }
}
