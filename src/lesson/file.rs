//! Reading a lesson file: TOML in, validated formulas and step texts out. Every problem is
//! reported with the 1-based line it is on, because a teacher fixes it in a text editor.

use serde::Deserialize;
use toml::Spanned;

use super::{Derivation, Lesson, LessonError, StepText, Text, Version};
use crate::engine::mlp_session::MlpStep;
use crate::engine::{Activation, MAX_HIDDEN, Objective, Step};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLesson {
    #[serde(default)]
    formula: Vec<Spanned<FileFormula>>,
    #[serde(default)]
    step: Vec<Spanned<FileStep>>,
    #[serde(default)]
    stop: Vec<Spanned<FileStop>>,
    /// The preset the stops are planned for; other data gets no stops.
    stops_for: Option<Spanned<String>>,
    /// A hidden layer for the whole lesson, unless the command line says otherwise.
    hidden: Option<Spanned<i64>>,
    activation: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileStop {
    at: Option<Spanned<String>>,
    step: Option<Spanned<String>>,
    note: Option<Spanned<FileText>>,
    lr: Option<Spanned<f64>>,
    batch_size: Option<Spanned<i64>>,
    objective: Option<Spanned<String>>,
    view: Option<Spanned<String>>,
    quiz: Option<bool>,
    hidden: Option<Spanned<i64>>,
    activation: Option<Spanned<String>>,
}

/// Columns a step title may take: the status line holds it beside the place, the loss and the
/// learning rate at 80 columns.
pub const MAX_TITLE_WIDTH: usize = 24;
/// Columns a stop's note may take; it is shown above the narrative, at most a few lines.
pub const MAX_NOTE_WIDTH: usize = 240;

/// A planned moment of the lesson: where, what to say there, and what to change.
#[derive(Clone, Debug, PartialEq)]
pub struct Stop {
    /// The 1-based line of its `[[stop]]`, for messages about it.
    pub line: usize,
    pub at: StopAt,
    pub note: Text,
    /// Settings from the next batch on.
    pub lr: Option<f64>,
    pub batch_size: Option<usize>,
    /// The objective of the whole run (it is not a per-batch setting).
    pub objective: Option<Objective>,
    pub view: Option<StopView>,
    pub quiz: Option<bool>,
    /// A hidden layer from this stop on (the whole run is recomputed with it, as for objective).
    pub hidden: Option<usize>,
    pub activation: Option<Activation>,
}

/// Where a stop is: 1-based epoch and batch in it, then a 1-based step or the first step of a kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StopAt {
    pub epoch: usize,
    pub batch: usize,
    pub step: StopStep,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopStep {
    Index(usize),
    Kind(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopView {
    Lesson,
    Pictures,
    Compare,
}

impl StopView {
    pub const NAMES: [&'static str; 3] = ["lesson", "pictures", "compare"];
}

impl std::fmt::Display for StopAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            StopStep::Index(s) => write!(f, "{}:{}:{s}", self.epoch, self.batch),
            StopStep::Kind(k) => write!(f, "{}:{} {k}", self.epoch, self.batch),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileFormula {
    id: Option<Spanned<String>>,
    latex: Option<Spanned<String>>,
    /// The formula when `backward()` starts from `l.mean()`.
    mean: Option<Spanned<String>>,
    /// The formula when `sgd` does not divide by the batch size.
    undivided: Option<Spanned<String>>,
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
    mean: Option<Spanned<FileVersion>>,
    undivided: Option<Spanned<FileVersion>>,
}

/// What a step says instead for runs that compute something else: `mean.narrative.en = …`,
/// `undivided.code = …`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileVersion {
    narrative: Option<Spanned<FileText>>,
    code: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    en: Option<String>,
    zh: Option<String>,
}

/// The step kinds of a two-layer run that the linear run has not, in their order: a stop of a
/// lesson with a hidden layer may be placed at the first of one of them.
fn two_layer_kinds() -> Vec<&'static str> {
    let mut kinds: Vec<&'static str> = Vec::new();
    for kind in MlpStep::EXAMPLES.map(MlpStep::kind) {
        if !Step::KINDS.contains(&kind) && !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// Builds errors that start with the line of a byte offset into the source.
struct Located<'a> {
    src: &'a str,
    /// Where each line break is, found once: every stop asks for its line, and counting from
    /// the start each time made a lesson of many stops load in quadratic time.
    breaks: Vec<usize>,
}

impl<'a> Located<'a> {
    fn new(src: &'a str) -> Located<'a> {
        let breaks = src
            .bytes()
            .enumerate()
            .filter(|&(_, c)| c == b'\n')
            .map(|(i, _)| i)
            .collect();
        Located { src, breaks }
    }

    fn line(&self, offset: usize) -> usize {
        let end = offset.min(self.src.len());
        self.breaks.partition_point(|&b| b < end) + 1
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
    let loc = Located::new(src);
    if let Some((at, c)) = src.char_indices().find(|(_, c)| is_control(*c)) {
        return Err(loc.at(at, control_message(c)));
    }
    let file: FileLesson = toml::from_str(src).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        loc.at(offset, e.message().trim_end())
    })?;
    let derivation = formulas(&loc, &file.formula)?;
    let steps = steps(&loc, &file.step, &derivation)?;
    let stops = file
        .stop
        .iter()
        .map(|s| stop(&loc, s))
        .collect::<Result<Vec<_>, _>>()?;
    let stops_for = file.stops_for.map(|s| s.into_inner());
    let hidden = hidden(&loc, file.hidden.as_ref(), "")?;
    let activation = activation(&loc, file.activation.as_ref(), "")?;
    Ok(Lesson {
        derivation,
        steps,
        stops,
        stops_for,
        hidden,
        activation,
    })
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
        let parse = |latex: &Spanned<String>, what: &str| {
            crate::math::parse(latex.get_ref()).map_err(|e| {
                // The line of the bad character, not of the string's start.
                let before = latex.get_ref().chars().take(e.offset);
                let newlines = before.filter(|c| *c == '\n').count();
                loc.below(
                    latex_start(loc.src, latex.span().start),
                    newlines,
                    format_args!("formula \"{}\"{what}: {e}", id.get_ref()),
                )
            })
        };
        let formula = parse(latex, "")?;
        let mut versions = Vec::new();
        for (version, given) in [(Version::Mean, &f.mean), (Version::Undivided, &f.undivided)] {
            if let Some(v) = given {
                let what = format!(" ({})", version.key());
                versions.push((version, (v.get_ref().clone(), parse(v, &what)?)));
            }
        }
        out.push(Derivation {
            id: id.get_ref().clone(),
            latex: latex.get_ref().clone(),
            formula,
            versions,
        });
    }
    Ok(out)
}

/// Control characters (ESC, BEL, NUL, ...) would reach the terminal and the handouts raw:
/// escape sequences that move the cursor or retitle the window. Line breaks and tabs are text.
fn is_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\r' | '\t')) || is_bidi_control(c)
}

/// The invisible characters that reorder the text around them (embeddings, overrides,
/// isolates and marks): on screen and in the handout, a note could show other words than the
/// file seems to hold.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn control_message(c: char) -> String {
    let kind = if is_bidi_control(c) {
        "bidirectional formatting character"
    } else {
        "control character"
    };
    format!(
        "{kind} U+{:04X} is not allowed in a lesson file; remove it",
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
        let text = |field: Option<&Spanned<FileText>>, what: &str| {
            let t = field
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
        let title = text(s.title.as_ref(), "title")?;
        if let Some(t) = &s.title {
            for (code, words) in [("en", &title.en), ("zh", &title.zh)] {
                let w = unicode_width::UnicodeWidthStr::width(words.as_str());
                if w > MAX_TITLE_WIDTH {
                    return Err(loc.at(
                        t.span().start,
                        format_args!(
                            "step \"{name}\": the \"{code}\" title takes {w} columns, more than \
                             the {MAX_TITLE_WIDTH} the status line has room for"
                        ),
                    ));
                }
            }
        }
        let narrative = text(s.narrative.as_ref(), "narrative")?;
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
        let mut narratives = Vec::new();
        let mut codes = Vec::new();
        for (version, given) in [(Version::Mean, &s.mean), (Version::Undivided, &s.undivided)] {
            let Some(v) = given else { continue };
            let key = version.key();
            if let Some(n) = &v.get_ref().narrative {
                let what = format!("{key}.narrative");
                narratives.push((version, text(Some(n), &what)?));
            }
            if let Some(c) = &v.get_ref().code {
                let line = c.get_ref().trim();
                if let Some(ch) = line.chars().find(|c| is_control(*c)) {
                    return Err(loc.at(
                        c.span().start,
                        format_args!("step \"{name}\": {key}.code: {}", control_message(ch)),
                    ));
                }
                if line.is_empty() {
                    return Err(loc.at(
                        c.span().start,
                        format_args!("step \"{name}\": {key}.code is empty"),
                    ));
                }
                codes.push((version, line.to_string()));
            }
        }
        found[slot] = Some(StepText {
            title,
            narrative,
            code,
            derivation: refs,
            narratives,
            codes,
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

/// One `[[stop]]`: a place, a note in both languages, and optional changes.
fn stop(loc: &Located, entry: &Spanned<FileStop>) -> Result<Stop, LessonError> {
    let start = entry.span().start;
    let line = loc.line(start);
    let s = entry.get_ref();
    let at = s.at.as_ref().ok_or_else(|| {
        loc.at(
            start,
            "[[stop]] has no at (\"E:B:S\", or \"E:B\" with a step kind)",
        )
    })?;
    let bad_at = || {
        loc.at(
            at.span().start,
            format_args!(
                "stop at \"{}\": expected epoch:batch:step, or epoch:batch with step = \"kind\", \
                 each a whole number from 1",
                at.get_ref()
            ),
        )
    };
    let mut nums = Vec::new();
    for part in at.get_ref().split(':') {
        match part.trim().parse::<usize>() {
            Ok(n) if n > 0 => nums.push(n),
            _ => return Err(bad_at()),
        }
    }
    let step = match (&nums[..], &s.step) {
        ([_, _, step], None) => StopStep::Index(*step),
        ([_, _], Some(kind)) => {
            let two_layer = two_layer_kinds();
            let name = kind.get_ref().as_str();
            if !Step::KINDS.contains(&name) && !two_layer.contains(&name) {
                return Err(loc.at(
                    kind.span().start,
                    format_args!(
                        "stop: unknown step kind \"{}\" (expected one of: {}; with a hidden \
                         layer: {})",
                        kind.get_ref(),
                        Step::KINDS.join(", "),
                        two_layer.join(", ")
                    ),
                ));
            }
            StopStep::Kind(kind.get_ref().clone())
        }
        ([_, _, _], Some(kind)) => {
            return Err(loc.at(
                kind.span().start,
                "stop: give either a step number in at (E:B:S) or a step kind, not both",
            ));
        }
        _ => return Err(bad_at()),
    };
    let at = StopAt {
        epoch: nums[0],
        batch: nums[1],
        step,
    };
    let note = s
        .note
        .as_ref()
        .ok_or_else(|| loc.at(start, format_args!("stop at {at} has no note")))?;
    let pick = |v: &Option<String>, code: &str| match v.as_deref().map(str::trim) {
        // A TOML escape (\u202E) gets past the check of the file's own characters.
        Some(v) if let Some(c) = v.chars().find(|c| is_control(*c)) => Err(loc.at(
            note.span().start,
            format_args!("stop at {at}: note \"{code}\": {}", control_message(c)),
        )),
        Some(v) if !v.is_empty() => {
            let w = unicode_width::UnicodeWidthStr::width(v);
            if w > MAX_NOTE_WIDTH {
                Err(loc.at(
                    note.span().start,
                    format_args!(
                        "stop at {at}: the \"{code}\" note takes {w} columns; keep it under \
                         {MAX_NOTE_WIDTH}, the narrative says the rest"
                    ),
                ))
            } else {
                Ok(v.to_string())
            }
        }
        _ => Err(loc.at(
            note.span().start,
            format_args!("stop at {at}: note has no \"{code}\" text"),
        )),
    };
    let note = Text {
        en: pick(&note.get_ref().en, "en")?,
        zh: pick(&note.get_ref().zh, "zh")?,
    };
    let lr = match &s.lr {
        Some(lr) if !(lr.get_ref().is_finite() && *lr.get_ref() > 0.0) => {
            return Err(loc.at(
                lr.span().start,
                format_args!("stop at {at}: lr must be a positive number"),
            ));
        }
        lr => lr.as_ref().map(|l| *l.get_ref()),
    };
    let batch_size = match &s.batch_size {
        Some(b) => Some(
            usize::try_from(*b.get_ref())
                .ok()
                .filter(|&n| n > 0)
                .ok_or_else(|| {
                    loc.at(
                        b.span().start,
                        format_args!("stop at {at}: batch_size must be a whole number from 1"),
                    )
                })?,
        ),
        None => None,
    };
    let objective = match &s.objective {
        Some(o) => Some(match o.get_ref().as_str() {
            "sum" => Objective::Sum,
            "mean" => Objective::Mean,
            "sum-nodiv" => Objective::SumNoDiv,
            other => {
                return Err(loc.at(
                    o.span().start,
                    format_args!(
                        "stop at {at}: unknown objective \"{other}\" (expected sum, mean or sum-nodiv)"
                    ),
                ));
            }
        }),
        None => None,
    };
    let view = match &s.view {
        Some(v) => Some(match v.get_ref().as_str() {
            "lesson" => StopView::Lesson,
            "pictures" => StopView::Pictures,
            "compare" => StopView::Compare,
            other => {
                return Err(loc.at(
                    v.span().start,
                    format_args!(
                        "stop at {at}: unknown view \"{other}\" (expected one of: {})",
                        StopView::NAMES.join(", ")
                    ),
                ));
            }
        }),
        None => None,
    };
    let place = format!("stop at {at}: ");
    Ok(Stop {
        line,
        at,
        note,
        lr,
        batch_size,
        objective,
        view,
        quiz: s.quiz,
        hidden: hidden(loc, s.hidden.as_ref(), &place)?,
        activation: activation(loc, s.activation.as_ref(), &place)?,
    })
}

/// `hidden = H`, 1 to [`MAX_HIDDEN`] units; `place` starts the message ("stop at 1:2:3: ").
fn hidden(
    loc: &Located,
    value: Option<&Spanned<i64>>,
    place: &str,
) -> Result<Option<usize>, LessonError> {
    let Some(h) = value else {
        return Ok(None);
    };
    usize::try_from(*h.get_ref())
        .ok()
        .filter(|n| (1..=MAX_HIDDEN).contains(n))
        .map(Some)
        .ok_or_else(|| {
            loc.at(
                h.span().start,
                format_args!(
                    "{place}hidden = {}: must be a whole number of units from 1 to {MAX_HIDDEN}",
                    h.get_ref()
                ),
            )
        })
}

/// `activation = "relu"`, `"tanh"` or `"sigmoid"`.
fn activation(
    loc: &Located,
    value: Option<&Spanned<String>>,
    place: &str,
) -> Result<Option<Activation>, LessonError> {
    let Some(a) = value else {
        return Ok(None);
    };
    match Activation::parse(a.get_ref()) {
        Some(a) => Ok(Some(a)),
        None => {
            let names: Vec<&str> = Activation::ALL.iter().map(|a| a.name()).collect();
            Err(loc.at(
                a.span().start,
                format_args!(
                    "{place}unknown activation \"{}\" (expected one of: {})",
                    a.get_ref(),
                    names.join(", ")
                ),
            ))
        }
    }
}

impl Lesson {
    /// The hidden layer the lesson file asks for (`hidden`), for runs whose command line sets none.
    pub fn hidden(&self) -> Option<usize> {
        self.hidden
    }

    /// The hidden layer's σ the lesson file asks for (`activation`).
    pub fn activation(&self) -> Option<Activation> {
        self.activation
    }

    /// The preset the lesson plan was written for, if only one.
    pub fn stops_for(&self) -> Option<&str> {
        self.stops_for.as_deref()
    }

    /// The stops for a run on `preset` (None for a `--data` file): none when the plan was made
    /// for other data, since its notes speak of that data's numbers.
    pub fn plan_for(mut self, preset: Option<&str>) -> Lesson {
        if self.stops_for.as_deref().is_some_and(|p| Some(p) != preset) {
            self.stops.clear();
        }
        self
    }
}
