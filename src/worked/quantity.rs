//! Which number a leaf of a worked formula is: a node of the batch's tape (by the lesson's
//! symbol for it, [`Symbol`]) and which of its numbers ([`Part`]), and where in it ([`Cell`]).
//! Colour, shape and focus are derived here from the node and the part, once for every model.

use crate::engine::tape::{Layout, Linear, Symbol};
use crate::engine::{Batch, Step};
use crate::math::Role;

/// Which number of a named node: its value, the gradient `backward()` leaves there, and what
/// the lesson shows beside them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The node's value (X, ŷ, W₁, Z, …).
    Value,
    /// ∂L/∂ of the node, what `backward()` leaves there: ∂L/∂w, δ₁ = ∂L/∂Z, δ/N = ∂L/∂ŷ under
    /// a mean objective.
    Grad,
    /// A parameter's `.grad` when nothing zeroes it (`--keep-grad`): every batch's gradient so
    /// far, added up, which the update reads in place of this batch's ∂L/∂p.
    Held,
    /// A parameter after the update.
    New,
    /// The local derivative of an activation's output: σ′(Z), of H.
    Slope,
    /// δ⁽ⁱ⁾xⱼ⁽ⁱ⁾, the term `backward()` adds for sample i to ∂L/∂wⱼ: row i, column j (of w).
    Terms,
    /// The node transposed (Xᵀ: a feature's row, a sample's column).
    Transposed,
    /// The mean loss over the whole data set after an epoch's last update (of L).
    EpochMean,
}

/// A number's address without its row and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantity {
    /// A part of a named node of the tape.
    Of(Symbol, Part),
    /// A value or gradient of a node of the batch's tape that no matrix of the panel holds
    /// (`X @ w`, ∂L/∂l, what a node sends down), coloured as the lesson's symbol it belongs to.
    Unnamed(Role),
}

/// A parameter's numbers (w, b, W₁, …): what a `.grad` belongs to and what the update writes.
impl Symbol {
    /// The parameter's own quantity, before the update.
    pub fn value(self) -> Quantity {
        Quantity::Of(self, Part::Value)
    }

    /// This batch's gradient of the parameter, ∂L/∂p.
    pub fn grad(self) -> Quantity {
        Quantity::Of(self, Part::Grad)
    }

    /// The parameter after the update.
    pub fn after_update(self) -> Quantity {
        Quantity::Of(self, Part::New)
    }

    /// Its `.grad` held over the batches.
    pub fn held(self) -> Quantity {
        Quantity::Of(self, Part::Held)
    }

    /// What the update reads as the parameter's gradient: this batch's ∂L/∂p after `zero_()`,
    /// else the `.grad` held over the batches (`held`).
    pub fn read_by_update(self, held: bool) -> Quantity {
        if held { self.held() } else { self.grad() }
    }

