//! A following student's keys come from the one key table: what it lets them press never moves
//! their place (checked by pressing each one), and the bottom line a real `ssh` student sees
//! offers those keys (f, L, q; Enter submits while the quiz asks), never "Enter reveals".

mod serve_common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use gradstep::cli::{RunArgs, build};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, KEYS, Key, Message, Mode, Theme, UiOptions, message_in};
use serve_common::*;

fn event(key: Key) -> KeyEvent {
    let code = match key {
        Key::Char(c) => KeyCode::Char(c),
        Key::Right => KeyCode::Right,
        Key::Left => KeyCode::Left,
        Key::Down => KeyCode::Down,
        Key::Up => KeyCode::Up,
        Key::PageDown => KeyCode::PageDown,
        Key::PageUp => KeyCode::PageUp,
        Key::Home => KeyCode::Home,
        Key::End => KeyCode::End,
        Key::Esc => KeyCode::Esc,
        Key::Enter => KeyCode::Enter,
        Key::Tab => KeyCode::Tab,
        Key::BackTab => KeyCode::BackTab,
        Key::Backspace => KeyCode::Backspace,
        Key::CtrlC => return KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
    };
    KeyEvent::from(code)
}

#[test]
fn every_key_a_follower_has_leaves_the_place_where_the_teacher_put_it() {
    let run = build(&RunArgs::default()).expect("run");
    let opts = UiOptions {
        lang: Lang::En,
        ..UiOptions::default()
    };
    let fresh = || {
        let mut app = App::new(
            run.session().expect("session"),
            Lesson::embedded().expect("lesson"),
            &opts,
            Theme::new(false),
        );
        app.update(Message::NextBatch);
        app.update(Message::NextStep);
        app.set_follower(true);
        app
    };
    let place = |app: &App| {
        let s = app.session();
        (
            s.batch().global,
            s.steps().1,
            s.segments().to_vec(),
            s.batch().hyper.objective,
        )
    };
    let mut offered = 0;
    for key in KEYS.iter().flat_map(|b| b.keys.iter().copied()) {
        let mut app = fresh();
        assert_eq!(app.key_mode(), Mode::Following);
        let before = place(&app);
        let Some(message) = message_in(app.key_mode(), &event(key)) else {
            // Not a follower's key: a key that moves is among these.
            continue;
        };
        offered += 1;
        app.update(message);
        assert_eq!(
            place(&app),
            before,
            "{key:?} ({message:?}) moved a follower"
        );
        // Played or not, time does not move them either.
        app.update(Message::Tick);
        assert_eq!(place(&app), before, "{key:?} then a tick moved a follower");
    }
    // L, ?, q and Ctrl-C, Esc, the precision keys (4), the theme and M (read on): the table's
    // follower flags.
    assert_eq!(offered, 11);
    // The keys that move are not theirs.
    for moving in [
        Key::Right,
        Key::Char(' '),
        Key::Down,
        Key::Char('n'),
        Key::End,
        Key::Tab,
    ] {
        assert_eq!(message_in(Mode::Following, &event(moving)), None);
        assert!(message_in(Mode::Normal, &event(moving)).is_some());
    }
    assert_eq!(
        message_in(Mode::Following, &event(Key::Char('f'))),
        Some(Message::Follow)
    );
    assert_eq!(
        message_in(Mode::Answering, &event(Key::Enter)),
        Some(Message::Submit)
    );
    assert_eq!(message_in(Mode::Following, &event(Key::Enter)), None);
}

#[test]
fn a_following_students_bottom_line_offers_their_keys_in_their_language() {
    let dir = temp_dir("serve-keys");
    let port = free_port();
    let mut teacher = teacher(port, &dir, &[]);
    teacher.send(b"x");
    teacher.wait("the banner to go", |s| {
        !s.contents().contains("Students join with")
    });
    let mut ann = student(port, "ann", &dir, (100, 24));
    let bottom = |t: &Term| t.rows()[23].clone();
    ann.wait("the hints", |s| s.contents().contains("f explore"));
    let line = bottom(&ann);
    for want in ["f explore", "L 中文", "q quit"] {
        assert!(line.contains(want), "{line}");
    }
    for not in ["→ next", "next", "batch", "p play"] {
        assert!(!line.contains(not), "{line}");
    }
    // The teacher's quiz hides the forward step's result: Enter submits, and nothing on the
    // student's screen says Enter reveals.
    teacher.send(b"Q");
    teacher.send(b"\x1b[C");
    teacher.wait_for("step 2/");
    ann.wait("the question", |s| s.contents().contains("Predict"));
    ann.wait("the submit hint", |s| {
        s.contents().contains("Enter submits")
    });
    // (digits, - and . type the prediction on the line above: "Predict ŷ⁽¹⁾ = ▏ …")
    let screen = ann.parser.screen().contents();
    assert!(!screen.contains("Enter reveals"), "{screen}");
    assert!(screen.contains("the teacher reveals"), "{screen}");
    let line = bottom(&ann);
    for want in ["Enter submits", "f explore", "L 中文", "q quit"] {
        assert!(line.contains(want), "{line}");
    }
    // Exploring: the whole table again, and Enter is not a follower's submit any more.
    ann.send(b"f");
    ann.wait("the free hints", |s| s.contents().contains("→ next"));
    assert!(!ann.parser.screen().contents().contains("Enter submits"));
    // The student's language: the same keys in Chinese.
    ann.send(b"f");
    ann.send(b"L");
    ann.wait("the hints in Chinese", |s| {
        s.contents().contains("f 自由探索")
    });
    let _ = std::fs::remove_dir_all(&dir);
}

/// The table's word on students is what a student gets: a key marked never is refused to a
/// follower (and `for_students` refuses its message to an explorer too); a key marked following
/// reaches its message while following. The lists are written out here by hand as well.
#[test]
fn a_follower_gets_exactly_the_keys_the_table_allows_them() {
    use gradstep::ui::{Student, Teach, for_students};
    let mut never = Vec::new();
    let mut following = Vec::new();
    for b in KEYS {
        for &key in b.keys {
            let got = message_in(Mode::Following, &event(key));
            match b.student {
                Student::Never => {
                    assert_ne!(got, Some(b.message), "{key:?} reached a follower");
                    assert_eq!(for_students(b.message), Student::Never);
                    never.push(key);
                }
                Student::Following => {
                    assert_eq!(got, Some(b.message), "{key:?} refused to a follower");
                    following.push(key);
                }
                Student::Exploring => {
                    assert_ne!(got, Some(b.message), "{key:?} moved a follower");
                    assert_eq!(message_in(Mode::Normal, &event(key)), Some(b.message));
                }
            }
        }
    }
    assert_eq!(never, [Key::Char('H')]);
    assert_eq!(for_students(Message::Teach(Teach::Handout)), Student::Never);
    let mut by_hand = vec![
        Key::Char('L'),
        Key::Char('M'),
        Key::Char('?'),
        Key::Char('q'),
        Key::CtrlC,
        Key::Esc,
        Key::Char('>'),
        Key::Char('.'),
        Key::Char('<'),
        Key::Char(','),
        Key::Char('T'),
    ];
    let key_order = |k: &Key| format!("{k:?}");
    by_hand.sort_by_key(key_order);
    following.sort_by_key(key_order);
    assert_eq!(following, by_hand);
}
