//! The gradient check and the full-data loss surface, each against a second route.

mod common;

use common::{close, default_run};
use gradstep::engine::batch::{BatchPos, compute};
use gradstep::engine::gradcheck::check;
use gradstep::engine::{Grid, Hyper, Objective, Params, Session, Surface, full_loss};
use nalgebra::DVector;

#[test]
fn finite_differences_agree_with_backprop_on_every_batch_of_the_default_run() {
    for objective in [Objective::Sum, Objective::Mean] {
        let (data, hyper, init) = default_run();
        let mut session = Session::new(
            data,
            Hyper {
                objective,
                ..hyper.clone()
            },
            init,
        )
        .expect("session");
        let mut worst: f64 = 0.0;
        loop {
            let c = check(session.batch());
            worst = worst.max(c.worst());
            assert_eq!(c.w.len(), 2);
            assert_eq!(c.b.analytic, session.batch().grad_b);
            if !session.next_batch() {
                break;
            }
        }
        assert!(
            worst < 1e-6,
            "{objective:?}: worst relative error {worst:e}"
        );
    }
}

#[test]
fn the_check_notices_a_wrong_gradient() {
    let (data, hyper, init) = default_run();
    let session = Session::new(data, hyper.clone(), init).expect("session");
    let mut b = session.batch().clone();
    // The classic mistake: forgetting the sum and using one sample's contribution.
    b.grad_w = b.acc_w[0].clone();
    assert!(check(&b).worst() > 0.1);
}

#[test]
fn the_surface_is_the_full_data_loss() {
    let (data, _, _) = default_run();
    let surface = Surface::new(&data);
    for (w, b) in [
        (vec![0.0, 0.0], 0.0),
        (vec![2.0, -3.4], 4.2),
        (vec![-1.5, 0.7], 10.0),
        (vec![1.9, -3.3], 4.0),
    ] {
        let direct = full_loss(
            &data,
            &Params {
                w: DVector::from_vec(w.clone()),
                b,
            },
        );
        assert!(
            close(surface.loss(&w, b), direct, 1e-9),
            "{w:?} {b}: {} vs {direct}",
            surface.loss(&w, b)
        );
    }
}

#[test]
fn the_surface_gradient_is_the_full_batch_mean_gradient() {
    let (data, hyper, _) = default_run();
    let surface = Surface::new(&data);
    let all: Vec<usize> = (0..data.n()).collect();
    let params = Params {
        w: DVector::from_vec(vec![0.5, -1.0]),
        b: 1.0,
    };
    let pos = BatchPos {
        global: 0,
        epoch: 1,
        batch: 1,
        epoch_end: false,
        epoch_batches: 1,
    };
    let full = compute(
        &data,
        &all,
        &params,
        &Hyper {
            objective: Objective::Mean,
            ..hyper
        },
        pos,
        None,
    );
    let (gw, gb) = surface.gradient(params.w.as_slice(), params.b);
    for (a, e) in gw.iter().zip(full.grad_w.iter()) {
        assert!(close(*a, *e, 1e-9), "{a} vs {e}");
    }
    assert!(close(gb, full.grad_b, 1e-9));
}

#[test]
fn the_grid_runs_left_to_right_and_top_to_bottom() {
    let (data, _, _) = default_run();
    let surface = Surface::new(&data);
    let grid = Grid {
        axes: (0, 1),
        lo: (0.0, -5.0),
        hi: (4.0, -1.0),
        cols: 5,
        rows: 3,
    };
    let values = surface.grid(&[0.0, 0.0], 4.2, &grid);
    assert_eq!(values.len(), 3);
    assert_eq!(values[0].len(), 5);
    assert_eq!(
        (grid.x_at(0), grid.x_at(4), grid.y_at(0), grid.y_at(2)),
        (0.0, 4.0, -1.0, -5.0)
    );
    assert_eq!(values[1][2], surface.loss(&[2.0, -3.0], 4.2));
    // The minimum sits near the true weights (2, −3.4), in the middle column.
    let (min_row, min_col) =
        (0..3)
            .flat_map(|r| (0..5).map(move |c| (r, c)))
            .fold((0, 0), |best, (r, c)| {
                if values[r][c] < values[best.0][best.1] {
                    (r, c)
                } else {
                    best
                }
            });
    assert_eq!((min_row, min_col), (1, 2));
}
