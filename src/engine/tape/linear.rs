//! The lesson's model as a tape: exactly the graph PyTorch records for
//!
//! ```python
//! y_hat = torch.matmul(X, w) + b
//! l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
//! l.sum().backward()          # or l.mean().backward()
//! sgd([w, b], lr, batch_size) # param -= lr * param.grad / batch_size; param.grad.zero_()
//! ```

use nalgebra::{DMatrix, DVector};

use super::{NodeId, Op, Symbol, Tape};
use crate::data::Dataset;
use crate::engine::batch::{Batch, divisor};
use crate::engine::config::{Hyper, Objective, Params};

/// What the lesson's code records for an objective: the root `backward()` starts from
/// (`l.sum()` or `l.mean()`), and whether `sgd` then divides the gradient by the batch size.
/// Everything that names the objective on screen (formulas, narrative, the PyTorch line) is
/// chosen from this, so it follows what was computed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recorded {
    /// [`Op::Sum`] or [`Op::Mean`].
    pub root: Op,
    /// `param -= lr * param.grad / batch_size` rather than `param -= lr * param.grad`; the
    /// divisor itself is [`crate::engine::batch::divisor`]'s.
    pub divides: bool,
}

impl Recorded {
    pub fn of(objective: Objective) -> Recorded {
        match objective {
            Objective::Sum => Recorded {
                root: Op::Sum,
                divides: true,
            },
            Objective::Mean => Recorded {
                root: Op::Mean,
                divides: false,
            },
            Objective::SumNoDiv => Recorded {
                root: Op::Sum,
                divides: false,
            },
        }
    }

    /// Whether `backward()` starts from the mean of the losses.
    pub fn is_mean(self) -> bool {
        self.root == Op::Mean
    }
}

/// L as `backward()` starts from it for a batch the fast path computed: its tape's root op
/// (`l.sum()` or `l.mean()`) applied to the batch's losses. For `sum` it is [`Batch::loss`]
/// to the bit; for `mean`, that sum divided by N, as the tape's `MeanBackward0` node holds it.
pub fn root_value(batch: &Batch) -> f64 {
    let losses = DMatrix::from_column_slice(batch.losses.len(), 1, batch.losses.as_slice());
    Recorded::of(batch.hyper.objective).root.forward(&[&losses])[(0, 0)]
}

/// One mini-batch of ŷ = Xw + b on a tape, with each of its nodes by the lesson's name.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    pub tape: Tape,
    pub objective: Objective,
    /// The batch's features, N×d (no grad).
    pub x: NodeId,
    /// The batch's targets, N×1 (no grad).
    pub y: NodeId,
    /// d×1, `AccumulateGrad`.
    pub w: NodeId,
    /// 1×1, `AccumulateGrad` (PyTorch's shape (1,)).
    pub b: NodeId,
    /// `X @ w` (MmBackward0).
    pub xw: NodeId,
    /// ŷ = `X @ w + b` (AddBackward0).
    pub y_hat: NodeId,
    /// `ŷ - y` (SubBackward0): δ's values; the gradient arriving here is ∂L/∂ŷ.
    pub error: NodeId,
    /// `(ŷ - y) ** 2` (PowBackward0).
    pub square: NodeId,
    /// l = `(ŷ - y) ** 2 / 2` (DivBackward0), one per sample.
    pub losses: NodeId,
    /// L = `l.sum()` (SumBackward0), or `l.mean()` (MeanBackward0) for [`Objective::Mean`].
    pub loss: NodeId,
}

impl Linear {
    /// The nodes the lesson names on this tape: its leaves, ŷ, l and L, and δ, the `ŷ − y`
    /// node (recorded unnamed, as PyTorch's `SubBackward0`; the lesson calls it δ).
    pub const SYMBOLS: [Symbol; 8] = [
        Symbol::X,
        Symbol::Y,
        Symbol::W,
        Symbol::B,
        Symbol::YHat,
        Symbol::Delta,
        Symbol::LossSample,
        Symbol::Loss,
    ];

    /// Records the forward pass of one batch: X is N×d, y has N entries, `params.w` d.
    pub fn record(
        x: DMatrix<f64>,
        y: &DVector<f64>,
        params: &Params,
        objective: Objective,
    ) -> Result<Linear, super::ShapeError> {
        let mut tape = Tape::new();
        let n = y.len();
        let x = tape.leaf(Symbol::X.text(), x, false);
        let y = tape.leaf(
            Symbol::Y.text(),
            DMatrix::from_column_slice(n, 1, y.as_slice()),
            false,
        );
        let w_len = params.w.len();
        let w = tape.leaf(
            Symbol::W.text(),
            DMatrix::from_column_slice(w_len, 1, params.w.as_slice()),
            true,
        );
        let b = tape.leaf(
            Symbol::B.text(),
            DMatrix::from_element(1, 1, params.b),
            true,
        );
        let xw = tape.push(Op::MatMul, &[x, w], None)?;
        let y_hat = tape.push(Op::Add, &[xw, b], Some(Symbol::YHat.text()))?;
        let error = tape.push(Op::Sub, &[y_hat, y], None)?;
        let square = tape.push(Op::Square, &[error], None)?;
        let losses = tape.push(
            Op::DivScalar(2.0),
            &[square],
            Some(Symbol::LossSample.text()),
        )?;
        let loss = tape.push(
            Recorded::of(objective).root,
            &[losses],
            Some(Symbol::Loss.text()),
        )?;
        Ok(Linear {
            tape,
            objective,
            x,
            y,
            w,
            b,
            xw,
            y_hat,
            error,
            square,
            losses,
            loss,
        })
    }

