//! The two-layer pictures (`v`): the loss of every batch so far and the gradient check of
//! every parameter, beside the fit picture when the data has one feature. The engine computes
//! every number (`update` keeps them); these functions only place and format them.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::widgets::Widget;
use ratatui::widgets::canvas::{Canvas as Plot, Line as CanvasLine, Points};

use super::TwoLayerApp;
use super::words::words;
use crate::engine::mlp_session::Curve;
use crate::math::Role;
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::glyphs::Glyphs;
use crate::ui::pictures::gradcheck;
use crate::ui::pictures::loss_chart::LossChart;
use crate::ui::pictures::plot;
use crate::ui::strings::S;
use crate::ui::theme::Theme;

/// Rows of the check's table kept at most: its heading, then one row per parameter.
const CHECK_ROWS: usize = 5;

impl TwoLayerApp {
    /// The pictures screen: a title, the loss chart (and the fit at its right with one
    /// feature), then the gradient check, what the pictures show, and the keys.
    pub(super) fn pictures(&self, area: Rect, buf: &mut Buffer) {
        let (w, lang, theme) = (words(), self.lang, self.theme);
        let glyphs = Glyphs::new(self.ambiguous_wide);
        let cols = usize::from(area.width);
        let one_feature = self.picture.is_some();
        let (title, legend) = if one_feature {
            (w.picture("title", lang), w.picture("legend", lang))
        } else {
            (
                S::Pictures.get(lang).to_string(),
                w.picture("legend_many", lang),
            )
        };
        let legend = wrap(&glyphs.text(&legend), cols);
        let check_note = wrap(&glyphs.text(&w.picture("check", lang)), cols);
        let hints = wrap(&self.hints(cols.saturating_sub(self.badge_room())), cols);
        let hidden = self.session.update().before.hidden();
        let rows = self
            .check
            .as_ref()
            .map(|(_, c)| gradcheck::two_layer_rows(c, hidden))
            .unwrap_or_default();
        let table = gradcheck::table(&rows, CHECK_ROWS - 1, theme, &glyphs, lang);
        let height = usize::from(area.height);
        // The plots keep at least a third of the screen; the words below give way first.
        let room = height.saturating_sub(2 + height / 3);
        let mut below: Vec<Vec<(String, ratatui::style::Style)>> = table;
        // A notice (a long move's progress, a live change, the run's end) and the stop's note
        // right under the numbers, kept before the explanations below them.
        if let Some(n) = &self.notice {
            for line in wrap(n, cols) {
                below.push(vec![(line, theme.warning())]);
            }
        }
        for line in self.stop_line().map_or_else(Vec::new, |l| wrap(&l, cols)) {
            below.push(vec![(line, theme.badge())]);
        }
        for line in check_note.iter().chain(&legend) {
            below.push(vec![(line.clone(), theme.plain())]);
        }
        below.truncate(room.saturating_sub(hints.len().min(1)));
        let keys = hints.len().min(1);
        let under = below.len() + keys;
        {
            let mut c = Canvas::new(buf, area);
            c.text(0, 1, &glyphs.text(&title), theme.key());
            let top = height - under;
            for (k, line) in below.iter().enumerate() {
                let mut x = 0;
                for (text, style) in line {
                    x += c.text(x, top + k, text, *style);
                }
            }
            for (k, line) in hints.iter().take(keys).enumerate() {
                c.text(0, height - keys + k, line, theme.frame());
            }
            self.draw_badge(&mut c, height - 1);
        }
        let plots = Rect {
            y: area.y + 2,
            height: area.height.saturating_sub(2 + under as u16),
            ..area
        };
        let left_w = if one_feature {
            plots.width * 9 / 20
        } else {
            plots.width
        };
        let left = Rect {
            width: left_w,
            ..plots
        };
        let chart = LossChart::of(
            self.session.batch_losses(),
            self.session.epoch_losses(),
            self.session.segments(),
            self.session.global(),
        );
        plot::draw(&chart.plot(lang), theme, glyphs, left, buf);
        if let Some(curve) = &self.picture {
            let right = Rect {
                x: plots.x + left_w + 1,
                width: plots.width.saturating_sub(left_w + 1),
                ..plots
            };
            self.fit(curve, right, buf, &theme);
            // A rule between the two plots: neither has a frame, and the fit has no axes to
            // tell where the loss chart ends.
            let x = plots.x + left_w;
            for y in plots.y..plots.y + plots.height {
                if let Some(cell) = buf.cell_mut((x, y)) {
                    cell.set_symbol("│").set_style(theme.frame());
                }
            }
        }
    }

    /// The fit picture: the data, the network's curve, and each unit's term in its colour.
    fn fit(&self, curve: &Curve, plot: Rect, buf: &mut Buffer, theme: &Theme) {
        let data = self.session.data();
        let points: Vec<(f64, f64)> = (0..data.n())
            .map(|r| (data.row(r)[0], data.y()[r]))
            .collect();
        let all = curve
            .y_hat
            .iter()
            .chain(curve.units.iter().flatten())
            .chain(points.iter().map(|p| &p.1))
            .copied()
            .filter(|v| v.is_finite());
        let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        if !(lo.is_finite() && hi.is_finite()) {
            return;
        }
        let pad = ((hi - lo) * 0.05).max(0.1);
        let (x0, x1) = (curve.xs[0], curve.xs[curve.xs.len() - 1]);
        let color = |role: Role| theme.role(Some(role)).fg.unwrap_or(Color::Reset);
        // Each unit in a role colour of its own; the curve in ŷ's, the data in y's.
        const UNITS: [Role; 6] = [
            Role::W,
            Role::B,
            Role::Delta,
            Role::GradW,
            Role::GradB,
            Role::Lr,
        ];
        let segments = |ys: &[f64], c: Color| -> Vec<CanvasLine> {
            curve
                .xs
                .windows(2)
                .zip(ys.windows(2))
                .filter(|(_, y)| y[0].is_finite() && y[1].is_finite())
                .map(|(x, y)| CanvasLine::new(x[0], y[0], x[1], y[1], c))
                .collect()
        };
        let unit_lines: Vec<Vec<CanvasLine>> = curve
            .units
            .iter()
            .enumerate()
            .map(|(j, u)| segments(u, color(UNITS[j % UNITS.len()])))
            .collect();
        let fit = segments(&curve.y_hat, color(Role::YHat));
        Plot::default()
            .marker(Marker::Braille)
            .x_bounds([x0, x1])
            .y_bounds([lo - pad, hi + pad])
            .paint(|ctx| {
                for line in unit_lines.iter().flatten() {
                    ctx.draw(line);
                }
                ctx.layer();
                for line in &fit {
                    ctx.draw(line);
                }
                ctx.layer();
                ctx.draw(&Points {
                    coords: &points,
                    color: color(Role::Y),
                });
            })
            .render(plot, buf);
    }
}
