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
