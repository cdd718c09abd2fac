//! The pictures' data (points and lines drawn), the experiments' and the comparison's numbers,
//! and the gradient check, all computed from a session without rendering.

mod ui_common;

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Session, Step, Surface};
use gradstep::lesson::Lang;
use gradstep::preset::Preset;
use gradstep::run::experiments::{self, next_batch_size, next_lr};
use gradstep::ui::pictures::compare::Runs;
use gradstep::ui::pictures::contour::Contour;
use gradstep::ui::pictures::fit::Fit;
use gradstep::ui::pictures::gradcheck;
use gradstep::ui::pictures::loss_chart::{LossChart, needs_log};
use gradstep::ui::pictures::traces::Traces;
use gradstep::ui::{Message, View};
use ui_common::*;

fn house() -> Session {
    let p = Preset::House;
    let data = p.fixed_data().expect("fixed").expect("valid");
    Session::new(data, p.spec().hyper, p.init().params(1, 42)).expect("valid run")
}

fn one_feature() -> Session {
    session_with(
        Synthetic {
            samples: 50,
            true_w: vec![3.0],
            ..Synthetic::default()
        },
        Hyper::default(),
    )
}

fn four_features() -> Session {
    session_with(
        Synthetic {
            true_w: vec![1.0, 2.0, 3.0, 4.0],
            ..Synthetic::default()
        },
        Hyper::default(),
    )
}

/// An app in the pictures view, `batches` batches in.
fn pictures_app(session: Session, batches: usize) -> gradstep::ui::App {
    let mut app = app_with(session, Lang::En, true, false);
    app.update(Message::CycleView);
    assert_eq!(app.view(), View::Pictures);
    for _ in 0..batches {
        app.update(Message::NextBatch);
    }
    app
}

#[test]
fn loss_chart_points_are_the_batch_losses_and_epoch_means() {
    let mut s = session();
    s.go_to_batch(250);
    let chart = LossChart::new(&s);
    let losses = s.batch_losses();
    assert_eq!(chart.batches.len(), 251);
    for (g, (x, l)) in chart.batches.iter().enumerate() {
        assert_eq!(*x, (g + 1) as f64);
        assert_eq!(*l, losses[g]);
    }
    let epochs: Vec<(f64, f64)> = s
        .epoch_losses()
        .iter()
        .map(|e| ((e.global + 1) as f64, e.loss))
        .collect();
    assert_eq!(chart.epochs, epochs);
    assert_eq!(
        chart.epochs.iter().map(|e| e.0).collect::<Vec<_>>(),
        [100.0, 200.0]
    );
    // Stepping back shrinks the chart to the batches up to the current one.
    s.go_to_batch(10);
    assert_eq!(LossChart::new(&s).batches.len(), 11);
    assert!(LossChart::new(&s).epochs.is_empty());
}

#[test]
fn log_scale_exactly_when_the_losses_span_more_than_a_hundredfold() {
    assert!(!needs_log([1.0, 100.0]));
    assert!(needs_log([1.0, 100.1]));
    assert!(!needs_log([f64::INFINITY, 5.0, 0.0, 400.0]));
    assert!(!needs_log([]));
    let mut s = session();
    assert!(!LossChart::new(&s).log);
    s.go_to_batch(150);
    assert!(
        LossChart::new(&s).log,
        "the default run falls from ~200 to ~1e-4"
    );
}

#[test]
fn fitted_line_ends_are_w_x_plus_b_at_the_axis_bounds_and_move_at_the_update() {
    let mut s = one_feature();
    let before = Fit::new(&s);
    let (w, b) = (s.batch().w[0], s.batch().b);
    assert_eq!(before.line[0], (before.x.0, w * before.x.0 + b));
    assert_eq!(before.line[1], (before.x.1, w * before.x.1 + b));
    let t = before.truth.expect("generated from a true line");
    assert_eq!(t[0].1, 3.0 * before.x.0 + 4.2);
    assert_eq!(before.data.len(), 50);
    assert_eq!(before.batch.len(), 10);
    // Bounded: a step never reached fails here instead of hanging.
    for _ in 0..1000 {
        if s.step() == Step::Update {
            break;
        }
        s.next_step();
    }
    assert!(s.step() == Step::Update, "never reached");
    let after = Fit::new(&s);
    let (w, b) = (s.batch().w_next[0], s.batch().b_next);
    assert_eq!(after.line[1], (after.x.1, w * after.x.1 + b));
    // The house data knows no true line.
    assert!(Fit::new(&house()).truth.is_none());
}

