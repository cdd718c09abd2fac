//! What the headless commands print, checked against the engine and against hand arithmetic.

mod common;
mod scratch;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::preset_session;
use gradstep::preset::Preset;
use scratch::scratch_dir;
use serde_json::Value;

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

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect()
}

const KEYS: [&str; 19] = [
    "epoch",
    "batch",
    "indices",
    "x",
    "y",
    "w",
    "b",
    "y_hat",
    "delta",
    "loss",
    "grad_w",
    "grad_b",
    "lr",
    "divisor",
    "w_next",
    "b_next",
    "objective",
    "batch_size",
    "zero_grad",
];

#[test]
fn trace_has_exactly_the_documented_keys_in_order() {
    let (out, err, code) = gradstep(&["trace", "--batches", "3"]);
    assert_eq!(code, Some(0), "{err}");
    let first = out.lines().next().expect("a line");
    let mut at = 0;
    for key in KEYS {
        let found = first[at..]
            .find(&format!("\"{key}\":"))
            .unwrap_or_else(|| panic!("{key} missing or out of order"));
        at += found + 1;
    }
    for v in lines(&out) {
        let obj = v.as_object().expect("object");
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
    }
}

#[test]
fn trace_of_the_default_run_round_trips_the_engine_exactly() {
    let (out, _, code) = gradstep(&["trace"]);
    assert_eq!(code, Some(0));
    let records = lines(&out);
    assert_eq!(records.len(), 300, "1000 rows in batches of 10, 3 epochs");
    let mut session = preset_session(Preset::D2l);
    for (k, r) in records.iter().enumerate() {
        let b = session.batch();
        assert_eq!(r["epoch"].as_u64(), Some(b.epoch as u64));
        assert_eq!(r["batch"].as_u64(), Some(b.batch as u64));
        assert_eq!(floats(&r["y_hat"]), b.y_hat.as_slice(), "batch {k}");
        assert_eq!(floats(&r["delta"]), b.delta.as_slice());
        assert_eq!(floats(&r["grad_w"]), b.grad_w.as_slice());
        assert_eq!(r["grad_b"].as_f64(), Some(b.grad_b));
        assert_eq!(floats(&r["w_next"]), b.w_next.as_slice());
        assert_eq!(r["b_next"].as_f64(), Some(b.b_next));
        assert_eq!(r["loss"].as_f64(), Some(b.loss));
        session.next_batch();
    }
    // Consecutive records chain: each update starts where the last one ended.
    for pair in records.windows(2) {
        assert_eq!(pair[0]["w_next"], pair[1]["w"]);
        assert_eq!(pair[0]["b_next"], pair[1]["b"]);
    }
}

#[test]
fn trace_of_house_starts_with_the_lessons_example() {
    let (out, _, _) = gradstep(&["trace", "--preset", "house", "--batches", "1"]);
    let r = &lines(&out)[0];
    assert_eq!(floats(&r["x"][0]), [100.0]);
    assert_eq!(r["y"][0].as_f64(), Some(200.0));
    assert_eq!(r["y_hat"][0].as_f64(), Some(180.0));
    assert_eq!(r["delta"][0].as_f64(), Some(-20.0));
    // Batch of 4 (100→200, 80→158, 120→243, 60→119) at w = 1.8, b = 0:
    // ŷ = 180, 144, 216, 108; δ = −20, −14, −27, −11; L = ½(400 + 196 + 729 + 121) = 723.
    assert_eq!(floats(&r["delta"]), [-20.0, -14.0, -27.0, -11.0]);
    assert_eq!(r["loss"].as_f64(), Some(723.0));
    // ∂L/∂w = −2000 − 1120 − 3240 − 660 = −7020; ∂L/∂b = −72.
    assert_eq!(floats(&r["grad_w"]), [-7020.0]);
    assert_eq!(r["grad_b"].as_f64(), Some(-72.0));
    assert_eq!(r["divisor"].as_f64(), Some(4.0));
    // w ← 1.8 − 5e-5·(−7020)/4
    assert_eq!(floats(&r["w_next"]), [1.8 - 5e-5 * -7020.0 / 4.0]);
}

