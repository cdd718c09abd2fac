//! Forgetting `param.grad.zero_()` (`--keep-grad`): `.grad` keeps every batch's gradient added
//! up and each update reads the sum. Checked against the closed form Xᵀδ, Σδ of each batch
//! computed here with nalgebra from the rows and the parameters, and between the engine's three
//! paths (the explainer's batch, the allocation-free step, the tape).

mod common;

use common::{close, dataset};
use gradstep::engine::batch::{Scratch, sgd_step};
use gradstep::engine::tape::Linear;
use gradstep::engine::{Hyper, Params, Session};
use nalgebra::{DMatrix, DVector};

/// Four rows of two features, in file order, batches of two.
fn run(zero_grad: bool) -> (gradstep::data::Dataset, Hyper, Params) {
    let data = dataset(
        &[&[1.0, 2.0], &[2.0, -1.0], &[0.5, 1.5], &[-1.0, 3.0]],
        &[3.0, 1.0, 2.0, -2.0],
    );
    let hyper = Hyper {
        lr: 0.05,
        batch_size: 2,
        epochs: 2,
        shuffle: false,
        zero_grad,
        ..Hyper::default()
    };
    let init = Params {
        w: DVector::from_vec(vec![0.25, -0.5]),
        b: 0.125,
    };
    (data, hyper, init)
}

/// The closed form of one batch: ∂L/∂w = Xᵀ(Xw + b − y), ∂L/∂b = Σ(Xw + b − y), by nalgebra.
fn closed_form(
    data: &gradstep::data::Dataset,
    rows: &[usize],
    w: &DVector<f64>,
    b: f64,
) -> (DVector<f64>, f64) {
    let x = DMatrix::from_fn(rows.len(), data.d(), |i, j| data.row(rows[i])[j]);
    let y = DVector::from_iterator(rows.len(), rows.iter().map(|&r| data.y()[r]));
    let delta = &x * w + DVector::from_element(rows.len(), b) - y;
    (x.transpose() * &delta, delta.sum())
}

#[test]
fn batch_twos_gradient_is_batch_ones_plus_its_own() {
    let (data, hyper, init) = run(false);
    let mut s =
        Session::new(data.clone(), hyper.clone(), init.clone()).unwrap_or_else(|e| panic!("{e}"));
    // Batch 1: nothing held yet; the update divides the gradient by N = 2.
    let (g1, gb1) = closed_form(&data, &[0, 1], &init.w, init.b);
    let held = s
        .batch()
        .held
        .clone()
        .unwrap_or_else(|| panic!("keep-grad holds .grad"));
    assert!(held.w.iter().all(|&v| v == 0.0) && held.b == 0.0);
    let w1 = &init.w - &g1 * (hyper.lr / 2.0);
    let b1 = init.b - hyper.lr * gb1 / 2.0;
    for (a, e) in s.batch().w_next.iter().zip(w1.iter()) {
        assert!(close(*a, *e, 1e-12), "{a} vs {e}");
    }
    // Batch 2 holds batch 1's gradient, adds its own, and the update reads the sum.
    s.next_batch();
    let (g2, gb2) = closed_form(&data, &[2, 3], &w1, b1);
    let b = s.batch();
    let held = b.held.clone().unwrap_or_else(|| panic!("held"));
    for (a, e) in held.w.iter().zip(g1.iter()) {
        assert!(close(*a, *e, 1e-12), "held {a} vs batch 1's {e}");
    }
    assert!(close(held.b, gb1, 1e-12));
    let (sum_w, sum_b) = b.param_grad();
    let expected = &g1 + &g2;
    for (a, e) in sum_w.iter().zip(expected.iter()) {
        assert!(close(*a, *e, 1e-12), "w.grad {a} vs {e}");
    }
    assert!(close(sum_b, gb1 + gb2, 1e-12), "{sum_b} vs {}", gb1 + gb2);
    // This batch's own gradient is still its own.
    for (a, e) in b.grad_w.iter().zip(g2.iter()) {
        assert!(close(*a, *e, 1e-12));
    }
    let w2 = &w1 - &expected * (hyper.lr / 2.0);
    for (a, e) in b.w_next.iter().zip(w2.iter()) {
        assert!(close(*a, *e, 1e-12), "the update reads the sum: {a} vs {e}");
    }
    // Zeroing, batch 2 reads its own gradient only: the two runs part.
    let (data, hyper0, init) = run(true);
    let mut z = Session::new(data, hyper0, init).unwrap_or_else(|e| panic!("{e}"));
    z.next_batch();
    assert!(z.batch().held.is_none());
    assert_eq!(z.batch().param_grad().0, z.batch().grad_w);
    assert_ne!(z.batch().w_next, b.w_next);
}

