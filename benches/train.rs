//! Throughput of headless training and the cost of stepping back through history.
//!
//! `cargo bench --bench train`

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gradstep::data::{Dataset, Synthetic};
use gradstep::engine::Init;
use gradstep::engine::{Hyper, Session, train};

/// N = 1,000,000 rows of d = 10 features, as the target shape.
fn big() -> Dataset {
    let true_w: Vec<f64> = (0..10).map(|j| j as f64 * 0.5 - 2.0).collect();
    Synthetic {
        samples: 1_000_000,
        true_w,
        ..Synthetic::default()
    }
    .generate()
    .expect("bench data")
}

fn benches(c: &mut Criterion) {
    let data = big();
    let hyper = Hyper {
        batch_size: 10,
        epochs: 1,
        ..Hyper::default()
    };
    let init = Init::Normal.params(data.d(), hyper.seed);
    let batches = data.n().div_ceil(hyper.batch_size) as u64;

    let mut group = c.benchmark_group("train");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    group.throughput(Throughput::Elements(batches));
    group.bench_function("epoch_n1e6_d10_batch10", |b| {
        b.iter(|| black_box(train(&data, &hyper, init.clone()).expect("valid run")))
    });
    group.finish();

    // The divergence warning's estimate: bounded in N and d, so a million rows or five thousand
    // columns cost what a thousand rows do.
    let mut group = c.benchmark_group("curvature");
    group.sample_size(20);
    group.bench_function("n1e6_d10", |b| b.iter(|| black_box(data.curvature())));
    let wide = Dataset::new(
        (0..5000).map(|j| j as f64).collect(),
        vec![1.0],
        (0..5000).map(|j| format!("x{j}")).collect(),
        "y".into(),
    )
    .expect("one row of 5000 columns");
    group.bench_function("n1_d5000", |b| b.iter(|| black_box(wide.curvature())));
    group.finish();

    let mut session = Session::new(data, Hyper { epochs: 3, ..hyper }, init).expect("valid run");
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("step_back_10000_batches", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                session.go_to_batch(10_000);
                let start = Instant::now();
                for _ in 0..10_000 {
                    session.prev_batch();
                }
                total += start.elapsed();
                assert_eq!(session.batch().global, 0);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(train_benches, benches);
criterion_main!(train_benches);
