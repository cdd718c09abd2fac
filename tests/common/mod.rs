//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gradstep::data::{Dataset, Synthetic};
use gradstep::engine::batch::compute;
use gradstep::engine::schedule::Segment;
use gradstep::engine::{Batch, Hyper, Init, Params, Schedule, Session};
use gradstep::preset::Preset;

/// A data set from explicit rows (row-major) and targets.
pub fn dataset(rows: &[&[f64]], y: &[f64]) -> Dataset {
    let d = rows[0].len();
    let flat = rows.iter().flat_map(|r| r.iter().copied()).collect();
    let names = (1..=d).map(|j| format!("x{j}")).collect();
    Dataset::new(flat, y.to_vec(), names, "y".into()).expect("test data is well formed")
}

/// The lesson's default run: d2l data, lr 0.03, batch 10, 3 epochs.
pub fn default_run() -> (Dataset, Hyper, Params) {
    let data = Synthetic::default().generate().expect("default data");
    let hyper = Hyper::default();
    let init = Init::Normal.params(data.d(), hyper.seed);
    (data, hyper, init)
}

pub fn preset_session(preset: Preset) -> Session {
    // As `--preset` builds it: the fixed table, or the d2l draw turned into the scenario.
    let data = preset
        .spec()
        .data
        .rows(&gradstep::data::Synthetic::default())
        .expect("preset data");
    let hyper = preset.spec().hyper;
    let init = preset.init().params(data.d(), hyper.seed);
    Session::new(data, hyper, init).expect("valid preset")
}

/// The two-layer preset's run: its nine rows, settings and hand-friendly starting network.
pub fn two_layer_preset() -> (Dataset, Hyper, gradstep::engine::TwoLayer) {
    let spec = Preset::TwoLayer.spec();
    let gradstep::preset::Start::TwoLayer(model) = spec.start else {
        panic!("the two-layer preset starts two layers");
    };
    let data = Preset::TwoLayer
        .fixed_data()
        .expect("fixed data")
        .expect("valid");
    (data, spec.hyper, model)
}

/// A two-layer run long enough for a move to take several slices: 40 synthetic rows in one
/// batch through 16 hidden units (a slice is then 2,000,000 / (40·2·17) = 1,470 batches) for
/// 3,000 epochs, at a rate slow enough that leaving out `zero_()` does not overflow.
pub fn long_two_layer_args() -> gradstep::cli::RunArgs {
    gradstep::cli::RunArgs {
        samples: Some(40),
        hidden: Some(16),
        batch_size: Some(40),
        epochs: Some(3000),
        lr: Some(0.001),
        objective: Some(gradstep::engine::Objective::Mean),
        ..Default::default()
    }
}

/// |a − b| ≤ tol · max(1, |a|, |b|).
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * 1f64.max(a.abs()).max(b.abs())
}

/// Every batch of a run, computed straight through from the start with the learning-rate and
/// batch-size changes of `segments` (none beyond the first: the plain run). The reference that
/// history, replay and training are compared with.
pub fn straight_through(
    data: &Dataset,
    hyper: &Hyper,
    init: &Params,
    segments: &[Segment],
) -> Vec<Batch> {
    let mut schedule = Schedule::new(data.n(), hyper);
    for s in segments.iter().skip(1) {
        schedule.change(s.start, s.lr, s.batch_size);
    }
    let mut p = init.clone();
    let mut out = Vec::new();
    for g in 0..schedule.total_batches() {
        let (h, pos) = (schedule.hyper_at(hyper, g), schedule.position(g));
        let b = compute(data, schedule.indices(g), &p, &h, pos, None);
        p = b.next_params();
        let finite = b.is_finite();
        out.push(b);
        if !finite {
            break;
        }
    }
    out
}

/// 25 rows in batches of 10: the last batch of the epoch has 5.
pub fn short_last_batch_run() -> (Dataset, Hyper, Params) {
    let data = Synthetic {
        samples: 25,
        ..Synthetic::default()
    }
    .generate()
    .expect("data");
    let hyper = Hyper {
        batch_size: 10,
        epochs: 1,
        ..Hyper::default()
    };
    let init = Init::Normal.params(2, hyper.seed);
    (data, hyper, init)
}

/// The batch shown is the reference one, and a step forward then back is the identity.
pub fn check_exact(
    s: &mut Session,
    reference: &[Batch],
) -> Result<(), proptest::test_runner::TestCaseError> {
    use proptest::prop_assert_eq;
    prop_assert_eq!(s.batch(), &reference[s.batch().global]);
    let before = (s.batch().clone(), s.step());
    if s.next_step() {
        proptest::prop_assert!(s.prev_step());
        prop_assert_eq!(&before.0, s.batch());
        prop_assert_eq!(before.1, s.step());
    }
    Ok(())
}

/// The numbers of a JSON fixture value (a number, or nested lists of them), in order.
pub fn json_numbers(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(json_numbers).collect(),
        serde_json::Value::Number(n) => vec![n.as_f64().expect("a number")],
        other => panic!("not a number: {other}"),
    }
}

/// A JSON list of rows as a matrix.
pub fn json_matrix(v: &serde_json::Value) -> nalgebra::DMatrix<f64> {
    let rows = v.as_array().expect("rows");
    let cols = rows[0].as_array().expect("a row").len();
    nalgebra::DMatrix::from_row_slice(rows.len(), cols, &json_numbers(v))
}

/// The cases PyTorch recorded for two layers (`fixtures/torch/mlp.json`).
pub fn mlp_cases() -> Vec<serde_json::Value> {
    let f: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/torch/mlp.json")).expect("fixture JSON");
    f["cases"].as_array().expect("cases").clone()
}

/// One recorded two-layer case's tape, before `backward()`: its X, y, parameters, activation
/// and objective as PyTorch had them.
pub fn mlp_case(c: &serde_json::Value) -> gradstep::engine::tape::mlp::Mlp {
    use gradstep::engine::Objective;
    use gradstep::engine::mlp::{Activation, MlpParams};
    use nalgebra::DVector;
    let act = Activation::parse(c["activation"].as_str().expect("name")).expect("known");
    let objective = match c["objective"].as_str() {
        Some("mean") => Objective::Mean,
        _ => Objective::Sum,
    };
    let params = MlpParams {
        w1: json_matrix(&c["W1"]),
        b1: DVector::from_vec(json_numbers(&c["b1"])),
        w2: DVector::from_vec(json_numbers(&c["W2"])),
        b2: json_numbers(&c["b2"])[0],
    };
    let y = DVector::from_vec(json_numbers(&c["y"]));
    gradstep::engine::tape::mlp::Mlp::record(json_matrix(&c["x"]), &y, &params, act, objective)
        .expect("shapes")
}
