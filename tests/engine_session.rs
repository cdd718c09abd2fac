//! The step machine: every row once per epoch, exact history, reproducibility, objectives,
//! divisors and divergence.

mod common;

use common::{
    check_exact, close, dataset, default_run, preset_session, short_last_batch_run,
    straight_through,
};
use gradstep::data::Synthetic;
use gradstep::engine::batch::BatchPos;
use gradstep::engine::{
    Batch, DivideBy, Granularity, Hyper, Init, Objective, Params, Schedule, Session, Step, train,
};
use gradstep::preset::Preset;
use proptest::prelude::*;

#[test]
fn default_run_learns_the_true_parameters() {
    let (data, hyper, init) = default_run();
    let report = train(&data, &hyper, init).expect("valid run");
    assert_eq!(report.epochs.len(), 3);
    assert!(report.diverged_at.is_none());
    for (w, t) in report.params.w.iter().zip([2.0, -3.4]) {
        assert!((w - t).abs() < 0.01, "w {w} vs {t}");
    }
    assert!(
        (report.params.b - 4.2).abs() < 0.01,
        "b {}",
        report.params.b
    );
    // d2l's loss after three epochs is of the order of the noise: ½·0.01² = 5e-5.
    assert!(report.epochs[2].loss < 2e-4, "{:?}", report.epochs);
}

#[test]
fn every_row_is_visited_once_per_epoch() {
    let hyper = Hyper {
        batch_size: 7,
        epochs: 3,
        ..Hyper::default()
    };
    let mut schedule = Schedule::new(100, &hyper);
    let per = schedule.batches_per_epoch();
    assert_eq!(per, 15, "100 rows in batches of 7: 14 full and one of 2");
    let mut orders = Vec::new();
    for epoch in 0..3 {
        let mut rows: Vec<usize> = (0..per)
            .flat_map(|k| schedule.indices(epoch * per + k).to_vec())
            .collect();
        orders.push(rows.clone());
        rows.sort_unstable();
        assert_eq!(rows, (0..100).collect::<Vec<_>>(), "epoch {epoch}");
    }
    assert_eq!(
        schedule.indices(per - 1).len(),
        2,
        "the last, smaller batch is kept"
    );
    assert_ne!(orders[0], orders[1], "each epoch is shuffled anew");
}

