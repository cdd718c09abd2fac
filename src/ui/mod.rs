//! The terminal explainer: an Elm architecture. [`App`] is the model, [`Message`] what the user
//! asks for, [`App::update`] the only place the model changes, and the view (`impl Widget for
//! &App`) only reads it.

mod app;
mod banner;
mod canvas;
mod classroom;
mod derivation;
mod divergence;
mod glyphs;
mod graph;
mod help;
mod host;
mod input;
mod keys;
mod long_jump;
mod matrices;
mod message;
mod names;
mod narrative;
pub mod pictures;
mod progress;
mod run_loop;
mod sentences;
mod shown;
mod slices;
mod status;
mod strings;
mod teach;
mod terminal;
mod theme;
pub mod together;
mod too_small;
pub mod two_layer;
mod view;

pub use crate::number::DEFAULT_PRECISION;
pub use app::{App, Message};
pub use classroom::{Dir, Explanation, Notice, Teach};
pub use host::{Alone, Host};
pub use keys::{
    ANSWER_KEYS, CONFIRM_KEYS, FOLLOWER_KEYS, HELP_KEYS, INSPECT_KEYS, KEYS, Key, Mode,
    PROMPT_KEYS, Student, for_students, message_for, message_in, student_message,
};
pub use long_jump::{PROGRESS_AFTER, PROGRESS_EVERY, long_jump, progress_line};
pub use matrices::Hit;
pub use message::Move;
pub use pictures::{Pictures, View};
pub use progress::{Id, Progress, Tally};
pub use slices::slice_batches;
pub use theme::{Mark, Palette, Theme};
pub use too_small::{MIN_HEIGHT, MIN_WIDTH};
pub use view::ExplainerRects;

use crate::engine::Session;
use crate::lesson::{Lang, Lesson};

/// How the UI starts.
#[derive(Clone, Debug, Default)]
pub struct UiOptions {
    pub lang: Lang,
    /// Seed shown in the status line.
    pub seed: u64,
    /// The terminal draws East-Asian ambiguous-width characters two columns wide.
    pub ambiguous_wide: bool,
    /// Start in quiz mode (`--quiz`).
    pub quiz: bool,
    /// Start in presenter mode (`--present`).
    pub present: bool,
    /// `--theme`.
    pub theme: Palette,
    /// Decimals of displayed numbers (`--precision`); None is [`DEFAULT_PRECISION`].
    pub precision: Option<u8>,
    /// Where the handout key writes; empty is the current directory.
    pub handout_dir: std::path::PathBuf,
    /// Where the data came from, in words, for the handout.
    pub source: crate::lesson::Text,
    /// The features were standardized (`--standardize`): rescaling is then no advice.
    pub standardized: bool,
    /// Where to start (`--at`), already checked against the run.
    pub at: Option<crate::run::goto::Place>,
    /// Where the place is saved on quitting, and the saved place to reopen (`--resume`).
    pub resume: Option<crate::run::resume::Resume>,
}

pub use terminal::{Ending, drawn_size};

/// Runs the full-screen UI until the user quits or a signal ends it; the terminal is restored
/// whatever happens.
pub fn run(session: Session, lesson: Lesson, opts: UiOptions) -> std::io::Result<Ending> {
    run_hosted(session, lesson, opts, &mut Alone)
}

/// One frame of `app` with `host`'s additions, on any ratatui backend.
pub fn draw_hosted<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    app: &App,
    host: &dyn Host,
) -> Result<(), B::Error> {
    terminal.draw(|frame| {
        let area = frame.area();
        frame.render_widget(app, area);
        host.overlay(app, area, frame.buffer_mut());
    })?;
    Ok(())
}

/// [`run`], with `host`'s additions (see [`Host`]).
pub fn run_hosted(
    session: Session,
    lesson: Lesson,
    opts: UiOptions,
    host: &mut dyn Host,
) -> std::io::Result<Ending> {
    let mut app = App::unopened(session, lesson, &opts, Theme::from_env());
    let result = run_loop::run(&mut app, host);
    // However the loop ended (q, Ctrl-C, SIGTERM, SIGHUP, a vanished terminal), the place is kept.
    crate::run::resume::keep(app.saved());
    result
}
