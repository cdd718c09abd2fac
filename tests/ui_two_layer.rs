//! The explainer stepping through two layers: a snapshot of every kind of step at 80×24 and
//! 120×40 in both languages, and the keys that move as they move the linear model (`z`, the
//! zero_() experiment, in tests/ui_two_layer_live.rs).

mod ui_common;

use gradstep::engine::mlp::{Activation, TwoLayer};
use gradstep::engine::mlp_session::{MlpSession, MlpStep};
use gradstep::engine::step::Granularity;
use gradstep::lesson::Lang;
use gradstep::preset::{Preset, Start};
use gradstep::ui::two_layer::TwoLayerApp;
use gradstep::ui::{Message, Teach};

fn app(activation: Activation, lang: Lang) -> TwoLayerApp {
    ui_common::two_layer_preset(activation, gradstep::engine::Objective::Sum, lang)
}

fn screen(app: &TwoLayerApp, width: u16, height: u16) -> String {
    ui_common::drawn(app, width, height)
}

/// Steps forward (switching to whole matrices for a matrix-only step) until `target`.
fn to(app: &mut TwoLayerApp, target: MlpStep) {
    if target == MlpStep::SendBackAll && app.session().granularity() == Granularity::Sample {
        app.update(Message::ToggleGranularity);
    }
    for _ in 0..100 {
        if app.session().step() == target {
            return;
        }
        app.update(Message::NextStep);
    }
    panic!("{target:?} not reached");
}

#[test]
fn every_kind_of_step_at_both_sizes_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        for step in MlpStep::EXAMPLES {
            let mut a = app(Activation::Relu, lang);
            to(&mut a, step);
            let code = match lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            };
            for (w, h) in [(80, 24), (120, 40)] {
                let s = screen(&a, w, h);
                insta::assert_snapshot!(format!("two_layer_{}_{w}x{h}_{code}", step.kind()), s);
            }
        }
    }
}

#[test]
fn the_send_back_step_says_relu_at_zero_is_zero() {
    // Sample 1 is x = 0: z = [0, 0.5, −0.5], its first unit exactly at the kink.
    let mut a = app(Activation::Relu, Lang::En);
    to(&mut a, MlpStep::SendBack { sample: 0 });
    let s = screen(&a, 80, 24);
    assert!(s.contains("σ'(0) is taken as 0, as PyTorch does"), "{s}");
    // Sample 3 (x = −1): z = [−1, 1, −1], nothing at 0, nothing said.
    to(&mut a, MlpStep::SendBack { sample: 2 });
    assert!(!screen(&a, 80, 24).contains("taken as 0"));
}

#[test]
fn the_send_back_step_says_the_slope_of_the_runs_own_activation() {
    // σ′ written in h = σ(z): tanh′ = 1 − tanh², sigmoid′ = σ(1 − σ) (the engine's own
    // definitions, engine/mlp.rs), and ReLU's 1 or 0 said only of a ReLU run.
    for (activation, says, en_not) in [
        (Activation::Relu, "1 where z > 0 and 0 elsewhere", "1 − h²"),
        (Activation::Tanh, "σ' = 1 − h²", "ReLU"),
        (Activation::Sigmoid, "σ' = h(1 − h), at most ¼", "ReLU"),
    ] {
        let mut a = app(activation, Lang::En);
        to(&mut a, MlpStep::SendBack { sample: 1 });
        // The narrative wraps: read it as one line of words.
        let s = screen(&a, 120, 40)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(s.contains(says), "{activation:?}: {s}");
        assert!(!s.contains(en_not), "{activation:?}: {s}");
        assert!(!s.contains("{slope}"), "{s}");
        let mut zh = app(activation, Lang::Zh);
        to(&mut zh, MlpStep::SendBack { sample: 1 });
        let s = screen(&zh, 120, 40);
        assert!(
            s.contains(&format!("对 {}", activation.name()).replace("对 relu", "对 ReLU")),
            "{s}"
        );
    }
}

