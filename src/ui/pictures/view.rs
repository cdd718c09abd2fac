//! The pictures screen (loss chart beside the picture of the parameters, the gradient check and
//! the settings below) and the comparison screen; both read the model only.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::super::app::App;
use super::super::canvas::{Canvas, width, wrap};
use super::super::strings::S;
use super::compare_view::{self, Naming, Scene};
use super::contour::Contour;
use super::fit::Fit;
use super::loss_chart::LossChart;
use super::plot::{self, Plot};
use super::traces::Traces;
use super::{View, gradcheck, heading, split_rows};

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    // The stop's note and the divergence warnings first, as the lesson view has them.
    let banner = super::super::banner::lines(app, usize::from(area.width));
    let shown = banner.len().min(usize::from(area.height / 4)) as u16;
    let (top, area) = split_rows(area, shown);
    let mut canvas = Canvas::new(buf, top);
    for (y, (line, style)) in banner.iter().take(usize::from(shown)).enumerate() {
        canvas.text(0, y, line, *style);
    }
    match app.view {
        View::Compare => {
            if let Some(runs) = app.pictures.compare() {
                let scene = Scene {
                    theme: app.theme,
                    glyphs: app.glyphs,
                    lang: app.lang,
                    runs,
                    now: app.session.batch().global,
                    naming: Naming::linear(app.lang),
                };
                compare_view::draw(&scene, area, buf);
            }
        }
        _ => pictures(app, area, buf),
    }
}

fn pictures(app: &App, area: Rect, buf: &mut Buffer) {
    let room = usize::from(area.width);
    let warning = warning_lines(app, room);
    let table = check_lines(app);
    let table_w = table
        .iter()
        .map(|l| l.iter().map(|(t, _)| width(t)).sum::<usize>())
        .max()
        .unwrap_or(0)
        + 2;
    let settings = wrap(&settings_text(app), room.saturating_sub(table_w).max(10));
    let info_h = (warning.len() + table.len().max(settings.len())) as u16;
    let info_h = info_h.min(area.height / 3);
    let (plots, bottom) = split_rows(area, area.height - info_h);
    let (title, plots) = split_rows(plots, 1);
    heading(
        app.theme,
        app.glyphs,
        &mut Canvas::new(buf, title),
        S::Pictures.get(app.lang),
    );
    let left_w = plots.width * 9 / 20;
    let left = Rect {
        width: left_w,
        ..plots
    };
    let right = Rect {
        x: plots.x + left_w + 1,
        width: plots.width.saturating_sub(left_w + 1),
        ..plots
    };
    let mut chart = LossChart::new(&app.session).plot(app.lang);
    let mut picture = parameter_plot(app, right);
    // Side by side, both pictures start on the same row.
    let header = picture.as_ref().map_or(1, |p| {
        plot::header_rows(p, usize::from(right.width))
            .max(plot::header_rows(&chart, usize::from(left.width)))
    });
    chart.header = header;
    plot::draw(&chart, app.theme, app.glyphs, left, buf);
    if let Some(p) = picture.as_mut() {
        p.header = header;
        plot::draw(p, app.theme, app.glyphs, right, buf);
    }
    let mut canvas = Canvas::new(buf, bottom);
    for (y, (line, style)) in warning.iter().enumerate() {
        canvas.text(0, y, line, *style);
    }
    let top = warning.len();
    for (y, line) in table.iter().enumerate() {
        let mut x = 0;
        for (text, style) in line {
            x += canvas.text(x, top + y, text, *style);
        }
    }
    for (y, line) in settings.iter().enumerate() {
        let style = if y == 0 {
            app.theme.title()
        } else {
            app.theme.plain()
        };
        canvas.text(table_w, top + y, line, style);
    }
}

/// The picture that suits the number of features: fitted line, loss surface or traces.
fn parameter_plot(app: &App, area: Rect) -> Option<Plot> {
    let s = &app.session;
    let path = app.pictures.path();
    match s.data().d() {
        1 => {
            let name = crate::ui::names::feature(s.data(), 0, &app.glyphs);
            Some(Fit::new(s).plot(app.lang, &name))
        }
        2 => {
            let surface = app.pictures.surface()?;
            let contour = Contour::new(s, path, app.pictures.full_step()?);
            // The contour lines are as fine as the braille dots of the area they land in.
            let bare = contour.plot(surface, (2, 2), app.lang);
            Some(contour.plot(surface, plot::dots(&bare, area), app.lang))
        }
        _ => {
            let traces = Traces::new(s, path);
            // Labels are kept a text row apart, so they need the picture's height.
            let bare = traces.plot(app.lang, 1);
            let rows = plot::dots(&bare, area).1 / 4;
            Some(traces.plot(app.lang, rows))
        }
    }
}

type Spans = Vec<(String, Style)>;

/// At the batch where the run overflowed and after it: what happened and what to do.
fn warning_lines(app: &App, room: usize) -> Vec<(String, Style)> {
    let s = &app.session;
    if s.diverged_at().is_none_or(|g| g > s.batch().global) {
        return Vec::new();
    }
    let warning = format!(
        "{} {}",
        S::Diverged.get(app.lang),
        S::DivergedTry.get(app.lang)
    );
    wrap(&app.glyphs.text(&warning), room)
        .into_iter()
        .map(|l| (l, app.theme.warning()))
        .collect()
}

/// The gradient check of this batch as a small table: ∂L/∂w and ∂L/∂b, analytic against
/// central differences, and their relative error; two rows and the worst of the rest when
/// there are more than three.
fn check_lines(app: &App) -> Vec<Spans> {
    let rows = app.grad_check().map(gradcheck::rows).unwrap_or_default();
    let most = if rows.len() > 3 { 2 } else { rows.len() };
    gradcheck::table(&rows, most, app.theme, &app.glyphs, app.lang)
}

/// The settings of every segment of the run, then a change waiting for the next batch.
fn settings_text(app: &App) -> String {
    let (lang, s) = (app.lang, &app.session);
    let now = s.batch().global;
    let segments = s.segments();
    let parts: Vec<String> = segments
        .iter()
        .map(|seg| {
            let when = if seg.start == now + 1 {
                S::NextBatchOn.get(lang).to_string()
            } else {
                S::FromBatch
                    .get(lang)
                    .replace("{n}", &(seg.start + 1).to_string())
            };
            format!(
                "{when}: {} {}, {} {}",
                S::Lr.get(lang),
                seg.lr,
                S::BatchSize.get(lang),
                seg.batch_size
            )
        })
        .collect();
    let mut text = format!("{}\n{}", S::Settings.get(lang), parts.join("\n"));
    if segments.len() == 1 {
        text.push('\n');
        text.push_str(S::NoChange.get(lang));
    }
    text
}