#[test]
fn objectives_and_divisors_in_the_trace() {
    let (out, _, _) = gradstep(&["trace", "--batches", "1"]);
    assert_eq!(lines(&out)[0]["objective"], "sum");
    let (out, _, _) = gradstep(&[
        "trace",
        "--batches",
        "4",
        "--objective",
        "sum-nodiv",
        "--change",
        "3:batch=4,lr=0.01",
    ]);
    let records = lines(&out);
    let sizes: Vec<u64> = records
        .iter()
        .map(|r| r["batch_size"].as_u64().expect("number"))
        .collect();
    let lrs: Vec<f64> = records
        .iter()
        .map(|r| r["lr"].as_f64().expect("number"))
        .collect();
    assert_eq!(sizes, [10, 10, 4, 4]);
    assert_eq!(lrs, [0.03, 0.03, 0.01, 0.01]);
    assert!(records.iter().all(|r| r["objective"] == "sum-nodiv"));
    assert_eq!(records[2]["indices"].as_array().map(Vec::len), Some(4));
    let (out, _, _) = gradstep(&["trace", "--objective", "mean", "--batches", "1"]);
    assert_eq!(lines(&out)[0]["divisor"].as_f64(), Some(1.0));
    let (out, _, _) = gradstep(&[
        "trace",
        "--samples",
        "25",
        "--divide-by",
        "nominal",
        "--epochs",
        "1",
    ]);
    let divisors: Vec<f64> = lines(&out)
        .iter()
        .map(|r| r["divisor"].as_f64().expect("number"))
        .collect();
    assert_eq!(divisors, [10.0, 10.0, 10.0]);
    let (out, _, _) = gradstep(&["trace", "--samples", "25", "--epochs", "1"]);
    let divisors: Vec<f64> = lines(&out)
        .iter()
        .map(|r| r["divisor"].as_f64().expect("number"))
        .collect();
    assert_eq!(
        divisors,
        [10.0, 10.0, 5.0],
        "the short last batch divides by its own 5 rows"
    );
}

#[test]
fn a_diverging_trace_ends_at_the_first_non_finite_batch() {
    let (out, err, code) = gradstep(&["trace", "--lr", "50"]);
    assert_eq!(code, Some(0), "divergence is a lesson, not an error: {err}");
    let records = lines(&out);
    let last = records.last().expect("records");
    let text = out.lines().last().expect("line");
    assert!(
        text.contains("\"inf\"") || text.contains("\"NaN\"") || text.contains("\"-inf\""),
        "{text}"
    );
    assert!(records.len() < 300);
    for r in &records[..records.len() - 1] {
        assert!(floats(&r["w_next"]).iter().all(|v| v.is_finite()));
    }
    assert!(last["w_next"].as_array().is_some());
}

#[test]
fn unscaled_real_data_warns_and_diverges_then_standardized_converges() {
    let (out, err, code) = gradstep(&[
        "train",
        "--data",
        "tests/fixtures/houses.csv",
        "--epochs",
        "200",
        "--batch-size",
        "2",
    ]);
    assert_eq!(code, Some(0));
    assert!(
        err.starts_with("warning: this run will likely diverge"),
        "{err}"
    );
    assert!(err.contains("--standardize"), "{err}");
    assert!(
        out.contains("diverged in epoch 16, batch 3: values overflowed"),
        "{out}"
    );
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.starts_with("epoch 1, loss ") && l.contains("e")),
        "{out}"
    );
    let (out, err, code) = gradstep(&[
        "train",
        "--data",
        "tests/fixtures/houses.csv",
        "--standardize",
        "--epochs",
        "50",
        "--batch-size",
        "2",
    ]);
    assert_eq!(code, Some(0));
    assert!(err.is_empty(), "{err}");
    assert!(!out.contains("diverged"), "{out}");
}

