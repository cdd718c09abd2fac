//! Changing a two-layer run while it is shown: `]` `[` `}` `{` from the next batch, `--change`
//! before it starts, and `r` undoing them. Every number after a change is checked against
//! `gradstep trace --change …` (a separate run of the binary, the closed form with the changes
//! parsed from the command line), bit for bit, and the first changed update by hand.

mod cli_common;
use ui_common::common;
mod ui_common;

use gradstep::engine::Change;
use gradstep::engine::mlp::MlpParams;
use gradstep::engine::mlp_session::MlpSession;
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The two-layer preset's run (9 rows, batch size 3, lr 0.3, 10 epochs), with `changes`.
fn session(changes: &[Change]) -> MlpSession {
    let (data, hyper, model) = common::two_layer_preset();
    MlpSession::new(data, hyper, model)
        .and_then(|s| s.with_changes(changes))
        .expect("a valid run")
}

/// W₁ by rows, b₁, W₂, b₂: the order the trace writes them in.
fn flat(p: &MlpParams) -> Vec<u64> {
    let mut out = Vec::new();
    for r in 0..p.w1.nrows() {
        out.extend((0..p.w1.ncols()).map(|c| p.w1[(r, c)]));
    }
    out.extend(p.b1.iter());
    out.extend(p.w2.iter());
    out.push(p.b2);
    out.into_iter().map(f64::to_bits).collect()
}

fn bits(v: &serde_json::Value) -> Vec<u64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(bits).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().expect("a number").to_bits()],
        other => panic!("not a number: {other}"),
    }
}

fn trace(args: &[&str]) -> Vec<serde_json::Value> {
    cli_common::two_layer_trace(args)
}

/// The session's batch against the trace's record of it: where it is, its rows and settings,
/// the parameters before, every gradient and the parameters after, to the bit.
fn same_as_trace(s: &MlpSession, record: &serde_json::Value) {
    let g = s.global();
    let u = s.update();
    let at = format!("batch {}", g + 1);
    let indices: Vec<u64> = u.indices.iter().map(|&i| i as u64).collect();
    let traced: Vec<u64> = record["indices"]
        .as_array()
        .expect("indices")
        .iter()
        .map(|v| v.as_u64().expect("an index"))
        .collect();
    assert_eq!(indices, traced, "{at}: rows");
    assert_eq!(Some(u.hyper.lr), record["lr"].as_f64(), "{at}: lr");
    assert_eq!(
        Some(u.hyper.batch_size as u64),
        record["batch_size"].as_u64(),
        "{at}: batch size"
    );
    let before: Vec<u64> = ["W1", "b1", "W2", "b2"]
        .iter()
        .flat_map(|k| bits(&record[k]))
        .collect();
    assert_eq!(flat(&u.before), before, "{at}: parameters before");
    let grads: Vec<u64> = ["grad_W1", "grad_b1", "grad_W2", "grad_b2"]
        .iter()
        .flat_map(|k| bits(&record[k]))
        .collect();
    // `.grad` as the update reads it: with --keep-grad the trace writes the held sum.
    assert_eq!(flat(&u.param_grad()), grads, "{at}: gradients");
    let next: Vec<u64> = ["W1_next", "b1_next", "W2_next", "b2_next"]
        .iter()
        .flat_map(|k| bits(&record[k]))
        .collect();
    assert_eq!(flat(s.next_params()), next, "{at}: parameters after");
}

