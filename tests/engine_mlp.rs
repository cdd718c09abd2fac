//! The two-layer model's closed form, checked three ways: against PyTorch (float64, recorded by
//! tests/fixtures/torch/record_mlp.py), against central differences of the loss over random
//! shapes, and on the two-layer preset's first batch worked by hand.

mod common;

use gradstep::engine::mlp::{self, Activation, MlpBatch, MlpParams};
use gradstep::engine::{Hyper, Objective};
use nalgebra::{DMatrix, DVector};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/torch/mlp.json");

fn fixture() -> Value {
    serde_json::from_str(FIXTURE).expect("the fixture is JSON")
}

fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// A list of rows as a matrix.
fn matrix(v: &Value) -> DMatrix<f64> {
    let rows = v.as_array().expect("rows");
    let cols = rows[0].as_array().expect("a row").len();
    DMatrix::from_row_slice(rows.len(), cols, &numbers(v))
}

fn vector(v: &Value) -> DVector<f64> {
    DVector::from_vec(numbers(v))
}

fn objective(v: &Value) -> Objective {
    match v.as_str() {
        Some("sum") => Objective::Sum,
        Some("mean") => Objective::Mean,
        other => panic!("objective {other:?}"),
    }
}

fn activation(v: &Value) -> Activation {
    Activation::parse(v.as_str().expect("a name")).expect("a known activation")
}

/// The largest difference between ours and PyTorch's, relative to the value's size (at least 1).
fn worst(ours: &[f64], torch: &[f64], what: &str) -> f64 {
    assert_eq!(ours.len(), torch.len(), "{what}: lengths");
    ours.iter()
        .zip(torch)
        .map(|(a, b)| (a - b).abs() / b.abs().max(1.0))
        .fold(0.0, f64::max)
}

fn run_case(c: &Value) -> MlpBatch {
    let params = MlpParams {
        w1: matrix(&c["W1"]),
        b1: vector(&c["b1"]),
        w2: vector(&c["W2"]),
        b2: numbers(&c["b2"])[0],
    };
    mlp::forward_backward(
        matrix(&c["x"]),
        vector(&c["y"]),
        &params,
        activation(&c["activation"]),
        objective(&c["objective"]),
    )
}

