//! Formulas put together from parts instead of parsed: a worked formula with the engine's numbers
//! becomes a [`Formula`] directly, so numbers are never written out as LaTeX and read back.
//! Only the lesson's notation (`\hat{y}^{(3)}`, `\frac{\partial L}{\partial w}`) is LaTeX, given
//! to [`Row::notation`] once per formula.

use super::ast::{Class, Delim, Glyph, Node, Side};
use super::symbols;
use super::{Formula, ParseError, Role};

/// A row of items, to be set side by side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row(Vec<Node>);

/// An operator or relation between members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Plus,
    Minus,
    Dot,
    /// ⊙, entry by entry.
    Hadamard,
    Equals,
    Approx,
}

fn symbol(name: &str) -> Node {
    match symbols::lookup(name) {
        Some(sym) => Node::atom(Glyph::Symbol(sym), sym.class, None),
        None => Node::atom(Glyph::Text(name.to_string()), Class::Ord, None),
    }
}

fn text(s: &str, class: Class) -> Node {
    Node::atom(Glyph::Text(s.to_string()), class, None)
}

impl Row {
    pub fn new() -> Row {
        Row::default()
    }

    /// The lesson's notation, in the LaTeX subset [`super::parse`] reads.
    pub fn notation(latex: &str) -> Result<Row, ParseError> {
        super::parse::parse(latex).map(Row)
    }

    /// Digits as written (`-0.018`, `?`), playing `role`. A leading minus is a sign.
    pub fn number(written: &str, role: Option<Role>) -> Row {
        let mut nodes = Vec::with_capacity(2);
        match written.strip_prefix('-') {
            Some(rest) => {
                nodes.push(text("-", Class::Bin));
                nodes.push(text(rest, Class::Ord));
            }
            None => nodes.push(text(written, Class::Ord)),
        }
        Row(vec![tagged(role, nodes)])
    }

    /// `mantissa × 10^exponent`, playing `role`.
    pub fn scientific(mantissa: &str, exponent: i32, role: Option<Role>) -> Row {
        let mut nodes = Row::number(mantissa, None).0;
        nodes.push(symbol("times"));
        nodes.push(Node::Scripts {
            base: Box::new(text("10", Class::Ord)),
            sub: None,
            sup: Some(Box::new(Node::Group(
                Row::number(&exponent.to_string(), None).0,
            ))),
        });
        Row(vec![tagged(role, nodes)])
    }

    /// Upright words (`inf`, `NaN`, a label).
    pub fn words(s: &str, role: Option<Role>) -> Row {
        let mut nodes = Vec::with_capacity(2);
        let body = match s.strip_prefix('-') {
            Some(rest) => {
                nodes.push(text("-", Class::Bin));
                rest
            }
            None => s,
        };
        nodes.push(text(body, Class::Text));
        Row(vec![tagged(role, nodes)])
    }

    pub fn op(op: Op) -> Row {
        Row(vec![match op {
            Op::Plus => text("+", Class::Bin),
            Op::Minus => text("-", Class::Bin),
            Op::Dot => symbol("cdot"),
            Op::Hadamard => symbol("odot"),
            Op::Equals => text("=", Class::Rel),
            Op::Approx => symbol("approx"),
        }])
    }

    /// `⋯`, `⋮` or `⋱`, where entries are left out.
    pub fn dots(name: &str) -> Row {
        Row(vec![symbol(name)])
    }

    /// A comma between list items.
    pub fn comma() -> Row {
        Row(vec![text(",", Class::Punct), Node::Space(1)])
    }

    /// `self` followed by `other`.
    pub fn then(mut self, other: Row) -> Row {
        self.0.extend(other.0);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A stacked fraction.
    pub fn frac(num: Row, den: Row) -> Row {
        Row(vec![Node::Frac {
            num: num.0,
            den: den.0,
        }])
    }

    /// `(inner)`, brackets growing with what they hold; `squared` adds the `²`.
    pub fn parens(inner: Row, squared: bool) -> Row {
        let fenced = Node::Fenced {
            open: Delim::Paren(Side::Left),
            close: Delim::Paren(Side::Right),
            body: inner.0,
        };
        if !squared {
            return Row(vec![fenced]);
        }
        Row(vec![Node::Scripts {
            base: Box::new(fenced),
            sub: None,
            sup: Some(Box::new(text("2", Class::Ord))),
        }])
    }

    /// A bracketed matrix (a column vector is one entry per row).
    pub fn matrix(rows: Vec<Vec<Row>>) -> Row {
        Row(vec![Node::Matrix {
            open: Delim::Bracket(Side::Left),
            close: Delim::Bracket(Side::Right),
            rows: rows
                .into_iter()
                .map(|r| r.into_iter().map(|c| c.0).collect())
                .collect(),
        }])
    }
}

/// `nodes` as one item playing `role`, or as a plain group.
fn tagged(role: Option<Role>, nodes: Vec<Node>) -> Node {
    let group = Node::Group(nodes);
    match role {
        Some(r) => Node::Role(r, Box::new(group)),
        None => group,
    }
}

impl From<Row> for Formula {
    fn from(row: Row) -> Formula {
        Formula { row: row.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::math::{Options, layout_inline, parse};

    fn inline(f: Formula) -> String {
        layout_inline(&f, Options::default())
            .text_lines()
            .join("\n")
    }

    #[test]
    fn built_rows_lay_out_like_the_latex_they_stand_for() {
        let built = Row::notation(r"\hat{y}")
            .expect("notation")
            .then(Row::op(Op::Equals))
            .then(Row::number("1.5", Some(Role::X)))
            .then(Row::op(Op::Plus))
            .then(Row::parens(Row::number("-2.0", Some(Role::W)), false));
        let parsed =
            parse(r"\hat{y} = \role{x}{1.5} + \left(\role{w}{-2.0}\right)").expect("parses");
        assert_eq!(inline(built.into()), inline(parsed));
    }

    #[test]
    fn a_leading_minus_is_a_sign() {
        let row = Row::op(Op::Equals).then(Row::number("-0.018", None));
        assert_eq!(inline(row.into()), "= -0.018");
    }

    #[test]
    fn scientific_numbers_have_a_power_of_ten() {
        let f: Formula = Row::scientific("1.50", 157, None).into();
        assert_eq!(inline(f), "1.50 × 10¹⁵⁷");
    }
}
