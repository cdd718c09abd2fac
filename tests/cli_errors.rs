//! Every bad input ends with one `error:` line naming what is wrong and where, and exit status 2.

mod cli_common;

use cli_common::{rejects, scratch};

const F: &str = "tests/fixtures";

#[test]
fn missing_file() {
    rejects(
        &["train", "--data", "tests/fixtures/nope.csv"],
        "cannot read tests/fixtures/nope.csv: no such file",
    );
}

#[test]
fn a_directory() {
    rejects(&["train", "--data", F], "tests/fixtures is a directory");
}

#[test]
fn empty_file() {
    rejects(
        &["train", "--data", "tests/fixtures/empty.csv"],
        "tests/fixtures/empty.csv is empty",
    );
}

#[test]
fn header_only() {
    rejects(
        &["trace", "--data", "tests/fixtures/header_only.csv"],
        "header_only.csv: has a header but no data rows",
    );
}

#[test]
fn non_numeric_cell() {
    rejects(
        &["train", "--data", "tests/fixtures/non_numeric.csv"],
        "non_numeric.csv: line 3, column 1 (\"area\"): \"8O\" is not a number",
    );
}

#[test]
fn nan_and_inf_cells() {
    rejects(
        &["train", "--data", "tests/fixtures/nan_cell.csv"],
        "nan_cell.csv: line 3, column 2 (\"price\"): \"NaN\" is not a finite number",
    );
    rejects(
        &["train", "--data", "tests/fixtures/inf_cell.csv"],
        "inf_cell.csv: line 2, column 2 (\"price\"): \"inf\" is not a finite number",
    );
}

#[test]
fn empty_cell() {
    rejects(
        &["train", "--data", "tests/fixtures/empty_cell.csv"],
        "empty_cell.csv: line 3, column 2 (\"b\"): empty cell",
    );
}

#[test]
fn ragged_row() {
    rejects(
        &["train", "--data", "tests/fixtures/ragged.csv"],
        "ragged.csv: line 3: expected 3 fields as in the header, found 2",
    );
}

#[test]
fn single_column() {
    rejects(
        &["train", "--data", "tests/fixtures/single_column.csv"],
        "single_column.csv: needs at least two columns",
    );
}

#[test]
fn unknown_target() {
    rejects(
        &[
            "train",
            "--data",
            "tests/fixtures/houses.csv",
            "--target",
            "cost",
        ],
        "--target \"cost\": tests/fixtures/houses.csv has no such column (its columns are: area, rooms, price)",
    );
}

#[test]
fn target_without_data() {
    rejects(
        &["train", "--target", "price"],
        "--target names a column of --data",
    );
}

#[test]
fn constant_column_cannot_be_standardized() {
    rejects(
        &[
            "train",
            "--data",
            "tests/fixtures/constant.csv",
            "--standardize",
        ],
        "cannot standardize column \"x\"",
    );
}

#[test]
fn batch_size_zero() {
    rejects(
        &["train", "--batch-size", "0"],
        "'--batch-size <N>': must be at least 1",
    );
}

#[test]
fn learning_rate_not_positive_or_not_finite() {
    rejects(
        &["train", "--lr", "0"],
        "'--lr <LR>': must be greater than 0",
    );
    rejects(
        &["train", "--lr", "-0.1"],
        "'--lr <LR>': must be greater than 0",
    );
    rejects(
        &["train", "--lr", "inf"],
        "'--lr <LR>': \"inf\" is not a finite number",
    );
    rejects(
        &["train", "--lr", "NaN"],
        "'--lr <LR>': \"NaN\" is not a finite number",
    );
    rejects(
        &["train", "--lr", "fast"],
        "'--lr <LR>': \"fast\" is not a number",
    );
}

#[test]
fn zero_epochs_or_samples() {
    rejects(
        &["train", "--epochs", "0"],
        "'--epochs <N>': must be at least 1",
    );
    rejects(
        &["train", "--samples", "0"],
        "'--samples <N>': must be at least 1",
    );
}

#[test]
fn true_w_that_does_not_parse() {
    rejects(
        &["train", "--true-w", "2,-3.4x"],
        "weight 2: \"-3.4x\" is not a number",
    );
    rejects(
        &["train", "--true-w", ""],
        "expected comma-separated numbers",
    );
    rejects(&["train", "--true-w", "2,,1"], "weight 2");
}

