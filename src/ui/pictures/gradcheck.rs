//! The gradient check beside the derivation: central finite differences of the batch's
//! objective next to the analytic ∂L/∂w and ∂L/∂b, with their relative error.

use ratatui::style::Style;

use crate::engine::mlp_check::MlpGradCheck;
use crate::engine::{Check, GradCheck, Step};
use crate::lesson::Lang;
use crate::ui::canvas::width;
use crate::ui::glyphs::Glyphs;
use crate::ui::strings::S;
use crate::ui::theme::Theme;

/// One row of the check: the parameter's name, analytic, numeric, relative error.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub name: String,
    pub analytic: f64,
    pub numeric: f64,
    pub relative_error: f64,
}

/// The check of a batch, one row per weight and one for b.
pub fn rows(check: &GradCheck) -> Vec<Row> {
    let d = check.w.len();
    let mut out: Vec<Row> = check
        .w
        .iter()
        .enumerate()
        .map(|(j, c)| Row {
            name: if d == 1 {
                "∂L/∂w".into()
            } else {
                format!("∂L/∂w{}", j + 1)
            },
            analytic: c.analytic,
            numeric: c.numeric,
            relative_error: c.relative_error,
        })
        .collect();
    out.push(Row {
        name: "∂L/∂b".into(),
        analytic: check.b.analytic,
        numeric: check.b.numeric,
        relative_error: check.b.relative_error,
    });
    out
}

/// A two-layer batch's check, one row per parameter: its entry of largest relative error
/// (W₁'s by row and unit, b₁'s and W₂'s by unit, each from 1), so every entry is within it.
pub fn two_layer_rows(check: &MlpGradCheck, hidden: usize) -> Vec<Row> {
    let worst = |checks: &[Check]| {
        checks
            .iter()
            .enumerate()
            .fold(None::<(usize, Check)>, |best, (k, c)| match best {
                // total_cmp ranks NaN (an overflowed run) above every error, so it is the one shown.
                Some((_, b)) if c.relative_error.total_cmp(&b.relative_error).is_le() => best,
                _ => Some((k, *c)),
            })
    };
    let row = |name: String, c: Check| Row {
        name,
        analytic: c.analytic,
        numeric: c.numeric,
        relative_error: c.relative_error,
    };
    let hidden = hidden.max(1);
    let mut out = Vec::new();
    if let Some((k, c)) = worst(&check.w1) {
        out.push(row(
            format!("∂L/∂W₁[{},{}]", k / hidden + 1, k % hidden + 1),
            c,
        ));
    }
    for (name, checks) in [("b₁", &check.b1), ("W₂", &check.w2)] {
        if let Some((k, c)) = worst(checks) {
            out.push(row(format!("∂L/∂{name}[{}]", k + 1), c));
        }
    }
    out.push(row("∂L/∂b₂".into(), check.b2));
    out
}

type Spans = Vec<(String, Style)>;

/// Column widths of the numbers of the check: analytic, numeric, relative error.
const NUMBER_COLS: [usize; 3] = [10, 14, 11];

fn right_aligned(text: &str, w: usize) -> String {
    format!("{}{text}", " ".repeat(w.saturating_sub(width(text))))
}

fn left_aligned(text: &str, w: usize) -> String {
    format!("{text}{}", " ".repeat(w.saturating_sub(width(text))))
}

/// The check as a small table: a heading, then `most` of the rows (analytic against central
/// differences, and their relative error), then the worst error of the rows left out.
pub fn table(rows: &[Row], most: usize, theme: Theme, glyphs: &Glyphs, lang: Lang) -> Vec<Spans> {
    let title = S::GradCheckAt.get(lang);
    let names: Vec<String> = rows
        .iter()
        .map(|r| glyphs.text(&r.name).into_owned())
        .collect();
    let name_w = names.iter().map(|n| width(n) + 1).fold(10, usize::max);
    let mut lines: Vec<Spans> = vec![vec![
        (left_aligned(title, name_w), theme.title()),
        (
            right_aligned(S::Analytic.get(lang), NUMBER_COLS[0]),
            theme.frame(),
        ),
        (
            right_aligned(S::Numeric.get(lang), NUMBER_COLS[1]),
            theme.frame(),
        ),
        (
            right_aligned(S::RelError.get(lang), NUMBER_COLS[2]),
            theme.frame(),
        ),
    ]];
    let shown = most.min(rows.len());
    for (r, name) in rows.iter().zip(&names).take(shown) {
        lines.push(vec![
            (left_aligned(name, name_w), theme.plain()),
            (
                right_aligned(&crate::number::cell(r.analytic, 9, 3), NUMBER_COLS[0]),
                theme.plain(),
            ),
            (
                right_aligned(&crate::number::cell(r.numeric, 9, 3), NUMBER_COLS[1]),
                theme.plain(),
            ),
            (
                right_aligned(&error_text(r.relative_error), NUMBER_COLS[2]),
                theme.title(),
            ),
        ]);
    }
    if shown < rows.len() {
        let worst = rows.iter().map(|r| r.relative_error).fold(0.0, f64::max);
        lines.push(vec![(
            format!(
                "{} {} {}: {}",
                glyphs.hdots,
                rows.len() - shown,
                S::RelError.get(lang),
                error_text(worst)
            ),
            theme.plain(),
        )]);
    }
    lines
}

/// The steps where the gradient is being formed, where the status line shows the check.
pub fn at_gradient_step(step: Step) -> bool {
    matches!(step, Step::Accumulate { .. } | Step::GradW | Step::GradB)
}

/// A relative error in at most 7 columns: 2.1e-14, or NaN/inf when the run has overflowed.
pub fn error_text(e: f64) -> String {
    if e == 0.0 {
        "0".into()
    } else {
        crate::number::scientific(e, 1)
    }
}
