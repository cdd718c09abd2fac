//! How every computed number is written, on screen, in formulas and in handouts: one set of rules.
//!
//! - `precision` decimals, as `format!("{:.p$}")` rounds them;
//! - but a non-zero number keeps at least [`SMALL_SIGNIFICANT`] significant digits, so 0.00091 is
//!   never `0.001` and a small loss is never `0.000`;
//! - beyond [`SCIENTIFIC_FROM`] (a diverging run reaches 1e300), and below [`SCIENTIFIC_BELOW`],
//!   `m × 10^e`;
//! - never a negative zero.
//!
//! Settings (a learning rate, a batch size) are not computed: [`exact`] writes them as given.

/// Decimals shown when nothing else is asked for, on screen and in handouts alike.
pub const DEFAULT_PRECISION: usize = 3;
/// Decimals of a handout when nothing else is asked for: a page has room for one more.
pub const HANDOUT_PRECISION: usize = 4;
/// The most decimals anyone can ask for: past this, f64 rounding starts to show.
pub const MAX_PRECISION: usize = 8;
/// Significant digits a small non-zero number keeps whatever the precision.
pub const SMALL_SIGNIFICANT: usize = 2;
/// From this magnitude on, numbers are written in scientific form.
pub const SCIENTIFIC_FROM: f64 = 1e9;
/// Below this magnitude (and above zero), numbers are written in scientific form.
pub const SCIENTIFIC_BELOW: f64 = 1e-6;

/// A number as written: what a reader sees, and the value the digits stand for.
#[derive(Clone, Debug, PartialEq)]
pub enum Written {
    /// `-0.018`: the digits and how many of them follow the point.
    Fixed { text: String, decimals: usize },
    /// `1.500 × 10^157`.
    Scientific {
        mantissa: String,
        exponent: i32,
        decimals: usize,
    },
    /// inf, -inf or NaN.
    NonFinite(f64),
}

impl Written {
    /// The value a reader with a calculator takes from the digits (not the value behind them).
    pub fn value(&self) -> f64 {
        match self {
            Written::Fixed { text, .. } => text.parse().unwrap_or(f64::NAN),
            Written::Scientific {
                mantissa, exponent, ..
            } => format!("{mantissa}e{exponent}").parse().unwrap_or(f64::NAN),
            Written::NonFinite(v) => *v,
        }
    }

    /// `v` written in the same form and with as many decimals as `self`: what a result must
    /// round to, recomputed from its operands.
    pub fn same_form(&self, v: f64) -> Written {
        match self {
            Written::Fixed { decimals, .. } if v.is_finite() => fixed(v, *decimals),
            Written::Scientific {
                decimals, exponent, ..
            } if v.is_finite() => {
                // The same exponent, so 9.9996e4 against 1.0000e5 compares digit by digit.
                let scale = 10f64.powi(*exponent);
                let m = v / scale;
                Written::Scientific {
                    mantissa: plain_fixed(m, *decimals),
                    exponent: *exponent,
                    decimals: *decimals,
                }
            }
            _ => written(v, 0),
        }
    }

    /// Plain text: `-0.018`, `1.500e157`, `inf`, `NaN`.
    pub fn plain(&self) -> String {
        match self {
            Written::Fixed { text, .. } => text.clone(),
            Written::Scientific {
                mantissa, exponent, ..
            } => format!("{mantissa}e{exponent}"),
            Written::NonFinite(v) => non_finite(*v).to_string(),
        }
    }

    /// LaTeX: `-0.018`, `1.500 \times 10^{157}`, `\text{inf}`.
    pub fn latex(&self) -> String {
        match self {
            Written::Fixed { text, .. } => text.clone(),
            Written::Scientific {
                mantissa, exponent, ..
            } => format!(r"{mantissa} \times 10^{{{exponent}}}"),
            Written::NonFinite(v) if *v < 0.0 => r"-\text{inf}".into(),
            Written::NonFinite(v) => format!(r"\text{{{}}}", non_finite(*v)),
        }
    }

