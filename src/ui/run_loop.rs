//! The run loop: draw, wait for a key (or the next automatic step, or a signal), update. Long
//! jumps run in slices from here (see `long_jump`); the terminal around it is `terminal`'s.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{Event, MouseButton, MouseEventKind};
use ratatui::{DefaultTerminal, TerminalOptions, Viewport};

use super::app::{App, Message};
use super::host::Host;
use super::input::Input;
use super::keys;
use super::long_jump::{Sliced, jump_in_slices, long_jump};
use super::terminal::{
    Ending, HANGUP, MouseOff, Signals, clamped, draw, enter, handed_back, hung_up, is_ctrl_z,
    no_terminal, signals_turn, suspend, terminal_gone,
};
use crate::engine::Jump;

/// Goes to where `--at` or `--resume` asks the explainer to open (or back to where a recomputed
/// run was), computing the way there in slices like any long jump: Esc stays at the start, q
/// or a signal ends the program (Some).
fn open(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    input: &mut Input,
    signals: &Signals,
    host: &dyn Host,
) -> io::Result<Option<Ending>> {
    let Some(place) = app.opening() else {
        return Ok(None);
    };
    let jump = Jump::Batch(place.global);
    match jump_in_slices(terminal, app, jump, input, signals, host)? {
        Sliced::Landed => app.open(),
        Sliced::Stopped => app.stay(),
        Sliced::Ended(ending) => return Ok(Some(ending)),
    }
    Ok(None)
}

/// Longest wait for an event, so a signal is noticed promptly.
const POLL: Duration = Duration::from_millis(100);

/// Takes over the terminal, runs the explainer and gives the terminal back, whatever happens.
/// Without a usable terminal (no controlling tty, as under `setsid`) it returns an error
/// instead of panicking.
pub fn run(app: &mut App, host: &mut dyn Host) -> io::Result<Ending> {
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
    let _mouse = MouseOff;
    let mut input = Input::default();
    let ended = enter(&mut terminal)
        .and_then(|()| open(&mut terminal, app, &mut input, &signals, host))
        .and_then(|opened| match opened {
            Some(ending) => Ok(ending),
            None => event_loop(&mut terminal, app, &mut input, &signals, host),
        })
        .or_else(hung_up);
    handed_back(terminal, ended)
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    input: &mut Input,
    signals: &Signals,
    host: &mut dyn Host,
) -> io::Result<Ending> {
    let mut dirty = true;
    let mut next_tick: Option<Instant> = None;
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
            draw(terminal, app, host, None)?;
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
        match input.next(wait) {
            Ok(Some(event)) => match event {
                Event::Key(key) if is_ctrl_z(&key) => {
                    suspend(terminal, signals)?;
                    dirty = true;
                }
                Event::Key(key) if host.key(app, &key) => dirty = true,
                Event::Key(key) => {
                    if let Some(message) = keys::message_in(app.key_mode(), &key) {
                        let jump = long_jump(message)
                            .or_else(|| app.destination(message).map(Jump::Batch));
                        match jump {
                            Some(jump) => {
                                match jump_in_slices(terminal, app, jump, input, signals, host)? {
                                    Sliced::Landed => dirty |= app.update(message),
                                    Sliced::Stopped => dirty = true,
                                    Sliced::Ended(ending) => return Ok(ending),
                                }
                            }
                            None => {
                                dirty |= app.update(message);
                                // A run recomputed far from its start finds its way back here.
                                if let Some(ending) = open(terminal, app, input, signals, host)? {
                                    return Ok(ending);
                                }
                            }
                        }
                    }
                }
                Event::Mouse(m) if m.kind == MouseEventKind::Down(MouseButton::Left) => {
                    let area = terminal.get_frame().area();
                    dirty |= app.click(area, m.column, m.row);
                }
                Event::Resize(cols, rows) => {
                    terminal.resize(clamped((cols, rows)))?;
                    dirty = true;
                }
                _ => {}
            },
            // When the terminal goes away (a closed SSH session, a killed tmux) crossterm reads
            // end-of-file forever without reporting it, and a program that is not the session
            // leader gets no SIGHUP: the window size is the cheap question a dead tty refuses.
            Ok(None) if terminal_gone() => return Ok(HANGUP),
            Ok(None) => {}
            // A signal interrupted the wait: the flags are checked at the top of the loop.
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
}
