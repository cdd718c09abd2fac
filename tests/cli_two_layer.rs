//! `--hidden` and `--activation` on the command line and in a lesson file: what they accept,
//! and one `error:` line with exit status 2 for what they do not.

mod cli_common;

use cli_common::{rejects, run, scratch, write};

#[test]
fn hidden_units_from_1_to_16() {
    rejects(
        &["train", "--hidden", "0"],
        "invalid value '0' for '--hidden <H>': must be a whole number from 1 to 16",
    );
    rejects(
        &["train", "--hidden", "100000"],
        "invalid value '100000' for '--hidden <H>': must be a whole number from 1 to 16",
    );
    rejects(
        &["trace", "--hidden", "-3"],
        "must be a whole number from 1 to 16",
    );
    rejects(
        &["trace", "--hidden", "three"],
        "\"three\" is not a whole number",
    );
}

#[test]
fn an_unknown_activation() {
    rejects(
        &["train", "--hidden", "2", "--activation", "gelu"],
        "invalid value 'gelu' for '--activation <ACTIVATION>' [possible values: relu, tanh, sigmoid]",
    );
}

#[test]
fn an_activation_needs_a_hidden_layer() {
    rejects(
        &["train", "--activation", "tanh"],
        "--activation tanh sets the hidden layer's σ, but this run has no hidden layer: add --hidden H",
    );
}

#[test]
fn commands_that_cannot_show_a_hidden_layer_say_so() {
    // The explainer steps through two layers, but under the test harness stdout is a pipe.
    rejects(
        &["--hidden", "2"],
        "the explainer needs a terminal, but stdout is not one; `gradstep trace` and \
         `gradstep train` run a hidden layer without one",
    );
    // The quiz and presenter mode do apply: the run goes on to need a terminal.
    for flag in ["--quiz", "--present"] {
        rejects(
            &["--preset", "two-layer", flag],
            "the explainer needs a terminal, but stdout is not one",
        );
    }
    // Too long to step through: the parameters kept every 16 batches would pass the budget.
    rejects(
        &["--hidden", "16", "--batch-size", "1", "--epochs", "200000"],
        "this run has 200000000 mini-batches, and stepping through two layers keeps",
    );
    // Forgetting zero_() runs in the explainer, trace, train, graph and sweep; the handout's
    // update reads each batch's own gradient, and says it does not apply.
    rejects(
        &["handout", "--preset", "two-layer", "--keep-grad"],
        "--keep-grad does not apply to the two-layer handout yet; the explainer, `trace`, \
         `train`, `graph` and `sweep` take it with a hidden layer",
    );
    // `serve` takes a hidden layer: like the explainer, it needs a terminal.
    #[cfg(feature = "serve")]
    rejects(
        &["serve", "--preset", "two-layer", "--code", "4711"],
        "the explainer needs a terminal, but stdout is not one",
    );
    // Its followers are not checked with the held sum: said before anything else.
    #[cfg(feature = "serve")]
    rejects(
        &[
            "serve",
            "--preset",
            "two-layer",
            "--code",
            "4711",
            "--keep-grad",
        ],
        "--keep-grad does not apply to serving two layers yet",
    );
}

/// The built-in lesson with `extra` inserted after its `stops_for` line; returns the file's
/// path and the 1-based line of the first inserted line.
fn lesson_with(dir: &std::path::Path, name: &str, extra: &str) -> (String, usize) {
    let embedded = gradstep::lesson::EMBEDDED;
    let anchor = "stops_for = \"d2l\"\n";
    let line = embedded[..embedded.find(anchor).expect("stops_for")]
        .lines()
        .count()
        + 2;
    let text = embedded.replacen(anchor, &format!("{anchor}{extra}"), 1);
    (write(&dir.join(name), text.as_bytes()), line)
}

/// The built-in lesson with `extra` added to its first `[[stop]]`; returns the path and the
/// 1-based line of the added line.
fn stop_with(dir: &std::path::Path, name: &str, extra: &str) -> (String, usize) {
    let embedded = gradstep::lesson::EMBEDDED;
    let at = embedded.find("[[stop]]\n").expect("a stop") + "[[stop]]\n".len();
    let line = embedded[..at].lines().count() + 1;
    let text = format!("{}{extra}{}", &embedded[..at], &embedded[at..]);
    (write(&dir.join(name), text.as_bytes()), line)
}

