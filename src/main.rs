#![forbid(unsafe_code)]

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use gradstep::cli::{self, Cli, Command};
use gradstep::handout::HandoutOptions;
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{self, UiOptions};

/// Bad input: the user can fix it, and scripts can tell it from a crash.
const BAD_INPUT: u8 = 2;

#[cfg(feature = "serve")]
type ServeArgs = cli::ServeArgs;
/// A build without `serve` never has its options.
#[cfg(not(feature = "serve"))]
type ServeArgs = std::convert::Infallible;

/// `gradstep serve` in a build without it: clap knows no such command, so say how to get it.
#[cfg(not(feature = "serve"))]
const NO_SERVE: &str = "this gradstep was built without `serve` (--no-default-features); \
     `cargo install gradstep` with its default features builds it";

#[cfg(not(feature = "serve"))]
fn asks_for_serve(e: &clap::Error) -> bool {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    e.kind() == ErrorKind::InvalidSubcommand
        && matches!(e.get(ContextKind::InvalidSubcommand), Some(ContextValue::String(s)) if s == "serve")
}

/// The most of a `--lesson` file read: the built-in lesson is a few dozen kilobytes, and a
/// device such as /dev/zero never ends.
const MAX_LESSON_BYTES: u64 = 4 << 20;

fn main() -> ExitCode {
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version: their text is the output, so failing to write it is an error.
        Err(e) if !e.use_stderr() => return print(e.render().to_string().as_bytes()),
        #[cfg(not(feature = "serve"))]
        Err(e) if asks_for_serve(&e) => return fail(NO_SERVE, BAD_INPUT),
        Err(e) => return fail(&clap_message(&e.render().to_string()), BAD_INPUT),
    };
    // Commands that need no data.
    match &cli.command {
        Some(Command::Lesson) => return print(gradstep::lesson::EMBEDDED.as_bytes()),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "gradstep", &mut out);
            return print(&out);
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            if let Err(e) = clap_mangen::Man::new(Cli::command()).render(&mut out) {
                return fail(&format!("cannot render the manual: {e}"), 1);
            }
            return print(&out);
        }
        _ => {}
    }
    // --resume: the saved run's options, unless others are given (then they must match).
    let given: Vec<String> = std::env::args().skip(1).collect();
    let mut run_args = gradstep::run::resume::run_args(&given);
    let mut saved = None;
    // `serve --resume` and `serve --at` mean what they mean for the explainer, on the class's
    // own saved place.
    let serving = serve_place_options(&mut cli);
    if (cli.command.is_none() || serving) && cli.run.resume {
        match resumed(&mut cli, &mut run_args, serving) {
            Ok(s) => saved = Some(s),
            Err(e) => eprintln!("warning: {e}; starting afresh"),
        }
    }
    let preset = cli
        .run
        .data
        .is_none()
        .then(|| cli.run.preset.unwrap_or_default().name());
    let lesson = match load_lesson(&cli.run) {
        Ok(l) => l.plan_for(preset.as_deref()),
        Err(e) => return fail(&e, BAD_INPUT),
    };
    cli::setup::lesson_model(&mut cli.run, lesson.hidden(), lesson.activation());
    let run = match cli::build(&cli.run) {
        Ok(run) => run,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    if run.two_layer.is_none()
        && let Err(r) = cli::two_layer_commands::refuse_hidden_stops(
            &lesson,
            cli.command.as_ref(),
            cli.run.lesson.as_deref(),
        )
    {
        return fail(&r.message, r.status);
    }
    // The stability warning below is the linear model's (its curvature is the features').
    if let Some(model) = &run.two_layer {
        let lang = chosen_lang(&cli.run);
        let resuming = cli::two_layer_commands::Resuming {
            args: run_args,
            saved,
        };
        let command = cli.command.as_ref();
        let ended = |ending: ui::Ending| match ending {
            ui::Ending::Quit => cli::two_layer_commands::ExitStatus::Done,
            ui::Ending::Signal(n) => cli::two_layer_commands::ExitStatus::Signal(n),
        };
        let done = match command {
            None => gradstep::explainer::explain(&run, model, &lesson, lang, &cli.run, resuming)
                .map(ended),
            #[cfg(feature = "serve")]
            Some(Command::Serve(serve)) => {
                gradstep::explainer::serve(&run, model, &lesson, lang, &cli.run, serve, resuming)
                    .map(ended)
            }
            Some(_) => cli::two_layer_commands::run(&run, model, &lesson, command, lang, &cli.run),
        };
        return match done {
            Ok(cli::two_layer_commands::ExitStatus::Done) => ExitCode::SUCCESS,
            Ok(cli::two_layer_commands::ExitStatus::Signal(n)) => {
                ExitCode::from(u8::try_from(128 + n).unwrap_or(1))
            }
            Err(r) => fail(&r.message, r.status),
        };
    }
    // The explainer shows the warning on screen from the first frame; `data` trains nothing.
    if cli.command.is_some()
        && !matches!(cli.command, Some(Command::Data))
        && let Some(w) = run.warning()
    {
        eprintln!("warning: {w}");
    }
    let stdout = std::io::stdout();
    let result = match cli.command {
        Some(Command::Trace { batches }) => {
            cli::trace::write_trace(&run, batches, &mut stdout.lock())
        }
        Some(Command::Train) => cli::train::write_train(&run, &mut stdout.lock()),
        Some(Command::Graph { batch }) => cli::graph::write_graph(&run, batch, &mut stdout.lock()),
        Some(Command::Sweep { lrs }) => {
            let lrs = lrs.map_or_else(|| gradstep::engine::LR_LADDER.to_vec(), |l| l.0);
            cli::sweep::write_sweep(&run, &lrs, &mut stdout.lock())
        }
        Some(Command::Data) => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            run.data.write_csv(&mut out).and_then(|()| out.flush())
        }
        None => return explain(run, lesson, &cli.run, run_args, saved, None),
        #[cfg(feature = "serve")]
        Some(Command::Serve(serve)) => {
            return explain(run, lesson, &cli.run, run_args, saved, Some(serve.clone()));
        }
        Some(Command::Handout {
            batch,
            output,
            force,
            stop,
        }) => {
            return handout(
                run,
                &lesson,
                &cli.run,
                (batch, stop),
                output.as_deref(),
                force,
            );
        }
        Some(Command::Lesson | Command::Completions { .. } | Command::Man) => Ok(()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `gradstep trace | head` is a normal way to look at the start.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail(&e.to_string(), BAD_INPUT),
        Err(e) => fail(&format!("cannot write output: {e}"), 1),
    }
}

