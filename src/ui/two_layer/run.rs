//! The two-layer explainer's loop: draw, wait for a key or the next automatic step, update. The
//! terminal's life is the linear explainer's (`ui::terminal`): given back on quit, on SIGTERM,
//! SIGHUP and SIGINT, on a panic and around Ctrl-Z; a window is drawn at most at the clamped
//! size; a long move (End, the next epoch, go-to) is computed in slices that Esc stops and q or a
//! signal ends.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind};
use ratatui::{DefaultTerminal, TerminalOptions, Viewport};

use super::TwoLayerApp;
use crate::ui::app::Message;
use crate::ui::host::{Alone, Host};
use crate::ui::input::Input;
use crate::ui::keys;
use crate::ui::terminal::{
    Ending, HANGUP, Signals, clamped, enter, handed_back, hung_up, is_ctrl_z, no_terminal,
    signals_turn, suspend, terminal_gone,
};

/// Longest wait for a key, so an automatic step is not late and a signal is noticed promptly.
const POLL: Duration = Duration::from_millis(100);

/// How long a long move looks for keys between its slices: a poll that reads the terminal
/// (a zero timeout would only look at what crossterm has already read).
const GLANCE: Duration = Duration::from_millis(1);

/// Keys kept while a long move computes, to be applied after it (a held key is not a queue).
const MOST_KEPT: usize = 64;

/// How often the progress of a long move is drawn.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

pub fn run(app: &mut TwoLayerApp) -> io::Result<Ending> {
    run_hosted(app, &mut Alone)
}

/// The explainer with a host (`gradstep serve`): see [`Host`].
pub fn run_hosted(app: &mut TwoLayerApp, host: &mut dyn Host<TwoLayerApp>) -> io::Result<Ending> {
    let signals = Signals::register()?;
    let area = clamped(crossterm::terminal::size().map_err(no_terminal)?);
    // ratatui's initialisation installs the panic hook that restores the terminal.
    let mut terminal = match ratatui::try_init_with_options(TerminalOptions {
        viewport: Viewport::Fixed(area),
    }) {
        Ok(t) => t,
        Err(e) => {
            let _ = ratatui::try_restore();
            return Err(no_terminal(e));
        }
    };
    let ended = enter(&mut terminal)
        .and_then(|()| event_loop(&mut terminal, app, &signals, host))
        .or_else(hung_up);
    let ended = handed_back(terminal, ended);
    // However the loop ended, the place is kept, as the linear explainer keeps its own.
    crate::run::resume::keep(app.saved());
    ended
}

fn draw(
    terminal: &mut DefaultTerminal,
    app: &TwoLayerApp,
    host: &mut dyn Host<TwoLayerApp>,
) -> io::Result<()> {
    terminal.draw(|f| {
        f.render_widget(app, f.area());
        host.overlay(app, f.area(), f.buffer_mut());
    })?;
    host.drawn(app);
    Ok(())
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut TwoLayerApp,
    signals: &Signals,
    host: &mut dyn Host<TwoLayerApp>,
) -> io::Result<Ending> {
    let mut input = Input::default();
    if let Some(ending) = open(terminal, app, &mut input, signals, host)? {
        return Ok(ending);
    }
    let mut next_tick: Option<Instant> = None;
    // Drawn only when something changed: an idle screen sends nothing (over SSH, nothing at all).
    let mut dirty = true;
    loop {
        if app.should_quit() {
            return Ok(Ending::Quit);
        }
        match signals_turn(terminal, signals)? {
            (Some(ending), _) => return Ok(ending),
            (None, redraw) => dirty |= redraw,
        }
        dirty |= host.prepare(app);
        if dirty {
            draw(terminal, app, host)?;
            dirty = false;
        }
        next_tick = match (app.tick_interval(), next_tick) {
            (Some(every), None) => Some(Instant::now() + every),
            (Some(_), t) => t,
            (None, _) => None,
        };
        if let Some(t) = next_tick
            && Instant::now() >= t
        {
            dirty |= app.update(Message::Tick);
            next_tick = None;
            continue;
        }
        let wait = next_tick
            .map(|t| t.saturating_duration_since(Instant::now()))
            .unwrap_or(POLL)
            .min(POLL);
        let event = match input.next(wait) {
            Ok(Some(event)) => event,
            Ok(None) if terminal_gone() => return Ok(HANGUP),
            Ok(None) => continue,
            // A signal interrupted the wait: the flags are checked at the top of the loop.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        match event {
            Event::Key(key) if is_ctrl_z(&key) => {
                suspend(terminal, signals)?;
                dirty = true;
            }
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                if host.key(app, &key) {
                    dirty = true;
                    continue;
                }
                let Some(message) = keys::message_in(app.key_mode(), &key) else {
                    continue;
                };
                if let Some(target) = app.destination(message) {
                    match explore(terminal, app, &mut input, target, signals, host)? {
                        Explored::There => {}
                        Explored::Stopped => {
                            dirty = true;
                            continue;
                        }
                        Explored::Ended(ending) => return Ok(ending),
                    }
                }
                dirty |= app.update(message);
                if let Some(ending) = open(terminal, app, &mut input, signals, host)? {
                    return Ok(ending);
                }
            }
            Event::Resize(cols, rows) => {
                terminal.resize(clamped((cols, rows)))?;
                dirty = true;
            }
            _ => {}
        }
    }
}

