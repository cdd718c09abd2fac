//! The teacher's terminal events, in the order they happened: keys that arrived in one read
//! taken apart as they were typed (see `together`), and the keys pressed while a long jump
//! computes kept to be applied after it.

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use crossterm::event::{self, Event, KeyEvent};

use super::together::together;

/// How long to wait for the rest of what arrived with an event: crossterm parses a read into
/// several events but only hands out the next one, and a zero timeout does not even look at
/// those it has. Keystrokes a person types are far further apart.
const REST: Duration = Duration::from_millis(1);

/// The most events taken as having arrived together (a mouse moving reports steadily).
const MOST_TOGETHER: usize = 64;

/// Events read but not yet handled, oldest first.
#[derive(Default)]
pub(super) struct Input {
    waiting: VecDeque<Event>,
}

impl Input {
    /// The next event, waiting at most `wait` for one to arrive.
    pub(super) fn next(&mut self, wait: Duration) -> io::Result<Option<Event>> {
        if let Some(e) = self.waiting.pop_front() {
            return Ok(Some(e));
        }
        if !event::poll(wait)? {
            return Ok(None);
        }
        let mut arrived = vec![event::read()?];
        while arrived.len() < MOST_TOGETHER && event::poll(REST)? {
            arrived.push(event::read()?);
        }
        self.waiting.extend(taken_apart(arrived));
        Ok(self.waiting.pop_front())
    }

    /// Puts events back to be handled first, in their order: the keys a long jump kept.
    pub(super) fn put_back(&mut self, events: Vec<Event>) {
        for e in events.into_iter().rev() {
            self.waiting.push_front(e);
        }
    }
}

/// Events that arrived together, each run of keys as they were typed.
fn taken_apart(arrived: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(arrived.len());
    let mut keys: Vec<KeyEvent> = Vec::new();
    for e in arrived {
        match e {
            Event::Key(k) => keys.push(k),
            other => {
                out.extend(together(&keys).into_iter().map(Event::Key));
                keys.clear();
                out.push(other);
            }
        }
    }
    out.extend(together(&keys).into_iter().map(Event::Key));
    out
}
