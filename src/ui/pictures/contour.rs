//! Two features: contour lines of the full-data mean loss over (w1, w2) with b at its current
//! value, the path of w so far, and two steps from the current w drawn as arrows: the one this
//! mini-batch takes and the one the full-batch gradient would take, so the class sees the first
//! is a noisy estimate of the second. Both arrows share one scale, stated in the legend, long
//! enough to see even at lr 0.03; the contour lines are dotted and the path solid, so the two
//! read apart without colour.

use super::plot::{Ink, Layer, Plot, padded, range};
use crate::engine::{Grid, Session, Surface};
use crate::lesson::Lang;
use crate::ui::strings::S;

/// Contour levels across the picture.
const LEVELS: f64 = 9.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Contour {
    pub x: (f64, f64),
    pub y: (f64, f64),
    /// b held fixed for the surface: the current batch's.
    pub b: f64,
    /// (w1, w2) before each batch, from the first up to the current one.
    pub path: Vec<(f64, f64)>,
    /// The current batch's w.
    pub now: (f64, f64),
    /// w_next: where this mini-batch's update takes w.
    pub batch_step: (f64, f64),
    /// w − lr·∇(mean loss over all the data).
    pub full_step: (f64, f64),
    pub truth: Option<(f64, f64)>,
    /// Both arrows are drawn this many times as long as the steps (1 when they are long already).
    pub scale: f64,
}

/// The longer arrow spans about this fraction of the picture.
const ARROW: f64 = 0.4;

/// The largest of 1, 2 and 5 times a power of ten that is at most `v` (and at least 1): a scale
/// a class can read.
fn nice_scale(v: f64) -> f64 {
    if !(v.is_finite() && v > 1.0) {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s <= v)
        .unwrap_or(p)
}

fn pair(v: &[f64]) -> (f64, f64) {
    (
        v.first().copied().unwrap_or(0.0),
        v.get(1).copied().unwrap_or(0.0),
    )
}

impl Contour {
    /// `path` holds the parameters before each batch reached (see `Pictures::path`);
    /// `full_step` is the full-batch step `update` computed (see `Pictures::full_step`).
    pub fn new(
        session: &Session,
        path: &[(usize, crate::engine::Params)],
        full_step: (f64, f64),
    ) -> Contour {
        let batch = session.batch();
        let now = pair(batch.w.as_slice());
        let batch_step = pair(batch.w_next.as_slice());
        let path: Vec<(f64, f64)> = path
            .iter()
            .filter(|(g, _)| *g <= batch.global)
            .map(|(_, p)| pair(p.w.as_slice()))
            .collect();
        let truth = session.data().true_w.as_deref().map(pair);
        let bounds = |points: &[(f64, f64)]| {
            let (x0, x1) = range(points.iter().map(|p| p.0)).unwrap_or((-1.0, 1.0));
            let (y0, y1) = range(points.iter().map(|p| p.1)).unwrap_or((-1.0, 1.0));
            (padded(x0, x1, 0.15), padded(y0, y1, 0.15))
        };
        let mut fixed: Vec<(f64, f64)> = path.clone();
        fixed.push(now);
        fixed.extend(truth);
        let (x, y) = bounds(&fixed);
        // One scale for both arrows, from the longer one in the picture's proportions.
        let along = |to: (f64, f64)| {
            let dx = (to.0 - now.0) / (x.1 - x.0);
            let dy = (to.1 - now.1) / (y.1 - y.0);
            (dx * dx + dy * dy).sqrt()
        };
        let longest = along(batch_step).max(along(full_step));
        let scale = nice_scale(ARROW / longest);
        let mut contour = Contour {
            x,
            y,
            b: batch.b,
            path,
            now,
            batch_step,
            full_step,
            truth,
            scale,
        };
        // Bounds hold everything drawn, so stepping never moves a mark off the picture.
        fixed.extend([
            batch_step,
            full_step,
            contour.tip(batch_step),
            contour.tip(full_step),
        ]);
        (contour.x, contour.y) = bounds(&fixed);
        contour
    }

    /// Where an arrow for the step to `to` ends, at the picture's scale.
    pub fn tip(&self, to: (f64, f64)) -> (f64, f64) {
        (
            self.now.0 + self.scale * (to.0 - self.now.0),
            self.now.1 + self.scale * (to.1 - self.now.1),
        )
    }

