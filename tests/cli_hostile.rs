//! Input as an adversary would give it: counts that overflow, sizes that do not fit, files that
//! are not files, line endings of every kind, names that need quoting, control characters,
//! endless devices and full disks. Each ends in one clear `error:` (exit 2 for bad input, 1 for
//! a failed write) or in the right result; never a panic, a wrap-around or a hang.

mod cli_common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::Command;

use cli_common::{fails_with, rejects, run, run_into, scratch, write};

#[test]
fn counts_whose_products_overflow_are_refused_up_front() {
    // 2⁶⁴ − 1 epochs of 2 batches: the product does not fit in 64 bits.
    rejects(
        &[
            "train",
            "--preset",
            "tiny",
            "--epochs",
            "18446744073709551615",
        ],
        "--epochs 18446744073709551615: with 2 mini-batches per epoch that is more than 1000000000000",
    );
    // 2⁶³ × 2 wraps to 0 in 64 bits: the trace must not print nothing and succeed.
    rejects(
        &[
            "trace",
            "--preset",
            "tiny",
            "--epochs",
            "9223372036854775808",
        ],
        "--epochs 9223372036854775808",
    );
    rejects(
        &["sweep", "--preset", "tiny", "--epochs", "1000000000"],
        "sweep prints a column per epoch, at most 1000",
    );
    // 10¹¹ batches of 1000 rows are allowed; a batch size of 1 from batch 2 on makes 10¹⁴.
    rejects(
        &[
            "train",
            "--epochs",
            "100000000000",
            "--batch-size",
            "1000",
            "--change",
            "2:batch=1",
        ],
        "--change: the smaller batch size makes the run longer than 1000000000000",
    );
}

#[test]
fn sizes_that_do_not_fit_in_memory_are_refused_before_allocating() {
    for samples in [
        "9223372036854775808",
        "100000000000",
        "18446744073709551615",
    ] {
        for command in ["train", "data", "trace"] {
            rejects(
                &[command, "--samples", samples],
                &format!("--samples: {samples} rows of 2 features is more than the 33554432"),
            );
        }
    }
    // 2²⁷ numbers, 4 a row (2 features, the target, the row's place in the shuffle): 2²⁵ rows
    // fit, one more does not.
    rejects(&["data", "--samples", "33554433"], "--samples");
}

#[test]
fn the_explainers_history_is_bounded() {
    // 2 × 10⁸ batches are fine for `train`, but stepping through them would keep a record of each.
    rejects(
        &["handout", "--preset", "tiny", "--epochs", "100000000"],
        "this run has 200000000 mini-batches, and stepping through it keeps",
    );
}

#[test]
fn generated_data_that_overflows_is_refused() {
    rejects(
        &["train", "--true-w", "1e308,1e308"],
        "the generated target of row",
    );
    rejects(
        &["data", "--noise", "1e308", "--samples", "100"],
        "not a finite number",
    );
}

