//! Follow mode and the live quiz without a network: a student's explainer put at the teacher's
//! place must compute the very numbers the teacher's does (the student's run rebuilt from the
//! settings changes, the teacher's changed in place), share the data set, and take predictions.

use std::sync::Arc;

use gradstep::cli::{RunArgs, build};
use gradstep::engine::{Granularity, Step};
use gradstep::lesson::{Lang, Lesson};
use gradstep::serve::class::Class;
use gradstep::serve::desk::Setup;
use gradstep::serve::follow::{Lead, follow};
use gradstep::serve::gate::Access;
use gradstep::serve::quiz::{asked, spread};
use gradstep::serve::student::Student;
use gradstep::serve::{self};
use gradstep::ui::{App, Message, Teach, Theme, UiOptions, View};

fn options() -> UiOptions {
    UiOptions {
        lang: Lang::En,
        seed: 42,
        ..UiOptions::default()
    }
}

fn teacher_and_class() -> (App, Arc<Class>) {
    class_of(&RunArgs::default())
}

fn student_app(class: &Class) -> App {
    App::new(
        class.start.clone(),
        class.lesson.clone(),
        &options(),
        Theme::new(false),
    )
}

#[test]
fn a_follower_computes_the_teachers_numbers_through_live_setting_changes() {
    let (mut teacher, class) = teacher_and_class();
    let mut student = student_app(&class);
    let plan = [
        Message::NextBatch,
        Message::NextBatch,
        Message::NextBatch,
        Message::LrUp,
        Message::NextBatch,
        Message::NextStep,
        Message::BatchUp,
        Message::NextBatch,
        Message::NextBatch,
        Message::NextStep,
        Message::NextStep,
    ];
    for m in plan {
        teacher.update(m);
        follow(&mut student, &Lead::of(&teacher), &class.pristine);
        let (t, s) = (teacher.session(), student.session());
        assert_eq!(s.segments(), t.segments(), "after {m:?}");
        assert_eq!(s.batch(), t.batch(), "after {m:?}");
        assert_eq!(s.steps().1, t.steps().1, "after {m:?}");
    }
    // The change of learning rate and batch size did happen, and is in the numbers followed.
    let b = student.session().batch();
    assert_ne!(b.hyper.lr, class.start.batch().hyper.lr);
    assert_ne!(b.rows(), class.start.batch().rows());
    // Going back before the changes shows the old settings, as for the teacher.
    teacher.update(Message::First);
    follow(&mut student, &Lead::of(&teacher), &class.pristine);
    assert_eq!(student.session().batch(), class.start.batch());
}

#[test]
fn a_follower_takes_the_teachers_view_granularity_and_quiz() {
    let (mut teacher, class) = teacher_and_class();
    let mut student = student_app(&class);
    for m in [
        Message::Teach(Teach::ToggleQuiz),
        Message::ToggleGranularity,
        Message::NextStep,
        Message::NextStep,
    ] {
        teacher.update(m);
    }
    follow(&mut student, &Lead::of(&teacher), &class.pristine);
    assert_eq!(student.session().granularity(), Granularity::Matrix);
    assert_ne!(teacher.session().granularity(), Granularity::default());
    assert!(student.quiz() && teacher.hiding() && student.hiding());
    teacher.update(Message::Teach(Teach::Reveal));
    follow(&mut student, &Lead::of(&teacher), &class.pristine);
    assert!(!teacher.hiding() && !student.hiding());
    teacher.update(Message::CycleView);
    follow(&mut student, &Lead::of(&teacher), &class.pristine);
    assert_eq!(student.view(), View::Pictures);
}

#[test]
fn the_asked_value_is_the_steps_output_computed_by_hand() {
    let (teacher, class) = teacher_and_class();
    let data = class.start.data();
    let b = teacher.session().batch();
    let w: Vec<f64> = b.w.iter().copied().collect();
    let by_hand = |row: usize| -> f64 {
        let x = data.row(b.indices[row]);
        x.iter().zip(&w).map(|(x, w)| x * w).sum::<f64>() + b.b
    };
    let y = |row: usize| data.y()[b.indices[row]];
    let a = asked(Step::ForwardSample { sample: 2 }, b).expect("asked");
    assert_eq!(a.name(Lang::En, false), "ŷ⁽³⁾");
    assert!((a.value - by_hand(2)).abs() < 1e-12);
    let loss: f64 = (0..b.rows())
        .map(|i| 0.5 * (by_hand(i) - y(i)).powi(2))
        .sum();
    let a = asked(Step::Loss, b).expect("asked");
    assert!((a.value - loss).abs() < 1e-9 * loss.max(1.0));
    let grad_b: f64 = (0..b.rows()).map(|i| by_hand(i) - y(i)).sum();
    let a = asked(Step::GradB, b).expect("asked");
    assert_eq!(a.name(Lang::En, false), "∂L/∂b");
    assert!((a.value - grad_b).abs() < 1e-9);
    assert_eq!(asked(Step::Draw, b), None);
}

