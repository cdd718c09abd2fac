//! The comparison screen, drawn from a [`Scene`] so the linear explainer and the two-layer one
//! show their runs alike; it reads the runs only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::super::canvas::{Canvas, width, wrap};
use super::super::glyphs::Glyphs;
use super::super::strings::S;
use super::super::theme::Theme;
use super::compare::Runs;
use super::gradcheck;
use super::{heading, split_rows};
use crate::engine::compare::Entries;
use crate::lesson::Lang;

/// What the comparison screen draws: the runs, the batch shown, and how to draw.
pub struct Scene<'a, P> {
    pub theme: Theme,
    pub glyphs: Glyphs,
    pub lang: Lang,
    pub runs: &'a Runs<P>,
    /// The 0-based batch shown: the table ends there.
    pub now: usize,
    pub naming: Naming,
}

/// The sentences that name the model's parameters; the rest of the screen is the same for both.
pub struct Naming {
    /// Where the runs start.
    pub start: String,
    /// The heading over the relative differences.
    pub rel_diff: String,
    /// Sum and mean take the same steps, with `{d}` for the largest difference.
    pub same: String,
    /// The two divisors part at the first short batch `{k}`, by up to `{d}`.
    pub divisors_differ: String,
}

impl Naming {
    /// The linear model's: (w, b).
    pub fn linear(lang: Lang) -> Naming {
        Naming {
            start: S::CompareStart.get(lang).into(),
            rel_diff: S::RelDiff.get(lang).into(),
            same: S::SumMeanSame.get(lang).into(),
            divisors_differ: S::DivisorsDiffer.get(lang).into(),
        }
    }
}

/// The comparison screen of either model: a title, the table of the batches up to the one
/// shown, and what it shows in words.
pub fn draw<P: Entries>(scene: &Scene<'_, P>, area: Rect, buf: &mut Buffer) {
    let (theme, lang, runs) = (scene.theme, scene.lang, scene.runs);
    let (title, _) = split_rows(area, 1);
    heading(
        theme,
        scene.glyphs,
        &mut Canvas::new(buf, title),
        S::Compare.get(lang),
    );
    let mut canvas = Canvas::new(buf, area);
    let room = canvas.width();
    let last = scene
        .now
        .min(runs.objectives[0].losses.len().saturating_sub(1));
    let summary = summary(scene, last, room);
    let mut y = 1;
    for l in wrap(&scene.naming.start, room) {
        canvas.text(0, y, &l, theme.frame());
        y += 1;
    }
    let table_h = canvas.height().saturating_sub(y + summary.len() + 1);
    let header = [
        S::Batch.get(lang),
        S::Rows.get(lang),
        S::ObjSum.get(lang),
        S::ObjMean.get(lang),
        S::ObjSumNoDivShort.get(lang),
        S::SumVsMean.get(lang),
        S::RowsVsSize.get(lang),
    ];
    let widths = [6, 6, 10, 10, 10, 10, 10];
    let group = scene.glyphs.text("L = Σ½δ²");
    let mut x = widths[0] + widths[1];
    x += canvas.text(x, y, &format!("{:>10}", group), theme.frame());
    canvas.text(
        x + 20,
        y,
        &format!("{:>20}", scene.naming.rel_diff),
        theme.frame(),
    );
    y += 1;
    let mut x = 0;
    for (h, w) in header.iter().zip(widths) {
        let pad = w.saturating_sub(width(h));
        x += canvas.text(x, y, &format!("{}{h}", " ".repeat(pad)), theme.title());
    }
    y += 1;
    let body = table_h.saturating_sub(2);
    let first = (last + 1).saturating_sub(body);
    for g in first..=last {
        if body == 0 {
            break;
        }
        let r = runs.row(g);
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| crate::number::cell(v, 9, 3));
        let err = |v: Option<f64>| v.map_or("-".to_string(), gradcheck::error_text);
        let cells = [
            r.batch.to_string(),
            r.rows.to_string(),
            opt(r.losses[0]),
            opt(r.losses[1]),
            opt(r.losses[2]),
            err(r.sum_mean),
            err(r.divisors),
        ];
        let mut x = 0;
        for (i, (c, w)) in cells.iter().zip(widths).enumerate() {
            let style = if i == 1 && r.rows != runs.batch_size {
                theme.warning()
            } else {
                theme.plain()
            };
            let pad = w.saturating_sub(width(c));
            x += canvas.text(x, y, &" ".repeat(pad), theme.plain());
            x += canvas.text(x, y, c, style);
        }
        y += 1;
    }
    let top = canvas.height().saturating_sub(summary.len());
    for (i, (l, style)) in summary.iter().enumerate() {
        canvas.text(0, top + i, l, *style);
    }
}

/// What the comparison shows, in words, wrapped to the screen.
fn summary<P: Entries>(scene: &Scene<'_, P>, last: usize, room: usize) -> Vec<(String, Style)> {
    let (theme, lang, runs) = (scene.theme, scene.lang, scene.runs);
    let mut out = Vec::new();
    let mut say = |text: String, style: Style| {
        for l in wrap(&scene.glyphs.text(&text), room) {
            out.push((l, style));
        }
    };
    if let Some(k) = runs.cut.filter(|&k| scene.now >= k) {
        say(
            S::CompareCut.get(lang).replace("{k}", &k.to_string()),
            theme.warning(),
        );
    }
    say(
        scene
            .naming
            .same
            .replace("{d}", &gradcheck::error_text(runs.max_sum_mean(last))),
        theme.plain(),
    );
    match runs.objectives[2].diverged_at {
        Some(g) if g <= last => say(
            S::NoDivDiverged
                .get(lang)
                .replace("{n}", &(g + 1).to_string()),
            theme.warning(),
        ),
        _ => say(S::NoDivGrows.get(lang).to_string(), theme.plain()),
    }
    let (bs, n) = (runs.batch_size.to_string(), runs.n.to_string());
    match runs.first_short() {
        None => say(
            S::NoShortBatch
                .get(lang)
                .replace("{bs}", &bs)
                .replace("{n}", &n),
            theme.plain(),
        ),
        Some(k) => {
            say(
                S::ShortBatch
                    .get(lang)
                    .replace("{bs}", &bs)
                    .replace("{n}", &n)
                    .replace("{r}", &runs.last_rows().to_string()),
                theme.plain(),
            );
            say(
                scene
                    .naming
                    .divisors_differ
                    .replace("{k}", &(k + 1).to_string())
                    .replace("{d}", &gradcheck::error_text(runs.max_divisors(last))),
                theme.plain(),
            );
        }
    }
    out
}