/// Each step's formula as the run computes it: under `mean` the loss is (1/N)Σ, δ/N reaches ŷ
/// and goes on into the second layer's gradients and δ₁, and the update does not divide by N
/// again; `sum-nodiv` divides by nothing; `sum` is the lesson's. The screen shows that formula.
#[test]
fn each_step_formula_follows_the_objective() {
    use gradstep::engine::Objective;
    use gradstep::engine::tape::Recorded;
    use gradstep::ui::two_layer::words::words;
    let formula = |kind: &str, objective| {
        words()
            .step(kind)
            .unwrap_or_else(|| panic!("{kind}"))
            .formula_for(Recorded::of(objective))
            .to_string()
    };
    let mean = |kind| formula(kind, Objective::Mean);
    assert!(mean("loss").starts_with(r"L = \frac{1}{N} \sum"));
    assert!(mean("errors").contains(r"\frac{\partial L}{\partial \hat{y}} = \frac{\delta}{N}"));
    for kind in ["mlp_accumulate_2", "mlp_grads_2"] {
        assert!(mean(kind).contains(r"H^T \frac{\delta}{N}"), "{kind}");
    }
    for kind in ["mlp_send_back", "mlp_send_back_all"] {
        assert!(mean(kind).contains(r"}{N} W_2^T)"), "{kind}");
    }
    // δ₁ already carries the 1/N: the first layer's formulas hold for every objective.
    for kind in ["mlp_accumulate_1", "mlp_grads_1", "mlp_forward", "draw"] {
        assert_eq!(mean(kind), formula(kind, Objective::Sum), "{kind}");
    }
    for objective in [Objective::Mean, Objective::SumNoDiv] {
        let update = formula("mlp_update", objective);
        assert!(!update.contains("/ N"), "{objective:?}: {update}");
    }
    assert!(formula("mlp_update", Objective::Sum).contains(r"\, / N"));
    for kind in ["loss", "errors", "mlp_grads_2", "mlp_send_back"] {
        assert_eq!(
            formula(kind, Objective::SumNoDiv),
            formula(kind, Objective::Sum),
            "{kind}"
        );
    }

    // What arrives at ŷ is said as computed: δ/N from l.mean(), δ from l.sum().
    let said = |objective| {
        words().step("errors").expect("errors").said(
            Recorded::of(objective),
            Activation::Relu,
            Lang::En,
        )
    };
    assert!(said(Objective::Mean).contains("arrives at ŷ divided by N"));
    assert!(!said(Objective::Sum).contains("divided by N"));

    // On screen: the loss step of a mean run draws the mean's formula under its title.
    let mut a = ui_common::two_layer_preset(Activation::Relu, Objective::Mean, Lang::En);
    to(&mut a, MlpStep::Loss);
    let shown = screen(&a, 120, 40);
    let block = gradstep::math::fit(
        &gradstep::math::parse(&mean("loss")).expect("parses"),
        120,
        gradstep::math::Options::default(),
    );
    let rows: Vec<&str> = shown.lines().skip(2).take(3).map(str::trim_end).collect();
    let drawn: Vec<String> = block
        .text_lines()
        .iter()
        .map(|l| l.trim_end().to_string())
        .collect();
    assert_eq!(rows, drawn);
    // 1/N above the Σ, as L = (1/N) Σ ½(ŷ − y)² lays out.
    assert!(
        rows[0].contains('1') && rows[1].starts_with("L = ─"),
        "{rows:?}"
    );
}

#[test]
fn the_keys_move_as_for_the_linear_model() {
    let mut a = app(Activation::Tanh, Lang::En);
    let steps = a.session().steps().len();
    assert_eq!(
        steps, 19,
        "3 forward, 3 + 3 + 3 backward by sample, and 7 more"
    );
    a.update(Message::NextBatch);
    assert_eq!(a.session().global(), 1);
    a.update(Message::PrevStep);
    assert_eq!(
        (a.session().global(), a.session().step()),
        (0, MlpStep::Update)
    );
    a.update(Message::Last);
    assert_eq!(a.session().global(), 29);
    a.update(Message::First);
    assert_eq!(a.session().global(), 0);
    // Go to the run's 12th batch by the prompt, as `:` E:B Enter (a batch alone is one of the
    // current epoch).
    let per = a.session().batches_per_epoch();
    let twelfth = format!("{}:{}", 11 / per + 1, 11 % per + 1);
    a.update(Message::Go(gradstep::run::goto::Go::Open));
    for c in twelfth.chars() {
        a.update(Message::Go(gradstep::run::goto::Go::Type(c)));
    }
    a.update(Message::Go(gradstep::run::goto::Go::Submit));
    assert_eq!(a.session().global(), 11);
    // Going back lands on the same numbers as going forward: replay is exact.
    let ahead = a.session().update().batch.clone();
    a.update(Message::Last);
    a.update(Message::Go(gradstep::run::goto::Go::Open));
    for c in twelfth.chars() {
        a.update(Message::Go(gradstep::run::goto::Go::Type(c)));
    }
    a.update(Message::Go(gradstep::run::goto::Go::Submit));
    assert_eq!(a.session().update().batch, ahead);
    // The granularity toggle folds per-sample steps into their matrix step and back.
    to(&mut a, MlpStep::SendBack { sample: 1 });
    a.update(Message::ToggleGranularity);
    assert_eq!(a.session().step(), MlpStep::SendBackAll);
    assert_eq!(a.session().steps().len(), 8);
}

