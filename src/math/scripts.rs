//! Sub- and superscripts: Unicode script characters when the whole script has
//! them (`x⁽ⁱ⁾`, `Xᵀ`), a raised or lowered line otherwise, and limits above
//! and below a big operator (Σ).
//!
//! The scripts themselves are laid out by the caller's `set` (layout's node
//! builder in script style), so this module only places them and does not
//! import the layout back.

use super::Options;
use super::Role;
use super::ast::{Class, Glyph, Node};
use super::frag::{Frag, Piece, Placed, place};
use super::glyphs::{subscript, superscript, usable};
use super::width::display_width;

#[derive(Clone, Copy)]
enum Kind {
    Sub,
    Sup,
}

/// How a script is being set: on one line or not, on this terminal.
#[derive(Clone, Copy)]
pub(crate) struct Setting {
    pub inline: bool,
    pub opts: Options,
}

/// `base` (already laid out as `base_frag`) with its scripts; `set` lays out
/// a script's node in script style.
pub(crate) fn attach(
    (base, base_frag): (&Node, Frag),
    sub: Option<&Node>,
    sup: Option<&Node>,
    setting: Setting,
    set: &dyn Fn(&Node) -> Frag,
) -> Frag {
    let Setting { inline, opts } = setting;
    if is_big_operator(base) && !inline {
        return limits(base_frag, sub, sup, set);
    }
    let sub_char = sub.and_then(|s| as_script_chars(s, Kind::Sub, opts));
    let sup_char = sup.and_then(|s| as_script_chars(s, Kind::Sup, opts));
    if inline {
        let mut parts = vec![base_frag];
        for (node, chars, mark) in [(sub, sub_char, "_"), (sup, sup_char, "^")] {
            if let Some(node) = node {
                parts.push(chars.unwrap_or_else(|| marked(set(node), mark, opts)));
            }
        }
        return Frag::hcat(parts);
    }
    // A hat's mark is decoration: scripts attach to the letter's line.
    let sup_row = if is_hat(base) { base_frag.baseline } else { 0 };
    beside(base_frag, sup_row, (sub, sub_char), (sup, sup_char), set)
}

fn is_hat(node: &Node) -> bool {
    match node {
        Node::Hat(_) => true,
        Node::Role(_, inner) => is_hat(inner),
        _ => false,
    }
}

/// Σ and friends, whether or not wrapped in a role.
fn is_big_operator(node: &Node) -> bool {
    match node {
        Node::Atom(a) => a.class == Class::Op,
        Node::Role(_, inner) => is_big_operator(inner),
        _ => false,
    }
}

/// The limits of Σ centred above and below it.
fn limits(base: Frag, sub: Option<&Node>, sup: Option<&Node>, set: &dyn Fn(&Node) -> Frag) -> Frag {
    let above = sup.map(set);
    let below = sub.map(set);
    let baseline = above.as_ref().map_or(0, Frag::height) + base.baseline;
    let parts = above.into_iter().chain([base]).chain(below).collect();
    Frag::vstack(parts, baseline)
}

/// The one-line fallback for a script without Unicode forms: `_{i=1}`, `^N`.
fn marked(body: Frag, mark: &str, opts: Options) -> Frag {
    if body.width <= 1 {
        Frag::hcat(vec![Frag::text(mark, None, opts), body])
    } else {
        Frag::hcat(vec![
            Frag::text(&format!("{mark}{{"), None, opts),
            body,
            Frag::text("}", None, opts),
        ])
    }
}

/// Scripts to the right of a two-dimensional base. Script characters sit on
/// the base's top (sup) or bottom (sub) line; other scripts go on lines of
/// their own above or below a one-line base, or beside the top and bottom
/// lines of a taller one (so `(…)²` wears its square at the top right).
fn beside(
    base: Frag,
    sup_row: usize,
    (sub, sub_char): (Option<&Node>, Option<Frag>),
    (sup, sup_char): (Option<&Node>, Option<Frag>),
    set: &dyn Fn(&Node) -> Frag,
) -> Frag {
    let hb = base.height() as isize;
    let sup_row = sup_row as isize;
    // (fragment, top row relative to the base's top row)
    let mut scripts: Vec<(Frag, isize)> = Vec::new();
    match (sub_char, sup_char) {
        (Some(s), Some(p)) if sup_row == hb - 1 => scripts.push((Frag::hcat(vec![s, p]), sup_row)),
        (sub_char, sup_char) => {
            if let Some(s) = sub_char {
                scripts.push((s, hb - 1));
            } else if let Some(node) = sub {
                let f = set(node);
                scripts.push((f, if hb == 1 { 1 } else { hb - 1 }));
            }
            if let Some(p) = sup_char {
                scripts.push((p, sup_row));
            } else if let Some(node) = sup {
                let f = set(node);
                let bottom = if hb == 1 { -1 } else { 0 };
                let top = bottom - (f.height() as isize - 1);
                scripts.push((f, top));
            }
        }
    }
    let first = scripts.iter().map(|(_, t)| *t).min().unwrap_or(0).min(0);
    let last = scripts
        .iter()
        .map(|(f, t)| t + f.height() as isize - 1)
        .max()
        .unwrap_or(0)
        .max(hb - 1);
    let shift = first.unsigned_abs();
    let height = (last - first + 1).unsigned_abs();
    let width = base.width + scripts.iter().map(|(f, _)| f.width).max().unwrap_or(0);
    let baseline = base.baseline + shift;
    let col = base.width;
    let mut placed = vec![Placed::new(base, 0, shift)];
    for (f, top) in scripts {
        placed.push(Placed::new(f, col, (top + first.abs()).unsigned_abs()));
    }
    place(width, height, baseline, placed)
}

/// The script as one line of Unicode script characters, if every character
/// has one (and it is safe on this terminal). Roles are kept per character.
fn as_script_chars(node: &Node, kind: Kind, opts: Options) -> Option<Frag> {
    let mut pieces = Vec::new();
    collect(node, None, kind, opts, &mut pieces)?;
    Some(Frag::line(pieces))
}

fn collect(
    node: &Node,
    role: Option<Role>,
    kind: Kind,
    opts: Options,
    out: &mut Vec<Piece>,
) -> Option<()> {
    match node {
        Node::Atom(a) => {
            // Map from the preferred glyph: 𝛿 has no script form, δ has ᵟ.
            let source = match &a.glyph {
                Glyph::Text(t) => t.as_str(),
                Glyph::Symbol(s) => s.glyphs.first().copied().unwrap_or(""),
            };
            let to = match kind {
                Kind::Sub => subscript,
                Kind::Sup => superscript,
            };
            let text: String = source.chars().map(to).collect::<Option<_>>()?;
            if !usable(&text, opts) {
                return None;
            }
            out.push(Piece {
                cols: display_width(&text, opts),
                text,
                role: role.or(a.role),
            });
            Some(())
        }
        Node::Group(row) => row
            .iter()
            .try_for_each(|n| collect(n, role, kind, opts, out)),
        // The outermost role wins, as it does in two-dimensional layout.
        Node::Role(r, inner) => collect(inner, role.or(Some(*r)), kind, opts, out),
        _ => None,
    }
}
