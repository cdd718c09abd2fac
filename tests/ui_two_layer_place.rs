//! Where a two-layer run opens and what it keeps: `--at E:B:S` named against the run as it is
//! scheduled (live changes included), bookmarks and the saved place `--resume` reopens, which
//! records the hidden layer so that a linear place never opens a two-layer run.

mod cli_common;
use ui_common::common;
mod ui_common;

use cli_common::{fails_with, rejects, scratch};
use gradstep::engine::Change;
use gradstep::engine::mlp_session::MlpSession;
use gradstep::lesson::Lang;
use gradstep::run::goto::{Go, Miss, Place, Target};
use gradstep::run::resume::{self, Resume, RunPrint};
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;

/// The two-layer preset's run (9 rows, batch size 3, 10 epochs), with `changes`.
fn session(changes: &[Change]) -> MlpSession {
    let (data, hyper, model) = common::two_layer_preset();
    MlpSession::new(data, hyper, model)
        .and_then(|s| s.with_changes(changes))
        .expect("a valid run")
}

fn screen(app: &TwoLayerApp) -> String {
    ui_common::drawn(app, 80, 24)
}

/// From batch 3 on, two rows a batch.
const HALVED: [Change; 1] = [Change {
    at: 2,
    lr: None,
    batch_size: Some(2),
}];

#[test]
fn at_names_epoch_batch_and_step_as_the_run_is_scheduled() {
    let s = session(&HALVED);
    // Epoch 1 takes rows 0-2, 3-5, then 6-7 and 8: four batches, so epoch 2's first is the
    // fifth (global 4), of two rows.
    let place = Target::parse("2:1:5").and_then(|t| t.resolve(&s));
    assert_eq!(
        place,
        Ok(Place {
            global: 4,
            step: 4,
            by_sample: true
        })
    );
    // Per sample, a batch of N rows has 4N + 7 steps: draw, N forward, forward, loss, errors,
    // N + 1 for layer 2, N sent back, N + 1 for layer 1, update.
    let too_far = Target::parse("2:1:16").and_then(|t| t.resolve(&s));
    assert_eq!(
        too_far,
        Err(Miss::Step {
            step: 16,
            epoch: 2,
            batch: 1,
            steps: 15
        })
    );
    assert_eq!(
        Target::parse("1:5:1").and_then(|t| t.resolve(&s)),
        Err(Miss::Batch {
            batch: 5,
            epoch: 1,
            per: 4
        })
    );
    let mut app = TwoLayerApp::new(s, Lang::En, false, false);
    app.open_at(place.expect("a place"));
    assert_eq!(app.opening(), Some(4));
    app.open();
    let s = app.session();
    assert_eq!((s.global(), s.step_index()), (4, 4));
    assert_eq!(s.update().indices.len(), 2);
    assert_eq!(s.steps().len(), 15);
}

#[test]
fn at_on_the_command_line_says_what_is_wrong_before_the_terminal() {
    rejects(
        &["--preset", "two-layer", "--at", "11:1:1"],
        "--at 11:1:1: epoch 11: this run has 10 epochs",
    );
    // Three rows: 4·3 + 7 steps.
    rejects(
        &["--preset", "two-layer", "--at", "1:1:20"],
        "--at 1:1:20: step 20: batch 1:1 has 19 steps",
    );
    rejects(
        &[
            "--preset",
            "two-layer",
            "--change",
            "3:batch=2",
            "--at",
            "1:5:1",
        ],
        "--at 1:5:1: batch 5: epoch 1 has 4 batches",
    );
}

/// Where the two-layer preset's place is kept at `path`, and the place found there.
fn resume_at(path: &std::path::Path) -> impl Fn(Option<resume::Saved>) -> Resume {
    let (data, hyper, model) = common::two_layer_preset();
    let print = RunPrint::two_layer("the two-layer preset", &data, &hyper, &model, &[]);
    let path = path.to_path_buf();
    move |saved| Resume {
        path: path.clone(),
        args: vec!["--preset".into(), "two-layer".into()],
        run: print.clone(),
        saved,
    }
}

