//! The tape against the closed-form fast path, bit for bit, and the tape's local rules against
//! central finite differences.

mod common;

use common::close;
use gradstep::data::Dataset;
use gradstep::engine::batch::{BatchPos, Scratch, compute, sgd_step};
use gradstep::engine::tape::{Linear, NodeId, Op, Tape, root_value};
use gradstep::engine::{DivideBy, Hyper, Objective, Params};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;

const OBJECTIVES: [Objective; 3] = [Objective::Sum, Objective::Mean, Objective::SumNoDiv];

fn bits(v: impl IntoIterator<Item = f64>) -> Vec<u64> {
    v.into_iter().map(f64::to_bits).collect()
}

/// Rows of varied magnitude (so rounding differs between summation orders), with a few exact
/// zeros and negative zeros among them.
fn random_case(seed: u64, n: usize, d: usize) -> (Dataset, Params) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let draw = |rng: &mut Xoshiro256PlusPlus| -> f64 {
        match rng.random_range(0..10) {
            0 => 0.0,
            1 => -0.0,
            _ => rng.random_range(-1.0..1.0) * 10f64.powi(rng.random_range(-3..4)),
        }
    };
    let rows: Vec<f64> = (0..n * d).map(|_| draw(&mut rng)).collect();
    let y: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
    let names = (1..=d).map(|j| format!("x{j}")).collect();
    let data = Dataset::new(rows, y, names, "y".into()).expect("well formed");
    let w = DVector::from_iterator(d, (0..d).map(|_| draw(&mut rng)));
    let b = draw(&mut rng);
    (data, Params { w, b })
}

fn pos() -> BatchPos {
    BatchPos {
        global: 0,
        epoch: 1,
        batch: 1,
        epoch_end: false,
        epoch_batches: 1,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The tape records ŷ, δ, l, L, w.grad, b.grad and the next parameters with exactly the
    /// bits of `Batch` and `sgd_step`, for every objective and both divisors.
    #[test]
    fn the_tape_is_the_fast_path_bit_for_bit(
        seed in any::<u64>(),
        n in 1usize..24,
        d in 1usize..6,
        lr in prop::sample::select(vec![0.001, 0.03, 0.1, 0.7, 3.0]),
        nominal in any::<bool>(),
        extra in 0usize..4,
        shuffle in any::<bool>(),
    ) {
        let (data, params) = random_case(seed, n, d);
        let mut indices: Vec<usize> = (0..n).collect();
        if shuffle {
            indices.reverse();
        }
        for objective in OBJECTIVES {
            let hyper = Hyper {
                lr,
                batch_size: n + extra,
                objective,
                divide_by: if nominal { DivideBy::Nominal } else { DivideBy::Actual },
                ..Hyper::default()
            };
            let batch = compute(&data, &indices, &params, &hyper, pos(), None);
            let mut tape = Linear::batch(&data, &indices, &params, objective).expect("shapes fit");
            prop_assert_eq!(bits(tape.value(tape.y_hat).iter().copied()), bits(batch.y_hat.iter().copied()));
            prop_assert_eq!(bits(tape.value(tape.error).iter().copied()), bits(batch.delta.iter().copied()));
            prop_assert_eq!(bits(tape.value(tape.losses).iter().copied()), bits(batch.losses.iter().copied()));
            let root = match objective {
                Objective::Mean => batch.loss / n as f64,
                _ => batch.loss,
            };
            prop_assert_eq!(tape.loss_value().to_bits(), root.to_bits());
            prop_assert_eq!(root_value(&batch).to_bits(), root.to_bits());
            let (gw, gb) = tape.param_grads().expect("backward ran");
            prop_assert_eq!(bits(gw.iter().copied()), bits(batch.grad_w.iter().copied()));
            prop_assert_eq!(gb.to_bits(), batch.grad_b.to_bits());
            if objective != Objective::Mean {
                // For a sum, the gradient arriving at `ŷ - y` is δ itself.
                let arriving = tape.grad(tape.error).expect("backward ran");
                prop_assert_eq!(bits(arriving.iter().copied()), bits(batch.delta.iter().copied()));
            }

            let next = tape.sgd(&hyper, true);
            prop_assert_eq!(bits(next.w.iter().copied()), bits(batch.w_next.iter().copied()));
            prop_assert_eq!(next.b.to_bits(), batch.b_next.to_bits());

            let mut fast = params.clone();
            let mut scratch = Scratch::default();
            let (loss, _) = sgd_step(&data, &indices, &mut fast, &hyper, &mut scratch);
            prop_assert_eq!(loss.to_bits(), batch.loss.to_bits());
            prop_assert_eq!(bits(fast.w.iter().copied()), bits(next.w.iter().copied()));
            prop_assert_eq!(fast.b.to_bits(), next.b.to_bits());
        }
    }
}

/// Forgetting `zero_()`: a second backward pass adds into `.grad`, and the update then uses the
/// sum; with `zero_()` it starts again from 0.
#[test]
fn accumulate_grad_adds_until_zeroed() {
    let (data, params) = random_case(7, 5, 2);
    let first = Linear::batch(&data, &[0, 1, 2, 3, 4], &params, Objective::Sum).expect("fits");
    let (gw, gb) = first.param_grads().expect("backward ran");
    let mut twice = first.clone();
    twice.backward();
    let (gw2, gb2) = twice.param_grads().expect("backward ran");
    assert_eq!(gw2, &gw + &gw);
    assert_eq!(gb2, gb + gb);
    twice.tape.zero_grad();
    twice.backward();
    assert_eq!(twice.param_grads(), Some((gw, gb)));
}

/// PyTorch visits the loss's nodes from the root down, b's AccumulateGrad before MmBackward0.
#[test]
fn backward_visits_in_pytorchs_order() {
    let (data, params) = random_case(3, 4, 3);
    let mut lin = Linear::batch(&data, &[0, 1, 2, 3], &params, Objective::Mean).expect("fits");
    let order = lin.backward();
    let names: Vec<_> = order
        .iter()
        .map(|&id| lin.tape[id].torch_name().unwrap_or("-"))
        .collect();
    assert_eq!(
        names,
        [
            "MeanBackward0",
            "DivBackward0",
            "PowBackward0",
            "SubBackward0",
            "AddBackward0",
            "AccumulateGrad",
            "MmBackward0",
            "AccumulateGrad"
        ]
    );
    assert_eq!(order[5], lin.b);
    assert_eq!(order[7], lin.w);
    let labels: Vec<_> = lin.tape.nodes().iter().map(|n| n.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "X",
            "y",
            "w",
            "b",
            "X @ w",
            "X @ w + b",
            "ŷ - y",
            "(ŷ - y) ** 2",
            "(ŷ - y) ** 2 / 2",
            "l.mean()"
        ]
    );
}

