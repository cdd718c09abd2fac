//! The status line: where the lesson is and with which settings, then the keys in reach, both
//! dropping their least useful parts when the terminal is narrow.

use crate::worked::{Part, Symbol};
use ratatui::style::Style;

use super::app::App;
use super::canvas::{Canvas, width};
use super::glyphs::Glyphs;
use super::keys;
use super::pictures::gradcheck;
use super::progress::{Id, Progress};
use super::strings::S;
use super::theme::Theme;
use crate::engine::{Granularity, Step};
use crate::lesson::Lang;
use crate::run::experiments;
use crate::run::goto::GoTo;

/// `more_text`: the step's text is cut short on this screen (the key that reads on is hinted).
pub fn render(app: &App, progress: &Progress<'_>, canvas: &mut Canvas<'_>, more_text: bool) {
    let theme = app.theme;
    let lang = app.lang;
    let s = &app.session;
    let b = s.batch();
    let h = &b.hyper;
    let (steps, at) = s.steps();
    let bold = theme.title();
    let plain = theme.plain();

    let mut parts: Vec<Vec<(String, Style)>> = Vec::new();
    // Set by whoever hosts the explainer (`gradstep serve`): first, because it says who is in
    // charge of this screen.
    if let Some(badge) = &app.badge {
        parts.push(vec![(badge.clone(), theme.key())]);
    }
    parts.extend([
        vec![(
            format!("{} {}/{}", S::Epoch.get(lang), b.epoch, h.epochs),
            bold,
        )],
        vec![(
            format!(
                "{} {}/{}",
                S::Batch.get(lang),
                b.batch,
                s.batches_in_epoch()
            ),
            bold,
        )],
        vec![(
            format!("{} {}/{}", S::Step.get(lang), at + 1, steps.len()),
            plain,
        )],
        vec![(super::narrative::title(app), bold)],
    ]);
    // At a stop of the lesson plan, where in the plan the class is takes the title's place (the
    // stop's note, above the narrative, says more than the title).
    if let Some((k, n)) = app.stop_here()
        && let Some(title) = parts.last_mut()
    {
        let text = S::StopOf
            .get(lang)
            .replace("{k}", &(k + 1).to_string())
            .replace("{n}", &n.to_string());
        *title = vec![(text, theme.badge())];
    }

    // The quiz hides the loss the step produces here too, or the status line would give it away.
    let hidden = app.hiding() && matches!(s.step(), Step::Loss | Step::EpochSummary);
    if s.step() == Step::EpochSummary
        && let Some(v) = b.epoch_loss
    {
        let v = if hidden {
            "?".to_string()
        } else {
            crate::number::plain(v, 6)
        };
        parts.push(vec![(format!("{} {v}", S::EpochLoss.get(lang)), bold)]);
    } else if progress
        .value(Id::Of(Symbol::Loss, Part::Value), 0, 0)
        .is_some()
    {
        let v = if hidden {
            "?".to_string()
        } else {
            crate::number::plain(crate::engine::tape::root_value(b), 4)
        };
        parts.push(vec![(format!("{} {v}", S::Loss.get(lang)), bold)]);
    }
    if let Some(g) = s.diverged_at()
        && g <= b.global
    {
        parts.push(vec![(S::DivergedAfter.get(lang).into(), theme.warning())]);
    } else if s.at_end() {
        parts.push(vec![(S::End.get(lang).into(), bold)]);
    }
    if app.playing {
        parts.push(vec![(S::Playing.get(lang).into(), theme.key())]);
    }
    if let Some(speed) = app.speed_text() {
        parts.push(vec![(speed, theme.key())]);
    }
    // The settings in force for this batch, and a change waiting for the next one.
    let now = &b.hyper;
    let (next_lr, next_bs) = experiments::upcoming(s);
    let arrow = if app.glyphs.ambiguous_wide {
        "->"
    } else {
        "→"
    };
    let then = |changed: bool, v: String| {
        if changed {
            format!("{arrow}{v}")
        } else {
            String::new()
        }
    };
    // The experiment of forgetting zero_() changes every update: said where it is always seen.
    if !h.zero_grad {
        parts.push(vec![(
            S::KeepGradStatus.get(lang).to_string(),
            theme.warning(),
        )]);
    }
    parts.extend([
        vec![(
            format!(
                "{} {}{}",
                S::Lr.get(lang),
                now.lr,
                then(next_lr != now.lr, next_lr.to_string())
            ),
            plain,
        )],
        vec![(
            format!(
                "{} {}{}",
                S::BatchSize.get(lang),
                b.rows(),
                then(next_bs != now.batch_size, next_bs.to_string())
            ),
            plain,
        )],
    ]);
    // Where the gradient is formed, its finite-difference check (the pictures show it whole).
    if gradcheck::at_gradient_step(s.step())
        && let Some(check) = app.grad_check()
    {
        let worst = gradcheck::error_text(check.worst());
        parts.push(vec![(
            format!("{} {worst}", S::GradCheckAt.get(lang)),
            plain,
        )]);
    }
    parts.extend([
        vec![(
            format!(
                "{} {}",
                S::Objective.get(lang),
                S::objective(h.objective).get(lang)
            ),
            plain,
        )],
        vec![(format!("{} {}", S::Seed.get(lang), app.seed), plain)],
        vec![(
            match s.granularity() {
                Granularity::Sample => S::BySample.get(lang).into(),
                Granularity::Matrix => S::ByMatrix.get(lang).into(),
            },
            plain,
        )],
    ]);
    row(canvas, 0, &parts, theme.frame());
    if prompt(app, canvas) {
        return;
    }

    let mut hints: Vec<(keys::Need, Vec<(String, Style)>)> = keys::active(app.key_mode())
        .filter(|b| {
            let offer = keys::Offer {
                stops: app.has_stops(),
                more_text,
            };
            keys::worth_a_hint(b, offer)
        })
        .filter_map(|b| {
            let hint = b.hint?;
            let key = keys::reachable(app.key_mode(), b)
                .next()?
                .label(&app.glyphs);
            Some((
                hint.need,
                vec![
                    (key, theme.key()),
                    (format!(" {}", hint.text.get(lang)), plain),
                ],
            ))
        })
        .collect();
    let badge = super::classroom::overlay::badge(app).map_or(0, |b| width(&b) + 2);
    fit_hints(&mut hints, canvas.width().saturating_sub(badge), |p| {
        p.iter().map(|(t, _)| width(t)).sum()
    });
    let hints: Vec<Vec<(String, Style)>> = hints.into_iter().map(|(_, p)| p).collect();
    row(canvas, 1, &hints, theme.frame());
}

