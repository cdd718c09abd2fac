//! Forgetting `param.grad.zero_()` with a hidden layer (`--keep-grad`): `.grad` of W₁, b₁, W₂
//! and b₂ keeps every batch's gradient added up and each update reads the sum. Checked against
//! the closed form of each batch computed here with nalgebra's matrix products, against the
//! tape (whose leaves' `.grad` add up across `backward()` as PyTorch's do), and between the
//! training run, the explainer's session (checkpoints included) and `gradstep trace`.

mod common;

use std::process::Command;

use gradstep::data::Dataset;
use gradstep::engine::mlp::{Activation, MlpParams};
use gradstep::engine::mlp_session::MlpSession;
use gradstep::engine::tape::mlp::Mlp;
use gradstep::engine::{Hyper, MlpTraining, TwoLayer};
use nalgebra::{DMatrix, DVector};
use serde_json::Value;

/// The two-layer preset (ReLU, batches of 3 in file order, 10 epochs), `zero_()` or not.
fn preset(zero_grad: bool) -> (Dataset, Hyper, TwoLayer) {
    let (data, hyper, model) = common::two_layer_preset();
    (data, Hyper { zero_grad, ..hyper }, model)
}

/// One batch's gradients by whole matrices (ReLU): Z = XW₁ + b₁, H = relu(Z), ŷ = HW₂ + b₂,
/// δ = ŷ − y; ∂L/∂W₂ = Hᵀδ, ∂L/∂b₂ = Σδ, δ₁ = (δW₂ᵀ) ⊙ [Z > 0], ∂L/∂W₁ = Xᵀδ₁, ∂L/∂b₁ = Σᵢδ₁⁽ⁱ⁾.
fn closed_form(data: &Dataset, rows: &[usize], p: &MlpParams) -> MlpParams {
    let x = DMatrix::from_fn(rows.len(), data.d(), |i, j| data.row(rows[i])[j]);
    let y = DVector::from_iterator(rows.len(), rows.iter().map(|&r| data.y()[r]));
    let ones = DVector::from_element(rows.len(), 1.0);
    let z = &x * &p.w1 + &ones * p.b1.transpose();
    let h = z.map(|v| v.max(0.0));
    let delta = &h * &p.w2 + &ones * p.b2 - y;
    let delta1 = (&delta * p.w2.transpose()).component_mul(&z.map(|v| f64::from(v > 0.0)));
    MlpParams {
        w1: x.transpose() * &delta1,
        b1: delta1.row_sum().transpose(),
        w2: h.transpose() * &delta,
        b2: delta.sum(),
    }
}

fn entries(p: &MlpParams) -> Vec<f64> {
    let mut v = p.w1.as_slice().to_vec();
    v.extend(p.b1.iter().chain(p.w2.iter()).chain([&p.b2]));
    v
}

fn close(a: &MlpParams, b: &MlpParams, what: &str) {
    for (x, y) in entries(a).iter().zip(entries(b)) {
        assert!((x - y).abs() < 1e-12, "{what}: {x} vs {y}");
    }
}

fn bits(p: &MlpParams) -> Vec<u64> {
    entries(p).iter().map(|v| v.to_bits()).collect()
}

