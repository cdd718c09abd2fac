//! Two layers on the tape: the graph PyTorch records and walks (checked against the recorded
//! fixture, node names and order included), and the closed-form fast path that `train` and
//! `trace` run, bit for bit.

mod common;

use gradstep::engine::mlp::{self, Activation, MlpParams};
use gradstep::engine::tape::mlp::Mlp;
use gradstep::engine::{Hyper, MlpTraining, Objective};
use nalgebra::{DMatrix, DVector};
use rand::rngs::Xoshiro256PlusPlus;
use rand::{RngExt, SeedableRng};
use serde_json::Value;

fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// A matrix's entries row by row, as the fixture lists them.
fn by_rows(m: &DMatrix<f64>) -> Vec<f64> {
    m.transpose().as_slice().to_vec()
}

/// Every node's value and gradient against PyTorch, for each activation, shape and objective,
/// and the nodes `backward()` visits in the order PyTorch's engine ran them.
#[test]
fn the_tape_is_pytorchs_graph_for_each_activation() {
    for c in &common::mlp_cases() {
        let mut m = common::mlp_case(c);
        let (act, objective) = (m.activation, m.objective);
        let order = m.backward();
        let what = format!("{} {act} {objective}", c["name"]);
        let t = &m.tape;
        let grads = m.param_grads().expect("grads after backward");
        let pairs: [(&str, Vec<f64>); 10] = [
            ("Z", by_rows(&t[m.z].value)),
            ("H", by_rows(&t[m.h].value)),
            ("y_hat", by_rows(&t[m.y_hat].value)),
            ("delta", by_rows(&t[m.error].value)),
            (
                "upstream",
                by_rows(t[m.y_hat].grad.as_ref().expect("ŷ.grad")),
            ),
            ("delta1", by_rows(m.delta1().expect("δ₁"))),
            ("grad_W1", by_rows(&grads.w1)),
            ("grad_b1", grads.b1.as_slice().to_vec()),
            ("grad_W2", grads.w2.as_slice().to_vec()),
            ("grad_b2", vec![grads.b2]),
        ];
        for (key, ours) in pairs {
            let theirs = numbers(&c[key]);
            assert_eq!(ours.len(), theirs.len(), "{what}: {key}");
            for (a, b) in ours.iter().zip(&theirs) {
                let e = (a - b).abs() / b.abs().max(1.0);
                assert!(e < 1e-14, "{what}: {key} {a} vs PyTorch {b}");
            }
        }
        let loss = c["loss"].as_f64().expect("loss");
        assert!(
            (m.loss_value() - loss).abs() / loss.abs().max(1.0) < 1e-14,
            "{what}"
        );
        // The walk: PyTorch names each AccumulateGrad by its parameter in the fixture.
        let names: Vec<String> = order
            .iter()
            .filter_map(|&id| {
                let node = &t[id];
                let name = node.torch_name()?;
                Some(match (name, node.symbol.as_deref()) {
                    ("AccumulateGrad", Some(s)) => {
                        let plain = s.replace('₁', "1").replace('₂', "2");
                        format!("AccumulateGrad({plain})")
                    }
                    _ => name.to_string(),
                })
            })
            .collect();
        let expected: Vec<&str> = c["backward_order"]
            .as_array()
            .expect("order")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(names, expected, "{what}");
    }
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn same_params(a: &MlpParams, b: &MlpParams, what: &str) {
    assert_eq!(bits(a.w1.as_slice()), bits(b.w1.as_slice()), "{what}: W1");
    assert_eq!(bits(a.b1.as_slice()), bits(b.b1.as_slice()), "{what}: b1");
    assert_eq!(bits(a.w2.as_slice()), bits(b.w2.as_slice()), "{what}: W2");
    assert_eq!(a.b2.to_bits(), b.b2.to_bits(), "{what}: b2");
}

/// The fast path and the tape, over random shapes, seeds, activations and all three objectives,
/// through several updates: every value, gradient and next parameter, bit for bit.
#[test]
fn the_fast_path_is_the_tape_bit_for_bit() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1719);
    let mut kinks = 0;
    for trial in 0..120 {
        let n = rng.random_range(1..9);
        let d = rng.random_range(1..5);
        let h = rng.random_range(1..9);
        let act = Activation::ALL[trial % 3];
        let objective = [Objective::Sum, Objective::Mean, Objective::SumNoDiv][(trial / 3) % 3];
        let hyper = Hyper {
            lr: rng.random_range(0.01..0.5),
            batch_size: n,
            objective,
            ..Hyper::default()
        };
        let mut r = |s: f64| rng.random_range(-s..s);
        let x = DMatrix::from_fn(n, d, |_, _| r(2.0));
        let y = DVector::from_fn(n, |_, _| r(2.0));
        // Some round weights and zero biases, so ReLU meets z = 0 exactly.
        let round = trial % 4 == 0;
        let mut fast = MlpParams {
            w1: DMatrix::from_fn(
                d,
                h,
                |_, _| if round { r(2.0).round() / 2.0 } else { r(1.5) },
            ),
            b1: DVector::from_fn(h, |_, _| if round { 0.0 } else { r(1.0) }),
            w2: DVector::from_fn(h, |_, _| r(1.5)),
            b2: r(1.0),
        };
        let x = if round { x.map(f64::round) } else { x };
        let mut tape = Mlp::record(x.clone(), &y, &fast, act, objective).expect("shapes");
        for step in 0..4 {
            let what =
                format!("trial {trial} ({n}x{d}, {h} hidden, {act}, {objective}), step {step}");
            let b = mlp::forward_backward(x.clone(), y.clone(), &fast, act, objective);
            tape.tape.forward();
            tape.backward();
            let t = &tape.tape;
            if act == Activation::Relu {
                kinks += b.z.iter().filter(|&&z| z == 0.0).count();
            }
            assert_eq!(
                bits(b.z.as_slice()),
                bits(t[tape.z].value.as_slice()),
                "{what}: Z"
            );
            assert_eq!(
                bits(b.h.as_slice()),
                bits(t[tape.h].value.as_slice()),
                "{what}: H"
            );
            assert_eq!(
                bits(b.y_hat.as_slice()),
                bits(t[tape.y_hat].value.as_slice()),
                "{what}: ŷ"
            );
            assert_eq!(
                bits(b.delta.as_slice()),
                bits(t[tape.error].value.as_slice()),
                "{what}: δ"
            );
            assert_eq!(b.loss.to_bits(), tape.loss_value().to_bits(), "{what}: L");
            assert_eq!(
                bits(b.upstream.as_slice()),
                bits(t[tape.y_hat].grad.as_ref().expect("ŷ.grad").as_slice()),
                "{what}: ∂L/∂ŷ"
            );
            assert_eq!(
                bits(b.delta1.as_slice()),
                bits(tape.delta1().expect("δ₁").as_slice()),
                "{what}: δ₁"
            );
            let g = tape.param_grads().expect("grads");
            same_params(
                &MlpParams {
                    w1: b.grad_w1.clone(),
                    b1: b.grad_b1.clone(),
                    w2: b.grad_w2.clone(),
                    b2: b.grad_b2,
                },
                &g,
                &format!("{what}: gradients"),
            );
            fast = mlp::update(&fast, &b, &hyper);
            let next = tape.sgd(&hyper, true);
            same_params(&fast, &next, &format!("{what}: next"));
        }
    }
    assert!(
        kinks > 0,
        "some ReLU inputs exactly 0, where σ′ = 0 must agree too"
    );
}

