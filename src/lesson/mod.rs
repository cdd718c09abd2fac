//! The lesson: the derivation chain, and for every kind of step a title, a narrative and the line
//! of PyTorch it explains, in English and Simplified Chinese. It is loaded from a TOML file
//! (`assets/lesson.toml` is embedded in the binary). The formulas with a mini-batch's
//! numbers in them are [`crate::worked`]'s.

mod file;
mod lang;

pub use file::{MAX_TITLE_WIDTH, Stop, StopAt, StopStep, StopView};
pub use lang::{Lang, Text};

use crate::engine::Step;
use crate::math::Formula;

/// The lesson that ships with the program.
pub const EMBEDDED: &str = include_str!("../../assets/lesson.toml");

/// One formula of the derivation chain, in the lesson's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// The name the lesson file uses to refer to this formula.
    pub id: String,
    /// The formula's source, in the LaTeX subset [`crate::math::parse`] knows.
    pub latex: String,
    pub formula: Formula,
}

/// What the lesson says about one kind of step.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StepText {
    /// Short enough for the status line.
    pub title: Text,
    pub narrative: Text,
    /// The line of the lesson's PyTorch loop this step corresponds to.
    pub code: String,
    /// Indexes into [`Lesson::derivation`] of the formulas this step is about (the first is the main one).
    pub derivation: Vec<usize>,
}

/// Why a lesson file could not be loaded: names the line and the problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonError(pub String);

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for LessonError {}

/// A loaded, validated lesson.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Lesson {
    derivation: Vec<Derivation>,
    /// One entry per kind in [`Step::KINDS`], in that order.
    steps: Vec<(String, StepText)>,
    /// The teacher's planned stops, in the file's order.
    stops: Vec<Stop>,
    /// The preset the stops are planned for, if only one (`stops_for`).
    stops_for: Option<String>,
    /// A hidden layer for the whole lesson (`hidden`, `activation`).
    hidden: Option<usize>,
    activation: Option<crate::engine::Activation>,
}

impl Lesson {
    /// The lesson embedded in the binary (assets/lesson.toml).
    pub fn embedded() -> Result<Lesson, LessonError> {
        Lesson::parse(EMBEDDED)
    }

    /// Reads and validates a lesson file; the error names the line of the first problem.
    pub fn parse(src: &str) -> Result<Lesson, LessonError> {
        file::load(src)
    }

    /// The derivation chain, in the lesson's order.
    pub fn derivation(&self) -> &[Derivation] {
        &self.derivation
    }

    /// The planned stops, in the file's order.
    pub fn stops(&self) -> &[Stop] {
        &self.stops
    }

    /// What the lesson says about `step`'s kind.
    pub fn step(&self, step: Step) -> &StepText {
        static EMPTY: std::sync::OnceLock<StepText> = std::sync::OnceLock::new();
        self.steps
            .iter()
            .find(|(k, _)| k == step.kind())
            .map(|(_, t)| t)
            .unwrap_or_else(|| EMPTY.get_or_init(StepText::default))
    }
}