#[test]
fn a_saved_place_reopens_the_same_screen_with_its_changes_and_marks() {
    let dir = scratch("two-layer-place");
    let path = dir.join("gradstep/place.json");
    let resume = resume_at(&path);
    let mut left = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    left.set_resume(resume(None));
    left.update(Message::LrUp);
    left.update(Message::NextBatch);
    left.update(Message::Go(Go::Mark));
    left.update(Message::Go(Go::Digit('4')));
    left.update(Message::NextBatch);
    left.update(Message::ToggleGranularity);
    left.update(Message::NextStep);
    left.update(Message::NextStep);
    left.update(Message::ToggleLang);
    let (at, saved) = left.saved().expect("a place to keep");
    assert_eq!(at, path);
    assert_eq!(saved.run.hidden, Some(3));
    assert_eq!(saved.run.activation.as_deref(), Some("relu"));
    resume::save(&path, &saved).expect("saved");
    let loaded = resume::load(&path).expect("loaded");
    assert_eq!(loaded, saved);

    let mut reopened = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    reopened.set_resume(resume(Some(loaded)));
    reopened.open();
    assert_eq!(screen(&reopened), screen(&left));
    let (a, b) = (left.session(), reopened.session());
    assert_eq!((b.global(), b.step_index()), (2, 2));
    assert_eq!(b.granularity(), a.granularity());
    assert_eq!(b.segments(), a.segments());
    // The live change is back: batch 3 updates with lr one rung above 0.3.
    assert_eq!(b.update().hyper.lr, 1.0);
    assert_eq!(b.next_params(), a.next_params());
    // So is the bookmark, per sample as it was set.
    reopened.update(Message::Go(Go::Recall));
    reopened.update(Message::Go(Go::Digit('4')));
    let b = reopened.session();
    assert_eq!((b.global(), b.step_index(), b.steps().len()), (1, 0, 19));
}

/// `z` is part of the place: a run left without zero_() reopens without it, on the same
/// numbers (each update reading the held sum).
#[test]
fn a_saved_place_keeps_the_zero_grad_experiment() {
    let dir = scratch("two-layer-place-keep-grad");
    let path = dir.join("gradstep/place.json");
    let resume = resume_at(&path);
    let mut left = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    left.set_resume(resume(None));
    left.update(Message::NextBatch);
    left.update(Message::NextBatch);
    left.update(Message::ToggleKeepGrad);
    let (_, saved) = left.saved().expect("a place to keep");
    assert!(!saved.live.zero_grad);
    resume::save(&path, &saved).expect("saved");
    let loaded = resume::load(&path).expect("loaded");
    let mut reopened = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    reopened.set_resume(resume(Some(loaded)));
    reopened.open();
    let (a, b) = (left.session(), reopened.session());
    assert!(!b.hyper().zero_grad);
    assert_eq!(b.global(), 2);
    assert_eq!(b.update().held, a.update().held);
    assert!(b.update().held.is_some());
    assert_eq!(b.next_params(), a.next_params());
    // Past the notice `z` left on the first screen, the screens are the same.
    left.update(Message::NextStep);
    reopened.update(Message::NextStep);
    assert_eq!(screen(&reopened), screen(&left));
}

/// `v` goes lesson → pictures → compare → graph → lesson, as the help's line for it says and
/// as the linear explainer's does, and a place left on any of them reopens on it.
#[test]
fn v_reaches_every_view_and_a_place_reopens_on_it() {
    let dir = scratch("two-layer-place-views");
    let path = dir.join("gradstep/place.json");
    let resume = resume_at(&path);
    let mut left = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    left.set_resume(resume(None));
    // Each view's own heading (the lesson's view: the first step's title).
    for heading in [
        "The fit",
        "Objectives compared",
        "Autograd graph",
        "Draw the batch",
    ] {
        left.update(Message::CycleView);
        let shown = screen(&left);
        assert!(shown.contains(heading), "{heading}: {shown}");
        let (_, saved) = left.saved().expect("a place to keep");
        resume::save(&path, &saved).expect("saved");
        let mut reopened = TwoLayerApp::new(session(&[]), Lang::En, false, false);
        reopened.set_resume(resume(Some(resume::load(&path).expect("loaded"))));
        reopened.open();
        assert_eq!(screen(&reopened), shown, "{heading}");
    }
}

#[test]
fn a_linear_place_does_not_open_a_two_layer_run() {
    let dir = scratch("two-layer-linear-place");
    // The source as the command line names it, so that only the model differs.
    let (data, hyper, _) = common::two_layer_preset();
    let init = gradstep::engine::Params::zeros(data.d());
    let linear = RunPrint::new("the two-layer preset, 9 rows", &data, &hyper, &init, &[]);
    let saved = resume::Saved {
        version: resume::VERSION,
        args: vec!["--preset".into(), "two-layer".into()],
        run: linear,
        place: Place {
            global: 0,
            step: 0,
            by_sample: true,
        },
        view: "lesson".into(),
        quiz: false,
        present: false,
        precision: 3,
        lang: "en".into(),
        theme: "default".into(),
        live: gradstep::run::live::Live {
            objective: "sum".into(),
            changes: Vec::new(),
            zero_grad: true,
        },
        marks: [None; 10],
        stop: None,
    };
    resume::save(&dir.join("gradstep/place.json"), &saved).expect("saved");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(["--preset", "two-layer", "--resume"])
        .env("XDG_STATE_HOME", &*dir)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the binary runs");
    fails_with(
        &out,
        2,
        "--resume: the saved place is for another run; these differ: the model (saved the \
         linear model, no --hidden, now --hidden 3 --activation relu)",
        "a linear place",
    );
}
