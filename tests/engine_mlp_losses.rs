//! The two-layer loss chart's numbers as the session notes them while it computes batches,
//! against `gradstep trace` (a separate run of the binary, the closed form batch after batch):
//! every batch's L bit for bit, and each epoch's mean loss recomputed here from the parameters
//! the trace prints after the epoch's last update, for both objectives, with and without
//! `param.grad.zero_()`.

mod cli_common;
mod common;

use gradstep::engine::mlp_session::MlpSession;
use gradstep::engine::{Hyper, Objective};

/// The trace's records of the preset's first `batches` batches with `extra` options.
fn trace(batches: usize, extra: &[&str]) -> Vec<serde_json::Value> {
    let n = batches.to_string();
    let mut args = vec!["--batches", n.as_str()];
    args.extend(extra);
    cli_common::two_layer_trace(&args)
}

/// A number of the trace: JSON's own, or a string for what JSON cannot hold (`inf`, `NaN`).
fn number(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().expect("a number"),
        serde_json::Value::String(s) => s.parse().unwrap_or_else(|_| panic!("not a number: {s}")),
        other => panic!("not a number: {other}"),
    }
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(numbers).collect(),
        other => vec![number(other)],
    }
}

/// The data's mean ½(ŷ − y)² under the parameters a trace record holds after its update: one
/// feature, so ŷ = b₂ + Σⱼ W₂ⱼ·relu(x·W₁ⱼ + b₁ⱼ), summed here in a plain loop.
fn mean_loss_after(record: &serde_json::Value, xs: &[f64], ys: &[f64]) -> f64 {
    let w1 = numbers(&record["W1_next"]);
    let b1 = numbers(&record["b1_next"]);
    let w2 = numbers(&record["W2_next"]);
    let b2 = numbers(&record["b2_next"])[0];
    let mut total = 0.0;
    for (x, y) in xs.iter().zip(ys) {
        let y_hat = (0..w1.len()).fold(b2, |s, j| s + w2[j] * (x * w1[j] + b1[j]).max(0.0));
        total += 0.5 * (y_hat - y) * (y_hat - y);
    }
    total / xs.len() as f64
}

#[test]
fn the_noted_losses_are_the_traces_for_both_objectives_with_and_without_zero_grad() {
    // Four epochs of three batches: twelve batches, four epoch ends.
    const BATCHES: usize = 12;
    for objective in [Objective::Sum, Objective::Mean] {
        for zero_grad in [true, false] {
            let name = objective.name();
            let mut extra = vec!["--objective", name.as_str()];
            if !zero_grad {
                extra.push("--keep-grad");
            }
            let traced = trace(BATCHES, &extra);
            assert_eq!(traced.len(), BATCHES);
            let (data, hyper, model) = common::two_layer_preset();
            let hyper = Hyper {
                objective,
                zero_grad,
                ..hyper
            };
            let mut s = MlpSession::new(data.clone(), hyper, model).expect("a valid run");
            // The way a user goes: a long move explored in slices, then back and forth.
            while !s.explore(BATCHES - 1, 1) {}
            s.go_to_batch(BATCHES - 1);
            s.go_to_batch(3);
            s.go_to_batch(BATCHES - 1);
            let what = format!("{objective:?}, zero_grad {zero_grad}");
            let noted: Vec<(usize, f64)> = s.batch_losses().collect();
            let expected: Vec<(usize, u64)> = traced
                .iter()
                .enumerate()
                .map(|(g, r)| (g, number(&r["loss"]).to_bits()))
                .collect();
            let noted_bits: Vec<(usize, u64)> =
                noted.iter().map(|&(g, l)| (g, l.to_bits())).collect();
            assert_eq!(noted_bits, expected, "{what}");
            // Epochs end at batches 3, 6, 9, 12 (0-based 2, 5, 8, 11).
            let xs: Vec<f64> = (0..data.n()).map(|r| data.row(r)[0]).collect();
            let ys = data.y().to_vec();
            let ends: Vec<usize> = s.epoch_losses().iter().map(|e| e.0).collect();
            assert_eq!(ends, [2, 5, 8, 11], "{what}");
            for &(g, mean) in s.epoch_losses() {
                let by_hand = mean_loss_after(&traced[g], &xs, &ys);
                assert!(
                    common::close(mean, by_hand, 1e-12),
                    "{what}: epoch ending at batch {g}: {mean} vs {by_hand}"
                );
            }
        }
    }
}

/// A run that forgets `zero_()` on the preset overflows within a few dozen batches: the record
/// stops at the batch that overflowed, as the trace does, and the chart ends there.
#[test]
fn the_record_stops_where_the_run_overflows() {
    let (data, hyper, model) = common::two_layer_preset();
    let hyper = Hyper {
        zero_grad: false,
        epochs: 100,
        ..hyper
    };
    let mut s = MlpSession::new(data, hyper, model).expect("a valid run");
    while !s.explore(299, 16) {}
    let traced = trace(300, &["--keep-grad", "--epochs", "100"]);
    let last = traced.len() - 1;
    assert!(last < 299, "the trace overflows first: {last}");
    assert_eq!(s.losses().next(), last + 1);
    s.go_to_batch(299);
    assert_eq!(s.global(), last);
    let noted: Vec<u64> = s.batch_losses().map(|p| p.1.to_bits()).collect();
    let expected: Vec<u64> = traced
        .iter()
        .map(|r| number(&r["loss"]).to_bits())
        .collect();
    assert_eq!(noted, expected);
    assert!(!number(&traced[last]["loss"]).is_finite());
}
