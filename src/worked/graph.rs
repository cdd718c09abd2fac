//! The autograd graph's worked equations: at each node `backward()` visits, its one local rule
//! with this batch's numbers, from the gradient that arrived to what it sent down.
//!
//! Every number is read from the tape after its backward pass (a node's `grad` is what arrived,
//! its `sent` what it passed to each input, a leaf's `grad_before` what `.grad` held before):
//! nothing here recomputes the walk, and [`Equation::new`] checks that each rule holds at the
//! digits it prints, as every worked equation does.

use super::{Part, Symbol};
use nalgebra::DMatrix;

use super::{Axis, Cut, Elision, Equation, Expr, Join, Quantity, cells::value};
use crate::engine::tape::{Linear, NodeId, Op};
use crate::math::Role;

/// Beside the graph there is room for less than under the derivation: a column of more than 3
/// shows 2 and the last, a sum of more than 3 terms 2 and the last.
pub const ELISION: Elision = Elision {
    rows: Cut {
        max: 3,
        head: 2,
        tail: 1,
    },
    cols: Cut {
        max: 3,
        head: 2,
        tail: 1,
    },
    terms: Cut {
        max: 3,
        head: 2,
        tail: 1,
    },
};

/// One visited node's rules: usually one equation, two for `AddBackward0` (to `X @ w` and to b).
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub node: NodeId,
    pub equations: Vec<Equation>,
}

/// The entries of a node's matrix as one column of the role's values; `output` marks what the
/// rule produces.
fn column(m: &DMatrix<f64>, role: Role, axis: Axis, output: bool) -> Expr {
    Expr::Column(
        m.iter()
            .enumerate()
            .map(|(i, &v)| value(Quantity::Unnamed(role), i, 0, v, output))
            .collect(),
        axis,
    )
}

fn scalar(m: &DMatrix<f64>, role: Role, output: bool) -> Expr {
    value(Quantity::Unnamed(role), 0, 0, m[(0, 0)], output)
}

/// ∂L/∂`of`, in the lesson's notation.
fn partial(of: &str) -> String {
    format!(r"\frac{{\partial L}}{{\partial {of}}}")
}

/// The rule of every node `backward()` visited, in its order.
pub fn rules(linear: &Linear, precision: usize) -> Vec<Rule> {
    linear
        .backward_order()
        .into_iter()
        .map(|id| Rule {
            node: id,
            equations: rule(linear, id, precision),
        })
        .collect()
}

/// The rules of `ids` only (what one step of the lesson visits).
pub fn rules_of(linear: &Linear, ids: &[NodeId], precision: usize) -> Vec<Rule> {
    ids.iter()
        .map(|&id| Rule {
            node: id,
            equations: rule(linear, id, precision),
        })
        .collect()
}

/// What arrived at `id`'s inputs from it, if the walk reached it.
fn sent(linear: &Linear, id: NodeId, input: usize) -> Option<&DMatrix<f64>> {
    linear.tape[id].sent.get(input)?.as_ref()
}

