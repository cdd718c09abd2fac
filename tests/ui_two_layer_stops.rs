//! The lesson plan's stops in the two-layer explainer: Tab lands on a stop's place with its note,
//! a stop that sets `hidden` or `activation` recomputes the run with that network from that stop
//! on (checked against the preset's first batch by hand), and Shift-Tab goes back to the
//! earlier network. Snapshots of a stop's screen at both sizes in both languages.

mod cli_common;
mod ui_common;

use cli_common::{rejects, run, scratch, write};
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::engine::{Activation, Objective, Starts, TwoLayer};
use gradstep::lesson::{Lang, Lesson, Stop, StopAt, StopStep, StopView, Text};
use gradstep::preset::{Preset, Start};
use gradstep::run::goto::Stepped;
use gradstep::run::resume::{Resume, RunPrint};
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;

/// The built-in lesson's text and derivation with its stops replaced by the fixture's: a
/// two-layer lesson of two hidden units for the two-layer preset.
fn lesson_text() -> String {
    let embedded = gradstep::lesson::EMBEDDED;
    let cut = embedded
        .find("\n[[stop]]")
        .expect("the built-in lesson has stops");
    let head = embedded[..cut].replacen(
        "stops_for = \"d2l\"\n",
        "stops_for = \"two-layer\"\nhidden = 2\n",
        1,
    );
    let stops = include_str!("fixtures/two_layer_stops.toml");
    format!("{head}\n{stops}")
}

fn lesson() -> Lesson {
    Lesson::parse(&lesson_text())
        .expect("a valid lesson")
        .plan_for(Some("two-layer"))
}

/// The two-layer preset with the lesson's two hidden units, as `--lesson` makes it.
fn app(lang: Lang) -> TwoLayerApp {
    let lesson = lesson();
    assert_eq!(lesson.hidden(), Some(2));
    let spec = Preset::TwoLayer.spec();
    let Start::TwoLayer(own) = spec.start else {
        panic!("the two-layer preset starts two layers");
    };
    let data = Preset::TwoLayer
        .fixed_data()
        .expect("fixed data")
        .expect("valid");
    let starts = Starts {
        own: Some(own.init.clone()),
        init: None,
        d: 1,
        seed: spec.hyper.seed,
    };
    let model = TwoLayer {
        activation: own.activation,
        init: starts.params(2),
    };
    let session = MlpSession::new(data, spec.hyper, model).expect("a valid run");
    let mut app = TwoLayerApp::new(session, lang, false, false);
    app.set_stops(lesson.stops().to_vec(), starts);
    app
}

fn screen(app: &TwoLayerApp, width: u16, height: u16) -> String {
    ui_common::drawn(app, width, height)
}

fn hidden(app: &TwoLayerApp) -> usize {
    app.session().model().init.hidden()
}

#[test]
fn the_first_stop_is_where_the_run_opens_with_two_units() {
    let app = app(Lang::En);
    assert_eq!(app.stop_here().map(|(k, n, _)| (k, n)), Some((0, 4)));
    assert_eq!(hidden(&app), 2);
    let s = screen(&app, 80, 24);
    assert!(s.contains("stop 1/4: Two hidden units first."), "{s}");
    assert!(s.contains("H = 2"), "{s}");
    assert!(
        s.contains("Tab"),
        "Tab is offered: the lesson has stops\n{s}"
    );
}