    /// Records the rows `indices` of `data` (in that order) and runs `backward()`: every node
    /// then holds its value and its gradient.
    pub fn batch(
        data: &Dataset,
        indices: &[usize],
        params: &Params,
        objective: Objective,
    ) -> Result<Linear, super::ShapeError> {
        let mut linear = Linear::batch_recorded(data, indices, params, objective)?;
        linear.backward();
        Ok(linear)
    }

    /// [`Linear::batch`]'s forward pass only, so `.grad` can be set before `backward()`.
    pub fn batch_recorded(
        data: &Dataset,
        indices: &[usize],
        params: &Params,
        objective: Objective,
    ) -> Result<Linear, super::ShapeError> {
        let d = data.d();
        let x = DMatrix::from_fn(indices.len(), d, |i, j| data.row(indices[i])[j]);
        let y = DVector::from_iterator(indices.len(), indices.iter().map(|&r| data.y()[r]));
        Linear::record(x, &y, params, objective)
    }

    /// Gives `w.grad` and `b.grad` what they hold before this batch's `backward()`: zeros after
    /// the lesson's `param.grad.zero_()`, or the gradient kept from earlier batches without it.
    /// Returns false, changing nothing, when `w` has the wrong length.
    pub fn hold_grads(&mut self, w: &DVector<f64>, b: f64) -> bool {
        let gw = DMatrix::from_column_slice(w.len(), 1, w.as_slice());
        if self.tape[self.w].value.shape() != gw.shape() {
            return false;
        }
        self.tape.set_grad(self.w, gw) && self.tape.set_grad(self.b, DMatrix::from_element(1, 1, b))
    }

    /// `l.sum().backward()` (or `l.mean()`): returns the nodes in the order visited.
    pub fn backward(&mut self) -> Vec<NodeId> {
        self.tape.backward(self.loss)
    }

    /// The nodes `backward()` visits, in PyTorch's order, without running it.
    pub fn backward_order(&self) -> Vec<NodeId> {
        self.tape.backward_order(self.loss)
    }

    /// Rows in the batch (the lesson's N).
    pub fn rows(&self) -> usize {
        self.tape[self.y].value.nrows()
    }

    /// The lesson's `sgd`: `param -= lr * param.grad / divisor` for w and b, where the divisor
    /// is what `hyper`'s objective divides by (N, the nominal batch size, or 1), then
    /// `param.grad.zero_()` unless `zero_grad` is false. Returns the new parameters.
    pub fn sgd(&mut self, hyper: &Hyper, zero_grad: bool) -> Params {
        let div = divisor(hyper, self.rows());
        self.tape.sgd(&[self.w, self.b], hyper.lr, div);
        if zero_grad {
            self.tape.zero_grad();
        }
        self.params()
    }

    /// The parameters as the tape holds them now.
    pub fn params(&self) -> Params {
        Params {
            w: column(&self.tape[self.w].value),
            b: self.tape[self.b].value[0],
        }
    }

    /// A node's value as a column (ŷ, δ's values, l).
    pub fn value(&self, id: NodeId) -> DVector<f64> {
        column(&self.tape[id].value)
    }

    /// A node's gradient as a column, or `None` before `backward()` or without grad.
    pub fn grad(&self, id: NodeId) -> Option<DVector<f64>> {
        self.tape[id].grad.as_ref().map(column)
    }

    /// The root's value: L = Σ l⁽ⁱ⁾, or its mean.
    pub fn loss_value(&self) -> f64 {
        self.tape[self.loss].value[0]
    }

    /// `w.grad` and `b.grad` after `backward()`: ∂L/∂w = Xᵀ·∂L/∂ŷ, ∂L/∂b = Σ ∂L/∂ŷ⁽ⁱ⁾.
    pub fn param_grads(&self) -> Option<(DVector<f64>, f64)> {
        let gw = self.grad(self.w)?;
        let gb = self.tape[self.b].grad.as_ref()?[0];
        Some((gw, gb))
    }
}

/// A matrix's entries, column by column: an N×1 node as a vector.
fn column(m: &DMatrix<f64>) -> DVector<f64> {
    DVector::from_column_slice(m.as_slice())
}