#[test]
fn tab_without_a_lesson_plan_says_there_is_none() {
    // Tab applies (tests/ui_two_layer_stops.rs); without a lesson plan it says there is none.
    let mut a = app(Activation::Relu, Lang::Zh);
    a.update(Message::NextStop);
    assert!(screen(&a, 80, 24).contains("本课程没有设站"));
}

#[test]
fn every_kind_of_step_has_its_words_and_formula_in_both_languages() {
    let w = gradstep::ui::two_layer::words::words();
    for step in MlpStep::EXAMPLES {
        let t = w
            .step(step.kind())
            .unwrap_or_else(|| panic!("{}", step.kind()));
        assert!(gradstep::math::parse(&t.formula).is_ok(), "{}", t.formula);
        for lang in [Lang::En, Lang::Zh] {
            assert!(!t.title.get(lang).is_empty() && !t.narrative.get(lang).is_empty());
        }
    }
    for key in ["header", "relu_zero", "more", "goto_hint", "end"] {
        for lang in [Lang::En, Lang::Zh] {
            assert_ne!(w.word(key, lang, &[]), key, "{key}");
        }
    }
}

#[test]
fn the_fit_picture_draws_the_curve_for_one_feature_and_the_loss_alone_for_two() {
    let mut a = app(Activation::Relu, Lang::En);
    a.update(Message::CycleView);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("the network's curve is b₂ plus one term per hidden unit"),
        "{s}"
    );
    // Then the objectives compared, the graph, and back to the steps.
    a.update(Message::CycleView);
    assert!(screen(&a, 80, 24).contains("Objectives compared"));
    a.update(Message::CycleView);
    assert!(screen(&a, 80, 24).contains("Autograd graph"));
    a.update(Message::CycleView);
    assert!(screen(&a, 80, 24).contains("Draw the batch"));

    // Two features: no curve to draw; the loss chart and the check alone, and the screen says
    // why there is no curve.
    let data = gradstep::data::Dataset::new(
        vec![0.0, 1.0, 1.0, 0.0, 1.0, 1.0],
        vec![0.0, 1.0, 2.0],
        vec!["a".into(), "b".into()],
        "y".into(),
    )
    .expect("valid");
    let init = gradstep::engine::MlpParams::init(gradstep::engine::Init::Normal, 2, 2, 1);
    let hyper = gradstep::engine::Hyper {
        batch_size: 3,
        ..Default::default()
    };
    let session = MlpSession::new(
        data,
        hyper,
        TwoLayer {
            activation: Activation::Tanh,
            init,
        },
    )
    .expect("a valid run");
    let mut a = TwoLayerApp::new(session, Lang::En, false, false);
    a.update(Message::CycleView);
    let words = screen(&a, 80, 24)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        words.contains("with more than one feature there is no curve to draw over x")
            && words.contains("L per batch")
            && words.contains("∂L/∂W₁[")
            && !words.contains("does not apply"),
        "{words}"
    );
}

