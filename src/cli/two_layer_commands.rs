//! Which commands take a hidden layer, and how: `trace`, `train`, `sweep`, `graph`, `data` and
//! `handout` run it, the explainer steps through it (the lesson's stops included) and `serve`
//! serves it.

use std::io::Write;
use std::path::Path;

use crate::engine::TwoLayer;
use crate::engine::mlp_session::MlpSession;
use crate::handout::{
    HandoutOptions, TwoLayerBatch, render_two_layer, render_two_layer_stop, write_atomically,
};
use crate::lesson::{Lang, Lesson};
use crate::run::goto::Target;
use crate::run::resume::{Resume, RunPrint, Saved, same_run};
use crate::ui::Ending;
use crate::ui::two_layer::TwoLayerApp;

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

fn refuse(message: &str) -> Refusal {
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

/// Runs `command` on a two-layer run.
pub fn run(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    command: Option<&Command>,
    lang: Lang,
    args: &RunArgs,
    resuming: Resuming,
) -> Result<ExitStatus, Refusal> {
    // The handout's update reads each batch's own ∂L/∂p, and serve's followers are not checked
    // with the held sum yet: said, rather than shown wrong. The explainer takes it (`z` too).
    if args.keep_grad && matches!(command, Some(Command::Handout { .. })) {
        return Err(refuse(
            "--keep-grad does not apply to the two-layer handout yet; the explainer, `trace`, \
             `train`, `graph` and `sweep` take it with a hidden layer",
        ));
    }
    #[cfg(feature = "serve")]
    if args.keep_grad && matches!(command, Some(Command::Serve(_))) {
        return Err(refuse(
            "--keep-grad does not apply to serving two layers yet; the explainer, `trace`, \
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
        None => {
            drop(out);
            return explain(run, model, lesson, lang, args, resuming).map(|ending| match ending {
                Ending::Quit => ExitStatus::Done,
                Ending::Signal(n) => ExitStatus::Signal(n),
            });
        }
        #[cfg(feature = "serve")]
        Some(Command::Serve(serve)) => {
            drop(out);
            return self::serve(run, model, lesson, lang, args, serve, resuming).map(|ending| {
                match ending {
                    Ending::Quit => ExitStatus::Done,
                    Ending::Signal(n) => ExitStatus::Signal(n),
                }
            });
        }
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

/// The explainer stepping through the two-layer run.
fn explain(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    lang: Lang,
    args: &RunArgs,
    resuming: Resuming,
) -> Result<Ending, Refusal> {
    let place = crate::run::resume::path().map(|path| (resuming, path));
    let mut app = explainer(run, model, lesson, lang, args, place)?;
    crate::ui::two_layer::run(&mut app).map_err(|e| Refusal {
        message: format!("the terminal: {e}"),
        status: 1,
    })
}

/// `gradstep serve` on the two-layer run: the teacher's explainer, each student's their own.
#[cfg(feature = "serve")]
fn serve(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    lang: Lang,
    args: &RunArgs,
    serve: &super::ServeArgs,
    resuming: Resuming,
) -> Result<Ending, Refusal> {
    // The class's place is kept apart from the explainer's own, as the linear serve keeps it.
    let place = crate::run::resume::class_path().map(|path| (resuming, path));
    let app = explainer(run, model, lesson, lang, args, place)?;
    let options = crate::ui::UiOptions {
        lang,
        seed: run.hyper.seed,
        ambiguous_wide: args.ambiguous_wide,
        theme: app.palette(),
        precision: args.precision,
        source: run.source.clone(),
        ..crate::ui::UiOptions::default()
    };
    crate::serve::run_two_layer(run, app, options, serve).map_err(|e| Refusal {
        message: e.message,
        status: e.status,
    })
}

/// The two-layer explainer for the run, once the options it does not take are refused and
/// stdout is a terminal, opened at `--at` or the saved place `resuming` found, and keeping its
/// place on quitting in the file beside it (the explainer's own, or the class's under `serve`).
fn explainer(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    lang: Lang,
    args: &RunArgs,
    resuming: Option<(Resuming, std::path::PathBuf)>,
) -> Result<TwoLayerApp, Refusal> {
    use std::io::IsTerminal;
    // The run is checked first: a run too long to step through is bad input on any output.
    let print = RunPrint::two_layer(&run.source.en, &run.data, &run.hyper, model, &run.changes);
    if let Some(saved) = resuming.as_ref().and_then(|(r, _)| r.saved.as_ref()) {
        same_run(saved, &print).map_err(|e| refuse(&e))?;
    }
    let session = MlpSession::new(run.data.clone(), run.hyper.clone(), model.clone())
        .and_then(|s| s.with_changes(&run.changes))
        .map_err(|e| refuse(&e.to_string()))?;
    let at = match &args.at {
        None => None,
        Some(text) => Some(
            Target::parse(text)
                .and_then(|t| t.resolve(&session))
                .map_err(|e| refuse(&format!("--at {text}: {e}")))?,
        ),
    };
    if !std::io::stdout().is_terminal() {
        return Err(refuse(
            "the explainer needs a terminal, but stdout is not one; `gradstep trace` and \
             `gradstep train` run a hidden layer without one",
        ));
    }
    let color = crate::ui::Theme::from_env().has_color();
    let mut app = TwoLayerApp::new(session, lang, args.ambiguous_wide, color);
    app.set_stops(lesson.stops().to_vec(), run.starts.clone());
    if let Some(p) = args.precision {
        app.set_precision(usize::from(p));
    }
    if let Some(palette) = args.theme {
        app.set_palette(palette);
    }
    if let Some((resuming, path)) = resuming {
        app.set_resume(Resume {
            path,
            args: resuming.args,
            run: print,
            saved: resuming.saved,
        });
    }
    // `--at` wins over the saved place, as in the linear explainer.
    if let Some(place) = at {
        app.open_at(place);
    }
    // Given now, they are on whatever the saved place had; not given, the saved place decides.
    if args.quiz {
        app.set_quiz(true);
    }
    if args.present {
        app.set_presenting(true);
    }
    app.set_handout(std::path::PathBuf::new(), run.source.clone());
    Ok(app)
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
