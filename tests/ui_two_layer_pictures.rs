//! `v` in the two-layer explainer: the gradient check of every parameter against finite
//! differences computed here, the loss chart's losses against each batch visited in turn, and
//! snapshots of the pictures with one feature (the fit beside the chart) and with two.

use ui_common::common;
mod ui_common;

use common::two_layer_preset as preset;
use gradstep::data::Dataset;
use gradstep::engine::mlp_check;
use gradstep::engine::mlp_losses::{MAX_POINTS, MlpLosses};
use gradstep::engine::mlp_session::MlpSession;
use gradstep::engine::{Activation, Hyper, MlpParams, TwoLayer};
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use gradstep::ui::two_layer::TwoLayerApp;
use ui_common::drawn;

fn session() -> MlpSession {
    let (data, hyper, model) = preset();
    MlpSession::new(data, hyper, model).expect("a valid run")
}

/// The batch's L by its own route: each unit's relu by hand, the rows summed in a plain loop.
fn loss_by_hand(x: &[f64], y: &[f64], p: &MlpParams) -> f64 {
    let mut l = 0.0;
    for (xi, yi) in x.iter().zip(y) {
        let mut y_hat = p.b2;
        for j in 0..p.hidden() {
            let z = xi * p.w1[(0, j)] + p.b1[j];
            y_hat += if z > 0.0 { z } else { 0.0 } * p.w2[j];
        }
        l += 0.5 * (y_hat - yi) * (y_hat - yi);
    }
    l
}

// The preset's first batch by hand (as in ui_two_layer_graph.rs): x = [0, 1, −1],
// y = [0.1, 0.9, 1.1], W₁ = [1, −0.5, 0.5], b₁ = [0, 0.5, −0.5], W₂ = [0.5, −0.5, 0.5]ᵀ, b₂ = 0:
// ∂L/∂W₁ = [−0.2, −0.8, 0], ∂L/∂b₁ = [−0.2, 0.975, 0], ∂L/∂W₂ = [−0.4, −1.775, 0], ∂L/∂b₂ = −2.35.
// At x = 1, z₂ = z₃ = 0 exactly: the kink. Moving W₁₃ by +h makes z₃ = h, so ŷ⁽²⁾ grows by
// 0.5h and L by δ⁽²⁾·0.5h = −0.4·0.5h = −0.2h; by −h nothing moves (relu(−h) = 0). The central
// difference is −0.2h / 2h = −0.1 where the gradient (σ′(0) = 0) says 0. For W₁₂ the active
// sample x = −1 gives −0.8 on both sides and x = 1 adds (−0.5h)·(−0.4) = 0.2h on one: −0.7.
#[test]
fn the_check_of_the_first_batch_is_the_hand_gradient_beside_finite_differences() {
    let s = session();
    let u = s.update();
    let c = mlp_check::check(u, Activation::Relu);
    let analytic =
        |cs: &[gradstep::engine::Check]| -> Vec<f64> { cs.iter().map(|c| c.analytic).collect() };
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(a, b)| (a - b).abs() < 1e-12);
    assert!(close(&analytic(&c.w1), &[-0.2, -0.8, 0.0]), "{:?}", c.w1);
    assert!(close(&analytic(&c.b1), &[-0.2, 0.975, 0.0]), "{:?}", c.b1);
    assert!(close(&analytic(&c.w2), &[-0.4, -1.775, 0.0]), "{:?}", c.w2);
    assert!((c.b2.analytic + 2.35).abs() < 1e-12);

    // Every numeric entry against a central difference taken here, with a step of its own.
    let x: Vec<f64> = (0..u.batch.x.nrows()).map(|i| u.batch.x[(i, 0)]).collect();
    let y: Vec<f64> = u.batch.y.iter().copied().collect();
    assert_eq!(x, [0.0, 1.0, -1.0]);
    let h = 1e-6;
    let diff = |nudge: &dyn Fn(&mut MlpParams, f64)| {
        let (mut up, mut down) = (u.before.clone(), u.before.clone());
        nudge(&mut up, h);
        nudge(&mut down, -h);
        (loss_by_hand(&x, &y, &up) - loss_by_hand(&x, &y, &down)) / (2.0 * h)
    };
    for j in 0..3 {
        let w1 = diff(&|p, e| p.w1[(0, j)] += e);
        let b1 = diff(&|p, e| p.b1[j] += e);
        let w2 = diff(&|p, e| p.w2[j] += e);
        for (mine, theirs) in [(w1, c.w1[j]), (b1, c.b1[j]), (w2, c.w2[j])] {
            assert!((mine - theirs.numeric).abs() < 1e-6, "{mine} vs {theirs:?}");
        }
    }
    assert!((diff(&|p, e| p.b2 += e) - c.b2.numeric).abs() < 1e-6);

    // Where no z sits on a kink the two agree; where one does, the difference is the hand's.
    assert!(c.w1[0].relative_error < 1e-8, "{:?}", c.w1[0]);
    assert!(c.w2.iter().all(|c| c.relative_error < 1e-8), "{:?}", c.w2);
    assert!(c.b2.relative_error < 1e-8);
    assert!((c.w1[1].numeric + 0.7).abs() < 1e-6, "{:?}", c.w1[1]);
    assert!((c.w1[2].numeric + 0.1).abs() < 1e-6, "{:?}", c.w1[2]);
    assert!((c.w1[2].relative_error - 1.0).abs() < 1e-12);
}

