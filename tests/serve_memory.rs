//! Memory per student: following students hold the teacher's history, not a copy each; a free
//! student's own history has a cap and all students' own a budget, and a move past either is
//! refused with a message saying why, in the student's language. Sizes are scaled down so the
//! tests are quick; the limits are computed from the same run, not typed in.

mod serve_common;

use std::sync::Arc;
use std::time::Duration;

use gradstep::cli::{RunArgs, build};
use gradstep::engine::session::history_per_batch;
use gradstep::lesson::{Lang, Lesson};
use gradstep::serve::class::{Class, Limits};
use gradstep::serve::desk::Setup;
use gradstep::serve::gate::{Access, Gate, GateLimits};
use gradstep::serve::probe;
use gradstep::serve::student::Student;
use gradstep::serve::teacher::{Join, Teacher};
use gradstep::serve::{self};
use gradstep::ui::{App, Host, Message, Theme, UiOptions};
use serve_common::*;

/// 20,000 rows in batches of 4 for 3 epochs: 15,000 batches.
fn run_args() -> RunArgs {
    RunArgs {
        samples: Some(20_000),
        batch_size: Some(4),
        epochs: Some(3),
        ..RunArgs::default()
    }
}

/// The bytes of history a session keeps once it has been to the end of `args`'s run.
fn history_to_the_end(args: &RunArgs) -> usize {
    let run = build(args).expect("run");
    let session = run.session().expect("session");
    session.total_batches() * history_per_batch(session.data().d())
}

fn options() -> UiOptions {
    UiOptions {
        lang: Lang::En,
        ..UiOptions::default()
    }
}

/// A class with `limits`, and the teacher's explainer hosted as `serve` hosts it.
fn class_and_teacher(limits: Limits) -> (Arc<Class>, App, Teacher) {
    let run = build(&run_args()).expect("run");
    let session = run.session().expect("session");
    let lesson = Lesson::embedded().expect("lesson");
    let class = serve::class(
        &run,
        session.clone(),
        lesson.clone(),
        options(),
        Access::Code("1".into()),
        limits.max_students,
    )
    .expect("class")
    .limited(Gate::new(Access::Code("1".into())), limits);
    let class = Arc::new(class);
    let teacher = Teacher::new(
        Arc::clone(&class),
        Join {
            command: "ssh".into(),
            fingerprint: "SHA256:x".into(),
        },
    );
    let app = App::new(session, lesson, &options(), Theme::new(false));
    (class, app, teacher)
}

fn student(class: &Arc<Class>, lang: Lang) -> Student {
    let setup = Setup {
        user: "s".into(),
        size: (100, 30),
        lang,
        color: false,
    };
    let seat = class.join().expect("a seat");
    Student::new(Arc::clone(class), seat, &setup).expect("student")
}

fn screen(student: &mut Student) -> String {
    let mut parser = vt100::Parser::new(
        std::num::NonZeroU16::new(30).expect("rows"),
        std::num::NonZeroU16::new(100).expect("cols"),
        0,
    );
    parser.process(&student.frame().expect("frame"));
    parser.screen().contents()
}

/// Computes a free student's move to its end, as the server does off its runtime.
fn land(student: &mut Student) {
    for _ in 0..1_000_000 {
        if !student.jumping() {
            return;
        }
        student.slice();
    }
    panic!("the move never landed");
}

#[test]
fn followers_hold_the_teachers_history_and_a_free_students_own_is_counted() {
    let (class, mut teacher, mut host) = class_and_teacher(Limits::new(30));
    // The teacher goes to the end of the run: every batch's loss and checkpoints.
    teacher.update(Message::Last);
    host.drawn(&teacher);
    let end = teacher.session().batch().global;
    assert_eq!(end + 1, teacher.session().total_batches());
    let mut students: Vec<Student> = (0..10).map(|_| student(&class, Lang::En)).collect();
    let run = Arc::clone(&class.run.borrow());
    for s in &students {
        let session = s.app().session();
        assert!(session.shares_history_with(&run));
        assert_eq!(session.batch().global, end);
        assert_eq!(session.batch_losses(), teacher.session().batch_losses());
    }
    // Ten followers of a run whose history is this big keep none of their own.
    assert!(run.history_bytes() >= history_to_the_end(&run_args()) / 2);
    assert_eq!(class.students_history(), 0);

    // The teacher goes back to the start; one student explores (f) and changes the learning
    // rate at the first batch: the history after it is recomputed, so that student now keeps
    // a history of its own, and it is counted.
    teacher.update(Message::First);
    host.drawn(&teacher);
    for s in &mut students {
        s.teacher_moved(Arc::clone(&class.place.borrow()));
    }
    let free = &mut students[0];
    free.bytes_in(b"f");
    assert!(!free.following());
    free.bytes_in(b"]");
    free.bytes_in(b"\x1b[F");
    land(free);
    let own = free.app().session();
    assert!(!own.shares_history_with(&run));
    assert_eq!(own.batch().global, end);
    assert_eq!(class.students_history(), own.history_bytes());
    assert!(class.students_history() > 0);
    // The others still share the teacher's.
    assert!(
        students[1..]
            .iter()
            .all(|s| s.app().session().shares_history_with(&run))
    );
    // Following again, the student drops its own history for the teacher's.
    students[0].bytes_in(b"f");
    assert!(students[0].app().session().shares_history_with(&run));
    assert_eq!(class.students_history(), 0);
    drop(students);
    assert_eq!(class.students_history(), 0);
}

