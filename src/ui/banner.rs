//! The lines shown above everything else while they hold: the note of the lesson-plan stop the
//! class is at, the prediction that the run will diverge (from the first frame, with the advice),
//! and the loss growing batch after batch. The lesson view puts them above the narrative, the
//! pictures above the plots.

use ratatui::style::Style;

use super::app::App;
use super::canvas::wrap;
use super::strings::S;

/// A value in a sentence: three decimals in the usual range, scientific form outside it.
fn short(v: f64) -> String {
    if v != 0.0 && !(0.01..1e5).contains(&v.abs()) {
        crate::number::scientific(v, 2)
    } else {
        crate::number::plain(v, 3)
    }
}

/// The banner's lines wrapped to `room` columns, each with its style.
pub fn lines(app: &App, room: usize) -> Vec<(String, Style)> {
    let lang = app.lang;
    let theme = app.theme;
    let mut out = Vec::new();
    let mut push = |text: &str, style: Style| {
        let text = app.glyphs.text(text);
        for l in wrap(&text, room) {
            out.push((l, style));
        }
    };
    if let Some((k, n)) = app.stop_here()
        && let Some(stop) = app.lesson.stops().get(k)
    {
        let head = S::StopOf
            .get(lang)
            .replace("{k}", &(k + 1).to_string())
            .replace("{n}", &n.to_string());
        push(&format!("{head}: {}", stop.note.get(lang)), theme.badge());
    }
    let d = &app.divergence;
    let here = app.session.batch().global;
    let overflowed = app.session.diverged_at().is_some_and(|g| g <= here);
    if let Some(p) = d.predicted
        && !overflowed
    {
        let advice = if d.advise_standardize() {
            S::AdviceStandardize
        } else {
            S::AdviceLr
        };
        // Chinese sentences follow each other without a space.
        let gap = if lang == crate::lesson::Lang::Zh {
            ""
        } else {
            " "
        };
        let text = format!(
            "{}{gap}{}",
            S::WillDiverge.get(lang).replace("{gain}", &short(p.gain)),
            advice.get(lang).replace("{limit}", &short(p.limit))
        );
        push(&text, theme.warning());
    }
    if let Some(g) = d.diverging
        && !overflowed
    {
        let start = g.saturating_sub(d.rises());
        let from = app
            .session
            .batch_losses()
            .get(start)
            .copied()
            .unwrap_or(0.0);
        let to = app.session.batch().loss;
        let text = S::Diverging
            .get(lang)
            .replace("{b}", &(start + 1).to_string())
            .replace("{k}", &d.rises().to_string())
            .replace("{from}", &short(from))
            .replace("{to}", &short(to));
        push(&text, theme.warning());
    }
    out
}

/// At an epoch's summary: whether its mean loss fell or grew, in a sentence.
pub fn verdict(app: &App) -> Option<String> {
    let v = app.divergence.verdict?;
    let text = match v.trend {
        super::divergence::Trend::Fell => S::EpochFell,
        super::divergence::Trend::Flat => S::EpochFlat,
        super::divergence::Trend::Grew => S::EpochGrew,
    };
    Some(
        text.get(app.lang)
            .replace("{e}", &v.epoch.to_string())
            .replace("{now}", &short(v.now))
            .replace("{before}", &short(v.before)),
    )
}
