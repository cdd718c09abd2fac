//! Random sequences of every message the key table can produce (and clicks, ticks and resizes)
//! never panic, and a step forward then back always gives back the very same screen.

mod scratch;
mod ui_common;

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Init, Session};
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{App, INSPECT_KEYS, KEYS, Message, Teach, Theme, UiOptions};
use proptest::prelude::*;
use scratch::scratch_dir;
use ui_common::*;

#[derive(Clone, Debug)]
enum Action {
    Message(Message),
    /// A click at this fraction of the screen's width and height.
    Click(f64, f64),
    Resize(u16, u16),
}

/// Every message a key can send, in either mode, and the automatic step.
fn messages() -> Vec<Message> {
    let mut all: Vec<Message> = KEYS.iter().chain(INSPECT_KEYS).map(|b| b.message).collect();
    all.push(Message::Tick);
    all.dedup();
    all
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        8 => prop::sample::select(messages()).prop_map(Action::Message),
        1 => (0.0..1.0f64, 0.0..1.0f64).prop_map(|(x, y)| Action::Click(x, y)),
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Action::Resize(w, h)),
    ]
}

/// An app whose handout key writes into a directory of its own, not the working directory.
fn app_in(session: Session, dir: &std::path::Path, color: bool, ambiguous_wide: bool) -> App {
    let lesson = Lesson::embedded().expect("embedded lesson");
    let opts = UiOptions {
        lang: Lang::En,
        seed: session.batch().hyper.seed,
        ambiguous_wide,
        handout_dir: dir.to_path_buf(),
        ..UiOptions::default()
    };
    App::new(session, lesson, &opts, Theme::new(color))
}

#[test]
fn the_fuzzed_messages_cover_the_whole_key_table() {
    let all = messages();
    for binding in KEYS.iter().chain(INSPECT_KEYS) {
        assert!(all.contains(&binding.message), "{:?}", binding.message);
    }
    assert!(all.contains(&Message::Teach(Teach::Handout)));
    assert!(all.contains(&Message::LrUp) && all.contains(&Message::CycleView));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_sequence_renders_and_forward_back_is_identity(
        actions in prop::collection::vec(action(), 0..30),
        features in 1usize..6,
        batch_size in 1usize..40,
        diverge in any::<bool>(),
        ambiguous in any::<bool>(),
        color in any::<bool>(),
    ) {
        let synthetic = Synthetic {
            samples: 120,
            true_w: (0..features).map(|j| j as f64 - 1.5).collect(),
            ..Default::default()
        };
        let hyper = Hyper {
            batch_size,
            epochs: 2,
            lr: if diverge { 50.0 } else { 0.03 },
            ..Default::default()
        };
        let data = synthetic.generate().expect("synthetic data");
        let init = Init::Normal.params(data.d(), hyper.seed);
        let session = Session::new(data, hyper, init).expect("valid run");
        let dir = scratch_dir("ui-props");
        let mut app = app_in(session, &dir, color, ambiguous);
        let (mut w, mut h) = (80u16, 24u16);
        for a in actions {
            match a {
                Action::Message(m) => {
                    app.update(m);
                }
                Action::Click(fx, fy) => {
                    let (x, y) = ((fx * f64::from(w)) as u16, (fy * f64::from(h)) as u16);
                    app.click(ratatui::layout::Rect::new(0, 0, w, h), x, y);
                }
                Action::Resize(nw, nh) => (w, h) = (nw, nh),
            }
            render(&app, w, h);
        }
        // A notice (a handout written, a key refused) lasts until the next key: let one pass.
        app.update(Message::ToggleHelp);
        app.update(Message::ToggleHelp);
        let before = render(&app, w, h);
        if app.update(Message::NextStep) {
            app.update(Message::PrevStep);
            prop_assert_eq!(render(&app, w, h), before);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_huge_window_is_drawn_at_a_bounded_size() {
    use gradstep::ui::drawn_size;
    // ratatui keeps two buffers of the drawn area: 9999×9999 would be gigabytes.
    let huge = drawn_size(9999, 9999);
    assert_eq!((huge.width, huge.height), (1000, 400));
    let wide = drawn_size(5000, 30);
    assert_eq!((wide.width, wide.height), (1000, 30));
    let usual = drawn_size(80, 24);
    assert_eq!((usual.width, usual.height), (80, 24));
    // And the largest drawn size renders every view.
    let mut app = app(Lang::En, true);
    for _ in 0..3 {
        let buf = render(&app, huge.width, huge.height);
        assert!(text(&buf).contains("quit"));
        app.update(Message::CycleView);
    }
}
