//! More than two features: each parameter's value after every update so far.

use super::plot::{Ink, Layer, Plot, padded, range};
use crate::engine::{Params, Session};
use crate::lesson::Lang;
use crate::ui::strings::S;

/// Lines beyond these many get no label of their own; their colours still cycle.
const LABELLED: usize = 8;

#[derive(Clone, Debug, PartialEq)]
pub struct Traces {
    /// One series per weight, then b: (updates so far, value).
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    pub x: (f64, f64),
    pub y: (f64, f64),
}

impl Traces {
    pub fn new(session: &Session, path: &[(usize, Params)]) -> Traces {
        let now = session.batch().global;
        let mut steps: Vec<(usize, Params)> =
            path.iter().filter(|(g, _)| *g <= now).cloned().collect();
        // Once this batch's update is shown, its result is a point of the trace too.
        let shown = session.params_shown();
        if steps.last().map(|(_, p)| p) != Some(&shown) {
            let at = if shown.w == session.batch().w && shown.b == session.batch().b {
                now
            } else {
                now + 1
            };
            steps.push((at, shown));
        }
        let d = session.data().d();
        let mut series: Vec<(String, Vec<(f64, f64)>)> = (0..d)
            .map(|j| {
                let pts = steps
                    .iter()
                    .map(|(g, p)| (*g as f64, p.w.get(j).copied().unwrap_or(0.0)))
                    .collect();
                (format!("w{}", j + 1), pts)
            })
            .collect();
        series.push((
            "b".into(),
            steps.iter().map(|(g, p)| (*g as f64, p.b)).collect(),
        ));
        let last = steps.last().map_or(0, |(g, _)| *g);
        let x = (0.0, (last as f64).max(1.0));
        let (lo, hi) =
            range(series.iter().flat_map(|(_, s)| s.iter().map(|p| p.1))).unwrap_or((-1.0, 1.0));
        Traces {
            series,
            x,
            y: padded(lo, hi, 0.08),
        }
    }

    /// `rows` is the picture's height in text rows, to keep the labels apart.
    pub fn plot(&self, lang: Lang, rows: usize) -> Plot {
        let mut layers = Vec::new();
        let mut legend = Vec::new();
        for (j, (name, pts)) in self.series.iter().enumerate() {
            layers.push(Layer::Polyline(pts.clone(), Ink::Param(j)));
            if j < LABELLED {
                legend.push((name.clone(), Ink::Param(j)));
            }
        }
        // Names where the lines start, so the traces read without colour (at their ends they
        // would be cut by the right edge); lines that start together would print their names
        // over each other, so the names are moved apart by at least a text row.
        let row = (self.y.1 - self.y.0) / rows.max(1) as f64;
        let mut starts: Vec<(usize, f64)> = self
            .series
            .iter()
            .enumerate()
            .take(LABELLED)
            .filter_map(|(j, (_, pts))| pts.first().map(|p| (j, p.1)))
            .collect();
        starts.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut placed: Vec<(usize, f64)> = Vec::new();
        for (j, y) in starts {
            let y = match placed.last() {
                Some(&(_, below)) if y < below + row => below + row,
                _ => y,
            };
            placed.push((j, y));
        }
        // Names pushed above the top come back down together, still a row apart.
        if let Some(&(_, top)) = placed.last() {
            let over = top - (self.y.1 - row / 2.0);
            if over > 0.0 {
                for p in &mut placed {
                    p.1 -= over;
                }
            }
        }
        for (j, y) in placed {
            let name = &self.series[j].0;
            if y >= self.y.0 {
                layers.push(Layer::Label((self.x.0, y), name.clone(), Ink::Param(j)));
            }
        }
        Plot {
            title: S::Traces.get(lang).into(),
            legend,
            x: self.x,
            y: self.y,
            x_name: S::Steps.get(lang).into(),
            y_log: false,
            layers,
            header: 1,
        }
    }
}
