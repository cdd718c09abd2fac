//! Long jumps in slices land exactly where one long jump lands; the history a session keeps is
//! bounded up front; the curvature estimate agrees with an eigenvalue solver; and the trace's
//! allocation-free path writes the very records the explainer's batches give.

mod common;

use common::default_run;
use gradstep::cli::{self, RunArgs};
use gradstep::data::{Dataset, Synthetic};
use gradstep::engine::session::max_session_batches;
use gradstep::engine::{Hyper, Init, Jump, Session};

fn session(hyper: Hyper) -> Session {
    let data = Synthetic {
        samples: 200,
        ..Default::default()
    }
    .generate()
    .expect("data");
    let init = Init::Normal.params(data.d(), hyper.seed);
    Session::new(data, hyper, init).expect("valid run")
}

/// Advances in slices of `budget` batches until the jump can land, counting the slices.
fn in_slices(s: &mut Session, jump: Jump, budget: usize) -> usize {
    let target = s.jump_target(jump);
    let mut slices = 0;
    loop {
        let before = s.explored();
        let p = s.advance(target, budget);
        slices += 1;
        assert!(
            s.explored() <= before + budget.max(16),
            "a slice does a bounded amount"
        );
        if p.finished() {
            return slices;
        }
        assert!(p.done < p.needed);
        assert!(slices < 10_000, "the jump never finishes");
    }
}

#[test]
fn a_jump_in_slices_lands_where_one_jump_lands() {
    let hyper = Hyper {
        epochs: 5,
        ..Hyper::default()
    };
    let mut direct = session(hyper.clone());
    direct.last();
    let mut sliced = session(hyper);
    let slices = in_slices(&mut sliced, Jump::End, 7);
    assert!(slices > 10, "100 batches in slices of 7");
    sliced.last();
    assert_eq!(sliced.batch(), direct.batch());
    assert_eq!(sliced.batch_losses(), direct.batch_losses());
    assert_eq!(sliced.epoch_losses(), direct.epoch_losses());
    assert!(sliced.at_end());
}

#[test]
fn the_next_epoch_target_is_where_next_epoch_lands() {
    let mut s = session(Hyper {
        batch_size: 7,
        epochs: 3,
        ..Hyper::default()
    });
    // 200 rows in batches of 7: 29 batches per epoch, the last one short.
    for start in [0, 5, 28, 29, 40] {
        s.go_to_batch(start);
        let target = s.jump_target(Jump::NextEpoch);
        let mut moved = s.clone();
        moved.next_epoch();
        assert_eq!(target, moved.batch().global, "from batch {start}");
        assert_eq!(target, (start / 29 + 1) * 29, "from batch {start}");
    }
    s.go_to_batch(80);
    assert_eq!(
        s.jump_target(Jump::NextEpoch),
        86,
        "the last epoch ends the run"
    );
    assert_eq!(s.jump_target(Jump::Batch(10_000)), 86);
}

#[test]
fn a_jump_stops_where_the_run_overflows() {
    let mut s = session(Hyper {
        lr: 100.0,
        epochs: 10,
        ..Hyper::default()
    });
    let target = s.jump_target(Jump::End);
    assert_eq!(target, 199);
    in_slices(&mut s, Jump::End, 3);
    let stop = s.diverged_at().expect("lr 100 overflows");
    assert!(stop < target);
    assert_eq!(s.jump_target(Jump::End), stop);
    s.last();
    assert_eq!(s.batch().global, stop);
    assert!(!s.batch().is_finite());
}

#[test]
fn a_session_refuses_a_run_whose_history_would_not_fit() {
    let (data, hyper, init) = default_run();
    let most = max_session_batches(data.d());
    // 100 batches per epoch.
    let fits = Hyper {
        epochs: most / 100,
        ..hyper.clone()
    };
    assert!(Session::new(data.clone(), fits, init.clone()).is_ok());
    let too_long = Hyper {
        epochs: most / 100 + 1,
        ..hyper
    };
    let err = Session::new(data, too_long, init).expect_err("over the budget");
    assert!(err.0.contains("gradstep train"), "{err}");
    // More features take more memory per checkpoint, so fewer batches fit.
    assert!(max_session_batches(100) < max_session_batches(2));
}

/// λ_max of the mean of [x 1]ᵀ[x 1], by nalgebra's symmetric eigen-solver.
fn exact_curvature(data: &Dataset) -> f64 {
    let d = data.d() + 1;
    let mut m = nalgebra::DMatrix::<f64>::zeros(d, d);
    for i in 0..data.n() {
        let z: Vec<f64> = data.row(i).iter().copied().chain([1.0]).collect();
        for a in 0..d {
            for b in 0..d {
                m[(a, b)] += z[a] * z[b];
            }
        }
    }
    m /= data.n() as f64;
    m.symmetric_eigenvalues().iter().fold(0.0, |a, &v| a.max(v))
}