#[test]
fn the_fast_path_the_batch_and_the_tape_agree_bit_for_bit() {
    let (data, hyper, init) = run(false);
    let mut s =
        Session::new(data.clone(), hyper.clone(), init.clone()).unwrap_or_else(|e| panic!("{e}"));
    let mut fast = init.clone();
    let mut scratch = Scratch::default();
    let mut schedule = gradstep::engine::Schedule::new(data.n(), &hyper);
    for g in 0..s.total_batches() {
        let indices = schedule.indices(g).to_vec();
        let before = scratch.held().cloned();
        let b = s.batch().clone();
        assert_eq!(b.w, fast.w, "batch {g}");
        // The tape: .grad set to what was held, then backward() adds this batch's gradient.
        let mut tape = Linear::batch_recorded(&data, &indices, &fast, hyper.objective)
            .unwrap_or_else(|e| panic!("{e}"));
        if let Some(h) = &before {
            assert!(tape.hold_grads(&h.w, h.b));
        }
        tape.backward();
        sgd_step(&data, &indices, &mut fast, &hyper, &mut scratch);
        let (tw, tb) = tape.param_grads().unwrap_or_else(|| panic!("grads"));
        let (pw, pb) = b.param_grad();
        let (sw, sb) = scratch.param_grad();
        assert_eq!(tw.as_slice(), pw.as_slice(), "batch {g}: tape and batch");
        assert_eq!(pw.as_slice(), sw, "batch {g}: batch and fast path");
        assert_eq!((tb, pb), (pb, sb));
        assert_eq!(b.w_next, fast.w);
        assert_eq!(b.b_next, fast.b);
        // The tape's AccumulateGrad shows what it held before.
        let w_node = &tape.tape[tape.w];
        match &before {
            Some(h) => assert_eq!(
                w_node.grad_before.as_ref().map(|m| m.as_slice()),
                Some(h.w.as_slice())
            ),
            None => assert!(w_node.grad_before.is_none()),
        }
        s.next_batch();
    }
}

#[test]
fn going_back_replays_the_held_gradient_from_a_checkpoint() {
    // More batches than a checkpoint stride, so going back replays from a checkpoint, which
    // must carry what .grad held there.
    let rows: Vec<Vec<f64>> = (0..40)
        .map(|i| vec![(i % 7) as f64 * 0.1, 1.0 - (i % 5) as f64 * 0.2])
        .collect();
    let refs: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let y: Vec<f64> = (0..40).map(|i| (i % 3) as f64).collect();
    let data = dataset(&refs, &y);
    let hyper = Hyper {
        lr: 0.01,
        batch_size: 2,
        epochs: 1,
        shuffle: false,
        zero_grad: false,
        ..Hyper::default()
    };
    let init = Params {
        w: DVector::zeros(2),
        b: 0.0,
    };
    let mut s = Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    let mut seen = Vec::new();
    for _ in 0..s.total_batches() {
        seen.push(s.batch().clone());
        s.next_batch();
    }
    for g in [19, 17, 3, 16, 0] {
        s.go_to_batch(g);
        assert_eq!(s.batch(), &seen[g], "batch {g} again");
    }
}

#[test]
fn the_history_budget_counts_what_grad_held_in_a_run_that_keeps_it() {
    use gradstep::engine::session::{history_per_batch, history_per_batch_of};
    // 200 rows in batches of one for 20 epochs: 250 checkpoints, and few epochs (the estimate
    // is per batch; an epoch's loss is one more entry per epoch).
    let rows: Vec<Vec<f64>> = (0..200)
        .map(|i| vec![f64::from(i % 7) * 0.25, f64::from(i % 5) * -0.5])
        .collect();
    let rows: Vec<&[f64]> = rows.iter().map(Vec::as_slice).collect();
    let ys: Vec<f64> = (0..200).map(|i| f64::from(i % 3)).collect();
    for zero_grad in [true, false] {
        let (_, hyper, init) = run(zero_grad);
        let data = dataset(&rows, &ys);
        let hyper = Hyper {
            batch_size: 1,
            epochs: 20,
            lr: 0.001,
            ..hyper
        };
        let d = data.d();
        let mut s = Session::new(data, hyper, init).expect("session");
        s.go_to_batch(3999);
        assert_eq!(s.explored(), 4000);
        let kept = s.history_bytes();
        let estimate = 4000 * history_per_batch_of(d, !zero_grad);
        assert!(kept <= estimate, "{kept} > {estimate}");
        if !zero_grad {
            // What .grad held makes it more than the lesson's own estimate allows for.
            assert!(kept > 4000 * history_per_batch(d), "{kept}");
        }
    }
}