    /// Its `.grad` by PyTorch's name: `w.grad`, `W₁.grad`.
    pub fn grad_name(self) -> String {
        format!("{}.grad", self.text())
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

    /// The same number in the other matrix that holds it: a feature's value stands in X and,
    /// transposed, in Xᵀ.
    pub fn mirror(self) -> Option<Cell> {
        self.in_data()?.1?;
        let part = if self.q == Quantity::Of(Symbol::X, Part::Value) {
            Part::Transposed
        } else {
            Part::Value
        };
        Some(Cell::new(Quantity::Of(Symbol::X, part), self.col, self.row))
    }

    /// Where a number of the data comes from in its batch: the sample (a row of the batch) and,
    /// for a feature's value, the feature; None for what is no number of the data. Xᵀ's row is
    /// a feature and its column a sample.
    pub fn in_data(self) -> Option<(usize, Option<usize>)> {
        match self.q {
            Quantity::Of(Symbol::X, Part::Value) => Some((self.row, Some(self.col))),
            Quantity::Of(Symbol::X, Part::Transposed) => Some((self.col, Some(self.row))),
            Quantity::Of(Symbol::Y, Part::Value) => Some((self.row, None)),
            // Computed, or a parameter: no row of the data holds it; nor any gradient, update or
            // term of anything, nor a node of the graph.
            Quantity::Of(
                Symbol::W
                | Symbol::B
                | Symbol::YHat
                | Symbol::Delta
                | Symbol::LossSample
                | Symbol::Loss
                | Symbol::W1
                | Symbol::B1
                | Symbol::W2
                | Symbol::B2
                | Symbol::Z
                | Symbol::H,
                Part::Value,
            )
            | Quantity::Of(
                _,
                Part::Transposed
                | Part::Grad
                | Part::Held
                | Part::New
                | Part::Slope
                | Part::Terms
                | Part::EpochMean,
            )
            | Quantity::Unnamed(_) => None,
        }
    }
}

/// The colour of a node's value: the lesson's symbol it is. The hidden layer's values take the
/// roles of what they stand in for: Z is the first layer's output, H the second layer's input
/// (H in place of X).
fn value_role(symbol: Symbol) -> Role {
    match symbol {
        Symbol::X | Symbol::H => Role::X,
        Symbol::Y => Role::Y,
        Symbol::W | Symbol::W1 | Symbol::W2 => Role::W,
        Symbol::B | Symbol::B1 | Symbol::B2 => Role::B,
        Symbol::YHat | Symbol::Z => Role::YHat,
        Symbol::Delta => Role::Delta,
        Symbol::LossSample => Role::LossSample,
        Symbol::Loss => Role::Loss,
    }
}

/// The colour of a node's gradient: a parameter's ∂L/∂w or ∂L/∂b, any other node's an error
/// (δ₁ = ∂L/∂Z, δ/N = ∂L/∂ŷ).
fn grad_role(symbol: Symbol) -> Role {
    match symbol {
        Symbol::W | Symbol::W1 | Symbol::W2 => Role::GradW,
        Symbol::B | Symbol::B1 | Symbol::B2 => Role::GradB,
        Symbol::X
        | Symbol::Y
        | Symbol::YHat
        | Symbol::Delta
        | Symbol::LossSample
        | Symbol::Loss
        | Symbol::Z
        | Symbol::H => Role::Delta,
    }
}

impl Quantity {
    pub fn role(self) -> Role {
        match self {
            Quantity::Of(symbol, Part::Value | Part::New | Part::Transposed | Part::EpochMean) => {
                value_role(symbol)
            }
            // Held and fresh gradients of a parameter share its gradient's colour.
            Quantity::Of(symbol, Part::Grad | Part::Held) => grad_role(symbol),
            Quantity::Of(_, Part::Slope) => Role::Delta,
            Quantity::Of(symbol, Part::Terms) => grad_role(symbol),
            Quantity::Unnamed(role) => role,
        }
    }

    /// Rows × columns for this batch.
    pub fn shape(self, batch: &Batch) -> (usize, usize) {
        let n = batch.rows();
        let d = batch.x.ncols();
        // The two-layer model's own nodes are 0 × 0: a linear batch holds none of them.
        let node = |symbol: Symbol| {
            if !Linear::SYMBOLS.contains(&symbol) {
                return (0, 0);
            }
            match symbol.layout() {
                Layout::SamplesByColumns => (n, d),
                Layout::PerSample => (n, 1),
                Layout::PerFeature => (d, 1),
                Layout::Scalar => (1, 1),
                // No linear node is a matrix of weights or a row of biases.
                Layout::Matrix | Layout::Row => (0, 0),
            }
        };
        match self {
            // A gradient, a `.grad` and the update have their node's shape.
            Quantity::Of(
                symbol,
                Part::Value | Part::Grad | Part::Held | Part::New | Part::Slope,
            ) => node(symbol),
            Quantity::Of(symbol, Part::Transposed) => {
                let (rows, cols) = node(symbol);
                (cols, rows)
            }
            // One term per sample (row) and per entry of the parameter (column).
            Quantity::Of(symbol, Part::Terms) => (n, node(symbol).0),
            Quantity::Of(_, Part::EpochMean) => (1, 1),
            Quantity::Unnamed(_) => (n, 1),
        }
    }

    /// The sample the step is about, as a row (or, for Xᵀ, a column) of this matrix.
    pub fn focus(self, step: Step) -> (Option<usize>, Option<usize>) {
        let sample = step.sample();
        let of = |symbol: Symbol| if per_sample(symbol) { sample } else { None };
        match self {
            Quantity::Of(
                symbol,
                Part::Value | Part::Grad | Part::Held | Part::New | Part::Slope,
            ) => (of(symbol), None),
            Quantity::Of(symbol, Part::Transposed) => (None, of(symbol)),
            // A term per sample: row i is sample i's.
            Quantity::Of(_, Part::Terms) => (sample, None),
            Quantity::Of(_, Part::EpochMean) => (None, None),
            Quantity::Unnamed(_) => (sample, None),
        }
    }
}

/// Whether a linear step's sample is a row of the node: the linear nodes with one row per
/// sample. A linear step is about no sample of the two-layer model's matrices.
fn per_sample(symbol: Symbol) -> bool {
    Linear::SYMBOLS.contains(&symbol)
        && match symbol.layout() {
            Layout::SamplesByColumns | Layout::PerSample => true,
            Layout::PerFeature | Layout::Matrix | Layout::Row | Layout::Scalar => false,
        }
}