    /// Whether the text starts with a minus sign (so it needs parentheses after an operator).
    pub fn negative(&self) -> bool {
        match self {
            Written::Fixed { text, .. } => text.starts_with('-'),
            Written::Scientific { mantissa, .. } => mantissa.starts_with('-'),
            Written::NonFinite(v) => *v < 0.0,
        }
    }
}

fn non_finite(v: f64) -> &'static str {
    if v.is_nan() {
        "NaN"
    } else if v > 0.0 {
        "inf"
    } else {
        "-inf"
    }
}

/// `format!("{v:.decimals$}")` without a negative zero.
fn plain_fixed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|c| c == b'0' || c == b'.') => rest.to_string(),
        _ => text,
    }
}

fn fixed(v: f64, decimals: usize) -> Written {
    Written::Fixed {
        text: plain_fixed(v, decimals),
        decimals,
    }
}

/// Decimals that keep [`SMALL_SIGNIFICANT`] significant digits of a small `v`, at least `precision`.
fn decimals_for(v: f64, precision: usize) -> usize {
    if v == 0.0 || v.abs() >= 1.0 {
        return precision;
    }
    // The position of the first significant digit after the point (1 for 0.1…, 4 for 0.000 9).
    let first = (-v.abs().log10()).floor() as usize + 1;
    let wanted = first + SMALL_SIGNIFICANT - 1;
    // Rounding can carry into one digit more (0.0996 at 3 significant digits is 0.100).
    precision.max(wanted)
}

/// `v` as the rules above write it, with `precision` decimals.
pub fn written(v: f64, precision: usize) -> Written {
    if !v.is_finite() {
        return Written::NonFinite(v);
    }
    let magnitude = v.abs();
    if magnitude >= SCIENTIFIC_FROM || (magnitude > 0.0 && magnitude < SCIENTIFIC_BELOW) {
        let text = format!("{v:.precision$e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        return Written::Scientific {
            mantissa: mantissa.to_string(),
            exponent: exponent.parse().unwrap_or(0),
            decimals: precision,
        };
    }
    fixed(v, decimals_for(v, precision))
}

/// `v` as plain text with `precision` decimals (see the module's rules).
pub fn plain(v: f64, precision: usize) -> String {
    written(v, precision).plain()
}

/// A setting as it was given: whole numbers without decimals, others in Rust's shortest form
/// that reads back as the same f64 (a learning rate of 5e-5 stays 0.00005).
pub fn exact(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        plain_fixed(v, 0)
    } else if v.is_finite() {
        let text = format!("{v}");
        if text == "-0" { "0".into() } else { text }
    } else {
        non_finite(v).to_string()
    }
}

/// `v` as the command-line reports print it, like d2l's `:f`: `decimals` places (None: the
/// shortest text that reads back the same), scientific from 1e9 up, where plain digits would be
/// a wall of them (a diverging run reaches 1e300); never a negative zero.
pub fn like_d2l(v: f64, decimals: Option<usize>) -> String {
    let wide = v.is_finite() && v.abs() >= SCIENTIFIC_FROM;
    match (decimals, wide) {
        (Some(p), true) => plain_fixed_scientific(v, p),
        (Some(p), false) if v.is_finite() => plain_fixed(v, p),
        (None, true) => format!("{v:e}"),
        _ => exact(v),
    }
}

/// `v` in at most `width` columns: the rules' form if it fits, else fewer decimals (never fewer
/// significant digits than the rules keep), else scientific, else `#`s. Matrix cells use it.
pub fn fitted(v: f64, width: usize, precision: usize) -> String {
    for p in (0..=precision).rev() {
        let text = plain(v, p);
        if text.chars().count() <= width {
            return text;
        }
    }
    if v.is_finite() {
        for p in (0..=2).rev() {
            let text = plain_fixed_scientific(v, p);
            if text.chars().count() <= width {
                return text;
            }
        }
    }
    "#".repeat(width)
}

/// `v` right-aligned in exactly `width` columns, as [`fitted`] writes it: matrix cells, so a
/// diverging run (inf, NaN, 1e300) never pushes a bracket out of line.
pub fn cell(v: f64, width: usize, precision: usize) -> String {
    let text = fitted(v, width, precision);
    format!("{text:>width$}")
}

