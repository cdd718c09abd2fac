//! `gradstep handout` of a two-layer run: the derivation carried one layer further and every
//! matrix of one batch, checked against the trace and against δ₁ recomputed by hand from it.

mod cli_common;
mod pandoc;

use cli_common::{rejects, run, scratch};

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

/// The numbers of the last display that starts with `lead` (after its last `=`), row by row:
/// the batch's, not the derivation's.
fn display(handout: &str, lead: &str) -> Vec<f64> {
    let block = handout
        .split("$$\n")
        .filter(|b| b.starts_with(lead))
        .last()
        .unwrap_or_else(|| panic!("no display starting {lead:?}"));
    let value = block.rsplit(" = ").next().expect("a value");
    value
        .replace(r"\begin{bmatrix}", " ")
        .replace(r"\end{bmatrix}", " ")
        .replace(r"\\", " ")
        .replace('&', " ")
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .unwrap_or_else(|_| panic!("{t:?} in {lead:?}"))
        })
        .collect()
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(numbers).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// Printed to `p` places: within half a unit in the last place of the value.
fn rounded(printed: &[f64], values: &[f64], p: i32, what: &str) {
    assert_eq!(printed.len(), values.len(), "{what}");
    for (a, b) in printed.iter().zip(values) {
        assert!(
            (a - b).abs() <= 0.5 * 10f64.powi(-p) + 1e-15,
            "{what}: printed {a}, value {b}"
        );
    }
}

/// The preset's first batch, as a class works it on the board (tests/engine_mlp.rs has the
/// hand computation): short decimals print exactly.
#[test]
fn the_presets_first_batch_prints_the_boards_numbers() {
    let h = stdout_of(&["handout", "--preset", "two-layer", "--precision", "3"]);
    assert_eq!(
        display(&h, "Z = XW_1"),
        [0.0, 0.5, -0.5, 1.0, 0.0, 0.0, -1.0, 1.0, -1.0]
    );
    assert_eq!(display(&h, r"\hat{y} = HW_2"), [-0.25, 0.5, -0.5]);
    assert_eq!(
        display(&h, r"\sigma'(Z)"),
        [0., 1., 0., 1., 0., 0., 0., 1., 0.]
    );
    assert_eq!(
        display(&h, r"\delta_1 = "),
        [0.0, 0.175, 0.0, -0.2, 0.0, 0.0, 0.0, 0.8, 0.0]
    );
    assert_eq!(display(&h, r"W_1 \leftarrow"), [1.02, -0.42, 0.5]);
    assert_eq!(display(&h, r"b_2 \leftarrow"), [0.235]);
    assert!(h.contains("For ReLU, σ′ is 1 where z > 0 and 0 elsewhere"));
    assert!(h.contains("H = torch.relu(Z)"));
}

/// A later batch, each activation and objective: the parameters and gradients are the trace's
/// to the printed places, and δ₁ is what the trace's own numbers give by hand.
/// A mean run's handout writes what l.mean() sends back, sample by sample: ∂L/∂b₂ = Σᵢ δ⁽ⁱ⁾/N.
#[test]
fn the_mean_handout_sums_each_samples_share_of_delta() {
    let h = stdout_of(&["handout", "--preset", "two-layer", "--objective", "mean"]);
    // δ = (−0.35, −0.4, −1.6) (the preset's first batch by hand, as in the test above):
    // Σ δ⁽ⁱ⁾/3 = −2.35/3 = −0.78333.
    assert!(
        h.contains(r"\frac{\partial L}{\partial b_2} = \sum_i \tfrac{\delta^{(i)}}{N} = -0.7833"),
        "{h}"
    );
}

