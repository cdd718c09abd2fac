//! Which commands take a hidden layer, and how: `trace`, `train`, `sweep`, `graph`, `data` and
//! `handout` run it; the explainer and `serve`, which open a terminal, are started by
//! `crate::explainer`.

use std::io::Write;
use std::path::Path;

use crate::engine::TwoLayer;
use crate::engine::mlp_session::MlpSession;
use crate::handout::{
    HandoutOptions, TwoLayerBatch, render_two_layer, render_two_layer_stop, write_atomically,
};
use crate::lesson::{Lang, Lesson};
use crate::run::resume::Saved;

use super::args::{Command, RunArgs};
use super::setup::Run;

/// Why a command did not run: the `error:` line's message and the exit status.
#[derive(Debug)]
pub struct Refusal {
    pub message: String,
    pub status: u8,
}

/// Bad input: the user can fix it.
const BAD_INPUT: u8 = 2;

pub fn refuse(message: &str) -> Refusal {
    Refusal {
        message: message.to_string(),
        status: BAD_INPUT,
    }
}

/// An output error as every command reports it: a closed pipe is a normal end.
fn output(result: std::io::Result<()>) -> Result<(), Refusal> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Err(refuse(&e.to_string())),
        Err(e) => Err(Refusal {
            message: format!("cannot write output: {e}"),
            status: 1,
        }),
    }
}

/// The run's options as given (without `--resume` and `--at`), and the place `--resume` found.
pub struct Resuming {
    pub args: Vec<String>,
    pub saved: Option<Saved>,
}

/// Runs `command` on a two-layer run: every command but the explainer and `serve`, which open
/// a terminal (see `crate::explainer`).
pub fn run(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    command: Option<&Command>,
    lang: Lang,
    args: &RunArgs,
) -> Result<ExitStatus, Refusal> {
    // The handout's update reads each batch's own ∂L/∂p: said, rather than shown wrong. The
    // explainer takes it (`z` too).
    if args.keep_grad && matches!(command, Some(Command::Handout { .. })) {
        return Err(refuse(
            "--keep-grad does not apply to the two-layer handout yet; the explainer, `trace`, \
             `train`, `graph` and `sweep` take it with a hidden layer",
        ));
    }
    let precision = args.precision;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let done = output(match command {
        Some(Command::Trace { batches }) => {
            super::two_layer::write_trace(run, model, *batches, &mut out)
        }
        Some(Command::Train) => super::two_layer::write_train(run, model, &mut out),
        Some(Command::Graph { batch }) => {
            super::two_layer::write_graph(run, model, *batch, &mut out)
        }
        Some(Command::Sweep { lrs }) => {
            let lrs = lrs
                .as_ref()
                .map_or_else(|| crate::engine::LR_LADDER.to_vec(), |l| l.0.clone());
            super::sweep::write_sweep(run, &lrs, &mut out)
        }
        Some(Command::Data) => {
            let mut out = std::io::BufWriter::new(out);
            run.data.write_csv(&mut out).and_then(|()| out.flush())
        }
        Some(Command::Handout {
            batch,
            output: file,
            force,
            stop,
        }) => {
            let opts = HandoutOptions {
                lang,
                precision: precision.map_or(crate::number::HANDOUT_PRECISION, usize::from),
                source: run.source.get(lang).to_string(),
            };
            drop(out);
            let text = match stop {
                Some(k) => handout_stop(run, model, lesson, *k, &opts)?,
                None => handout(run, model, *batch, &opts)?,
            };
            return write_handout(&text, file.as_deref(), *force).map(|()| ExitStatus::Done);
        }
        // The explainer and `serve` open a terminal: `crate::explainer` starts them.
        None => Ok(()),
        #[cfg(feature = "serve")]
        Some(Command::Serve(_)) => Ok(()),
        Some(Command::Lesson | Command::Completions { .. } | Command::Man) => Ok(()),
    });
    done.map(|()| ExitStatus::Done)
}

/// How a command that ran ended: done, or ended by a signal (exit status 128 + its number).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitStatus {
    Done,
    Signal(i32),
}

/// `gradstep handout --batch K` of a two-layer run.
fn handout(
    run: &Run,
    model: &TwoLayer,
    k: usize,
    opts: &HandoutOptions,
) -> Result<String, Refusal> {
    let at = super::two_layer::batch_k(run, model, k).map_err(|e| refuse(&e.to_string()))?;
    Ok(render_two_layer(
        &TwoLayerBatch {
            data: &run.data,
            update: &at.update,
            next: at.training.params(),
            activation: model.activation,
            total: at.total,
            per_epoch: at.per_epoch,
        },
        opts,
    ))
}

/// `gradstep handout --stop K` of a two-layer run: the batch of the lesson plan's stop `k`, each
/// stop before it applied (the network a stop sets included), with its note on top.
fn handout_stop(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    k: usize,
    opts: &HandoutOptions,
) -> Result<String, Refusal> {
    let session = MlpSession::new(run.data.clone(), run.hyper.clone(), model.clone())
        .and_then(|s| s.with_changes(&run.changes))
        .map_err(|e| refuse(&e.to_string()))?;
    let (s, note) = crate::run::stops::two_layer_at(session, &run.starts, lesson, k, opts.lang)
        .map_err(|e| refuse(&format!("--stop {k}: {e}")))?;
    Ok(render_two_layer_stop(&TwoLayerBatch::of(&s), opts, &note))
}

/// A handout to stdout or atomically to a file.
fn write_handout(text: &str, file: Option<&Path>, force: bool) -> Result<(), Refusal> {
    match crate::handout::output_file(file) {
        None => {
            let mut out = std::io::stdout().lock();
            output(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
        }
        Some(path) => match write_atomically(path, text, force) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                Ok(())
            }
            Err(e) => Err(Refusal {
                message: e.to_string(),
                status: if e.is_bad_input() { BAD_INPUT } else { 1 },
            }),
        },
    }
}

/// For the linear run's commands that show the lesson's stops (the explainer, `serve`,
/// `handout`): a stop that sets a hidden layer or an activation. A run that starts linear stays
/// linear; a stop changes the network of a run that starts with one. `file` is the lesson
/// file's path as given.
pub fn refuse_hidden_stops(
    lesson: &Lesson,
    command: Option<&Command>,
    file: Option<&Path>,
) -> Result<(), Refusal> {
    let explains = command.is_none_or(Command::explains);
    let stop = lesson
        .stops()
        .iter()
        .find(|s| s.hidden.is_some() || s.activation.is_some());
    match stop {
        Some(stop) if explains => Err(refuse(&format!(
            "{}: line {}: the stop at {} sets a hidden layer, but the run starts with the \
             linear model, which a stop cannot change; set `hidden` at the lesson's top, or run \
             with `--hidden H`",
            file.unwrap_or(Path::new("lesson")).display(),
            stop.line,
            stop.at
        ))),
        Some(_) | None => Ok(()),
    }
}