/// The loss of a two-layer-style tape as a function of one entry of one leaf.
fn rebuild(tape: &Tape, leaf: NodeId, at: (usize, usize), v: f64, root: NodeId) -> f64 {
    let mut t = tape.clone();
    let mut value = t[leaf].value.clone();
    value[at] = v;
    assert!(t.set_leaf(leaf, value));
    t.forward();
    t[root].value[0]
}

fn random_matrix(rng: &mut Xoshiro256PlusPlus, r: usize, c: usize) -> DMatrix<f64> {
    DMatrix::from_fn(r, c, |_, _| rng.random_range(-1.5..1.5))
}

/// ŷ = act(X W₁ + b₁) ⊙ M · W₂ + b₂ with L = mean((ŷ − y)²/2) + sum(W₁ᵀ): every op the tape has.
fn network(
    rng: &mut Xoshiro256PlusPlus,
    n: usize,
    d: usize,
    h: usize,
    act: Op,
) -> (Tape, Vec<NodeId>, NodeId) {
    let mut t = Tape::new();
    let x = t.leaf("X", random_matrix(rng, n, d), false);
    let y = t.leaf("y", random_matrix(rng, n, 1), false);
    let w1 = t.leaf("W1", random_matrix(rng, d, h), true);
    let b1 = t.leaf("b1", random_matrix(rng, 1, h), true);
    let m = t.leaf("M", random_matrix(rng, n, h), true);
    let w2 = t.leaf("W2", random_matrix(rng, h, 1), true);
    let b2 = t.leaf("b2", random_matrix(rng, 1, 1), true);
    let z = t
        .push(Op::MatMul, &[x, w1], None)
        .and_then(|xw| t.push(Op::Add, &[xw, b1], Some("Z")))
        .expect("fits");
    let a = t.push(act, &[z], Some("H")).expect("fits");
    let am = t.push(Op::Mul, &[a, m], None).expect("fits");
    let out = t.push(Op::MatMul, &[am, w2], None).expect("fits");
    let y_hat = t.push(Op::Add, &[out, b2], Some("ŷ")).expect("fits");
    let r = t.push(Op::Sub, &[y_hat, y], None).expect("fits");
    let sq = t.push(Op::Square, &[r], None).expect("fits");
    let l = t.push(Op::DivScalar(2.0), &[sq], Some("l")).expect("fits");
    let mean = t.push(Op::Mean, &[l], None).expect("fits");
    let w1t = t.push(Op::Transpose, &[w1], None).expect("fits");
    let reg = t.push(Op::Sum, &[w1t], None).expect("fits");
    let root = t.push(Op::Add, &[mean, reg], Some("L")).expect("fits");
    (t, vec![w1, b1, m, w2, b2], root)
}