    /// An arrow from the current w to `to` (already scaled): the shaft, and a head of two
    /// strokes at ±25°, as long as a few dots of a picture `dots` across and down.
    fn arrow(&self, to: (f64, f64), dots: (usize, usize), ink: Ink) -> [Layer; 2] {
        let (sx, sy) = (
            (self.x.1 - self.x.0) / dots.0.max(1) as f64,
            (self.y.1 - self.y.0) / dots.1.max(1) as f64,
        );
        // In dots, where a turn by an angle looks like one.
        let (dx, dy) = ((to.0 - self.now.0) / sx, (to.1 - self.now.1) / sy);
        let len = (dx * dx + dy * dy).sqrt();
        let shaft = Layer::Polyline(vec![self.now, to], ink);
        if !(len.is_finite() && len > 0.0) {
            return [shaft, Layer::Polyline(Vec::new(), ink)];
        }
        let head = (len * 0.35).clamp(2.0, 6.0);
        let (ux, uy) = (dx / len, dy / len);
        let stroke = |angle: f64| {
            let (c, s) = (angle.cos(), angle.sin());
            let (bx, by) = (-(ux * c - uy * s), -(ux * s + uy * c));
            (to.0 + bx * head * sx, to.1 + by * head * sy)
        };
        let turn = 25f64.to_radians();
        [
            shaft,
            Layer::Polyline(vec![stroke(turn), to, stroke(-turn)], ink),
        ]
    }

    /// The braille dots on a contour line, in the picture's coordinates, for a picture of
    /// `cols`×`rows` dots: a dot is on a line where its level differs from its right or lower
    /// neighbour's. Levels are even in √(L − min), so the ellipses are evenly spaced.
    pub fn lines(&self, surface: &Surface, cols: usize, rows: usize) -> Vec<(f64, f64)> {
        let (cols, rows) = (cols.max(2), rows.max(2));
        let grid = Grid {
            axes: (0, 1),
            lo: (self.x.0, self.y.0),
            hi: (self.x.1, self.y.1),
            cols,
            rows,
        };
        let values = surface.grid(&[self.now.0, self.now.1], self.b, &grid);
        let Some((lo, hi)) = range(values.iter().flatten().copied()) else {
            return Vec::new();
        };
        let span = (hi - lo).max(f64::MIN_POSITIVE);
        let level = |v: f64| (((v - lo) / span).max(0.0).sqrt() * LEVELS).floor() as i64;
        let levels: Vec<Vec<i64>> = values
            .iter()
            .map(|row| row.iter().map(|v| level(*v)).collect())
            .collect();
        let mut dots = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                let here = levels[r][c];
                let right = levels[r].get(c + 1).copied().unwrap_or(here);
                let below = levels.get(r + 1).map_or(here, |row| row[c]);
                // Every other dot: dotted lines, which a solid path crosses visibly.
                if (here != right || here != below) && (r + c) % 2 == 0 {
                    dots.push((grid.x_at(c), grid.y_at(r)));
                }
            }
        }
        dots
    }

    /// `dots` is the picture's size in braille dots, for the contour lines.
    pub fn plot(&self, surface: &Surface, dots: (usize, usize), lang: Lang) -> Plot {
        let (full, batch) = (self.tip(self.full_step), self.tip(self.batch_step));
        let mut layers = vec![
            Layer::Points(self.lines(surface, dots.0, dots.1), Ink::Quiet),
            Layer::Polyline(self.path.clone(), Ink::Path),
        ];
        layers.extend(self.arrow(full, dots, Ink::FullStep));
        layers.extend(self.arrow(batch, dots, Ink::BatchStep));
        if let Some(t) = self.truth {
            layers.push(Layer::Label(t, "*".into(), Ink::Truth));
        }
        layers.push(Layer::Label(full, "F".into(), Ink::FullStep));
        layers.push(Layer::Label(batch, "B".into(), Ink::BatchStep));
        layers.push(Layer::Label(self.now, "o".into(), Ink::Now));
        let mut legend = vec![
            (format!("o {}", S::Now.get(lang)), Ink::Now),
            (format!("B {}", S::BatchStep.get(lang)), Ink::BatchStep),
            (format!("F {}", S::FullStep.get(lang)), Ink::FullStep),
        ];
        if self.truth.is_some() {
            legend.push((format!("* {}", S::TrueW.get(lang)), Ink::Truth));
        }
        legend.push((format!("⠒⠒ {}", S::PathOfW.get(lang)), Ink::Path));
        if self.scale != 1.0 {
            let times = S::ArrowsTimes
                .get(lang)
                .replace("{k}", &format!("{}", self.scale));
            legend.push((times, Ink::Quiet));
        }
        Plot {
            title: S::Surface.get(lang).into(),
            legend,
            x: self.x,
            y: self.y,
            x_name: "w1".into(),
            y_log: false,
            layers,
            header: 1,
        }
    }
}
