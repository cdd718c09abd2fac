//! Where the class code comes from: `--code` (which every user of the machine can read in `ps`),
//! `--code-file`, `--ask-code`, the `GRADSTEP_CODE` environment variable, or six random digits
//! shown on the teacher's screen.

use std::io::Read;
use std::path::Path;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::{ServeError, random_code};
use crate::cli::{ServeArgs, class_code};

/// The environment variable a code may come from.
pub const CODE_ENV: &str = "GRADSTEP_CODE";
/// The most of a code file read: a code has at most 64 characters, and a file much longer than
/// one is not one (`/dev/zero` would otherwise be read until memory runs out).
const MAX_CODE_FILE: u64 = 1024;

fn bad(message: String) -> ServeError {
    ServeError { message, status: 2 }
}

/// The class code chosen by `args` (None for `--open`).
pub fn chosen(args: &ServeArgs) -> Result<Option<String>, ServeError> {
    if args.open {
        return Ok(None);
    }
    let code = if let Some(code) = &args.code {
        code.clone()
    } else if let Some(path) = &args.code_file {
        from_file(path)?
    } else if args.ask_code {
        ask()?
    } else if let Some(value) = std::env::var_os(CODE_ENV) {
        let value = value
            .into_string()
            .map_err(|_| bad(format!("{CODE_ENV} is not valid UTF-8")))?;
        class_code(value.trim()).map_err(|e| bad(format!("{CODE_ENV}: {e}")))?
    } else {
        random_code()
    };
    Ok(Some(code))
}

/// The code in the file at `path`, trimmed.
pub fn from_file(path: &Path) -> Result<String, ServeError> {
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| bad(format!("--code-file {shown}: cannot read it: {e}")))?;
    let mut bytes = Vec::new();
    file.take(MAX_CODE_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| bad(format!("--code-file {shown}: cannot read it: {e}")))?;
    if bytes.len() as u64 > MAX_CODE_FILE {
        return Err(bad(format!(
            "--code-file {shown}: longer than {MAX_CODE_FILE} bytes; it should hold just the class code"
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| bad(format!("--code-file {shown}: not UTF-8 text")))?;
    class_code(text.trim()).map_err(|e| bad(format!("--code-file {shown}: {e}")))
}

/// Reads the code from the terminal without echoing it.
fn ask() -> Result<String, ServeError> {
    crossterm::terminal::enable_raw_mode()
        .map_err(|e| bad(format!("--ask-code needs a terminal: {e}")))?;
    eprint!("class code for the students (not shown; Enter when done): ");
    let typed = read_hidden();
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    let typed = typed?;
    class_code(&typed).map_err(|e| bad(format!("--ask-code: {e}")))
}

fn read_hidden() -> Result<String, ServeError> {
    let mut typed = String::new();
    loop {
        let event = event::read().map_err(|e| bad(format!("--ask-code: {e}")))?;
        let Event::Key(key) = event else { continue };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(typed),
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Char('c' | 'd') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                return Err(bad("--ask-code: no class code given".into()));
            }
            KeyCode::Esc => return Err(bad("--ask-code: no class code given".into())),
            // Longer than any code; the check says so rather than growing without end.
            KeyCode::Char(c) if typed.chars().count() <= 64 => typed.push(c),
            _ => {}
        }
    }
}
