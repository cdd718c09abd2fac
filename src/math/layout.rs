//! Lays a parsed formula out as a fragment: rows with TeX-like spacing,
//! fractions, hats, growing brackets and matrices. Scripts and limits live in
//! `scripts.rs`.

use super::Options;
use super::ast::{Class, Delim, Glyph, Node};
use super::frag::{Frag, Piece, Placed, place};
use super::glyphs::{self, choose, delim_small, delim_tall, usable};
use super::scripts;
use super::width::display_width;

/// How the current part of the formula is being set.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    pub opts: Options,
    /// Everything on one line.
    pub inline: bool,
    /// Inside a sub- or superscript, where TeX drops most spaces (`i=1`).
    pub script: bool,
}

/// Columns between the cells of a matrix.
const CELL_GAP: usize = 2;

pub(crate) fn layout_row(row: &[Node], opts: Options, inline: bool) -> Frag {
    let cx = Ctx {
        opts,
        inline,
        script: false,
    };
    row_frag(row, cx)
}

/// A row of items side by side, spaced by their classes.
pub(crate) fn row_frag(row: &[Node], cx: Ctx) -> Frag {
    let classes = effective_classes(row);
    let mut parts = Vec::with_capacity(row.len() * 2);
    let mut prev: Option<Class> = None;
    for (node, class) in row.iter().zip(classes) {
        if let Node::Space(n) = node {
            // An explicit space stands in for the automatic one: a terminal has no thinner gap.
            parts.push(Frag::space(*n));
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let g = gap(p, class, cx.script);
            if g > 0 {
                parts.push(Frag::space(g));
            }
        }
        parts.push(node_frag(node, cx));
        prev = Some(class);
    }
    Frag::hcat(parts)
}

/// The classes of a row's items, with TeX's rule that a binary operator with
/// nothing to combine on its left (or right) is a sign: `= -0.018`.
fn effective_classes(row: &[Node]) -> Vec<Class> {
    let mut classes: Vec<Class> = row.iter().map(Node::class).collect();
    let solid: Vec<usize> = (0..row.len())
        .filter(|&i| !matches!(row[i], Node::Space(_)))
        .collect();
    for (k, &i) in solid.iter().enumerate() {
        if classes[i] != Class::Bin {
            continue;
        }
        let before = k.checked_sub(1).map(|j| classes[solid[j]]);
        let after = solid.get(k + 1).map(|&j| row[j].class());
        let unary = matches!(
            before,
            None | Some(Class::Bin | Class::Op | Class::Rel | Class::Open | Class::Punct)
        ) || matches!(after, None | Some(Class::Rel | Class::Close | Class::Punct));
        if unary {
            classes[i] = Class::Ord;
        }
    }
    classes
}

/// Columns between neighbours of the given classes: TeX's spacing table with
/// every non-zero space rounded to one column.
fn gap(left: Class, right: Class, script: bool) -> usize {
    use Class::*;
    // Text keeps a space from symbols so words do not run into letters.
    if !script && (left == Text || right == Text) {
        let near = |c| matches!(c, Ord | Op | Inner | Text);
        if near(left) && near(right) {
            return 1;
        }
    }
    let ord = |c| if c == Text { Ord } else { c };
    // (always, or only outside scripts)
    let (always, nonscript) = match (ord(left), ord(right)) {
        (Open, _) | (_, Close) | (_, Punct) => (false, false),
        (Rel, Rel) => (false, false),
        (Bin, _) | (_, Bin) => (false, true),
        (Rel, _) | (_, Rel) => (false, true),
        (Op, Ord | Op) | (Ord | Close, Op) | (Inner, Op) => (true, false),
        // Σ( would touch in a terminal; TeX's 0 here relies on the big glyph.
        (Op, Open | Inner) => (false, true),
        (Punct, _) => (false, true),
        (Inner, Ord | Open | Inner) | (Ord | Close, Inner) => (false, true),
        _ => (false, false),
    };
    usize::from(always || (nonscript && !script))
}

