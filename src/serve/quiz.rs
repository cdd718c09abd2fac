//! The live quiz: the value a student is asked to predict, their typed answer, whether it
//! matches, and the class's answers as the teacher sees them (a count and a distribution only).

use crate::engine::{Batch, Step};

/// The value a step produces that the students predict: its primary output, straight from the
/// engine's numbers for the batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Asked {
    /// The quantity's name as the lesson writes it, e.g. `ŷ⁽³⁾`.
    pub name: String,
    pub value: f64,
}

/// `ⁱ` as superscript digits in parentheses, 1-based like the lesson: sample 2 is `⁽³⁾`.
fn sample_index(sample: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let digits: String = (sample + 1)
        .to_string()
        .bytes()
        .map(|b| DIGITS[usize::from(b - b'0')])
        .collect();
    format!("⁽{digits}⁾")
}

/// The step's primary output; for results with several entries, the first one (sample 1, or the
/// first feature's weight). None for steps that produce nothing to predict.
pub fn asked(step: Step, batch: &Batch) -> Option<Asked> {
    let (name, value) = match step {
        Step::Draw | Step::EpochSummary => return None,
        Step::ForwardSample { sample } => (
            format!("ŷ{}", sample_index(sample)),
            *batch.y_hat.get(sample)?,
        ),
        Step::Forward => (format!("ŷ{}", sample_index(0)), *batch.y_hat.get(0)?),
        Step::Loss => ("L".to_string(), crate::engine::tape::root_value(batch)),
        Step::Errors => (format!("δ{}", sample_index(0)), *batch.delta.get(0)?),
        Step::Accumulate { sample } => (
            format!(
                "∂L/∂w₁ (+δ{}x{})",
                sample_index(sample),
                sample_index(sample)
            ),
            *batch.acc_w.get(sample)?.get(0)?,
        ),
        Step::GradW => ("∂L/∂w₁".to_string(), *batch.grad_w.get(0)?),
        Step::GradB => ("∂L/∂b".to_string(), batch.grad_b),
        Step::Update => ("w₁ (new)".to_string(), *batch.w_next.get(0)?),
    };
    Some(Asked { name, value })
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

/// Whether `answer` matches `truth` as the screen shows numbers at `precision` decimals.
pub fn matches(answer: f64, truth: f64, precision: usize) -> bool {
    shown(answer, precision) == shown(truth, precision)
}

/// The class's answers to one question, as the teacher's screen shows them.
#[derive(Clone, Debug, PartialEq)]
pub struct Spread {
    pub count: usize,
    pub median: f64,
    /// The middle half of the answers: first and third quartiles.
    pub quartiles: (f64, f64),
    pub min: f64,
    pub max: f64,
    /// Counts in equal bins from `min` to `max`.
    pub bins: Vec<usize>,
}

/// Linear interpolation between order statistics (the "type 7" quantile of R and numpy).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let at = q * (sorted.len() - 1) as f64;
    let lo = at.floor() as usize;
    let hi = at.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
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
        median: quantile(&sorted, 0.5),
        quartiles: (quantile(&sorted, 0.25), quantile(&sorted, 0.75)),
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
        // Sorted 1, 2, 3, 4, 10: median 3; type-7 quartiles at positions 1 and 3: 2 and 4.
        let s = spread(&[10.0, 2.0, 4.0, 1.0, 3.0], 3).expect("answers");
        assert_eq!(s.count, 5);
        assert_eq!(s.median, 3.0);
        assert_eq!(s.quartiles, (2.0, 4.0));
        // Bins of width 3 from 1: [1,4) holds 1, 2, 3; [4,7) holds 4; the last holds 10.
        assert_eq!(s.bins, vec![3, 1, 1]);
        assert_eq!(bars(&s.bins), "█▃▃");
        assert_eq!(spread(&[], 3), None);
    }

    #[test]
    fn even_count_median_is_the_mean_of_the_middle_two() {
        let s = spread(&[1.0, 2.0, 3.0, 5.0], 4).expect("answers");
        assert_eq!(s.median, 2.5);
    }

    #[test]
    fn shown_numbers_round_and_have_no_negative_zero() {
        assert_eq!(shown(1.23456, 3), "1.235");
        assert_eq!(shown(-0.0, 3), "0.000");
        // A small number keeps two significant digits, as on screen.
        assert_eq!(shown(-0.0006, 3), "-0.00060");
    }

    #[test]
    fn matching_is_at_the_shown_precision() {
        assert!(matches(2.71, 2.7134, 2));
        assert!(!matches(2.71, 2.7134, 3));
        assert!(matches(-0.0, 0.0, 3));
        assert!(
            !matches(-0.0001, 0.0002, 3),
            "0.00010 and 0.00020 differ on screen"
        );
        assert!(!matches(-1.0, 1.0, 3));
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

    #[test]
    fn sample_indices_are_one_based_superscripts() {
        assert_eq!(sample_index(0), "⁽¹⁾");
        assert_eq!(sample_index(11), "⁽¹²⁾");
    }
}
