//! The lesson: the derivation chain, and for every kind of step a title, a narrative and the line
//! of PyTorch it explains, in English and Simplified Chinese. It is loaded from a TOML file
//! (`assets/lesson.toml` is embedded in the binary). The formulas with a mini-batch's
//! numbers in them are [`crate::worked`]'s.

mod file;
mod lang;
pub mod symbols;

pub use file::{MAX_TITLE_WIDTH, Stop, StopAt, StopStep, StopView};
pub use lang::{Lang, Text};

use crate::engine::Step;
use crate::engine::tape::Recorded;
use crate::math::Formula;

/// The lesson that ships with the program.
pub const EMBEDDED: &str = include_str!("../../assets/lesson.toml");

/// A run whose tape differs from the lesson's `l.sum().backward()` followed by
/// `param -= lr * param.grad / batch_size` is told about with its own version of a formula or a
/// step's text, where the lesson file gives one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Version {
    /// `backward()` starts from `l.mean()`.
    Mean,
    /// `sgd` does not divide the gradient by the batch size.
    Undivided,
}

impl Version {
    /// The versions that apply to what a run records, the most specific first: a mean run is
    /// also undivided, and uses the undivided text where the file has no mean one.
    pub fn of(recorded: Recorded) -> Vec<Version> {
        let mut out = Vec::new();
        if recorded.is_mean() {
            out.push(Version::Mean);
        }
        if !recorded.divides {
            out.push(Version::Undivided);
        }
        out
    }

    /// The lesson file's key for this version (`mean = '…'`, `undivided.code = '…'`).
    pub fn key(self) -> &'static str {
        match self {
            Version::Mean => "mean",
            Version::Undivided => "undivided",
        }
    }
}

/// The first of `versions` that `recorded` calls for, or `base`.
fn pick<'a, T>(versions: &'a [(Version, T)], recorded: Recorded, base: &'a T) -> &'a T {
    Version::of(recorded)
        .into_iter()
        .find_map(|want| versions.iter().find(|(v, _)| *v == want).map(|(_, t)| t))
        .unwrap_or(base)
}

/// One formula of the derivation chain, in the lesson's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// The name the lesson file uses to refer to this formula.
    pub id: String,
    /// The formula's source, in the LaTeX subset [`crate::math::parse`] knows.
    pub latex: String,
    pub formula: Formula,
    /// The formula as it reads for runs that compute something else (`mean = '…'`).
    pub versions: Vec<(Version, (String, Formula))>,
}

impl Derivation {
    /// The version `recorded` calls for, if the file gives one.
    fn version(&self, recorded: Recorded) -> Option<&(String, Formula)> {
        Version::of(recorded)
            .into_iter()
            .find_map(|want| self.versions.iter().find(|(v, _)| *v == want))
            .map(|(_, f)| f)
    }

    /// The formula's source for a run that records `recorded`.
    pub fn latex_for(&self, recorded: Recorded) -> &str {
        self.version(recorded)
            .map_or(&self.latex, |(latex, _)| latex)
    }

    /// The typeset formula for a run that records `recorded`.
    pub fn formula_for(&self, recorded: Recorded) -> &Formula {
        self.version(recorded).map_or(&self.formula, |(_, f)| f)
    }
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
    /// The narrative for runs that compute something else (`mean.narrative.en = '…'`).
    pub narratives: Vec<(Version, Text)>,
    /// The line of PyTorch for runs that compute something else (`undivided.code = '…'`).
    pub codes: Vec<(Version, String)>,
}

impl StepText {
    /// The narrative for a run that records `recorded`.
    pub fn narrative_for(&self, recorded: Recorded) -> &Text {
        pick(&self.narratives, recorded, &self.narrative)
    }

    /// The line of PyTorch for a run that records `recorded`.
    pub fn code_for(&self, recorded: Recorded) -> &str {
        pick(&self.codes, recorded, &self.code).as_str()
    }
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
    /// One entry per kind in [`kinds`], in that order.
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
