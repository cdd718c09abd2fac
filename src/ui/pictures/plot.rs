//! One way to draw every picture: a title, y labels on the left, x labels below, and the
//! picture's layers in braille, which is one column wide in every terminal.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::Span;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{self, Canvas as Braille};

use super::super::canvas::{Canvas, width};
use super::super::glyphs::Glyphs;
use super::super::theme::Theme;
use crate::math::Role;

/// What a layer stands for, which decides its colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    Quiet,
    Loss,
    Epoch,
    Data,
    Batch,
    Fit,
    Truth,
    Path,
    Now,
    BatchStep,
    FullStep,
    /// The j-th parameter of a trace.
    Param(usize),
}

impl Ink {
    /// The active theme's colours: each ink is the colour of the symbol it stands for (the loss
    /// is L's colour, the path is w's), so the colour-blind theme holds for the pictures too.
    pub fn color(self, theme: Theme) -> Color {
        if !theme.has_color() {
            return Color::Reset;
        }
        const PARAMS: [Role; 6] = [Role::W, Role::X, Role::B, Role::YHat, Role::Y, Role::GradB];
        let role = match self {
            Ink::Quiet => return theme.frame().fg.unwrap_or(Color::Reset),
            Ink::Epoch | Ink::Now => return theme.title().fg.unwrap_or(Color::Reset),
            Ink::Loss => Role::Loss,
            Ink::Data => Role::X,
            Ink::Batch => Role::XRow,
            Ink::Fit => Role::YHat,
            Ink::Truth => Role::Y,
            Ink::Path => Role::W,
            Ink::BatchStep => Role::Delta,
            Ink::FullStep => Role::GradW,
            Ink::Param(j) => PARAMS[j % PARAMS.len()],
        };
        theme.role(Some(role)).fg.unwrap_or(Color::Reset)
    }

    pub fn style(self, theme: Theme) -> Style {
        let c = self.color(theme);
        let s = Style::new().add_modifier(Modifier::BOLD);
        if theme.has_color() { s.fg(c) } else { s }
    }
}

/// Something drawn in the picture's own coordinates.
#[derive(Clone, Debug, PartialEq)]
pub enum Layer {
    Points(Vec<(f64, f64)>, Ink),
    /// Consecutive points joined by lines.
    Polyline(Vec<(f64, f64)>, Ink),
    /// Text whose left end sits at a point.
    Label((f64, f64), String, Ink),
}

/// A picture ready to draw: its bounds, labels and layers.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    pub title: String,
    /// Short keys to the layers, drawn after the title: (text, ink).
    pub legend: Vec<(String, Ink)>,
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub x_name: String,
    /// The y axis shows log10 of the values: its labels are powers of ten.
    pub y_log: bool,
    pub layers: Vec<Layer>,
    /// At least this many rows above the picture, so pictures side by side line up.
    pub header: u16,
}

/// `lo..hi` widened by `pad` of its span on each side; a single value gets a span of its own.
pub fn padded(lo: f64, hi: f64, pad: f64) -> (f64, f64) {
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    let span = hi - lo;
    if span <= f64::EPSILON * lo.abs().max(hi.abs()).max(1.0) {
        let half = (lo.abs() * 0.1).max(0.5);
        return (lo - half, hi + half);
    }
    (lo - span * pad, hi + span * pad)
}

/// The smallest and largest finite values, if any.
pub fn range(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// An axis label: at most 7 columns whatever the value, like the matrix cells.
pub fn tick(v: f64, log: bool) -> String {
    if log {
        return format!("1e{}", v.round() as i64);
    }
    if v.fract() == 0.0 && v.abs() < 1e6 {
        return crate::number::exact(v);
    }
    crate::number::fitted(v, 7, 3)
}

/// Top, middle and bottom labels; on a log scale the middle one only when it is a power of ten.
fn y_labels(plot: &Plot) -> [String; 3] {
    let mid = (plot.y.0 + plot.y.1) / 2.0;
    let mid = if plot.y_log && mid.fract() != 0.0 {
        String::new()
    } else {
        tick(mid, plot.y_log)
    };
    [tick(plot.y.1, plot.y_log), mid, tick(plot.y.0, plot.y_log)]
}

/// Where the braille picture goes inside `area`: below the title, right of the y labels,
/// above the x labels.
pub fn inner(plot: &Plot, area: Rect) -> Rect {
    let gutter = y_labels(plot).iter().map(|l| width(l)).max().unwrap_or(0) as u16 + 1;
    let top = plot.header.max(header_rows(plot, usize::from(area.width)));
    Rect {
        x: area.x.saturating_add(gutter),
        y: area.y.saturating_add(top),
        width: area.width.saturating_sub(gutter),
        height: area.height.saturating_sub(top + 1),
    }
}

/// Where each legend entry goes: (column, row) after the title, wrapping to rows of their own.
fn legend_places(plot: &Plot, room: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut x, mut y) = (width(&plot.title), 0);
    for (text, _) in &plot.legend {
        let w = width(text);
        if x > 0 && x + 2 + w > room {
            (x, y) = (0, y + 1);
        }
        let at = if x == 0 { 0 } else { x + 2 };
        out.push((at, y));
        x = at + w;
    }
    out
}