#[test]
fn the_curvature_estimate_matches_the_largest_eigenvalue() {
    // By hand: rows (±3, 0) and (0, ±1) give M = diag(4.5, 0.5, 1), so λ = 4.5.
    let rows = [3.0, 0.0, -3.0, 0.0, 0.0, 1.0, 0.0, -1.0];
    let data = Dataset::new(
        rows.to_vec(),
        vec![0.0; 4],
        vec!["a".into(), "b".into()],
        "y".into(),
    )
    .expect("data");
    assert!(
        (data.curvature() - 4.5).abs() < 1e-12,
        "{}",
        data.curvature()
    );
    // Unscaled features, as on real data: one direction dominates.
    let house = gradstep::preset::Preset::House
        .fixed_data()
        .expect("house")
        .expect("data");
    let (estimate, exact) = (house.curvature(), exact_curvature(&house));
    assert!(
        (estimate - exact).abs() <= 1e-9 * exact,
        "{estimate} vs {exact}"
    );
    // A generated set with one feature ten times the others' scale.
    let mut data = Synthetic {
        samples: 500,
        true_w: vec![1.0, 2.0, 3.0],
        ..Default::default()
    }
    .generate()
    .expect("data");
    let scaled: Vec<f64> = (0..data.n())
        .flat_map(|i| {
            let r = data.row(i);
            [10.0 * r[0], r[1], r[2]]
        })
        .collect();
    data = Dataset::new(
        scaled,
        data.y().to_vec(),
        data.feature_names.clone(),
        "y".into(),
    )
    .expect("data");
    let (estimate, exact) = (data.curvature(), exact_curvature(&data));
    assert!(
        (estimate - exact).abs() <= 1e-6 * exact,
        "{estimate} vs {exact}"
    );
    // Never above λ: it is a Rayleigh quotient.
    let plain = Synthetic::default().generate().expect("data");
    assert!(plain.curvature() <= exact_curvature(&plain) * (1.0 + 1e-12));
}

fn args(extra: &[&str]) -> RunArgs {
    use clap::Parser;
    let argv = ["gradstep"].iter().chain(extra);
    cli::Cli::try_parse_from(argv).expect("valid options").run
}

#[test]
fn the_trace_writes_exactly_the_explainers_records() {
    let cases: [&[&str]; 6] = [
        &["--preset", "tiny"],
        &["--samples", "50", "--epochs", "2"],
        &[
            "--samples",
            "53",
            "--batch-size",
            "7",
            "--objective",
            "mean",
        ],
        &[
            "--samples",
            "53",
            "--batch-size",
            "7",
            "--divide-by",
            "nominal",
        ],
        &[
            "--samples",
            "60",
            "--change",
            "3:lr=0.1,batch=4",
            "--objective",
            "sum-nodiv",
        ],
        &["--samples", "80", "--lr", "50"],
    ];
    for case in cases {
        let run = cli::build(&args(case)).expect("a valid run");
        let mut out = Vec::new();
        cli::trace::write_trace(&run, None, &mut out).expect("trace");
        let trace = String::from_utf8(out).expect("utf-8");
        let mut s = run.session().expect("session");
        let mut expected = Vec::new();
        loop {
            expected.push(cli::trace::record(s.batch()));
            if !s.batch().is_finite() || !s.next_batch() {
                break;
            }
        }
        let lines: Vec<&str> = trace.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{case:?}");
        for (got, want) in lines.iter().zip(&expected) {
            assert_eq!(got, want, "{case:?}");
        }
        if case.contains(&"mean") {
            assert!(trace.contains("\"objective\":\"mean\""));
        }
    }
}

#[test]
fn a_batch_size_change_that_would_not_fit_is_refused_and_changes_nothing() {
    let (data, hyper, init) = default_run();
    let n = data.n();
    let most = max_session_batches(data.d());
    // The whole data set per batch: one batch per epoch, the run just inside the budget.
    let hyper = Hyper {
        epochs: most,
        batch_size: n,
        ..hyper
    };
    let mut s = Session::new(data, hyper, init).expect("fits");
    assert_eq!(s.total_batches(), most);
    let before = s.segments().to_vec();
    // Half the rows per batch doubles the rest of the run: past the budget.
    let err = s.change_hyper(0.03, n / 2).expect_err("over the budget");
    assert!(err.0.contains("MiB"), "{err}");
    assert_eq!(s.segments(), before.as_slice());
    assert_eq!(s.total_batches(), most);
    // A change that keeps the length is still made, and taking it back restores the run.
    assert_eq!(s.change_hyper(0.01, n), Ok(true));
    assert_eq!(s.total_batches(), most);
    assert_eq!(s.change_hyper(0.03, n), Ok(true));
    assert_eq!(s.segments(), before.as_slice());
}

#[test]
fn a_batch_size_change_up_to_the_budget_is_made() {
    let (data, hyper, init) = default_run();
    let n = data.n();
    let most = max_session_batches(data.d());
    let hyper = Hyper {
        epochs: most / 2,
        batch_size: n,
        ..hyper
    };
    let mut s = Session::new(data, hyper, init).expect("fits");
    // Batch 1, then the other most/2 − 1 epochs in halves: most − 1 batches, inside the budget.
    assert_eq!(s.change_hyper(0.03, n / 2), Ok(true));
    assert_eq!(s.total_batches(), 1 + (most / 2 - 1) * 2);
    let halves = s.segments().to_vec();
    // Quarters would double that again: refused, the halves kept.
    assert!(s.change_hyper(0.03, n / 4).is_err());
    assert_eq!(s.segments(), halves.as_slice());
    // Stepping on uses the halves.
    assert!(s.next_batch());
    assert_eq!(s.batch().rows(), n / 2);
}
