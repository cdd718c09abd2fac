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

#[cfg(test)]
mod tests {
    use nalgebra::{DMatrix, DVector};

    use super::*;
    use crate::engine::config::{Objective, Params};
    use crate::engine::mlp::{Activation, MlpParams};
    use crate::engine::tape::mlp::Mlp;
    use crate::engine::tape::{Linear, NodeId, Tape};

    /// The shape a node of `symbol` must have for N samples, d features and `hidden` units,
    /// from its layout (W₂ is H×1, W₁ d×H).
    fn shape(symbol: Symbol, n: usize, d: usize, hidden: usize) -> (usize, usize) {
        let cols = if symbol == Symbol::X { d } else { hidden };
        match symbol.layout() {
            Layout::SamplesByColumns => (n, cols),
            Layout::PerSample => (n, 1),
            Layout::PerFeature => (d, 1),
            Layout::Matrix if symbol == Symbol::W2 => (hidden, 1),
            Layout::Matrix => (d, hidden),
            Layout::Row => (1, hidden),
            Layout::Scalar => (1, 1),
        }
    }

    /// Every node the tape names, by its text, checked against the table's layout: each symbol
    /// but δ names exactly one node, and its recorded value has the layout's shape; δ is the
    /// unnamed `ŷ − y` node `error`, of its layout's shape too.
    fn check(tape: &Tape, error: NodeId, symbols: &[Symbol], n: usize, d: usize, hidden: usize) {
        for &s in symbols {
            let named: Vec<_> = tape
                .nodes()
                .iter()
                .filter(|node| node.symbol.as_deref() == Some(s.text()))
                .collect();
            if s == Symbol::Delta {
                assert!(named.is_empty(), "δ is recorded unnamed");
                assert_eq!(tape[error].value.shape(), shape(s, n, d, hidden));
                continue;
            }
            assert_eq!(named.len(), 1, "{s:?} names one node");
            assert_eq!(named[0].value.shape(), shape(s, n, d, hidden), "{s:?}");
        }
        let named = tape.nodes().iter().filter(|n| n.symbol.is_some()).count();
        assert_eq!(named, symbols.len() - 1, "no other node is named");
    }

    #[test]
    fn the_tapes_name_their_nodes_by_the_table_in_its_shapes() {
        // 3 samples, 2 features, 4 hidden units.
        let x = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        let y = DVector::from_vec(vec![1.0, 0.0, -1.0]);
        let linear = Linear::record(x.clone(), &y, &Params::zeros(2), Objective::Sum).unwrap();
        check(&linear.tape, linear.error, &Linear::SYMBOLS, 3, 2, 0);

        let params = MlpParams {
            w1: DMatrix::zeros(2, 4),
            b1: DVector::zeros(4),
            w2: DVector::zeros(4),
            b2: 0.0,
        };
        let mlp = Mlp::record(x, &y, &params, Activation::Relu, Objective::Mean).unwrap();
        check(&mlp.tape, mlp.error, &Mlp::SYMBOLS, 3, 2, 4);
    }
}
