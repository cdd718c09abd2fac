//! The objectives compared for two layers (`v` after the pictures): the engine's runs under
//! `sum`, `mean` and `sum-nodiv` over the same batches against the preset's first batch worked
//! by hand, and the screen at both sizes in both languages.

use ui_common::common;
mod ui_common;

use common::two_layer_preset as preset;
use gradstep::engine::compare::{self, Entries, max_relative_difference};
use gradstep::engine::mlp_session::MlpSession;
use gradstep::engine::{MlpParams, Objective};
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::pictures::compare::Runs;
use gradstep::ui::two_layer::TwoLayerApp;
use ui_common::drawn;

fn session() -> MlpSession {
    let (data, hyper, model) = preset();
    MlpSession::new(data, hyper, model).expect("a valid run")
}

/// W₁, b₁, W₂, b₂ in the order the hand values below are written (W₁ has one row here).
fn entries(p: &MlpParams) -> Vec<f64> {
    p.entries()
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-12)
}

/// From `before`, the step to `long` is `k` times the step to `short`, entry by entry.
fn steps_times(before: &MlpParams, short: &MlpParams, long: &MlpParams, k: f64) -> bool {
    let step = |after: &MlpParams| -> Vec<f64> {
        let start = entries(before);
        entries(after)
            .iter()
            .zip(&start)
            .map(|(a, p)| a - p)
            .collect()
    };
    let scaled: Vec<f64> = step(short).iter().map(|d| k * d).collect();
    close(&step(long), &scaled)
}

// The preset's first batch by hand (as in ui_two_layer_pictures.rs): x = [0, 1, −1],
// y = [0.1, 0.9, 1.1], W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ, b₂ = 0.
// Forward: ŷ = [−0.25, 0.5, −0.5], δ = [−0.35, −0.4, −1.6], L = ½(0.1225 + 0.16 + 2.56) =
// 1.42125. Gradients of the sum: ∂L/∂W₁ = [−0.2, −0.8, 0], ∂L/∂b₁ = [−0.2, 0.975, 0],
// ∂L/∂W₂ = [−0.4, −1.775, 0], ∂L/∂b₂ = −2.35. With lr 0.3 and N = 3:
// sum (÷N): p − 0.1·g → W₁ = [1.02, −0.42, 0.5], b₁ = [0.02, 0.4025, −0.5],
//   W₂ = [0.54, −0.3225, 0.5], b₂ = 0.235;
// sum-nodiv: p − 0.3·g → W₁ = [1.06, −0.26, 0.5], b₁ = [0.06, 0.2075, −0.5],
//   W₂ = [0.62, 0.0325, 0.5], b₂ = 0.705.
// mean: backward() of the mean seeds 1/N, so its gradient is the sum's over N, and sgd does not
// divide: the same step as sum's in exact arithmetic; in floating point the two round at
// different places (1/3 times each δ before the sums, against ÷3 after), so they agree to
// rounding, not necessarily bit for bit.
#[test]
fn after_the_first_batch_mean_steps_as_sum_and_sum_nodiv_n_times_further() {
    let (data, hyper, model) = preset();
    assert_eq!((hyper.lr, hyper.batch_size), (0.3, 3));
    let run = |h: &_| compare::two_layer_trajectory(&data, h, &model, 3);
    let [sum, mean, nodiv] = compare::objectives_of(&hyper, run);
    assert_eq!(
        (sum.objective, mean.objective, nodiv.objective),
        (Objective::Sum, Objective::Mean, Objective::SumNoDiv)
    );
    let by_hand_sum = [
        1.02, -0.42, 0.5, 0.02, 0.4025, -0.5, 0.54, -0.3225, 0.5, 0.235,
    ];
    let by_hand_nodiv = [
        1.06, -0.26, 0.5, 0.06, 0.2075, -0.5, 0.62, 0.0325, 0.5, 0.705,
    ];
    assert!(
        close(&entries(&sum.params[0]), &by_hand_sum),
        "{:?}",
        sum.params[0]
    );
    assert!(
        close(&entries(&nodiv.params[0]), &by_hand_nodiv),
        "{:?}",
        nodiv.params[0]
    );
    // The same batch's L = Σ½δ² under every objective (the mean run's too).
    for t in [&sum, &mean, &nodiv] {
        assert!((t.losses[0] - 1.42125).abs() < 1e-12, "{:?}", t.losses);
    }
    // Mean against sum: a few units in the last place at most, batch after batch.
    for (s, m) in sum.params.iter().zip(&mean.params) {
        assert!(max_relative_difference(s, m) < 1e-15);
    }
    // sum-nodiv's first step is N = 3 times sum's, entry by entry.
    assert!(steps_times(
        &model.init,
        &sum.params[0],
        &nodiv.params[0],
        3.0
    ));
    // Dividing by the rows or by batch_size: 9 rows in batches of 3, never a short batch.
    let runs = Runs::two_layer(&session());
    assert_eq!(runs.first_short(), None);
    assert_eq!(runs.max_divisors(29), 0.0);
    assert_eq!(runs.objectives[0].params[0], sum.params[0]);
}

