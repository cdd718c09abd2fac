//! Learning-rate and batch-size changes mid-run, and the loss history the charts draw from.

mod common;

use common::{check_exact, straight_through};

use common::default_run;
use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Init, Schedule, Session, train};
use proptest::prelude::*;

#[test]
fn a_batch_size_change_mid_epoch_recuts_the_rest_of_it() {
    let hyper = Hyper {
        batch_size: 10,
        epochs: 2,
        ..Hyper::default()
    };
    let mut s = Schedule::new(25, &hyper);
    assert_eq!(s.total_batches(), 6);
    s.change(1, 0.1, 4);
    let layout: Vec<(usize, usize, usize, bool)> = (0..s.total_batches())
        .map(|g| {
            let slot = s.slot(g);
            (slot.pos.epoch, slot.offset, slot.rows, slot.pos.epoch_end)
        })
        .collect();
    let mut expected = vec![
        (1, 0, 10, false),
        (1, 10, 4, false),
        (1, 14, 4, false),
        (1, 18, 4, false),
        (1, 22, 3, true),
    ];
    expected.extend((0..7).map(|k| (2, 4 * k, if k < 6 { 4 } else { 1 }, k == 6)));
    assert_eq!(layout, expected);
    assert_eq!(s.slot(0).lr, 0.03);
    assert_eq!(s.slot(1).lr, 0.1);
    assert_eq!(
        s.position(3).batch,
        4,
        "batch numbers continue within the epoch"
    );
    // Each epoch still visits every row exactly once.
    for epoch in 1..=2 {
        let in_epoch: Vec<usize> = (0..s.total_batches())
            .filter(|&g| s.position(g).epoch == epoch)
            .collect();
        let mut rows: Vec<usize> = in_epoch
            .into_iter()
            .flat_map(|g| s.indices(g).to_vec())
            .collect();
        rows.sort_unstable();
        assert_eq!(rows, (0..25).collect::<Vec<_>>());
    }
    // A change at an earlier batch forgets the later one.
    s.change(0, 0.5, 25);
    assert_eq!(s.segments().len(), 1);
    assert_eq!(s.total_batches(), 2);
}

#[test]
fn the_change_applies_from_the_next_batch_and_stepping_back_restores_the_old_values() {
    let (data, hyper, init) = default_run();
    let mut session = Session::new(data.clone(), hyper.clone(), init.clone()).expect("session");
    session.go_to_batch(4);
    let before = session.batch().clone();
    assert_eq!(session.change_hyper(0.1, 20), Ok(true));
    assert_eq!(
        session.batch(),
        &before,
        "the current batch stays as computed"
    );
    assert!(session.next_batch());
    assert_eq!(
        (session.batch().hyper.lr, session.batch().rows()),
        (0.1, 20)
    );
    assert_eq!(session.batch().hyper.lr, 0.1);
    assert_eq!(
        session.batch().w,
        before.w_next,
        "it starts from where batch 5 ended"
    );
    assert!(session.prev_batch());
    assert_eq!(session.batch(), &before);
    assert_eq!(
        (session.batch().hyper.lr, session.batch().hyper.batch_size),
        (0.03, 10)
    );
    // The whole run matches a straight computation with the same change.
    let reference = straight_through(&data, &hyper, &init, session.segments());
    assert_eq!(session.segments().len(), 2);
    assert_eq!(reference.len(), 5 + (1000_usize - 50).div_ceil(20) + 2 * 50);
    session.last();
    assert_eq!(session.batch(), reference.last().expect("batches"));
    assert_eq!(session.batch_losses().len(), reference.len());
    for (l, b) in session.batch_losses().iter().zip(&reference) {
        assert_eq!(*l, b.loss);
    }
}

#[test]
fn invalid_changes_are_refused() {
    let (data, hyper, init) = default_run();
    let mut session = Session::new(data, hyper, init).expect("session");
    assert!(session.change_hyper(0.0, 10).is_err());
    assert!(session.change_hyper(f64::INFINITY, 10).is_err());
    assert!(session.change_hyper(0.03, 0).is_err());
    assert_eq!(session.change_hyper(0.03, 10), Ok(false), "nothing changes");
    session.last();
    assert_eq!(
        session.change_hyper(0.1, 10),
        Ok(false),
        "no next batch to change"
    );
}

