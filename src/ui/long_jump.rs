//! End, `n` and any move far past what has been computed: the batches in between are computed
//! a slice at a time, and between slices the keys and signals are read, so q, Esc, Ctrl-Z and
//! SIGTERM answer at once however long the jump; after a moment its progress shows. Any other
//! key pressed meanwhile is kept, and applied after the jump in the order it was pressed.

use std::io;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crossterm::event::Event;
use ratatui::DefaultTerminal;

use super::app::{App, Message};
use super::host::Host;
use super::input::Input;
use super::keys;
use super::slices::slice_batches;
use super::terminal::{Ending, Signals, clamped, draw, is_ctrl_z, suspend};
use crate::engine::Jump;
use crate::lesson::Lang;

/// How long a jump waits for a key between slices.
const GLANCE: Duration = Duration::from_millis(1);

/// A jump that has taken this long shows its progress, redrawn this often.
pub const PROGRESS_AFTER: Duration = Duration::from_millis(150);
pub const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// The messages that may have to compute a long stretch of the run before they can land.
pub fn long_jump(message: Message) -> Option<Jump> {
    match message {
        Message::Last => Some(Jump::End),
        Message::NextEpoch => Some(Jump::NextEpoch),
        _ => None,
    }
}

/// How a jump run in slices ended.
pub(super) enum Sliced {
    /// Every batch before the target is known: the move itself now costs a step.
    Landed,
    /// Esc: the jump was abandoned where it had got to (what it computed is kept).
    Stopped,
    /// q, Ctrl-C or a signal ended the program.
    Ended(Ending),
}

/// Computes the batches a jump needs a slice at a time, reading keys and signals between
/// slices and showing its progress once it takes more than a moment.
pub(super) fn jump_in_slices(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    jump: Jump,
    input: &mut Input,
    signals: &Signals,
    host: &dyn Host,
) -> io::Result<Sliced> {
    let mut kept = Vec::new();
    let sliced = slices(terminal, app, jump, input, &mut kept, signals, host);
    // Whatever ended the jump, the keys pressed during it come next, in order.
    input.put_back(kept);
    sliced
}

fn slices(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    jump: Jump,
    input: &mut Input,
    kept: &mut Vec<Event>,
    signals: &Signals,
    host: &dyn Host,
) -> io::Result<Sliced> {
    let target = app.session.jump_target(jump);
    let budget = slice_batches(&app.session);
    let started = Instant::now();
    let mut shown: Option<Instant> = None;
    loop {
        let progress = app.session.advance(target, budget);
        if progress.finished() {
            return Ok(Sliced::Landed);
        }
        if let Some(ending) = signals.ending() {
            return Ok(Sliced::Ended(ending));
        }
        if signals.suspend.swap(false, Ordering::Relaxed) {
            suspend(terminal, signals)?;
        }
        // Not Duration::ZERO: crossterm's /dev/tty reader does not look at the terminal at all
        // for a zero timeout.
        while let Some(event) = input.next(GLANCE)? {
            match event {
                Event::Key(key) if is_ctrl_z(&key) => suspend(terminal, signals)?,
                Event::Key(key) => match keys::message_in(app.key_mode(), &key) {
                    Some(Message::Quit) if host.asks_before_quit() => {
                        kept.push(event);
                        return Ok(Sliced::Stopped);
                    }
                    Some(Message::Quit) => return Ok(Sliced::Ended(Ending::Quit)),
                    Some(Message::Back) => return Ok(Sliced::Stopped),
                    _ => kept.push(event),
                },
                Event::Resize(cols, rows) => terminal.resize(clamped((cols, rows)))?,
                other => kept.push(other),
            }
        }
        let due = shown.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
        if started.elapsed() >= PROGRESS_AFTER && due {
            let line = progress_line(app.lang(), progress.done, progress.needed);
            draw(terminal, app, host, Some(&app.glyphs.text(&line)))?;
            shown = Some(Instant::now());
        }
    }
}

/// The line shown while a jump computes: how far it has got, and how to stop it.
pub fn progress_line(lang: Lang, done: usize, needed: usize) -> String {
    let percent = done.saturating_mul(100) / needed.max(1);
    match lang {
        Lang::En => format!(
            " computing batch {} of {needed} ({percent}%) · Esc stops here · q quits",
            done + 1
        ),
        Lang::Zh => format!(
            " 正在计算第 {} / {needed} 批（{percent}%）· Esc 停在这里 · q 退出",
            done + 1
        ),
    }
}
