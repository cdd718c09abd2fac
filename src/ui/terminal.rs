//! The terminal's life around the explainer: taken over and given back on quit, on SIGTERM /
//! SIGHUP / SIGINT, on a panic, and around a suspension (Ctrl-Z, SIGTSTP) until SIGCONT; the
//! signals noted for the loop (`run_loop`) to act on; and one frame drawn.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::DefaultTerminal;
use ratatui::layout::{Rect, Size};
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Clear, Paragraph};
use signal_hook::consts::{SIGCONT, SIGHUP, SIGINT, SIGTERM, SIGTSTP};

use super::app::App;
use super::host::Host;

/// The largest screen drawn: ratatui keeps two buffers of the whole viewport, so a 9999×9999
/// window would take gigabytes. Beyond this the rest of the window stays blank.
pub const MAX_COLS: u16 = 1000;
pub const MAX_ROWS: u16 = 400;

/// How the explainer ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// This signal asked the program to end (or its terminal went away: SIGHUP); shells expect
    /// exit status 128 + its number.
    Signal(i32),
}

/// The signals the explainer answers, noted by their handlers and acted on by the loop.
pub struct Signals {
    /// The number of a signal that ends the program (SIGTERM, SIGHUP, SIGINT), or 0.
    end: Arc<AtomicUsize>,
    pub(super) suspend: Arc<AtomicBool>,
    pub(super) resumed: Arc<AtomicBool>,
}

impl Signals {
    pub fn register() -> io::Result<Signals> {
        let end = Arc::new(AtomicUsize::new(0));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register_usize(signal, Arc::clone(&end), signal as usize)?;
        }
        let suspend = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(SIGTSTP, Arc::clone(&suspend))?;
        let resumed = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(SIGCONT, Arc::clone(&resumed))?;
        Ok(Signals {
            end,
            suspend,
            resumed,
        })
    }

    pub(super) fn ending(&self) -> Option<Ending> {
        match self.end.load(Ordering::Relaxed) {
            0 => None,
            n => Some(Ending::Signal(i32::try_from(n).unwrap_or(SIGTERM))),
        }
    }
}

/// Switches mouse reporting off however `run` ends, a panic's unwinding included: ratatui's
/// panic hook restores raw mode and the screen but knows nothing of the mouse, and a shell left
/// with it on prints escape sequences at every click.
pub(super) struct MouseOff;

impl Drop for MouseOff {
    fn drop(&mut self) {
        // Nothing useful can be done about a failure while the terminal is being given back.
        let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    }
}

/// How the session ends when its terminal goes away (a killed tmux pane, a dropped SSH
/// connection): as if it had been hung up on, which is what happened.
pub(super) const HANGUP: Ending = Ending::Signal(SIGHUP);

/// Whether the terminal has gone away: the window size is the cheap question a dead tty
/// refuses.
pub(super) fn terminal_gone() -> bool {
    crossterm::terminal::size().is_err()
}

/// An error of the terminal's that means it has gone away is the end of the session, not a
/// failure to report (there is nowhere left to report it).
pub(super) fn hung_up(e: io::Error) -> io::Result<Ending> {
    if gone(&e) || terminal_gone() {
        Ok(HANGUP)
    } else {
        Err(e)
    }
}

/// Whether an error of a terminal's is the one it gives once its other side has closed.
pub(super) fn gone(e: &io::Error) -> bool {
    // What reads, writes and ioctls on a hung-up tty get (EIO), or on a vanished device (ENXIO).
    const EIO: i32 = 5;
    const ENXIO: i32 = 6;
    e.kind() == io::ErrorKind::BrokenPipe || matches!(e.raw_os_error(), Some(EIO | ENXIO))
}

pub(super) fn no_terminal(e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("cannot take over the terminal ({e}); the explainer needs a controlling terminal"),
    )
}

/// The window's size, clamped to what is drawn.
pub(super) fn clamped((cols, rows): (u16, u16)) -> Rect {
    Rect::new(0, 0, cols.min(MAX_COLS), rows.min(MAX_ROWS))
}

