//! `ssh -p PORT name@host handout > batch.md`: a student takes the teacher's current batch home
//! as the Markdown handout, with nothing to install, authenticated with the class code; every
//! other command stays refused.

mod serve_common;

use serve_common::*;

/// `ssh … COMMAND > out` typed in a shell in a pseudo-terminal (the password prompt is the
/// terminal's), the class code typed at the prompt; the exit status.
fn ssh_to_file(port: u16, command: &str, out: &std::path::Path, home: &std::path::Path) -> bool {
    let mut args = ssh_args(port, "ann", "ssh");
    args.retain(|a| a != "-t");
    let line = format!(
        "exec ssh {} '{command}' > '{}'",
        args.join(" "),
        out.display()
    );
    let home = home.to_str().expect("utf-8 path");
    let mut t = Term::spawn(
        "sh",
        &["-c", &line],
        &[("HOME", home), ("LANG", "C.UTF-8")],
        (80, 24),
    );
    t.wait("the password prompt", |s| {
        s.contents().to_lowercase().contains("password:")
    });
    t.send(format!("{CODE}\r").as_bytes());
    t.exit().success()
}

#[test]
fn a_student_fetches_the_teachers_batch_as_the_handout_over_ssh() {
    let dir = temp_dir("serve-handout");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &["--precision", "5"]);
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    // The teacher goes to the third mini-batch.
    teacher.send(b"\x1b[B");
    teacher.wait_for("batch 2/");
    teacher.send(b"\x1b[B");
    teacher.wait_for("batch 3/");

    let out = dir.join("batch.md");
    assert!(ssh_to_file(port, "handout", &out, &dir));
    let got = std::fs::read_to_string(&out).expect("the handout");
    // The second route: `gradstep handout` for the same batch and precision.
    let want = std::process::Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args([
            "handout",
            "--batch",
            "3",
            "--precision",
            "5",
            "--lang",
            "en",
        ])
        .env("XDG_STATE_HOME", dir.join("state"))
        .output()
        .expect("gradstep handout");
    assert!(want.status.success());
    let want = String::from_utf8(want.stdout).expect("utf-8");
    assert!(
        want.contains("batch 3") || want.contains("Batch 3"),
        "{want}"
    );
    assert_eq!(got, want);

    // Nothing else runs: not the handout with arguments, not a shell command.
    let other = dir.join("other.md");
    assert!(!ssh_to_file(port, "handout --batch 1", &other, &dir));
    assert_eq!(std::fs::read_to_string(&other).unwrap_or_default(), "");
    assert!(!ssh_to_file(port, "cat /etc/passwd", &other, &dir));
    assert_eq!(std::fs::read_to_string(&other).unwrap_or_default(), "");
    // Fetching the handout takes no seat in the class.
    assert!(teacher.parser.screen().contents().contains("0 students"));
    let _ = std::fs::remove_dir_all(&dir);
}