/// Every intermediate and gradient of every recorded case, per activation, within a few units
/// in the last place of PyTorch's (its matrix products sum in another order).
#[test]
fn every_value_matches_pytorch_for_each_activation() {
    let f = fixture();
    let cases = f["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 30, "3 activations × 5 shapes × 2 objectives");
    for act in Activation::ALL {
        let mut agreement = 0.0_f64;
        let mut seen = 0;
        for c in cases.iter().filter(|c| activation(&c["activation"]) == act) {
            seen += 1;
            let b = run_case(c);
            let what = format!("{} {} {}", c["name"], act, c["objective"]);
            let pairs: [(&str, Vec<f64>); 11] = [
                ("Z", b.z.transpose().as_slice().to_vec()),
                ("H", b.h.transpose().as_slice().to_vec()),
                ("y_hat", b.y_hat.as_slice().to_vec()),
                ("delta", b.delta.as_slice().to_vec()),
                ("upstream", b.upstream.as_slice().to_vec()),
                ("delta1", b.delta1.transpose().as_slice().to_vec()),
                ("loss", vec![b.loss]),
                ("grad_W1", b.grad_w1.transpose().as_slice().to_vec()),
                ("grad_b1", b.grad_b1.as_slice().to_vec()),
                ("grad_W2", b.grad_w2.as_slice().to_vec()),
                ("grad_b2", vec![b.grad_b2]),
            ];
            for (key, ours) in pairs {
                let e = worst(&ours, &numbers(&c[key]), &format!("{what}: {key}"));
                assert!(e < 1e-14, "{what}: {key} differs by {e:e}");
                agreement = agreement.max(e);
            }
        }
        assert_eq!(seen, 10, "{act}");
        println!("{act}: worst relative difference from PyTorch {agreement:e}");
    }
}

/// The graph PyTorch records is the one the lesson's formulas walk: the loss's nodes, then
/// AddBackward0 (b₂), MmBackward0 (HW₂), the activation's node, AddBackward0 (b₁), MmBackward0
/// (XW₁), and one AccumulateGrad per parameter.
#[test]
fn pytorch_records_the_two_layer_graph() {
    let f = fixture();
    for c in f["cases"].as_array().expect("cases") {
        let act = activation(&c["activation"]);
        let root = match objective(&c["objective"]) {
            Objective::Mean => "MeanBackward0",
            Objective::Sum | Objective::SumNoDiv => "SumBackward0",
        };
        let expected = [
            root,
            "DivBackward0",
            "PowBackward0",
            "SubBackward0",
            "AddBackward0",
            "MmBackward0",
            act.torch_node(),
            "AddBackward0",
            "MmBackward0",
            "AccumulateGrad",
            "AccumulateGrad",
            "AccumulateGrad",
            "AccumulateGrad",
        ];
        let names: Vec<&str> = c["graph"]
            .as_array()
            .expect("graph")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(names, expected, "{}", c["name"]);
    }
}

fn random_params(rng: &mut Xoshiro256PlusPlus, d: usize, h: usize) -> MlpParams {
    let mut r = || rng.random_range(-1.5..1.5);
    MlpParams {
        w1: DMatrix::from_fn(d, h, |_, _| r()),
        b1: DVector::from_fn(h, |_, _| r()),
        w2: DVector::from_fn(h, |_, _| r()),
        b2: r(),
    }
}

/// Central differences of the batch's objective, one parameter at a time, against the
/// closed-form gradients, over random shapes, seeds, activations and objectives.
#[test]
fn gradients_match_central_differences_over_random_shapes() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(19);
    let mut checked = 0;
    for trial in 0..60 {
        let n = rng.random_range(1..7);
        let d = rng.random_range(1..4);
        let h = rng.random_range(1..6);
        let act = Activation::ALL[trial % 3];
        let obj = [Objective::Sum, Objective::Mean][trial % 2];
        let x = DMatrix::from_fn(n, d, |_, _| rng.random_range(-2.0..2.0));
        let y = DVector::from_fn(n, |_, _| rng.random_range(-2.0..2.0));
        let p = random_params(&mut rng, d, h);
        let b = mlp::forward_backward(x.clone(), y.clone(), &p, act, obj);
        // A ReLU kink within reach of the difference makes its quotient meaningless there;
        // such draws are rare and are counted out below.
        if act == Activation::Relu && b.z.iter().any(|z| z.abs() < 1e-4) {
            continue;
        }
        checked += 1;
        let loss = |q: &MlpParams| mlp::forward_backward(x.clone(), y.clone(), q, act, obj).loss;
        let eps = 1e-6;
        let check = |analytic: f64, bump: &dyn Fn(&mut MlpParams, f64), what: &str| {
            let (mut up, mut down) = (p.clone(), p.clone());
            bump(&mut up, eps);
            bump(&mut down, -eps);
            let numeric = (loss(&up) - loss(&down)) / (2.0 * eps);
            assert!(
                (numeric - analytic).abs() < 1e-6 * analytic.abs().max(1.0),
                "trial {trial} ({n}x{d}, {h} hidden, {act}, {obj}): {what} {analytic} vs {numeric}"
            );
        };
        for i in 0..d {
            for j in 0..h {
                check(
                    b.grad_w1[(i, j)],
                    &|q, e| q.w1[(i, j)] += e,
                    &format!("W1[{i},{j}]"),
                );
            }
        }
        for j in 0..h {
            check(b.grad_b1[j], &|q, e| q.b1[j] += e, &format!("b1[{j}]"));
            check(b.grad_w2[j], &|q, e| q.w2[j] += e, &format!("W2[{j}]"));
        }
        check(b.grad_b2, &|q, e| q.b2 += e, "b2");
    }
    assert!(
        checked >= 55,
        "only {checked} of 60 trials away from a kink"
    );
}

