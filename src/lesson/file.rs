//! Reading a lesson file: TOML in, validated formulas and step texts out. Every problem is
//! reported with the 1-based line it is on, because a teacher fixes it in a text editor.

use serde::Deserialize;
use toml::Spanned;

use super::{Derivation, Lesson, LessonError, StepText, Text};
use crate::engine::Step;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLesson {
    #[serde(default)]
    formula: Vec<Spanned<FileFormula>>,
    #[serde(default)]
    step: Vec<Spanned<FileStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormula {
    id: Option<Spanned<String>>,
    latex: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStep {
    kind: Option<Spanned<String>>,
    title: Option<Spanned<FileText>>,
    narrative: Option<Spanned<FileText>>,
    code: Option<Spanned<String>>,
    #[serde(default)]
    formulas: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    en: Option<String>,
    zh: Option<String>,
}

/// Builds errors that start with the line of a byte offset into the source.
struct Located<'a> {
    src: &'a str,
}

impl Located<'_> {
    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.src.len());
        self.src.as_bytes()[..end]
            .iter()
            .filter(|&&c| c == b'\n')
            .count()
            + 1
    }

    fn at(&self, offset: usize, message: impl std::fmt::Display) -> LessonError {
        LessonError(format!("line {}: {message}", self.line(offset)))
    }

    /// `below` lines after the line of `offset`: a place inside a multi-line string.
    fn below(&self, offset: usize, below: usize, message: impl std::fmt::Display) -> LessonError {
        LessonError(format!("line {}: {message}", self.line(offset) + below))
    }

    /// The last line, for what is missing from the file as a whole.
    fn end(&self, message: impl std::fmt::Display) -> LessonError {
        let last = self.src.trim_end_matches('\n').len();
        self.at(last, message)
    }
}

/// Validates a lesson file: its derivation chain, and one step text per kind in [`Step::KINDS`]
/// order.
pub(super) fn load(src: &str) -> Result<Lesson, LessonError> {
    let loc = Located { src };
    if let Some((at, c)) = src.char_indices().find(|(_, c)| is_control(*c)) {
        return Err(loc.at(at, control_message(c)));
    }
    let file: FileLesson = toml::from_str(src).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        loc.at(offset, e.message().trim_end())
    })?;
    let derivation = formulas(&loc, &file.formula)?;
    let steps = steps(&loc, &file.step, &derivation)?;
    Ok(Lesson { derivation, steps })
}

fn formulas(
    loc: &Located,
    entries: &[Spanned<FileFormula>],
) -> Result<Vec<Derivation>, LessonError> {
    let mut out: Vec<Derivation> = Vec::with_capacity(entries.len());
    for entry in entries {
        let start = entry.span().start;
        let f = entry.get_ref();
        let id =
            f.id.as_ref()
                .ok_or_else(|| loc.at(start, "[[formula]] has no id"))?;
        if id.get_ref().is_empty() {
            return Err(loc.at(id.span().start, "formula id is empty"));
        }
        if out.iter().any(|d| d.id == *id.get_ref()) {
            return Err(loc.at(
                id.span().start,
                format_args!("formula \"{}\" is defined twice", id.get_ref()),
            ));
        }
        let latex = f.latex.as_ref().ok_or_else(|| {
            loc.at(
                start,
                format_args!("formula \"{}\" has no latex", id.get_ref()),
            )
        })?;
        let formula = crate::math::parse(latex.get_ref()).map_err(|e| {
            // The line of the bad character, not of the string's start.
            let before = latex.get_ref().chars().take(e.offset);
            let newlines = before.filter(|c| *c == '\n').count();
            loc.below(
                latex_start(loc.src, latex.span().start),
                newlines,
                format_args!("formula \"{}\": {e}", id.get_ref()),
            )
        })?;
        out.push(Derivation {
            id: id.get_ref().clone(),
            latex: latex.get_ref().clone(),
            formula,
        });
    }
    Ok(out)
}

/// Control characters (ESC, BEL, NUL, ...) would reach the terminal and the handouts raw:
/// escape sequences that move the cursor or retitle the window. Line breaks and tabs are text.
fn is_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\r' | '\t')
}