/// `gradstep train` and `trace` run [`MlpTraining`]; a run of the preset on the tape, batch by
/// batch with `param.grad.zero_()` between, ends on the very same bits, for each activation.
#[test]
fn the_presets_run_on_the_tape_is_the_training_run() {
    let (data, preset_hyper, model) = common::two_layer_preset();
    for act in Activation::ALL {
        for objective in [Objective::Sum, Objective::Mean] {
            let hyper = Hyper {
                objective,
                ..preset_hyper.clone()
            };
            let model = gradstep::engine::TwoLayer {
                activation: act,
                init: model.init.clone(),
            };
            let mut training = MlpTraining::new(&data, &hyper, &model, &[]).expect("a run");
            let mut params = model.init.clone();
            let mut updates = 0;
            while let Some(u) = training.next_update() {
                same_params(&u.before, &params, "before");
                let mut tape =
                    Mlp::batch(&data, &u.indices, &params, act, objective).expect("shapes");
                assert_eq!(tape.loss_value().to_bits(), u.batch.loss.to_bits());
                params = tape.sgd(&u.hyper, true);
                same_params(
                    training.params(),
                    &params,
                    &format!("{act} {objective} update {updates}"),
                );
                updates += 1;
            }
            assert_eq!(updates, 30, "10 epochs of 3 batches");
        }
    }
}

/// The preset's first batch on the tape, with the board's numbers (tests/engine_mlp.rs works
/// them line by line): δ₁ arrives at Z, and unit 3, dead on this batch, gets exactly 0.
#[test]
fn the_presets_first_batch_on_the_tape_by_hand() {
    let (data, _, model) = common::two_layer_preset();
    let m = Mlp::batch(
        &data,
        &[0, 1, 2],
        &model.init,
        Activation::Relu,
        Objective::Sum,
    )
    .expect("shapes");
    let close = |ours: &[f64], hand: &[f64]| {
        assert_eq!(ours.len(), hand.len());
        for (a, b) in ours.iter().zip(hand) {
            assert!((a - b).abs() < 1e-12, "{ours:?} vs {hand:?}");
        }
    };
    // ŷ = relu(xW₁ + b₁)W₂ + b₂ = [−0.25, 0.5, −0.5]; L = ½(0.35² + 0.4² + 1.6²) = 1.42125.
    close(m.tape[m.y_hat].value.as_slice(), &[-0.25, 0.5, -0.5]);
    close(&[m.loss_value()], &[1.42125]);
    // δ₁ = δW₂ᵀ ⊙ relu′(Z), rows x = 0, 1, −1: [0, 0.175, 0], [−0.2, 0, 0], [0, 0.8, 0].
    close(
        &by_rows(m.delta1().expect("δ₁")),
        &[0.0, 0.175, 0.0, -0.2, 0.0, 0.0, 0.0, 0.8, 0.0],
    );
    let g = m.param_grads().expect("grads");
    // ∂L/∂W₁ = Xᵀδ₁, ∂L/∂b₁ = Σδ₁, ∂L/∂W₂ = Hᵀδ, ∂L/∂b₂ = Σδ.
    close(g.w1.as_slice(), &[-0.2, -0.8, 0.0]);
    close(g.b1.as_slice(), &[-0.2, 0.975, 0.0]);
    close(g.w2.as_slice(), &[-0.4, -1.775, 0.0]);
    close(&[g.b2], &[-2.35]);
    assert_eq!(
        g.w1[(0, 2)].to_bits(),
        0.0_f64.to_bits(),
        "+0.0, as PyTorch"
    );
}