#[test]
fn the_curve_is_b2_plus_the_units_and_the_networks_prediction() {
    use gradstep::engine::mlp::predict;
    use gradstep::engine::mlp_session::curve;
    let spec = Preset::TwoLayer.spec();
    let Start::TwoLayer(model) = spec.start else {
        panic!("two layers");
    };
    for activation in Activation::ALL {
        let c = curve(&model.init, activation, (-2.0, 2.0), 9).expect("one feature");
        assert_eq!(c.xs[0], -2.0);
        assert_eq!(c.xs[8], 2.0);
        for (k, &x) in c.xs.iter().enumerate() {
            // A second route: the network's own prediction for the row [x].
            let y = predict(&[x], &model.init, activation);
            assert!((c.y_hat[k] - y).abs() < 1e-12, "{activation:?} x = {x}");
        }
    }
    // ReLU's units are hinges: at x = 2 unit 1 is 0.5·relu(2) = 1, unit 2 is
    // −0.5·relu(−1 + 0.5) = 0, unit 3 is 0.5·relu(1 − 0.5) = 0.25; ŷ(2) = 1.25.
    let c = curve(&model.init, Activation::Relu, (-2.0, 2.0), 9).expect("one feature");
    assert_eq!(
        [c.units[0][8], c.units[1][8], c.units[2][8], c.y_hat[8]],
        [1.0, 0.0, 0.25, 1.25]
    );
}

/// Two features and four hidden units, the most the issue asks to read at 80×24: every kind of
/// step keeps its lines inside the screen, and the panel says what it leaves out.
#[test]
fn two_features_and_four_units_at_80x24() {
    let data = gradstep::data::Dataset::new(
        vec![0.5, -1.0, 1.5, 0.25, -0.5, 2.0],
        vec![1.0, -0.5, 0.75],
        vec!["a".into(), "b".into()],
        "y".into(),
    )
    .expect("valid");
    let init = gradstep::engine::MlpParams {
        w1: nalgebra::DMatrix::from_row_slice(2, 4, &[0.5, -0.5, 1.0, 0.25, 0.25, 1.0, -0.5, 0.5]),
        b1: nalgebra::DVector::from_row_slice(&[0.0, 0.5, -0.25, 0.0]),
        w2: nalgebra::DVector::from_row_slice(&[0.5, -0.25, 0.75, 1.0]),
        b2: 0.1,
    };
    let hyper = gradstep::engine::Hyper {
        batch_size: 3,
        ..Default::default()
    };
    for step in MlpStep::EXAMPLES {
        let session = MlpSession::new(
            data.clone(),
            hyper.clone(),
            TwoLayer {
                activation: Activation::Relu,
                init: init.clone(),
            },
        )
        .expect("a valid run");
        let mut a = TwoLayerApp::new(session, Lang::En, false, false);
        to(&mut a, step);
        let s = screen(&a, 80, 24);
        insta::assert_snapshot!(format!("two_layer_d2_h4_{}_80x24_en", step.kind()), s);
    }
}

#[test]
fn a_long_move_is_computed_in_slices_and_lands_where_one_long_replay_does() {
    // A hundred thousand epochs of the preset: 300,000 batches of three rows, several slices.
    let spec = Preset::TwoLayer.spec();
    let Start::TwoLayer(model) = spec.start else {
        panic!("the two-layer preset starts two layers");
    };
    let data = Preset::TwoLayer
        .fixed_data()
        .expect("fixed data")
        .expect("valid");
    let hyper = gradstep::engine::Hyper {
        epochs: 100_000,
        ..spec.hyper
    };
    let session = MlpSession::new(data, hyper, model).expect("a valid run");
    let mut direct = session.clone();
    let mut app = TwoLayerApp::new(session, Lang::En, false, false);
    let target = app.destination(Message::Last).expect("End goes far");
    assert_eq!(target, app.session().total_batches() - 1);
    let mut slices = 0;
    while !app.explore(target) {
        slices += 1;
        assert!(slices < 10_000, "the move never lands");
        // Between slices the screen says how far it has got.
        assert!(screen(&app, 80, 24).contains("computing batch"));
    }
    app.update(Message::Last);
    direct.go_to_batch(target);
    assert_eq!(app.session().global(), target);
    assert_eq!(app.session().update().indices, direct.update().indices);
    assert_eq!(app.session().next_params(), direct.next_params());
    // Not one slice: a move that long reads keys and signals on its way.
    assert!(slices >= 2, "{slices}");
}