#[test]
fn a_free_students_move_past_its_own_cap_is_refused_with_why_in_both_languages() {
    let end = history_to_the_end(&run_args());
    let limits = Limits {
        student_history: end / 2,
        ..Limits::new(30)
    };
    let (class, _teacher, _host) = class_and_teacher(limits);
    let mib = |b: usize| format!("{:.1}", b as f64 / f64::from(1 << 20));
    let (needs, cap) = (mib(end), mib(end / 2));
    for (lang, says) in [
        (
            Lang::En,
            format!(
                "Refused: needs {needs} MiB of history; a student may keep {cap} MiB. f: follow"
            ),
        ),
        (
            Lang::Zh,
            format!("已拒绝：需要 {needs} MiB 历史，每位学生最多 {cap} MiB。f：跟随老师"),
        ),
    ] {
        let says = says.as_str();
        let mut s = student(&class, lang);
        s.bytes_in(b"f");
        s.bytes_in(b"\x1b[F");
        assert!(!s.jumping());
        assert_eq!(s.app().session().batch().global, 0);
        let shown = screen(&mut s);
        assert!(shown.contains(says), "{shown}");
        // The next key takes the message away; a short move is fine.
        s.bytes_in(b"\x1b[B");
        assert_eq!(s.app().session().batch().global, 1);
        assert!(!screen(&mut s).contains(says));
    }
    assert!(class.students_history() <= end / 2 * 2);
}

#[test]
fn twenty_free_students_jump_to_the_end_while_one_follows_within_the_servers_budget() {
    let end = history_to_the_end(&run_args());
    // Room for three students' whole run, not four.
    let budget = end * 7 / 2;
    let limits = Limits {
        student_history: end * 2,
        students_history: budget,
        ..Limits::new(30)
    };
    let served = Served::start("memory-twenty", &run_args(), GateLimits::default(), limits);
    let addr = served.addr;
    let mut follower = served.bounded(30, async move {
        let (h, mut c) = probe::join(addr, "fay", CODE, (100, 30))
            .await
            .expect("fay joins");
        probe::next_frame(&mut c).await.expect("fay's frame");
        (h, c)
    });
    let outcomes = served.bounded(120, async move {
        let mut tasks = Vec::new();
        for i in 0..20u8 {
            tasks.push(tokio::spawn(async move {
                // Each from an address of its own, as in a classroom.
                let stream = probe::connect_from(loopback(10 + i), addr)
                    .await
                    .expect("connects");
                let (h, mut c) = probe::join_over(stream, &format!("s{i}"), CODE, (100, 30))
                    .await
                    .expect("joins");
                let mut screen = vt100::Parser::new(
                    std::num::NonZeroU16::new(30).expect("rows"),
                    std::num::NonZeroU16::new(100).expect("cols"),
                    0,
                );
                c.data(&b"f"[..]).await.expect("f");
                c.data(&b"\x1b[F"[..]).await.expect("End");
                // Until the move is refused, or lands at the last batch.
                loop {
                    let frame = probe::next_frame(&mut c).await.expect("a frame");
                    screen.process(&frame);
                    let shown = screen.screen().contents();
                    if shown.contains("Refused") {
                        return (h, c, false, shown);
                    }
                    if shown.contains("epoch 3/3  batch 5000/5000") && !shown.contains("computing")
                    {
                        return (h, c, true, shown);
                    }
                }
            }));
        }
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.expect("a student"));
        }
        outcomes
    });
    // Meanwhile, and after, the follower's frames come at once.
    for _ in 0..3 {
        served.bounded(5, async {
            follower.1.data(&b"?"[..]).await.expect("?");
            probe::next_frame(&mut follower.1)
                .await
                .expect("fay's frame");
        });
    }
    let landed = outcomes.iter().filter(|o| o.2).count();
    assert_eq!(landed, 3, "students who reached the end");
    for (_, _, ok, shown) in &outcomes {
        if !ok {
            assert!(
                shown.contains("Refused: server memory for students is full ("),
                "{shown}"
            );
        }
    }
    let used = served.class.students_history();
    assert!(
        used <= budget,
        "{used} bytes of history kept, over the {budget} allowed"
    );
    assert!(used >= 3 * end / 2, "{used}");
    drop(outcomes);
    served.bounded(10, async {
        while served.class.students() > 1 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    assert_eq!(served.class.students_history(), 0);
}