fn rule(l: &Linear, id: NodeId, p: usize) -> Vec<Equation> {
    let node = &l.tape[id];
    let Some(arrived) = node.grad.as_ref() else {
        return Vec::new();
    };
    let eq = |members: Vec<Expr>| Equation::new(members, p);
    let samples = Axis::Samples;
    match node.op {
        Some(op @ (Op::Sum | Op::Mean)) => {
            let Some(out) = sent(l, id, 0) else {
                return Vec::new();
            };
            let (rule, worked) = if op == Op::Mean {
                let n = out.len() as f64;
                (
                    format!(r"{} / N", partial("L")),
                    Expr::quotient(
                        scalar(arrived, Role::Loss, false),
                        Expr::exact(n, Some(Role::N)),
                    ),
                )
            } else {
                (
                    format!(r"{} \cdot 1", partial("L")),
                    Expr::product(
                        scalar(arrived, Role::Loss, false),
                        Expr::exact(1.0, None),
                        Join::Dot,
                    ),
                )
            };
            // Every l⁽ⁱ⁾ gets the same gradient: one number says it.
            vec![eq(vec![
                Expr::notation(partial("l^{(i)}")),
                Expr::notation(rule),
                worked,
                scalar(out, Role::LossSample, true),
            ])]
        }
        Some(Op::DivScalar(c)) => {
            let Some(out) = sent(l, id, 0) else {
                return Vec::new();
            };
            vec![eq(vec![
                Expr::notation(partial("r^2")),
                Expr::notation(format!("{} / {c}", partial("l"))),
                Expr::quotient(
                    column(arrived, Role::LossSample, samples, false),
                    Expr::exact(c, None),
                ),
                column(out, Role::LossSample, samples, true),
            ])]
        }
        Some(Op::Square) => {
            let (Some(out), Some(&r)) = (sent(l, id, 0), node.inputs.first()) else {
                return Vec::new();
            };
            vec![eq(vec![
                Expr::notation(partial("r")),
                Expr::notation(format!(r"{} \cdot 2 r", partial("r^2"))),
                Expr::product(
                    Expr::product(
                        column(arrived, Role::LossSample, samples, false),
                        Expr::exact(2.0, None),
                        Join::Dot,
                    ),
                    column(&l.tape[r].value, Role::Delta, samples, false),
                    Join::Dot,
                ),
                column(out, Role::Delta, samples, true),
            ])]
        }
        Some(Op::Sub) => {
            let Some(out) = sent(l, id, 0) else {
                return Vec::new();
            };
            vec![eq(vec![
                Expr::notation(partial(r"\hat{y}")),
                Expr::notation(format!(r"{} \cdot 1", partial("r"))),
                Expr::product(
                    column(arrived, Role::Delta, samples, false),
                    Expr::exact(1.0, None),
                    Join::Dot,
                ),
                column(out, Role::Delta, samples, true),
            ])]
        }
        Some(Op::Add) => {
            let mut out = Vec::new();
            if let Some(to_xw) = sent(l, id, 0) {
                out.push(eq(vec![
                    Expr::notation(partial("(Xw)")),
                    Expr::notation(partial(r"\hat{y}")),
                    column(to_xw, Role::Delta, samples, true),
                ]));
            }
            if let Some(to_b) = sent(l, id, 1) {
                let terms = arrived
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| value(Quantity::Unnamed(Role::Delta), i, 0, v, false))
                    .collect();
                out.push(eq(vec![
                    Expr::notation(partial("b")),
                    Expr::notation(format!(r"\sum_i {}", partial(r"\hat{y}^{(i)}"))),
                    Expr::Sum(terms),
                    scalar(to_b, Role::GradB, true),
                ]));
            }
            out
        }
        Some(Op::MatMul) => {
            let (Some(out), Some(&x)) = (sent(l, id, 1), node.inputs.first()) else {
                return Vec::new();
            };
            let x = &l.tape[x].value;
            let xt = Expr::Matrix(
                (0..x.ncols())
                    .map(|j| {
                        (0..x.nrows())
                            .map(|i| {
                                value(
                                    Quantity::Of(Symbol::X, Part::Transposed),
                                    j,
                                    i,
                                    x[(i, j)],
                                    false,
                                )
                            })
                            .collect()
                    })
                    .collect(),
                Axis::Features,
            );
            vec![eq(vec![
                Expr::notation(partial("w")),
                Expr::notation(format!("X^T {}", partial("(Xw)"))),
                Expr::product(
                    xt,
                    column(arrived, Role::Delta, samples, false),
                    Join::Juxtapose,
                ),
                column(out, Role::GradW, Axis::Features, true),
            ])]
        }
        Some(_) => Vec::new(),
        None => accumulate(l, id, arrived, p),
    }
}

/// AccumulateGrad: `.grad` += what arrived (stored as is on the first pass, as PyTorch does).
fn accumulate(l: &Linear, id: NodeId, grad: &DMatrix<f64>, p: usize) -> Vec<Equation> {
    let (name, role, axis) = if id == l.w {
        ("w", Role::GradW, Axis::Features)
    } else {
        ("b", Role::GradB, Axis::Samples)
    };
    // What the consumer sent here: the one op that has this leaf as an input.
    let Some(arrived) = l.tape.nodes().iter().find_map(|n| {
        let k = n.inputs.iter().position(|&i| i == id)?;
        n.sent.get(k)?.as_ref()
    }) else {
        return Vec::new();
    };
    let lhs = Expr::notation(format!(r"\text{{{name}.grad}}"));
    let as_expr = |m: &DMatrix<f64>, output: bool| {
        if m.len() == 1 {
            scalar(m, role, output)
        } else {
            column(m, role, axis, output)
        }
    };
    let members = match &l.tape[id].grad_before {
        Some(before) => vec![
            lhs,
            Expr::notation(format!(r"\text{{{name}.grad}} + {}", partial(name))),
            Expr::Sum(vec![as_expr(before, false), as_expr(arrived, false)]),
            as_expr(grad, true),
        ],
        None => vec![lhs, Expr::notation(partial(name)), as_expr(grad, true)],
    };
    vec![Equation::new(members, p)]
}
