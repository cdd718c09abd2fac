//! `gradstep serve` against the real OpenSSH client, each program in its own pseudo-terminal, on
//! 127.0.0.1 only: joining with the code, following the teacher step by step (each screen checked
//! against the explainer drawn by the library at the student's size), going free and back, two
//! window sizes at once, and the refusals (wrong code, exec, sftp).

mod serve_common;

use gradstep::ui::Message;
use serve_common::*;

/// `n` steps forward.
fn steps(n: usize) -> Vec<Message> {
    vec![Message::NextStep; n]
}

/// Waits until `term` shows the explainer after `messages`, status badge aside.
fn wait_for_screen(term: &mut Term, messages: &[Message], what: &str) {
    let size = term.size;
    let want = without_badge(expected(messages, size));
    term.wait(what, |s| without_badge(rows(&s.contents(), size.1)) == want);
}

/// The same for a student following the teacher: their own keys in the hints.
fn wait_for_follower(term: &mut Term, messages: &[Message], what: &str) {
    let size = term.size;
    let want = without_badge(expected_following(messages, size));
    term.wait(what, |s| without_badge(rows(&s.contents(), size.1)) == want);
}

#[test]
fn students_follow_the_teacher_go_free_and_come_back_at_their_own_sizes() {
    let dir = temp_dir("serve-follow");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &[]);
    let mut small = student(port, "ann", &dir, (80, 24));
    let mut large = student(port, "bo", &dir, (120, 40));

    // Both see the run's first screen, at their own sizes, and the teacher counts them.
    wait_for_follower(&mut small, &[], "the first screen at 80x24");
    wait_for_follower(&mut large, &[], "the first screen at 120x40");
    assert!(
        small.rows()[22].starts_with("ann: following"),
        "{:?}",
        small.rows()[22]
    );
    teacher.wait_for("2 students");

    // The first key only hides the banner; then ten steps, each followed by both students.
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    for k in 1..=10 {
        teacher.send(b"\x1b[C");
        wait_for_follower(&mut small, &steps(k), &format!("step {k} at 80x24"));
        wait_for_follower(&mut large, &steps(k), &format!("step {k} at 120x40"));
    }
    // The teacher's own screen is the explainer's, unchanged by serving (but for the count).
    wait_for_screen(&mut teacher, &steps(10), "the teacher's step 10");

    // Free: the student's keys move their own explainer only.
    small.send(b"f");
    small.wait_for("exploring");
    small.send(b"\x1b[C\x1b[C");
    wait_for_screen(&mut small, &steps(12), "the student's own two steps");
    wait_for_follower(&mut large, &steps(10), "the other student, still following");
    wait_for_screen(
        &mut teacher,
        &steps(10),
        "the teacher, unmoved by a student",
    );
    // The teacher moves on; the free student stays where they are.
    teacher.send(b"\x1b[C");
    wait_for_follower(&mut large, &steps(11), "the follower at step 11");
    assert_eq!(
        without_badge(small.rows()),
        without_badge(expected(&steps(12), (80, 24)))
    );
    // Back to following: the teacher's place.
    small.send(b"f");
    wait_for_follower(&mut small, &steps(11), "back with the teacher");
    assert!(small.rows()[22].starts_with("ann: following"));

    // q leaves; the teacher's count follows and the teacher still answers keys.
    small.send(b"q");
    assert!(small.exit().success(), "ssh ends cleanly after q");
    teacher.wait_for("1 student ");
    teacher.send(b"\x1b[C");
    wait_for_follower(
        &mut large,
        &steps(12),
        "the remaining student after one left",
    );

    // The teacher quits (asked first, a student being connected): the student's terminal is
    // given back with a word of why.
    teacher.send(b"q");
    teacher.wait_for("end the lesson? y/n");
    teacher.send(b"y");
    assert!(teacher.exit().success());
    assert!(
        large.exit().success(),
        "ssh ends cleanly when the lesson ends"
    );
    let screen = large.parser.screen();
    assert!(!screen.alternate_screen() && !screen.hide_cursor());
    assert!(
        screen.contents().contains("the teacher ended the lesson"),
        "{}",
        screen.contents()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_code_an_exec_and_sftp_are_refused() {
    let dir = temp_dir("serve-refuse");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &[]);

    let mut wrong = client("ssh", port, "eve", "000000", &dir, (80, 24), &[]);
    let status = wrong.exit();
    assert!(!status.success());
    assert!(
        wrong
            .parser
            .screen()
            .contents()
            .contains("Permission denied"),
        "{}",
        wrong.parser.screen().contents()
    );

    let mut exec = client("ssh", port, "eve", CODE, &dir, (80, 24), &["ls", "/"]);
    let status = exec.exit();
    let shown = exec.parser.screen().contents();
    assert!(!status.success(), "{shown}");
    assert!(shown.contains("exec request failed"), "{shown}");
    assert!(!shown.contains("bin"), "{shown}");

    let mut sftp = client("sftp", port, "eve", CODE, &dir, (80, 24), &[]);
    let status = sftp.exit();
    let shown = sftp.parser.screen().contents();
    assert!(!status.success(), "{shown}");
    assert!(shown.contains("subsystem request failed"), "{shown}");

    // Port forwarding either way: the remote one is refused outright, the local one's channel
    // is refused when something connects to it (the session itself stays).
    let mut remote = client(
        "ssh",
        port,
        "eve",
        CODE,
        &dir,
        (80, 24),
        &[
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-R",
            "0:127.0.0.1:9",
        ],
    );
    let status = remote.exit();
    let shown = remote.parser.screen().contents();
    assert!(!status.success(), "{shown}");
    assert!(shown.contains("remote port forwarding failed"), "{shown}");

    let local_port = free_port();
    let forward = format!("{local_port}:127.0.0.1:{port}");
    let mut local = client(
        "ssh",
        port,
        "eve",
        CODE,
        &dir,
        (80, 24),
        &["-N", "-L", &forward],
    );
    let deadline = std::time::Instant::now() + TIMEOUT;
    let mut through = loop {
        if let Ok(s) = std::net::TcpStream::connect(("127.0.0.1", local_port)) {
            break s;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the local forward never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    through
        .set_read_timeout(Some(TIMEOUT))
        .expect("read timeout");
    let mut buf = [0u8; 64];
    // The forward points at this very server: had it been opened, its SSH banner would arrive.
    let got = std::io::Read::read(&mut through, &mut buf).unwrap_or(0);
    assert_eq!(
        got,
        0,
        "bytes came through a refused forward: {:?}",
        &buf[..got]
    );
    assert!(
        local.child.try_wait().expect("status").is_none(),
        "ssh itself gave up"
    );
    drop(local);

    // None of them counted as a student, and the teacher's explainer still steps.
    teacher.send(b"x");
    teacher.send(b"\x1b[C");
    teacher.wait("a step", |s| s.contents().contains("step 2/"));
    assert!(teacher.parser.screen().contents().contains("0 students"));
    // The help brings back how to join, with the code; closing it hides both again.
    teacher.send(b"?");
    // A frame can arrive in pieces: wait for the box's last line, not its first.
    let code_line = format!("class code: {CODE}");
    teacher.wait("the join box", |s| s.contents().contains(&code_line));
    let shown = teacher.parser.screen().contents();
    assert!(shown.contains("Students join with"), "{shown}");
    assert!(
        shown.contains(&format!("ssh -p {port} 127.0.0.1")),
        "{shown}"
    );
    teacher.send(b"?");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_open_class_takes_no_code_speaks_the_students_language_and_turns_away_the_extra() {
    let dir = temp_dir("serve-open");
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let key = dir.join("host_key");
    let key = key.to_str().expect("utf-8 path");
    let args = [
        "serve",
        "--lang",
        "en",
        "--listen",
        &listen,
        "--open",
        "--max-students",
        "1",
        "--host-key",
        key,
    ];
    let mut teacher = Term::spawn(env!("CARGO_BIN_EXE_gradstep"), &args, &[], (100, 30));
    teacher.wait_for("open class");

    let home = dir.to_str().expect("utf-8 path");
    let mut ssh = ssh_args(port, "lin", "ssh");
    ssh.splice(0..0, ["-o".to_string(), "SendEnv=LANG".to_string()]);
    let ssh: Vec<&str> = ssh.iter().map(String::as_str).collect();
    let env = [("HOME", home), ("LANG", "zh_CN.UTF-8")];
    let mut zh = Term::spawn("ssh", &ssh, &env, (80, 24));
    zh.wait_for("跟随老师");
    teacher.wait_for("1 student ");

    // The class holds one: the next is told so, and the first is not disturbed.
    let mut extra = Term::spawn("ssh", &ssh, &env, (80, 24));
    extra.wait_for("课堂已满");
    assert!(!extra.exit().success());
    teacher.send(b"x");
    teacher.send(b"\x1b[C");
    teacher.wait("a step", |s| s.contents().contains("step 2/"));
    zh.wait("the student to follow", |s| s.contents().contains("2/27"));
    let _ = std::fs::remove_dir_all(&dir);
}