#[test]
fn every_matrix_is_the_traces_to_the_printed_places() {
    for act in ["relu", "tanh", "sigmoid"] {
        for objective in ["sum", "mean"] {
            let base = [
                "--preset",
                "two-layer",
                "--activation",
                act,
                "--objective",
                objective,
            ];
            let mut args = vec!["handout", "--batch", "5", "--precision", "8"];
            args.extend(base);
            let h = stdout_of(&args);
            let mut args = vec!["trace", "--batches", "5"];
            args.extend(base);
            let trace = stdout_of(&args);
            let t: serde_json::Value =
                serde_json::from_str(trace.lines().nth(4).expect("batch 5")).expect("JSON");
            let what = format!("{act} {objective}");
            let check = |lead: &str, key: &str| {
                rounded(
                    &display(&h, lead),
                    &numbers(&t[key]),
                    8,
                    &format!("{what}: {key}"),
                );
            };
            check(r"\hat{y} = HW_2", "y_hat");
            check(r"\delta = \hat{y} - y", "delta");
            check(r"\frac{\partial L}{\partial W_1} = X^T", "grad_b1");
            check(r"W_1 \leftarrow", "W1_next");
            check(r"b_1 \leftarrow", "b1_next");
            check(r"W_2 \leftarrow", "W2_next");
            check(r"b_2 \leftarrow", "b2_next");
            // δ₁ by hand from the trace: z = xW₁ + b₁, g = ∂L/∂ŷ (δ, or δ/N for mean),
            // δ₁ = g·W₂ᵀ ⊙ σ′(z).
            let (x, w1, b1, w2) = (
                numbers(&t["x"]),
                numbers(&t["W1"]),
                numbers(&t["b1"]),
                numbers(&t["W2"]),
            );
            let delta = numbers(&t["delta"]);
            let n = delta.len() as f64;
            let mut by_hand = Vec::new();
            for (i, d) in delta.iter().enumerate() {
                let g = if objective == "mean" { d / n } else { *d };
                for j in 0..3 {
                    let z = x[i] * w1[j] + b1[j];
                    let slope = match act {
                        "relu" => f64::from(u8::from(z > 0.0)),
                        "tanh" => 1.0 - z.tanh().powi(2),
                        _ => {
                            let s = 1.0 / (1.0 + (-z).exp());
                            s * (1.0 - s)
                        }
                    };
                    by_hand.push(g * w2[j] * slope);
                }
            }
            rounded(
                &display(&h, r"\delta_1 = "),
                &by_hand,
                8,
                &format!("{what}: δ₁"),
            );
        }
    }
}

#[test]
fn the_chinese_handout_and_bad_batches() {
    let h = stdout_of(&["handout", "--preset", "two-layer", "--lang", "zh"]);
    assert!(h.starts_with("---\ntitle: \"穿过一个隐藏层的反向传播"));
    assert!(h.contains("传回的误差：δ₁ = (δW₂ᵀ) ⊙ σ′(Z)"));
    assert!(h.contains("| 隐藏单元数 | 3 |"));
    rejects(
        &["handout", "--preset", "two-layer", "--batch", "31"],
        "--batch 31: this run has 30 mini-batches",
    );
    // `--stop` takes a hidden layer (tests/ui_two_layer_stops.rs); the built-in lesson's stops
    // are planned for d2l, as for the linear model.
    rejects(
        &["handout", "--preset", "two-layer", "--stop", "1"],
        "--stop 1: the lesson's stops are planned for --preset d2l only",
    );
    let dir = scratch("two-layer-handout");
    let file = dir.join("h.md");
    let path = file.to_str().expect("utf-8 path");
    let out = run(&["handout", "--preset", "two-layer", "-o", path]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .expect("written")
            .contains(r"\delta_1")
    );
    rejects(
        &["handout", "--preset", "two-layer", "-o", path],
        "already exists; use --force",
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// `pandoc -s --mathjax` (the command the README gives) titles the page from the YAML block,
/// without a warning, in both languages.
#[test]
fn pandoc_titles_the_page_from_the_handouts_front_matter() {
    for (lang, title) in [
        ("en", "Backpropagation through a hidden layer"),
        ("zh", "穿过一个隐藏层的反向传播"),
    ] {
        let md = stdout_of(&["handout", "--preset", "two-layer", "--lang", lang]);
        assert!(md.starts_with("---\ntitle: \""), "{}", &md[..60]);
        let html = pandoc::pandoc(&md, &["-s", "--mathjax"]);
        assert!(html.contains(&format!("<title>{title}")), "{lang}");
    }
}
