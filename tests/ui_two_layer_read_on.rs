//! `M` in the two-layer explainer: where the step's text is cut (60×18, the smallest screen), the cut says which key
//! reads on, and `M` shows the text whole (the matrix panel gives way), as the linear one does.

mod ui_common;

use gradstep::data::Dataset;
use gradstep::engine::mlp_session::MlpSession;
use gradstep::engine::{Activation, Hyper, MlpParams, TwoLayer};
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;
use ui_common::drawn;

/// Two features and four units: the most the issue asks to read at 80×24, where the steps'
/// numbers leave the text the fewest rows.
fn app(lang: Lang) -> TwoLayerApp {
    let data = Dataset::new(
        vec![0.5, -1.0, 1.5, 0.25, -0.5, 2.0],
        vec![1.0, -0.5, 0.75],
        vec!["a".into(), "b".into()],
        "y".into(),
    )
    .expect("valid");
    let init = MlpParams {
        w1: nalgebra::DMatrix::from_row_slice(2, 4, &[0.5, -0.5, 1.0, 0.25, 0.25, 1.0, -0.5, 0.5]),
        b1: nalgebra::DVector::from_row_slice(&[0.0, 0.5, -0.25, 0.0]),
        w2: nalgebra::DVector::from_row_slice(&[0.5, -0.25, 0.75, 1.0]),
        b2: 0.1,
    };
    let hyper = Hyper {
        batch_size: 3,
        ..Default::default()
    };
    let model = TwoLayer {
        activation: Activation::Relu,
        init,
    };
    let session = MlpSession::new(data, hyper, model).expect("a valid run");
    TwoLayerApp::new(session, lang, false, false)
}

/// The screen without its spaces and line ends, so wrapped text (Chinese wraps inside a word)
/// reads as the text itself.
fn words(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn a_cut_text_names_m_and_m_shows_it_whole_until_the_step_changes() {
    for (lang, mark) in [(Lang::En, "M read on"), (Lang::Zh, "M 续读")] {
        let mut a = app(lang);
        // The first step whose text the numbers and the panel leave too few rows.
        for _ in 0..a.session().steps().len() {
            if drawn(&a, 60, 18).contains(mark) {
                break;
            }
            a.update(Message::NextStep);
        }
        let kind = a.session().step().kind();
        let text = gradstep::ui::two_layer::words::words()
            .step(kind)
            .expect("the step's words")
            .said(
                gradstep::engine::tape::Recorded::of(a.session().objective()),
                a.session().activation(),
                lang,
            );
        let whole = words(&text);
        let cut = drawn(&a, 60, 18);
        assert!(cut.contains(mark), "{cut}");
        assert!(!words(&cut).contains(&whole), "{cut}");
        a.update(Message::ReadOn);
        let read = drawn(&a, 60, 18);
        assert!(words(&read).contains(&whole), "{read}");
        assert!(!read.contains(mark), "{read}");
        assert!(!read.contains("does not apply"), "{read}");
        // Another step is shown as it is; back here, the text is still whole, as the linear
        // explainer keeps it; M again folds it.
        a.update(Message::NextStep);
        assert!(!words(&drawn(&a, 60, 18)).contains(&whole));
        a.update(Message::PrevStep);
        assert!(words(&drawn(&a, 60, 18)).contains(&whole));
        a.update(Message::ReadOn);
        assert!(drawn(&a, 60, 18).contains(mark));
    }
}

#[test]
fn a_whole_text_has_no_mark_and_m_leaves_the_screen_as_it_was() {
    let mut a = app(Lang::En);
    let before = drawn(&a, 80, 24);
    assert!(!before.contains("read on"), "{before}");
    a.update(Message::ReadOn);
    assert_eq!(drawn(&a, 80, 24), before);
}
