//! The lesson survives the teacher's keyboard: with students connected, `q` and Ctrl-C ask
//! first (y ends, n and Esc go back), in the teacher's language and with the count in the
//! singular for one; a signal still ends at once; students are told in their own language.

mod serve_common;

use serve_common::*;

#[test]
fn quitting_with_students_asks_first_and_signals_do_not() {
    let dir = temp_dir("serve-quit");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &[]);
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    let mut ann = student(port, "ann", &dir, (80, 24));
    teacher.wait_for("1 student ");

    // q asks, with one student in the singular; n goes back and the run still steps.
    teacher.send(b"q");
    teacher.wait_for("1 student is connected: end the lesson? y/n");
    teacher.send(b"n");
    teacher.wait("the question to go", |s| {
        !s.contents().contains("end the lesson?")
    });
    teacher.send(b"\x1b[C");
    teacher.wait_for("step 2/");
    ann.wait("the student to follow", |s| s.contents().contains("2/27"));

    // Two students, in Chinese: Ctrl-C asks in Chinese; keys other than y/n change nothing;
    // Esc goes back.
    let home = dir.to_str().expect("utf-8 path");
    let mut ssh = ssh_args(port, "lin", "ssh");
    ssh.splice(0..0, ["-o".to_string(), "SendEnv=LANG".to_string()]);
    let ssh: Vec<&str> = ssh.iter().map(String::as_str).collect();
    let mut lin = Term::spawn(
        "ssh",
        &ssh,
        &[("HOME", home), ("LANG", "zh_CN.UTF-8")],
        (80, 24),
    );
    lin.wait("the password prompt", |s| {
        s.contents().to_lowercase().contains("password:")
    });
    lin.send(format!("{CODE}\r").as_bytes());
    lin.wait_for("跟随老师");
    teacher.wait_for("2 students ");
    teacher.send(b"L");
    teacher.wait_for("学生 2 名");
    teacher.send(b"\x03");
    teacher.wait_for("还有 2 名学生在线：结束本课吗？y/n");
    teacher.send(b"\x1b[C");
    teacher.send(b"\x1b");
    teacher.wait("the question to go", |s| {
        !s.contents().contains("结束本课吗")
    });
    assert!(teacher.parser.screen().contents().contains("2/27"));
    assert!(teacher.child.try_wait().expect("status").is_none());

    // y ends the lesson: both students are let go, each told in their own language.
    teacher.send(b"q");
    teacher.wait_for("结束本课吗");
    teacher.send(b"y");
    assert!(teacher.exit().success());
    assert!(ann.exit().success());
    assert!(
        ann.parser
            .screen()
            .contents()
            .contains("the teacher ended the lesson"),
        "{}",
        ann.parser.screen().contents()
    );
    assert!(lin.exit().success());
    assert!(
        lin.parser.screen().contents().contains("老师结束了本课"),
        "{}",
        lin.parser.screen().contents()
    );

    // A signal ends at once, students or not.
    let mut teacher = serve_common::teacher(port, &dir, &[]);
    teacher.send(b"x");
    let _ann = student(port, "ann", &dir, (80, 24));
    teacher.wait_for("1 student ");
    let pid = teacher.child.process_id().expect("the teacher's pid");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = teacher.exit();
    assert_eq!(status.exit_code(), 143, "SIGTERM ends at once: 128 + 15");
    let _ = std::fs::remove_dir_all(&dir);
}