#[test]
fn live_changes_are_the_traces_changes_to_the_bit() {
    let mut app = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    // At batch 1: one rung down the lr ladder (0.3 → 0.1), from batch 2.
    assert!(app.update(Message::LrDown));
    assert_eq!(app.session().update().hyper.lr, 0.3, "batch 1 keeps its lr");
    app.update(Message::NextBatch);
    // At batch 2: one rung down the batch-size ladder (3 → 2), from batch 3.
    app.update(Message::BatchDown);
    let traced = trace(&[
        "--change",
        "2:lr=0.1",
        "--change",
        "3:batch=2",
        "--batches",
        "12",
    ]);
    // With batch size 2 from batch 3, epoch 1 has 2 + ⌈3/2⌉ = 4 batches and the later ones
    // ⌈9/2⌉ = 5: twelve batches end in epoch 3, its third batch.
    assert_eq!(traced[11]["epoch"], 3);
    assert_eq!(traced[11]["batch"], 3);
    app.update(Message::First);
    for (k, record) in traced.iter().enumerate() {
        assert_eq!(app.session().global(), k);
        same_as_trace(app.session(), record);
        app.update(Message::NextBatch);
    }
    // The same run, its changes given before it starts (`--change`).
    let mut given = session(&[
        Change {
            at: 1,
            lr: Some(0.1),
            batch_size: None,
        },
        Change {
            at: 2,
            lr: None,
            batch_size: Some(2),
        },
    ]);
    for record in &traced {
        same_as_trace(&given, record);
        given.next_batch();
    }
}

#[test]
fn the_first_changed_update_by_hand() {
    let mut app = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    app.update(Message::LrUp);
    app.update(Message::NextBatch);
    // Sum objective: p ← p − lr·∂L/∂p / N, with lr one rung up from 0.3 and N = 3.
    let s = app.session();
    let u = s.update();
    assert_eq!(u.hyper.lr, 1.0);
    assert_eq!(u.indices.len(), 3);
    let by_hand = u.before.b2 - 1.0 * u.batch.grad_b2 / 3.0;
    assert_eq!(s.next_params().b2, by_hand);
    let by_hand = u.before.w1[(0, 1)] - 1.0 * u.batch.grad_w1[(0, 1)] / 3.0;
    assert_eq!(s.next_params().w1[(0, 1)], by_hand);
}

#[test]
fn restart_undoes_the_live_changes_but_not_the_given_ones() {
    let given = [Change {
        at: 4,
        lr: Some(1.0),
        batch_size: None,
    }];
    let mut app = TwoLayerApp::new(session(&given), Lang::En, false, false);
    app.update(Message::NextBatch);
    app.update(Message::BatchUp);
    app.update(Message::LrDown);
    assert_eq!(
        app.session().segments().len(),
        2,
        "the live change replaced the given one"
    );
    app.update(Message::NextBatch);
    app.update(Message::NextBatch);
    app.update(Message::Restart);
    assert_eq!(app.session().global(), 0);
    assert_eq!(app.session().step_index(), 0);
    let traced = trace(&["--change", "5:lr=1", "--batches", "8"]);
    for record in &traced {
        same_as_trace(app.session(), record);
        app.update(Message::NextBatch);
    }
}

#[test]
fn a_change_at_the_last_batch_says_there_is_no_next_one() {
    let mut app = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    app.update(Message::Last);
    app.update(Message::LrUp);
    assert_eq!(app.session().segments().len(), 1);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    terminal
        .draw(|f| f.render_widget(&app, f.area()))
        .expect("draw");
    let screen = ui_common::text(terminal.backend().buffer());
    assert!(
        screen.contains("This is the last batch: a change would take effect at the next one."),
        "{screen}"
    );
}

// After batches of 1 from the second epoch on (9 rows: 3 batches in epoch 1, 9 in each after),
// epoch 3's batch 5 is global batch 3 + 9 + 4 = 16, which the prompt finds from the schedule
// as it is, not from the 3 batches an epoch the run started with.
#[test]
fn the_prompt_names_batches_of_the_run_as_changed() {
    use gradstep::run::goto::Go;
    let changed = [Change {
        at: 3,
        lr: None,
        batch_size: Some(1),
    }];
    let mut app = TwoLayerApp::new(session(&changed), Lang::En, false, false);
    app.update(Message::Go(Go::Open));
    for c in "3:5:2".chars() {
        app.update(Message::Go(Go::Type(c)));
    }
    app.update(Message::Go(Go::Submit));
    assert_eq!(app.session().global(), 16);
    assert_eq!(app.session().step_index(), 1);
    assert_eq!(app.session().update().indices.len(), 1);
}