/// `v` always in scientific form with `digits` decimals (`2.1e-14`), or its word when not
/// finite: relative errors and other numbers whose size is the point.
pub fn scientific(v: f64, digits: usize) -> String {
    if v.is_finite() {
        plain_fixed_scientific(v, digits)
    } else {
        non_finite(v).to_string()
    }
}

fn plain_fixed_scientific(v: f64, p: usize) -> String {
    let text = format!("{v:.p$e}");
    match text.strip_prefix('-') {
        Some(rest) if v == 0.0 => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_like_the_format_macro() {
        assert_eq!(plain(9.3049, 3), "9.305");
        assert_eq!(plain(-1.2, 2), "-1.20");
        assert_eq!(plain(2.5, 0), format!("{:.0}", 2.5));
    }

    #[test]
    fn small_numbers_keep_two_significant_digits() {
        assert_eq!(plain(0.000_912, 3), "0.00091");
        assert_eq!(plain(0.0123, 3), "0.012");
        assert_eq!(plain(0.4, 0), "0.40");
        assert_eq!(plain(-0.000_95, 3), "-0.00095");
        // Rounding up to the next power of ten keeps the digits asked for.
        assert_eq!(plain(0.099_96, 3), "0.100");
    }

    #[test]
    fn there_is_no_negative_zero() {
        assert_eq!(plain(-0.0, 3), "0.000");
        assert_eq!(plain(-0.0, 0), "0");
        assert_eq!(exact(-0.0), "0");
        assert_eq!(fixed(-0.000_4, 3).plain(), "0.000");
    }

    #[test]
    fn huge_and_tiny_numbers_are_scientific() {
        let w = written(1.5e157, 3);
        assert_eq!(w.latex(), r"1.500 \times 10^{157}");
        assert_eq!(w.plain(), "1.500e157");
        assert_eq!(w.value(), 1.5e157);
        assert_eq!(written(-2.0e9, 1).latex(), r"-2.0 \times 10^{9}");
        assert_eq!(plain(999_999_999.0, 0), "999999999");
        assert_eq!(plain(3.0e-7, 2), "3.00e-7");
    }

    #[test]
    fn non_finite_values_are_words() {
        assert_eq!(written(f64::INFINITY, 3).latex(), r"\text{inf}");
        assert_eq!(written(f64::NEG_INFINITY, 3).latex(), r"-\text{inf}");
        assert_eq!(written(f64::NAN, 3).latex(), r"\text{NaN}");
        assert!(written(f64::NEG_INFINITY, 3).negative());
    }

    #[test]
    fn the_value_is_what_the_digits_say() {
        assert_eq!(written(1.234_56, 2).value(), 1.23);
        assert_eq!(written(0.000_912, 3).value(), 0.000_91);
    }

    #[test]
    fn same_form_rounds_like_the_result() {
        let result = written(12.0434, 4);
        assert_eq!(result.same_form(12.043_35).plain(), "12.0434");
        let big = written(1.234_5e12, 2);
        assert_eq!(big.same_form(1.2351e12).plain(), "1.24e12");
    }

    #[test]
    fn settings_are_shown_as_given() {
        assert_eq!(exact(10.0), "10");
        assert_eq!(exact(5e-5), "0.00005");
        assert_eq!(exact(0.03), "0.03");
    }

    #[test]
    fn every_value_fits_its_cell() {
        for v in [
            0.0,
            -0.018,
            4.183,
            1234.5678,
            -98765.4,
            1e300,
            -1e-300,
            0.000_91,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert!(fitted(v, 7, 3).chars().count() <= 7, "{v}");
            assert_eq!(cell(v, 7, 3).chars().count(), 7, "{v}");
        }
        assert_eq!(fitted(-0.018, 7, 3), "-0.018");
        assert_eq!(fitted(0.000_91, 7, 3), "0.00091");
        assert_eq!(fitted(1e300, 7, 3), "1.0e300");
        assert_eq!(cell(-0.018, 7, 3), " -0.018");
    }
}