#[test]
fn batch_twos_held_grad_is_batch_ones_plus_its_own() {
    let (data, hyper, model) = preset(false);
    let mut run = MlpTraining::new(&data, &hyper, &model, &[]).expect("a run");
    let one = run.next_update().expect("batch 1");
    let after_one = run.params().clone();
    let two = run.next_update().expect("batch 2");
    let after_two = run.params().clone();
    assert_eq!(
        (one.indices.clone(), two.indices.clone()),
        (vec![0, 1, 2], vec![3, 4, 5])
    );

    // Batch 1: nothing held yet (zeros), so the update reads its own gradient. By hand, as the
    // preset's first batch is worked on the board: H = [[0, .5, 0], [1, 0, 0], [0, 1, 0]],
    // δ = (−.35, −.4, −1.6), so ∂L/∂W₂ = Hᵀδ = (−.4, −.175 − 1.6, 0) and ∂L/∂b₂ = −2.35.
    let held = one.held.clone().expect("keep-grad holds .grad");
    assert!(entries(&held).iter().all(|&v| v == 0.0));
    let g1 = closed_form(&data, &one.indices, &model.init);
    close(&g1, &one.param_grad(), "batch 1's gradient");
    assert!((g1.w2[1] - -1.775).abs() < 1e-15 && (g1.b2 - -2.35).abs() < 1e-15);
    // W ← W − lr·g/N with lr = 0.3 and N = 3: b₂ = 0 − 0.3·(−2.35)/3 = 0.235.
    assert!((after_one.b2 - 0.235).abs() < 1e-15);

    // Batch 2: `.grad` holds batch 1's gradient; the update reads that plus batch 2's own,
    // computed here from the parameters after batch 1.
    assert_eq!(two.before, after_one);
    let held = two.held.clone().expect("keep-grad holds .grad");
    assert_eq!(
        bits(&held),
        bits(&one.param_grad()),
        "held = batch 1's .grad"
    );
    let g2 = closed_form(&data, &two.indices, &after_one);
    close(&g2, &two.batch.grads(), "batch 2's own gradient");
    let sum = two.param_grad();
    close(&sum, &g1.plus(&g2), "held + own");
    // The update by hand from that sum, entry by entry: p − 0.3·(g₁ + g₂)/3.
    let by_hand: Vec<f64> = entries(&after_one)
        .iter()
        .zip(entries(&g1.plus(&g2)))
        .map(|(p, g)| p - 0.3 * g / 3.0)
        .collect();
    for (a, b) in entries(&after_two).iter().zip(&by_hand) {
        assert!((a - b).abs() < 1e-12, "batch 2's update: {a} vs {b}");
    }

    // With zero_() the first batch is the same and the second reads only its own gradient.
    let (data, hyper, model) = preset(true);
    let mut zeroed = MlpTraining::new(&data, &hyper, &model, &[]).expect("a run");
    let z1 = zeroed.next_update().expect("batch 1");
    assert!(z1.held.is_none());
    assert_eq!(zeroed.params(), &after_one);
    let z2 = zeroed.next_update().expect("batch 2");
    assert_eq!(bits(&z2.param_grad()), bits(&z2.batch.grads()));
    assert_ne!(
        zeroed.params(),
        &after_two,
        "the held sum moves the run elsewhere"
    );
}

/// The tape with `param.grad.zero_()` left out (its leaves' `.grad` adding up across
/// `backward()`), batch after batch, ends on the very bits of the training run, for each
/// activation; and a tape given the held `.grad` of batch k agrees with it there.
#[test]
fn the_tape_without_zero_grad_is_the_training_run() {
    let (data, hyper, model) = preset(false);
    for act in Activation::ALL {
        let model = TwoLayer {
            activation: act,
            init: model.init.clone(),
        };
        let mut run = MlpTraining::new(&data, &hyper, &model, &[]).expect("a run");
        let mut params = model.init.clone();
        let mut tape: Option<Mlp> = None;
        let mut k = 0;
        while let Some(u) = run.next_update() {
            let (x, y) = gradstep::engine::mlp::gather(&data, &u.indices);
            let mut next = Mlp::record(x, &y, &params, act, hyper.objective).expect("shapes");
            // The new batch's leaves take over what the last batch's `.grad` held.
            if let Some(g) = tape.as_ref().and_then(|t| t.param_grads()) {
                assert!(next.hold_grads(&g));
                assert_eq!(bits(&g), bits(u.held.as_ref().expect("held")), "{act} {k}");
            }
            next.backward();
            params = next.sgd(&u.hyper, false);
            assert_eq!(bits(&params), bits(run.params()), "{act} update {k}");
            tape = Some(next);
            k += 1;
        }
        assert_eq!(k, 30, "10 epochs of 3 batches");
    }
}