// The preset's first batch by hand (tests/ui_two_layer_graph.rs): x = [0, 1, −1],
// y = [0.1, 0.9, 1.1], W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ, b₂ = 0.
//   Sample 2 (step 3, the second forward step): z = 1·W₁ + b₁ = [1, 0, 0], h = relu(z) =
//   [1, 0, 0], ŷ⁽²⁾ = h·W₂ + b₂ = 0.5.
//   ∂L/∂W₂ = Hᵀδ = [−0.4, −1.775, 0]; the update (lr 0.3 over N = 3, the stop's lr 0.1 starts
//   at the next batch): W₂ − 0.1·∂L/∂W₂ = [0.54, −0.3225, 0.5].
#[test]
fn tab_to_a_stop_with_three_units_is_the_presets_run_by_hand() {
    let mut app = app(Lang::En);
    app.update(Message::NextStop);
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(1));
    assert_eq!(hidden(&app), 3);
    assert_eq!(app.session().activation(), Activation::Relu);
    assert_eq!(app.session().global(), 0);
    assert_eq!(app.session().step(), MlpStep::ForwardSample { sample: 1 });
    let s = screen(&app, 80, 24);
    assert!(s.contains("stop 2/4: Now three hidden units"), "{s}");
    assert!(s.contains("H = 3"), "{s}");
    assert!(s.contains("= [ 1.000  0.000  0.000 ]"), "z⁽²⁾:\n{s}");
    // h⁽²⁾ = (1, 0, 0), W₂ = (0.5, −0.5, 0.5), b₂ = 0: ŷ⁽²⁾ = 0.5.
    assert!(
        s.contains("1.000 · 0.500 + 0.000 · (-0.500) + 0.000 · 0.500 + 0.000")
            && s.contains("= 0.500"),
        "ŷ⁽²⁾ = 0.5:\n{s}"
    );

    let w2 = &app.session().next_params().w2;
    for (got, want) in w2.iter().zip([0.54, -0.3225, 0.5]) {
        assert!((got - want).abs() < 1e-12, "W₂ after batch 1: {w2}");
    }
    // The stop's learning rate from the next batch.
    assert!((app.session().update().hyper.lr - 0.3).abs() < 1e-15);
    app.update(Message::NextBatch);
    assert!((app.session().update().hyper.lr - 0.1).abs() < 1e-15);
}

#[test]
fn a_later_stop_keeps_the_units_and_shift_tab_gives_the_earlier_networks_back() {
    let mut app = app(Lang::En);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(2));
    assert_eq!(hidden(&app), 3, "stop 2's three units hold from there on");
    assert_eq!(app.session().activation(), Activation::Tanh);
    assert_eq!(app.session().global(), 1);
    assert_eq!(app.session().step(), MlpStep::SendBack { sample: 0 });
    assert_eq!(app.session().objective(), Objective::Sum);
    // Stop 4: the fit picture, the whole run minimising the mean, the same network.
    app.update(Message::NextStop);
    assert_eq!(app.session().objective(), Objective::Mean);
    assert_eq!(
        (hidden(&app), app.session().activation()),
        (3, Activation::Tanh)
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("The fit: the network's curve"), "{s}");
    assert!(
        s.contains("stop 4/4: The fit, now minimising the mean."),
        "{s}"
    );
    // `v` three times: past the objectives compared and the graph, back to the steps.
    app.update(Message::CycleView);
    app.update(Message::CycleView);
    app.update(Message::CycleView);
    app.update(Message::NextStop);
    assert!(screen(&app, 80, 24).contains("no stop after this place"));
    // Back past stop 3 (tanh) to stop 2: relu again; the objective a stop set stays, as in the
    // linear explainer (a forward step does not read it).
    app.update(Message::PrevStop);

    app.update(Message::PrevStop);
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(1));
    assert_eq!(hidden(&app), 3);
    assert_eq!(app.session().activation(), Activation::Relu);
    assert!(
        screen(&app, 80, 24).contains("1.000 · 0.500 + 0.000 · (-0.500) + 0.000 · 0.500 + 0.000")
    );

    app.update(Message::PrevStop);
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(0));
    assert_eq!(hidden(&app), 2);
    assert_eq!(app.session().place().global, 0);
    app.update(Message::PrevStop);
    assert!(screen(&app, 80, 24).contains("no stop before this place"));
}

#[test]
fn stepping_past_a_stop_shows_its_note_and_r_gives_the_first_network_back() {
    let mut app = app(Lang::En);
    app.update(Message::NextStep);
    assert_eq!(app.stop_here(), None);
    app.update(Message::NextStep);
    // Reached by stepping: the note shows, the network stays (as the linear explainer's stops).
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(1));
    assert!(screen(&app, 80, 24).contains("stop 2/4"));
    assert_eq!(hidden(&app), 2);
    app.update(Message::NextStop);
    assert_eq!(hidden(&app), 3);
    app.update(Message::Restart);
    assert_eq!(hidden(&app), 2);
    assert_eq!(app.session().global(), 0);
}