pub(crate) fn node_frag(node: &Node, cx: Ctx) -> Frag {
    match node {
        Node::Atom(a) => Frag::text(atom_text(&a.glyph, cx.opts), a.role, cx.opts),
        Node::Space(n) => Frag::space(*n),
        Node::Group(row) => row_frag(row, cx),
        Node::Role(role, inner) => node_frag(inner, cx).with_role(*role),
        Node::Frac { num, den } => fraction(num, den, cx),
        Node::Scripts { base, sub, sup } => {
            let in_script = Ctx { script: true, ..cx };
            let setting = scripts::Setting {
                inline: cx.inline,
                opts: cx.opts,
            };
            scripts::attach(
                (base, node_frag(base, cx)),
                sub.as_deref(),
                sup.as_deref(),
                setting,
                &|n| node_frag(n, in_script),
            )
        }
        Node::Hat(inner) => hat(inner, cx),
        Node::Fenced { open, close, body } => {
            let body = row_frag(body, cx);
            fence(*open, body, *close, cx)
        }
        Node::Matrix { open, close, rows } => matrix(*open, rows, *close, cx),
    }
}

/// The text an atom draws on this terminal.
pub(crate) fn atom_text(glyph: &Glyph, opts: Options) -> &str {
    match glyph {
        Glyph::Text(t) => t,
        Glyph::Symbol(sym) => choose(sym.glyphs, opts),
    }
}

fn fraction(num: &[Node], den: &[Node], cx: Ctx) -> Frag {
    let top = row_frag(num, cx);
    let bottom = row_frag(den, cx);
    if cx.inline {
        return Frag::hcat(vec![
            parenthesized_if(needs_parens(num), top, cx),
            Frag::text("/", None, cx.opts),
            parenthesized_if(needs_parens(den), bottom, cx),
        ]);
    }
    let width = top.width.max(bottom.width);
    let rule = glyphs::rule(cx.opts);
    let rule_cols = display_width(rule, cx.opts).max(1);
    let rule = Frag::text(&rule.repeat(width / rule_cols), None, cx.opts);
    let baseline = top.height();
    Frag::vstack(vec![top, rule, bottom], baseline)
}

fn parenthesized_if(yes: bool, inner: Frag, cx: Ctx) -> Frag {
    if yes {
        Frag::hcat(vec![
            Frag::text("(", None, cx.opts),
            inner,
            Frag::text(")", None, cx.opts),
        ])
    } else {
        inner
    }
}

/// A side of an inline fraction needs parentheses when it is more than a
/// product of symbols: `(a + b)/2`, but `∂L/∂w`.
fn needs_parens(row: &[Node]) -> bool {
    fn compound(node: &Node) -> bool {
        match node {
            Node::Group(row) => row.iter().any(compound),
            Node::Role(_, inner) => compound(inner),
            Node::Space(_) | Node::Frac { .. } => true,
            Node::Atom(a) => match &a.glyph {
                Glyph::Text(t) if a.class == Class::Text => t.contains(' '),
                _ => matches!(a.class, Class::Bin | Class::Rel | Class::Punct | Class::Op),
            },
            Node::Scripts { base, .. } => compound(base),
            Node::Hat(_) | Node::Fenced { .. } | Node::Matrix { .. } => false,
        }
    }
    row.iter().any(compound)
}

fn hat(inner: &Node, cx: Ctx) -> Frag {
    if let Node::Atom(a) = inner
        && let Some(h) = precomposed_hat(&a.glyph).filter(|h| usable(h, cx.opts))
    {
        return Frag::text(&h, a.role, cx.opts);
    }
    let body = node_frag(inner, cx);
    if cx.inline {
        return Frag::hcat(vec![
            Frag::text("hat(", None, cx.opts),
            body,
            Frag::text(")", None, cx.opts),
        ]);
    }
    let baseline = body.baseline + 1;
    Frag::vstack(
        vec![Frag::text(glyphs::HAT_MARK, None, cx.opts), body],
        baseline,
    )
}

