//! `gradstep serve` on a two-layer run, without a network: a student's explainer put at the
//! two-layer teacher's place (never replaying the teacher's keys) draws the teacher's screen cell
//! for cell, through the student's own screen at 80×24 and 120×40; a free student's keys move
//! only their own run.

use gradstep::worked::{Part, Symbol};
use std::sync::Arc;

mod common;

use gradstep::cli::{RunArgs, build};
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::lesson::{Lang, Lesson};
use gradstep::preset::Preset;
use gradstep::serve::class::{Class, TwoLayerClass};
use gradstep::serve::desk::Setup;
use gradstep::serve::gate::Access;
use gradstep::serve::quiz::MAX_ANSWER;
use gradstep::serve::teacher::{Join, Teacher};
use gradstep::serve::two_layer::TwoLayerStudent;
use gradstep::serve::{self};
use gradstep::ui::two_layer::TwoLayerApp;
use gradstep::ui::{Host, Message, Teach, UiOptions};
use gradstep::worked::{Cell, Quantity};

/// The teacher's explainer on the two-layer preset, and the class serving it.
fn teacher_and_class() -> (TwoLayerApp, Arc<Class>) {
    class_of(None)
}

/// The same over `epochs` epochs, if given.
fn class_of(epochs: Option<usize>) -> (TwoLayerApp, Arc<Class>) {
    class_on(&RunArgs {
        preset: Some(Preset::TwoLayer),
        epochs,
        ..RunArgs::default()
    })
}

/// The teacher's explainer on the two-layer run `args` make, and the class serving it.
fn class_on(args: &RunArgs) -> (TwoLayerApp, Arc<Class>) {
    let run = build(args).expect("the run builds");
    let model = run
        .two_layer
        .clone()
        .expect("the preset has a hidden layer");
    let session = MlpSession::new(run.data.clone(), run.hyper.clone(), model).expect("a valid run");
    let teacher = TwoLayerApp::new(session, Lang::En, false, false);
    let start = run.session().expect("the linear run of the same data");
    let options = UiOptions {
        lang: Lang::En,
        source: run.source.clone(),
        ..UiOptions::default()
    };
    let class = serve::class(&run, start, Lesson::default(), options, Access::Open, 4)
        .expect("class")
        .with_two_layer(TwoLayerClass::new(
            teacher.session().clone(),
            teacher.place(),
        ));
    (teacher, Arc::new(class))
}

fn student(class: &Arc<Class>, size: (u16, u16)) -> TwoLayerStudent {
    let setup = Setup {
        user: "ann".into(),
        size,
        lang: Lang::En,
        color: false,
    };
    let seat = class.join().expect("a seat");
    TwoLayerStudent::new(Arc::clone(class), seat, &setup).expect("student")
}

fn parser(cols: u16, rows: u16) -> vt100::Parser {
    let n = |v: u16| std::num::NonZeroU16::new(v).expect("nonzero");
    vt100::Parser::new(n(rows), n(cols), 0)
}

/// The screen's rows as a terminal shows them.
fn rows_of(parser: &vt100::Parser) -> Vec<String> {
    let (_, cols) = parser.screen().size();
    parser.screen().rows(0, cols.get()).collect()
}

/// The teacher's explainer drawn by the library at `size`, row by row.
fn drawn(app: &TwoLayerApp, (cols, rows): (u16, u16)) -> Vec<String> {
    let backend = ratatui::backend::TestBackend::new(cols, rows);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| f.render_widget(app, f.area()))
        .expect("draw");
    let buf = terminal.backend().buffer().clone();
    let mut parser = parser(cols, rows);
    let mut bytes = Vec::new();
    // The buffer's symbols row by row, wide characters once (their trailing cell is blank).
    for y in 0..rows {
        bytes.extend_from_slice(format!("\x1b[{};1H", y + 1).as_bytes());
        let mut skip = 0;
        for x in 0..cols {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(sym).saturating_sub(1);
            bytes.extend_from_slice(sym.as_bytes());
        }
    }
    parser.process(&bytes);
    rows_of(&parser)
}

/// The rows without trailing blanks.
fn trimmed(rows: Vec<String>) -> Vec<String> {
    rows.iter().map(|r| r.trim_end().to_string()).collect()
}

