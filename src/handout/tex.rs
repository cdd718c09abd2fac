//! Numbers and matrices as LaTeX for the handout, with the same elision everywhere: a batch of
//! more than [`MAX_ROWS`] samples shows its first and last rows, more than [`MAX_COLS`] features
//! its first and last columns.

/// Samples shown in full in a matrix or column; larger batches are elided.
pub const MAX_ROWS: usize = 20;
/// Rows kept before and after `\vdots` in an elided batch.
pub const HEAD_ROWS: usize = 6;
pub const TAIL_ROWS: usize = 2;
/// Features shown in full; more are elided.
pub const MAX_COLS: usize = 8;
/// Columns kept before and after `\cdots` when features are elided.
pub const HEAD_COLS: usize = 4;
pub const TAIL_COLS: usize = 2;

pub use crate::lesson::latex::num;

/// `v` after an operator: `a - (-3.0)` rather than `a - -3.0`.
pub fn operand(v: f64, precision: usize) -> String {
    crate::lesson::latex::paren_if_negative(num(v, precision), v, precision)
}

/// The positions shown out of `n`: `Some(i)` for an entry, `None` once for the gap.
pub fn shown(n: usize, max: usize, head: usize, tail: usize) -> Vec<Option<usize>> {
    if n <= max {
        return (0..n).map(Some).collect();
    }
    (0..head)
        .map(Some)
        .chain([None])
        .chain((n - tail..n).map(Some))
        .collect()
}

pub fn shown_rows(n: usize) -> Vec<Option<usize>> {
    shown(n, MAX_ROWS, HEAD_ROWS, TAIL_ROWS)
}

pub fn shown_cols(d: usize) -> Vec<Option<usize>> {
    shown(d, MAX_COLS, HEAD_COLS, TAIL_COLS)
}

/// A `bmatrix` of `rows` × `cols` entries, `cell(i, j)` for each shown one.
pub fn bmatrix(
    rows: &[Option<usize>],
    cols: &[Option<usize>],
    cell: impl Fn(usize, usize) -> String,
) -> String {
    let lines: Vec<String> = rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = cols
                .iter()
                .map(|c| match (r, c) {
                    (Some(i), Some(j)) => cell(*i, *j),
                    (Some(_), None) => r"\cdots".into(),
                    (None, Some(_)) => r"\vdots".into(),
                    (None, None) => r"\ddots".into(),
                })
                .collect();
            cells.join(" & ")
        })
        .collect();
    format!(r"\begin{{bmatrix}} {} \end{{bmatrix}}", lines.join(r" \\ "))
}

/// A column vector of one value per sample.
pub fn sample_column<'a>(values: impl IntoIterator<Item = &'a f64>, precision: usize) -> String {
    let values: Vec<f64> = values.into_iter().copied().collect();
    bmatrix(&shown_rows(values.len()), &[Some(0)], |i, _| {
        num(values[i], precision)
    })
}

/// A column vector of one value per feature (w, ∂L/∂w).
pub fn feature_column<'a>(values: impl IntoIterator<Item = &'a f64>, precision: usize) -> String {
    let values: Vec<f64> = values.into_iter().copied().collect();
    bmatrix(&shown_cols(values.len()), &[Some(0)], |j, _| {
        num(values[j], precision)
    })
}

/// A row vector of one value per feature (δ⁽ⁱ⁾x⁽ⁱ⁾): one line high, so it fits a table cell.
pub fn feature_row(values: &[f64], precision: usize) -> String {
    bmatrix(&[Some(0)], &shown_cols(values.len()), |_, j| {
        num(values[j], precision)
    })
}

/// `a + b + … + z` of one value per sample, elided like a column; negative terms in parentheses.
pub fn sample_sum(values: &[f64], precision: usize) -> String {
    let terms: Vec<String> = shown_rows(values.len())
        .iter()
        .enumerate()
        .map(|(k, i)| match i {
            None => r"\cdots".into(),
            Some(i) if k == 0 => num(values[*i], precision),
            Some(i) => operand(values[*i], precision),
        })
        .collect();
    terms.join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_like_the_format_macro() {
        assert_eq!(num(2.5, 0), format!("{:.0}", 2.5));
        assert_eq!(num(-1.25, 1), "-1.2");
        assert_eq!(num(f64::NEG_INFINITY, 2), r"-\text{inf}");
        assert_eq!(num(f64::NAN, 2), r"\text{NaN}");
        assert_eq!(operand(-0.001, 2), "(-0.00)");
    }

    #[test]
    fn elision_keeps_head_and_tail() {
        assert_eq!(shown(3, 8, 4, 2), [Some(0), Some(1), Some(2)]);
        assert_eq!(
            shown(9, 8, 4, 2),
            [Some(0), Some(1), Some(2), Some(3), None, Some(7), Some(8)]
        );
        let m = bmatrix(&shown(3, 2, 1, 1), &shown(3, 2, 1, 1), |i, j| {
            format!("{i}{j}")
        });
        assert_eq!(
            m,
            r"\begin{bmatrix} 00 & \cdots & 02 \\ \vdots & \ddots & \vdots \\ 20 & \cdots & 22 \end{bmatrix}"
        );
    }
}