#[test]
fn the_chart_holds_each_batch_loss_as_visiting_it_does() {
    let mut s = session();
    let mut visited = vec![s.update().batch.loss];
    for _ in 0..6 {
        assert!(s.next_batch());
        visited.push(s.update().batch.loss);
    }
    let visited: Vec<(usize, f64)> = visited.into_iter().enumerate().collect();
    // The session noted each batch as it computed it: the chart trains nothing of its own.
    let counted: Vec<(usize, f64)> = s.batch_losses().collect();
    assert_eq!(counted, visited);
    assert_eq!(s.losses().batches().collect::<Vec<_>>(), visited);
    // L of the first batch by hand: ½(0.35² + 0.4² + 1.6²) = 1.42125.
    assert!((counted[0].1 - 1.42125).abs() < 1e-12);
    // Three batches of three make an epoch of the nine points: two epochs have ended by batch 7,
    // each with the data's mean loss after its last update, taken here by hand.
    let (data, _, _) = preset();
    let xs: Vec<f64> = (0..data.n()).map(|r| data.row(r)[0]).collect();
    let ys = data.y().to_vec();
    let ends: Vec<usize> = s.epoch_losses().iter().map(|e| e.0).collect();
    assert_eq!(ends, [2, 5]);
    for &(g, mean) in s.epoch_losses() {
        let mut at = session();
        at.go_to_batch(g);
        let by_hand = loss_by_hand(&xs, &ys, at.next_params()) / data.n() as f64;
        assert!((mean - by_hand).abs() < 1e-12, "{mean} vs {by_hand}");
    }
    // A long move computes them ahead of the session's place, a slice at a time: the same, and
    // the chart stops at the current batch.
    let mut ahead = session();
    ahead.explore(3, 1);
    ahead.explore(40, 1);
    assert!(ahead.losses().next() > 6);
    assert_eq!(
        ahead.losses().batches().take(7).collect::<Vec<_>>(),
        visited
    );
    assert_eq!(ahead.batch_losses().collect::<Vec<_>>(), visited[..1]);
    ahead.go_to_batch(6);
    assert_eq!(ahead.batch_losses().collect::<Vec<_>>(), visited);
    // Back to an earlier batch, then on again: the losses counted are not counted twice, and
    // the chart ends at the batch shown.
    s.go_to_batch(2);
    assert_eq!(s.batch_losses().collect::<Vec<_>>(), visited[..3]);
    s.go_to_batch(6);
    assert_eq!(s.losses().batches().count(), 7);
    assert_eq!(s.batch_losses().collect::<Vec<_>>(), visited);
}

#[test]
fn a_long_run_keeps_a_bounded_sample_of_its_losses() {
    // 3,000 epochs of the preset: 9,000 batches of three rows.
    let (data, hyper, model) = preset();
    let hyper = Hyper {
        epochs: 3000,
        ..hyper
    };
    let mut s = MlpSession::new(data, hyper, model).expect("a valid run");
    let last = s.total_batches() - 1;
    assert_eq!(last, 8999);
    let mut slices = 0;
    while !s.explore(last, 1000) {
        slices += 1;
        // Bounded all along the way, not only at the end.
        assert!(s.losses().batches().count() <= MAX_POINTS + 1);
        assert!(s.epoch_losses().len() <= MAX_POINTS);
    }
    assert!(slices >= 8, "{slices}");
    s.go_to_batch(last);
    let points: Vec<(usize, f64)> = s.batch_losses().collect();
    // 9,000 batches halved until at most 2,048 remain: every 8th batch, 1,125 points, then the
    // last batch (8,999), where the run is.
    assert_eq!(s.losses().stride(), 8);
    assert_eq!(points.len(), 1126);
    assert!(points[..1125].iter().all(|(g, _)| g % 8 == 0));
    assert_eq!(points[1125].0, 8999);
    // Epoch k ends at batch 3k − 1. The 2,049th epoch's end passed the cap: every other one of
    // them was kept (epochs 1, 3, …, 2049: 1,025), then epochs 2,050 … 3,000 each (951): 1,976.
    let epochs: Vec<usize> = s.epoch_losses().iter().map(|e| (e.0 + 1) / 3).collect();
    assert_eq!(epochs.len(), 1976);
    assert!(
        epochs[..1025]
            .iter()
            .enumerate()
            .all(|(i, &k)| k == 2 * i + 1)
    );
    assert!(
        epochs[1025..]
            .iter()
            .enumerate()
            .all(|(i, &k)| k == 2050 + i)
    );
    // A kept point is the loss of that very batch, as visiting it computes it.
    for &(g, l) in [points[1], points[600], points[1125]].iter() {
        s.go_to_batch(g);
        assert_eq!(s.update().batch.loss, l, "batch {g}");
    }
    // The pictures at the end draw the kept points without computing any batch again.
    let mut app = TwoLayerApp::new(s, Lang::En, false, false);
    app.update(Message::Last);
    let kept = app.session().losses().clone();
    app.update(Message::CycleView);
    assert!(drawn(&app, 80, 24).contains("batch"));
    assert_eq!(
        app.session().losses().batches().collect::<Vec<_>>(),
        kept.batches().collect::<Vec<_>>()
    );
}

