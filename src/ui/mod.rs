//! PLACEHOLDER (replaced on branch `ui`): the terminal explainer.

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
pub fn run(_session: Session, _lesson: Lesson, _opts: UiOptions) -> std::io::Result<()> {
    Ok(())
}
