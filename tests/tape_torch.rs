//! The tape against PyTorch: every node of the lesson's graph (name, inputs, value, gradient),
//! the order `backward()` visits them and the parameters after `sgd`, for the first batch of
//! the house, tiny and d2l presets under each objective. The fixture was recorded from PyTorch
//! (float64, CPU) by tests/fixtures/torch/record_tape.py.

mod common;

use common::preset_session;
use gradstep::engine::batch::divisor;
use gradstep::engine::tape::Linear;
use gradstep::engine::{Objective, Params};
use gradstep::preset::Preset;
use nalgebra::DMatrix;
use serde_json::Value;

pub const FIXTURE: &str = include_str!("fixtures/torch/tape.json");

fn preset(name: &str) -> Preset {
    match name {
        "house" => Preset::House,
        "tiny" => Preset::Tiny,
        "d2l" => Preset::D2l,
        other => panic!("the fixture names an unknown preset {other}"),
    }
}

fn objective(name: &str) -> Objective {
    match name {
        "sum" => Objective::Sum,
        "mean" => Objective::Mean,
        "sum-nodiv" => Objective::SumNoDiv,
        other => panic!("the fixture names an unknown objective {other}"),
    }
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn matrix(v: &Value) -> DMatrix<f64> {
    let rows: Vec<Vec<f64>> = v
        .as_array()
        .expect("a list of rows")
        .iter()
        .map(|r| r.as_array().expect("a row").iter().map(num).collect())
        .collect();
    let cols = rows.first().map_or(0, Vec::len);
    DMatrix::from_fn(rows.len(), cols, |i, j| rows[i][j])
}

/// Entry by entry within 1e-12 of the node's largest magnitude: PyTorch's BLAS and reductions
/// may sum in another order than the tape's left-to-right, which moves the last bits only.
fn assert_close(what: &str, ours: &DMatrix<f64>, torch: &DMatrix<f64>) {
    assert_eq!(ours.shape(), torch.shape(), "{what}: shape");
    let scale = torch
        .iter()
        .fold(0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    for (a, b) in ours.iter().zip(torch.iter()) {
        assert!(
            (a - b).abs() <= 1e-12 * scale,
            "{what}: gradstep {a} vs PyTorch {b}"
        );
    }
}

#[test]
fn every_node_matches_pytorch() {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    let cases = fixture["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 9, "three presets × three objectives");
    for case in cases {
        let (p, o) = (
            case["preset"].as_str().expect("preset"),
            case["objective"].as_str().expect("objective"),
        );
        let here = format!("{p} {o}");
        let session = preset_session(preset(p));
        let mut hyper = session.batch().hyper.clone();
        hyper.objective = objective(o);
        let batch = session.batch().clone();
        let params = Params {
            w: batch.w.clone(),
            b: batch.b,
        };
        // The fixture starts from gradstep's first batch, exactly.
        let inputs = &case["inputs"];
        assert_eq!(matrix(&inputs["x"]), batch.x, "{here}: X");
        let ys: Vec<f64> = inputs["y"].as_array().expect("y").iter().map(num).collect();
        assert_eq!(ys, batch.y.as_slice(), "{here}: y");
        let ws: Vec<f64> = inputs["w"].as_array().expect("w").iter().map(num).collect();
        assert_eq!(ws, batch.w.as_slice(), "{here}: w");
        assert_eq!(num(&inputs["b"]), batch.b, "{here}: b");
        assert_eq!(num(&inputs["lr"]), hyper.lr, "{here}: lr");

        let mut linear =
            Linear::batch(session.data(), &batch.indices, &params, hyper.objective).expect("fits");
        let graph = &case["graph"];
        let nodes = graph["nodes"].as_array().expect("nodes");
        assert_eq!(nodes.len(), linear.tape.len(), "{here}: node count");
        for (k, (torch, ours)) in nodes.iter().zip(linear.tape.nodes()).enumerate() {
            let what = format!("{here} node {k} ({})", ours.label);
            assert_eq!(torch["id"].as_u64(), Some(k as u64), "{what}: id");
            assert_eq!(torch["name"].as_str(), ours.torch_name(), "{what}: name");
            assert_eq!(
                torch["label"].as_str(),
                Some(ours.label.as_str()),
                "{what}: label"
            );
            let inputs: Vec<usize> = torch["inputs"]
                .as_array()
                .expect("inputs")
                .iter()
                .map(|v| v.as_u64().expect("an id") as usize)
                .collect();
            let our_inputs: Vec<usize> = ours.inputs.iter().map(|i| i.0).collect();
            assert_eq!(inputs, our_inputs, "{what}: inputs");
            if ours.is_leaf() {
                assert_eq!(matrix(&torch["value"]), ours.value, "{what}: value");
            } else {
                assert_close(
                    &format!("{what}: value"),
                    &ours.value,
                    &matrix(&torch["value"]),
                );
            }
            match (&torch["grad"], &ours.grad) {
                (Value::Null, None) => {}
                (g, Some(ours)) if !g.is_null() => {
                    assert_close(&format!("{what}: grad"), ours, &matrix(g))
                }
                (g, ours) => panic!("{what}: PyTorch's grad {g} vs ours {ours:?}"),
            }
        }
        let order: Vec<usize> = linear.backward_order().iter().map(|i| i.0).collect();
        let torch_order: Vec<usize> = graph["backward_order"]
            .as_array()
            .expect("order")
            .iter()
            .map(|v| v.as_u64().expect("an id") as usize)
            .collect();
        assert_eq!(order, torch_order, "{here}: backward order");

        assert_eq!(
            num(&inputs["divisor"]),
            divisor(&hyper, batch.rows()),
            "{here}: divisor"
        );
        let next = linear.sgd(&hyper, true);
        let torch_w = DMatrix::from_row_slice(
            next.w.len(),
            1,
            &case["w_next"]
                .as_array()
                .expect("w_next")
                .iter()
                .map(num)
                .collect::<Vec<_>>(),
        );
        assert_close(
            &format!("{here}: w_next"),
            &DMatrix::from_column_slice(next.w.len(), 1, next.w.as_slice()),
            &torch_w,
        );
        assert_close(
            &format!("{here}: b_next"),
            &DMatrix::from_element(1, 1, next.b),
            &DMatrix::from_element(1, 1, num(&case["b_next"])),
        );
    }
}
