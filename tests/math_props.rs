//! Any input either renders or is an error, and every rendering is a
//! well-formed block.

use gradstep::math::{Block, Options, display_width, fit, layout, layout_inline, parse};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

const TOKENS: &[&str] = &[
    r"\frac",
    "{",
    "}",
    "^",
    "_",
    r"\left(",
    r"\right)",
    r"\left[",
    r"\right]",
    r"\left.",
    r"\right|",
    r"\sum",
    r"\hat",
    "x",
    "y",
    "N",
    "w",
    "1",
    "-0.018",
    "1.2e-5",
    "NaN",
    "=",
    "+",
    "-",
    r"\cdot",
    r"\times",
    r"\leftarrow",
    r"\le",
    r"\approx",
    r"\ldots",
    r"\cdots",
    r"\text{损失}",
    r"\text{lr}",
    r"\mathrm{lr}",
    r"\partial",
    r"\delta",
    r"\Sigma",
    r"\begin{bmatrix}",
    r"\end{bmatrix}",
    r"\begin{pmatrix}",
    r"\end{pmatrix}",
    "&",
    r"\\",
    r"\role{w}",
    r"\role{yhat}",
    r"\,",
    r"\;",
    r"\quad",
    r"\ ",
    "(",
    ")",
    "[",
    "]",
    " ",
    ",",
    "'",
    "δ",
    "Σ",
    "损",
    "\\",
    "%",
    "$",
    r"\foo",
];

/// The invariants of a block, measured with `unicode-width` directly.
fn well_formed(b: &Block, opts: Options) -> Result<(), TestCaseError> {
    prop_assert!(b.height >= 1);
    prop_assert_eq!(b.lines.len(), b.height);
    prop_assert!(b.baseline < b.height);
    for line in &b.lines {
        let text: String = line.iter().map(|s| s.text.as_str()).collect();
        let measured = if opts.ambiguous_wide {
            text.width_cjk()
        } else {
            text.width()
        };
        prop_assert_eq!(measured, b.width, "line {:?}", text);
        let by_span: usize = line.iter().map(|s| display_width(&s.text, opts)).sum();
        prop_assert_eq!(by_span, b.width);
    }
    Ok(())
}

fn renders_well(src: &str) -> Result<(), TestCaseError> {
    let Ok(f) = parse(src) else {
        return Ok(());
    };
    for opts in [
        Options::default(),
        Options {
            ambiguous_wide: true,
        },
    ] {
        well_formed(&layout(&f, opts), opts)?;
        let inline = layout_inline(&f, opts);
        well_formed(&inline, opts)?;
        prop_assert_eq!(inline.height, 1);
        let fitted = fit(&f, 20, opts);
        well_formed(&fitted, opts)?;
        prop_assert!(fitted.width <= 20 || fitted.height == 1);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(src in any::<String>()) {
        renders_well(&src)?;
    }

    #[test]
    fn latex_like_token_soup_never_panics(
        tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..40)
    ) {
        renders_well(&tokens.concat())?;
    }

    #[test]
    fn balanced_formulas_parse_and_render(depth in 0usize..6, seed in any::<u64>()) {
        let src = nested(depth, seed);
        prop_assert!(parse(&src).is_ok(), "{}", src);
        renders_well(&src)?;
    }
}

/// A well-formed formula with fractions, brackets, sums and matrices nested
/// `depth` deep, picked by `seed`.
fn nested(depth: usize, seed: u64) -> String {
    if depth == 0 {
        return [
            "x^{(i)}",
            r"\hat{y}",
            "4.183",
            r"\delta",
            r"\text{损失}",
            "N",
        ][(seed % 6) as usize]
            .to_string();
    }
    let a = nested(depth - 1, seed / 7);
    let b = nested(depth - 1, seed / 11 + 1);
    match seed % 6 {
        0 => format!(r"\frac{{{a}}}{{{b}}}"),
        1 => format!(r"\left( {a} - {b} \right)^2"),
        2 => format!(r"\sum_{{i=1}}^{{N}} {a} \cdot {b}"),
        3 => format!(r"\begin{{bmatrix}} {a} & 1 \\ {b} & 2 \end{{bmatrix}}"),
        4 => format!(r"\left[ {a} \right]_{{{b}}}"),
        _ => format!(r"{{{a}}}^{{{b}}} = \role{{w}}{{{b}}}"),
    }
}
