//! Presenter mode: for a projector with a large font, only the current formula, its numbers and
//! the matrices the step reads or writes, with room around them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::engine::tape::Recorded;
use crate::math::{self, Options, Role};
use crate::ui::app::App;
use crate::ui::canvas::Canvas;
use crate::ui::matrices::Matrices;
use crate::ui::status;

const STATUS: u16 = 2;
/// Left margin of everything but the status line.
const MARGIN: u16 = 2;
/// The fewest rows the matrices get when the formulas are tall.
const MIN_MATRICES: usize = 4;

/// The formula part, as lines with their indents.
struct Top {
    /// Indent, lines, and the row that gets the pointer.
    items: Vec<(u16, Vec<Line<'static>>, Option<usize>)>,
}

impl Top {
    fn new(app: &App, room: usize, full: bool) -> Top {
        let theme = app.theme;
        let opts = Options {
            ambiguous_wide: app.glyphs.ambiguous_wide,
        };
        let lay = |f: &math::Formula, indent: usize| {
            if full {
                math::fit(f, room.saturating_sub(indent), opts)
            } else {
                math::layout_inline(f, opts)
            }
        };
        let step = app.session.step();
        let mut items = Vec::new();
        let title = super::super::narrative::title(app);
        items.push((0, vec![Line::styled(title, theme.title())], None));
        let main = app
            .lesson
            .step(step)
            .derivation
            .first()
            .and_then(|&i| app.lesson.derivation().get(i));
        if let Some(d) = main {
            let recorded = Recorded::of(app.session.batch().hyper.objective);
            let block = lay(d.formula_for(recorded), 2);
            let lines = math::tui::lines(&block, |r: Option<Role>| theme.current(r));
            items.push((2, lines, Some(block.baseline)));
        }
        let numbers: Vec<Line<'static>> = app
            .shown
            .typeset()
            .iter()
            .flat_map(|t| t.blocks(room.saturating_sub(4), full, opts))
            .flat_map(|b| math::tui::lines(&b, |r: Option<Role>| theme.role(r)))
            .collect();
        if !numbers.is_empty() {
            items.push((4, numbers, None));
        }
        Top { items }
    }

    fn height(&self, gaps: bool) -> usize {
        let lines: usize = self.items.iter().map(|(_, l, _)| l.len()).sum();
        lines + if gaps { self.items.len() + 1 } else { 0 }
    }
}

struct Layout<'a> {
    matrices: Matrices<'a>,
    top: Option<Top>,
    gaps: bool,
    top_rect: Rect,
    matrix_rect: Rect,
    status_rect: Rect,
}

fn layout(app: &App, area: Rect) -> Option<Layout<'_>> {
    let inner_w = usize::from(area.width.saturating_sub(2 * MARGIN));
    let look = app.look();
    let matrices = Matrices::with_look(
        app.progress(),
        app.lang,
        app.theme,
        app.glyphs,
        inner_w,
        look,
    );
    let avail = usize::from(area.height.checked_sub(STATUS)?);
    let mats = matrices.natural_height();
    let (top, gaps, top_h) = if app.inspected().is_some() {
        (None, true, avail.saturating_sub(mats.min(avail / 2)))
    } else {
        // Two-dimensional formulas with room around them if they fit, else one line each.
        let room = avail.saturating_sub(mats.min(MIN_MATRICES.max(avail / 3)));
        let full = Top::new(app, inner_w, true);
        let top = if full.height(false) <= room {
            full
        } else {
            Top::new(app, inner_w, false)
        };
        let gaps = top.height(true) + mats <= avail;
        let h = top
            .height(gaps)
            .min(avail.saturating_sub(MIN_MATRICES.min(mats)));
        (Some(top), gaps, h)
    };
    let rect = |y: usize, h: usize, margin: u16| {
        Rect::new(
            area.x + margin,
            area.y + y as u16,
            area.width.saturating_sub(2 * margin),
            h as u16,
        )
    };
    let mats_h = (avail - top_h).min(if top.is_some() { mats } else { avail });
    // What is left over goes above, so the picture sits in the middle of the projection.
    let above = (avail - top_h - mats_h) / 2;
    Some(Layout {
        matrices,
        top,
        gaps,
        top_rect: rect(above, top_h, MARGIN),
        matrix_rect: rect(above + top_h, mats_h, MARGIN),
        status_rect: rect(avail, usize::from(STATUS), 0),
    })
}

/// The matrix panel and its place, as `render` draws it.
pub fn matrix_panel(app: &App, area: Rect) -> Option<(Matrices<'_>, Rect)> {
    let l = layout(app, area)?;
    Some((l.matrices, l.matrix_rect))
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(l) = layout(app, area) else {
        return;
    };
    let theme = app.theme;
    let mut canvas = Canvas::new(buf, l.top_rect);
    if let Some(e) = app.explanation() {
        super::panel::render(app.inspect_look(), e, &mut canvas, true);
    } else if let Some(top) = &l.top {
        let mut y = usize::from(l.gaps);
        for (indent, lines, pointer) in &top.items {
            if let Some(row) = pointer {
                canvas.text(0, y + row, app.glyphs.pointer, theme.current(None));
            }
            for line in lines {
                canvas.line(usize::from(*indent), y, line);
                y += 1;
            }
            y += usize::from(l.gaps);
        }
    }
    l.matrices.render(&mut Canvas::new(buf, l.matrix_rect));
    status::render(
        app,
        &app.progress(),
        &mut Canvas::new(buf, l.status_rect),
        false,
    );
}
