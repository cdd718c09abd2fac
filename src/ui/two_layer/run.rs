//! The two-layer explainer's loop: draw, wait for a key or the next automatic step, update.
//! `ratatui::run` owns the terminal: it enters raw mode and restores it whatever happens.

use std::io;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event, KeyEventKind};

use super::TwoLayerApp;
use crate::ui::app::Message;
use crate::ui::keys;

/// Longest wait for a key, so an automatic step is not late.
const POLL: Duration = Duration::from_millis(100);

pub fn run(app: &mut TwoLayerApp) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> io::Result<()> {
        let mut next_tick: Option<Instant> = None;
        while !app.should_quit() {
            terminal.draw(|f| f.render_widget(&*app, f.area()))?;
            next_tick = match (app.tick_interval(), next_tick) {
                (Some(every), None) => Some(Instant::now() + every),
                (Some(_), t) => t,
                (None, _) => None,
            };
            if let Some(t) = next_tick
                && Instant::now() >= t
            {
                app.update(Message::Tick);
                next_tick = None;
                continue;
            }
            if !event::poll(POLL)? {
                continue;
            }
            if let Event::Key(key) = event::read()?
                && key.kind == KeyEventKind::Press
                && let Some(m) = keys::message_in(app.key_mode(), &key)
            {
                app.update(m);
            }
        }
        Ok(())
    })();
    ratatui::try_restore()?;
    result
}
