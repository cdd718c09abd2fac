//! The gradients, checked by routes other than the engine's own: a scalar reverse-mode autograd
//! (what `l.sum().backward()` does), the matrix form Xᵀδ, central finite differences, and numbers
//! worked out by hand.

mod common;

use common::{close, dataset, preset_session};
use gradstep::engine::batch::{BatchPos, compute};
use gradstep::engine::{Hyper, Objective, Params};
use gradstep::preset::Preset;
use nalgebra::DVector;
use proptest::prelude::*;

/// A minimal scalar autograd tape in the manner of micrograd: every node records its inputs and
/// local derivatives, and `backward` walks the tape in reverse.
#[derive(Default)]
struct Tape {
    value: Vec<f64>,
    parents: Vec<Vec<(usize, f64)>>,
}

impl Tape {
    fn leaf(&mut self, v: f64) -> usize {
        self.value.push(v);
        self.parents.push(Vec::new());
        self.value.len() - 1
    }
    fn node(&mut self, v: f64, parents: Vec<(usize, f64)>) -> usize {
        self.value.push(v);
        self.parents.push(parents);
        self.value.len() - 1
    }
    fn add(&mut self, a: usize, b: usize) -> usize {
        let v = self.value[a] + self.value[b];
        self.node(v, vec![(a, 1.0), (b, 1.0)])
    }
    fn sub(&mut self, a: usize, b: usize) -> usize {
        let v = self.value[a] - self.value[b];
        self.node(v, vec![(a, 1.0), (b, -1.0)])
    }
    fn mul(&mut self, a: usize, b: usize) -> usize {
        let (va, vb) = (self.value[a], self.value[b]);
        self.node(va * vb, vec![(a, vb), (b, va)])
    }
    fn scale(&mut self, a: usize, k: f64) -> usize {
        let v = self.value[a] * k;
        self.node(v, vec![(a, k)])
    }
    fn square(&mut self, a: usize) -> usize {
        let v = self.value[a];
        self.node(v * v, vec![(a, 2.0 * v)])
    }
    fn backward(&self, root: usize) -> Vec<f64> {
        let mut grad = vec![0.0; self.value.len()];
        grad[root] = 1.0;
        for n in (0..=root).rev() {
            for &(p, local) in &self.parents[n] {
                grad[p] += grad[n] * local;
            }
        }
        grad
    }
}

/// ∂L/∂w and ∂L/∂b by autograd for L = Σ ½(x⁽ⁱ⁾w + b − y⁽ⁱ⁾)², optionally divided by N.
fn autograd(x: &[Vec<f64>], y: &[f64], w: &[f64], b: f64, mean: bool) -> (Vec<f64>, f64, f64) {
    let mut t = Tape::default();
    let wn: Vec<usize> = w.iter().map(|&v| t.leaf(v)).collect();
    let bn = t.leaf(b);
    let mut total = None;
    for (row, &target) in x.iter().zip(y) {
        let mut acc = None;
        for (xv, &wi) in row.iter().zip(&wn) {
            let xi = t.leaf(*xv);
            let p = t.mul(xi, wi);
            acc = Some(match acc {
                None => p,
                Some(a) => t.add(a, p),
            });
        }
        let yhat = match acc {
            Some(a) => t.add(a, bn),
            None => bn,
        };
        let yi = t.leaf(target);
        let d = t.sub(yhat, yi);
        let sq = t.square(d);
        let l = t.scale(sq, 0.5);
        total = Some(match total {
            None => l,
            Some(s) => t.add(s, l),
        });
    }
    let mut root = total.expect("at least one row");
    if mean {
        root = t.scale(root, 1.0 / y.len() as f64);
    }
    let g = t.backward(root);
    (wn.iter().map(|&i| g[i]).collect(), g[bn], t.value[root])
}

fn first_pos() -> BatchPos {
    BatchPos {
        global: 0,
        epoch: 1,
        batch: 1,
        epoch_end: false,
        epoch_batches: 1,
    }
}

/// A batch of `n` rows and `d` features with values in a range that keeps rounding visible but small.
fn batch_strategy() -> impl Strategy<Value = (Vec<Vec<f64>>, Vec<f64>, Vec<f64>, f64)> {
    (1usize..12, 1usize..6).prop_flat_map(|(n, d)| {
        (
            prop::collection::vec(prop::collection::vec(-5.0f64..5.0, d), n),
            prop::collection::vec(-10.0f64..10.0, n),
            prop::collection::vec(-3.0f64..3.0, d),
            -3.0f64..3.0,
        )
    })
}

fn run_batch(
    x: &[Vec<f64>],
    y: &[f64],
    w: &[f64],
    b: f64,
    objective: Objective,
) -> gradstep::engine::Batch {
    let rows: Vec<&[f64]> = x.iter().map(Vec::as_slice).collect();
    let data = dataset(&rows, y);
    let hyper = Hyper {
        objective,
        batch_size: y.len(),
        ..Hyper::default()
    };
    let params = Params {
        w: DVector::from_vec(w.to_vec()),
        b,
    };
    let indices: Vec<usize> = (0..y.len()).collect();
    compute(&data, &indices, &params, &hyper, first_pos(), None)
}

