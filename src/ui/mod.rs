//! The terminal explainer: an Elm architecture. [`App`] is the model, [`Message`] what the user
//! asks for, [`App::update`] the only place the model changes, and the view (`impl Widget for
//! &App`) only reads it.

mod app;
mod canvas;
mod derivation;
mod glyphs;
mod help;
mod keys;
mod matrices;
mod narrative;
mod number;
pub mod pictures;
mod progress;
mod status;
mod strings;
mod terminal;
mod theme;
mod too_small;
mod view;

pub use app::{App, Message};
pub use keys::{KEYS, Key, message_for};
pub use pictures::{Pictures, View};
pub use theme::Theme;
pub use too_small::{MIN_HEIGHT, MIN_WIDTH};

use crate::engine::Session;
use crate::lesson::{Lang, Lesson};

/// How the UI starts.
#[derive(Clone, Debug)]
pub struct UiOptions {
    pub lang: Lang,
    /// Seed shown in the status line.
    pub seed: u64,
    /// The terminal draws East-Asian ambiguous-width characters two columns wide.
    pub ambiguous_wide: bool,
}

/// Runs the full-screen UI until the user quits; the terminal is restored whatever happens.
pub fn run(session: Session, lesson: Lesson, opts: UiOptions) -> std::io::Result<()> {
    let stop = terminal::stop_flag()?;
    let mut app = App::new(session, lesson, &opts, Theme::from_env());
    ratatui::run(|t| terminal::event_loop(t, &mut app, &stop))
}