#[test]
fn precision_keys_print_the_same_numbers_with_more_or_fewer_decimals() {
    // δ⁽¹⁾ = ŷ⁽¹⁾ − y⁽¹⁾ = −0.25 − 0.1 = −0.35, by hand from the preset's first batch.
    let mut a = app(Activation::Relu, Lang::En);
    to(&mut a, MlpStep::Errors);
    assert_eq!(a.precision(), 3);
    assert!(screen(&a, 120, 40).contains("-0.350"));
    a.update(Message::Teach(Teach::MorePrecision));
    assert_eq!(a.precision(), 4);
    assert!(screen(&a, 120, 40).contains("-0.3500"));
    for _ in 0..10 {
        a.update(Message::Teach(Teach::MorePrecision));
    }
    assert_eq!(a.precision(), 8);
    assert!(screen(&a, 120, 40).contains("-0.35000000"));
    for _ in 0..10 {
        a.update(Message::Teach(Teach::LessPrecision));
    }
    assert_eq!(a.precision(), 0);
    assert!(!screen(&a, 120, 40).contains("not apply"));
    // The step is unchanged by the digits shown.
    assert_eq!(a.session().step(), MlpStep::Errors);
}

#[test]
fn speed_keys_walk_the_linear_explainers_ladder_of_pauses() {
    use std::time::Duration;
    let mut a = app(Activation::Relu, Lang::En);
    a.update(Message::TogglePlay);
    assert_eq!(a.tick_interval(), Some(Duration::from_millis(800)));
    a.update(Message::Faster);
    assert_eq!(a.tick_interval(), Some(Duration::from_millis(500)));
    assert!(screen(&a, 80, 24).contains("0.5 s/step"));
    for _ in 0..10 {
        a.update(Message::Faster);
    }
    assert_eq!(a.tick_interval(), Some(Duration::from_millis(100)));
    for _ in 0..10 {
        a.update(Message::Slower);
    }
    assert_eq!(a.tick_interval(), Some(Duration::from_millis(3000)));
}

#[test]
fn the_theme_key_cycles_the_palettes_and_names_each() {
    use gradstep::ui::Palette;
    let mut a = app(Activation::Relu, Lang::En);
    assert_eq!(a.palette(), Palette::Default);
    // The order `--theme` documents: default, high-contrast, colorblind, and round again.
    for name in ["high-contrast", "colorblind", "default"] {
        a.update(Message::Teach(Teach::CycleTheme));
        assert_eq!(a.palette().name(), name);
        let s = screen(&a, 80, 24);
        assert!(s.contains(&format!("theme: {name}")), "{s}");
        assert!(!s.contains("not apply"));
    }
    a.set_palette(Palette::Colorblind);
    assert_eq!(a.palette(), Palette::Colorblind);
}

#[test]
fn help_lists_every_key_of_the_table() {
    use gradstep::ui::KEYS;
    let mut a = app(Activation::Relu, Lang::En);
    a.update(Message::ToggleHelp);
    let rows = a.help_rows();
    // Every binding of the key table appears once, in the table's order, each with its keys:
    // every key acts on two layers (`z` too), so there is no heading of keys that do not.
    assert_eq!(rows.len(), KEYS.len());
    assert!(rows.iter().all(|(k, _)| k.is_some()));
    for (row, b) in rows.iter().zip(KEYS) {
        assert_eq!(row.1, b.help.get(Lang::En));
    }
    let acting = rows.len();
    assert!(rows[..acting].iter().any(|(_, t)| t.contains("zero_()")));
    assert!(rows[..acting].iter().any(|(_, t)| t == "one more decimal"));
    // At 80×24 the acting keys run past the first screen; 120×40 holds them.
    let s = screen(&a, 120, 40);
    assert!(s.contains("one more decimal"), "{s}");
    assert!(s.contains("quiz: hide results"), "{s}");
    // Playing waits under the help, and Esc closes it without moving.
    let step = a.session().step_index();
    a.update(Message::Tick);
    assert_eq!(a.session().step_index(), step);
    a.update(Message::Back);
    assert!(!screen(&a, 80, 24).contains("quiz: hide results"));
}