#[test]
fn a_lesson_file_with_a_bad_hidden_names_the_line() {
    let dir = scratch("two-layer-lesson");
    let (path, line) = lesson_with(&dir, "zero.toml", "hidden = 0\n");
    rejects(
        &["train", "--lesson", &path],
        &format!("{path}: line {line}: hidden = 0: must be a whole number of units from 1 to 16"),
    );
    let (path, line) = lesson_with(&dir, "word.toml", "hidden = \"three\"\n");
    rejects(
        &["train", "--lesson", &path],
        &format!("{path}: line {line}: invalid type"),
    );
    let (path, line) = lesson_with(&dir, "act.toml", "hidden = 2\nactivation = \"gelu\"\n");
    rejects(
        &["train", "--lesson", &path],
        &format!(
            "{path}: line {}: unknown activation \"gelu\" (expected one of: relu, tanh, sigmoid)",
            line + 1
        ),
    );
    let (path, line) = stop_with(&dir, "stop.toml", "hidden = 100000\n");
    rejects(
        &["train", "--lesson", &path],
        &format!("{path}: line {line}: stop at "),
    );
    rejects(
        &["train", "--lesson", &path],
        "hidden = 100000: must be a whole number of units from 1 to 16",
    );
    let (path, line) = stop_with(&dir, "stop-zero.toml", "hidden = 0\n");
    rejects(
        &["handout", "--stop", "1", "--lesson", &path],
        &format!("{path}: line {line}: stop at "),
    );
    rejects(
        &["--lesson", &path],
        "hidden = 0: must be a whole number of units from 1 to 16",
    );
    let (path, line) = stop_with(&dir, "stop-act.toml", "hidden = 2\nactivation = \"foo\"\n");
    rejects(
        &["--hidden", "2", "--lesson", &path],
        &format!(
            "{path}: line {}: stop at 1:1 forward_sample: unknown activation \"foo\" (expected one \
             of: relu, tanh, sigmoid)",
            line + 1
        ),
    );
    // A good hidden layer at a stop of a run that starts linear: a stop changes the network of a
    // run that has one, but does not turn the linear model into one.
    let (path, line) = stop_with(&dir, "good-stop.toml", "hidden = 2\n");
    rejects(
        &["handout", "--lesson", &path],
        &format!(
            "{path}: line {}: the stop at 1:1 forward_sample sets a hidden layer, but the run \
             starts with the linear model",
            line - 1
        ),
    );
    // With a hidden layer from the command line the stop changes it: the stop is placed by the
    // linear model's `forward_sample`, which the two-layer run carries as its own forward by
    // sample, so the handout is the two-layer one with the stop's 2 units, not the line's 3.
    let out = run(&[
        "handout", "--stop", "1", "--hidden", "3", "--lesson", &path, "-o", "-",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("through a hidden layer") && text.contains("| Hidden units | 2 |"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_lesson_file_sets_the_hidden_layer_for_the_whole_lesson() {
    let dir = scratch("two-layer-lesson-good");
    let (path, _) = lesson_with(&dir, "good.toml", "hidden = 2\nactivation = \"tanh\"\n");
    let out = run(&["trace", "--batches", "1", "--lesson", &path]);
    assert_eq!(out.status.code(), Some(0));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON record");
    assert_eq!(record["hidden"], 2);
    assert_eq!(record["activation"], "tanh");
    // d2l's two features: W₁ is 2 rows of 2.
    assert_eq!(record["W1"].as_array().map(Vec::len), Some(2));
    // The command line wins over the file.
    let out = run(&[
        "trace",
        "--batches",
        "1",
        "--lesson",
        &path,
        "--hidden",
        "5",
        "--activation",
        "sigmoid",
    ]);
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON record");
    assert_eq!(record["hidden"], 5);
    assert_eq!(record["activation"], "sigmoid");
    let _ = std::fs::remove_dir_all(dir);
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(numbers).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// `gradstep trace` on the two-layer preset against six SGD updates recorded from PyTorch
/// (tests/fixtures/torch/record_mlp.py), for each activation and objective: every parameter
/// before, its gradient, and after, within a few units in the last place.
#[test]
fn the_trace_matches_pytorch_for_each_activation() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/torch/mlp.json")).expect("JSON");
    let runs = fixture["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 6);
    for r in runs {
        let act = r["activation"].as_str().expect("activation");
        let objective = r["objective"].as_str().expect("objective");
        let out = run(&[
            "trace",
            "--preset",
            "two-layer",
            "--batches",
            "6",
            "--activation",
            act,
            "--objective",
            objective,
        ]);
        assert_eq!(out.status.code(), Some(0), "{act} {objective}");
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        let torch = r["batches"].as_array().expect("batches");
        assert_eq!(lines.len(), torch.len(), "{act} {objective}");
        let mut worst = 0.0_f64;
        for (k, (ours, theirs)) in lines.iter().zip(torch).enumerate() {
            assert_eq!(ours["indices"], theirs["indices"]);
            assert_eq!(ours["activation"], act);
            assert_eq!(ours["hidden"], 3);
            for key in [
                "y_hat", "loss", "W1", "b1", "W2", "b2", "grad_W1", "grad_b1", "grad_W2",
                "grad_b2", "W1_next", "b1_next", "W2_next", "b2_next",
            ] {
                let (a, b) = (numbers(&ours[key]), numbers(&theirs[key]));
                assert_eq!(a.len(), b.len(), "{act} {objective} batch {k}: {key}");
                for (a, b) in a.iter().zip(&b) {
                    let e = (a - b).abs() / b.abs().max(1.0);
                    assert!(
                        e < 1e-14,
                        "{act} {objective} batch {k}: {key} {a} vs PyTorch {b}"
                    );
                    worst = worst.max(e);
                }
            }
        }
        println!(
            "{act} {objective}: worst relative difference from PyTorch over 6 updates {worst:e}"
        );
    }
}

fn stdout_of(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `train` ends where the trace's last update leaves the parameters, and each epoch's loss is
/// the mean of ½(ŷ − y)² over the nine rows at the parameters the trace reaches; `sweep` at the
/// preset's lr prints the same losses.
#[test]
fn train_and_sweep_agree_with_the_trace() {
    let trace = stdout_of(&["trace", "--preset", "two-layer"]);
    let lines: Vec<serde_json::Value> = trace
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 30, "9 rows in batches of 3, 10 epochs");
    let train = stdout_of(&["train", "--preset", "two-layer"]);
    let last = &lines[29];
    let shown = |v: &serde_json::Value| -> Vec<String> {
        numbers(v).iter().map(|x| format!("{x:.6}")).collect()
    };
    assert!(
        train.contains(&format!("W1 = [[{}]]", shown(&last["W1_next"]).join(", "))),
        "{train}"
    );
    assert!(train.contains(&format!("b1 = [{}]", shown(&last["b1_next"]).join(", "))));
    assert!(train.contains(&format!("W2 = [{}]", shown(&last["W2_next"]).join(", "))));
    // The epoch losses: ŷ by hand from each epoch's last parameters, over the preset's rows.
    let xs = [0.0, 1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 1.5, -1.5];
    let ys = [0.1, 0.9, 1.1, 2.1, 1.9, 0.4, 0.6, 1.6, 1.4];
    let sweep = stdout_of(&["sweep", "--preset", "two-layer", "--lrs", "0.3"]);
    let row: Vec<&str> = sweep
        .lines()
        .nth(1)
        .expect("a row")
        .split_whitespace()
        .collect();
    for epoch in 1..=10 {
        let p = &lines[epoch * 3 - 1];
        let (w1, b1, w2, b2) = (
            numbers(&p["W1_next"]),
            numbers(&p["b1_next"]),
            numbers(&p["W2_next"]),
            numbers(&p["b2_next"])[0],
        );
        let loss = xs
            .iter()
            .zip(ys)
            .map(|(x, y)| {
                let y_hat = (0..3).fold(b2, |s, j| s + (x * w1[j] + b1[j]).max(0.0) * w2[j]);
                (y_hat - y).powi(2) / 2.0
            })
            .sum::<f64>()
            / 9.0;
        assert!(
            train.contains(&format!("epoch {epoch}, loss {loss:.6}\n")),
            "epoch {epoch}: {loss:.6} in {train}"
        );
        assert_eq!(row[epoch], format!("{loss:.6e}"), "sweep, epoch {epoch}");
    }
}

/// `gradstep graph` of the two-layer preset's first batch against PyTorch's graph for it, for
/// each activation and objective: every node's name, value and grad, and the order backward()
/// visits them (the fixture names each AccumulateGrad by its parameter).
#[test]
fn the_graph_is_pytorchs_for_each_activation() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/torch/mlp.json")).expect("JSON");
    let cases = fixture["cases"].as_array().expect("cases");
    let mut checked = 0;
    for c in cases.iter().filter(|c| c["name"] == "preset first batch") {
        let act = c["activation"].as_str().expect("activation");
        let objective = c["objective"].as_str().expect("objective");
        let what = format!("{act} {objective}");
        let out = stdout_of(&[
            "graph",
            "--preset",
            "two-layer",
            "--activation",
            act,
            "--objective",
            objective,
        ]);
        let g: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
        let nodes = g["nodes"].as_array().expect("nodes");
        let by_label = |label: &str| {
            nodes
                .iter()
                .find(|n| n["label"] == label)
                .unwrap_or_else(|| panic!("{what}: no node {label}"))
        };
        let close = |ours: &serde_json::Value, key: &str| {
            let (a, b) = (numbers(ours), numbers(&c[key]));
            assert_eq!(a.len(), b.len(), "{what}: {key}");
            for (a, b) in a.iter().zip(&b) {
                assert!(
                    (a - b).abs() <= 1e-14 * b.abs().max(1.0),
                    "{what}: {key} {a} vs PyTorch {b}"
                );
            }
        };
        let z = by_label("X @ W₁ + b₁");
        close(&z["value"], "Z");
        close(&z["grad"], "delta1");
        let h = by_label(&format!("torch.{act}(Z)"));
        close(&h["value"], "H");
        close(&h["grad"], "grad_H");
        let y_hat = by_label("H @ W₂ + b₂");
        close(&y_hat["value"], "y_hat");
        close(&y_hat["grad"], "upstream");
        for (leaf, key) in [
            ("W₁", "grad_W1"),
            ("b₁", "grad_b1"),
            ("W₂", "grad_W2"),
            ("b₂", "grad_b2"),
        ] {
            close(&by_label(leaf)["grad"], key);
        }
        let order: Vec<String> = g["backward_order"]
            .as_array()
            .expect("order")
            .iter()
            .map(|id| {
                let n = &nodes[id.as_u64().expect("an id") as usize];
                let name = n["name"].as_str().expect("a torch name");
                match name {
                    "AccumulateGrad" => {
                        let label = n["label"].as_str().expect("label");
                        format!(
                            "AccumulateGrad({})",
                            label.replace('₁', "1").replace('₂', "2")
                        )
                    }
                    other => other.to_string(),
                }
            })
            .collect();
        let torch: Vec<&str> = c["backward_order"]
            .as_array()
            .expect("order")
            .iter()
            .filter_map(serde_json::Value::as_str)
            .collect();
        assert_eq!(order, torch, "{what}");
        checked += 1;
    }
    assert_eq!(checked, 6, "3 activations × 2 objectives");
    rejects(
        &["graph", "--preset", "two-layer", "--batch", "31"],
        "--batch 31: this run has 30 mini-batches",
    );
}

/// A later batch's graph holds the trace's parameters and gradients for that batch, exactly.
#[test]
fn a_later_graph_is_the_traces_batch() {
    for act in ["relu", "tanh", "sigmoid"] {
        let base = ["--preset", "two-layer", "--activation", act];
        let g: serde_json::Value = serde_json::from_str(&stdout_of(
            &[&["graph", "--batch", "7"], &base[..]].concat(),
        ))
        .expect("JSON");
        let trace = stdout_of(&[&["trace", "--batches", "7"], &base[..]].concat());
        let t: serde_json::Value =
            serde_json::from_str(trace.lines().nth(6).expect("batch 7")).expect("JSON");
        assert_eq!(
            (g["epoch"].as_u64(), g["batch"].as_u64()),
            (Some(3), Some(1))
        );
        let node = |label: &str| {
            g["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .find(|n| n["label"] == label)
                .cloned()
                .unwrap_or_else(|| panic!("no node {label}"))
        };
        for (leaf, key) in [("W₁", "W1"), ("b₁", "b1"), ("W₂", "W2"), ("b₂", "b2")] {
            assert_eq!(
                numbers(&node(leaf)["value"]),
                numbers(&t[key]),
                "{act}: {key}"
            );
            assert_eq!(
                numbers(&node(leaf)["grad"]),
                numbers(&t[&format!("grad_{key}")]),
                "{act}: grad_{key}"
            );
        }
        assert_eq!(
            numbers(&node("l.sum()")["value"]),
            [t["loss"].as_f64().expect("loss")]
        );
    }
}
