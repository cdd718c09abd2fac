//! Numbers in matrix cells: always exactly the cell's width, whatever the value, so diverging
//! runs (inf, NaN, 1e300) never push a bracket out of line.

/// `v` right-aligned in `width` columns, with as many decimals (at most `precision`) as fit.
pub fn cell(v: f64, width: usize, precision: usize) -> String {
    let text = fitted(v, width, precision);
    format!("{text:>width$}")
}

fn fitted(v: f64, width: usize, precision: usize) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    for p in (0..=precision).rev() {
        let s = format!("{v:.p$}");
        if s.len() <= width {
            return s;
        }
    }
    for p in (0..=2).rev() {
        let s = format!("{v:.p$e}");
        if s.len() <= width {
            return s;
        }
    }
    "#".repeat(width)
}

#[cfg(test)]
mod tests {
    use super::cell;

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
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(cell(v, 7, 3).len(), 7, "{v}");
        }
        assert_eq!(cell(-0.018, 7, 3), " -0.018");
        assert_eq!(cell(1e300, 7, 3), "1.0e300");
    }
}
