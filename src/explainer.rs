//! The two-layer explainer and `gradstep serve` started on a built run: the commands that open
//! a terminal, kept out of `cli` so that the command line's other commands need no screen.

use crate::cli::RunArgs;
use crate::cli::setup::Run;
use crate::cli::two_layer_commands::{Refusal, Resuming, refuse};
use crate::engine::TwoLayer;
use crate::engine::mlp_session::MlpSession;
use crate::lesson::{Lang, Lesson};
use crate::run::goto::Target;
use crate::run::resume::{Resume, RunPrint, same_run};
use crate::ui::Ending;
use crate::ui::two_layer::TwoLayerApp;

/// The explainer stepping through the two-layer run.
pub fn explain(
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
pub fn serve(
    run: &Run,
    model: &TwoLayer,
    lesson: &Lesson,
    lang: Lang,
    args: &RunArgs,
    serve: &crate::cli::ServeArgs,
    resuming: Resuming,
) -> Result<Ending, Refusal> {
    // serve's followers are not checked with the held sum yet: said, rather than shown wrong.
    if args.keep_grad {
        return Err(refuse(
            "--keep-grad does not apply to serving two layers yet; the explainer, `trace`, \
             `train`, `graph` and `sweep` take it with a hidden layer",
        ));
    }
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