#[test]
fn train_prints_epochs_and_the_error_against_the_truth() {
    let (out, _, code) = gradstep(&["train"]);
    assert_eq!(code, Some(0));
    let text: Vec<&str> = out.lines().collect();
    assert_eq!(text.len(), 5, "{out}");
    for (k, line) in text[..3].iter().enumerate() {
        assert!(
            line.starts_with(&format!("epoch {}, loss 0.", k + 1)),
            "{line}"
        );
    }
    assert!(
        text[3].starts_with("w = [1.99") && text[3].contains("true [2, -3.4]"),
        "{}",
        text[3]
    );
    assert!(
        text[4].starts_with("b = 4.19") && text[4].contains("true 4.2"),
        "{}",
        text[4]
    );
}

#[test]
fn data_writes_back_exactly_the_numbers_in_use() {
    let (out, _, code) = gradstep(&["data", "--samples", "20", "--seed", "3"]);
    assert_eq!(code, Some(0));
    let mut rows = out.lines();
    assert_eq!(rows.next(), Some("x1,x2,y"));
    let data = gradstep::data::Synthetic {
        samples: 20,
        seed: 3,
        ..Default::default()
    }
    .generate()
    .expect("data");
    for (i, line) in rows.enumerate() {
        let v: Vec<f64> = line
            .split(',')
            .map(|c| c.parse().expect("number"))
            .collect();
        assert_eq!(&v[..2], data.row(i));
        assert_eq!(v[2], data.y()[i]);
    }
    // And the CSV trains exactly like the generated data it came from.
    let dir = scratch_dir("data");
    let file = dir.join("same.csv");
    std::fs::write(&file, &out).expect("write");
    let (a, _, _) = gradstep(&["trace", "--samples", "20", "--seed", "3"]);
    let (b, _, _) = gradstep(&[
        "trace",
        "--data",
        file.to_str().expect("utf-8 path"),
        "--seed",
        "3",
    ]);
    assert_eq!(a, b);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn help_and_version_exit_zero() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["trace", "--help"],
        &["train", "--help"],
        &["data", "--help"],
    ] {
        let (out, _, code) = gradstep(args);
        assert_eq!(code, Some(0), "{args:?}");
        assert!(out.contains("gradstep"), "{args:?}: {out}");
    }
}

