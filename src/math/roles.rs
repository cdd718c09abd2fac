//! Which role a term plays, decided by its symbol so the lesson's LaTeX stays
//! plain LaTeX.

use super::Role;
use super::ast::{Glyph, Node};

/// The role of a single letter in math mode: the role `\role` names by that
/// letter (`x` → one sample's row, `N` → the batch size, ...).
pub(crate) fn of_letter(c: char) -> Option<Role> {
    NAMES
        .iter()
        .find(|(n, _)| n.len() == 1 && n.starts_with(c))
        .map(|(_, r)| *r)
}

/// The role of a symbol command such as `\delta`.
pub(crate) fn of_symbol(name: &str) -> Option<Role> {
    (name == "delta").then_some(Role::Delta)
}

/// The role of upright text (`\text{lr}`, `\mathrm{lr}`).
pub(crate) fn of_text(text: &str) -> Option<Role> {
    (text.trim() == "lr").then_some(Role::Lr)
}

/// The names `\role{name}{..}` accepts.
pub(crate) const NAMES: &[(&str, Role)] = &[
    ("X", Role::X),
    ("x", Role::XRow),
    ("w", Role::W),
    ("b", Role::B),
    ("yhat", Role::YHat),
    ("y", Role::Y),
    ("delta", Role::Delta),
    ("l", Role::LossSample),
    ("L", Role::Loss),
    ("gradw", Role::GradW),
    ("gradb", Role::GradB),
    ("lr", Role::Lr),
    ("N", Role::N),
];

pub(crate) fn by_name(name: &str) -> Option<Role> {
    NAMES.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

/// The role a node plays as the base of scripts or a hat: its scripts and
/// accents belong to the same symbol.
pub(crate) fn of_base(node: &Node) -> Option<Role> {
    match node {
        Node::Atom(a) => a.role,
        Node::Role(role, _) => Some(*role),
        Node::Hat(inner) => of_base(inner),
        Node::Group(row) => match row.as_slice() {
            [only] => of_base(only),
            _ => None,
        },
        _ => None,
    }
}

/// `\frac{\partial L}{\partial w}` is the gradient ∂L/∂w as a whole (and
/// likewise for `b`).
pub(crate) fn of_fraction(num: &[Node], den: &[Node]) -> Option<Role> {
    if !(is_partial_of(num, "L")) {
        return None;
    }
    if is_partial_of(den, "w") {
        Some(Role::GradW)
    } else if is_partial_of(den, "b") {
        Some(Role::GradB)
    } else {
        None
    }
}

fn is_partial_of(row: &[Node], letter: &str) -> bool {
    match row {
        [Node::Atom(d), Node::Atom(v)] => {
            matches!(&d.glyph, Glyph::Symbol(s) if s.name == "partial")
                && matches!(&v.glyph, Glyph::Text(t) if t == letter)
        }
        _ => false,
    }
}