/// The go-to prompt, or the wait for a bookmark's digit, in place of the key hints; whether one
/// was drawn.
fn prompt(app: &App, canvas: &mut Canvas<'_>) -> bool {
    let open = Open {
        goto: &app.goto,
        theme: &app.theme,
        lang: app.lang,
        glyphs: &app.glyphs,
    };
    open.draw(canvas, 1)
}

/// The go-to state of either explainer, with what its line is drawn in.
pub struct Open<'a> {
    pub goto: &'a GoTo,
    pub theme: &'a Theme,
    pub lang: Lang,
    pub glyphs: &'a Glyphs,
}

impl Open<'_> {
    /// Draws the prompt (its text, a cursor, then the last attempt's error or the forms it
    /// takes) or the bookmark wait on row `y`; whether either was open.
    pub fn draw(&self, canvas: &mut Canvas<'_>, y: usize) -> bool {
        let (theme, lang) = (self.theme, self.lang);
        if let Some(p) = &self.goto.prompt {
            let mut x = canvas.text(
                0,
                y,
                &format!("{}: ", S::GoToPrompt.get(lang)),
                theme.title(),
            );
            x += canvas.text(x, y, &p.text, theme.key());
            // The cursor: reversed, so it shows without colour.
            x += canvas.text(x, y, " ", theme.badge());
            x += 2;
            match &p.error {
                Some(e) => canvas.text(x, y, &self.glyphs.text(e), theme.warning()),
                None => canvas.text(
                    x,
                    y,
                    &self.glyphs.text(S::GoToForm.get(lang)),
                    theme.frame(),
                ),
            };
            return true;
        }
        if let Some(waiting) = self.goto.waiting_for_mark() {
            let text = if waiting {
                S::MarkWaiting
            } else {
                S::RecallWaiting
            };
            canvas.text(0, y, text.get(lang), theme.title());
            return true;
        }
        false
    }
}

/// Parts left to right, two spaces apart, as many as fit whole.
fn row(canvas: &mut Canvas<'_>, y: usize, parts: &[Vec<(String, Style)>], sep: Style) {
    let mut x = 0;
    for part in parts {
        let w: usize = part.iter().map(|(t, _)| width(t)).sum();
        let gap = if x == 0 { 0 } else { 2 };
        if x + gap + w > canvas.width() {
            continue;
        }
        x += canvas.text(x, y, &" ".repeat(gap), sep);
        for (t, style) in part {
            x += canvas.text(x, y, t, *style);
        }
    }
}

/// When not every hint fits in `room` columns (two apart), the least needed go first, never
/// one needed always; the rest keep the table's order.
pub(crate) fn fit_hints<T>(
    hints: &mut Vec<(keys::Need, T)>,
    room: usize,
    width_of: impl Fn(&T) -> usize,
) {
    let total = |hs: &[(keys::Need, T)]| hs.iter().map(|(_, h)| width_of(h) + 2).sum::<usize>();
    while total(hints) > room + 2 {
        let Some(worst) = hints
            .iter()
            .enumerate()
            .filter(|(_, (need, _))| *need != keys::Need::Always)
            .max_by_key(|(_, (need, _))| *need)
            .map(|(i, _)| i)
        else {
            break;
        };
        hints.remove(worst);
    }
}