fn screen(bytes: &[u8], parser: &mut vt100::Parser) -> String {
    parser.process(bytes);
    parser.screen().contents()
}

#[test]
fn a_student_shares_the_data_types_a_prediction_and_sees_it_judged() {
    let (mut teacher, class) = teacher_and_class();
    let setup = Setup {
        user: "ann\u{7}".into(),
        size: (80, 24),
        lang: Lang::En,
        color: false,
    };
    let seat = class.join().expect("a seat");
    let mut student = Student::new(Arc::clone(&class), seat, &setup).expect("student");
    assert!(
        student
            .app()
            .session()
            .data()
            .shares_storage(class.start.data())
    );
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    let first = screen(&student.frame().expect("frame"), &mut parser);
    assert!(first.contains("ann: following"), "{first}");

    // Following, a key that moves does not move: it says how to explore instead.
    let at = student.app().session().steps().1;
    assert!(student.bytes_in(b"\x1b[C"));
    assert_eq!(student.app().session().steps().1, at);
    let hinted = screen(&student.frame().expect("frame"), &mut parser);
    assert!(hinted.contains("press f to explore"), "{hinted}");

    // The teacher's quiz hides ŷ⁽¹⁾: the student's line asks for it and takes a number.
    for m in [Message::Teach(Teach::ToggleQuiz), Message::NextStep] {
        teacher.update(m);
    }
    assert!(teacher.hiding());
    student.teacher_moved(Arc::new(Lead::of(&teacher)));
    assert!(student.bytes_in(b"x1.5z\r"));
    let question = (0, teacher.session().step());
    assert_eq!(class.answers(question), vec![1.5]);
    let s = spread(&class.answers(question), 4).expect("spread");
    assert_eq!((s.count, s.median), (1, 1.5));
    let asking = screen(&student.frame().expect("frame"), &mut parser);
    assert!(asking.contains("Your prediction of ŷ⁽¹⁾ = 1.5"), "{asking}");

    // Revealed: the answer beside the true value, judged at the precision shown (3).
    teacher.update(Message::Teach(Teach::Reveal));
    student.teacher_moved(Arc::new(Lead::of(&teacher)));
    let truth = teacher.session().batch().y_hat[0];
    let shown = screen(&student.frame().expect("frame"), &mut parser);
    let mark = if format!("{truth:.3}") == "1.500" {
        "✓"
    } else {
        "✗"
    };
    assert!(
        shown.contains(&format!("ŷ⁽¹⁾: you 1.5 · true {truth:.3} {mark}")),
        "{shown}"
    );

    // Free: arrow keys (parsed from the escape sequence) move the student's own explainer.
    let at = teacher.session().steps().1;
    assert!(student.bytes_in(b"f\x1b[C\x1b[C"));
    assert!(!student.following());
    assert_eq!(student.app().session().steps().1, at + 2);
    assert_eq!(teacher.session().steps().1, at);
    // Back: the teacher's place again; q leaves and gives the seat back.
    student.bytes_in(b"f");
    assert_eq!(student.app().session().steps().1, at);
    student.bytes_in(b"q");
    assert!(student.wants_to_leave());
    drop(student);
    assert_eq!(class.students(), 0);
    assert!(class.answers(question).is_empty());
}

#[test]
fn a_students_escape_and_the_next_key_in_one_packet_are_two_keys() {
    let (_teacher, class) = teacher_and_class();
    let setup = Setup {
        user: "bo".into(),
        size: (80, 24),
        lang: Lang::En,
        color: false,
    };
    let seat = class.join().expect("a seat");
    let mut student = Student::new(Arc::clone(&class), seat, &setup).expect("student");
    student.bytes_in(b"f");
    assert!(!student.following());
    let lr = student.app().session().batch().hyper.lr;
    let segments = student.app().session().segments().to_vec();
    let at = student.app().session().steps().1;
    // Esc, then Right (ESC [ C) and Right again (ESC O C, as in application mode): two steps,
    // and no loose `[` turning the learning rate down.
    assert!(student.bytes_in(b"\x1b\x1b[C"));
    assert!(student.bytes_in(b"\x1b\x1bOC"));
    assert_eq!(student.app().session().steps().1, at + 2);
    assert_eq!(student.app().session().segments(), segments.as_slice());
    assert_eq!(student.app().session().batch().hyper.lr, lr);
    // Esc then q in one packet (ESC q, which parses as Alt+q): Esc closes the pictures, q leaves.
    student.bytes_in(b"v");
    assert_eq!(student.app().view(), View::Pictures);
    student.bytes_in(b"\x1bq");
    assert_eq!(student.app().view(), View::Lesson);
    assert!(student.wants_to_leave());
}