#[test]
fn a_closed_pipe_is_a_normal_end() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(["trace", "--samples", "100000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("a line");
    drop(reader);
    let out = child.wait_with_output().expect("exit");
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_printed_lesson_is_the_embedded_one_and_loads_back() {
    let (out, _, code) = gradstep(&["lesson"]);
    assert_eq!(code, Some(0));
    assert_eq!(out, gradstep::lesson::EMBEDDED);
    assert!(gradstep::lesson::Lesson::parse(&out).is_ok());
}

#[test]
fn completions_and_manual() {
    for (shell, marker) in [
        ("bash", "_gradstep()"),
        ("zsh", "#compdef gradstep"),
        ("fish", "complete -c gradstep"),
    ] {
        let (out, _, code) = gradstep(&["completions", shell]);
        assert_eq!(code, Some(0));
        assert!(out.contains(marker), "{shell}");
        assert!(out.contains("batch-size"), "{shell}: options are completed");
    }
    let (out, _, code) = gradstep(&["man"]);
    assert_eq!(code, Some(0));
    assert!(out.contains(".TH gradstep 1"));
}

#[test]
fn sweep_compares_learning_rates_on_the_same_run() {
    let (out, _, code) = gradstep(&["sweep", "--lrs", "0.03,3"]);
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["lr", "epoch", "1", "epoch", "2", "epoch", "3"]
    );
    let values = |line: &str| -> Vec<f64> {
        line.split_whitespace()
            .skip(1)
            .map(|v| v.parse().expect("number"))
            .collect()
    };
    // lr 0.03 is the default run: the same losses `train` prints.
    let (train, _, _) = gradstep(&["train"]);
    let trained: Vec<f64> = train
        .lines()
        .take(3)
        .map(|l| {
            l.rsplit(' ')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("loss")
        })
        .collect();
    for (a, b) in values(lines[1]).iter().zip(&trained) {
        assert!((a - b).abs() <= 1e-6 + 1e-6 * b.abs(), "{a} vs {b}");
    }
    // lr 3 overshoots: the loss grows by orders of magnitude each epoch.
    let bold = values(lines[2]);
    assert!(
        bold[0] > 1e10 && bold[2] > bold[1] && bold[1] > bold[0],
        "{bold:?}"
    );
}

#[test]
fn handout_writes_the_batch_it_is_asked_for() {
    let (out, err, code) = gradstep(&[
        "handout",
        "--preset",
        "tiny",
        "--batch",
        "2",
        "--precision",
        "3",
    ]);
    assert_eq!(code, Some(0), "{err}");
    // Batch 2 of tiny: rows 3..5 of y = 2x₁ − x₂ + 1, i.e. targets 6, 2, 2.
    assert!(
        out.contains("epoch 1, batch 2"),
        "{}",
        &out[..out.len().min(1500)]
    );
    assert!(
        out.contains(r"\begin{bmatrix} 6.000 \\ 2.000 \\ 2.000 \end{bmatrix}"),
        "targets of batch 2"
    );
    let (zh, _, _) = gradstep(&["handout", "--preset", "tiny", "--lang", "zh"]);
    assert!(zh.contains("预设 tiny，6 行"), "the source in Chinese");
}

#[test]
fn handout_dash_o_dash_writes_to_stdout_and_no_file_named_dash() {
    // The two-layer handout is written by its own command; it once wrote a file named `-`.
    for preset in ["tiny", "two-layer"] {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_gradstep"))
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("the binary runs")
        };
        let plain = run(&["handout", "--preset", preset]);
        let dash = run(&["handout", "--preset", preset, "-o", "-"]);
        assert_eq!(dash.status.code(), Some(0), "{preset}");
        let text = String::from_utf8_lossy(&dash.stdout);
        assert!(
            text.starts_with("---\ntitle: ") || text.starts_with("# "),
            "{preset}: the handout on stdout"
        );
        assert_eq!(dash.stdout, plain.stdout, "{preset}: as without -o");
        assert!(
            !dir.path().join("-").exists(),
            "{preset}: no file named - was written"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).map(Iterator::count).ok(),
            Some(0),
            "{preset}: nothing written at all"
        );
    }
}

#[test]
fn keep_grad_is_recorded_and_its_grad_is_the_running_sum() {
    let (out, err, code) = gradstep(&["trace", "--preset", "tiny", "--batches", "3"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(lines(&out).iter().all(|r| r["zero_grad"] == true));
    let (out, err, code) =
        gradstep(&["trace", "--preset", "tiny", "--batches", "3", "--keep-grad"]);
    assert_eq!(code, Some(0), "{err}");
    let records = lines(&out);
    assert!(records.iter().all(|r| r["zero_grad"] == false));
    // Each line's grad_w is the previous line's plus this batch's own Xᵀδ, recomputed here from
    // the line's x and δ; the update reads it.
    let mut held = vec![0.0; 2];
    let mut held_b = 0.0;
    for r in &records {
        let x: Vec<Vec<f64>> = r["x"]
            .as_array()
            .expect("rows")
            .iter()
            .map(floats)
            .collect();
        let delta = floats(&r["delta"]);
        for (j, h) in held.iter_mut().enumerate() {
            *h += x.iter().zip(&delta).map(|(row, d)| row[j] * d).sum::<f64>();
        }
        held_b += delta.iter().sum::<f64>();
        let grad_w = floats(&r["grad_w"]);
        for (a, e) in grad_w.iter().zip(&held) {
            assert!(common::close(*a, *e, 1e-12), "{a} vs {e}");
        }
        assert!(common::close(
            r["grad_b"].as_f64().expect("b"),
            held_b,
            1e-12
        ));
        let (lr, div) = (
            r["lr"].as_f64().expect("lr"),
            r["divisor"].as_f64().expect("d"),
        );
        let (w, w_next) = (floats(&r["w"]), floats(&r["w_next"]));
        for j in 0..2 {
            assert!(common::close(w_next[j], w[j] - lr * grad_w[j] / div, 1e-12));
        }
    }
}