#[test]
fn contour_path_is_the_sequence_of_w_and_the_arrows_end_at_the_two_steps() {
    let mut app = pictures_app(session(), 7);
    app.update(Message::NextStep);
    let s = app.session();
    let surface = app.pictures().surface().expect("built for two features");
    let full = app
        .pictures()
        .full_step()
        .expect("computed by update for two features");
    let c = Contour::new(s, app.pictures().path(), full);
    let mut walker = session();
    let expected: Vec<(f64, f64)> = (0..=7)
        .map(|g| {
            walker.go_to_batch(g);
            (walker.batch().w[0], walker.batch().w[1])
        })
        .collect();
    assert_eq!(c.path, expected);
    let b = s.batch();
    assert_eq!(c.now, (b.w[0], b.w[1]));
    assert_eq!(c.batch_step, (b.w_next[0], b.w_next[1]));
    let fresh = Surface::new(s.data());
    let (g, _) = fresh.gradient(&[b.w[0], b.w[1]], b.b);
    assert_eq!(
        c.full_step,
        (b.w[0] - b.hyper.lr * g[0], b.w[1] - b.hyper.lr * g[1])
    );
    assert_eq!(c.b, b.b);
    assert_eq!(c.truth, Some((2.0, -3.4)));
    let (tb, tf) = (c.tip(c.batch_step), c.tip(c.full_step));
    for p in c.path.iter().chain([&c.batch_step, &c.full_step, &tb, &tf]) {
        assert!(c.x.0 < p.0 && p.0 < c.x.1 && c.y.0 < p.1 && p.1 < c.y.1);
    }
    assert!(!c.lines(surface, 60, 40).is_empty());
    // Both arrows at one scale, 1, 2 or 5 times a power of ten, that makes the longer one
    // readable: between a tenth of 0.4 and 0.4 of the picture before its bounds grew to hold
    // the tips, so at least 4% of it after.
    let mantissa = c.scale / 10f64.powf(c.scale.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (m - mantissa).abs() < 1e-9),
        "{}",
        c.scale
    );
    assert!(c.scale > 1.0, "at lr 0.03 a step is short: {}", c.scale);
    let frac = |t: (f64, f64)| {
        let dx = (t.0 - c.now.0) / (c.x.1 - c.x.0);
        let dy = (t.1 - c.now.1) / (c.y.1 - c.y.0);
        (dx * dx + dy * dy).sqrt()
    };
    let longer = frac(tb).max(frac(tf));
    assert!((0.04..=0.4).contains(&longer), "{longer}");
    // The tips are the steps scaled from the current w: a mini-batch arrow and a full one.
    assert!((tb.0 - (c.now.0 + c.scale * (b.w_next[0] - b.w[0]))).abs() < 1e-12);
    assert!((tf.1 - (c.now.1 + c.scale * (c.full_step.1 - b.w[1]))).abs() < 1e-12);
}

#[test]
fn the_path_survives_stepping_back_and_a_jump_to_the_end() {
    let mut app = pictures_app(session(), 3);
    app.update(Message::Last);
    let total = app.session().batch().global + 1;
    assert_eq!(app.pictures().path().len(), total);
    app.update(Message::First);
    assert_eq!(app.pictures().path().len(), total);
    let mut walker = session();
    walker.go_to_batch(123);
    let (g, p) = &app.pictures().path()[123];
    assert_eq!((*g, &p.w, p.b), (123, &walker.batch().w, walker.batch().b));
}