#[test]
fn the_loss_history_is_every_batch_and_every_epoch() {
    let (data, hyper, init) = default_run();
    let report = train(&data, &hyper, init.clone()).expect("run");
    let mut session = Session::new(data, hyper, init).expect("session");
    assert_eq!(session.batch_losses(), &[session.batch().loss]);
    session.go_to_batch(150);
    assert_eq!(
        session.batch_losses().len(),
        151,
        "history grows as the class steps"
    );
    assert_eq!(session.epoch_losses().len(), 1);
    session.last();
    let epochs: Vec<f64> = session.epoch_losses().iter().map(|e| e.loss).collect();
    let trained: Vec<f64> = report.epochs.iter().map(|e| e.loss).collect();
    assert_eq!(epochs, trained);
    assert_eq!(session.epoch_losses()[1].global, 199);
}

#[test]
fn a_change_can_rescue_a_diverging_run() {
    let (data, hyper, init) = default_run();
    let mut session = Session::new(data, Hyper { lr: 10.0, ..hyper }, init).expect("session");
    session.last();
    let at = session
        .diverged_at()
        .expect("lr 10 diverges: each step multiplies the error by about 9");
    session.go_to_batch(0);
    assert_eq!(session.change_hyper(0.03, 10), Ok(true));
    assert_eq!(
        session.diverged_at(),
        None,
        "the divergence was in the future that changed"
    );
    session.last();
    assert!(session.diverged_at().is_none());
    assert!(session.batch().global > at);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Random walks with random changes: the batch shown is always the one computed straight
    /// through with the changes that survived, and a step forward then back is the identity.
    #[test]
    fn random_changes_and_moves_stay_exact(ops in prop::collection::vec((0u8..6, 1usize..9, 1u32..5), 1..40)) {
        let data = Synthetic { samples: 19, ..Synthetic::default() }.generate().expect("data");
        let hyper = Hyper { batch_size: 3, epochs: 3, ..Hyper::default() };
        let init = Init::Normal.params(2, hyper.seed);
        let mut s = Session::new(data.clone(), hyper.clone(), init.clone()).expect("session");
        for (op, size, lr) in ops {
            match op {
                0 | 1 => { s.next_step(); s.next_step(); s.next_step(); }
                2 => { s.prev_batch(); }
                3 => { s.next_batch(); }
                4 => { s.change_hyper(0.01 * f64::from(lr), size).expect("valid change"); }
                _ => { if s.batch().global > 2 { s.go_to_batch(s.batch().global - 2); } }
            }
            let reference = straight_through(&data, &hyper, &init, s.segments());
            check_exact(&mut s, &reference)?;
        }
    }
}

#[test]
fn changes_given_up_front_equal_changes_made_while_stepping() {
    use gradstep::engine::{Change, train_with};
    let (data, hyper, init) = default_run();
    let changes = [
        Change {
            at: 7,
            lr: Some(0.1),
            batch_size: None,
        },
        Change {
            at: 30,
            lr: None,
            batch_size: Some(25),
        },
    ];
    let planned = Session::new(data.clone(), hyper.clone(), init.clone())
        .and_then(|s| s.with_changes(&changes))
        .expect("valid changes");
    let mut stepped = Session::new(data.clone(), hyper.clone(), init.clone()).expect("session");
    stepped.go_to_batch(6);
    assert_eq!(stepped.change_hyper(0.1, 10), Ok(true));
    stepped.go_to_batch(29);
    assert_eq!(stepped.change_hyper(0.1, 25), Ok(true));
    assert_eq!(planned.segments(), stepped.segments());
    let trained = train_with(&data, &hyper, init.clone(), &changes).expect("run");
    let reference = straight_through(&data, &hyper, &init, stepped.segments());
    assert_eq!(
        trained.params,
        reference.last().expect("batches").next_params()
    );
    assert_eq!(trained.batches, reference.len());
    stepped.last();
    assert_eq!(stepped.batch(), reference.last().expect("batches"));
}

#[test]
fn asking_for_the_current_values_takes_back_a_waiting_change() {
    let (data, hyper, init) = default_run();
    let mut session = Session::new(data, hyper, init).expect("session");
    session.go_to_batch(3);
    let before = session.segments().to_vec();
    assert_eq!(session.change_hyper(0.1, 10), Ok(true));
    assert_eq!(session.segments().len(), 2);
    assert_eq!(
        session.change_hyper(0.03, 10),
        Ok(true),
        "back to the values in force"
    );
    assert_eq!(session.segments(), before.as_slice());
    assert_eq!(
        session.change_hyper(0.03, 10),
        Ok(false),
        "nothing left to take back"
    );
    assert!(session.next_batch());
    assert_eq!(session.batch().hyper.lr, 0.03);
}