#[test]
fn bookmarks_come_back_to_the_batch_and_step_they_marked() {
    use gradstep::run::goto::Go;
    let mut a = app(Activation::Relu, Lang::En);
    to(&mut a, MlpStep::Errors);
    let (batch, step) = (a.session().global(), a.session().step_index());
    a.update(Message::Go(Go::Mark));
    a.update(Message::Go(Go::Digit('3')));
    assert!(screen(&a, 80, 24).contains("mark 3 set here"));
    a.update(Message::NextBatch);
    a.update(Message::NextBatch);
    a.update(Message::NextStep);
    assert_eq!(a.session().global(), batch + 2);
    a.update(Message::Go(Go::Recall));
    a.update(Message::Go(Go::Digit('3')));
    assert_eq!(
        (a.session().global(), a.session().step_index()),
        (batch, step)
    );
    // δ⁽¹⁾ = −0.25 − 0.1 by hand: the marked step's numbers are back.
    assert!(screen(&a, 80, 24).contains("-0.350"));
    a.update(Message::Go(Go::Recall));
    a.update(Message::Go(Go::Digit('7')));
    assert!(screen(&a, 80, 24).contains("no mark 7 yet"));
    assert!(!screen(&a, 80, 24).contains("not apply"));
}

#[test]
fn go_to_takes_a_batch_epoch_batch_step_or_end() {
    use gradstep::run::goto::Go;
    let type_in = |a: &mut TwoLayerApp, text: &str| {
        a.update(Message::Go(Go::Open));
        for c in text.chars() {
            a.update(Message::Go(Go::Type(c)));
        }
        a.update(Message::Go(Go::Submit));
    };
    let mut a = app(Activation::Relu, Lang::En);
    let per = a.session().batches_per_epoch();
    let total = a.session().total_batches();
    assert!(per >= 3, "the preset has {per} batches an epoch");
    type_in(&mut a, "3");
    assert_eq!((a.session().global(), a.session().step_index()), (2, 0));
    // Epoch 2, its batch 1, step 5: batch (2 − 1)·per + (1 − 1), step index 4.
    type_in(&mut a, "2:1:5");
    assert_eq!((a.session().global(), a.session().step_index()), (per, 4));
    type_in(&mut a, "end");
    assert_eq!(a.session().global(), total - 1);
    // A batch past its epoch is not a place: nothing moves, and the prompt says why.
    type_in(&mut a, &format!("1:{}:1", per + 1));
    assert_eq!(a.session().global(), total - 1);
    let s = screen(&a, 80, 24);
    assert!(s.contains(&format!("epoch 1 has {per} batches")), "{s}");
    // A batch alone is one of the current epoch, as in the linear explainer: from the last
    // epoch, `2` is that epoch's second batch.
    a.update(Message::Go(Go::Cancel));
    type_in(&mut a, "2");
    let last_epoch_start = total - per;
    assert_eq!(a.session().global(), last_epoch_start + 1);
}

#[test]
fn the_key_hints_take_one_line_and_always_keep_quit() {
    for (lang, quit) in [(Lang::En, "q quit"), (Lang::Zh, "q 退出")] {
        let a = app(Activation::Relu, lang);
        for (w, h) in [(60, 18), (80, 24), (120, 40)] {
            let s = screen(&a, w, h);
            let lines: Vec<&str> = s.lines().collect();
            let last = lines[lines.len() - 1];
            assert!(last.contains(quit), "{w}×{h} {lang:?}: {last}");
            // The line above is not the start of a wrapped hint line.
            assert!(!lines[lines.len() - 2].contains("← "), "{s}");
        }
    }
}

#[test]
fn the_help_says_when_there_is_more_below_and_above() {
    use gradstep::ui::Move;
    let mut a = app(Activation::Relu, Lang::En);
    a.update(Message::ToggleHelp);
    let foot = |a: &TwoLayerApp| {
        let s = screen(a, 80, 24);
        s.lines().last().unwrap_or_default().trim_end().to_string()
    };
    assert_eq!(foot(&a), "↓ · ? or Esc closes this");
    a.update(Message::HelpMove(Move::Down));
    assert_eq!(foot(&a), "↑ ↓ · ? or Esc closes this");
    for _ in 0..5 {
        a.update(Message::HelpMove(Move::ScreenDown));
    }
    assert_eq!(foot(&a), "↑ · ? or Esc closes this");
    // The last entry of the help (the last refused key's feature) is on screen at the end.
    let rows = a.help_rows();
    let last = &rows[rows.len() - 1].1;
    assert!(screen(&a, 80, 24).contains(last.as_str()), "{last}");
}