#[test]
fn a_stop_asking_for_the_compare_view_opens_it_and_sets_the_quiz() {
    let mut app = app(Lang::En);
    let stop = Stop {
        line: 1,
        at: StopAt {
            epoch: 1,
            batch: 2,
            step: StopStep::Index(3),
        },
        note: Text {
            en: "Compare the objectives.".into(),
            zh: "比较目标函数。".into(),
        },
        lr: None,
        batch_size: None,
        objective: None,
        view: Some(StopView::Compare),
        quiz: Some(true),
        hidden: None,
        activation: None,
    };
    let starts = Starts {
        own: None,
        init: None,
        d: 1,
        seed: 0,
    };
    app.set_stops(vec![stop], starts);
    app.update(Message::NextStop);
    assert_eq!(app.session().global(), 1);
    let s = screen(&app, 80, 24);
    let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("Objectives compared"), "{s}");
    assert!(!words.contains("does not apply"), "{s}");
    assert!(words.contains("stop 1/1: Compare the objectives."), "{s}");
    assert!(app.hiding(), "the stop turned the quiz on");
}

#[test]
fn playing_pauses_at_a_stop_without_applying_it() {
    let mut app = app(Lang::En);
    app.update(Message::TogglePlay);
    app.update(Message::Tick);
    assert!(app.tick_interval().is_some(), "step 2 is no stop");
    app.update(Message::Tick);
    assert_eq!(app.stop_here().map(|(k, _, _)| k), Some(1));
    assert_eq!(app.tick_interval(), None, "paused at stop 2");
    assert_eq!(
        hidden(&app),
        2,
        "reached by playing, as by stepping: noted, not applied"
    );
}

#[test]
fn a_saved_place_after_a_stop_reopens_with_that_stops_network() {
    let mut left = app(Lang::En);
    let (data, hyper, model) = (
        left.session().data().clone(),
        left.session().hyper().clone(),
        left.session().model().clone(),
    );
    let resume = |saved| Resume {
        // Never written: the saved place is handed over in memory.
        path: std::path::PathBuf::from("place.json"),
        args: Vec::new(),
        run: RunPrint::two_layer("the two-layer preset", &data, &hyper, &model, &[]),
        saved,
    };
    left.set_resume(resume(None));
    left.update(Message::NextStop);
    left.update(Message::NextStep);
    let (_, saved) = left.saved().expect("a place to keep");
    assert_eq!(saved.stop, Some(1));

    let mut reopened = app(Lang::En);
    reopened.set_resume(resume(Some(saved)));
    reopened.open();
    assert_eq!(hidden(&reopened), 3);
    assert_eq!(reopened.session().place(), left.session().place());
    assert_eq!(screen(&reopened, 80, 24), screen(&left, 80, 24));
}

#[test]
fn snapshots_of_a_stop_with_three_units() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang);
        app.update(Message::NextStop);
        for (w, h) in [(80, 24), (120, 40)] {
            let name = format!("stop_three_units_{w}x{h}_{lang:?}").to_lowercase();
            insta::assert_snapshot!(name, screen(&app, w, h));
        }
    }
}

