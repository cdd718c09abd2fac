#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use gradstep::cli::{self, Cli, Command};
use gradstep::handout::HandoutOptions;
use gradstep::lesson::{Lang, Lesson};
use gradstep::ui::{self, UiOptions};

/// Bad input: the user can fix it, and scripts can tell it from a crash.
const BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // clap adds usage and tips after the first line; one clear line is what we promise.
            let rendered = e.render().to_string();
            let first = rendered
                .lines()
                .next()
                .unwrap_or("error: invalid arguments");
            return fail(first.strip_prefix("error: ").unwrap_or(first), BAD_INPUT);
        }
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
    let lesson = match load_lesson(&cli.run) {
        Ok(l) => l,
        Err(e) => return fail(&e, BAD_INPUT),
    };
    let run = match cli::build(&cli.run) {
        Ok(run) => run,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    if let Some(w) = &run.warning {
        eprintln!("warning: {w}");
    }
    let stdout = std::io::stdout();
    let result = match cli.command {
        Some(Command::Trace { batches }) => {
            cli::trace::write_trace(&run, batches, &mut stdout.lock())
        }
        Some(Command::Train) => cli::train::write_train(&run, &mut stdout.lock()).map(|_| ()),
        Some(Command::Sweep { lrs }) => {
            let lrs = lrs.map_or_else(|| cli::sweep::DEFAULT_LRS.to_vec(), |l| l.0);
            cli::sweep::write_sweep(&run, &lrs, &mut stdout.lock())
        }
        Some(Command::Data) => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            run.data.write_csv(&mut out).and_then(|()| out.flush())
        }
        None => return explain(run, lesson, &cli.run, None),
        Some(Command::Serve(serve)) => return explain(run, lesson, &cli.run, Some(serve)),
        Some(Command::Handout {
            batch,
            output,
            force,
        }) => {
            return handout(run, &lesson, &cli.run, batch, output.as_deref(), force);
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
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
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
    match args.lang {
        Some(cli::args::LangName::En) => Lang::En,
        Some(cli::args::LangName::Zh) => Lang::Zh,
        None => Lang::from_env(),
    }
}

/// `gradstep handout`: batch K's worked numbers as Markdown, to stdout or atomically to a file.
fn handout(
    run: cli::Run,
    lesson: &Lesson,
    args: &cli::RunArgs,
    batch: usize,
    output: Option<&std::path::Path>,
    force: bool,
) -> ExitCode {
    let opts = HandoutOptions {
        lang: chosen_lang(args),
        precision: args.precision.map_or(4, usize::from),
        source: run.source.get(chosen_lang(args)).to_string(),
    };
    let mut session = match run.session() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
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
    let text = gradstep::handout::render(lesson, &session, &opts);
    match output {
        None => print(text.as_bytes()),
        Some(path) => match gradstep::handout::write_atomically(path, &text, force) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e.to_string(), BAD_INPUT),
        },
    }
}

/// The terminal explainer, served to a class over SSH with `serve`.
fn explain(
    run: cli::Run,
    lesson: Lesson,
    args: &cli::RunArgs,
    serve: Option<cli::ServeArgs>,
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
    let session = match run.session() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
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
    };
    if let Some(serve) = serve {
        return match gradstep::serve::run(&run, session, lesson, opts, &serve) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e.message, e.status),
        };
    }
    match ui::run(session, lesson, opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("terminal: {e}"), 1),
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
