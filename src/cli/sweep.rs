//! `gradstep sweep`: the same run at several learning rates, side by side.

use std::io::Write;

use crate::engine::{EpochReport, Hyper, InvalidRun, MlpTraining, Training};

use super::setup::Run;

/// A column per epoch is a table to read: beyond this many it is not one.
pub const MAX_SWEEP_EPOCHS: usize = 1000;

pub fn write_sweep(run: &Run, lrs: &[f64], out: &mut impl Write) -> std::io::Result<()> {
    let epochs = run.hyper.epochs;
    if epochs > MAX_SWEEP_EPOCHS {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "--epochs {epochs}: sweep prints a column per epoch, at most {MAX_SWEEP_EPOCHS}; use `gradstep train` for longer runs"
            ),
        ));
    }
    write!(out, "{:<10}", "lr")?;
    for e in 1..=epochs {
        write!(out, " {:>14}", format!("epoch {e}"))?;
    }
    writeln!(out)?;
    for &lr in lrs {
        let hyper = Hyper {
            lr,
            ..run.hyper.clone()
        };
        let invalid = |e: InvalidRun| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0);
        let (losses, diverged_at) = match &run.two_layer {
            None => {
                let mut training = Training::new(&run.data, &hyper, run.init.clone(), &run.changes)
                    .map_err(invalid)?;
                let losses: Vec<EpochReport> = training.by_ref().collect();
                (losses, training.diverged_at())
            }
            Some(model) => {
                let mut training =
                    MlpTraining::new(&run.data, &hyper, model, &run.changes).map_err(invalid)?;
                let losses: Vec<EpochReport> = training.by_ref().collect();
                (losses, training.diverged_at())
            }
        };
        let mut line = format!("{:<10}", crate::number::like_d2l(lr, None));
        for e in losses {
            line.push_str(&format!(" {:>14}", format!("{:.6e}", e.loss)));
        }
        if let Some(at) = diverged_at {
            line.push_str(&format!(
                " diverged in epoch {}, batch {}",
                at.epoch, at.batch
            ));
        }
        writeln!(out, "{line}")?;
    }
    out.flush()
}
