//! `gradstep serve --preset two-layer` against the real OpenSSH client on 127.0.0.1: two
//! students at 80×24 and 120×40 follow the teacher's steps and batch, each screen checked
//! against the two-layer explainer drawn by the library at the student's size after the same
//! keys (with the student's badge).
//! The teacher's quiz reaches them too: typed, judged and tallied as on the linear model.

mod serve_common;

use gradstep::cli::{RunArgs, build};
use gradstep::engine::mlp_session::MlpSession;
use gradstep::lesson::Lang;
use gradstep::preset::Preset;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;
use serve_common::*;

/// The two-layer preset's run, as the teacher's starts.
fn preset_run() -> MlpSession {
    let args = RunArgs {
        preset: Some(Preset::TwoLayer),
        ..RunArgs::default()
    };
    let run = build(&args).expect("the preset builds");
    let model = run.two_layer.clone().expect("a hidden layer");
    MlpSession::new(run.data.clone(), run.hyper.clone(), model).expect("run")
}

/// The two-layer explainer after `messages` with the student's `badge`, drawn at `size`, rows
/// without trailing blanks.
fn expected_two_layer(
    messages: &[Message],
    (cols, rows_n): (u16, u16),
    badge: Option<String>,
) -> Vec<String> {
    let session = preset_run();
    let mut app = TwoLayerApp::new(session, Lang::En, false, true);
    for m in messages {
        app.update(*m);
    }
    app.set_badge(badge);
    let backend = ratatui::backend::TestBackend::new(cols, rows_n);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| f.render_widget(&app, f.area()))
        .expect("draw");
    buffer_rows(terminal.backend().buffer())
        .iter()
        .map(|r| r.trim_end().to_string())
        .collect()
}

/// The follower's badge (`NAME: following (f: explore)`) at the end of the screen's last row.
fn badge_of(rows: &[String]) -> Option<String> {
    let last = rows.last()?.trim_end();
    last.ends_with(": following (f: explore)")
        .then(|| last.rsplit_once("  ").map(|(_, b)| b.to_string()))
        .flatten()
}

fn wait_for_two_layer(term: &mut Term, messages: &[Message], what: &str) {
    let size = term.size;
    term.wait(what, |s| {
        let shown: Vec<String> = rows(&s.contents(), size.1)
            .iter()
            .map(|r| r.trim_end().to_string())
            .collect();
        // The student's screen is the library's explainer with the student's own badge.
        shown == expected_two_layer(messages, size, badge_of(&shown))
    });
}

#[test]
fn students_follow_a_two_layer_teacher_at_their_own_sizes() {
    let dir = temp_dir("serve-two-layer");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &["--preset", "two-layer"]);
    let mut small = student(port, "ann", &dir, (80, 24));
    let mut large = student(port, "bo", &dir, (120, 40));
    wait_for_two_layer(&mut small, &[], "the first screen at 80x24");
    wait_for_two_layer(&mut large, &[], "the first screen at 120x40");
    teacher.wait_for("2 students");
    // The first key only hides the banner; then steps, a batch, and whole matrices.
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    let mut done = Vec::new();
    for (key, m) in [
        (&b"\x1b[C"[..], Message::NextStep),
        (b"\x1b[C", Message::NextStep),
        (b"\x1b[B", Message::NextBatch),
        (b"g", Message::ToggleGranularity),
        (b"\x1b[C", Message::NextStep),
    ] {
        teacher.send(key);
        done.push(m);
        let what = format!("{done:?}");
        wait_for_two_layer(&mut small, &done, &format!("{what} at 80x24"));
        wait_for_two_layer(&mut large, &done, &format!("{what} at 120x40"));
    }
    assert!(
        small.rows()[21..]
            .iter()
            .any(|r| r.contains("ann: following")),
        "{:?}",
        small.rows()
    );
    // q asks with students connected; y ends the lesson and lets both go.
    teacher.send(b"q");
    teacher.wait_for("end the lesson?");
    teacher.send(b"y");
    small.wait_for("ended");
    large.wait_for("ended");
    assert!(teacher.exit().success());
}

/// The two-layer quiz over SSH: the teacher asks δ₁⁽²⁾'s first unit of the preset's first batch,
/// two real `ssh` students type a right and a wrong prediction, and the teacher's box counts and
/// judges them.
#[test]
fn students_over_ssh_predict_a_two_layer_quiz_and_the_teacher_sees_1_of_2_right() {
    use gradstep::engine::mlp_session::MlpStep;
    let dir = temp_dir("serve-two-layer-quiz");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &["--preset", "two-layer"]);
    let mut ann = student(port, "ann", &dir, (100, 30));
    let mut bo = student(port, "bo", &dir, (100, 30));
    teacher.wait_for("2 students");
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    // Where sample 2's δ₁ is sent back, as the library counts the batch's steps.
    let session = preset_run();
    let steps = session.steps();
    let at = steps
        .iter()
        .position(|s| *s == MlpStep::SendBack { sample: 1 })
        .expect("the batch sends δ back by sample");
    teacher.send(b"Q");
    teacher.wait_for("quiz on");
    for k in 2..=at + 1 {
        teacher.send(b"\x1b[C");
        teacher.wait_for(&format!("step {k}/{}", steps.len()));
    }
    // The step asks σ′(z⁽²⁾)'s three units first, then δ₁⁽²⁾'s.
    teacher.send(b"eee");
    teacher.wait_for("Predict δ₁⁽²⁾[1]");
    ann.wait_for("Predict δ₁⁽²⁾[1] =");
    bo.wait_for("Predict δ₁⁽²⁾[1] =");
    // By hand (x = 1): z = [1, 0, 0], ŷ = 0.5, δ = 0.5 − 0.9 = −0.4, δ₁ = (δW₂ᵀ) ⊙ relu′(z) =
    // [−0.2, 0.2, −0.2] ⊙ [1, 0, 0] = [−0.2, 0, 0]. 0.2 is 0.4 off: wrong at one decimal.
    ann.send(b"-0.2\r");
    bo.send(b"0.2\r");
    teacher.wait_for("2 of 2 answered");
    teacher.send(b"\r");
    teacher.wait_for("1 of 2 right");
    teacher.wait_for("true δ₁⁽²⁾[1] = -0.200");
    ann.wait_for("δ₁⁽²⁾[1]: you -0.2 · true -0.200 ✓");
    bo.wait_for("δ₁⁽²⁾[1]: you 0.2 · true -0.200 ✗");
    teacher.send(b"q");
    teacher.wait_for("end the lesson?");
    teacher.send(b"y");
    assert!(teacher.exit().success());
    let _ = std::fs::remove_dir_all(&dir);
}
