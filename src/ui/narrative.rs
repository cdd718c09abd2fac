//! The narrative: what the lesson says about this step, the line of PyTorch it corresponds to,
//! and, at the batch where the run overflowed, what to do about it.

use ratatui::style::Style;

use super::app::{App, Message};
use super::canvas::{Canvas, width, wrap};
use super::keys;
use super::sentences;
use super::strings::S;
use crate::engine::Step;
use crate::engine::tape::Recorded;

pub struct Narrative {
    /// What comes before the lesson's text (a stop's note, warnings, the epoch's verdict):
    /// always shown first.
    head: Vec<(String, Style)>,
    /// The lesson's text for the step, wrapped to the panel.
    body: Vec<String>,
    /// The same text unwrapped, and where its sentences end: a panel too short for all of it
    /// shows whole sentences.
    text: String,
    ends: Vec<usize>,
    /// The step's line of PyTorch, when the heading has no room for it.
    code: Vec<String>,
    room: usize,
    plain: Style,
    code_style: Style,
    /// After a cut: "…", "..." where the ellipsis would draw two columns wide, then the key
    /// that reads on and what it does.
    more: Vec<(String, Style)>,
    /// Ends a line cut mid-way, where not even one sentence fits.
    ellipsis: &'static str,
}

impl Narrative {
    pub fn new(app: &App, room: usize) -> Narrative {
        let step = app.lesson.step(app.session.step());
        let recorded = Recorded::of(app.session.batch().hyper.objective);
        let mut head = super::banner::lines(app, room);
        let batch = app.session.batch();
        if app.session.diverged_at() == Some(batch.global) {
            let warning = app.glyphs.text(S::Diverged.get(app.lang));
            for l in wrap(&warning, room) {
                head.push((l, app.theme.warning()));
            }
        }
        // At an epoch's end, what its mean loss did, before the lesson's general sentence: that
        // one cannot know whether this run learns.
        if let Some(verdict) = super::banner::verdict(app) {
            for l in wrap(&app.glyphs.text(&verdict), room) {
                head.push((l, app.theme.title()));
            }
        }
        // Without zero_() the update reads the held sum and nothing empties .grad after it.
        let said = match held_update(app) {
            true => S::HeldUpdate.get(app.lang),
            false => step.narrative_for(recorded).get(app.lang),
        };
        let text = app.glyphs.text(said).into_owned();
        let code = code_line(app);
        let code = app.glyphs.text(&code);
        let code = if !code.is_empty() && !code_in_heading(app, room) {
            wrap(&format!("{PROMPT}{code}"), room)
        } else {
            Vec::new()
        };
        let ellipsis = if app.glyphs.ambiguous_wide {
            "..."
        } else {
            "…"
        };
        let mut more = vec![(ellipsis.to_string(), app.theme.frame())];
        if let Some(key) = keys::key_for(Message::ReadOn) {
            more.push((format!(" {}", key.label(&app.glyphs)), app.theme.key()));
            more.push((
                format!(" {}", S::HintReadOn.get(app.lang)),
                app.theme.frame(),
            ));
        }
        Narrative {
            head,
            body: wrap(&text, room),
            ends: sentences::ends(&text),
            text,
            code,
            room,
            plain: app.theme.plain(),
            code_style: app.theme.code(),
            more,
            ellipsis,
        }
    }

    pub fn height(&self) -> usize {
        self.head.len() + self.body.len() + self.code.len()
    }

    /// Whether `rows` are too few for the whole text.
    pub fn cut(&self, rows: usize) -> bool {
        self.height() > rows
    }