/// Every parameter's gradient, for each activation, against central differences.
#[test]
fn the_new_ops_match_finite_differences() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(19);
    for act in [Op::Relu, Op::Tanh, Op::Sigmoid] {
        for _ in 0..6 {
            let (n, d, h) = (
                rng.random_range(1..6),
                rng.random_range(1..4),
                rng.random_range(1..5),
            );
            let (mut tape, params, root) = network(&mut rng, n, d, h, act);
            tape.backward(root);
            for &p in &params {
                let grad = tape[p].grad.clone().expect("a parameter gets a gradient");
                let value = tape[p].value.clone();
                for i in 0..value.nrows() {
                    for j in 0..value.ncols() {
                        let v = value[(i, j)];
                        if act == Op::Relu && relu_kink_near(&tape, p, (i, j), v) {
                            continue;
                        }
                        let eps = 1e-6;
                        let up = rebuild(&tape, p, (i, j), v + eps, root);
                        let down = rebuild(&tape, p, (i, j), v - eps, root);
                        let numeric = (up - down) / (2.0 * eps);
                        assert!(
                            close(grad[(i, j)], numeric, 1e-6),
                            "{act:?} {}[{i},{j}]: tape {} vs differences {numeric}",
                            tape[p].label,
                            grad[(i, j)]
                        );
                    }
                }
            }
        }
    }
}

/// A ReLU input within the step of 0 makes the difference quotient straddle the kink.
fn relu_kink_near(tape: &Tape, p: NodeId, at: (usize, usize), v: f64) -> bool {
    [v - 1e-6, v + 1e-6].iter().any(|&shifted| {
        let mut t = tape.clone();
        let mut value = t[p].value.clone();
        value[at] = shifted;
        t.set_leaf(p, value);
        t.forward();
        t.nodes()
            .iter()
            .filter(|n| n.op == Some(Op::Relu))
            .any(|n| {
                let input = &t[n.inputs[0]].value;
                input.iter().any(|z| z.abs() < 1e-5)
            })
    })
}

/// ReLU's derivative at exactly 0 is 0, as PyTorch's `threshold_backward` makes it; the
/// other local rules at a hand-checked point.
#[test]
fn local_rules_at_hand_checked_points() {
    let mut t = Tape::new();
    let z = t.leaf("z", DMatrix::from_row_slice(1, 3, &[-1.0, 0.0, 2.0]), true);
    let r = t.push(Op::Relu, &[z], None).expect("fits");
    let s = t.push(Op::Sum, &[r], None).expect("fits");
    t.backward(s);
    assert_eq!(
        t[z].grad.as_ref().map(|g| g.as_slice().to_vec()),
        Some(vec![0.0, 0.0, 1.0])
    );

    let mut t = Tape::new();
    let z = t.leaf("z", DMatrix::from_element(1, 1, 0.0), true);
    let th = t.push(Op::Tanh, &[z], None).expect("fits");
    let sg = t.push(Op::Sigmoid, &[z], None).expect("fits");
    let both = t.push(Op::Mul, &[th, sg], None).expect("fits");
    let root = t.push(Op::Add, &[both, sg], None).expect("fits");
    t.backward(root);
    // d/dz (tanh z · σ(z) + σ(z)) at 0 = 1 · ½ + 0 · ¼ + ¼.
    assert_eq!(t[sg].value[0], 0.5);
    assert_eq!(t[z].grad.as_ref().map(|g| g[0]), Some(0.75));
}