// 9 rows in batches of 4: each epoch ends with a batch of 1 row (the 3rd, 0-based 2). Up to it
// both divisors divide by 4, the same arithmetic; there dividing by the rows divides by 1, by
// batch_size still by 4, so from the same parameters its step is 4 times as long.
#[test]
fn on_a_short_last_batch_dividing_by_its_rows_steps_four_times_further() {
    let (data, hyper, model) = preset();
    let hyper = gradstep::engine::Hyper {
        batch_size: 4,
        ..hyper
    };
    let runs = Runs::two_layer(&MlpSession::new(data, hyper, model).expect("a valid run"));
    assert_eq!((runs.first_short(), runs.last_rows()), (Some(2), 1));
    let [actual, nominal] = &runs.divisors;
    assert_eq!(actual.params[..2], nominal.params[..2]);
    let before = &actual.params[1];
    assert!(steps_times(
        before,
        &nominal.params[2],
        &actual.params[2],
        4.0
    ));
    assert!(runs.row(2).divisors.expect("both ran") > 0.0);
}

#[test]
fn v_cycles_the_steps_the_pictures_the_objectives_compared_and_the_graph() {
    let mut app = TwoLayerApp::new(session(), Lang::En, false, false);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let s = drawn(&app, 80, 24);
        seen.push(if s.contains("Objectives compared") {
            "compare"
        } else if s.contains("grad check") {
            "pictures"
        } else if s.contains("Autograd graph") {
            "graph"
        } else if s.contains("Draw the batch") {
            "steps"
        } else {
            "?"
        });
        app.update(Message::CycleView);
    }
    // The help's line for v, and the linear explainer's cycle.
    assert_eq!(seen, ["steps", "pictures", "compare", "graph", "steps"]);
}

#[test]
fn the_compared_view_at_both_sizes_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = TwoLayerApp::new(session(), lang, false, false);
        for _ in 0..2 {
            app.update(Message::NextBatch);
            app.update(Message::CycleView);
        }
        for (w, h) in [(80, 24), (120, 40)] {
            let s = drawn(&app, w, h);
            // Batch 1's L by hand (above): 1.42125, shown to three places.
            assert!(s.contains("1.421"), "{s}");
            assert!(!s.contains("does not apply"), "{s}");
            let tag = match lang {
                Lang::En => "en",
                Lang::Zh => "zh",
            };
            insta::assert_snapshot!(format!("two_layer_compare_{w}x{h}_{tag}"), s);
        }
    }
}

#[test]
fn a_saved_place_on_the_objectives_compared_reopens_them() {
    let keys = [Message::NextBatch, Message::CycleView, Message::CycleView];
    let (view, left, reopened) = ui_common::two_layer_saved_and_reopened(session(), &keys);
    assert_eq!(view, "compare");
    let screen = drawn(&reopened, 80, 24);
    assert!(screen.contains("Objectives compared"), "{screen}");
    assert_eq!(screen, drawn(&left, 80, 24));
}

#[test]
fn small_terminals_do_not_break_the_compared_view() {
    let mut app = TwoLayerApp::new(session(), Lang::Zh, false, false);
    app.update(Message::LrUp);
    app.update(Message::NextBatch);
    app.update(Message::CycleView);
    app.update(Message::CycleView);
    for w in [1, 10, 30, 45, 60, 79] {
        for h in [1, 3, 8, 12, 16, 23] {
            // Every size draws (a screen too small says so) without a panic.
            assert!(!drawn(&app, w, h).is_empty());
        }
    }
}

/// With `zero_()` left out, the compared sum run holds `.grad` as the explainer's run does: its
/// parameters after each batch are the session's, bit for bit, and not those of a run that
/// zeroes (from batch 2 on, the held first gradient makes them differ).
#[test]
fn without_zero_grad_the_compared_runs_hold_grad_as_the_run_shown() {
    let (data, mut hyper, model) = preset();
    hyper.zero_grad = false;
    let mut s = MlpSession::new(data.clone(), hyper.clone(), model.clone()).expect("a valid run");
    let held = compare::two_layer_trajectory(&data, &hyper, &model, 6);
    hyper.zero_grad = true;
    let zeroed = compare::two_layer_trajectory(&data, &hyper, &model, 6);
    assert_eq!(held.params.len(), 6);
    for (g, p) in held.params.iter().enumerate() {
        s.go_to_batch(g);
        assert_eq!(p.entries(), s.next_params().entries(), "batch {}", g + 1);
    }
    assert_eq!(held.params[0].entries(), zeroed.params[0].entries());
    assert_ne!(held.params[1].entries(), zeroed.params[1].entries());
}
