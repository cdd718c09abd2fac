//! The presets: what each one sets up, checked against the plain d2l data.

mod common;

use std::process::Command;

use gradstep::preset::Preset;

fn gradstep(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn first_record(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["trace", "--batches", "1"];
    all.extend_from_slice(args);
    serde_json::from_str(gradstep(&all).lines().next().expect("a record")).expect("JSON")
}

fn rows(csv: &str) -> Vec<Vec<f64>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(|c| c.parse().expect("number")).collect())
        .collect()
}

#[test]
fn zero_and_large_initialisation() {
    assert_eq!(
        first_record(&["--preset", "zero-init"])["w"],
        serde_json::json!([0.0, 0.0])
    );
    let large = first_record(&["--preset", "large-init"]);
    assert_eq!(large["w"], serde_json::json!([10.0, 10.0]));
    assert_eq!(large["b"], serde_json::json!(10.0));
    // The same rows as d2l's first batch: only the start differs.
    assert_eq!(large["indices"], first_record(&[])["indices"]);
}

#[test]
fn the_outlier_is_one_target_moved_by_exactly_100() {
    let plain = rows(&gradstep(&["data"]));
    let outlier = rows(&gradstep(&["data", "--preset", "outlier"]));
    assert_eq!(plain.len(), outlier.len());
    let differing: Vec<usize> = (0..plain.len())
        .filter(|&i| plain[i] != outlier[i])
        .collect();
    assert_eq!(differing, [0]);
    assert_eq!(outlier[0][2] - plain[0][2], 100.0);
    assert_eq!(outlier[0][..2], plain[0][..2]);
}

#[test]
fn no_shuffle_sorts_by_target_and_keeps_file_order() {
    let sorted = rows(&gradstep(&["data", "--preset", "no-shuffle"]));
    assert!(sorted.windows(2).all(|p| p[0][2] <= p[1][2]));
    let mut plain: Vec<f64> = rows(&gradstep(&["data"])).iter().map(|r| r[2]).collect();
    plain.sort_by(f64::total_cmp);
    assert_eq!(
        sorted.iter().map(|r| r[2]).collect::<Vec<_>>(),
        plain,
        "the same rows, reordered"
    );
    assert_eq!(
        first_record(&["--preset", "no-shuffle"])["indices"],
        serde_json::json!([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    );
    // Biased batches train worse in the first epoch than shuffled ones.
    let loss = |args: &[&str]| -> f64 {
        let mut all = vec!["train"];
        all.extend_from_slice(args);
        let out = gradstep(&all);
        out.lines()
            .next()
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .expect("epoch 1 loss")
    };
    assert!(loss(&["--preset", "no-shuffle"]) > 10.0 * loss(&[]));
}

/// Every preset's spec holds together: its data loads, its settings run, and a generated
/// preset takes `--samples` while a fixed one refuses it.
#[test]
fn every_preset_spec_runs() {
    use clap::ValueEnum;
    use gradstep::preset::{Preset, PresetData};
    for preset in Preset::value_variants() {
        let name = preset.name();
        let record = first_record(&["--preset", &name]);
        let spec = preset.spec();
        assert_eq!(record["lr"], serde_json::json!(spec.hyper.lr), "{name}");
        let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
            .args(["data", "--preset", &name, "--samples", "5"])
            .output()
            .expect("runs");
        match spec.data {
            PresetData::Generated(_) => {
                assert_eq!(out.status.code(), Some(0), "{name}");
                assert_eq!(rows(&String::from_utf8_lossy(&out.stdout)).len(), 5);
            }
            PresetData::Fixed(table) => {
                assert_eq!(out.status.code(), Some(2), "{name}");
                let data = table().expect("the table is valid");
                assert_eq!(
                    rows(&gradstep(&["data", "--preset", &name])).len(),
                    data.n()
                );
            }
        }
    }
}

/// The tests' `preset_session` builds each linear preset as `--preset` does: its first batch's
/// rows, targets and parameters are the trace's (so a test of the outlier or no-shuffle preset
/// tests that data, not the plain draw).
#[test]
fn the_tests_preset_sessions_are_the_command_lines() {
    use clap::ValueEnum;
    for preset in Preset::value_variants() {
        if *preset == Preset::TwoLayer {
            continue; // two layers: no linear session (tests/engine_mlp.rs builds its own)
        }
        let name = preset.name();
        let record = first_record(&["--preset", &name]);
        let session = common::preset_session(*preset);
        let b = session.batch();
        let x: Vec<Vec<f64>> = (0..b.x.nrows())
            .map(|r| b.x.row(r).iter().copied().collect())
            .collect();
        assert_eq!(record["x"], serde_json::json!(x), "{name}: x");
        let y: Vec<f64> = b.y.iter().copied().collect();
        assert_eq!(record["y"], serde_json::json!(y), "{name}: y");
        let w: Vec<f64> = b.w.iter().copied().collect();
        assert_eq!(record["w"], serde_json::json!(w), "{name}: w");
        assert_eq!(record["b"], serde_json::json!(b.b), "{name}: b");
    }
}
