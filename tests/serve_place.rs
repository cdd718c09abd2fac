//! The class's place under `serve`: kept in a file of its own beside the projector's, readable
//! by the teacher alone, and without the class code.

mod serve_common;

use std::os::unix::fs::PermissionsExt;

use serve_common::*;

#[test]
fn serve_keeps_its_place_apart_private_and_without_the_code() {
    let dir = temp_dir("serve-place");
    let state = dir.join("state");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let key = dir.join("host_key");
    let key = key.to_str().expect("utf-8 path");
    let state_env = state.to_str().expect("utf-8 path");
    let args = [
        "serve",
        "--lang",
        "en",
        "--listen",
        &listen,
        "--code",
        CODE,
        "--host-key",
        key,
    ];
    let mut teacher = Term::spawn(
        env!("CARGO_BIN_EXE_gradstep"),
        &args,
        &[("XDG_STATE_HOME", state_env)],
        (100, 30),
    );
    teacher.wait_for("Students join with");
    // The first key puts the join banner away.
    teacher.send(b"\x1b[C");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    teacher.send(b"\x1b[C");
    teacher.wait_for("step 2/");
    teacher.send(b"q");
    assert!(teacher.exit().success());
    let class = state.join("gradstep/serve-place.json");
    let text = std::fs::read_to_string(&class).expect("the class's place");
    assert!(!text.contains(CODE), "{text}");
    assert!(text.contains("\"serve\""), "{text}");
    let mode = std::fs::metadata(&class).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode.ok(), Some(0o600));
    // The projector's place is not touched.
    assert!(!state.join("gradstep/place.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
