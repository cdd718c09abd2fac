//! Building blocks for formulas with numbers in them: numbers in the batch's roles, column
//! vectors and sums, shortened when they would not fit on a screen.

/// Column vectors longer than this show their first 3 and last 2 entries around `\vdots`.
const MAX_ROWS: usize = 6;
/// Sums of more terms than this show the first 3 and the last around `\cdots`.
const MAX_TERMS: usize = 4;

/// Beyond this magnitude a number is written in scientific form: a diverging run reaches 1e300,
/// which `{:.3}` would spell out in three hundred digits.
const SCIENTIFIC_FROM: f64 = 1e9;

/// `v` with `precision` decimals (`{:.*}`), or `\text{inf}` / `-\text{inf}` / `\text{NaN}`;
/// huge values as `1.500 \times 10^{157}`.
pub fn num(v: f64, precision: usize) -> String {
    if v.is_finite() && v.abs() >= SCIENTIFIC_FROM {
        let text = format!("{v:.precision$e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        format!(r"{mantissa} \times 10^{{{exponent}}}")
    } else if v.is_nan() {
        r"\text{NaN}".to_string()
    } else if v.is_infinite() {
        if v > 0.0 {
            r"\text{inf}"
        } else {
            r"-\text{inf}"
        }
        .to_string()
    } else {
        format!("{v:.precision$}")
    }
}

/// A count or a whole-valued number without decimals; anything else in full.
pub fn count(v: f64) -> String {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else if v.is_finite() {
        // Rust's shortest round-trip form: a learning rate like 5e-5 survives intact.
        format!("{v}")
    } else {
        num(v, 0)
    }
}

/// `\role{role}{text}`.
pub fn role(role: &str, text: &str) -> String {
    format!(r"\role{{{role}}}{{{text}}}")
}

/// A number in its role colour, as the first term of an expression.
pub fn lead(name: &str, v: f64, precision: usize) -> String {
    role(name, &num(v, precision))
}

/// A number in its role colour after an operator: negative numbers go in parentheses so that
/// `+ -3` reads `+ (-3)`.
pub fn operand(name: &str, v: f64, precision: usize) -> String {
    paren_if_negative(lead(name, v, precision), v, precision)
}

/// Wraps `latex` in parentheses when `v` would print with a minus sign (−0.000 included).
pub fn paren_if_negative(latex: String, v: f64, precision: usize) -> String {
    if num(v, precision).starts_with('-') {
        format!("({latex})")
    } else {
        latex
    }
}

/// Keeps the first `head` and last `tail` items around `gap` when there are more than `max`.
pub fn elide(items: Vec<String>, max: usize, head: usize, tail: usize, gap: &str) -> Vec<String> {
    if items.len() <= max || head + tail >= items.len() {
        return items;
    }
    let n = items.len();
    let mut out: Vec<String> = items[..head].to_vec();
    out.push(gap.to_string());
    out.extend_from_slice(&items[n - tail..]);
    out
}

/// A column vector of numbers in one role, elided beyond [`MAX_ROWS`] entries.
pub fn column<'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a f64>,
    precision: usize,
) -> String {
    let rows = values
        .into_iter()
        .map(|&v| lead(name, v, precision))
        .collect();
    let rows = elide(rows, MAX_ROWS, 3, 2, r"\vdots");
    format!(r"\begin{{bmatrix}} {} \end{{bmatrix}}", rows.join(r" \\ "))
}

/// A number as the `i`-th term of a sum or product: bare first, parenthesised when negative
/// after an operator.
pub fn term(name: &str, v: f64, precision: usize, i: usize) -> String {
    if i == 0 {
        lead(name, v, precision)
    } else {
        operand(name, v, precision)
    }
}

/// `a + b + c + \cdots + z` of numbers in one role.
pub fn sum_of<'a>(
    name: &str,
    values: impl IntoIterator<Item = &'a f64>,
    precision: usize,
) -> String {
    let terms = values
        .into_iter()
        .enumerate()
        .map(|(i, &v)| term(name, v, precision, i))
        .collect();
    elide(terms, MAX_TERMS, 3, 1, r"\cdots").join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_numbers_are_scientific() {
        assert_eq!(num(1.5e157, 3), r"1.500 \times 10^{157}");
        assert_eq!(num(-2.0e9, 1), r"-2.0 \times 10^{9}");
        assert_eq!(num(999_999_999.0, 0), "999999999");
        assert!(gradstep_parse(&num(-3.25e200, 2)));
    }

    fn gradstep_parse(latex: &str) -> bool {
        crate::math::parse(latex).is_ok()
    }

    #[test]
    fn numbers_keep_their_sign_and_precision() {
        assert_eq!(num(9.3049, 3), "9.305");
        assert_eq!(num(-1.2, 2), "-1.20");
        assert_eq!(num(f64::INFINITY, 3), r"\text{inf}");
        assert_eq!(num(f64::NEG_INFINITY, 3), r"-\text{inf}");
        assert_eq!(num(f64::NAN, 3), r"\text{NaN}");
        assert_eq!(count(10.0), "10");
        assert_eq!(count(5e-5), "0.00005");
        assert_eq!(count(0.03), "0.03");
    }

    #[test]
    fn negative_operands_are_parenthesised() {
        assert_eq!(operand("x", -1.0, 1), r"(\role{x}{-1.0})");
        assert_eq!(operand("x", 1.0, 1), r"\role{x}{1.0}");
        assert_eq!(operand("x", -0.0001, 2), r"(\role{x}{-0.00})");
        assert_eq!(
            operand("x", f64::NEG_INFINITY, 2),
            r"(\role{x}{-\text{inf}})"
        );
    }

    #[test]
    fn long_lists_are_elided() {
        let items: Vec<String> = (1..=8).map(|i| i.to_string()).collect();
        assert_eq!(
            elide(items, 6, 3, 2, "..."),
            ["1", "2", "3", "...", "7", "8"]
        );
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(
            sum_of("l", &v, 0),
            r"\role{l}{1} + \role{l}{2} + \role{l}{3} + \cdots + \role{l}{5}"
        );
    }
}