/// Rows above the picture: the title's, and as many more as the legend needs, so that it is
/// always whole (`* true` included at 80 columns).
pub fn header_rows(plot: &Plot, room: usize) -> u16 {
    let rows = legend_places(plot, room).last().map_or(0, |p| p.1) + 1;
    rows as u16
}

/// Braille dots across and down a picture drawn in `area`.
pub fn dots(plot: &Plot, area: Rect) -> (usize, usize) {
    let r = inner(plot, area);
    (usize::from(r.width) * 2, usize::from(r.height) * 4)
}

/// Too small to say anything: nothing is drawn.
const MIN_AREA: (u16, u16) = (12, 4);

pub fn draw(plot: &Plot, theme: Theme, glyphs: Glyphs, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.width < MIN_AREA.0 || area.height < MIN_AREA.1 {
        return;
    }
    let labels = y_labels(plot);
    let inner = inner(plot, area);
    let gutter = usize::from(inner.x - area.x);
    let mut c = Canvas::new(buf, area);
    let top = usize::from(inner.y - area.y);
    let x = c.text(0, 0, &plot.title, theme.title());
    let _ = x;
    for ((text, ink), (lx, ly)) in plot.legend.iter().zip(legend_places(plot, c.width())) {
        c.text(lx, ly, &glyphs.text(text), ink.style(theme));
    }
    let h = usize::from(inner.height);
    let axis = if glyphs.ambiguous_wide { "|" } else { "│" };
    for row in top..top + h {
        c.text(gutter - 1, row, axis, theme.frame());
    }
    for (i, label) in labels.iter().enumerate() {
        let row = top + (h.saturating_sub(1) * i) / 2;
        c.text(gutter - 1 - width(label), row, label, theme.frame());
    }
    let bottom = top + h;
    let (lo, hi) = (tick(plot.x.0, false), tick(plot.x.1, false));
    c.text(gutter, bottom, &lo, theme.frame());
    let right = c.width().saturating_sub(width(&hi));
    c.text(right, bottom, &hi, theme.frame());
    let mid = (gutter + width(&lo) + right) / 2;
    let name_x = mid.saturating_sub(width(&plot.x_name) / 2);
    if name_x > gutter + width(&lo) && name_x + width(&plot.x_name) < right {
        c.text(name_x, bottom, &plot.x_name, theme.frame());
    }

    Braille::default()
        .marker(Marker::Braille)
        .x_bounds([plot.x.0, plot.x.1])
        .y_bounds([plot.y.0, plot.y.1])
        .paint(|ctx| paint(ctx, plot, theme))
        .render(inner, buf);
}

fn paint(ctx: &mut canvas::Context<'_>, plot: &Plot, theme: Theme) {
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for layer in &plot.layers {
        match layer {
            Layer::Points(points, ink) => {
                let coords: Vec<(f64, f64)> = points.iter().copied().filter(finite).collect();
                ctx.draw(&canvas::Points {
                    coords: &coords,
                    color: ink.color(theme),
                });
            }
            Layer::Polyline(points, ink) => {
                for pair in points.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    if finite(&a) && finite(&b) {
                        ctx.draw(&canvas::Line::new(a.0, a.1, b.0, b.1, ink.color(theme)));
                    }
                }
                if let [only] = points.as_slice()
                    && finite(only)
                {
                    ctx.draw(&canvas::Points {
                        coords: &[*only],
                        color: ink.color(theme),
                    });
                }
            }
            Layer::Label(at, text, ink) => {
                if finite(at) {
                    ctx.layer();
                    ctx.print(at.0, at.1, Span::styled(text.clone(), ink.style(theme)));
                }
            }
        }
    }
}
