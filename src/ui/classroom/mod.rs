//! The classroom modes on top of the explainer: predict-then-reveal quizzes, inspecting where a
//! number comes from, a presenter layout, themes, display precision and handouts. Their state
//! lives in [`Classroom`] and their messages are [`Teach`]; `App::teach` (in `ui/teach.rs`) is
//! their update. The files here that draw (`overlay`, `panel`, `presenter`) read the whole
//! explainer; the rest knows nothing of it.

pub(in crate::ui) mod explain;
pub(super) mod handout;
pub(in crate::ui) mod inspect;
pub(super) mod overlay;
pub(in crate::ui) mod panel;
pub(super) mod presenter;
pub(super) mod quiz;

use crate::worked::{Part, Symbol};
use std::path::PathBuf;

use super::UiOptions;
use super::progress::Id;
use crate::lesson::Text;
use crate::number::{DEFAULT_PRECISION, MAX_PRECISION};
use quiz::Quiz;

pub use explain::Explanation;

/// What the classroom keys ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Teach {
    ToggleQuiz,
    Reveal,
    /// The quiz asks the next entry of a vector result.
    NextEntry,
    ToggleInspect,
    LeaveInspect,
    Move(Dir),
    /// Inspect this cell.
    Select {
        id: Id,
        row: usize,
        col: usize,
    },
    TogglePresent,
    MorePrecision,
    LessPrecision,
    CycleTheme,
    Handout,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    Left,
    Right,
    Up,
    Down,
}

/// A line shown until the next key: what a key did, or why it could not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug)]
pub struct Classroom {
    pub quiz: Quiz,
    pub present: bool,
    pub precision: usize,
    pub inspecting: bool,
    pub(in crate::ui) cursor: (Id, usize, usize),
    pub handout_dir: PathBuf,
    /// Where the data came from, for the handout.
    pub(in crate::ui) source: Text,
    pub notice: Option<Notice>,
    /// The inspected cell's explanation, rebuilt by `update`.
    pub(in crate::ui) explained: Option<Explanation>,
}

impl Classroom {
    pub fn new(opts: &UiOptions) -> Classroom {
        Classroom {
            quiz: Quiz::new(opts.quiz),
            present: opts.present,
            precision: opts
                .precision
                .map_or(DEFAULT_PRECISION, |p| usize::from(p).min(MAX_PRECISION)),
            inspecting: false,
            cursor: (Id::Of(Symbol::X, Part::Value), 0, 0),
            handout_dir: opts.handout_dir.clone(),
            source: opts.source.clone(),
            notice: None,
            explained: None,
        }
    }
}
