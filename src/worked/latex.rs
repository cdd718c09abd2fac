//! The LaTeX output: what a handout prints, for KaTeX, MathJax and pandoc.

use super::print::{self, Dots, Sink};
use super::{Elision, Equation};
use crate::math::Role;
use crate::math::build::Op;
use crate::number::Written;

/// LaTeX source, pieces separated by single spaces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tex(pub String);

impl Sink for Tex {
    fn empty() -> Self {
        Tex::default()
    }

    fn then(self, next: Self) -> Self {
        match (self.0.is_empty(), next.0.is_empty()) {
            (true, _) => next,
            (_, true) => self,
            _ => Tex(format!("{} {}", self.0, next.0)),
        }
    }

    fn number(written: &Written, _: Option<Role>) -> Self {
        Tex(written.latex())
    }

    fn unknown(_: Option<Role>) -> Self {
        Tex("?".into())
    }

    fn exact(text: &str, _: Option<Role>) -> Self {
        Tex(text.into())
    }

    fn notation(latex: &str) -> Self {
        Tex(latex.into())
    }

    fn op(op: Op) -> Self {
        Tex(match op {
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Dot => r"\cdot",
            Op::Hadamard => r"\odot",
            Op::Equals => "=",
            Op::Approx => r"\approx",
        }
        .into())
    }

    fn frac(num: Self, den: Self) -> Self {
        Tex(format!(r"\frac{{{}}}{{{}}}", num.0, den.0))
    }

    fn parens(inner: Self, squared: bool) -> Self {
        let sq = if squared { "^2" } else { "" };
        Tex(format!(r"\left( {} \right){sq}", inner.0))
    }

    fn matrix(rows: Vec<Vec<Self>>) -> Self {
        let rows: Vec<String> = rows
            .into_iter()
            .map(|r| r.into_iter().map(|c| c.0).collect::<Vec<_>>().join(" & "))
            .collect();
        Tex(format!(
            r"\begin{{bmatrix}} {} \end{{bmatrix}}",
            rows.join(r" \\ ")
        ))
    }

    fn dots(dots: Dots) -> Self {
        Tex(match dots {
            Dots::Across => r"\cdots",
            Dots::Down => r"\vdots",
            Dots::Diagonal => r"\ddots",
        }
        .into())
    }

    fn comma() -> Self {
        Tex(r",\,".into())
    }
}

/// The equation as one line of LaTeX.
pub fn latex(eq: &Equation, el: Elision) -> String {
    print::equation::<Tex>(eq, el).0
}

/// One member as LaTeX (a table cell, a matrix on its own).
pub fn member(eq: &Equation, k: usize, el: Elision) -> String {
    print::member::<Tex>(eq, k, el).0
}
