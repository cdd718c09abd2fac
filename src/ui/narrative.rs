//! The narrative: what the lesson says about this step, the line of PyTorch it corresponds to,
//! and, at the batch where the run overflowed, what to do about it.

use ratatui::style::Style;

use super::app::App;
use super::canvas::{Canvas, width, wrap};
use super::strings::S;
use crate::engine::tape::Recorded;

pub struct Narrative {
    lines: Vec<(String, Style)>,
    /// Ends a cut text: "…", or "..." where the ellipsis would draw two columns wide.
    ellipsis: &'static str,
}

impl Narrative {
    pub fn new(app: &App, room: usize) -> Narrative {
        let text = app.lesson.step(app.session.step());
        let recorded = Recorded::of(app.session.batch().hyper.objective);
        let mut lines = super::banner::lines(app, room);
        let batch = app.session.batch();
        if app.session.diverged_at() == Some(batch.global) {
            let warning = app.glyphs.text(S::Diverged.get(app.lang));
            for l in wrap(&warning, room) {
                lines.push((l, app.theme.warning()));
            }
        }
        // At an epoch's end, what its mean loss did, before the lesson's general sentence: that
        // one cannot know whether this run learns.
        if let Some(verdict) = super::banner::verdict(app) {
            for l in wrap(&app.glyphs.text(&verdict), room) {
                lines.push((l, app.theme.title()));
            }
        }
        let narrative = app.glyphs.text(text.narrative_for(recorded).get(app.lang));
        for l in wrap(&narrative, room) {
            lines.push((l, app.theme.plain()));
        }

        let code = app.glyphs.text(text.code_for(recorded));
        if !code.is_empty() && !code_in_heading(app, room) {
            for l in wrap(&format!("{PROMPT}{code}"), room) {
                lines.push((l, app.theme.code()));
            }
        }
        let ellipsis = if app.glyphs.ambiguous_wide {
            "..."
        } else {
            "…"
        };
        Narrative { lines, ellipsis }
    }

    pub fn height(&self) -> usize {
        self.lines.len()
    }

    pub fn render(&self, canvas: &mut Canvas<'_>) {
        let room = canvas.height();
        let cut = self.lines.len() > room;
        for (y, (line, style)) in self.lines.iter().take(room).enumerate() {
            if cut && y + 1 == room {
                // The last line shown says that more was cut.
                let mark = width(self.ellipsis);
                let keep = canvas.width().saturating_sub(mark + 1);
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
                let x = canvas.text(0, y, text.trim_end(), *style);
                canvas.text(x + 1, y, self.ellipsis, *style);
            } else {
                canvas.text(0, y, line, *style);
            }
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

/// The step's line of PyTorch as this run's tape records it (`l.mean().backward()` for a mean).
fn code_line(app: &App) -> &str {
    let recorded = Recorded::of(app.session.batch().hyper.objective);
    app.lesson.step(app.session.step()).code_for(recorded)
}

/// The PyTorch line goes in the heading when it fits there, else under the narrative.
fn code_in_heading(app: &App, room: usize) -> bool {
    let code = code_line(app);
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
    let code = app.glyphs.text(code_line(app));
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