/// `ŷ` for `\hat{y}`: a single letter with a precomposed circumflex.
fn precomposed_hat(glyph: &Glyph) -> Option<String> {
    let Glyph::Text(t) = glyph else {
        return None;
    };
    let mut chars = t.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => glyphs::with_hat(c).map(String::from),
        _ => None,
    }
}

/// `body` between two delimiters that grow to its height.
pub(crate) fn fence(open: Delim, body: Frag, close: Delim, cx: Ctx) -> Frag {
    let (height, baseline) = (body.height(), body.baseline);
    let side = |d: Delim| {
        let pieces = if cx.inline || height == 1 {
            let small = delim_small(d);
            if small.is_empty() {
                vec![]
            } else {
                vec![small; height]
            }
        } else {
            delim_tall(d, height)
        };
        column(&pieces, height, baseline, cx)
    };
    Frag::hcat(vec![side(open), body, side(close)])
}

/// One glyph per row (or nothing at all, `\left.`), `height` rows tall.
fn column(pieces: &[&str], height: usize, baseline: usize, cx: Ctx) -> Frag {
    let cols = pieces
        .iter()
        .map(|p| display_width(p, cx.opts))
        .max()
        .unwrap_or(0);
    let rows = (0..height)
        .map(|r| match pieces.get(r) {
            Some(p) => {
                let w = display_width(p, cx.opts);
                let mut row = vec![Piece {
                    text: (*p).to_string(),
                    role: None,
                    cols: w,
                }];
                if w < cols {
                    row.push(Piece::blank(cols - w));
                }
                row
            }
            None if cols > 0 => vec![Piece::blank(cols)],
            None => vec![],
        })
        .collect();
    Frag {
        width: cols,
        baseline,
        rows,
    }
}

fn matrix(open: Delim, rows: &[Vec<Vec<Node>>], close: Delim, cx: Ctx) -> Frag {
    let cells: Vec<Vec<Frag>> = rows
        .iter()
        .map(|r| r.iter().map(|c| row_frag(c, cx)).collect())
        .collect();
    if cx.inline {
        let mut parts = Vec::new();
        for (i, row) in cells.into_iter().enumerate() {
            if i > 0 {
                parts.push(Frag::text("; ", None, cx.opts));
            }
            for (j, cell) in row.into_iter().enumerate() {
                if j > 0 {
                    parts.push(Frag::text(", ", None, cx.opts));
                }
                parts.push(cell);
            }
        }
        return fence(open, Frag::hcat(parts), close, cx);
    }
    let ncols = cells.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..ncols)
        .map(|j| {
            let col = cells.iter().filter_map(|r| r.get(j));
            col.map(|c| c.width).max().unwrap_or(0)
        })
        .collect();
    let pad = usize::from(open != Delim::None || close != Delim::None);
    let mut placed = Vec::new();
    let mut top = 0;
    for row in cells {
        let ascent = row.iter().map(Frag::ascent).max().unwrap_or(0);
        let descent = row.iter().map(Frag::descent).max().unwrap_or(0);
        let mut x = pad;
        for (cell, w) in row.into_iter().zip(&widths) {
            // Right-aligned, so numbers line up on their last digit.
            let (col, r) = (x + (w - cell.width), top + ascent - cell.ascent());
            placed.push(Placed::new(cell, col, r));
            x += w + CELL_GAP;
        }
        top += ascent + descent + 1;
    }
    let content = widths.iter().sum::<usize>() + CELL_GAP * ncols.saturating_sub(1);
    let height = top.max(1);
    let body = place(content + 2 * pad, height, (height - 1) / 2, placed);
    fence(open, body, close, cx)
}
