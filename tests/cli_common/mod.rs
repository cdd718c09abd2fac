//! Running the binary from the CLI tests, and what every refusal must look like.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// gradstep with `args`, from the crate's directory, with no input.
pub fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

/// `gradstep trace --preset two-layer` with `args`: its records, one JSON value a batch.
pub fn two_layer_trace(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["trace", "--preset", "two-layer"];
    all.extend(args);
    let out = run(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// Runs `args` with stdout going to `target` (a path opened for writing, such as /dev/full).
pub fn run_into(args: &[&str], target: &str) -> Output {
    let out = std::fs::OpenOptions::new()
        .write(true)
        .open(target)
        .unwrap_or_else(|e| panic!("{target}: {e}"));
    Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(args)
        .stdout(out)
        .output()
        .expect("the binary runs")
}

/// Expects exit `code` and exactly one stderr line, starting `error:` and mentioning `needle`.
pub fn fails_with(out: &Output, code: i32, needle: &str, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{what}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{what}: one line expected, got {stderr:?}");
    assert!(lines[0].starts_with("error: "), "{what}: {stderr:?}");
    assert!(
        lines[0].contains(needle),
        "{what}: {:?} does not mention {needle:?}",
        lines[0]
    );
    assert!(!stderr.contains("panicked"), "{what}");
}

/// Bad input: exit 2, one `error:` line mentioning `needle`, nothing half-written on stdout.
pub fn rejects(args: &[&str], needle: &str) {
    let out = run(args);
    fails_with(&out, 2, needle, &format!("{args:?}"));
    assert!(
        out.stdout.is_empty(),
        "{args:?}: nothing half-written on stdout"
    );
}

#[path = "../scratch/mod.rs"]
mod scratch;
pub use scratch::Scratch;

/// A fresh, empty directory for one test, removed when dropped.
pub fn scratch(name: &str) -> Scratch {
    scratch::scratch_dir(name)
}

/// Writes `bytes` to `path`; returns the path as a string for the command line.
pub fn write(path: &Path, bytes: &[u8]) -> String {
    std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    path.to_str().expect("utf-8 path").to_string()
}
