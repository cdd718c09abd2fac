//! `gradstep serve`'s options: bad ones give one `error:` line and status 2; a port already taken
//! gives one line and status 1, before any screen.

mod serve_common;

use std::process::Command;

use serve_common::*;

fn serve(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .arg("serve")
        .args(args)
        .output()
        .expect("run gradstep");
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn bad_serve_options_are_one_line_and_status_2() {
    for (args, says) in [
        (&["--code", ""][..], "1 to 64 characters"),
        (&["--code", "a b"][..], "no spaces"),
        (&["--open", "--code", "12"][..], "cannot be used with"),
        (&["--max-students", "0"][..], "--max-students"),
        (&["--listen", "localhost"][..], "--listen"),
    ] {
        let (code, err) = serve(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(says),
            "{args:?}: {err}"
        );
    }
    // Without a terminal there is no explainer to serve from.
    let (code, err) = serve(&["--listen", "127.0.0.1:0"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn a_port_in_use_is_one_line_and_status_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let dir = temp_dir("serve-port");
    let listen = format!("127.0.0.1:{port}");
    let key = dir.join("key");
    let key = key.to_str().expect("utf-8 path");
    let args = ["serve", "--listen", &listen, "--host-key", key];
    let mut t = Term::spawn(env!("CARGO_BIN_EXE_gradstep"), &args, &[], (80, 24));
    let status = t.exit();
    assert_eq!(status.exit_code(), 1);
    let shown = t.parser.screen().contents();
    assert!(
        shown.contains(&format!("error: cannot listen on {listen}")),
        "{shown}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `gradstep serve` in a terminal with `args` (and a fresh host key unless one is given), and
/// `env`; ends with its exit status and what it showed.
fn serve_in_terminal(args: &[&str], env: &[(&str, &str)], dir: &std::path::Path) -> Term {
    let key = dir.join("key");
    let key = key.to_str().expect("utf-8 path");
    let port = free_port().to_string();
    let listen = format!("127.0.0.1:{port}");
    let mut all = vec!["serve", "--lang", "en", "--listen", &listen];
    if !args.contains(&"--host-key") {
        all.extend(["--host-key", key]);
    }
    all.extend(args);
    Term::spawn(env!("CARGO_BIN_EXE_gradstep"), &all, env, (100, 30))
}

/// Its single `error:` line and status 2.
fn refused(mut t: Term, says: &str) {
    let status = t.exit();
    let shown = t.parser.screen().contents();
    let errors: Vec<&str> = shown.lines().filter(|l| l.contains("error:")).collect();
    assert_eq!(status.exit_code(), 2, "{shown}");
    assert_eq!(errors.len(), 1, "{shown}");
    assert!(
        errors[0].starts_with("error: ") && errors[0].contains(says),
        "{shown}"
    );
}

#[test]
fn a_host_key_that_is_endless_or_huge_is_refused_after_a_bounded_read() {
    let dir = temp_dir("serve-hostkey-cap");
    let t = serve_in_terminal(&["--host-key", "/dev/zero"], &[], &dir);
    refused(t, "/dev/zero is longer than 64 KiB");
    let huge = dir.join("huge");
    std::fs::write(&huge, vec![b'x'; 5 << 20]).expect("a 5 MiB file");
    let huge = huge.to_str().expect("utf-8 path");
    refused(
        serve_in_terminal(&["--host-key", huge], &[], &dir),
        "longer than 64 KiB",
    );
    std::fs::write(dir.join("garbage"), "not a key").expect("a file");
    let garbage = dir.join("garbage");
    refused(
        serve_in_terminal(&["--host-key", garbage.to_str().expect("utf-8")], &[], &dir),
        "is not an OpenSSH private key",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether the command line of the process `pid` holds `text` (what `ps` shows to every user).
fn command_line_holds(pid: u32, text: &str) -> bool {
    let line = std::fs::read(format!("/proc/{pid}/cmdline")).expect("the command line");
    let line = String::from_utf8_lossy(&line).replace('\0', " ");
    assert!(line.contains("serve"), "{line}");
    line.contains(text)
}

#[test]
fn the_code_comes_from_a_file_the_environment_or_a_prompt_out_of_sight_of_ps() {
    let dir = temp_dir("serve-code-sources");
    let file = dir.join("code");
    std::fs::write(&file, "  271828\n").expect("the code file");
    let file = file.to_str().expect("utf-8 path");
    let mut from_file = serve_in_terminal(&["--code-file", file], &[], &dir);
    from_file.wait_for("class code: 271828");
    let pid = from_file.child.process_id().expect("pid");
    assert!(!command_line_holds(pid, "271828"));
    drop(from_file);

    let mut from_env = serve_in_terminal(&[], &[("GRADSTEP_CODE", "161803")], &dir);
    from_env.wait_for("class code: 161803");
    drop(from_env);

    let mut asked = serve_in_terminal(&["--ask-code"], &[], &dir);
    asked.wait_for("class code for the students");
    asked.send(b"141421\r");
    asked.wait_for("class code: 141421");
    let pid = asked.child.process_id().expect("pid");
    assert!(!command_line_holds(pid, "141421"));
    drop(asked);

    // --code still works, and shows in the command line: README says when not to use it.
    let mut given = serve_in_terminal(&["--code", "112358"], &[], &dir);
    given.wait_for("class code: 112358");
    let pid = given.child.process_id().expect("pid");
    assert!(command_line_holds(pid, "112358"));
    drop(given);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_codes_from_files_the_environment_or_the_prompt_are_one_line_and_status_2() {
    let dir = temp_dir("serve-code-errors");
    let spaced = dir.join("spaced");
    std::fs::write(&spaced, "a b\n").expect("a file");
    let empty = dir.join("empty");
    std::fs::write(&empty, "\n\n").expect("a file");
    let missing = dir.join("missing");
    for (args, env, says) in [
        (
            vec!["--code-file", "/dev/zero"],
            vec![],
            "--code-file /dev/zero: longer than 1024 bytes",
        ),
        (
            vec!["--code-file", spaced.to_str().expect("utf-8")],
            vec![],
            "no spaces",
        ),
        (
            vec!["--code-file", empty.to_str().expect("utf-8")],
            vec![],
            "1 to 64 characters",
        ),
        (
            vec!["--code-file", missing.to_str().expect("utf-8")],
            vec![],
            "cannot read it",
        ),
        (
            vec![],
            vec![("GRADSTEP_CODE", "")],
            "GRADSTEP_CODE: a class code has",
        ),
    ] {
        refused(serve_in_terminal(&args, &env, &dir), says);
    }
    let mut asked = serve_in_terminal(&["--ask-code"], &[], &dir);
    asked.wait_for("class code for the students");
    asked.send(b"\x1b");
    refused(asked, "--ask-code: no class code given");
    // Two sources at once are clap's one-line error (no terminal needed).
    let (code, err) = serve(&["--code", "1", "--code-file", "f"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.starts_with("error: ") && err.contains("cannot be used with"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
