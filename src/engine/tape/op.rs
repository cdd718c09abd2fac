//! The operations a tape records, each with its forward rule and its one local backward rule.
//!
//! Every rule follows PyTorch's own formula for the op (its `derivatives.yaml` and CPU kernels),
//! in the same order of floating-point operations where the order changes the bits, so the tape
//! can be checked against PyTorch and against the closed-form fast path.

use nalgebra::DMatrix;

/// One operation: what PyTorch records as a `grad_fn` node.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    /// `a @ b`, each entry summed left to right from 0 (as [`crate::engine::batch::predict`]).
    MatMul,
    /// `a + b`, `b` broadcast over rows and/or columns when it has one of them (`… + b`).
    Add,
    /// `a - b`, broadcast as [`Op::Add`].
    Sub,
    /// `a ** 2`.
    Square,
    /// `a / c` for a constant `c`.
    DivScalar(f64),
    /// `a.sum()`: every entry, row by row, left to right from 0.
    Sum,
    /// `a.mean()`: the sum as [`Op::Sum`], divided by the count.
    Mean,
    /// `a.t()`.
    Transpose,
    /// `a * b`, element by element (⊙).
    Mul,
    /// `torch.relu(a)`; its derivative at exactly 0 is 0, as in PyTorch.
    Relu,
    Tanh,
    Sigmoid,
}

impl Op {
    /// PyTorch's class name for the node this op records (`l.sum().grad_fn.name()`).
    pub fn torch_name(self) -> &'static str {
        match self {
            Op::MatMul => "MmBackward0",
            Op::Add => "AddBackward0",
            Op::Sub => "SubBackward0",
            Op::Square => "PowBackward0",
            Op::DivScalar(_) => "DivBackward0",
            Op::Sum => "SumBackward0",
            Op::Mean => "MeanBackward0",
            Op::Transpose => "TBackward0",
            Op::Mul => "MulBackward0",
            Op::Relu => "ReluBackward0",
            Op::Tanh => "TanhBackward0",
            Op::Sigmoid => "SigmoidBackward0",
        }
    }

    /// How many inputs the op takes.
    pub fn arity(self) -> usize {
        match self {
            Op::MatMul | Op::Add | Op::Sub | Op::Mul => 2,
            _ => 1,
        }
    }

    /// The shape of the result, or why the inputs do not fit.
    pub fn shape(self, inputs: &[(usize, usize)]) -> Result<(usize, usize), String> {
        if inputs.len() != self.arity() {
            return Err(format!(
                "{} takes {} inputs, got {}",
                self.torch_name(),
                self.arity(),
                inputs.len()
            ));
        }
        let a = inputs[0];
        match self {
            Op::MatMul => {
                let b = inputs[1];
                if a.1 != b.0 {
                    return Err(format!("cannot multiply {a:?} by {b:?}"));
                }
                Ok((a.0, b.1))
            }
            Op::Add | Op::Sub => {
                let b = inputs[1];
                let fits = |n: usize, m: usize| n == m || m == 1;
                if !(fits(a.0, b.0) && fits(a.1, b.1)) {
                    return Err(format!("cannot broadcast {b:?} onto {a:?}"));
                }
                Ok(a)
            }
            Op::Mul => {
                if a != inputs[1] {
                    return Err(format!("element-wise product of {a:?} and {:?}", inputs[1]));
                }
                Ok(a)
            }
            Op::Sum | Op::Mean => Ok((1, 1)),
            Op::Transpose => Ok((a.1, a.0)),
            Op::Square | Op::DivScalar(_) | Op::Relu | Op::Tanh | Op::Sigmoid => Ok(a),
        }
    }

    /// The forward rule. The inputs have the shapes [`Op::shape`] accepted.
    pub fn forward(self, inputs: &[&DMatrix<f64>]) -> DMatrix<f64> {
        let a = inputs[0];
        match self {
            Op::MatMul => matmul(a, inputs[1]),
            Op::Add => broadcast(a, inputs[1], |x, y| x + y),
            Op::Sub => broadcast(a, inputs[1], |x, y| x - y),
            Op::Square => a.map(|x| x * x),
            Op::DivScalar(c) => a.map(|x| x / c),
            Op::Sum => DMatrix::from_element(1, 1, sum(a)),
            Op::Mean => DMatrix::from_element(1, 1, sum(a) / a.len() as f64),
            Op::Transpose => a.transpose(),
            Op::Mul => a.zip_map(inputs[1], |x, y| x * y),
            Op::Relu => a.map(|x| if x > 0.0 || x.is_nan() { x } else { 0.0 }),
            Op::Tanh => a.map(f64::tanh),
            Op::Sigmoid => a.map(|x| 1.0 / (1.0 + (-x).exp())),
        }
    }

    /// The local backward rule: from ∂L/∂out, the gradient for each input that `wants` one
    /// (`None` for the others, as PyTorch skips inputs that do not require grad).
    pub fn backward(
        self,
        grad: &DMatrix<f64>,
        inputs: &[&DMatrix<f64>],
        out: &DMatrix<f64>,
        wants: &[bool],
    ) -> Vec<Option<DMatrix<f64>>> {
        let a = inputs[0];
        let want = |k: usize| wants.get(k).copied().unwrap_or(false);
        match self {
            Op::MatMul => {
                let b = inputs[1];
                vec![
                    want(0).then(|| matmul(grad, &b.transpose())),
                    want(1).then(|| matmul(&a.transpose(), grad)),
                ]
            }
            Op::Add => vec![
                want(0).then(|| sum_to(grad, a.shape())),
                want(1).then(|| sum_to(grad, inputs[1].shape())),
            ],
            Op::Sub => vec![
                want(0).then(|| sum_to(grad, a.shape())),
                want(1).then(|| -sum_to(grad, inputs[1].shape())),
            ],
            // PowBackward0: grad · (2 · a¹).
            Op::Square => vec![want(0).then(|| grad.zip_map(a, |g, x| g * (2.0 * x)))],
            Op::DivScalar(c) => vec![want(0).then(|| grad.map(|g| g / c))],
            Op::Sum => vec![want(0).then(|| DMatrix::from_element(a.nrows(), a.ncols(), grad[0]))],
            Op::Mean => {
                let g = grad[0] / a.len() as f64;
                vec![want(0).then(|| DMatrix::from_element(a.nrows(), a.ncols(), g))]
            }
            Op::Transpose => vec![want(0).then(|| grad.transpose())],
            Op::Mul => {
                let b = inputs[1];
                vec![
                    want(0).then(|| grad.zip_map(b, |g, y| g * y)),
                    want(1).then(|| grad.zip_map(a, |g, x| g * x)),
                ]
            }
            // threshold_backward(grad, result, 0): the gradient passes where the output is > 0.
            Op::Relu => {
                vec![want(0).then(|| grad.zip_map(out, |g, y| if y > 0.0 { g } else { 0.0 }))]
            }
            // tanh_backward: grad · (1 − y²).
            Op::Tanh => vec![want(0).then(|| grad.zip_map(out, |g, y| g * (1.0 - y * y)))],
            // sigmoid_backward: grad · (1 − y) · y.
            Op::Sigmoid => vec![want(0).then(|| grad.zip_map(out, |g, y| g * (1.0 - y) * y))],
        }
    }

    /// The op as code over its inputs' names, e.g. `X @ w`; an input that is itself an
    /// unnamed expression gets parentheses where Python would need them.
    pub fn label(self, inputs: &[Operand]) -> String {
        let p = self.precedence();
        let wrap = |o: &Operand, strict: bool| {
            if o.precedence < p || (strict && o.precedence == p) {
                format!("({})", o.text)
            } else {
                o.text.clone()
            }
        };
        let a = || wrap(&inputs[0], false);
        let b = || wrap(&inputs[1], true);
        match self {
            Op::MatMul => format!("{} @ {}", a(), b()),
            Op::Add => format!("{} + {}", a(), b()),
            Op::Sub => format!("{} - {}", a(), b()),
            Op::Mul => format!("{} * {}", a(), b()),
            Op::Square => format!("{} ** 2", wrap(&inputs[0], true)),
            Op::DivScalar(c) => format!("{} / {c}", a()),
            Op::Sum => format!("{}.sum()", a()),
            Op::Mean => format!("{}.mean()", a()),
            Op::Transpose => format!("{}.t()", a()),
            Op::Relu => format!("torch.relu({})", inputs[0].text),
            Op::Tanh => format!("torch.tanh({})", inputs[0].text),
            Op::Sigmoid => format!("torch.sigmoid({})", inputs[0].text),
        }
    }

    /// Python's binding strength for the op's result as written by [`Op::label`].
    pub fn precedence(self) -> u8 {
        match self {
            Op::Add | Op::Sub => 1,
            Op::MatMul | Op::Mul | Op::DivScalar(_) => 2,
            Op::Square => 3,
            Op::Sum | Op::Mean | Op::Transpose | Op::Relu | Op::Tanh | Op::Sigmoid => 4,
        }
    }
}

