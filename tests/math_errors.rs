//! Bad input is an error naming the problem and where it is, never a panic.

use gradstep::math::{ParseError, parse};

fn error(src: &str) -> ParseError {
    match parse(src) {
        Ok(f) => panic!("{src:?} parsed: {f:?}"),
        Err(e) => e,
    }
}

fn check(src: &str, offset: usize, message: &str) {
    let e = error(src);
    assert_eq!((e.offset, e.message.as_str()), (offset, message), "{src:?}");
}

#[test]
fn unknown_command() {
    check(r"x + \foo", 4, r"unknown command \foo");
    check(r"\mathcal{L}", 0, r"unknown command \mathcal");
}

#[test]
fn display_counts_characters_from_one() {
    assert_eq!(
        error(r"\foo").to_string(),
        r"at character 1: unknown command \foo"
    );
    // Offsets count characters, not bytes.
    assert_eq!(error(r"损失 \bar{y}").offset, 3);
}

#[test]
fn unbalanced_braces() {
    check(r"\frac{1}{2", 8, "unclosed { (missing })");
    check(r"x}", 1, "unexpected } (no { to close)");
    check(r"\text{lr", 5, "unclosed { (missing })");
}

#[test]
fn missing_arguments() {
    check(r"a + \frac{1}", 4, r"missing argument for \frac");
    check(r"x^", 1, "missing argument for ^");
    check(r"x_{i}^}", 5, "missing argument for ^");
    check(r"\hat", 0, r"missing argument for \hat");
    check(r"\role{w}", 0, r"missing argument for \role");
}

#[test]
fn unmatched_left_and_right() {
    check(r"\left( a + b", 0, r"\left( without matching \right");
    check(r"a \right)", 2, r"\right without matching \left");
    check(r"\left< x \right>", 0, r"missing delimiter after \left");
    check(r"\left( x \right", 9, r"missing delimiter after \right");
}

#[test]
fn matrices() {
    check(
        r"\begin{bmatrix} 1 \end{pmatrix}",
        18,
        r"\end{pmatrix} does not match \begin{bmatrix}",
    );
    check(
        r"\begin{bmatrix} 1 \\ 2",
        0,
        r"\begin{bmatrix} without matching \end{bmatrix}",
    );
    check(
        r"\begin{cases} 1 \end{cases}",
        0,
        "unknown environment cases",
    );
    check(r"a & b", 2, "& outside a matrix");
    check(r"a \\ b", 2, r"\\ outside a matrix");
}

#[test]
fn scripts_and_roles() {
    check(r"x^a^b", 3, "double superscript: use braces, e.g. {x^a}^b");
    check(r"x_a_b", 3, "double subscript: use braces, e.g. {x^a}^b");
    check(
        r"\role{q}{1}",
        0,
        "unknown role name 'q' in \\role (known: X x w b yhat y delta l L gradw gradb lr N)",
    );
}

#[test]
fn characters_latex_would_read_differently() {
    check("x \\", 2, r"lone \ at the end of the formula");
    check(
        "$x$",
        0,
        "$ is not needed: the whole formula is already math",
    );
    check(
        "50%",
        2,
        r"% starts a comment in LaTeX; write \% for a percent sign",
    );
    check("a\u{7}b", 1, "unsupported character U+0007");
    check("e\u{301}", 1, "unsupported character U+0301");
    check(r"\text{a $x$}", 8, r"math inside \text is not supported");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let src = "{".repeat(100_000);
    assert_eq!(error(&src).message, "formula nested too deeply");
    let src = r"\hat".repeat(10_000) + "y";
    assert_eq!(error(&src).message, "formula nested too deeply");
    let src = "x^".repeat(10_000) + "y";
    assert!(parse(&src).is_err());
}