#[test]
fn no_shuffle_keeps_file_order() {
    let hyper = Hyper {
        batch_size: 4,
        shuffle: false,
        ..Hyper::default()
    };
    let mut schedule = Schedule::new(10, &hyper);
    assert_eq!(schedule.indices(0), &[0, 1, 2, 3]);
    assert_eq!(schedule.indices(2), &[8, 9]);
    assert_eq!(
        schedule.indices(3),
        &[0, 1, 2, 3],
        "epoch 2 starts over in the same order"
    );
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_another() {
    let run = |seed| {
        let data = Synthetic {
            seed,
            ..Synthetic::default()
        }
        .generate()
        .expect("data");
        let hyper = Hyper {
            seed,
            ..Hyper::default()
        };
        let init = Init::Normal.params(data.d(), seed);
        (data.clone(), train(&data, &hyper, init).expect("run"))
    };
    let (d1, a) = run(7);
    let (d2, b) = run(7);
    let (d3, c) = run(8);
    assert_eq!(d1, d2);
    assert_eq!(a, b);
    assert_ne!(d1, d3);
    assert_ne!(a.params, c.params);
}

#[test]
fn session_train_and_straight_computation_agree_to_the_bit() {
    let (data, hyper, init) = default_run();
    let reference = straight_through(&data, &hyper, &init, &[]);
    let trained = train(&data, &hyper, init.clone()).expect("run");
    let last = reference.last().expect("batches");
    assert_eq!(trained.params, last.next_params());
    assert_eq!(trained.batches, reference.len());
    let mut session = Session::new(data, hyper, init).expect("session");
    assert!(session.last());
    assert_eq!(session.batch(), last);
    assert_eq!(session.step(), Step::EpochSummary);
    assert_eq!(session.batch().epoch_loss, Some(trained.epochs[2].loss));
}

#[test]
fn walking_back_through_the_whole_run_reproduces_every_batch() {
    let (data, hyper, init) = default_run();
    let reference = straight_through(&data, &hyper, &init, &[]);
    let mut session = Session::new(data, hyper, init).expect("session");
    session.last();
    session.prev_batch(); // to the first step of the last batch
    for expected in reference.iter().rev() {
        assert_eq!(session.batch(), expected, "batch {}", expected.global);
        session.prev_batch();
    }
    assert!(session.at_start());
}

#[test]
fn mean_and_sum_objectives_follow_the_same_trajectory() {
    let (data, hyper, init) = default_run();
    let sum = straight_through(&data, &hyper, &init, &[]);
    let mean = straight_through(
        &data,
        &Hyper {
            objective: Objective::Mean,
            ..hyper.clone()
        },
        &init,
        &[],
    );
    assert_eq!(sum.len(), mean.len());
    for (s, m) in sum.iter().zip(&mean) {
        assert_eq!(m.divisor(), 1.0);
        assert_eq!(s.divisor(), s.rows() as f64);
        for (a, b) in s.w_next.iter().zip(m.w_next.iter()) {
            assert!(close(*a, *b, 1e-12), "batch {}: {a} vs {b}", s.global);
        }
        assert!(close(s.b_next, m.b_next, 1e-12));
        // The mean objective's gradient is the sum's divided by N.
        assert!(close(m.grad_b * s.rows() as f64, s.grad_b, 1e-12));
    }
}

#[test]
fn sum_without_dividing_diverges_where_the_lesson_warns() {
    // Batch 100 at lr 0.03 without dividing: lr·N·λ ≈ 3 > 2 (λ ≈ 1 for standard normal features),
    // so every update overshoots and the error doubles until it overflows.
    let (data, hyper, init) = default_run();
    let divided = train(
        &data,
        &Hyper {
            batch_size: 100,
            epochs: 200,
            ..hyper.clone()
        },
        init.clone(),
    )
    .expect("run");
    assert!(
        divided.diverged_at.is_none(),
        "dividing by N keeps the same run stable"
    );
    let hyper = Hyper {
        objective: Objective::SumNoDiv,
        batch_size: 100,
        epochs: 200,
        ..hyper
    };
    let report = train(&data, &hyper, init.clone()).expect("run");
    let at = report.diverged_at.expect("diverges");
    assert_eq!(at.global, (at.epoch - 1) * 10 + at.batch - 1);
    assert_eq!(report.batches, at.global + 1);
    let straight = straight_through(&data, &hyper, &init, &[]);
    assert_eq!(
        straight.len(),
        at.global + 1,
        "the same batch is the first non-finite one"
    );
    assert!(!straight.last().expect("batches").is_finite());
    assert!(straight[..straight.len() - 1].iter().all(Batch::is_finite));
}

#[test]
fn nominal_divisor_differs_only_on_the_short_last_batch() {
    let (data, hyper, init) = short_last_batch_run();
    let actual = straight_through(&data, &hyper, &init, &[]);
    let nominal = straight_through(
        &data,
        &Hyper {
            divide_by: DivideBy::Nominal,
            ..hyper.clone()
        },
        &init,
        &[],
    );
    assert_eq!(
        actual.iter().map(|b| b.divisor()).collect::<Vec<_>>(),
        vec![10.0, 10.0, 5.0]
    );
    assert_eq!(
        nominal.iter().map(|b| b.divisor()).collect::<Vec<_>>(),
        vec![10.0, 10.0, 10.0]
    );
    for (a, n) in actual[..2].iter().zip(&nominal[..2]) {
        assert_eq!(
            (&a.grad_w, a.grad_b, &a.w_next, a.b_next),
            (&n.grad_w, n.grad_b, &n.w_next, n.b_next),
            "full batches compute the same numbers"
        );
        assert_ne!(a.hyper, n.hyper, "each records its own divisor rule");
    }
    // On the short batch the nominal step is exactly half the actual one.
    let step_a = &actual[2].w - &actual[2].w_next;
    let step_n = &nominal[2].w - &nominal[2].w_next;
    for (a, n) in step_a.iter().zip(step_n.iter()) {
        assert!(close(*a, 2.0 * n, 1e-12));
    }
}

#[test]
fn divergence_is_marked_and_the_session_still_steps_back() {
    let (data, hyper, init) = default_run();
    let hyper = Hyper { lr: 50.0, ..hyper };
    let mut session = Session::new(data, hyper, init).expect("session");
    assert!(session.last());
    let at = session.diverged_at().expect("lr 50 overflows");
    assert_eq!(
        session.batch().global,
        at,
        "the run ends at the first non-finite batch"
    );
    assert!(!session.batch().is_finite());
    assert!(!session.next_step(), "nothing after the end");
    assert!(!session.next_batch());
    assert!(session.prev_batch() && session.prev_batch());
    assert_eq!(session.batch().global, at - 1);
    assert!(session.batch().is_finite());
}

#[test]
fn steps_follow_the_lesson_order() {
    let mut session = preset_session(Preset::Tiny);
    let (steps, at) = session.steps();
    assert_eq!(at, 0);
    let expected = [
        Step::Draw,
        Step::ForwardSample { sample: 0 },
        Step::ForwardSample { sample: 1 },
        Step::ForwardSample { sample: 2 },
        Step::Forward,
        Step::Loss,
        Step::Errors,
        Step::Accumulate { sample: 0 },
        Step::Accumulate { sample: 1 },
        Step::Accumulate { sample: 2 },
        Step::GradW,
        Step::GradB,
        Step::Update,
    ];
    assert_eq!(steps, expected);
    session.next_batch();
    assert_eq!(
        session.steps().0.last(),
        Some(&Step::EpochSummary),
        "tiny has two batches per epoch"
    );
    session.set_granularity(Granularity::Matrix);
    let kinds: Vec<&str> = session.steps().0.iter().map(|s| s.kind()).collect();
    assert_eq!(
        kinds,
        [
            "draw",
            "forward",
            "loss",
            "errors",
            "grad_w",
            "grad_b",
            "update",
            "epoch_summary"
        ]
    );
}

#[test]
fn granularity_switch_lands_on_the_equivalent_step() {
    let mut session = preset_session(Preset::Tiny);
    for _ in 0..8 {
        session.next_step();
    }
    assert_eq!(session.step(), Step::Accumulate { sample: 1 });
    session.set_granularity(Granularity::Matrix);
    assert_eq!(session.step(), Step::GradW);
    session.set_granularity(Granularity::Sample);
    assert_eq!(session.step(), Step::GradW);
}

#[test]
fn next_epoch_and_the_ends() {
    let mut session = preset_session(Preset::Tiny);
    assert!(!session.first() && !session.prev_step() && !session.prev_batch());
    assert!(session.next_epoch());
    assert_eq!(
        (session.batch().epoch, session.batch().batch, session.step()),
        (2, 1, Step::Draw)
    );
    assert!(session.last());
    assert_eq!((session.batch().epoch, session.batch().batch), (10, 2));
    assert!(session.at_end() && !session.next_step());
    assert!(session.next_epoch() || session.at_end());
    assert!(session.first() && session.at_start());
}

#[derive(Clone, Copy, Debug)]
enum Move {
    Next,
    Prev,
    NextBatch,
    PrevBatch,
    NextEpoch,
    First,
    Last,
    Toggle,
}

fn moves() -> impl Strategy<Value = Vec<Move>> {
    let m = prop_oneof![
        6 => Just(Move::Next),
        6 => Just(Move::Prev),
        3 => Just(Move::NextBatch),
        3 => Just(Move::PrevBatch),
        1 => Just(Move::NextEpoch),
        1 => Just(Move::First),
        1 => Just(Move::Last),
        1 => Just(Move::Toggle),
    ];
    prop::collection::vec(m, 1..60)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Wherever random navigation leads, a step forward then back is the identity, and the batch
    /// shown is the one computed straight through.
    #[test]
    fn random_navigation_is_exact(moves in moves(), stride in 1usize..5) {
        let data = Synthetic { samples: 23, ..Synthetic::default() }.generate().expect("data");
        let hyper = Hyper { batch_size: stride + 2, epochs: 3, ..Hyper::default() };
        let init = Init::Normal.params(2, hyper.seed);
        let reference = straight_through(&data, &hyper, &init, &[]);
        let mut s = Session::new(data, hyper, init).expect("session");
        for m in moves {
            match m {
                Move::Next => { s.next_step(); }
                Move::Prev => { s.prev_step(); }
                Move::NextBatch => { s.next_batch(); }
                Move::PrevBatch => { s.prev_batch(); }
                Move::NextEpoch => { s.next_epoch(); }
                Move::First => { s.first(); }
                Move::Last => { s.last(); }
                Move::Toggle => { let g = s.granularity().toggled(); s.set_granularity(g); }
            }
            check_exact(&mut s, &reference)?;
        }
    }
}

#[test]
fn invalid_runs_are_errors_not_panics() {
    let data = dataset(&[&[1.0], &[2.0]], &[1.0, 2.0]);
    let init = Params::zeros(1);
    for (hyper, word) in [
        (
            Hyper {
                batch_size: 0,
                ..Hyper::default()
            },
            "batch size",
        ),
        (
            Hyper {
                epochs: 0,
                ..Hyper::default()
            },
            "epochs",
        ),
        (
            Hyper {
                lr: 0.0,
                ..Hyper::default()
            },
            "learning rate",
        ),
        (
            Hyper {
                lr: f64::NAN,
                ..Hyper::default()
            },
            "learning rate",
        ),
    ] {
        let e = Session::new(data.clone(), hyper.clone(), init.clone()).expect_err("invalid");
        assert!(e.0.contains(word), "{e}");
        assert!(train(&data, &hyper, init.clone()).is_err());
    }
    let e = Session::new(data, Hyper::default(), Params::zeros(3)).expect_err("shape");
    assert!(e.0.contains("3 entries"), "{e}");
}

#[test]
fn the_update_is_the_lessons_formula() {
    let (data, hyper, init) = default_run();
    let session = Session::new(data, hyper, init).expect("session");
    let b = session.batch();
    let n = b.rows() as f64;
    for j in 0..b.w.len() {
        assert_eq!(b.w_next[j], b.w[j] - 0.03 * b.grad_w[j] / n);
    }
    assert_eq!(b.b_next, b.b - 0.03 * b.grad_b / n);
    let _ = BatchPos {
        global: 0,
        epoch: 1,
        batch: 1,
        epoch_end: false,
        epoch_batches: 1,
    };
}