/// An input as [`Op::label`] writes it: its name, or its own label.
#[derive(Clone, Debug, PartialEq)]
pub struct Operand {
    pub text: String,
    pub precedence: u8,
}

/// `a @ b` with each entry summed left to right from 0, as the fast path sums ŷ⁽ⁱ⁾ and Xᵀδ.
/// (nalgebra's product blocks the sum differently, which changes the last bits.)
pub fn matmul(a: &DMatrix<f64>, b: &DMatrix<f64>) -> DMatrix<f64> {
    DMatrix::from_fn(a.nrows(), b.ncols(), |i, j| {
        let mut s = 0.0;
        for k in 0..a.ncols() {
            s += a[(i, k)] * b[(k, j)];
        }
        s
    })
}

/// Every entry, row by row, left to right from 0.
pub fn sum(a: &DMatrix<f64>) -> f64 {
    let mut s = 0.0;
    for i in 0..a.nrows() {
        for j in 0..a.ncols() {
            s += a[(i, j)];
        }
    }
    s
}

/// `f(a, b)` with `b` repeated along any axis where it has length 1.
fn broadcast(a: &DMatrix<f64>, b: &DMatrix<f64>, f: impl Fn(f64, f64) -> f64) -> DMatrix<f64> {
    let (br, bc) = b.shape();
    DMatrix::from_fn(a.nrows(), a.ncols(), |i, j| {
        f(a[(i, j)], b[(i.min(br - 1), j.min(bc - 1))])
    })
}

/// The gradient of a broadcast operand: `grad` summed over the axes it was repeated along,
/// left to right from 0 (PyTorch's `sum_to`); unchanged where nothing was repeated.
fn sum_to(grad: &DMatrix<f64>, shape: (usize, usize)) -> DMatrix<f64> {
    if grad.shape() == shape {
        return grad.clone();
    }
    let (rows, cols) = shape;
    let mut out = DMatrix::zeros(rows, cols);
    for i in 0..grad.nrows() {
        for j in 0..grad.ncols() {
            out[(i.min(rows - 1), j.min(cols - 1))] += grad[(i, j)];
        }
    }
    out
}
