//! Two layers as a tape: the lesson's graph with a hidden layer in front, exactly what PyTorch
//! records for d2l's "MLP from scratch" written as the lesson writes linear regression:
//!
//! ```python
//! Z = X @ W1 + b1                 # MmBackward0, AddBackward0
//! H = torch.relu(Z)               # ReluBackward0 (or TanhBackward0, SigmoidBackward0)
//! y_hat = H @ W2 + b2             # MmBackward0, AddBackward0
//! l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
//! l.sum().backward()              # or l.mean().backward()
//! sgd([W1, b1, W2, b2], lr, batch_size)
//! ```
//!
//! A longer tape, not a second engine: the ops and the walk are [`super::Tape`]'s.

use nalgebra::{DMatrix, DVector};

use super::{NodeId, Op, ShapeError, Symbol, Tape};
use crate::data::Dataset;
use crate::engine::batch::divisor;
use crate::engine::config::{Hyper, Objective};
use crate::engine::mlp::{Activation, MlpParams};

/// One mini-batch through two layers on a tape, with each node by the lesson's name.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    pub tape: Tape,
    pub objective: Objective,
    pub activation: Activation,
    /// N×d, no grad.
    pub x: NodeId,
    /// N×1, no grad.
    pub y: NodeId,
    /// d×H, `AccumulateGrad`.
    pub w1: NodeId,
    /// 1×H (PyTorch's shape (H,), broadcast over the rows), `AccumulateGrad`.
    pub b1: NodeId,
    /// H×1, `AccumulateGrad`.
    pub w2: NodeId,
    /// 1×1, `AccumulateGrad`.
    pub b2: NodeId,
    /// `X @ W₁` (MmBackward0).
    pub xw1: NodeId,
    /// Z = `X @ W₁ + b₁` (AddBackward0): the gradient arriving here is δ₁.
    pub z: NodeId,
    /// H = σ(Z) (ReluBackward0, TanhBackward0 or SigmoidBackward0).
    pub h: NodeId,
    /// `H @ W₂` (MmBackward0).
    pub hw2: NodeId,
    /// ŷ = `H @ W₂ + b₂` (AddBackward0).
    pub y_hat: NodeId,
    /// `ŷ - y` (SubBackward0): δ's values.
    pub error: NodeId,
    /// `(ŷ - y) ** 2` (PowBackward0).
    pub square: NodeId,
    /// l = `(ŷ - y) ** 2 / 2` (DivBackward0).
    pub losses: NodeId,
    /// L = `l.sum()` (SumBackward0) or `l.mean()` (MeanBackward0).
    pub loss: NodeId,
}

impl Activation {
    /// The tape's op for σ.
    pub fn op(self) -> Op {
        match self {
            Activation::Relu => Op::Relu,
            Activation::Tanh => Op::Tanh,
            Activation::Sigmoid => Op::Sigmoid,
        }
    }
}

impl Mlp {
    /// The nodes the lesson names on this tape: its leaves, Z, H, ŷ, l and L, and δ, the
    /// `ŷ − y` node (recorded unnamed, as on the linear tape).
    pub const SYMBOLS: [Symbol; 12] = [
        Symbol::X,
        Symbol::Y,
        Symbol::W1,
        Symbol::B1,
        Symbol::W2,
        Symbol::B2,
        Symbol::Z,
        Symbol::H,
        Symbol::YHat,
        Symbol::Delta,
        Symbol::LossSample,
        Symbol::Loss,
    ];

    /// Records the forward pass of one batch: X is N×d, y has N entries, `params` fit d.
    pub fn record(
        x: DMatrix<f64>,
        y: &DVector<f64>,
        params: &MlpParams,
        activation: Activation,
        objective: Objective,
    ) -> Result<Mlp, ShapeError> {
        let mut tape = Tape::new();
        let n = y.len();
        let hidden = params.hidden();
        let x = tape.leaf(Symbol::X.text(), x, false);
        let y = tape.leaf(
            Symbol::Y.text(),
            DMatrix::from_column_slice(n, 1, y.as_slice()),
            false,
        );
        let w1 = tape.leaf(Symbol::W1.text(), params.w1.clone(), true);
        let b1 = tape.leaf(
            Symbol::B1.text(),
            DMatrix::from_row_slice(1, hidden, params.b1.as_slice()),
            true,
        );
        let w2 = tape.leaf(
            Symbol::W2.text(),
            DMatrix::from_column_slice(params.w2.len(), 1, params.w2.as_slice()),
            true,
        );
        let b2 = tape.leaf(
            Symbol::B2.text(),
            DMatrix::from_element(1, 1, params.b2),
            true,
        );
        let xw1 = tape.push(Op::MatMul, &[x, w1], None)?;
        let z = tape.push(Op::Add, &[xw1, b1], Some(Symbol::Z.text()))?;
        let h = tape.push(activation.op(), &[z], Some(Symbol::H.text()))?;
        let hw2 = tape.push(Op::MatMul, &[h, w2], None)?;
        let y_hat = tape.push(Op::Add, &[hw2, b2], Some(Symbol::YHat.text()))?;
        let error = tape.push(Op::Sub, &[y_hat, y], None)?;
        let square = tape.push(Op::Square, &[error], None)?;
        let losses = tape.push(
            Op::DivScalar(2.0),
            &[square],
            Some(Symbol::LossSample.text()),
        )?;
        let root = match objective {
            Objective::Sum | Objective::SumNoDiv => Op::Sum,
            Objective::Mean => Op::Mean,
        };
        let loss = tape.push(root, &[losses], Some(Symbol::Loss.text()))?;
        Ok(Mlp {
            tape,
            objective,
            activation,
            x,
            y,
            w1,
            b1,
            w2,
            b2,
            xw1,
            z,
            h,
            hw2,
            y_hat,
            error,
            square,
            losses,
            loss,
        })
    }

