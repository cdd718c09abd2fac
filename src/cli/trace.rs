//! `gradstep trace`: every update as one JSON object per line.

use std::io::Write;

use crate::engine::{Batch, Schedule, batch};

use super::setup::Run;

/// Writes the trace; stops after the first batch with a non-finite value.
pub fn write_trace(run: &Run, limit: Option<usize>, out: &mut impl Write) -> std::io::Result<()> {
    let mut schedule = Schedule::new(run.data.n(), &run.hyper);
    schedule
        .apply(&run.changes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.0))?;
    let total = schedule.total_batches().min(limit.unwrap_or(usize::MAX));
    let mut params = run.init.clone();
    for g in 0..total {
        let (pos, hyper) = (schedule.position(g), schedule.hyper_at(&run.hyper, g));
        let b = batch::compute(&run.data, schedule.indices(g), &params, &hyper, pos);
        writeln!(out, "{}", record(&b))?;
        if !b.is_finite() {
            break;
        }
        params = b.next_params();
    }
    out.flush()
}

/// One line of the trace, keys in the documented order. The last two record the experiment in
/// force: the objective, and the nominal batch size (which `--change` may alter mid-run).
pub fn record(b: &Batch) -> String {
    let hyper = &b.hyper;
    let rows: Vec<String> = b.x.row_iter().map(|r| array(r.iter())).collect();
    let fields = [
        ("epoch", b.epoch.to_string()),
        ("batch", b.batch.to_string()),
        (
            "indices",
            format!(
                "[{}]",
                b.indices
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ),
        ("x", format!("[{}]", rows.join(","))),
        ("y", array(b.y.iter())),
        ("w", array(b.w.iter())),
        ("b", number(b.b)),
        ("y_hat", array(b.y_hat.iter())),
        ("delta", array(b.delta.iter())),
        ("loss", number(b.loss)),
        ("grad_w", array(b.grad_w.iter())),
        ("grad_b", number(b.grad_b)),
        ("lr", number(b.hyper.lr)),
        ("divisor", number(b.divisor())),
        ("w_next", array(b.w_next.iter())),
        ("b_next", number(b.b_next)),
        ("objective", format!("\"{}\"", hyper.objective.name())),
        ("batch_size", hyper.batch_size.to_string()),
    ];
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
    format!("{{{}}}", body.join(","))
}

/// Shortest text that reads back as the same f64; non-finite values as strings JSON can hold.
pub fn number(v: f64) -> String {
    if v.is_nan() {
        "\"NaN\"".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "\"inf\"".into()
        } else {
            "\"-inf\"".into()
        }
    } else {
        serde_json::Number::from_f64(v).map_or_else(|| "\"NaN\"".into(), |n| n.to_string())
    }
}

fn array<'a>(values: impl Iterator<Item = &'a f64>) -> String {
    format!(
        "[{}]",
        values.map(|v| number(*v)).collect::<Vec<_>>().join(",")
    )
}
