#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use gradstep::cli::{self, Cli, Command};
use gradstep::engine::Session;
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
        Some(Command::Data) => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            run.data.write_csv(&mut out).and_then(|()| out.flush())
        }
        None => return explain(run, &cli.run),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `gradstep trace | head` is a normal way to look at the start.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => fail(&e.to_string(), BAD_INPUT),
        Err(e) => fail(&format!("cannot write output: {e}"), 1),
    }
}

/// The terminal explainer.
fn explain(run: cli::Run, args: &cli::RunArgs) -> ExitCode {
    if !std::io::stdout().is_terminal() {
        return fail(
            "the explainer needs a terminal, but stdout is not one; for output you can pipe or save, \
             use `gradstep trace` (every update as JSON Lines) or `gradstep train`",
            BAD_INPUT,
        );
    }
    let lesson = match Lesson::embedded() {
        Ok(l) => l,
        Err(e) => return fail(&format!("the built-in lesson: {e}"), 1),
    };
    let lang = match args.lang {
        Some(cli::args::LangName::En) => Lang::En,
        Some(cli::args::LangName::Zh) => Lang::Zh,
        None => Lang::from_env(),
    };
    let seed = run.hyper.seed;
    let session = match Session::new(run.data, run.hyper, run.init) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    match ui::run(
        session,
        lesson,
        UiOptions {
            lang,
            seed,
            ambiguous_wide: args.ambiguous_wide,
        },
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("terminal: {e}"), 1),
    }
}

fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}
