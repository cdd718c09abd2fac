//! What a program hosting the explainer can add to it (`gradstep serve` does): a look at each
//! key first, a status-line badge and state set before each frame, something drawn over the
//! frame, and word of every frame shown. Plain `gradstep` hosts nothing.

use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::app::App;

/// `A` is the explainer hosted: the linear model's [`App`] or the two-layer one.
pub trait Host<A = App> {
    /// Sees a key before the explainer; true keeps it from the explainer. The host may act on
    /// the explainer itself (`serve` quits it once the teacher confirms).
    fn key(&mut self, _app: &mut A, _key: &KeyEvent) -> bool {
        false
    }

    /// Whether quitting now needs the host's confirmation (`serve`, with students connected): a
    /// quit key during a long jump then stops the jump and is passed on to [`Host::key`].
    fn asks_before_quit(&self) -> bool {
        false
    }

    /// Called before every possible frame; true asks for one (something of the host's changed).
    fn prepare(&mut self, _app: &mut A) -> bool {
        false
    }

    /// Draws over the explainer's frame.
    fn overlay(&self, _app: &A, _area: Rect, _buf: &mut Buffer) {}

    /// The frame showing `app` is on the screen.
    fn drawn(&mut self, _app: &A) {}
}

/// The explainer on its own.
pub struct Alone;

impl<A> Host<A> for Alone {}