/// A run whose end is several of a jump's slices away: 20 features in batches of 100 rows, so a
/// slice holds under a thousand batches, and 5,000 batches in all.
fn run_of_many_slices() -> RunArgs {
    RunArgs {
        samples: Some(10_000),
        true_w: Some(gradstep::cli::args::Weights(vec![0.5; 20])),
        batch_size: Some(100),
        epochs: Some(50),
        ..RunArgs::default()
    }
}

fn class_of(run: &RunArgs) -> (App, Arc<Class>) {
    let run = build(run).expect("run");
    let lesson = Lesson::embedded().expect("lesson");
    let session = run.session().expect("session");
    let class = serve::class(
        &run,
        session.clone(),
        lesson.clone(),
        options(),
        Access::Code("1".into()),
        10,
    )
    .expect("class");
    let teacher = App::new(session, lesson, &options(), Theme::new(false));
    (teacher, Arc::new(class))
}

#[test]
fn a_follower_forgets_zero_grad_with_the_teacher() {
    let (mut teacher, class) = teacher_and_class();
    let mut student = student_app(&class);
    for m in [
        Message::NextBatch,
        Message::NextBatch,
        Message::ToggleKeepGrad,
        Message::NextBatch,
        Message::NextStep,
    ] {
        teacher.update(m);
        follow(&mut student, &Lead::of(&teacher), &class.pristine);
        assert_eq!(
            student.session().batch(),
            teacher.session().batch(),
            "{m:?}"
        );
    }
    let b = student.session().batch();
    assert!(!b.hyper.zero_grad);
    // Second route: the same run started with --keep-grad, at the same batch.
    let mut keep = build(&RunArgs {
        keep_grad: true,
        ..RunArgs::default()
    })
    .expect("run")
    .session()
    .expect("session");
    keep.go_to_batch(b.global);
    assert_eq!(keep.batch().grad_w, b.grad_w);
    assert_eq!(keep.batch().w, b.w);
}

#[test]
fn a_free_students_z_far_from_the_start_is_computed_in_slices() {
    let (_teacher, class) = class_of(&run_of_many_slices());
    let setup = Setup {
        user: "ann".into(),
        size: (80, 24),
        lang: Lang::En,
        color: false,
    };
    let seat = class.join().expect("a seat");
    let mut student = Student::new(Arc::clone(&class), seat, &setup).expect("student");
    let land = |student: &mut Student| {
        for _ in 0..100_000 {
            if !student.jumping() {
                return;
            }
            student.slice();
        }
        panic!("the move never landed");
    };
    student.bytes_in(b"f");
    student.bytes_in(b"\x1b[F");
    land(&mut student);
    let end = student.app().session().batch().global;
    assert!(end > 4_000, "at batch {end}");
    // z recomputes the run from its start: the way back is a move in slices, not one long call
    // on the server's runtime.
    student.bytes_in(b"z");
    assert!(student.jumping());
    land(&mut student);
    let b = student.app().session().batch();
    assert_eq!(b.global, end);
    assert!(!b.hyper.zero_grad);
    // Second route: the run started with --keep-grad, at the same batch.
    let mut keep = build(&RunArgs {
        keep_grad: true,
        ..run_of_many_slices()
    })
    .expect("run")
    .session()
    .expect("session");
    keep.go_to_batch(end);
    assert_eq!(keep.batch().w, b.w);
    assert_eq!(keep.batch().grad_w, b.grad_w);
}

fn drawn(app: &App, cols: u16, rows: u16) -> ratatui::buffer::Buffer {
    let backend = ratatui::backend::TestBackend::new(cols, rows);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// A follower set directly at the teacher's place (no key presses replayed) draws the screen
/// the teacher reached by keys, cell for cell: four views × both granularities, at 80×24 and
/// 120×40; one student follows through all of them, so it moves forward, back and across.
#[test]
fn a_follower_set_directly_shows_the_teachers_screen_in_every_view_and_granularity() {
    let (mut teacher, class) = teacher_and_class();
    let mut student = student_app(&class);
    let mut seen = Vec::new();
    for granularity in [Granularity::Matrix, Granularity::Sample] {
        if teacher.session().granularity() != granularity {
            teacher.update(Message::ToggleGranularity);
        }
        for _ in 0..4 {
            for _ in 0..3 {
                teacher.update(Message::NextStep);
            }
            follow(&mut student, &Lead::of(&teacher), &class.pristine);
            assert_eq!(student.view(), teacher.view());
            assert_eq!(student.session().granularity(), granularity);
            for (cols, rows) in [(80, 24), (120, 40)] {
                assert_eq!(
                    drawn(&student, cols, rows),
                    drawn(&teacher, cols, rows),
                    "{:?} {granularity:?} at {cols}x{rows}",
                    teacher.view()
                );
            }
            seen.push((teacher.view(), granularity));
            teacher.update(Message::CycleView);
        }
    }
    seen.sort_by_key(|(v, g)| (format!("{v:?}"), *g == Granularity::Sample));
    seen.dedup();
    assert_eq!(seen.len(), 8, "four views × two granularities: {seen:?}");
}
