//! `gradstep train`: the loss after each epoch, then what was learned.

use std::io::Write;

use crate::engine::Training;

use super::setup::Run;

/// Trains, printing each epoch's loss as it ends; returns the learned parameters' report.
pub fn write_train(run: &Run, out: &mut impl Write) -> std::io::Result<()> {
    let mut training = match Training::new(&run.data, &run.hyper, run.init.clone(), &run.changes) {
        Ok(t) => t,
        Err(e) => return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0)),
    };
    for e in training.by_ref() {
        writeln!(
            out,
            "epoch {}, loss {}",
            e.epoch,
            crate::number::like_d2l(e.loss, Some(6))
        )?;
    }
    if let Some(pos) = training.diverged_at() {
        writeln!(
            out,
            "diverged in epoch {}, batch {}: values overflowed to inf/NaN. The steps were too large for the scale \
             of the features: lower --lr, or rescale the features with --standardize.",
            pos.epoch, pos.batch
        )?;
    }
    let params = training.params();
    let list = |values: &mut dyn Iterator<Item = f64>, decimals| {
        let shown: Vec<String> = values
            .map(|v| crate::number::like_d2l(v, decimals))
            .collect();
        shown.join(", ")
    };
    write!(
        out,
        "w = [{}]",
        list(&mut params.w.iter().copied(), Some(6))
    )?;
    if let Some(true_w) = &run.data.true_w {
        let err = &mut true_w.iter().zip(params.w.iter()).map(|(t, v)| t - v);
        write!(
            out,
            "  true [{}], error (true - learned) [{}]",
            list(&mut true_w.iter().copied(), None),
            list(err, Some(6))
        )?;
    }
    writeln!(out)?;
    write!(out, "b = {}", crate::number::like_d2l(params.b, Some(6)))?;
    if let Some(true_b) = run.data.true_b {
        write!(
            out,
            "  true {}, error (true - learned) {}",
            crate::number::like_d2l(true_b, None),
            crate::number::like_d2l(true_b - params.b, Some(6))
        )?;
    }
    writeln!(out)?;
    out.flush()
}