#[test]
fn a_follower_draws_the_two_layer_teachers_screen_at_each_size() {
    let (mut teacher, class) = teacher_and_class();
    let sizes = [(80, 24), (120, 40)];
    let mut students: Vec<(TwoLayerStudent, vt100::Parser)> = sizes
        .iter()
        .map(|&(c, r)| (student(&class, (c, r)), parser(c, r)))
        .collect();
    // Forward by sample through the first batch into the second, whole matrices, back, the
    // fit picture, the objectives compared and the graph: every move the teacher makes by keys, each student is put at.
    let mut plan = vec![Message::NextStep; 12];
    plan.extend([
        Message::NextBatch,
        Message::NextStep,
        Message::ToggleGranularity,
        Message::NextStep,
        Message::NextStep,
        Message::PrevBatch,
        Message::CycleView,
        Message::NextBatch,
        Message::CycleView,
        Message::Last,
        // On to the autograd graph by `v`, a step back there, the lesson, and `G`.
        Message::CycleView,
        Message::PrevStep,
        Message::CycleView,
        Message::ToggleGraph,
        Message::NextStep,
    ]);
    let mut batches = std::collections::BTreeSet::new();
    for m in plan {
        teacher.update(m);
        class
            .two_layer
            .as_ref()
            .expect("two layers")
            .publish(&teacher);
        batches.insert(teacher.session().global());
        for (s, parser) in &mut students {
            s.teacher_moved(teacher.place());
            parser.process(&s.frame().expect("frame"));
            let (r, c) = parser.screen().size();
            let size = (c.get(), r.get());
            assert_eq!(s.app().place(), teacher.place(), "after {m:?}");
            // The student's screen is the teacher's explainer at that place with the
            // student's badge at the right of the key hints (which leave it room).
            let badge = "ann: following (f: explore)";
            teacher.set_badge(Some(badge.into()));
            let shown = rows_of(parser);
            assert_eq!(
                trimmed(shown.clone()),
                trimmed(drawn(&teacher, size)),
                "after {m:?} at {size:?}"
            );
            teacher.set_badge(None);
            assert!(
                shown.last().is_some_and(|r| r.trim_end().ends_with(badge)),
                "{shown:?}"
            );
        }
    }
    // The plan did go across batches, to the run's last.
    let last = teacher.session().total_batches() - 1;
    assert!(batches.len() >= 3 && batches.contains(&last), "{batches:?}");
    // A follower holds the teacher's checkpoints, not a copy: nothing counted as its own.
    assert_eq!(class.students_history(), 0);
}

#[test]
fn a_free_student_moves_alone_and_hears_what_two_layers_lack() {
    let (teacher, class) = teacher_and_class();
    let mut s = student(&class, (80, 24));
    let mut parser = parser(80, 24);
    // Following, an arrow key does not move: it says how to explore.
    assert!(s.bytes_in(b"\x1b[C"));
    assert_eq!(s.app().session().step_index(), 0);
    parser.process(&s.frame().expect("frame"));
    assert!(parser.screen().contents().contains("press f to explore"));
    // Free: two steps of the student's own, the teacher's untouched.
    assert!(s.bytes_in(b"f\x1b[C\x1b[C"));
    assert!(!s.following());
    assert_eq!(s.app().session().step_index(), 2);
    assert_eq!(teacher.session().step_index(), 0);
    // The quiz key acts on an exploring student's own screen, and nothing breaks.
    assert!(s.bytes_in(b"Q"));
    parser.process(&s.frame().expect("frame"));
    let shown = parser.screen().contents();
    assert!(shown.contains("quiz"), "{shown}");
    // The run's end, computed in slices as a move of its own, then back to the teacher.
    s.bytes_in(b"\x1b[F");
    while s.jumping() {
        s.slice();
    }
    let end = s.app().session().total_batches() - 1;
    assert_eq!(s.app().session().global(), end);
    s.bytes_in(b"f");
    assert!(s.following());
    assert_eq!(s.app().session().global(), 0);
    assert_eq!(s.app().place(), teacher.place());
    s.bytes_in(b"q");
    assert!(s.wants_to_leave());
    drop(s);
    assert_eq!((class.students(), class.students_history()), (0, 0));
}

