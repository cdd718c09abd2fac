//! `gradstep train`: the loss after each epoch, then what was learned.

use std::io::Write;

use crate::engine::{TrainReport, train_with};

use super::setup::Run;

pub fn write_train(run: &Run, out: &mut impl Write) -> std::io::Result<TrainReport> {
    let report = match train_with(&run.data, &run.hyper, run.init.clone(), &run.changes) {
        Ok(r) => r,
        Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0)),
    };
    for e in &report.epochs {
        writeln!(out, "epoch {}, loss {}", e.epoch, fixed(e.loss))?;
    }
    if let Some(pos) = report.diverged_at {
        writeln!(
            out,
            "diverged in epoch {}, batch {}: values overflowed to inf/NaN. The steps were too large for the scale \
             of the features: lower --lr, or rescale the features with --standardize.",
            pos.epoch, pos.batch
        )?;
    }
    let w: Vec<String> = report.params.w.iter().map(|v| fixed(*v)).collect();
    write!(out, "w = [{}]", w.join(", "))?;
    if let Some(true_w) = &run.data.true_w {
        let err: Vec<String> = true_w
            .iter()
            .zip(report.params.w.iter())
            .map(|(t, v)| fixed(t - v))
            .collect();
        let t: Vec<String> = true_w.iter().map(|v| v.to_string()).collect();
        write!(
            out,
            "  true [{}], error (true - learned) [{}]",
            t.join(", "),
            err.join(", ")
        )?;
    }
    writeln!(out)?;
    write!(out, "b = {}", fixed(report.params.b))?;
    if let Some(true_b) = run.data.true_b {
        write!(
            out,
            "  true {true_b}, error (true - learned) {:.6}",
            true_b - report.params.b
        )?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(report)
}

/// Six decimals like d2l's `:f`, switching to scientific notation where that would print a wall
/// of digits (a diverging run reaches 1e300).
fn fixed(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e6 {
        format!("{v:.6e}")
    } else {
        format!("{v:.6}")
    }
}