/// `z` leaves out `param.grad.zero_()`: the run is recomputed from its first batch to where
/// it was, each update reading the held sum, every number `gradstep trace --keep-grad`'s to
/// the bit; `z` again puts zero_() back, and `r` undoes it as it undoes the live changes.
#[test]
fn z_forgets_zero_grad_as_trace_keep_grad_does() {
    let mut app = TwoLayerApp::new(session(&[]), Lang::En, false, false);
    app.update(Message::NextBatch);
    app.update(Message::NextStep);
    let (global, step) = (app.session().global(), app.session().step());
    let zeroed = app.session().update().clone();
    app.update(Message::ToggleKeepGrad);
    assert_eq!(
        (app.session().global(), app.session().step()),
        (global, step)
    );
    assert!(!app.session().hyper().zero_grad);
    let s = ui_common::drawn(&app, 80, 24);
    assert!(s.contains("no zero_()"), "{s}");
    assert!(s.contains(".grad adds up every batch's gradient"), "{s}");
    // Batch 2 reads what batch 1 left in .grad: batch 1's gradient, the same as with zero_()
    // (its parameters before are the run's start either way).
    let u = app.session().update();
    assert_eq!(u.before, zeroed.before);
    assert_eq!(
        u.held.as_ref().map(flat),
        Some(flat(&{
            let mut first = session(&[]);
            first.go_to_batch(0);
            first.update().batch.grads()
        }))
    );
    // The graph view's AccumulateGrad leaves hold the sum: b₂.grad = −2.35 (batch 1's Σδ) +
    // (−0.5026 − 2.0657 + 0.0591) (batch 2's own Σδ) = −4.8592, where its own alone is −2.509.
    while app.session().step() != gradstep::engine::mlp_session::MlpStep::Update {
        app.update(Message::NextStep);
    }
    app.update(Message::ToggleGraph);
    let s = ui_common::drawn(&app, 120, 40);
    assert!(s.contains("-4.859") && !s.contains("-2.509"), "{s}");
    app.update(Message::ToggleGraph);
    // The handout's update reads each batch's own ∂L/∂p: it says so rather than writing.
    app.update(Message::Teach(gradstep::ui::Teach::Handout));
    let s = ui_common::drawn(&app, 80, 24);
    assert!(s.contains("z puts zero_() back"), "{s}");
    let traced = trace(&["--keep-grad", "--batches", "6"]);
    app.update(Message::First);
    for record in &traced {
        same_as_trace(app.session(), record);
        app.update(Message::NextBatch);
    }
    app.update(Message::ToggleKeepGrad);
    assert!(app.session().hyper().zero_grad);
    assert!(ui_common::drawn(&app, 80, 24).contains("zero_() is back"));
    app.update(Message::ToggleKeepGrad);
    app.update(Message::Restart);
    assert!(app.session().hyper().zero_grad, "r puts zero_() back");
    assert_eq!(app.session().global(), 0);
}

/// The update step without zero_(): W₁.grad … b₂.grad are the held sums, at both sizes in both
/// languages (each equation recomputed from its printed digits in tests/worked_check.rs).
#[test]
fn the_update_without_zero_grad_at_both_sizes_in_both_languages() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = TwoLayerApp::new(session(&[]), lang, false, false);
        app.update(Message::ToggleKeepGrad);
        app.update(Message::NextBatch);
        while app.session().step() != gradstep::engine::mlp_session::MlpStep::Update {
            app.update(Message::NextStep);
        }
        assert_eq!(app.session().global(), 1, "batch 2: .grad holds batch 1's");
        for (w, h) in [(80, 24), (120, 40)] {
            let s = ui_common::drawn(&app, w, h);
            insta::assert_snapshot!(format!("two_layer_keep_grad_mlp_update_{w}x{h}_{code}"), s);
        }
    }
}