#[test]
fn precision_matches_what_the_display_can_show() {
    for bad in ["-1", "9", "12", "x"] {
        rejects(&["train", "--precision", bad], "0 to 8");
    }
    let out = run(&["handout", "--preset", "tiny", "--precision", "8"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn clap_errors_keep_their_details_on_one_line() {
    rejects(
        &["completions"],
        "the following required arguments were not provided: <SHELL>",
    );
    rejects(
        &["--objective", "MEAN"],
        "invalid value 'MEAN' for '--objective <OBJECTIVE>' [possible values: sum, mean, sum-nodiv]",
    );
    rejects(
        &["--preset", "bogus"],
        "possible values: d2l, house, tiny, zero-init",
    );
    rejects(&["--init", "huge"], "possible values: normal, zeros, large");
    rejects(
        &["--objektive", "sum"],
        "unexpected argument '--objektive' found (a similar argument exists: '--objective')",
    );
}

#[test]
fn large_values_print_in_scientific_notation() {
    let out = run(&["train", "--true-w", "1e12", "--noise", "0"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("true [1e12]"), "{stdout}");
    // No wall of digits: at most 9 before a decimal point or an exponent.
    let longest = stdout
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max();
    assert!(longest.is_some_and(|n| n <= 9), "{stdout}");
    let out = run(&[
        "sweep", "--preset", "tiny", "--epochs", "1", "--lrs", "1e300",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("1e300 ")),
        "{stdout}"
    );
}

#[test]
fn only_regular_files_are_replaced_and_they_keep_their_mode() {
    let dir = scratch("targets");
    let fifo = dir.join("pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let fifo_s = fifo.to_str().expect("utf-8");
    for force in [false, true] {
        let mut args = vec!["handout", "--preset", "tiny", "-o", fifo_s];
        if force {
            args.push("--force");
        }
        rejects(
            &args,
            &format!("{fifo_s} is a FIFO (named pipe), not a regular file"),
        );
        let kind = std::fs::symlink_metadata(&fifo)
            .expect("still there")
            .file_type();
        assert!(kind.is_fifo(), "the FIFO is left alone");
    }
    rejects(
        &["handout", "--preset", "tiny", "-o", "/dev/null", "--force"],
        "/dev/null is a device, not a regular file",
    );
    let null = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(
        null.file_type().is_char_device(),
        "the device is left alone"
    );
    let sub = dir.join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    rejects(
        &[
            "handout",
            "--preset",
            "tiny",
            "-o",
            sub.to_str().expect("utf-8"),
            "--force",
        ],
        "is a directory, not a regular file",
    );
    let slash = format!("{}/new.md/", dir.display());
    rejects(
        &["handout", "--preset", "tiny", "-o", &slash],
        &format!("{slash} ends with '/', so it names a directory"),
    );

    let private = dir.join("private.md");
    let private_s = write(&private, b"old");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = run(&["handout", "--preset", "tiny", "-o", &private_s, "--force"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&private).expect("written");
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&private).expect("read");
    assert!(text.len() > 100 && text != "old");
    // Nothing but what the test made: no temporary file left behind.
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["pipe.md", "private.md", "sub"]);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_failed_write_exits_1_everywhere() {
    for args in [
        &["trace", "--preset", "tiny"][..],
        &["data", "--preset", "tiny"],
        &["train", "--preset", "tiny"],
        &["handout", "--preset", "tiny"],
        &["lesson"],
        &["--help"],
        &["--version"],
    ] {
        let out = run_into(args, "/dev/full");
        fails_with(
            &out,
            1,
            "cannot write output",
            &format!("{args:?} > /dev/full"),
        );
    }
}

#[test]
fn csv_errors_name_the_physical_line_whatever_the_line_endings() {
    let dir = scratch("lines");
    let cases: [(&str, &[u8], usize); 5] = [
        ("lf", b"a,b,y\n1,2,3\n4,x,6\n", 3),
        ("crlf", b"a,b,y\r\n1,2,3\r\n4,x,6\r\n", 3),
        ("cr", b"a,b,y\r1,2,3\r4,x,6\r", 3),
        ("blank", b"a,b,y\n1,2,3\n\n\n4,x,6\n", 5),
        ("quoted", b"a,b,y\n\"1\n\",2,3\n4,x,6\n", 4),
    ];
    for (name, bytes, line) in cases {
        let path = write(&dir.join(format!("{name}.csv")), bytes);
        rejects(
            &["train", "--data", &path],
            &format!("{path}: line {line}, column 2 (\"b\"): \"x\" is not a number"),
        );
    }
    let ragged = write(&dir.join("ragged.csv"), b"a,b,y\r\n\r\n1,2,3\r\n4,5\r\n");
    rejects(&["train", "--data", &ragged], "line 4: expected 3 fields");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_header_row_is_required_and_names_each_column_once() {
    let dir = scratch("headers");
    let numbers = write(&dir.join("numbers.csv"), b"1,2,3\n4,5,6\n");
    rejects(
        &["train", "--data", &numbers],
        "line 1 holds only numbers, so it has no header row; add a first line naming the columns, e.g. x1,x2,y",
    );
    let twice = write(&dir.join("twice.csv"), b"a,b,a\n1,2,3\n");
    rejects(
        &["train", "--data", &twice, "--target", "a"],
        "line 1: columns 1 and 3 are both named \"a\"",
    );
    let unnamed = write(&dir.join("unnamed.csv"), b"a,,y\n1,2,3\n");
    rejects(
        &["train", "--data", &unnamed],
        "line 1: column 2 has no name",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn data_round_trips_names_that_need_quoting() {
    let dir = scratch("round-trip");
    let names = ["area, m²", "say \"hi\"", "price"];
    let source = write(
        &dir.join("in.csv"),
        "\"area, m²\",\"say \"\"hi\"\"\",price\n100,1,200\n80,2,158\n120,0,243\n".as_bytes(),
    );
    let first = run(&["data", "--data", &source]);
    assert_eq!(first.status.code(), Some(0));
    let copy = dir.join("copy.csv");
    let copy_s = write(&copy, &first.stdout);
    // Read back by the csv crate, independently of gradstep's loader.
    let mut reader = csv::Reader::from_path(&copy).expect("read back");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(header, names);
    let rows: Vec<Vec<f64>> = reader
        .records()
        .map(|r| {
            r.expect("record")
                .iter()
                .map(|v| v.parse().expect("number"))
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [[100.0, 1.0, 200.0], [80.0, 2.0, 158.0], [120.0, 0.0, 243.0]]
    );
    // And by gradstep itself: the copy trains and writes back byte for byte.
    let again = run(&["data", "--data", &copy_s]);
    assert_eq!(again.stdout, first.stdout);
    let trained = run(&[
        "train",
        "--data",
        &copy_s,
        "--target",
        "say \"hi\"",
        "--epochs",
        "1",
    ]);
    assert_eq!(trained.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn endless_inputs_are_read_only_up_to_a_limit() {
    rejects(
        &["train", "--lesson", "/dev/zero"],
        "/dev/zero is larger than 4 MiB",
    );
    rejects(
        &["train", "--data", "/dev/zero"],
        "/dev/zero is larger than 256 MiB",
    );
}

#[test]
fn lesson_files_refuse_control_characters_and_name_their_line() {
    let dir = scratch("lesson");
    let embedded = gradstep::lesson::EMBEDDED;
    let title = embedded
        .lines()
        .position(|l| l.starts_with("title"))
        .expect("a step title");
    let mut lines: Vec<String> = embedded.lines().map(String::from).collect();
    // A raw ESC that would clear the screen of whoever opens the handout.
    lines[title] = lines[title].replacen('"', "\"\u{1b}[2J", 1);
    let raw = write(&dir.join("raw.toml"), lines.join("\n").as_bytes());
    rejects(
        &["train", "--lesson", &raw],
        &format!(
            "{raw}: line {}: control character U+001B is not allowed",
            title + 1
        ),
    );
    // The same character written as a TOML escape reaches the text after decoding.
    let escaped = embedded.replacen("title.en = \"", "title.en = \"\\u0007", 1);
    let escaped = write(&dir.join("escaped.toml"), escaped.as_bytes());
    rejects(&["train", "--lesson", &escaped], "control character U+0007");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_formula_in_a_multi_line_string_names_its_own_line() {
    let dir = scratch("formula");
    let embedded = gradstep::lesson::EMBEDDED;
    let at = embedded
        .lines()
        .position(|l| l.starts_with("latex = '\\hat{y} = Xw + b'"))
        .expect("the forward formula");
    let mut lines: Vec<String> = embedded.lines().map(String::from).collect();
    lines[at] = "latex = '''\n\\hat{y}\n= Xw\n+ \\bogus{b}'''".into();
    let file = write(&dir.join("formula.toml"), lines.join("\n").as_bytes());
    // The string opens on line at + 1; its third line of text is three lines further down.
    rejects(
        &["train", "--lesson", &file],
        &format!("{file}: line {}: formula", at + 4),
    );
    let _ = std::fs::remove_dir_all(dir);
}
