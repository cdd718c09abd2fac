//! PLACEHOLDER (replaced on branch `lesson`). Only the API below is fixed: the lesson's steps,
//! formulas and narrative, loaded from `assets/`, in English and Simplified Chinese.

use crate::engine::{Batch, Step};
use crate::math::Formula;

/// The language of every text on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// `en` or `zh`.
    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    /// From LC_ALL, then LC_MESSAGES, then LANG: `zh*` → Zh, anything else → En.
    pub fn from_env() -> Lang {
        Lang::En
    }

    pub fn toggled(self) -> Lang {
        match self {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// One formula of the derivation chain, in the lesson's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    pub id: String,
    pub latex: String,
    pub formula: Formula,
}

/// What the lesson says about one kind of step.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct StepText {
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

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Lesson {
    derivation: Vec<Derivation>,
    steps: Vec<(String, StepText)>,
}

impl Lesson {
    /// The lesson embedded in the binary (assets/lesson.toml).
    pub fn embedded() -> Result<Lesson, LessonError> {
        Ok(Lesson::default())
    }

    pub fn parse(_src: &str) -> Result<Lesson, LessonError> {
        Ok(Lesson::default())
    }

    pub fn derivation(&self) -> &[Derivation] {
        &self.derivation
    }

    pub fn step(&self, step: Step) -> &StepText {
        static EMPTY: std::sync::OnceLock<StepText> = std::sync::OnceLock::new();
        self.steps
            .iter()
            .find(|(k, _)| k == step.kind())
            .map(|(_, t)| t)
            .unwrap_or_else(|| EMPTY.get_or_init(StepText::default))
    }

    /// The step's formula(s) with the batch's current numbers substituted, one formula per line,
    /// numbers shown with `precision` decimals; words inside formulas in `lang`.
    pub fn numbers(
        &self,
        _step: Step,
        _batch: &Batch,
        _precision: usize,
        _lang: Lang,
    ) -> Vec<Formula> {
        Vec::new()
    }
}