// Stop 2's batch is the preset's first with three units: δ = ŷ − y = [−0.25 − 0.1, 0.5 − 0.9,
// −0.5 − 1.1] = [−0.35, −0.4, −1.6], ∂L/∂b₂ = Σδ = −2.35, and with δ₁ = [[0, 0.175, 0],
// [−0.2, 0, 0], [0, 0.8, 0]] (tests/ui_two_layer_graph.rs) ∂L/∂W₁ below. Stop 3 is batch 2
// under tanh.
#[test]
fn the_handout_of_a_stop_with_a_hidden_layer_is_the_two_layer_handout_of_its_batch() {
    let dir = scratch("two-layer-stops-handout");
    let path = write(&dir.join("lesson.toml"), lesson_text().as_bytes());
    let base = [
        "handout",
        "--preset",
        "two-layer",
        "--lesson",
        &path,
        "--stop",
    ];
    let handout = |k: &str| {
        let out = run(&[&base[..], &[k]].concat());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let two = handout("2");
    assert!(
        two.contains("> **Stop of the lesson plan at epoch 1, batch 1:** Now three hidden units"),
        "{two}"
    );
    assert!(
        two.contains("Backpropagation through a hidden layer"),
        "{two}"
    );
    assert!(two.contains("| Hidden units | 3 |"), "{two}");
    // ∂L/∂W₁ = xᵀδ₁ = 0·[0, 0.175, 0] + 1·[−0.2, 0, 0] − 1·[0, 0.8, 0] = [−0.2, −0.8, 0].
    assert!(
        two.contains("X^T \\delta_1 = \\begin{bmatrix} -0.2000 & -0.8000 & 0.0000 \\end{bmatrix}"),
        "∂L/∂W₁:\n{two}"
    );
    assert!(
        two.contains("\\delta = \\hat{y} - y = \\begin{bmatrix} -0.3500 \\\\ -0.4000 \\\\ -1.6000 \\end{bmatrix}"),
        "{two}"
    );
    assert!(
        two.contains("\\sum_i \\delta^{(i)} = -2.3500"),
        "∂L/∂b₂:\n{two}"
    );

    let one = handout("1");
    assert!(one.contains("| Hidden units | 2 |"), "{one}");
    let four = handout("4");
    assert!(four.contains("`mean`"), "{four}");
    let three = handout("3");
    assert!(three.contains("| Activation σ | `tanh` |"), "{three}");
    assert!(three.contains("| Hidden units | 3 |"), "{three}");
    assert!(three.contains("epoch 1, batch 2:"), "{three}");

    rejects(
        &[&base[..], &["5"]].concat(),
        "--stop 5: the lesson has 4 stops",
    );
}

/// `gradstep serve`: a following student's explainer has the teacher's plan, so it shows the
/// stop's note where the teacher is, on the run the stop made.
#[cfg(feature = "serve")]
#[test]
fn a_following_student_sees_the_stop_and_its_network() {
    use gradstep::serve::class::TwoLayerClass;
    use gradstep::serve::desk::Setup;
    use gradstep::serve::gate::Access;
    use gradstep::serve::two_layer::TwoLayerStudent;
    use std::sync::Arc;

    let mut teacher = app(Lang::En);
    let run = gradstep::cli::build(&gradstep::cli::RunArgs {
        preset: Some(Preset::TwoLayer),
        ..gradstep::cli::RunArgs::default()
    })
    .expect("the preset builds");
    let start = run.session().expect("the linear run of the same data");
    let options = gradstep::ui::UiOptions::default();
    let class = gradstep::serve::class(&run, start, Lesson::default(), options, Access::Open, 4)
        .expect("class")
        .with_two_layer(
            TwoLayerClass::new(teacher.session().clone(), teacher.place())
                .with_plan(teacher.lesson_plan()),
        );
    let class = Arc::new(class);
    let setup = Setup {
        user: "ann".into(),
        size: (80, 24),
        lang: Lang::En,
        color: false,
    };
    let seat = class.join().expect("a seat");
    let mut student = TwoLayerStudent::new(Arc::clone(&class), seat, &setup).expect("student");

    teacher.update(Message::NextStop);
    class
        .two_layer
        .as_ref()
        .expect("two layers")
        .publish(&teacher);
    student.teacher_moved(teacher.place());
    assert_eq!(hidden(student.app()), 3);
    assert_eq!(student.app().stop_here().map(|(k, _, _)| k), Some(1));
    assert_eq!(screen(student.app(), 80, 24), screen(&teacher, 80, 24));
}

/// A plan written for the linear model stops a two-layer run where its steps live one layer
/// further: the lesson's running sums are the second layer's (H in place of X), its forward by
/// sample and its update are the network's. The epoch's summary has no two-layer screen.
#[test]
fn a_linear_plan_stops_where_the_second_layer_carries_its_steps() {
    use gradstep::run::goto::first_of_kind;
    let a = app(Lang::En);
    let s = a.session();
    let kinds = s.step_kinds(0);
    for (linear, two_layer) in [
        ("draw", "draw"),
        ("forward_sample", "mlp_forward_sample"),
        ("loss", "loss"),
        ("errors", "errors"),
        ("accumulate", "mlp_accumulate_2"),
        ("update", "mlp_update"),
    ] {
        let place = first_of_kind(s, 1, 1, linear).expect(linear);
        assert_eq!(kinds[place.step], two_layer, "{linear}");
        // The first of its kind: nothing earlier in the batch carries it.
        assert!(kinds[..place.step].iter().all(|k| *k != two_layer));
    }
    let summary = first_of_kind(s, 1, 1, "epoch_summary");
    assert!(summary.is_err(), "{summary:?}");
}
