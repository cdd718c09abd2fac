//! What the user can ask the explainer for, and which key table is in force: the vocabulary
//! the key table (`keys`), the help and `App::update` share.

use super::classroom::Teach;
use crate::run::goto::Go;

/// Everything the user can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Message {
    NextStep,
    PrevStep,
    NextBatch,
    PrevBatch,
    NextEpoch,
    First,
    Last,
    TogglePlay,
    Faster,
    Slower,
    ToggleGranularity,
    ToggleLang,
    Restart,
    ToggleHelp,
    /// Scrolling and paging the help, which holds every other key while it is open.
    HelpMove(Move),
    /// Esc: closes or leaves whatever is open (help, inspect, pictures, presenter, quiz), one at
    /// a time; with nothing open it does nothing. It never quits.
    Back,
    Quit,
    /// Time for the next automatic step.
    Tick,
    /// Lesson, pictures, objectives compared, autograd graph, in turn.
    CycleView,
    /// The autograd graph, or back to the lesson from it.
    ToggleGraph,
    /// Leave out `param.grad.zero_()` (or put it back): the whole run is recomputed.
    ToggleKeepGrad,
    /// Learning rate and batch size one rung up or down their ladders, from the next batch.
    LrUp,
    LrDown,
    BatchUp,
    BatchDown,
    /// The classroom modes: quiz, inspect, presenter, precision, theme, handout.
    Teach(Teach),
    /// The lesson plan's next and previous stop.
    NextStop,
    PrevStop,
    /// The go-to prompt and bookmarks.
    Go(Go),
    /// The whole of the step's text where the screen cut it short, or back to the short form.
    ReadOn,
    /// A student's own keys under `serve` (following or exploring, submitting a prediction):
    /// the host acts on them; the explainer itself does nothing.
    Follow,
    Submit,
    /// The answer to a question the host asks (see [`Mode::Confirm`]).
    Confirm(bool),
}

/// Which table a key is looked up in first (see `keys`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Arrows and hjkl move the inspect cursor; every other key keeps its meaning.
    Inspect,
    /// The go-to prompt is open: keys type into it.
    Prompt,
    /// `m` or `'` waits for the digit of a bookmark.
    Bookmark,
    /// The help is open: its own keys scroll and page it, and nothing reaches the run behind.
    Help,
    /// A student following the teacher under `serve`: only the keys that change how the screen
    /// looks (see `Binding::follower`), and `f`.
    Following,
    /// The same while the teacher's quiz hides a result: Enter submits the prediction typed.
    Answering,
    /// The host asks a question (`serve`: end the lesson?): y or n, nothing else.
    Confirm,
}

/// How the help asks to move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    Down,
    Up,
    ScreenDown,
    ScreenUp,
    NextPage,
    PrevPage,
}