    /// Records the rows `indices` of `data` (in that order) and runs `backward()`.
    pub fn batch(
        data: &Dataset,
        indices: &[usize],
        params: &MlpParams,
        activation: Activation,
        objective: Objective,
    ) -> Result<Mlp, ShapeError> {
        let (x, y) = crate::engine::mlp::gather(data, indices);
        let mut mlp = Mlp::record(x, &y, params, activation, objective)?;
        mlp.backward();
        Ok(mlp)
    }

    /// Gives every parameter's `.grad` what it holds before this batch's `backward()`: the
    /// gradients kept from earlier batches when the lesson's `param.grad.zero_()` is left out.
    /// Returns false when `held` is not shaped as the parameters (what was set stays set).
    pub fn hold_grads(&mut self, held: &MlpParams) -> bool {
        let column = |v: &DVector<f64>| DMatrix::from_column_slice(v.len(), 1, v.as_slice());
        let row = |v: &DVector<f64>| DMatrix::from_row_slice(1, v.len(), v.as_slice());
        let grads = [
            (self.w1, held.w1.clone()),
            (self.b1, row(&held.b1)),
            (self.w2, column(&held.w2)),
            (self.b2, DMatrix::from_element(1, 1, held.b2)),
        ];
        grads
            .into_iter()
            .all(|(id, g)| self.tape[id].value.shape() == g.shape() && self.tape.set_grad(id, g))
    }

    /// `l.sum().backward()` (or `l.mean()`): returns the nodes in the order visited.
    pub fn backward(&mut self) -> Vec<NodeId> {
        self.tape.backward(self.loss)
    }

    /// Rows in the batch.
    pub fn rows(&self) -> usize {
        self.tape[self.y].value.nrows()
    }

    /// The lesson's `sgd` for all four parameters, then `param.grad.zero_()` unless
    /// `zero_grad` is false. Returns the new parameters.
    pub fn sgd(&mut self, hyper: &Hyper, zero_grad: bool) -> MlpParams {
        let div = divisor(hyper, self.rows());
        self.tape
            .sgd(&[self.w1, self.b1, self.w2, self.b2], hyper.lr, div);
        if zero_grad {
            self.tape.zero_grad();
        }
        self.params()
    }

    /// The parameters as the tape holds them now.
    pub fn params(&self) -> MlpParams {
        MlpParams {
            w1: self.tape[self.w1].value.clone(),
            b1: entries(&self.tape[self.b1].value),
            w2: entries(&self.tape[self.w2].value),
            b2: self.tape[self.b2].value[0],
        }
    }

    /// The root's value: L.
    pub fn loss_value(&self) -> f64 {
        self.tape[self.loss].value[0]
    }

    /// δ₁ = ∂L/∂Z after `backward()`: the error the second layer sends back through σ.
    pub fn delta1(&self) -> Option<&DMatrix<f64>> {
        self.tape[self.z].grad.as_ref()
    }

    /// The four parameters' `.grad` after `backward()`, laid out as [`MlpParams`].
    pub fn param_grads(&self) -> Option<MlpParams> {
        Some(MlpParams {
            w1: self.tape[self.w1].grad.clone()?,
            b1: entries(self.tape[self.b1].grad.as_ref()?),
            w2: entries(self.tape[self.w2].grad.as_ref()?),
            b2: self.tape[self.b2].grad.as_ref()?[0],
        })
    }
}

/// A one-row or one-column matrix's entries as a vector.
fn entries(m: &DMatrix<f64>) -> DVector<f64> {
    DVector::from_column_slice(m.as_slice())
}
