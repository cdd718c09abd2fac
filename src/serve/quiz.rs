//! The live quiz: the value a student is asked to predict, their typed answer, whether it
//! matches, and the class's answers as the teacher sees them (a count and a distribution only).

use crate::engine::{Batch, Step};
use crate::lesson::Lang;
use crate::math;
use crate::worked::names;
use crate::worked::{Cell, Quantity};
use crate::worked::{Part, Symbol};

/// The value a step produces that the students predict: its primary output, straight from the
/// engine's numbers for the batch, and which cell of the batch it is (its name comes from
/// [`names`], as everywhere a number is named).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Asked {
    pub cell: Cell,
    pub value: f64,
    /// A running sum after one sample: the sample's term it adds, named beside it.
    pub adds: Option<Cell>,
}

impl Asked {
    /// A number of the step's worked equations (the two-layer explainer asks these).
    pub fn of(v: crate::worked::Value) -> Asked {
        Asked {
            cell: v.cell,
            value: v.value,
            adds: None,
        }
    }

    /// The name as the screen writes it, e.g. `ŷ⁽³⁾` or `∂L/∂w₁ (+δ⁽²⁾x₁⁽²⁾)`; `wide` when the
    /// terminal draws ambiguous-width characters two columns wide.
    pub fn name(&self, lang: Lang, wide: bool) -> String {
        let opts = math::Options {
            ambiguous_wide: wide,
        };
        let name = |c: Cell| names::name(c, lang, opts).unwrap_or_default();
        match self.adds {
            Some(term) => format!("{} (+{})", name(self.cell), name(term)),
            None => name(self.cell),
        }
    }
}

/// The step's primary output; for results with several entries, the first one (sample 1, or the
/// first feature's weight). None for steps that produce nothing to predict.
pub fn asked(step: Step, batch: &Batch) -> Option<Asked> {
    asked_entry(step, batch, 0)
}

/// How many entries the step's primary output has (1 for a single number, 0 for none).
pub fn entries(step: Step, batch: &Batch) -> usize {
    match step {
        Step::Draw | Step::EpochSummary => 0,
        Step::ForwardSample { .. } | Step::Loss | Step::GradB => 1,
        Step::Forward => batch.y_hat.len(),
        Step::Errors => batch.delta.len(),
        Step::Accumulate { .. } | Step::GradW | Step::Update => batch.grad_w.len(),
    }
}

/// The step's primary output at `entry` (counted round: the teacher's choice, see `e`): a sample
/// of a vector over the batch, or a feature of one over the weights.
pub fn asked_entry(step: Step, batch: &Batch, entry: usize) -> Option<Asked> {
    let n = entries(step, batch);
    if n == 0 {
        return None;
    }
    let e = entry % n;
    let cell = |q: Quantity, row: usize| Cell::new(q, row, 0);
    let (cell, value, adds) = match step {
        Step::Draw | Step::EpochSummary => return None,
        Step::ForwardSample { sample } => (
            cell(Quantity::Of(Symbol::YHat, Part::Value), sample),
            *batch.y_hat.get(sample)?,
            None,
        ),
        Step::Forward => (
            cell(Quantity::Of(Symbol::YHat, Part::Value), e),
            *batch.y_hat.get(e)?,
            None,
        ),
        Step::Loss => (
            Cell::scalar(Quantity::Of(Symbol::Loss, Part::Value)),
            crate::engine::tape::root_value(batch),
            None,
        ),
        Step::Errors => (
            cell(Quantity::Of(Symbol::Delta, Part::Value), e),
            *batch.delta.get(e)?,
            None,
        ),
        Step::Accumulate { sample } => (
            cell(Quantity::Of(Symbol::W, Part::Grad), e),
            *batch.acc_w.get(sample)?.get(e)?,
            Some(Cell::new(Quantity::Of(Symbol::W, Part::Terms), sample, e)),
        ),
        Step::GradW => (
            cell(Quantity::Of(Symbol::W, Part::Grad), e),
            *batch.grad_w.get(e)?,
            None,
        ),
        Step::GradB => (
            Cell::scalar(Quantity::Of(Symbol::B, Part::Grad)),
            batch.grad_b,
            None,
        ),
        Step::Update => (
            cell(Quantity::Of(Symbol::W, Part::New), e),
            *batch.w_next.get(e)?,
            None,
        ),
    };
    Some(Asked { cell, value, adds })
}