/// `ssh … handout` in a two-layer class is the two-layer handout of the teacher's batch: the
/// same text `gradstep handout --batch K` writes, which trains from the start rather than
/// replaying from the teacher's checkpoints.
#[test]
fn the_handout_over_ssh_is_the_two_layer_batch_of_the_teacher() {
    let (mut teacher, class) = teacher_and_class();
    for _ in 0..20 {
        teacher.update(Message::NextBatch);
    }
    class
        .two_layer
        .as_ref()
        .expect("two layers")
        .publish(&teacher);
    let k = teacher.session().global() + 1;
    assert_eq!(k, 21);
    let served = gradstep::serve::handout::render(&class, Lang::En).expect("handout");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args([
            "handout",
            "--preset",
            "two-layer",
            "--lang",
            "en",
            "--precision",
        ])
        .arg(teacher.precision().to_string())
        .args(["--batch", &k.to_string()])
        .output()
        .expect("gradstep handout");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(served, String::from_utf8_lossy(&out.stdout));
    assert!(served.contains("W₁"), "{served}");
}

/// A free student's move that would keep more checkpoints than a student may is refused with
/// the cap in words, and nothing is computed or counted; within the cap it is made.
#[test]
fn a_free_students_checkpoints_stay_within_the_students_cap() {
    use gradstep::serve::class::Limits;
    use gradstep::serve::gate::Gate;
    let (teacher, class) = class_of(Some(200));
    let mut limits = Limits::new(4);
    // Room for the checkpoints up to batch 100 and not one more (one every 16 batches).
    limits.student_history = teacher.session().history_bytes_to(100);
    let class = Arc::try_unwrap(class)
        .ok()
        .expect("one owner")
        .limited(Gate::new(Access::Open), limits);
    let class = Arc::new(class);
    let mut s = student(&class, (80, 24));
    let mut parser = parser(80, 24);
    let total = s.app().session().total_batches();
    assert!(total > 200, "{total}");
    s.bytes_in(b"f\x1b[F");
    assert!(!s.jumping());
    assert_eq!(s.app().session().global(), 0);
    parser.process(&s.frame().expect("frame"));
    let shown = parser.screen().contents();
    assert!(shown.contains("Refused: needs"), "{shown}");
    assert_eq!(class.students_history(), 0);
    // Batch 100 by the go-to prompt (E:B, a batch alone being one of the current epoch): within
    // the cap, computed, and counted as this student's.
    let per = s.app().session().batches_per_epoch();
    s.bytes_in(format!(":{}:{}\r", 100 / per + 1, 100 % per + 1).as_bytes());
    while s.jumping() {
        s.slice();
    }
    assert_eq!(s.app().session().global(), 100);
    assert_eq!(
        class.students_history(),
        teacher.session().history_bytes_to(100)
    );
    drop(s);
    assert_eq!(class.students_history(), 0);
}

/// The teacher's side of the class: what `serve` puts around the teacher's explainer.
fn host_of(class: &Arc<Class>) -> Teacher {
    Teacher::new(
        Arc::clone(class),
        Join {
            command: "ssh -p 2222 host".into(),
            fingerprint: "SHA256:x".into(),
        },
    )
}

#[test]
fn the_two_layer_teachers_badge_speaks_the_language_of_the_screen() {
    let (mut teacher, class) = teacher_and_class();
    let mut host = host_of(&class);
    assert!(host.prepare(&mut teacher));
    assert_eq!(teacher.badge(), Some("0 students"));
    host.drawn(&teacher);
    assert!(!host.prepare(&mut teacher), "nothing new to show");
    // L: the badge follows in the next frame.
    teacher.update(Message::ToggleLang);
    host.drawn(&teacher);
    assert!(host.prepare(&mut teacher));
    assert_eq!(teacher.badge(), Some("学生 0 名"));
}