#[test]
fn a_long_run_keeps_a_bounded_path_sampled_evenly() {
    // 60 epochs of 100 batches: 6000 points would be kept one by one; the path halves itself
    // past 2048 and keeps every 4th batch, each exactly what walking there gives.
    let data = gradstep::data::Synthetic::default()
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let hyper = gradstep::engine::Hyper {
        epochs: 60,
        ..gradstep::engine::Hyper::default()
    };
    let init = gradstep::engine::Init::Normal.params(2, hyper.seed);
    let s = gradstep::engine::Session::new(data, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    let mut app = pictures_app(s.clone(), 3);
    app.update(Message::Last);
    let path = app.pictures().path();
    assert!(path.len() <= 2048 && path.len() > 1000, "{}", path.len());
    let stride = path[1].0 - path[0].0;
    assert_eq!(stride, 4);
    assert!(path.iter().all(|(g, _)| g % stride == 0));
    let mut walker = s;
    for &(g, ref p) in [&path[0], &path[path.len() / 2], &path[path.len() - 1]] {
        walker.go_to_batch(g);
        assert_eq!(
            (walker.batch().w.clone(), walker.batch().b),
            (p.w.clone(), p.b),
            "batch {g}"
        );
    }
}

#[test]
fn traces_hold_every_parameter_after_every_update() {
    let mut app = pictures_app(four_features(), 5);
    let s = app.session();
    let t = Traces::new(s, app.pictures().path());
    assert_eq!(t.series.len(), 5);
    assert_eq!(t.series[4].0, "b");
    assert_eq!(t.series[2].1.len(), 6);
    assert_eq!(t.series[2].1[5], (5.0, s.batch().w[2]));
    // Bounded: a step never reached fails here instead of hanging.
    for _ in 0..1000 {
        if app.session().step() == Step::Update {
            break;
        }
        app.update(Message::NextStep);
    }
    assert!(app.session().step() == Step::Update, "never reached");
    let s = app.session();
    let t = Traces::new(s, app.pictures().path());
    assert_eq!(t.series[0].1.last(), Some(&(6.0, s.batch().w_next[0])));
}

#[test]
fn experiments_climb_their_ladders_and_apply_from_the_next_batch() {
    assert_eq!(next_lr(0.03, true), Some(0.1));
    assert_eq!(next_lr(0.03, false), Some(0.01));
    assert_eq!(next_lr(50.0, false), Some(3.0));
    assert_eq!(next_lr(3.0, true), None);
    assert_eq!(next_batch_size(10, true, 1000), Some(20));
    assert_eq!(next_batch_size(500, true, 1000), Some(1000));
    assert_eq!(next_batch_size(1000, true, 1000), None);
    assert_eq!(next_batch_size(7, false, 1000), Some(5));

    let mut app = pictures_app(session(), 4);
    app.update(Message::LrUp);
    app.update(Message::BatchUp);
    let s = app.session();
    assert_eq!(
        s.batch().hyper.lr,
        0.03,
        "the current batch keeps its values"
    );
    assert_eq!(experiments::upcoming(s), (0.1, 20));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("lr 0.03→0.1"), "{screen}");
    assert!(screen.contains("N 10→20"), "{screen}");
    assert!(
        screen.contains("from the next batch: lr 0.1, N 20"),
        "{screen}"
    );
    app.update(Message::NextBatch);
    assert_eq!(app.session().batch().hyper.lr, 0.1);
    assert_eq!(app.session().batch().rows(), 20);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("from batch 6: lr 0.1, N 20"), "{screen}");
    app.update(Message::PrevBatch);
    app.update(Message::PrevBatch);
    assert_eq!(app.session().batch().hyper.lr, 0.03);
    assert_eq!(app.session().batch().rows(), 10);
}

/// The parameters a session's run starts from, before its first batch.
fn first_params(s: &Session) -> gradstep::engine::Params {
    let mut start = s.clone();
    start.go_to_batch(0);
    let b = start.batch();
    gradstep::engine::Params {
        w: b.w.clone(),
        b: b.b,
    }
}

#[test]
fn sum_and_mean_agree_and_the_nominal_divisor_differs_on_short_batches_only() {
    let s = session_with(
        Synthetic::default(),
        Hyper {
            batch_size: 3,
            ..Hyper::default()
        },
    );
    let init = first_params(&s);
    let runs = Runs::new(&s, &init);
    let total = runs.objectives[0].params.len();
    assert_eq!(total, 3 * 334);
    for g in 0..total {
        let row = runs.row(g);
        assert!(row.sum_mean.expect("both ran") < 1e-12, "batch {g}");
    }
    assert_eq!(runs.first_short(), Some(333));
    assert_eq!(runs.last_rows(), 1);
    assert_eq!(runs.rows_of(333), 1);
    assert_eq!(runs.rows_of(334), 3);
    for g in 0..333 {
        assert_eq!(runs.row(g).divisors, Some(0.0), "batch {g}");
    }
    assert!(runs.row(333).divisors.expect("ran") > 1e-6);
    // With a batch size that divides the data the two divisors never differ.
    let full = Runs::new(&session(), &init);
    assert_eq!(full.first_short(), None);
    assert_eq!(full.max_divisors(299), 0.0);
}

