//! Two features: contour lines of the full-data mean loss over (w1, w2) with b at its current
//! value, the path of w so far, and two steps from the current w: the one this mini-batch takes
//! and the one the full-batch gradient would take, so the class sees the first is a noisy
//! estimate of the second.

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
}

fn pair(v: &[f64]) -> (f64, f64) {
    (
        v.first().copied().unwrap_or(0.0),
        v.get(1).copied().unwrap_or(0.0),
    )
}

impl Contour {
    /// `path` holds the parameters before each batch reached (see `Pictures::path`).
    pub fn new(session: &Session, surface: &Surface, path: &[crate::engine::Params]) -> Contour {
        let batch = session.batch();
        let w: Vec<f64> = batch.w.iter().copied().collect();
        let now = pair(&w);
        let batch_step = pair(batch.w_next.as_slice());
        let (grad, _) = surface.gradient(&w, batch.b);
        let full_step = (
            now.0 - batch.hyper.lr * grad[0],
            now.1 - batch.hyper.lr * grad[1],
        );
        let upto = path.len().min(batch.global + 1);
        let path: Vec<(f64, f64)> = path[..upto].iter().map(|p| pair(p.w.as_slice())).collect();
        let truth = session.data().true_w.as_deref().map(pair);
        // Bounds hold everything drawn, so stepping never moves a mark off the picture.
        let xs = path
            .iter()
            .chain([&now, &batch_step, &full_step])
            .chain(truth.iter());
        let (x0, x1) = range(xs.clone().map(|p| p.0)).unwrap_or((-1.0, 1.0));
        let (y0, y1) = range(xs.map(|p| p.1)).unwrap_or((-1.0, 1.0));
        Contour {
            x: padded(x0, x1, 0.15),
            y: padded(y0, y1, 0.15),
            b: batch.b,
            path,
            now,
            batch_step,
            full_step,
            truth,
        }
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
                if here != right || here != below {
                    dots.push((grid.x_at(c), grid.y_at(r)));
                }
            }
        }
        dots
    }

    /// `dots` is the picture's size in braille dots, for the contour lines.
    pub fn plot(&self, surface: &Surface, dots: (usize, usize), lang: Lang) -> Plot {
        let mut layers = vec![
            Layer::Points(self.lines(surface, dots.0, dots.1), Ink::Quiet),
            Layer::Polyline(self.path.clone(), Ink::Path),
            Layer::Polyline(vec![self.now, self.full_step], Ink::FullStep),
            Layer::Polyline(vec![self.now, self.batch_step], Ink::BatchStep),
        ];
        if let Some(t) = self.truth {
            layers.push(Layer::Label(t, "*".into(), Ink::Truth));
        }
        layers.push(Layer::Label(self.full_step, "F".into(), Ink::FullStep));
        layers.push(Layer::Label(self.batch_step, "B".into(), Ink::BatchStep));
        layers.push(Layer::Label(self.now, "o".into(), Ink::Now));
        let mut legend = vec![
            (format!("o {}", S::Now.get(lang)), Ink::Now),
            (format!("B {}", S::BatchStep.get(lang)), Ink::BatchStep),
            (format!("F {}", S::FullStep.get(lang)), Ink::FullStep),
        ];
        if self.truth.is_some() {
            legend.push((format!("* {}", S::TrueLine.get(lang)), Ink::Truth));
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
