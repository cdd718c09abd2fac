//! The parsed form of a formula.

use super::Role;

/// TeX's atom classes, which decide the spacing between neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Class {
    Ord,
    /// A big operator such as Σ: takes limits, wants a space after it.
    Op,
    Bin,
    Rel,
    Open,
    Close,
    Punct,
    /// Fractions and `\left..\right` groups.
    Inner,
    /// `\text{..}` and raw CJK: kept a space apart from letters, which TeX
    /// would glue on (`\text{损失} L` must not read `损失L`).
    Text,
}

/// What an atom draws.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Glyph {
    /// Letters, digits, text: drawn as they are.
    Text(String),
    /// A command whose glyph depends on the terminal (e.g. δ or 𝛿).
    Symbol(&'static Symbol),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Atom {
    pub glyph: Glyph,
    pub class: Class,
    pub role: Option<Role>,
}

/// A bracket of `\left`/`\right` or a matrix environment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delim {
    None,
    Paren(Side),
    Bracket(Side),
    Brace(Side),
    Bar,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Side {
    Left,
    Right,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Atom(Atom),
    /// Explicit spacing (`\,`, `\quad`, ...), in columns.
    Space(usize),
    /// A braced group: one ordinary item.
    Group(Vec<Node>),
    Frac {
        num: Vec<Node>,
        den: Vec<Node>,
    },
    Scripts {
        base: Box<Node>,
        sub: Option<Box<Node>>,
        sup: Option<Box<Node>>,
    },
    Hat(Box<Node>),
    Fenced {
        open: Delim,
        close: Delim,
        body: Vec<Node>,
    },
    Matrix {
        open: Delim,
        close: Delim,
        rows: Vec<Vec<Vec<Node>>>,
    },
    /// Everything inside, padding included, plays this role.
    Role(Role, Box<Node>),
}

impl Node {
    pub fn atom(glyph: Glyph, class: Class, role: Option<Role>) -> Node {
        Node::Atom(Atom { glyph, class, role })
    }

    /// The class the node has as a neighbour in a row.
    pub fn class(&self) -> Class {
        match self {
            Node::Atom(a) => a.class,
            Node::Scripts { base, .. } => base.class(),
            Node::Role(_, inner) => inner.class(),
            Node::Frac { .. } | Node::Fenced { .. } | Node::Matrix { .. } => Class::Inner,
            Node::Space(_) | Node::Group(_) | Node::Hat(_) => Class::Ord,
        }
    }
}

/// A command drawn as a single glyph. `glyphs` lists the choices best first;
/// the last one is unambiguous in width so there is always a safe choice.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Symbol {
    pub name: &'static str,
    pub glyphs: &'static [&'static str],
    pub class: Class,
}