proptest! {
    #[test]
    fn gradients_equal_autograd((x, y, w, b) in batch_strategy()) {
        for (objective, mean) in [(Objective::Sum, false), (Objective::Mean, true), (Objective::SumNoDiv, false)] {
            let batch = run_batch(&x, &y, &w, b, objective);
            let (gw, gb, l) = autograd(&x, &y, &w, b, mean);
            for (a, e) in batch.grad_w.iter().zip(&gw) {
                prop_assert!(close(*a, *e, 1e-12), "{objective:?}: grad_w {a} vs autograd {e}");
            }
            prop_assert!(close(batch.grad_b, gb, 1e-12), "{objective:?}: grad_b {} vs {gb}", batch.grad_b);
            let sum_loss = if mean { l * y.len() as f64 } else { l };
            prop_assert!(close(batch.loss, sum_loss, 1e-12));
        }
    }

    #[test]
    fn accumulation_ends_at_x_transpose_delta((x, y, w, b) in batch_strategy()) {
        let batch = run_batch(&x, &y, &w, b, Objective::Sum);
        let xt_delta = batch.x.transpose() * &batch.delta;
        let last = batch.acc_w.last().expect("one entry per sample");
        for (a, e) in last.iter().zip(xt_delta.iter()) {
            prop_assert!(close(*a, *e, 1e-12), "running sum {a} vs Xᵀδ {e}");
        }
        prop_assert!(close(*batch.acc_b.last().expect("entries"), batch.delta.sum(), 1e-12));
        // Each running sum adds exactly one sample's δ⁽ⁱ⁾x⁽ⁱ⁾ to the one before.
        for i in 1..batch.rows() {
            for j in 0..batch.x.ncols() {
                let step = batch.acc_w[i][j] - batch.acc_w[i - 1][j];
                prop_assert!(close(step, batch.delta[i] * batch.x[(i, j)], 1e-9));
            }
        }
        // The lesson's sum objective hands Xᵀδ itself to the update.
        prop_assert_eq!(&batch.grad_w, last);
    }

    #[test]
    fn gradients_equal_central_differences((x, y, w, b) in batch_strategy()) {
        let loss = |w: &[f64], b: f64| run_batch(&x, &y, w, b, Objective::Sum).loss;
        let batch = run_batch(&x, &y, &w, b, Objective::Sum);
        let h = 1e-5;
        for j in 0..w.len() {
            let mut up = w.clone();
            let mut down = w.clone();
            up[j] += h;
            down[j] -= h;
            let fd = (loss(&up, b) - loss(&down, b)) / (2.0 * h);
            // L is quadratic, so central differences are exact up to the rounding of L itself
            // (about ε·L/h); 1e-8·(1 + L) leaves a wide margin above that and none for a wrong term.
            let tol = 1e-8 * (1.0 + batch.loss.abs());
            prop_assert!((fd - batch.grad_w[j]).abs() <= tol, "j={j}: fd {fd} vs {}", batch.grad_w[j]);
        }
        let fd_b = (loss(&w, b + h) - loss(&w, b - h)) / (2.0 * h);
        prop_assert!((fd_b - batch.grad_b).abs() <= 1e-8 * (1.0 + batch.loss.abs()));
    }
}

#[test]
fn the_lessons_worked_example_is_the_first_sample_of_house() {
    let session = preset_session(Preset::House);
    let b = session.batch();
    assert_eq!(b.x[(0, 0)], 100.0, "area 100");
    assert_eq!(b.y[0], 200.0, "true price 200");
    assert_eq!(b.y_hat[0], 180.0, "prediction 180");
    assert_eq!(b.losses[0], 200.0, "½(180 − 200)² = 200");
    assert_eq!(b.delta[0], -20.0);
}

#[test]
fn tiny_first_batch_matches_hand_arithmetic() {
    // Rows (1,2)→1, (2,0)→5, (0,1)→0 from w = 0, b = 0: ŷ = 0, δ = −y.
    let session = preset_session(Preset::Tiny);
    let b = session.batch();
    assert_eq!(b.delta.as_slice(), &[-1.0, -5.0, 0.0]);
    assert_eq!(b.loss, 13.0, "½(1 + 25 + 0)");
    // Xᵀδ = (1·−1 + 2·−5 + 0·0, 2·−1 + 0·−5 + 1·0) = (−11, −2); Σδ = −6.
    assert_eq!(b.grad_w.as_slice(), &[-11.0, -2.0]);
    assert_eq!(b.grad_b, -6.0);
    // w ← 0 − 0.1·(−11)/3, b ← 0 − 0.1·(−6)/3
    assert_eq!(b.divisor(), 3.0);
    assert!(close(b.w_next[0], 1.1 / 3.0, 1e-15));
    assert!(close(b.w_next[1], 0.2 / 3.0, 1e-15));
    assert!(close(b.b_next, 0.2, 1e-15));
    assert_eq!(
        b.acc_w[0].as_slice(),
        &[-1.0, -2.0],
        "after sample 1: δ⁽¹⁾x⁽¹⁾"
    );
    assert_eq!(
        b.acc_w[1].as_slice(),
        &[-11.0, -2.0],
        "after sample 2: + (−5)(2, 0)"
    );
    assert_eq!(b.acc_b, vec![-1.0, -6.0, -6.0]);
}
