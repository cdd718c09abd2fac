//! `gradstep sweep`: the same run at several learning rates, side by side.

use std::io::Write;

use crate::engine::{Hyper, train_with};

use super::setup::Run;

/// From too timid to too bold for the d2l data, whose curvature is about 1 (stable below lr 2).
pub const DEFAULT_LRS: [f64; 8] = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0];

pub fn write_sweep(run: &Run, lrs: &[f64], out: &mut impl Write) -> std::io::Result<()> {
    let epochs = run.hyper.epochs;
    let mut header = format!("{:<10}", "lr");
    for e in 1..=epochs {
        header.push_str(&format!(" {:>14}", format!("epoch {e}")));
    }
    writeln!(out, "{}", header.trim_end())?;
    for &lr in lrs {
        let hyper = Hyper {
            lr,
            ..run.hyper.clone()
        };
        let report = train_with(&run.data, &hyper, run.init.clone(), &run.changes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
        let mut line = format!("{:<10}", lr.to_string());
        for e in &report.epochs {
            line.push_str(&format!(" {:>14}", format!("{:.6e}", e.loss)));
        }
        if let Some(at) = report.diverged_at {
            line.push_str(&format!(
                " diverged in epoch {}, batch {}",
                at.epoch, at.batch
            ));
        }
        writeln!(out, "{line}")?;
    }
    out.flush()
}