/// Goes to where the explainer is to open (`--at`, a saved place, or back to where `z`
/// recomputed the run from its start), the way there in slices as any long move: Esc stays at
/// the start, q or a signal ends the program (Some).
fn open(
    terminal: &mut DefaultTerminal,
    app: &mut TwoLayerApp,
    input: &mut Input,
    signals: &Signals,
    host: &mut dyn Host<TwoLayerApp>,
) -> io::Result<Option<Ending>> {
    let Some(target) = app.opening() else {
        return Ok(None);
    };
    match explore(terminal, app, input, target, signals, host)? {
        Explored::There => app.open(),
        Explored::Stopped => app.stay(),
        Explored::Ended(ending) => return Ok(Some(ending)),
    }
    Ok(None)
}

enum Explored {
    There,
    /// Esc: the move is not made (what was computed is kept).
    Stopped,
    Ended(Ending),
}

/// Computes the way to batch `target` a slice at a time, reading keys and signals in between:
/// Esc stops, q and Ctrl-C end the program; the other keys come after the move, in order.
fn explore(
    terminal: &mut DefaultTerminal,
    app: &mut TwoLayerApp,
    input: &mut Input,
    target: usize,
    signals: &Signals,
    host: &mut dyn Host<TwoLayerApp>,
) -> io::Result<Explored> {
    let mut kept = Vec::new();
    let explored = slices(terminal, app, input, target, signals, &mut kept, host);
    input.put_back(kept);
    explored
}

fn slices(
    terminal: &mut DefaultTerminal,
    app: &mut TwoLayerApp,
    input: &mut Input,
    target: usize,
    signals: &Signals,
    kept: &mut Vec<Event>,
    host: &mut dyn Host<TwoLayerApp>,
) -> io::Result<Explored> {
    let mut drawn = Instant::now();
    loop {
        if app.explore(target) {
            return Ok(Explored::There);
        }
        if let Some(ending) = signals.ending() {
            return Ok(Explored::Ended(ending));
        }
        loop {
            let event = match input.next(GLANCE) {
                Ok(Some(event)) => event,
                Ok(None) => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => break,
                Err(e) => return Err(e),
            };
            match &event {
                Event::Key(key) if key.kind == KeyEventKind::Press => {
                    if let Some(ending) = key_while_exploring(app, key, host.asks_before_quit()) {
                        return Ok(ending);
                    }
                    if kept.len() < MOST_KEPT {
                        kept.push(event);
                    }
                }
                Event::Resize(cols, rows) => terminal.resize(clamped((*cols, *rows)))?,
                _ => {}
            }
        }
        if drawn.elapsed() >= PROGRESS_EVERY {
            draw(terminal, app, host)?;
            drawn = Instant::now();
        }
    }
}

/// `asks`: quitting needs the host's confirmation, so q stops the move instead and is the
/// host's to see once pressed again.
fn key_while_exploring(app: &mut TwoLayerApp, key: &KeyEvent, asks: bool) -> Option<Explored> {
    let quit = keys::message_in(app.key_mode(), key) == Some(Message::Quit);
    if key.code == KeyCode::Esc || (quit && asks) {
        app.stop_exploring();
        return Some(Explored::Stopped);
    }
    match keys::message_in(app.key_mode(), key) {
        Some(Message::Quit) => Some(Explored::Ended(Ending::Quit)),
        _ => None,
    }
}