fn control_message(c: char) -> String {
    format!(
        "control character U+{:04X} is not allowed in a lesson file; remove it",
        u32::from(c)
    )
}

/// A multi-line literal string's text starts on the line after its opening quotes.
fn latex_start(src: &str, value_start: usize) -> usize {
    let rest = src.get(value_start..).unwrap_or("");
    for quotes in ["'''\n", "'''\r\n", "\"\"\"\n", "\"\"\"\r\n"] {
        if rest.starts_with(quotes) {
            return value_start + quotes.len();
        }
    }
    value_start
}

fn steps(
    loc: &Located,
    entries: &[Spanned<FileStep>],
    derivation: &[Derivation],
) -> Result<Vec<(String, StepText)>, LessonError> {
    let mut found: Vec<Option<StepText>> = vec![None; Step::KINDS.len()];
    for entry in entries {
        let start = entry.span().start;
        let s = entry.get_ref();
        let kind = s
            .kind
            .as_ref()
            .ok_or_else(|| loc.at(start, "[[step]] has no kind"))?;
        let name = kind.get_ref();
        let Some(slot) = Step::KINDS.iter().position(|k| k == name) else {
            return Err(loc.at(
                kind.span().start,
                format_args!(
                    "step \"{name}\": unknown step kind (expected one of: {})",
                    Step::KINDS.join(", ")
                ),
            ));
        };
        if found[slot].is_some() {
            return Err(loc.at(
                kind.span().start,
                format_args!("step \"{name}\" is described twice"),
            ));
        }
        let text = |field: &Option<Spanned<FileText>>, what: &str| {
            let t = field
                .as_ref()
                .ok_or_else(|| loc.at(start, format_args!("step \"{name}\" has no {what}")))?;
            let at = t.span().start;
            let pick = |v: &Option<String>, code: &str| match v.as_deref().map(str::trim) {
                Some(v) if let Some(c) = v.chars().find(|c| is_control(*c)) => Err(loc.at(
                    at,
                    format_args!("step \"{name}\": {what} \"{code}\": {}", control_message(c)),
                )),
                Some(v) if !v.is_empty() => Ok(v.to_string()),
                _ => Err(loc.at(
                    at,
                    format_args!("step \"{name}\": {what} has no \"{code}\" text"),
                )),
            };
            Ok::<Text, LessonError>(Text {
                en: pick(&t.get_ref().en, "en")?,
                zh: pick(&t.get_ref().zh, "zh")?,
            })
        };
        let title = text(&s.title, "title")?;
        let narrative = text(&s.narrative, "narrative")?;
        if let Some(code) = &s.code
            && let Some(c) = code.get_ref().chars().find(|c| is_control(*c))
        {
            return Err(loc.at(
                code.span().start,
                format_args!("step \"{name}\": code: {}", control_message(c)),
            ));
        }
        let code = s
            .code
            .as_ref()
            .map(|c| c.get_ref().trim().to_string())
            .filter(|c| !c.is_empty())
            .ok_or_else(|| loc.at(start, format_args!("step \"{name}\" has no code")))?;
        let mut refs = Vec::with_capacity(s.formulas.len());
        for r in &s.formulas {
            let index = derivation
                .iter()
                .position(|d| d.id == *r.get_ref())
                .ok_or_else(|| {
                    let known: Vec<&str> = derivation.iter().map(|d| d.id.as_str()).collect();
                    loc.at(
                        r.span().start,
                        format_args!(
                            "step \"{name}\": unknown formula \"{}\" (defined: {})",
                            r.get_ref(),
                            known.join(", ")
                        ),
                    )
                })?;
            refs.push(index);
        }
        found[slot] = Some(StepText {
            title,
            narrative,
            code,
            derivation: refs,
        });
    }
    Step::KINDS
        .iter()
        .zip(found)
        .map(|(kind, text)| {
            text.map(|t| (kind.to_string(), t)).ok_or_else(|| {
                loc.end(format_args!(
                    "step \"{kind}\" is missing (every step kind needs a [[step]])"
                ))
            })
        })
        .collect()
}
