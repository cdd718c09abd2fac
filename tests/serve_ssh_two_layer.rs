//! `gradstep serve --preset two-layer` against the real OpenSSH client on 127.0.0.1: two
//! students at 80×24 and 120×40 follow the teacher's steps and batch, each screen checked
//! against the two-layer explainer drawn by the library at the student's size after the same
//! keys (with the student's badge).

mod serve_common;

use gradstep::cli::{RunArgs, build};
use gradstep::data::Preset;
use gradstep::engine::mlp_session::MlpSession;
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;
use serve_common::*;

/// The two-layer explainer after `messages` with the student's `badge`, drawn at `size`, rows
/// without trailing blanks.
fn expected_two_layer(
    messages: &[Message],
    (cols, rows_n): (u16, u16),
    badge: Option<String>,
) -> Vec<String> {
    let args = RunArgs {
        preset: Some(Preset::TwoLayer),
        ..RunArgs::default()
    };
    let run = build(&args).expect("the preset builds");
    let model = run.two_layer.clone().expect("a hidden layer");
    let session = MlpSession::new(run.data.clone(), run.hyper.clone(), model).expect("run");
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
