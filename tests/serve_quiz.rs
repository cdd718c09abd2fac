//! The teacher's quiz box for a class: the entry the teacher chose, the count, the spread of the
//! answers as typed (lowest, a middle answer somebody typed, highest) and a histogram; after the
//! reveal the true value and how many were right by the rule of one in the last digit typed.
//! The box never covers a hidden result.

use std::sync::Arc;

use gradstep::cli::{RunArgs, build};
use gradstep::engine::Step;
use gradstep::lesson::{Lang, Lesson};
use gradstep::serve::teacher::{Join, Teacher};
use gradstep::serve::{self, gate::Access};
use gradstep::ui::{App, Host, Message, Teach, Theme, UiOptions};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

fn rows(buf: &Buffer) -> Vec<String> {
    let area = buf.area;
    (0..area.height)
        .map(|y| {
            let mut line = String::new();
            for x in 0..area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            line
        })
        .collect()
}

/// The teacher's screen: the explainer, then the host's boxes over it; also the frame before.
fn draw(app: &App, teacher: &Teacher, size: (u16, u16)) -> (Buffer, Buffer) {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    let before = terminal.backend().buffer().clone();
    let mut after = before.clone();
    teacher.overlay(app, after.area, &mut after);
    (before, after)
}

#[test]
fn the_quiz_box_counts_spreads_judges_and_keeps_clear_of_the_question() {
    let run = build(&RunArgs::default()).expect("run");
    let lesson = Lesson::embedded().expect("lesson");
    let options = UiOptions {
        lang: Lang::En,
        ..UiOptions::default()
    };
    let session = run.session().expect("session");
    let class = Arc::new(
        serve::class(
            &run,
            session.clone(),
            lesson.clone(),
            options.clone(),
            Access::Code("1".into()),
            10,
        )
        .expect("class"),
    );
    let mut app = App::new(session, lesson, &options, Theme::new(false));
    let mut teacher = Teacher::new(
        Arc::clone(&class),
        Join {
            command: "ssh -p 2222 host".into(),
            fingerprint: "SHA256:x".into(),
        },
    );
    // The banner goes with the first key.
    let x = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x'));
    assert!(teacher.key(&mut app, &x));
    app.update(Message::Teach(Teach::ToggleQuiz));
    while app.session().step() != Step::GradW {
        assert!(app.update(Message::NextStep), "the run has a gradient step");
    }
    assert!(app.hiding());
    // The teacher asks the second weight's gradient, not the first.
    app.update(Message::Teach(Teach::NextEntry));
    let truth = app.session().batch().grad_w[1];
    let question = (app.session().batch().global, Step::GradW);

    // Three students answer: to 2 decimals (within 0.005 of the truth: right), 0.5 off at one
    // decimal (wrong: more than 0.1), and the nearest integer (within 0.5 of it: right).
    let typed = [
        format!("{truth:.2}"),
        format!("{:.1}", truth + 0.5),
        format!("{truth:.0}"),
    ];
    let seats: Vec<_> = (0..3).map(|_| class.join().expect("a seat")).collect();
    for (seat, text) in seats.iter().zip(&typed) {
        let v: f64 = text.parse().expect("a number");
        let d = text.split_once('.').map_or(0, |(_, d)| d.len());
        class.answer(seat, question, v, d);
    }
    let mut by_value: Vec<&String> = typed.iter().collect();
    by_value.sort_by(|a, b| {
        let (a, b): (f64, f64) = (a.parse().expect("n"), b.parse().expect("n"));
        a.total_cmp(&b)
    });
    let spread = format!(
        "lowest {} · middle {} · highest {}",
        by_value[0], by_value[1], by_value[2]
    );

    for size in [(80, 24), (120, 40)] {
        let (before, after) = draw(&app, &teacher, size);
        let shown = rows(&after).join("\n");
        // The title whole, the key to ask another entry included.
        assert!(shown.contains("Predict ∂L/∂w₂ · e: next entry"), "{shown}");
        assert!(shown.contains("3 of 3 answered"), "{shown}");
        assert!(shown.contains(&spread), "{shown}");
        // Every hidden result of the frame is still in view.
        let hidden = before
            .area
            .positions()
            .filter(|p| before[*p].symbol() == "?")
            .count();
        assert!(hidden > 0, "the gradient step hides its result");
        for p in before.area.positions() {
            if before[p].symbol() == "?" {
                assert_eq!(after[p].symbol(), "?", "the box covers {p:?}:\n{shown}");
            }
        }
    }

    // Revealed: the true value at the screen's precision, and 2 of the 3 right.
    app.update(Message::Teach(Teach::Reveal));
    let (_, after) = draw(&app, &teacher, (120, 40));
    let shown = rows(&after).join("\n");
    let p = app.precision();
    let want = format!("true ∂L/∂w₂ = {}", gradstep::serve::quiz::shown(truth, p));
    assert!(shown.contains(&want), "{want}\n{shown}");
    assert!(shown.contains("2 of 3 right"), "{shown}");
    drop(seats);
}

mod serve_common;

/// The same over SSH: two real `ssh` students type predictions of the entry the teacher chose;
/// the teacher's box counts them, and after the reveal says how many were right, and each
/// student sees their own judged.
#[test]
fn students_over_ssh_predict_the_chosen_entry_and_the_teacher_sees_k_of_n_right() {
    use serve_common::*;
    let dir = temp_dir("serve-quiz");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &[]);
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    let mut ann = student(port, "ann", &dir, (100, 30));
    let mut bo = student(port, "bo", &dir, (100, 30));
    teacher.wait_for("2 students");
    // Whole matrices, the quiz on, on to the gradient of w, and its second entry asked.
    teacher.send(b"gQ");
    for k in 2..=5 {
        teacher.send(b"\x1b[C");
        teacher.wait_for(&format!("step {k}/7"));
    }
    teacher.send(b"e");
    teacher.wait_for("Predict ∂L/∂w₂");
    ann.wait_for("Predict ∂L/∂w₂ =");
    bo.wait_for("Predict ∂L/∂w₂ =");

    // The true value from the library's run, to type one right and one wrong answer.
    let run = build(&RunArgs::default()).expect("run");
    let truth = run.session().expect("session").batch().grad_w[1];
    let right = format!("{truth:.2}");
    let wrong = format!("{:.1}", truth + 0.5);
    ann.send(format!("{right}\r").as_bytes());
    bo.send(format!("{wrong}\r").as_bytes());
    teacher.wait_for("2 of 2 answered");
    teacher.send(b"\r");
    teacher.wait_for("1 of 2 right");
    let shown = teacher.parser.screen().contents();
    let want = format!("true ∂L/∂w₂ = {}", gradstep::serve::quiz::shown(truth, 3));
    assert!(shown.contains(&want), "{want}\n{shown}");
    ann.wait_for(&format!("you {right}"));
    assert!(ann.parser.screen().contents().contains('✓'));
    bo.wait_for(&format!("you {wrong}"));
    assert!(bo.parser.screen().contents().contains('✗'));
    let _ = std::fs::remove_dir_all(&dir);
}