/// The built-in lesson, or a teacher's edited copy from `--lesson`.
fn load_lesson(args: &cli::RunArgs) -> Result<Lesson, String> {
    match &args.lesson {
        None => Lesson::embedded().map_err(|e| format!("the built-in lesson: {e}")),
        Some(path) => {
            let shown = path.display();
            if path.is_dir() {
                return Err(format!("{shown} is a directory, not a lesson file"));
            }
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_LESSON_BYTES + 1).read_to_end(&mut bytes))
                .map_err(|e| format!("cannot read {shown}: {e}"))?;
            if bytes.len() as u64 > MAX_LESSON_BYTES {
                return Err(format!(
                    "{shown} is larger than {} MiB; a lesson file is a few dozen kilobytes",
                    MAX_LESSON_BYTES >> 20
                ));
            }
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{shown}: not valid UTF-8 text (at byte {})",
                    e.utf8_error().valid_up_to()
                )
            })?;
            Lesson::parse(&text).map_err(|e| format!("{shown}: {e}"))
        }
    }
}

fn print(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write output: {e}"), 1),
    }
}

fn chosen_lang(args: &cli::RunArgs) -> Lang {
    args.lang.unwrap_or_else(Lang::from_env)
}

/// The saved place, with `cli.run` and `run_args` replaced by its options when none were given.
fn resumed(
    cli: &mut Cli,
    run_args: &mut Vec<String>,
    serving: bool,
) -> Result<gradstep::run::resume::Saved, String> {
    let path = if serving {
        gradstep::run::resume::class_path()
    } else {
        gradstep::run::resume::path()
    };
    let path = path.ok_or("no state directory on this system")?;
    let saved = gradstep::run::resume::load(&path)?;
    if serving && !saved.args.iter().any(|a| a == "serve") {
        return Err(format!("{} is not a class's place", path.display()));
    }
    // Under serve, its own options (where to listen, the code, the host key) and the display's
    // are not the run's: given alone, the saved run's options are taken.
    let given_run = if serving {
        gradstep::run::resume::without_serve_options(run_args)
    } else {
        run_args.clone()
    };
    if given_run.is_empty() {
        let argv = std::iter::once("gradstep".to_string()).chain(saved.args.iter().cloned());
        let parsed = Cli::try_parse_from(argv).map_err(|_| {
            format!(
                "the saved place {} holds options this gradstep does not take",
                path.display()
            )
        })?;
        let at = cli.run.at.take();
        cli.run = cli::RunArgs {
            resume: true,
            at,
            ..parsed.run
        };
        if serving {
            // The run's options as saved, serve's own as given now.
            let mut args = saved.args.clone();
            args.retain(|a| a != "serve");
            let args = gradstep::run::resume::without_serve_options(&args);
            run_args.extend(args);
        } else {
            *run_args = saved.args.clone();
        }
    }
    Ok(saved)
}