/// A long run is compared over its first batches only, as many as five runs' parameters fit in
/// 16 MiB, and the screen says so once the run is past them: the comparison of a million batches
/// held 790 MB (measured: RSS after `v v` on `--preset tiny --epochs 1000000`).
#[test]
fn a_long_run_is_compared_over_its_first_batches_and_says_so() {
    use gradstep::ui::pictures::compare::{COMPARE_BYTES, compared_batches};
    // d = 2: three numbers (w₁, w₂, b); each batch keeps 5 · (3·8 + 8 + 64) = 480 bytes, and
    // 16 · 2²⁰ / 480 = 34952.5.
    assert_eq!(COMPARE_BYTES, 16 * 1024 * 1024);
    assert_eq!(compared_batches(3), 34952);
    let long = session_with(
        Synthetic::default(),
        Hyper {
            batch_size: 1,
            epochs: 100,
            ..Hyper::default()
        },
    );
    assert!(long.total_batches() > 34952);
    let init = first_params(&long);
    let runs = Runs::new(&long, &init);
    assert_eq!(runs.cut, Some(34952));
    for t in runs.objectives.iter().chain(&runs.divisors) {
        assert_eq!(t.params.len(), 34952);
        assert_eq!(t.losses.len(), 34952);
    }
    // A run that fits is compared whole, and nothing is said.
    assert_eq!(Runs::new(&session(), &init).cut, None);

    let mut app = app_with(long, Lang::En, false, false);
    app.update(Message::CycleView);
    app.update(Message::CycleView);
    assert_eq!(app.view(), View::Compare);
    let said = |app: &gradstep::ui::App| {
        text(&render(app, 120, 40))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(!said(&app).contains("Compared over the first"));
    app.update(Message::Last);
    let s = said(&app);
    assert!(
        s.contains("Compared over the first 34952 batches only")
            && s.contains("stops at batch 34952"),
        "{s}"
    );
}

#[test]
fn the_comparison_view_shows_the_difference_of_sum_and_mean() {
    let mut app = app(Lang::En, true);
    app.update(Message::CycleView);
    app.update(Message::CycleView);
    assert_eq!(app.view(), View::Compare);
    for _ in 0..5 {
        app.update(Message::NextBatch);
    }
    let runs = app
        .pictures()
        .compare()
        .expect("built on entering the view");
    let d = runs.max_sum_mean(5);
    assert!(d < 1e-12);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains(&gradcheck::error_text(d)), "{screen}");
}

#[test]
fn gradient_check_agrees_to_a_millionth_on_the_default_run() {
    let mut s = session();
    for g in [0, 1, 50, 299] {
        s.go_to_batch(g);
        let rows = gradcheck::rows(&gradstep::engine::gradcheck::check(s.batch()));
        assert_eq!(rows.len(), 3);
        for r in rows {
            assert!(
                r.relative_error < 1e-6,
                "batch {g} {}: {}",
                r.name,
                r.relative_error
            );
        }
    }
    assert_eq!(
        gradcheck::rows(&gradstep::engine::gradcheck::check(s.batch()))[0].analytic,
        s.batch().grad_w[0]
    );
    assert_eq!(gradcheck::error_text(0.0), "0");
    assert_eq!(gradcheck::error_text(2.14e-14), "2.1e-14");
    assert_eq!(gradcheck::error_text(f64::NAN), "NaN");
}

#[test]
fn gradient_steps_show_the_check_in_the_status_line() {
    let mut app = app(Lang::En, true);
    // Bounded: a step never reached fails here instead of hanging.
    for _ in 0..1000 {
        if gradcheck::at_gradient_step(app.session().step()) {
            break;
        }
        app.update(Message::NextStep);
    }
    assert!(
        gradcheck::at_gradient_step(app.session().step()),
        "never reached"
    );
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("grad check "), "{screen}");
}

#[test]
fn house_preset_first_step_shows_the_lessons_numbers() {
    let mut app = app_with(house(), Lang::En, true, false);
    // Bounded: a step never reached fails here instead of hanging.
    for _ in 0..1000 {
        if app.session().step() == Step::Loss {
            break;
        }
        app.update(Message::NextStep);
    }
    assert!(app.session().step() == Step::Loss, "never reached");
    let b = app.session().batch();
    assert_eq!(
        (b.x[(0, 0)], b.y[0], b.y_hat[0], b.losses[0]),
        (100.0, 200.0, 180.0, 200.0)
    );
    let screen = text(&render(&app, 120, 40));
    for n in ["100", "200", "180"] {
        assert!(screen.contains(n), "{n}: {screen}");
    }
}
