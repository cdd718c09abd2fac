//! The run loop: draw, wait for a key (or the next automatic step, or a signal), update.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::DefaultTerminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use super::app::{App, Message};
use super::classroom::Teach;
use super::host::Host;
use super::keys;

/// Longest wait for an event, so a SIGTERM or SIGHUP is noticed promptly.
const POLL: Duration = Duration::from_millis(100);

/// Registers the signals that end the program; the loop checks the flag and returns, so that
/// `ratatui::run` restores the terminal on the way out.
pub fn stop_flag() -> io::Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGTERM, SIGHUP, SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    Ok(stop)
}

pub fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
    host: &mut dyn Host,
) -> io::Result<()> {
    let _mouse = MouseCapture::enable()?;
    let mut dirty = true;
    let mut next_tick: Option<Instant> = None;
    while !app.should_quit() && !stop.load(Ordering::Relaxed) {
        dirty |= host.prepare(app);
        if dirty {
            draw(terminal, app, host)?;
            host.drawn(app);
            dirty = false;
        }
        next_tick = match (app.tick_interval(), next_tick) {
            (Some(every), None) => Some(Instant::now() + every),
            (Some(_), t) => t,
            (None, _) => None,
        };
        let wait = next_tick
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or(POLL)
            .min(POLL);
        match event::poll(wait) {
            Ok(true) => match event::read()? {
                Event::Key(key) if host.key(app, &key) => dirty = true,
                Event::Key(key) => {
                    if let Some(message) = keys::message_in(app.key_mode(), &key) {
                        dirty |= app.update(message);
                    }
                }
                Event::Mouse(m) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                    let size = terminal.size()?;
                    dirty |= app.update(Message::Teach(Teach::Click {
                        x: m.column,
                        y: m.row,
                        width: size.width,
                        height: size.height,
                    }));
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            },
            // When the terminal goes away (a closed SSH session, a killed tmux) crossterm reads
            // end-of-file forever without reporting it, and a program that is not the session
            // leader gets no SIGHUP: the window size is the cheap question a dead tty refuses.
            Ok(false) if crossterm::terminal::size().is_err() => return Ok(()),
            Ok(false) => {}
            // A signal interrupted the wait: the flag is checked at the top of the loop.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
        if let (Some(t), Some(every)) = (next_tick, app.tick_interval())
            && Instant::now() >= t
        {
            dirty |= app.update(Message::Tick);
            next_tick = Some(Instant::now() + every);
        }
    }
    // ratatui's restore leaves the alternate screen but does not show the cursor again.
    terminal.show_cursor()
}

/// Mouse reporting for clicks on cells, switched off again however the loop ends: ratatui's
/// restore (and its panic hook) does not know about it, and a shell left with it on prints
/// escape sequences at every click. Dropping the guard runs during a panic's unwinding too.
struct MouseCapture;

impl MouseCapture {
    fn enable() -> io::Result<MouseCapture> {
        crossterm::execute!(io::stdout(), EnableMouseCapture)?;
        Ok(MouseCapture)
    }
}

impl Drop for MouseCapture {
    fn drop(&mut self) {
        // Nothing useful can be done about a failure while the terminal is being given back.
        let _ = crossterm::execute!(io::stdout(), DisableMouseCapture);
    }
}

/// One frame, wrapped in a synchronized update so terminals that support it never show half of
/// it.
fn draw(terminal: &mut DefaultTerminal, app: &App, host: &dyn Host) -> io::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    super::draw_hosted(terminal, app, host)?;
    crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()
}