/// `gradstep handout`: batch K's worked numbers as Markdown, to stdout or atomically to a file.
fn handout(
    run: cli::Run,
    lesson: &Lesson,
    args: &cli::RunArgs,
    (batch, stop): (usize, Option<usize>),
    output: Option<&std::path::Path>,
    force: bool,
) -> ExitCode {
    let opts = HandoutOptions {
        lang: chosen_lang(args),
        precision: args
            .precision
            .map_or(gradstep::number::HANDOUT_PRECISION, usize::from),
        source: run.source.get(chosen_lang(args)).to_string(),
    };
    let mut session = match run.session() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    let mut note = None;
    if let Some(k) = stop {
        match gradstep::run::stops::session_at(session, &run.init, lesson, k, chosen_lang(args)) {
            Ok((s, n)) => {
                session = s;
                note = Some(n);
            }
            Err(e) => return fail(&format!("--stop {k}: {e}"), BAD_INPUT),
        }
    }
    let batch = match stop {
        Some(_) => session.batch().global + 1,
        None => batch,
    };
    let total = session.total_batches();
    if batch > total {
        return fail(
            &format!("--batch {batch}: this run has {total} mini-batches"),
            BAD_INPUT,
        );
    }
    session.go_to_batch(batch - 1);
    if session.batch().global + 1 != batch {
        let end = session.batch().global + 1;
        return fail(
            &format!(
                "--batch {batch}: the run overflows at batch {end} and stops there; choose K ≤ {end}"
            ),
            BAD_INPUT,
        );
    }
    let text = match note {
        Some(note) => gradstep::handout::render_stop(lesson, &session, &opts, &note),
        None => gradstep::handout::render(lesson, &session, &opts),
    };
    match gradstep::handout::output_file(output) {
        None => print(text.as_bytes()),
        Some(path) => match gradstep::handout::write_atomically(path, &text, force) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) if e.is_bad_input() => fail(&e.to_string(), BAD_INPUT),
            Err(e) => fail(&e.to_string(), 1),
        },
    }
}