/// The record's thinning on its own, with a cap of 4: noting batches 0…20 keeps the first,
/// every stride-th and the latest; the strides double as the points pass the cap.
#[test]
fn thinning_keeps_the_first_every_stride_th_and_the_latest() {
    let mut r = MlpLosses::with_cap(4);
    for g in 0..=20 {
        // L of batch g is g itself, so a point's value names its batch; every 5th ends an epoch.
        r.note(g, g as f64, (g % 5 == 4).then_some(g as f64));
        assert!(r.batches().count() <= 5, "batch {g}");
    }
    // 21 batches: 0..=20 by 1 would be 21 points, by 2 11, by 4 6, by 8 3 (0, 8, 16) ≤ 4.
    assert_eq!(r.stride(), 8);
    assert_eq!(
        r.batches().collect::<Vec<_>>(),
        [(0, 0.0), (8, 8.0), (16, 16.0), (20, 20.0)]
    );
    // Epochs end at 4, 9, 14, 19: four, within the cap.
    assert_eq!(r.epochs(), [(4, 4.0), (9, 9.0), (14, 14.0), (19, 19.0)]);
    // A batch noted twice, or one past a gap, is not counted.
    r.note(20, 99.0, None);
    r.note(22, 99.0, None);
    assert_eq!(r.next(), 21);
    // A change from batch 10 on forgets 10 and after; noting goes on from 10.
    r.truncate(10);
    assert_eq!(r.batches().collect::<Vec<_>>(), [(0, 0.0), (8, 8.0)]);
    assert_eq!(r.epochs(), [(4, 4.0), (9, 9.0)]);
    assert_eq!(r.next(), 10);
    r.note(10, -1.0, None);
    assert_eq!(r.batches().last(), Some((10, -1.0)));
}

/// Two features and three units (each gradient away from every kink at the first batch).
fn two_features() -> MlpSession {
    let data = Dataset::new(
        vec![0.5, -1.0, 1.5, 0.25, -0.5, 2.0, 1.0, 1.0],
        vec![1.0, -0.5, 0.75, 2.0],
        vec!["a".into(), "b".into()],
        "y".into(),
    )
    .expect("valid");
    let init = MlpParams {
        w1: nalgebra::DMatrix::from_row_slice(2, 3, &[0.5, -0.5, 1.0, 0.25, 1.0, -0.5]),
        b1: nalgebra::DVector::from_row_slice(&[0.1, 0.5, -0.25]),
        w2: nalgebra::DVector::from_row_slice(&[0.5, -0.25, 0.75]),
        b2: 0.1,
    };
    let hyper = Hyper {
        batch_size: 2,
        ..Default::default()
    };
    let model = TwoLayer {
        activation: Activation::Relu,
        init,
    };
    MlpSession::new(data, hyper, model).expect("a valid run")
}

#[test]
fn the_pictures_at_both_sizes_in_both_languages() {
    for (name, session) in [("d1", session()), ("d2", two_features())] {
        for lang in [Lang::En, Lang::Zh] {
            let mut app = TwoLayerApp::new(session.clone(), lang, false, false);
            for _ in 0..4 {
                app.update(Message::NextBatch);
            }
            app.update(Message::CycleView);
            for (w, h) in [(80, 24), (120, 40)] {
                let s = drawn(&app, w, h);
                assert!(s.contains("∂L/∂b₂"), "the check is on screen:\n{s}");
                assert!(!s.contains("does not apply"), "v is not refused:\n{s}");
                let tag = match lang {
                    Lang::En => "en",
                    Lang::Zh => "zh",
                };
                insta::assert_snapshot!(format!("two_layer_pictures_{name}_{w}x{h}_{tag}"), s);
            }
        }
    }
}

#[test]
fn a_notice_is_said_on_the_pictures_too() {
    let mut app = TwoLayerApp::new(session(), Lang::En, false, false);
    app.update(Message::CycleView);
    // `]` raises lr from the next batch, and says so.
    app.update(Message::LrUp);
    let s = drawn(&app, 80, 24);
    assert!(s.contains("From batch 2: lr ="), "{s}");
    assert!(s.contains("∂L/∂b₂"), "{s}");
}

#[test]
fn a_saved_place_on_the_pictures_of_two_features_reopens_them() {
    let keys = [Message::NextBatch, Message::CycleView];
    let (view, left, reopened) = ui_common::two_layer_saved_and_reopened(two_features(), &keys);
    assert_eq!(view, "pictures");
    let screen = drawn(&reopened, 80, 24);
    assert!(
        screen.contains("∂L/∂b₂") && screen.contains("L per batch"),
        "{screen}"
    );
    assert_eq!(screen, drawn(&left, 80, 24));
}
