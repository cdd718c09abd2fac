//! One feature: the data as a scatter plot, this batch's rows, the line the model fits now and
//! the true line when the data was generated from one.

use super::plot::{Ink, Layer, Plot, padded, range};
use crate::engine::Session;
use crate::lesson::Lang;
use crate::ui::strings::S;

/// More points than a braille picture has dots only cost time: every k-th row is drawn.
const MAX_POINTS: usize = 2000;

#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    pub x: (f64, f64),
    pub y: (f64, f64),
    pub data: Vec<(f64, f64)>,
    pub batch: Vec<(f64, f64)>,
    /// The fitted line at the x bounds, with the parameters shown at this step.
    pub line: [(f64, f64); 2],
    pub truth: Option<[(f64, f64); 2]>,
}

fn ends(x: (f64, f64), w: f64, b: f64) -> [(f64, f64); 2] {
    [(x.0, w * x.0 + b), (x.1, w * x.1 + b)]
}

impl Fit {
    pub fn new(session: &Session) -> Fit {
        let data = session.data();
        let stride = data.n().div_ceil(MAX_POINTS).max(1);
        let points: Vec<(f64, f64)> = (0..data.n())
            .step_by(stride)
            .map(|i| (data.row(i).first().copied().unwrap_or(0.0), data.y()[i]))
            .collect();
        let batch = session.batch();
        let rows: Vec<(f64, f64)> = (0..batch.rows())
            .map(|i| (batch.x[(i, 0)], batch.y[i]))
            .collect();
        let (xl, xh) = range(points.iter().map(|p| p.0)).unwrap_or((0.0, 1.0));
        let (yl, yh) = range(points.iter().map(|p| p.1)).unwrap_or((0.0, 1.0));
        let x = padded(xl, xh, 0.05);
        let y = padded(yl, yh, 0.1);
        let shown = session.params_shown();
        let line = ends(x, shown.w.get(0).copied().unwrap_or(0.0), shown.b);
        let truth = match (&data.true_w, data.true_b) {
            (Some(w), Some(b)) => w.first().map(|w| ends(x, *w, b)),
            _ => None,
        };
        Fit {
            x,
            y,
            data: points,
            batch: rows,
            line,
            truth,
        }
    }

    pub fn plot(&self, lang: Lang, x_name: &str) -> Plot {
        let mut layers = vec![
            Layer::Points(self.data.clone(), Ink::Data),
            Layer::Points(self.batch.clone(), Ink::Batch),
        ];
        let mut legend = vec![
            (S::ThisBatch.get(lang).to_string(), Ink::Batch),
            (S::FittedLine.get(lang).to_string(), Ink::Fit),
        ];
        if let Some(t) = self.truth {
            layers.push(Layer::Polyline(t.to_vec(), Ink::Truth));
            legend.push((S::TrueLine.get(lang).to_string(), Ink::Truth));
        }
        layers.push(Layer::Polyline(self.line.to_vec(), Ink::Fit));
        // Without colour the batch's rows are told apart by a mark on each.
        layers.extend(
            self.batch
                .iter()
                .take(12)
                .map(|p| Layer::Label(*p, "+".into(), Ink::Batch)),
        );
        Plot {
            title: S::DataFit.get(lang).into(),
            legend,
            x: self.x,
            y: self.y,
            x_name: x_name.into(),
            y_log: false,
            layers,
            header: 1,
        }
    }
}