/// Alternate screen, raw mode (again, after a suspension reset it), mouse reporting for clicks
/// on cells, and a full redraw.
pub(super) fn enter(terminal: &mut DefaultTerminal) -> io::Result<()> {
    // crossterm skips enabling raw mode when it thinks it is on; after `fg` the shell may have
    // reset the terminal, so switch it off first.
    crossterm::terminal::disable_raw_mode()?;
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(
        io::stdout(),
        crossterm::terminal::EnterAlternateScreen,
        EnableMouseCapture
    )?;
    // Clears the screen and forgets the last frame, so the next draw is complete (without
    // `Terminal::clear`, which asks the terminal where its cursor is and waits for the answer).
    terminal.resize(clamped(crossterm::terminal::size()?))
}

/// Everything [`enter`] changed, undone: the shell gets its screen, its cursor and its keys back.
pub(super) fn leave(terminal: &mut DefaultTerminal) -> io::Result<()> {
    // Mouse reporting first: a shell left with it on prints escape sequences at every click.
    let mouse = crossterm::execute!(io::stdout(), DisableMouseCapture);
    let restore = ratatui::try_restore();
    let cursor = terminal.show_cursor();
    mouse.and(restore).and(cursor)
}

/// The loop's ending, after the terminal is given back: its own error first, then the
/// restoring's. Nothing can be given back to a terminal that is gone, and ratatui's drop would
/// try the cursor once more and print its failure there, which panics: the program ends now,
/// so its buffers need no freeing.
pub(super) fn handed_back(
    mut terminal: DefaultTerminal,
    ended: io::Result<Ending>,
) -> io::Result<Ending> {
    let restored = leave(&mut terminal);
    if let Err(e) = &restored
        && gone(e)
    {
        std::mem::forget(terminal);
        return ended;
    }
    let ending = ended?;
    restored?;
    Ok(ending)
}

/// Leaves the terminal, stops until SIGCONT (as Ctrl-Z does in any program), then takes it
/// over again and redraws.
pub(super) fn suspend(terminal: &mut DefaultTerminal, signals: &Signals) -> io::Result<()> {
    leave(terminal)?;
    // The default action of SIGTSTP, which our handler replaced: stop here.
    signal_hook::low_level::emulate_default_handler(SIGTSTP)?;
    signals.resumed.store(false, Ordering::Relaxed);
    enter(terminal)
}

/// The signals' turn at the top of a loop: an ending signal ends it (Some); a suspension
/// (SIGTSTP) or a continuation we did not see coming (SIGSTOP, then SIGCONT) gives the terminal
/// back or takes it again, after which the frame must be drawn anew (the bool).
pub(super) fn signals_turn(
    terminal: &mut DefaultTerminal,
    signals: &Signals,
) -> io::Result<(Option<Ending>, bool)> {
    if let Some(ending) = signals.ending() {
        return Ok((Some(ending), false));
    }
    let mut redraw = false;
    if signals.suspend.swap(false, Ordering::Relaxed) {
        suspend(terminal, signals)?;
        redraw = true;
    }
    if signals.resumed.swap(false, Ordering::Relaxed) {
        enter(terminal)?;
        redraw = true;
    }
    Ok((None, redraw))
}

pub(super) fn is_ctrl_z(key: &KeyEvent) -> bool {
    key.kind == KeyEventKind::Press
        && key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('z' | 'Z'))
}

/// One frame, wrapped in a synchronized update so terminals that support it never show half of
/// it; `progress` covers the bottom line while a long jump runs.
pub(super) fn draw(
    terminal: &mut DefaultTerminal,
    app: &App,
    host: &dyn Host,
    progress: Option<&str>,
) -> io::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| {
        let area = frame.area();
        frame.render_widget(app, area);
        host.overlay(app, area, frame.buffer_mut());
        if let Some(text) = progress {
            let line = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1)
                .intersection(area);
            frame.render_widget(Clear, line);
            let style = Style::default().add_modifier(Modifier::REVERSED);
            frame.render_widget(Paragraph::new(text).style(style), line);
        }
    })?;
    crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()
}

/// The size the screen is drawn at, for tests of the clamp.
pub fn drawn_size(cols: u16, rows: u16) -> Size {
    clamped((cols, rows)).as_size()
}