/// Keeping `.grad` doubles what each checkpoint holds: a run that fits with zero_() but not
/// without it refuses `z` with a notice, and stays as it was.
#[test]
fn z_on_a_run_too_long_to_keep_grad_says_so() {
    let (data, hyper, model) = common::two_layer_preset();
    // 3 batches an epoch: 15 million batches, checkpoints of 192 bytes every 16 fit in
    // 256 MiB (at most 22 369 616 batches), twice that (.grad too) do not (11 184 800).
    let hyper = gradstep::engine::Hyper {
        epochs: 5_000_000,
        ..hyper
    };
    let s = MlpSession::new(data, hyper, model).expect("fits with zero_()");
    let mut app = TwoLayerApp::new(s, Lang::En, false, false);
    app.update(Message::ToggleKeepGrad);
    assert!(app.session().hyper().zero_grad);
    let s = ui_common::drawn(&app, 80, 24);
    let words = s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("too long to step through; zero_() stays."),
        "{s}"
    );
}

/// A run long enough for `z`'s way back to take several slices (see `common`).
pub fn long_full_batch_run() -> MlpSession {
    let args = common::long_two_layer_args();
    let run = gradstep::cli::build(&args).expect("the run builds");
    let model = run.two_layer.clone().expect("a hidden layer");
    MlpSession::new(run.data, run.hyper, model).expect("a valid run")
}

/// `z` at the run's end recomputes the new run a slice at a time, as the linear explainer's
/// `z` does: the new run starts at its first batch, the run loop computes the way back to where
/// it was (`opening`), and Esc between slices stays at the new run's start, the experiment on.
/// Let through, it lands where it was, on the numbers of a run that never zeroed `.grad`.
#[test]
fn z_far_into_a_run_goes_back_in_slices_that_esc_stops() {
    let session = long_full_batch_run();
    let last = session.total_batches() - 1;
    assert_eq!(last, 2999);
    let mut app = TwoLayerApp::new(session, Lang::En, false, false);
    while !app.explore(last) {}
    app.update(Message::Last);
    assert_eq!(app.session().global(), last);
    app.update(Message::ToggleKeepGrad);
    // The new run, from its start; the way back is left to the loop.
    assert!(!app.session().hyper().zero_grad);
    assert_eq!(app.session().global(), 0);
    assert_eq!(app.opening(), Some(last));
    let mut keep = app.session().clone();
    // One slice, then Esc: at the new run's start, the experiment kept, nothing more to do.
    assert!(!app.explore(last));
    assert!(ui_common::drawn(&app, 80, 24).contains("computing batch"));
    assert!(app.session().explored() < last);
    app.stop_exploring();
    assert_eq!(app.opening(), None);
    assert_eq!(app.session().global(), 0);
    assert!(!app.session().hyper().zero_grad);
    assert!(!ui_common::drawn(&app, 80, 24).contains("computing batch"));
    // Again, let through: several slices, then the place it was at.
    app.update(Message::Last);
    app.update(Message::ToggleKeepGrad);
    app.update(Message::ToggleKeepGrad);
    assert_eq!(app.opening(), Some(last));
    let mut slices = 0;
    while !app.explore(last) {
        slices += 1;
    }
    assert!(slices >= 2, "{slices}");
    app.open();
    assert_eq!(app.session().global(), last);
    keep.go_to_batch(last);
    assert_eq!(app.session().next_params(), keep.next_params());
    assert_eq!(app.session().update().held, keep.update().held);
    let s = ui_common::drawn(&app, 80, 24);
    assert!(s.contains(".grad adds up every batch's gradient"), "{s}");
}