#[test]
fn synthetic_options_with_fixed_data() {
    rejects(
        &["train", "--preset", "house", "--true-w", "1"],
        "--true-w only applies to generated data",
    );
    rejects(
        &[
            "train",
            "--data",
            "tests/fixtures/houses.csv",
            "--samples",
            "5",
        ],
        "--samples only applies to generated data",
    );
    rejects(
        &[
            "train",
            "--data",
            "tests/fixtures/houses.csv",
            "--preset",
            "tiny",
        ],
        "the argument '--data <FILE>' cannot be used with '--preset <PRESET>'",
    );
}

#[test]
fn unknown_options_and_values() {
    rejects(
        &["train", "--frobnicate"],
        "unexpected argument '--frobnicate'",
    );
    rejects(
        &["--preset", "boston"],
        "invalid value 'boston' for '--preset <PRESET>'",
    );
    rejects(
        &["train", "--objective", "avg"],
        "invalid value 'avg' for '--objective <OBJECTIVE>'",
    );
}

#[test]
fn the_explainer_needs_a_terminal() {
    // Under the test harness stdout is a pipe.
    rejects(&[], "use `gradstep trace`");
}

#[test]
fn a_malformed_lesson_file_names_the_line() {
    let dir = scratch("lesson");
    let embedded = gradstep::lesson::EMBEDDED;
    let line = embedded
        .lines()
        .position(|l| l.trim() == "kind = \"loss\"")
        .expect("the loss step")
        + 1;
    let broken = embedded.replacen("kind = \"loss\"", "kind = \"los\"", 1);
    let file = dir.join("broken.toml");
    std::fs::write(&file, broken).expect("write");
    let path = file.to_str().expect("utf-8 path");
    rejects(
        &["train", "--lesson", path],
        &format!("{path}: line {line}: step \"los\": unknown step kind"),
    );
    rejects(
        &["train", "--lesson", "tests/fixtures/no-such-lesson.toml"],
        "cannot read tests/fixtures/no-such-lesson.toml",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn handout_refuses_to_overwrite_and_names_impossible_batches() {
    let dir = scratch("handout-cli");
    let file = dir.join("h.md");
    std::fs::write(&file, "keep me").expect("write");
    let path = file.to_str().expect("utf-8 path");
    rejects(
        &["handout", "-o", path],
        &format!("{path} already exists; use --force to overwrite it"),
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "keep me");
    rejects(
        &["handout", "--batch", "301"],
        "--batch 301: this run has 300 mini-batches",
    );
    rejects(
        &["handout", "--batch", "0"],
        "'--batch <K>': must be at least 1",
    );
    rejects(
        &["handout", "-o", "tests/fixtures/no-such-dir/h.md"],
        "cannot write tests/fixtures/no-such-dir/h.md",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_changes() {
    rejects(
        &["train", "--change", "1:lr=0.1"],
        "--change: must be batch 2 or later",
    );
    rejects(
        &["train", "--change", "301:lr=0.1"],
        "--change: batch 301 is past the end of the run (300 batches)",
    );
    rejects(
        &["train", "--change", "5:lr=x"],
        "'--change <AT:lr=LR,batch=N>': lr \"x\" is not a number",
    );
    rejects(
        &["train", "--change", "5:lr=0"],
        "lr must be greater than 0",
    );
    rejects(
        &["train", "--change", "5:batch=0"],
        "batch size must be at least 1",
    );
    rejects(&["train", "--change", "5"], "missing ':'");
    rejects(
        &["train", "--change", "5:speed=2"],
        "\"speed=2\" is not lr=LR or batch=N",
    );
    rejects(
        &["train", "--change", "5:lr=0.1", "--change", "5:batch=3"],
        "batch 5 is not after the previous one",
    );
}

/// A build without the `serve` feature says how to get it instead of "unrecognized subcommand".
#[cfg(not(feature = "serve"))]
#[test]
fn serve_in_a_build_without_it() {
    rejects(&["serve"], "built without `serve`");
    rejects(
        &["--preset", "house", "serve", "--code", "4711"],
        "`cargo install gradstep` with its default features",
    );
}
