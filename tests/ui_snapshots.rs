//! What every step kind says (its derivation and narrative panels) at 80×24 and 120×40, in both
//! languages, as text; one step as whole screens, so the panels are seen together once. The
//! status line is checked by assertions in `ui_status.rs`, styles in `ui_styles.rs`: a change
//! to either rewrites no snapshot here.

mod ui_common;

use gradstep::engine::{Granularity, Step};
use gradstep::lesson::Lang;
use gradstep::ui::{App, Message};
use ui_common::*;

/// Moves until the current step is `target`'s kind (and sample, if it has one).
fn seek(app: &mut App, target: Step) {
    if target == Step::EpochSummary {
        app.update(Message::NextEpoch);
        app.update(Message::PrevStep);
    }
    let mut guard = 0;
    while app.session().step() != target && guard < 100 {
        app.update(Message::NextStep);
        guard += 1;
    }
    assert_eq!(app.session().step(), target);
}

const STEPS: [(&str, Step); 10] = [
    ("draw", Step::Draw),
    ("forward_sample", Step::ForwardSample { sample: 2 }),
    ("forward", Step::Forward),
    ("loss", Step::Loss),
    ("errors", Step::Errors),
    ("accumulate", Step::Accumulate { sample: 2 }),
    ("grad_w", Step::GradW),
    ("grad_b", Step::GradB),
    ("update", Step::Update),
    ("epoch_summary", Step::EpochSummary),
];

fn snapshot_all(lang: Lang, code: &str) {
    for (name, step) in STEPS {
        let mut app = app(lang, true);
        seek(&mut app, step);
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(format!("text_{name}_{w}x{h}_{code}"), step_text(&app, w, h));
        }
    }
}

#[test]
fn every_step_in_english() {
    snapshot_all(Lang::En, "en");
}

#[test]
fn every_step_in_chinese() {
    snapshot_all(Lang::Zh, "zh");
}

/// The explainer whole, once per size and language: its panels laid out together.
#[test]
fn whole_screens() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = app(lang, true);
        seek(&mut app, Step::Accumulate { sample: 2 });
        for (w, h) in [(80, 24), (120, 40)] {
            let screen = text(&render(&app, w, h));
            insta::assert_snapshot!(format!("accumulate_{w}x{h}_{code}"), screen);
        }
    }
}

#[test]
fn whole_matrix_steps() {
    let mut app = app(Lang::En, true);
    app.update(Message::ToggleGranularity);
    assert_eq!(app.session().granularity(), Granularity::Matrix);
    seek(&mut app, Step::GradW);
    insta::assert_snapshot!("text_matrix_grad_w_80x24_en", step_text(&app, 80, 24));
}

#[test]
fn help_overlay() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = app(lang, true);
        app.update(Message::ToggleHelp);
        insta::assert_snapshot!(format!("help_80x24_{code}"), text(&render(&app, 80, 24)));
    }
}

#[test]
fn too_small_says_what_it_needs() {
    let app = app(Lang::En, true);
    insta::assert_snapshot!("too_small_50x12_en", text(&render(&app, 50, 12)));
    let app = ui_common::app(Lang::Zh, true);
    insta::assert_snapshot!("too_small_50x12_zh", text(&render(&app, 50, 12)));
}

#[test]
fn ambiguous_wide_terminal() {
    let mut app = app_with(session(), Lang::Zh, true, true);
    seek(&mut app, Step::Accumulate { sample: 2 });
    insta::assert_snapshot!("ambiguous_accumulate_80x24_zh", text(&render(&app, 80, 24)));
}

#[test]
fn divergence_is_explained_where_it_happens() {
    let hyper = gradstep::engine::Hyper {
        lr: 1e6,
        ..Default::default()
    };
    let mut app = app_with(
        session_with(gradstep::data::Synthetic::default(), hyper),
        Lang::En,
        true,
        false,
    );
    app.update(Message::Last);
    insta::assert_snapshot!("text_diverged_80x24_en", step_text(&app, 80, 24));
}

#[test]
fn many_features_are_elided() {
    let synthetic = gradstep::data::Synthetic {
        true_w: (0..100).map(|j| j as f64 / 50.0 - 1.0).collect(),
        ..Default::default()
    };
    let hyper = gradstep::engine::Hyper {
        batch_size: 64,
        ..Default::default()
    };
    let mut app = app_with(session_with(synthetic, hyper), Lang::En, true, false);
    seek(&mut app, Step::Accumulate { sample: 30 });
    for (w, h) in [(80, 24), (120, 40)] {
        let matrices = panels(&app, w, h).matrices;
        let panel = region(&render(&app, w, h), matrices);
        insta::assert_snapshot!(format!("matrices_wide_accumulate_{w}x{h}_en"), panel);
    }
}