/// Longest answer a student can type.
pub const MAX_ANSWER: usize = 24;

/// A student's answer as typed: digits, one leading minus, one decimal point.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Typing {
    text: String,
}

impl Typing {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Takes one typed character; false when it is not part of a number here.
    pub fn push(&mut self, c: char) -> bool {
        let fits = self.text.len() < MAX_ANSWER;
        let ok = match c {
            '0'..='9' => true,
            '-' => self.text.is_empty(),
            '.' => !self.text.contains('.'),
            _ => false,
        };
        if ok && fits {
            self.text.push(c);
        }
        ok
    }

    pub fn backspace(&mut self) {
        self.text.pop();
    }

    /// The number typed, if it is one.
    pub fn value(&self) -> Option<f64> {
        self.text.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    pub fn clear(&mut self) {
        self.text.clear();
    }
}

/// `v` as the screen writes it at `precision` decimals: the one place this module formats a
/// computed number (the student's line, the teacher's summary, and the match below).
pub fn shown(v: f64, precision: usize) -> String {
    crate::number::plain(v, precision)
}

/// Decimals typed after the point (`2.91` has 2, `3` and `3.` none).
pub fn decimals(text: &str) -> usize {
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

/// Whether an answer is right: it agrees with the true value at the digits the student typed,
/// give or take one in the last of them, that is |answer − truth| ≤ 10^−d for `d` decimals
/// typed (at most the `precision` shown, so typing more digits never makes an answer wrong).
/// For 2.909: 2.91 (|−0.001| ≤ 0.01), 2.9 (0.009 ≤ 0.1) and 3 (0.091 ≤ 1) are right, 2.8
/// (0.109 > 0.1) is not; signs count as they are, so −2.9 is wrong for 2.909.
pub fn matches(answer: f64, decimals: usize, truth: f64, precision: usize) -> bool {
    let d = decimals.min(precision).min(15);
    let unit = 10f64.powi(-i32::try_from(d).unwrap_or(15));
    // A hair above one unit: 2.8 − 2.7 is 0.0999… or 0.1000…01 in binary.
    (answer - truth).abs() <= unit * (1.0 + 1e-9)
}

/// The class's answers to one question, as the teacher's screen shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    pub count: usize,
    /// The middle answer: of an even count, the lower of the two middle ones, so that it is an
    /// answer somebody typed (never a value between two).
    pub median: f64,
    pub min: f64,
    pub max: f64,
    /// Counts in equal bins from `min` to `max`.
    pub bins: Vec<usize>,
}

/// Summarises `answers` in `bins` bins; None when there are none.
pub fn spread(answers: &[f64], bins: usize) -> Option<Spread> {
    let mut sorted: Vec<f64> = answers.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() || bins == 0 {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let mut counts = vec![0; bins];
    let width = (max - min) / bins as f64;
    for v in &sorted {
        let i = if width > 0.0 {
            (((v - min) / width) as usize).min(bins - 1)
        } else {
            bins / 2
        };
        counts[i] += 1;
    }
    Some(Spread {
        count: sorted.len(),
        median: sorted[(sorted.len() - 1) / 2],
        min,
        max,
        bins: counts,
    })
}

/// The bins as a row of bars, tallest bin full height; empty bins are blank.
pub fn bars(bins: &[usize]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let top = bins.iter().copied().max().unwrap_or(0).max(1);
    bins.iter()
        .map(|&c| {
            if c == 0 {
                ' '
            } else {
                BARS[(c * BARS.len()).div_ceil(top).clamp(1, BARS.len()) - 1]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_of_known_answers() {
        // Sorted 1, 2, 3, 4, 10: the middle is 3.
        let s = spread(&[10.0, 2.0, 4.0, 1.0, 3.0], 3).expect("answers");
        assert_eq!(s.count, 5);
        assert_eq!(s.median, 3.0);
        assert_eq!((s.min, s.max), (1.0, 10.0));
        // Bins of width 3 from 1: [1,4) holds 1, 2, 3; [4,7) holds 4; the last holds 10.
        assert_eq!(s.bins, vec![3, 1, 1]);
        assert_eq!(bars(&s.bins), "█▃▃");
        assert_eq!(spread(&[], 3), None);
    }

    #[test]
    fn an_even_count_has_a_middle_answer_somebody_typed() {
        // 1, 2, 3, 5: the mean of the middle two (2.5) nobody typed; the lower one is 2.
        let s = spread(&[5.0, 1.0, 3.0, 2.0], 4).expect("answers");
        assert_eq!(s.median, 2.0);
        let s = spread(&[-1.5, 7.0], 4).expect("answers");
        assert_eq!(s.median, -1.5);
    }

    #[test]
    fn shown_numbers_round_and_have_no_negative_zero() {
        assert_eq!(shown(1.23456, 3), "1.235");
        assert_eq!(shown(-0.0, 3), "0.000");
        // A small number keeps two significant digits, as on screen.
        assert_eq!(shown(-0.0006, 3), "-0.00060");
    }

    /// `text` typed for `truth`, judged at 3 decimals on screen.
    fn right(text: &str, truth: f64) -> bool {
        let v: f64 = text.parse().expect("a number");
        matches(v, decimals(text), truth, 3)
    }

    #[test]
    fn an_answer_is_right_within_one_in_the_last_digit_typed() {
        // The cases for 2.909, by hand: |2.91 − 2.909| = 0.001 ≤ 0.01;
        // |2.9 − 2.909| = 0.009 ≤ 0.1; |2.8 − 2.909| = 0.109 > 0.1.
        assert!(right("2.91", 2.909));
        assert!(right("2.9", 2.909));
        assert!(!right("2.8", 2.909));
        assert!(right("2.909", 2.909));
        // One in the last digit either way, and no more: 2.92 − 2.909 = 0.011 > 0.01.
        assert!(right("2.90", 2.909));
        assert!(!right("2.92", 2.909));
        assert!(right("3.0", 2.909));
        // Integers: one unit. |3 − 2.909| = 0.091, |2 − 2.909| = 0.909, |4 − 2.909| = 1.091.
        assert!(right("3", 2.909));
        assert!(right("2", 2.909));
        assert!(!right("4", 2.909));
        // Negatives: the same distances, and the sign counts.
        assert!(right("-2.91", -2.909));
        assert!(!right("-2.8", -2.909));
        assert!(!right("-2.9", 2.909));
        assert!(right("-0", 0.4));
        // Digits past the screen's 3 decimals are judged at 3: |2.9094 − 2.909| ≤ 0.001.
        assert!(right("2.9094", 2.909));
        assert!(!right("2.9110", 2.909));
        // At the boundary, binary fractions do not decide: 2.8 − 2.7 is one unit of 0.1.
        assert!(right("2.8", 2.7));
        assert_eq!(decimals("12."), 0);
        assert_eq!(decimals("-0.050"), 3);
    }

    #[test]
    fn typing_takes_numbers_only() {
        let mut t = Typing::default();
        for c in "-1.5.x-2".chars() {
            t.push(c);
        }
        assert_eq!(t.text(), "-1.52");
        assert_eq!(t.value(), Some(-1.52));
        t.clear();
        t.push('-');
        assert_eq!(t.value(), None);
    }
}
