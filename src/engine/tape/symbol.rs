//! The lesson's symbols for the tape's named nodes: the one list of them. The recording
//! functions ([`super::linear`], [`super::mlp`]) name their nodes from it, and every view that
//! addresses a number (the worked equations, the panels, the quiz, the handout) says which node
//! it belongs to by one of these.

/// A named node of the linear or the two-layer tape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Symbol {
    /// The batch's features, N×d.
    X,
    /// The labels, N×1.
    Y,
    /// The linear model's weights (d×1) and bias.
    W,
    B,
    /// The predictions, N×1 (both models' output).
    YHat,
    /// The `ŷ − y` node.
    Delta,
    /// The per-sample losses and the batch's loss.
    LossSample,
    Loss,
    /// The two-layer model's parameters.
    W1,
    B1,
    W2,
    B2,
    /// The hidden layer before and after its activation, N×H.
    Z,
    H,
}

/// How a node's entries are laid out, which says how one of them is indexed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// A row per sample, a column per feature or hidden unit: X, Z, H.
    SamplesByColumns,
    /// One number per sample: y, ŷ, δ, l.
    PerSample,
    /// One number per feature: w.
    PerFeature,
    /// A weight matrix, rows by columns: W₁, W₂.
    Matrix,
    /// One number per hidden unit: b₁.
    Row,
    /// One number: b, b₂, L.
    Scalar,
}

impl Symbol {
    pub fn layout(self) -> Layout {
        match self {
            Symbol::X | Symbol::Z | Symbol::H => Layout::SamplesByColumns,
            Symbol::Y | Symbol::YHat | Symbol::Delta | Symbol::LossSample => Layout::PerSample,
            Symbol::W => Layout::PerFeature,
            Symbol::W1 | Symbol::W2 => Layout::Matrix,
            Symbol::B1 => Layout::Row,
            Symbol::B | Symbol::B2 | Symbol::Loss => Layout::Scalar,
        }
    }

    /// The symbol as the tape records it and a panel heads it: `ŷ`, `W₁`.
    pub fn text(self) -> &'static str {
        match self {
            Symbol::X => "X",
            Symbol::Y => "y",
            Symbol::W => "w",
            Symbol::B => "b",
            Symbol::YHat => "ŷ",
            Symbol::Delta => "δ",
            Symbol::LossSample => "l",
            Symbol::Loss => "L",
            Symbol::W1 => "W₁",
            Symbol::B1 => "b₁",
            Symbol::W2 => "W₂",
            Symbol::B2 => "b₂",
            Symbol::Z => "Z",
            Symbol::H => "H",
        }
    }

    /// The same symbol in the LaTeX subset the lesson's formulas are written in: `W_1`.
    pub fn latex(self) -> &'static str {
        match self {
            Symbol::X => "X",
            Symbol::Y => "y",
            Symbol::W => "w",
            Symbol::B => "b",
            Symbol::YHat => r"\hat{y}",
            Symbol::Delta => r"\delta",
            Symbol::LossSample => "l",
            Symbol::Loss => "L",
            Symbol::W1 => "W_1",
            Symbol::B1 => "b_1",
            Symbol::W2 => "W_2",
            Symbol::B2 => "b_2",
            Symbol::Z => "Z",
            Symbol::H => "H",
        }
    }
}
