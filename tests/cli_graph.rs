//! `gradstep graph`: the tape of one batch as JSON, checked against PyTorch's graph for the
//! same batch (the fixture recorded by tests/fixtures/torch/record_tape.py) and against the
//! trace, which computes the same batch on the fast path.

use std::process::Command;

use serde_json::Value;

const FIXTURE: &str = include_str!("fixtures/torch/tape.json");

fn gradstep(args: &[&str]) -> (String, String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the binary runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code(),
    )
}

fn graph(args: &[&str]) -> Value {
    let (out, err, code) = gradstep(&[&["graph"], args].concat());
    assert_eq!(code, Some(0), "graph {args:?} failed: {err}");
    assert_eq!(out.lines().count(), 1, "one JSON object on one line");
    serde_json::from_str(&out).expect("graph prints JSON")
}

/// Every number of a list of rows, in order; "inf"/"-inf"/"NaN" as the trace writes them.
fn entries(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("rows")
        .iter()
        .flat_map(|r| r.as_array().expect("a row").iter().map(number))
        .collect()
}

fn number(v: &Value) -> f64 {
    match v {
        Value::String(s) if s == "inf" => f64::INFINITY,
        Value::String(s) if s == "-inf" => f64::NEG_INFINITY,
        Value::String(s) if s == "NaN" => f64::NAN,
        v => v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")),
    }
}

/// Within 1e-12 of the largest magnitude of the node: PyTorch's BLAS and reductions may sum in
/// another order.
fn assert_close(what: &str, ours: &[f64], torch: &[f64]) {
    assert_eq!(ours.len(), torch.len(), "{what}: entries");
    let scale = torch
        .iter()
        .fold(0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    for (a, b) in ours.iter().zip(torch) {
        assert!(
            (a - b).abs() <= 1e-12 * scale,
            "{what}: gradstep {a} vs PyTorch {b}"
        );
    }
}

/// The house, tiny and d2l first batches under each objective: the same nodes by PyTorch's
/// names, with the same inputs, values and gradients, visited in the same order.
#[test]
fn the_graph_is_pytorchs() {
    let fixture: Value = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    for case in fixture["cases"].as_array().expect("cases") {
        let (preset, objective) = (
            case["preset"].as_str().expect("preset"),
            case["objective"].as_str().expect("objective"),
        );
        let here = format!("{preset} {objective}");
        let ours = graph(&["--preset", preset, "--objective", objective]);
        let torch = &case["graph"];
        for key in ["epoch", "batch", "objective", "backward_order"] {
            assert_eq!(ours[key], torch[key], "{here}: {key}");
        }
        let (ours, torch) = (
            ours["nodes"].as_array().expect("nodes"),
            torch["nodes"].as_array().expect("nodes"),
        );
        assert_eq!(ours.len(), torch.len(), "{here}: nodes");
        for (o, t) in ours.iter().zip(torch) {
            let what = format!("{here} node {} {}", t["id"], t["label"]);
            for key in ["id", "name", "label", "inputs"] {
                assert_eq!(o[key], t[key], "{what}: {key}");
            }
            assert_close(
                &format!("{what}: value"),
                &entries(&o["value"]),
                &entries(&t["value"]),
            );
            match (&o["grad"], &t["grad"]) {
                (Value::Null, Value::Null) => {}
                (o, t) if !o.is_null() && !t.is_null() => {
                    assert_close(&format!("{what}: grad"), &entries(o), &entries(t))
                }
                (o, t) => panic!("{what}: grad {o} vs PyTorch's {t}"),
            }
        }
    }
}

fn node<'a>(g: &'a Value, label: &str) -> &'a Value {
    g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["label"] == label)
        .unwrap_or_else(|| panic!("no node {label}"))
}

fn trace_line(args: &[&str], k: usize) -> Value {
    let (out, err, code) = gradstep(&[&["trace"], args].concat());
    assert_eq!(code, Some(0), "trace failed: {err}");
    let line = out.lines().nth(k - 1).expect("the trace reaches batch k");
    serde_json::from_str(line).expect("trace lines are JSON")
}

fn flat(v: &Value) -> Vec<f64> {
    v.as_array().expect("a list").iter().map(number).collect()
}