    /// The lines shown in `rows`, and whether the last one ends in the read-on mark.
    fn shown(&self, rows: usize) -> (Vec<(String, Style)>, bool) {
        let styled = |lines: &[String], style: Style| {
            lines
                .iter()
                .map(move |l| (l.clone(), style))
                .collect::<Vec<_>>()
        };
        let mut out = self.head.clone();
        if !self.cut(rows) {
            out.extend(styled(&self.body, self.plain));
            out.extend(styled(&self.code, self.code_style));
            return (out, false);
        }
        let left = rows.saturating_sub(self.head.len());
        let mark: usize = self.more.iter().map(|(t, _)| width(t)).sum();
        // The most sentences that fit with the mark after them, on their last line or below.
        let fits = |lines: &[String]| match lines.last() {
            Some(last) if width(last) + 1 + mark <= self.room => lines.len() <= left,
            _ => lines.len() < left,
        };
        let whole = self
            .ends
            .iter()
            .rev()
            .map(|&e| wrap(self.text[..e].trim_end(), self.room))
            .find(|lines| fits(lines));
        match whole {
            Some(lines) if self.head.len() < rows => {
                out.extend(styled(&lines, self.plain));
                (out, true)
            }
            // Not one sentence fits: as much of the text as does, cut where the panel ends.
            _ => {
                out.extend(styled(&self.body, self.plain));
                out.truncate(rows);
                (out, false)
            }
        }
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        let rows = canvas.height();
        let (lines, marked) = self.shown(rows);
        let last = lines.len().saturating_sub(1);
        for (y, (line, style)) in lines.iter().enumerate() {
            canvas.text(0, y, line, *style);
        }
        if marked {
            // After the last sentence (a space after English, none after a full-width stop),
            // or on the line below when it has no room.
            let text = &lines[last].0;
            let wide = text
                .chars()
                .last()
                .is_some_and(|c| unicode_width::UnicodeWidthChar::width(c) == Some(2));
            let (mut x, mut y) = (width(text) + usize::from(!wide), last);
            let mark: usize = self.more.iter().map(|(t, _)| width(t)).sum();
            if x + mark > canvas.width() {
                (x, y) = (0, last + 1);
            }
            for (text, style) in &self.more {
                x += canvas.text(x, y, text, *style);
            }
        } else if self.cut(rows) && rows > 0 {
            // Cut mid-line: the last line shown says that more was cut.
            let y = rows - 1;
            let (line, style) = &lines[y.min(last)];
            let keep = canvas.width().saturating_sub(width(self.ellipsis) + 1);
            let mut text = String::new();
            let mut used = 0;
            for c in line.chars() {
                let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if used + w > keep {
                    break;
                }
                used += w;
                text.push(c);
            }
            canvas.text(0, y, &" ".repeat(canvas.width()), *style);
            let x = canvas.text(0, y, text.trim_end(), *style);
            canvas.text(x + 1, y, self.ellipsis, *style);
        }
    }
}

/// The step's title, with the sample it is about (1-based, as the lesson writes i).
pub fn title(app: &App) -> String {
    let step = app.session.step();
    let title = app.glyphs.text(app.lesson.step(step).title.get(app.lang));
    let title = if title.is_empty() {
        step.kind().replace('_', " ").into()
    } else {
        title
    };
    match step.sample() {
        Some(i) => format!("{title} (i = {})", i + 1),
        None => title.into_owned(),
    }
}

const PROMPT: &str = ">>> ";

/// The update step of a run that leaves `param.grad.zero_()` out (`z`, `--keep-grad`).
fn held_update(app: &App) -> bool {
    app.session.step() == Step::Update && !app.session.batch().hyper.zero_grad
}

/// The call the `z` experiment leaves out of the update's line.
const ZERO_GRAD: &str = "; param.grad.zero_()";

/// The step's line of PyTorch as this run's tape records it (`l.mean().backward()` for a mean),
/// without the zero_() call a run that keeps `.grad` does not make.
fn code_line(app: &App) -> String {
    let recorded = Recorded::of(app.session.batch().hyper.objective);
    let code = app.lesson.step(app.session.step()).code_for(recorded);
    match held_update(app) {
        true => code.replace(ZERO_GRAD, ""),
        false => code.to_string(),
    }
}

/// The PyTorch line goes in the heading when it fits there, else under the narrative.
fn code_in_heading(app: &App, room: usize) -> bool {
    let code = code_line(app);
    let code = code.as_str();
    // rule, spaces, title, rule, prompt, code, space, rule
    let need = 1 + 1 + width(&title(app)) + 1 + 1 + 1 + PROMPT.len() + width(code) + 2;
    need <= room
}

/// The panel's heading: the step's title, then the PyTorch line when it fits.
pub fn heading(app: &App, canvas: &mut Canvas<'_>) {
    let theme = app.theme;
    let rule = app.glyphs.rule;
    let mut x = canvas.text(0, 0, rule, theme.frame());
    x += canvas.text(x, 0, " ", theme.plain());
    x += canvas.text(x, 0, &title(app), theme.title());
    x += canvas.text(x, 0, " ", theme.plain());
    let code = code_line(app);
    let code = app.glyphs.text(&code);
    if !code.is_empty() && code_in_heading(app, canvas.width()) {
        x += canvas.text(x, 0, rule, theme.frame());
        x += canvas.text(x, 0, " ", theme.plain());
        x += canvas.text(x, 0, PROMPT, theme.frame());
        x += canvas.text(x, 0, &code, theme.code());
        x += canvas.text(x, 0, " ", theme.plain());
    }
    let fill = rule.repeat(canvas.width().saturating_sub(x));
    canvas.text(x, 0, &fill, theme.frame());
}
