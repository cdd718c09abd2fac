//! The lesson's claims about scaling the step, as numbers.

mod common;

use common::{default_run, short_last_batch_run};
use gradstep::engine::compare::{divisors, max_relative_difference, objectives};
use gradstep::engine::{Hyper, Objective};

#[test]
fn sum_then_divide_equals_mean_to_rounding_and_sum_without_dividing_blows_up() {
    let (data, hyper, init) = default_run();
    let [sum, mean, nodiv] = objectives(
        &data,
        &Hyper {
            batch_size: 100,
            epochs: 50,
            ..hyper
        },
        &init,
        500,
    );
    assert_eq!(sum.params.len(), 500);
    assert_eq!(
        (sum.objective, mean.objective, nodiv.objective),
        (Objective::Sum, Objective::Mean, Objective::SumNoDiv)
    );
    for (s, m) in sum.params.iter().zip(&mean.params) {
        assert!(max_relative_difference(s, m) < 1e-12);
    }
    assert!(sum.diverged_at.is_none());
    // lr·N·λ ≈ 0.03·100·1 = 3 > 2: each step overshoots and the run overflows.
    let at = nodiv
        .diverged_at
        .expect("sum without dividing diverges at batch 100");
    assert!(at < 500);
    assert_eq!(nodiv.params.len(), at + 1);
    // Before it overflows it is already far off: the loss grows instead of shrinking.
    assert!(
        nodiv.losses[20] > 100.0 * nodiv.losses[0],
        "{} vs {}",
        nodiv.losses[20],
        nodiv.losses[0]
    );
    assert!(sum.losses[20] < sum.losses[0]);
}

#[test]
fn with_a_small_batch_not_dividing_is_merely_faster() {
    let (data, hyper, init) = default_run();
    let [_, _, nodiv] = objectives(
        &data,
        &Hyper {
            batch_size: 2,
            ..hyper
        },
        &init,
        300,
    );
    assert!(nodiv.diverged_at.is_none(), "lr·N·λ ≈ 0.06 is still stable");
}

#[test]
fn the_nominal_divisor_changes_only_the_short_last_batch() {
    let (data, hyper, init) = short_last_batch_run();
    let [actual, nominal] = divisors(&data, &hyper, &init, 3);
    assert_eq!(actual.params[..2], nominal.params[..2]);
    assert!(max_relative_difference(&actual.params[2], &nominal.params[2]) > 1e-6);
}