/// The explainer's session replays from checkpoints every 16 batches; each keeps `.grad` as
/// held there, so any batch reached by any way is the training run's, bit for bit.
#[test]
fn the_session_keeps_held_grad_across_its_checkpoints() {
    let (data, hyper, model) = preset(false);
    let mut run = MlpTraining::new(&data, &hyper, &model, &[]).expect("a run");
    let mut all = Vec::new();
    while let Some(u) = run.next_update() {
        all.push((u, run.params().clone()));
    }
    let mut s = MlpSession::new(data, hyper, model).expect("a session");
    for g in [20, 29, 17, 3, 16, 0, 25] {
        s.go_to_batch(g);
        let (u, next) = &all[g];
        assert_eq!(s.global(), g);
        assert_eq!(
            bits(&s.update().before),
            bits(&u.before),
            "batch {g}: before"
        );
        let held = s.update().held.as_ref().expect("held");
        assert_eq!(
            bits(held),
            bits(u.held.as_ref().expect("held")),
            "batch {g}: held"
        );
        assert_eq!(bits(s.next_params()), bits(next), "batch {g}: next");
    }
}

fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// `gradstep trace --keep-grad` with a hidden layer: `grad_*` are the sums `.grad` holds (what
/// the update reads), and every number is the session's, bit for bit (JSON numbers round-trip).
#[test]
fn the_trace_with_keep_grad_is_the_session_bit_for_bit() {
    let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(["trace", "--preset", "two-layer", "--keep-grad"])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 30);
    let (data, hyper, model) = preset(false);
    let mut s = MlpSession::new(data, hyper, model).expect("a session");
    for (g, line) in lines.iter().enumerate() {
        s.go_to_batch(g);
        assert_eq!(line["zero_grad"], false);
        let (u, next) = (s.update(), s.next_params());
        let grad = u.param_grad();
        let pairs: [(&str, Vec<f64>); 8] = [
            ("grad_W1", grad.w1.as_slice().to_vec()),
            ("grad_b1", grad.b1.as_slice().to_vec()),
            ("grad_W2", grad.w2.as_slice().to_vec()),
            ("grad_b2", vec![grad.b2]),
            ("W1_next", next.w1.as_slice().to_vec()),
            ("b1_next", next.b1.as_slice().to_vec()),
            ("W2_next", next.w2.as_slice().to_vec()),
            ("b2_next", vec![next.b2]),
        ];
        for (key, ours) in pairs {
            let theirs = numbers(&line[key]);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&theirs), bits(&ours), "batch {g}: {key}");
        }
    }
}

/// `gradstep graph --keep-grad` with a hidden layer: batch 2's `AccumulateGrad` leaves hold
/// batch 1's gradient plus batch 2's own, the sum the session's update reads, bit for bit.
#[test]
fn the_graph_with_keep_grad_holds_the_sum() {
    let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args([
            "graph",
            "--preset",
            "two-layer",
            "--keep-grad",
            "--batch",
            "2",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let g: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let nodes = g["nodes"].as_array().expect("nodes");
    let grad = |label: &str| {
        let node = nodes.iter().find(|n| n["label"] == label).expect(label);
        numbers(&node["grad"])
    };
    let (data, hyper, model) = preset(false);
    let mut s = MlpSession::new(data.clone(), hyper, model.clone()).expect("a session");
    s.go_to_batch(1);
    let sum = s.update().param_grad();
    // The second route: batch 1's and batch 2's gradients by whole matrices, added.
    let first = closed_form(&data, &[0, 1, 2], &model.init);
    let own = closed_form(&data, &[3, 4, 5], &s.update().before);
    close(&sum, &first.plus(&own), "held + own");
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&grad("W₁")), bits(sum.w1.as_slice()));
    assert_eq!(bits(&grad("b₁")), bits(sum.b1.as_slice()));
    assert_eq!(bits(&grad("W₂")), bits(sum.w2.as_slice()));
    assert_eq!(bits(&grad("b₂")), bits(&[sum.b2]));
}
