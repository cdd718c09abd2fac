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

/// The most of a `--lesson` file read: the built-in lesson is a few dozen kilobytes, and a
/// device such as /dev/zero never ends.
const MAX_LESSON_BYTES: u64 = 4 << 20;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // --help and --version: their text is the output, so failing to write it is an error.
        Err(e) if !e.use_stderr() => return print(e.render().to_string().as_bytes()),
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
    let lesson = match load_lesson(&cli.run) {
        Ok(l) => l,
        Err(e) => return fail(&e, BAD_INPUT),
    };
    let run = match cli::build(&cli.run) {
        Ok(run) => run,
        Err(e) => return fail(&e.to_string(), BAD_INPUT),
    };
    if !matches!(cli.command, Some(Command::Data))
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
        Some(Command::Sweep { lrs }) => {
            let lrs = lrs.map_or_else(|| gradstep::engine::LR_LADDER.to_vec(), |l| l.0);
            cli::sweep::write_sweep(&run, &lrs, &mut stdout.lock())
        }
        Some(Command::Data) => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            run.data.write_csv(&mut out).and_then(|()| out.flush())
        }
        None => return explain(run, lesson, &cli.run),
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
            Err(e) if e.is_bad_input() => fail(&e.to_string(), BAD_INPUT),
            Err(e) => fail(&e.to_string(), 1),
        },
    }
}

/// The terminal explainer.
fn explain(run: cli::Run, lesson: Lesson, args: &cli::RunArgs) -> ExitCode {
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
    match ui::run(
        session,
        lesson,
        UiOptions {
            lang,
            seed,
            ambiguous_wide: args.ambiguous_wide,
            quiz: args.quiz,
            present: args.present,
            theme: args.theme.unwrap_or_default(),
            precision: args.precision,
            handout_dir: std::path::PathBuf::new(),
            source: run_source,
        },
    ) {
        Ok(ui::Ending::Quit) => ExitCode::SUCCESS,
        // As shells report a program a signal ended: 143 for SIGTERM, 129 for SIGHUP.
        Ok(ui::Ending::Signal(n)) => ExitCode::from(u8::try_from(128 + n).unwrap_or(1)),
        Err(e) => fail(&format!("terminal: {e}"), 1),
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
    eprintln!("error: {message}");
    ExitCode::from(code)
}