/// A later batch starts from the parameters the fast path reached, and its tape's values and
/// gradients are the trace's, bit for bit (the shortest round-trip text is the same number).
#[test]
fn a_later_batch_is_the_traces_batch() {
    let args = [
        "--preset",
        "d2l",
        "--objective",
        "mean",
        "--batch-size",
        "7",
    ];
    let g = graph(&[&args[..], &["--batch", "5"]].concat());
    let t = trace_line(&args, 5);
    assert_eq!((&g["epoch"], &g["batch"]), (&t["epoch"], &t["batch"]));
    let same = |label: &str, key: &str, trace_key: &str| {
        let ours: Vec<u64> = entries(&node(&g, label)[key])
            .iter()
            .map(|v| v.to_bits())
            .collect();
        let theirs: Vec<u64> = flat(&t[trace_key]).iter().map(|v| v.to_bits()).collect();
        assert_eq!(ours, theirs, "{label} {key} vs trace {trace_key}");
    };
    same("w", "value", "w");
    same("X @ w + b", "value", "y_hat");
    same("ŷ - y", "value", "delta");
    same("w", "grad", "grad_w");
    assert_eq!(entries(&node(&g, "b")["value"]), [number(&t["b"])]);
    assert_eq!(entries(&node(&g, "b")["grad"]), [number(&t["grad_b"])]);
    // The root of a mean run is the mean: the trace's loss is the sum.
    let n = flat(&t["y"]).len() as f64;
    assert_eq!(
        entries(&node(&g, "l.mean()")["value"]),
        [number(&t["loss"]) / n]
    );
}

/// After divergence the numbers are the trace's strings: the batch after the trace's last one
/// starts from its `w_next`.
#[test]
fn non_finite_numbers_are_strings() {
    let args = ["--preset", "tiny", "--lr", "1e200"];
    let (out, _, _) = gradstep(&[&["trace"], &args[..]].concat());
    let last: Value = serde_json::from_str(out.lines().last().expect("a line")).expect("JSON");
    let k = out.lines().count() + 1;
    let g = graph(&[&args[..], &["--batch", &k.to_string()]].concat());
    assert_eq!(node(&g, "w")["value"][0][0], last["w_next"][0]);
    assert!(
        last["w_next"][0].is_string(),
        "the trace ended on a non-finite w"
    );
}

#[test]
fn a_batch_outside_the_run_is_one_error_line() {
    for (k, says) in [
        ("0", "--batch"),
        ("21", "this run has 20 mini-batches"),
        ("x", "--batch"),
    ] {
        let (out, err, code) = gradstep(&["graph", "--preset", "tiny", "--batch", k]);
        assert_eq!(code, Some(2), "--batch {k}");
        assert!(out.is_empty(), "--batch {k} printed {out}");
        assert_eq!(err.lines().count(), 1, "--batch {k}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(says),
            "--batch {k}: {err}"
        );
    }
    let g = graph(&["--preset", "tiny", "--batch", "20"]);
    assert_eq!(
        (g["epoch"].as_u64(), g["batch"].as_u64()),
        (Some(10), Some(2))
    );
}

/// `--keep-grad`: batch 2's `AccumulateGrad` holds batch 1's gradient (from the trace) plus its
/// own, recomputed here as Xᵀ(Xw + b − y) and Σ(Xw + b − y) from the graph's own X, y, w and b.
#[test]
fn without_zero_grad_accumulate_grad_holds_the_sum() {
    let (out, err, code) = gradstep(&["trace", "--preset", "tiny", "--batches", "1"]);
    assert_eq!(code, Some(0), "{err}");
    let first: Value = serde_json::from_str(out.trim()).expect("a trace line");
    let g1: Vec<f64> = first["grad_w"]
        .as_array()
        .expect("grad_w")
        .iter()
        .map(number)
        .collect();
    let gb1 = number(&first["grad_b"]);
    let g = graph(&["--preset", "tiny", "--keep-grad", "--batch", "2"]);
    let nodes = g["nodes"].as_array().expect("nodes");
    let by = |label: &str| {
        nodes
            .iter()
            .find(|n| n["label"] == label)
            .unwrap_or_else(|| panic!("{label}"))
    };
    let rows = |label: &str| -> Vec<Vec<f64>> {
        by(label)["value"]
            .as_array()
            .expect("rows")
            .iter()
            .map(|r| r.as_array().expect("row").iter().map(number).collect())
            .collect()
    };
    let (x, y, w, b) = (rows("X"), rows("y"), rows("w"), rows("b")[0][0]);
    let delta: Vec<f64> = x
        .iter()
        .zip(&y)
        .map(|(row, t)| row.iter().zip(&w).map(|(a, w)| a * w[0]).sum::<f64>() + b - t[0])
        .collect();
    let own: Vec<f64> = (0..w.len())
        .map(|j| x.iter().zip(&delta).map(|(row, d)| row[j] * d).sum())
        .collect();
    let expected: Vec<f64> = g1.iter().zip(&own).map(|(a, b)| a + b).collect();
    assert_close("w.grad", &entries(&by("w")["grad"]), &expected);
    let gb = entries(&by("b")["grad"]);
    assert_close("b.grad", &gb, &[gb1 + delta.iter().sum::<f64>()]);
}
