//! Helpers shared by the integration tests.
#![allow(dead_code)]

use gradstep::data::{Dataset, Init, Preset, Synthetic};
use gradstep::engine::{Hyper, Params, Session};

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
    let data = match preset.fixed_data() {
        Some(d) => d.expect("preset data"),
        None => preset.synthetic().generate().expect("preset data"),
    };
    let hyper = preset.hyper();
    let init = preset.init().params(data.d(), hyper.seed);
    Session::new(data, hyper, init).expect("valid preset")
}

/// |a − b| ≤ tol · max(1, |a|, |b|).
pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * 1f64.max(a.abs()).max(b.abs())
}