/// The terminal explainer, served to a class over SSH with `serve`.
fn explain(
    run: cli::Run,
    lesson: Lesson,
    args: &cli::RunArgs,
    run_args: Vec<String>,
    saved: Option<gradstep::run::resume::Saved>,
    serve: Option<ServeArgs>,
) -> ExitCode {
    if !std::io::stdout().is_terminal() {
        return fail(
            "the explainer needs a terminal, but stdout is not one; for output you can pipe or save, \
             use `gradstep trace` (every update as JSON Lines) or `gradstep train`",
            BAD_INPUT,
        );
    }
    let lang = chosen_lang(args);
    let seed = run.hyper.seed;
    let run_source = run.source.clone();
    let print = gradstep::run::resume::RunPrint::new(
        &run.source.en,
        &run.data,
        &run.hyper,
        &run.init,
        &run.changes,
    );
    if let Some(s) = &saved
        && let Err(e) = gradstep::run::resume::same_run(s, &print)
    {
        return fail(&e, BAD_INPUT);
    }
    let session = match run.session() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    let at = match &args.at {
        None => None,
        Some(text) => {
            match gradstep::run::goto::Target::parse(text).and_then(|t| t.resolve(&session)) {
                Ok(place) => Some(place),
                Err(e) => return fail(&format!("--at {text}: {e}"), BAD_INPUT),
            }
        }
    };
    let place_path = if serve.is_some() {
        gradstep::run::resume::class_path()
    } else {
        gradstep::run::resume::path()
    };
    let resume = place_path.map(|path| gradstep::run::resume::Resume {
        path,
        args: run_args,
        run: print,
        saved,
    });
    let opts = UiOptions {
        lang,
        seed,
        ambiguous_wide: args.ambiguous_wide,
        quiz: args.quiz,
        present: args.present,
        theme: args.theme.unwrap_or_default(),
        precision: args.precision,
        handout_dir: std::path::PathBuf::new(),
        source: run_source,
        standardized: args.standardize,
        at,
        resume,
    };
    let ended = match serve {
        #[cfg(feature = "serve")]
        Some(serve) => gradstep::serve::run(&run, session, lesson, opts, &serve)
            .map_err(|e| (e.message, e.status)),
        #[cfg(not(feature = "serve"))]
        Some(never) => match never {},
        None => ui::run(session, lesson, opts).map_err(|e| (format!("terminal: {e}"), 1)),
    };
    match ended {
        Ok(ui::Ending::Quit) => ExitCode::SUCCESS,
        // As shells report a program a signal ended: 143 for SIGTERM, 129 for SIGHUP.
        Ok(ui::Ending::Signal(n)) => ExitCode::from(u8::try_from(128 + n).unwrap_or(1)),
        Err((message, status)) => fail(&message, status),
    }
}

/// clap's error on one line without its usage block: the problem, its details (the missing
/// argument, the accepted values) and its tip, if any.
fn clap_message(rendered: &str) -> String {
    let mut message = String::new();
    let mut tips = Vec::new();
    for line in rendered.lines().map(str::trim) {
        if line.starts_with("Usage:") || line.starts_with("For more information") {
            break;
        }
        match line.strip_prefix("tip: ") {
            Some(tip) => tips.push(tip),
            None if line.is_empty() => {}
            None => {
                if !message.is_empty() && !message.ends_with(':') && !line.starts_with('[') {
                    message.push(';');
                }
                if !message.is_empty() {
                    message.push(' ');
                }
                message.push_str(line.strip_prefix("error: ").unwrap_or(line));
            }
        }
    }
    if message.is_empty() {
        message.push_str("invalid arguments");
    }
    if !tips.is_empty() {
        message.push_str(&format!(" ({})", tips.join("; ")));
    }
    message
}

fn fail(message: &str, code: u8) -> ExitCode {
    // Not eprintln!, which panics when stderr is a terminal that has gone away.
    let _ = writeln!(std::io::stderr(), "error: {message}");
    ExitCode::from(code)
}

/// `serve --resume` and `serve --at` become the run's own options; whether this is `serve`.
#[cfg(feature = "serve")]
fn serve_place_options(cli: &mut Cli) -> bool {
    let Some(Command::Serve(serve)) = &mut cli.command else {
        return false;
    };
    cli.run.resume |= serve.resume;
    if serve.at.is_some() {
        cli.run.at = serve.at.take();
    }
    true
}

/// A build without `serve` has no class to place.
#[cfg(not(feature = "serve"))]
fn serve_place_options(_: &mut Cli) -> bool {
    false
}
