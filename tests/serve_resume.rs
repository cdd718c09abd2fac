//! `gradstep serve --resume` reopens the class where it ended: the same run (its options as
//! saved), place and live changes, with students who reconnect landing there; `serve --at`
//! opens the class at a place.

mod serve_common;

use serve_common::*;

fn serve(port: u16, dir: &std::path::Path, extra: &[&str]) -> Term {
    let listen = format!("127.0.0.1:{port}");
    let key = dir.join("host_key");
    let key = key.to_str().expect("utf-8 path");
    let state = dir.join("state");
    let state = state.to_str().expect("utf-8 path");
    let mut args = vec!["serve", "--lang", "en", "--listen", &listen, "--code", CODE];
    args.extend(["--host-key", key]);
    args.extend(extra);
    let mut t = Term::spawn(
        env!("CARGO_BIN_EXE_gradstep"),
        &args,
        &[("XDG_STATE_HOME", state)],
        (100, 30),
    );
    t.wait_for("Students join with");
    t.send(b"x");
    t.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    t
}

/// The status line's place and settings, from "epoch" on (the badge before it differs).
fn status(t: &Term) -> String {
    let rows = t.rows();
    let row = &rows[rows.len() - 2];
    row[row.find("epoch").expect("the status line")..].to_string()
}

/// Epoch, batch and step, as the status line writes them.
fn place_of(status: &str) -> String {
    status.split("  ").take(3).collect::<Vec<_>>().join("  ")
}

/// Each key in turn, waiting for what it shows.
fn keys(t: &mut Term, plan: &[(&[u8], &str)]) {
    for (key, want) in plan {
        t.send(key);
        t.wait_for(want);
    }
}

/// The teacher steps on to step 4 and the student follows; then the teacher ends the lesson.
fn on_and_end(teacher: &mut Term, student: &mut Term) {
    teacher.send(b"\x1b[C");
    teacher.wait_for("step 4/");
    student.wait("the student to follow", |s| {
        s.contents().contains("step 4/")
    });
    teacher.send(b"q");
    teacher.wait_for("end the lesson? y/n");
    teacher.send(b"y");
    assert!(teacher.exit().success());
    assert!(student.exit().success());
}

#[test]
fn serve_resume_brings_the_class_back_and_at_opens_it_anywhere() {
    let dir = temp_dir("serve-resume");
    let port = free_port();
    // A run of batches of 5, three batches on, the learning rate raised live, two more steps.
    let mut teacher = serve(port, &dir, &["--batch-size", "5"]);
    keys(
        &mut teacher,
        &[
            (b"\x1b[B", "batch 2/"),
            (b"\x1b[B", "batch 3/"),
            (b"]", "→"),
            (b"\x1b[B", "batch 4/"),
            (b"\x1b[C", "step 2/"),
            (b"\x1b[C", "step 3/"),
        ],
    );
    let before = status(&teacher);
    assert!(before.contains("N 5"), "{before}");
    teacher.send(b"q");
    assert!(teacher.exit().success());

    // Back without the run's options: the class's place has them.
    let mut teacher = serve(port, &dir, &["--resume"]);
    teacher.wait_for("batch 4/");
    assert_eq!(status(&teacher), before);
    let mut ann = student(port, "ann", &dir, (100, 30));
    // The student's badge leaves less room on the status line: the place and the run's batch
    // size and learning rate, as the teacher has them.
    let place = place_of(&before);
    let lr = before
        .split("  ")
        .find(|p| p.starts_with("lr "))
        .expect("the lr")
        .to_string();
    ann.wait("the student at the teacher's place", |s| {
        let c = s.contents();
        c.contains(&place) && c.contains(&lr) && c.contains("X 5×2")
    });
    // And the run goes on from there for both.
    on_and_end(&mut teacher, &mut ann);

    // --at opens the class at batch 7, step 3 of the first epoch.
    let mut teacher = serve(port, &dir, &["--at", "1:7:3"]);
    teacher.wait_for("batch 7/");
    assert!(status(&teacher).contains("step 3/"), "{}", status(&teacher));
    let mut bo = student(port, "bo", &dir, (100, 30));
    let at = place_of(&status(&teacher));
    bo.wait("the student at batch 7", |s| s.contents().contains(&at));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The two-layer explainer's header row: the model, then epoch, batch and step.
fn two_layer_place(t: &Term) -> String {
    t.rows()
        .into_iter()
        .find(|r| r.contains("Two layers"))
        .expect("the header")
        .trim()
        .to_string()
}

#[test]
fn serve_resume_reopens_a_two_layer_class_at_its_place_with_the_same_numbers() {
    let dir = temp_dir("serve-resume-two-layer");
    let port = free_port();
    // Batch 3, by whole matrices, three steps on: the forward pass, L and δ are on screen.
    let mut teacher = serve(port, &dir, &["--preset", "two-layer"]);
    keys(
        &mut teacher,
        &[
            (b"\x1b[B", "batch 2/"),
            (b"\x1b[B", "batch 3/"),
            (b"g", "step 1/"),
            (b"\x1b[C", "step 2/"),
            (b"\x1b[C", "step 3/"),
        ],
    );
    let place = two_layer_place(&teacher);
    assert!(place.contains("relu · H = 3"), "{place}");
    // Everything above the hint line and the badge: the step's equations with their numbers
    // (not the notice that `Q` was pressed, which only the key shows, nor the blank rows it
    // takes its row from).
    let body = |contents: &str| {
        let rows = rows(contents, 30);
        rows[..rows.len() - 2]
            .iter()
            .filter(|r| !r.is_empty() && r.as_str() != "quiz on: Enter reveals")
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    // The whole frame is in once the panel's last line, L's value, is: ŷ = [0.454, 1.729,
    // 0.435], y = [0.6, 1.6, 1.4], l⁽¹⁾ = ½·0.146² ≈ 0.011,
    // L = ½(0.146² + 0.129² + 0.965²) = ½·0.969182 ≈ 0.485.
    let whole = "0.454    0.600    0.011    0.485";
    let before = body(&teacher.wait_settled(whole, |s| s.contents().contains(whole)));
    // The quiz on: L hidden, the badge and the class's box say so; the class's place keeps it.
    teacher.send(b"Q");
    let quizzed = body(&teacher.wait_settled("L hidden, and the box", |s| {
        let c = s.contents();
        !c.contains("0.485") && c.contains("quiz: Enter reveals") && c.contains("0 of 0 answered")
    }));
    assert_ne!(quizzed, before);
    teacher.send(b"q");
    assert!(teacher.exit().success());

    // `serve --resume` alone: the class's place holds the preset and the hidden layer.
    let mut teacher = serve(port, &dir, &["--resume"]);
    teacher.wait("the saved place's screen, quiz and all", |s| {
        body(&s.contents()) == quizzed
    });
    // Revealed: the same numbers as before the quiz hid them.
    teacher.send(b"\r");
    teacher.wait("the saved place's numbers", |s| {
        body(&s.contents()) == before
    });
    assert_eq!(two_layer_place(&teacher), place);
    // A student joining lands there too, and follows on.
    let mut ann = student(port, "ann", &dir, (100, 30));
    ann.wait("the student at the teacher's place", |s| {
        s.contents().contains(&place)
    });
    on_and_end(&mut teacher, &mut ann);
    let _ = std::fs::remove_dir_all(&dir);
}