/// The two-layer preset's first batch, as a class works it on the board.
#[test]
fn the_presets_first_batch_by_hand() {
    let (data, preset_hyper, model) = common::two_layer_preset();
    assert_eq!(model.activation, Activation::Relu);
    // Rows 0, 1, 2: x = 0, 1, −1 and y = 0.1, 0.9, 1.1.
    let (x, y) = mlp::gather(&data, &[0, 1, 2]);
    let b = mlp::forward_backward(x, y, &model.init, Activation::Relu, Objective::Sum);
    // W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], so z = x·W₁ + b₁:
    //   x = 0:  z = [0, 0.5, −0.5]     h = [0, 0.5, 0]
    //   x = 1:  z = [1, 0, 0]          h = [1, 0, 0]     (two units exactly at the kink)
    //   x = −1: z = [−1, 1, −1]        h = [0, 1, 0]
    assert_eq!(
        b.z,
        DMatrix::from_row_slice(3, 3, &[0.0, 0.5, -0.5, 1.0, 0.0, 0.0, -1.0, 1.0, -1.0])
    );
    assert_eq!(
        b.h,
        DMatrix::from_row_slice(3, 3, &[0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0])
    );
    // W₂ = [0.5, −0.5, 0.5], b₂ = 0: ŷ = 0.5h₁ − 0.5h₂ + 0.5h₃ = [−0.25, 0.5, −0.5];
    // δ = ŷ − y = [−0.35, −0.4, −1.6]; L = ½(0.1225 + 0.16 + 2.56) = 1.42125.
    assert_eq!(b.y_hat.as_slice(), [-0.25, 0.5, -0.5]);
    close(b.delta.as_slice(), &[-0.35, -0.4, -1.6]);
    close(&[b.loss], &[1.42125]);
    // Second layer, the lesson's formulas with H for X:
    //   ∂L/∂W₂ = Hᵀδ = [1·(−0.4), 0.5·(−0.35) + 1·(−1.6), 0] = [−0.4, −1.775, 0]
    //   ∂L/∂b₂ = Σδ = −2.35
    close(b.grad_w2.as_slice(), &[-0.4, -1.775, 0.0]);
    close(&[b.grad_b2], &[-2.35]);
    // δ₁ = (δW₂ᵀ) ⊙ relu′(z), relu′ = 1 where z > 0, else 0 (also at z = 0, as in PyTorch):
    //   x = 0:  δ·W₂ᵀ = −0.35·[0.5, −0.5, 0.5] = [−0.175, 0.175, −0.175] ⊙ [0, 1, 0] = [0, 0.175, 0]
    //   x = 1:  −0.4·[0.5, −0.5, 0.5] = [−0.2, 0.2, −0.2] ⊙ [1, 0, 0] = [−0.2, 0, 0]
    //   x = −1: −1.6·[0.5, −0.5, 0.5] = [−0.8, 0.8, −0.8] ⊙ [0, 1, 0] = [0, 0.8, 0]
    close(
        b.delta1.transpose().as_slice(),
        &[0.0, 0.175, 0.0, -0.2, 0.0, 0.0, 0.0, 0.8, 0.0],
    );
    // First layer, the same formulas with δ₁ for δ:
    //   ∂L/∂W₁ = Xᵀδ₁ = 0·[0, 0.175, 0] + 1·[−0.2, 0, 0] − 1·[0, 0.8, 0] = [−0.2, −0.8, 0]
    //   ∂L/∂b₁ = Σᵢ δ₁⁽ⁱ⁾ = [−0.2, 0.975, 0]
    // Unit 3 is dead on this batch (z ≤ 0 everywhere): its gradients are exactly 0.
    close(b.grad_w1.as_slice(), &[-0.2, -0.8, 0.0]);
    close(b.grad_b1.as_slice(), &[-0.2, 0.975, 0.0]);
    // sgd with lr 0.3 and N = 3: each parameter moves by −0.1 × its gradient:
    //   W₁ → [1.02, −0.42, 0.5], b₁ → [0.02, 0.4025, −0.5], W₂ → [0.54, −0.3225, 0.5], b₂ → 0.235
    assert_eq!(preset_hyper.lr, 0.3);
    let hyper = Hyper {
        objective: Objective::Sum,
        ..preset_hyper
    };
    let next = mlp::update(&model.init, &b, &hyper);
    close(next.w1.as_slice(), &[1.02, -0.42, 0.5]);
    close(next.b1.as_slice(), &[0.02, 0.4025, -0.5]);
    close(next.w2.as_slice(), &[0.54, -0.3225, 0.5]);
    close(&[next.b2], &[0.235]);
}

/// Equal to the hand value up to the rounding of its decimal digits.
fn close(ours: &[f64], hand: &[f64]) {
    assert_eq!(ours.len(), hand.len());
    for (a, b) in ours.iter().zip(hand) {
        assert!((a - b).abs() < 1e-12, "{ours:?} vs {hand:?}");
    }
}
