//! Random sequences of messages and resizes never panic, and a step forward then back always
//! gives back the very same screen.

mod ui_common;

use gradstep::data::Synthetic;
use gradstep::engine::Hyper;
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use proptest::prelude::*;
use ui_common::*;

#[derive(Clone, Debug)]
enum Action {
    Message(Message),
    Resize(u16, u16),
}

fn message() -> impl Strategy<Value = Message> {
    prop_oneof![
        Just(Message::NextStep),
        Just(Message::PrevStep),
        Just(Message::NextBatch),
        Just(Message::PrevBatch),
        Just(Message::NextEpoch),
        Just(Message::First),
        Just(Message::Last),
        Just(Message::TogglePlay),
        Just(Message::Faster),
        Just(Message::Slower),
        Just(Message::ToggleGranularity),
        Just(Message::ToggleLang),
        Just(Message::Restart),
        Just(Message::ToggleHelp),
        Just(Message::Back),
        Just(Message::Tick),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => message().prop_map(Action::Message),
        1 => (1u16..=300, 1u16..=100).prop_map(|(w, h)| Action::Resize(w, h)),
    ]
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
        let mut app = app_with(session_with(synthetic, hyper), Lang::En, color, ambiguous);
        let (mut w, mut h) = (80u16, 24u16);
        for a in actions {
            match a {
                Action::Message(m) => {
                    app.update(m);
                }
                Action::Resize(nw, nh) => (w, h) = (nw, nh),
            }
            render(&app, w, h);
        }
        let before = render(&app, w, h);
        if app.update(Message::NextStep) {
            app.update(Message::PrevStep);
            prop_assert_eq!(render(&app, w, h), before);
        }
    }
}