/// The teacher's screen with the host's boxes over it, row by row.
fn hosted(app: &TwoLayerApp, teacher: &Teacher, size: (u16, u16)) -> String {
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, size.0, size.1));
    ratatui::widgets::Widget::render(app, buf.area, &mut buf);
    teacher.overlay(app, buf.area, &mut buf);
    (0..size.1)
        .map(|y| {
            (0..size.0)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn students_predict_the_two_layer_quiz_and_the_teacher_tallies_them() {
    let (mut teacher, class) = teacher_and_class();
    let mut host = host_of(&class);
    let x = crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('x'));
    assert!(
        host.key(&mut teacher, &x),
        "the banner goes with the first key"
    );
    let mut ann = student(&class, (80, 24));
    let mut bo = student(&class, (80, 24));
    let (mut ann_screen, mut bo_screen) = (parser(80, 24), parser(80, 24));
    let publish = |teacher: &TwoLayerApp, host: &mut Teacher| {
        host.drawn(teacher);
    };

    // The preset's first batch, sample 2, by hand: x = 1, z = xW₁ + b₁ = [1, −0.5, 0.5] +
    // [0, 0.5, −0.5] = [1, 0, 0]; ŷ = relu(z)W₂ + b₂ = 1·0.5 = 0.5; δ = 0.5 − 0.9 = −0.4;
    // δ₁ = (δW₂ᵀ) ⊙ relu′(z) = [−0.2, 0.2, −0.2] ⊙ [1, 0, 0] = [−0.2, 0, 0] (relu′(0) = 0).
    teacher.update(Message::Teach(Teach::ToggleQuiz));
    let send_back = MlpStep::SendBack { sample: 1 };
    while teacher.session().step() != send_back {
        assert!(
            teacher.update(Message::NextStep),
            "the batch sends δ back by sample"
        );
    }
    assert!(teacher.hiding());
    // The teacher asks δ₁⁽²⁾'s first unit, moving on with e from the step's first output.
    let delta1 = Cell::new(Quantity::Of(Symbol::Z, Part::Grad), 1, 0);
    for _ in 0..8 {
        if teacher.asked().map(|v| v.cell) == Some(delta1) {
            break;
        }
        teacher.update(Message::Teach(Teach::NextEntry));
    }
    let asked = teacher.asked().expect("the step asks something");
    assert_eq!(asked.cell, delta1);
    assert!((asked.value - -0.2).abs() < 1e-12, "{}", asked.value);
    publish(&teacher, &mut host);
    for s in [&mut ann, &mut bo] {
        s.teacher_moved(teacher.place());
    }

    // Each student's line asks for it by name; ann types −0.2 (right), bo 0.2 (|0.2 − (−0.2)|
    // = 0.4, more than one in the first decimal: wrong). A letter is no part of a number.
    ann_screen.process(&ann.frame().expect("frame"));
    let asking = ann_screen.screen().contents();
    assert!(asking.contains("Predict δ₁⁽²⁾[1] = ▏"), "{asking}");
    assert!(ann.bytes_in(b"-0x.2\r"));
    assert!(bo.bytes_in(b"0.2\r"));
    let question = (0, send_back);
    let mut answers = class.answers(question);
    answers.sort_by(f64::total_cmp);
    assert_eq!(answers, vec![-0.2, 0.2]);
    ann_screen.process(&ann.frame().expect("frame"));
    let sent = ann_screen.screen().contents();
    assert!(
        sent.contains("Your prediction of δ₁⁽²⁾[1] = -0.2  is in"),
        "{sent}"
    );
    for size in [(80, 24), (120, 40)] {
        let shown = hosted(&teacher, &host, size);
        assert!(
            shown.contains("Predict δ₁⁽²⁾[1] · e: next entry"),
            "{shown}"
        );
        assert!(shown.contains("2 of 2 answered"), "{shown}");
    }

    // Revealed: the teacher's box has the true value and 1 of 2 right; each student their own.
    teacher.update(Message::Teach(Teach::Reveal));
    assert!(!teacher.hiding());
    publish(&teacher, &mut host);
    for s in [&mut ann, &mut bo] {
        s.teacher_moved(teacher.place());
        assert!(!s.app().hiding(), "the student sees it revealed too");
    }
    let shown = hosted(&teacher, &host, (120, 40));
    assert!(shown.contains("true δ₁⁽²⁾[1] = -0.200"), "{shown}");
    assert!(shown.contains("1 of 2 right"), "{shown}");
    ann_screen.process(&ann.frame().expect("frame"));
    bo_screen.process(&bo.frame().expect("frame"));
    let ann_sees = ann_screen.screen().contents();
    assert!(
        ann_sees.contains("δ₁⁽²⁾[1]: you -0.2 · true -0.200 ✓"),
        "{ann_sees}"
    );
    let bo_sees = bo_screen.screen().contents();
    assert!(
        bo_sees.contains("δ₁⁽²⁾[1]: you 0.2 · true -0.200 ✗"),
        "{bo_sees}"
    );

    // Another entry of the same step: the answers to the first are no answers to it.
    teacher.update(Message::Teach(Teach::NextEntry));
    publish(&teacher, &mut host);
    assert!(class.answers(question).is_empty());

    // The loss step by hand: δ = [−0.35, −0.4, −1.6], L = ½(0.1225 + 0.16 + 2.56) = 1.42125.
    teacher.update(Message::First);
    while teacher.session().step() != MlpStep::Loss {
        assert!(teacher.update(Message::NextStep));
    }
    publish(&teacher, &mut host);
    // The step works l⁽¹⁾ = ½·0.35² = 0.06125 first, then L; the teacher asks for L.
    let asked = teacher.asked().expect("l⁽¹⁾");
    assert_eq!(
        asked.cell,
        Cell::scalar(Quantity::Of(Symbol::LossSample, Part::Value))
    );
    assert!((asked.value - 0.06125).abs() < 1e-12);
    teacher.update(Message::Teach(Teach::NextEntry));
    publish(&teacher, &mut host);
    ann.teacher_moved(teacher.place());
    let asked = teacher.asked().expect("L");
    assert_eq!(
        asked.cell,
        Cell::scalar(Quantity::Of(Symbol::Loss, Part::Value))
    );
    assert!((asked.value - 1.42125).abs() < 1e-12);
    ann.bytes_in(b"1.421\r");
    assert_eq!(class.answers((0, MlpStep::Loss)), vec![1.421]);
    // An answer is as long as the linear quiz lets one be, and no longer.
    bo.teacher_moved(teacher.place());
    bo.bytes_in(&[b'1'; 40]);
    bo.bytes_in(b"\r");
    let longest: f64 = "1".repeat(MAX_ANSWER).parse().expect("a number");
    let mut answers = class.answers((0, MlpStep::Loss));
    answers.sort_by(f64::total_cmp);
    assert_eq!(answers, vec![1.421, longest]);
}

/// `z` far into a free student's run: the new run starts at its first batch and the way back
/// to where the student was is computed in slices off the runtime, as a move is; keys wait for
/// it, Esc stops it at the new run's start (the experiment on), and let through it lands where
/// the student was, on the numbers of a run that never zeroed `.grad`.
#[test]
fn a_free_students_z_far_into_the_run_goes_back_in_slices() {
    let (_teacher, class) = class_on(&common::long_two_layer_args());
    let mut s = student(&class, (80, 24));
    let last = s.app().session().total_batches() - 1;
    assert_eq!(last, 2999);
    s.bytes_in(b"f\x1b[F");
    while s.jumping() {
        s.slice();
    }
    assert_eq!(s.app().session().global(), last);
    let mut keep = s.app().session().clone();
    s.bytes_in(b"z");
    assert!(s.jumping());
    assert!(!s.app().session().hyper().zero_grad);
    assert_eq!(s.app().session().global(), 0);
    // One slice does not get there; a key meanwhile waits; Esc stops at the new run's start.
    assert!(!s.slice());
    s.bytes_in(b"\x1b[C");
    assert_eq!(s.app().session().step_index(), 0);
    s.bytes_in(b"\x1b");
    assert!(!s.jumping());
    assert_eq!(s.app().session().global(), 0);
    assert!(!s.app().session().hyper().zero_grad);
    // Back at the end, z twice: zero_() back, then off again, each way back in slices.
    s.bytes_in(b"\x1b[F");
    while s.jumping() {
        s.slice();
    }
    s.bytes_in(b"z");
    let mut slices = 0;
    while s.jumping() {
        s.slice();
        slices += 1;
    }
    assert!(slices >= 2, "{slices}");
    assert!(s.app().session().hyper().zero_grad);
    assert_eq!(s.app().session().global(), last);
    assert_eq!(s.app().session().next_params(), keep.next_params());
    s.bytes_in(b"z");
    while s.jumping() {
        s.slice();
    }
    assert_eq!(s.app().session().global(), last);
    keep = keep.with_zero_grad(false).expect("fits");
    keep.go_to_batch(last);
    assert_eq!(s.app().session().next_params(), keep.next_params());
    assert_eq!(s.app().session().update().held, keep.update().held);
}
