//! Drawing the graph view from what [`super::Graph`] holds: the nodes in `backward()`'s order
//! (L at the top, w and b as side branches), the step's nodes and their rules below, what links
//! them to the lesson, and the symbol table on the right where there is room.

use nalgebra::DMatrix;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::super::app::App;
use super::super::canvas::{Canvas, width, wrap};
use super::super::strings::S;
use super::{Scene, Spans, grid, legend, pad, roles};
use crate::engine::Step;
use crate::engine::tape::{Linear, NodeId};
use crate::math::{self, Options, Role};
use crate::number;

/// Columns the table's value and gradient columns take each.
const VALUE_W: usize = 20;
/// The legend goes beside the graph from this width on.
const LEGEND_FROM: u16 = 116;
/// Columns the legend takes beside the graph.
const LEGEND_W: u16 = 40;

/// The linear explainer's graph view, from what its [`super::Graph`] holds.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let graph = &app.graph;
    let (Some(l), Some(walk)) = (graph.linear(), graph.walk()) else {
        return;
    };
    let what = if app.session.step().order() >= Step::Update.order() {
        S::GraphUpdate
    } else if walk.backward {
        S::GraphVisits
    } else {
        S::GraphComputes
    };
    let b = app.session.batch();
    let scene = Scene {
        tape: &l.tape,
        root: l.loss,
        walk,
        typeset: &graph.typeset,
        roles: (0..l.tape.len()).map(|k| roles(l, NodeId(k))).collect(),
        what: app.glyphs.text(what.get(app.lang)).into_owned(),
        place: (b.epoch, b.batch),
        links: links(app, l),
        legend: true,
        grids: false,
        lang: app.lang,
        theme: app.theme,
        glyphs: &app.glyphs,
        precision: app.precision(),
    };
    draw(&scene, area, buf);
}

/// The graph view of any model's tape: the table of its nodes, the step's nodes below it, the
/// links to the lesson, and the legend beside it where there is room and the scene has one.
pub fn draw(s: &Scene<'_>, area: Rect, buf: &mut Buffer) {
    let (main, side) = if s.legend && area.width >= LEGEND_FROM {
        // The table keeps 80 columns; the legend gets the rest, at most a third of a wide screen.
        let main_w = area.width.saturating_sub(LEGEND_W).max(area.width * 2 / 3);
        (
            Rect {
                width: main_w,
                ..area
            },
            Some(Rect {
                x: area.x + main_w + 1,
                width: area.width - main_w - 1,
                ..area
            }),
        )
    } else {
        (area, None)
    };
    let mut canvas = Canvas::new(buf, main);
    let room = canvas.width();
    let mut y = 0;
    heading(s, &mut canvas, y);
    y += 1;
    let links: Vec<Spans> = s
        .links
        .iter()
        .flat_map(|t| wrap(t, room))
        .map(|line| coloured(s, &line))
        .collect();
    let below = now(s, room);
    let rows = canvas.height();
    // The table gives up the rows far from the step's node before the step's own lines go.
    let must_below = 2 + below.current.len();
    for line in elide(s, table(s, room), rows.saturating_sub(y + must_below)) {
        draw_spans(&mut canvas, 0, y, &line);
        y += 1;
    }
    let data = s.glyphs.text(S::GraphData.get(s.lang)).into_owned();
    let left = rows.saturating_sub(y);
    // What must show: the step's heading and its own nodes; then the links to the lesson, the
    // rules visited before the step (whole, the latest first), the data note, the legend's place.
    let must = 1 + below.current.len();
    let links_shown = if must + links.len() <= left {
        links.len()
    } else {
        0
    };
    let mut room_earlier = left.saturating_sub(must + links_shown);
    let mut earlier: Vec<&Spans> = Vec::new();
    for group in below.earlier.iter().rev() {
        if group.len() > room_earlier {
            break;
        }
        room_earlier -= group.len();
        earlier.splice(0..0, group.iter());
    }
    let mut spare = room_earlier;
    if spare > 0 {
        canvas.text(0, y, &data, s.theme.frame());
        y += 1;
        spare -= 1;
    }
    let current_room = rows.saturating_sub(y + 1 + earlier.len() + links_shown);
    let skip = below.current.len().saturating_sub(current_room);
    let lines = std::iter::once(&below.heading)
        .chain(earlier)
        .chain(below.current.iter().skip(skip));
    for line in lines {
        if y >= rows {
            break;
        }
        draw_spans(&mut canvas, 0, y, line);
        y += 1;
    }
    let top = rows.saturating_sub(links_shown);
    for (k, line) in links.iter().take(links_shown).enumerate() {
        draw_spans(&mut canvas, 0, top + k, line);
    }
    if let Some(side) = side {
        let mut canvas = Canvas::new(buf, side);
        let w = canvas.width();
        let full = legend::lines(s.lang, s.theme, s.glyphs, w, true);
        let lines = if full.len() <= canvas.height() {
            full
        } else {
            legend::lines(s.lang, s.theme, s.glyphs, w, false)
        };
        for (k, line) in lines.iter().enumerate() {
            draw_spans(&mut canvas, 0, k, line);
        }
    } else if spare > 0 && s.legend {
        canvas.text(
            0,
            top.saturating_sub(1),
            &s.glyphs.text(S::GraphLegendInHelp.get(s.lang)),
            s.theme.frame(),
        );
    }
}

fn draw_spans(canvas: &mut Canvas<'_>, x: usize, y: usize, line: &Spans) {
    let mut x = x;
    for (text, style) in line {
        x += canvas.text(x, y, text, *style);
    }
}

/// The title rule: the view's name, what `backward()` starts from, the batch.
fn heading(s: &Scene<'_>, canvas: &mut Canvas<'_>, y: usize) {
    let (theme, rule) = (s.theme, s.glyphs.rule);
    let root = format!("{}.backward()", s.tape[s.root].label);
    let mut x = canvas.text(0, y, rule, theme.frame());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, S::GraphTitle.get(s.lang), theme.title());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &rule.repeat(2), theme.frame());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &root, theme.code());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &rule.repeat(2), theme.frame());
    let place = format!(" {} {}:{} ", S::Batch.get(s.lang), s.place.0, s.place.1);
    x += canvas.text(x, y, &place, theme.plain());
    let fill = rule.repeat(canvas.width().saturating_sub(x));
    canvas.text(x, y, &fill, theme.frame());
}

/// How a leaf hangs off the op that uses it.
fn branch(s: &Scene<'_>) -> &'static str {
    if s.glyphs.ambiguous_wide {
        "`-"
    } else {
        "└ "
    }
}

/// A node's name in the table: PyTorch's, a leaf's under its consumer.
fn node_name(s: &Scene<'_>, id: NodeId) -> String {
    let node = &s.tape[id];
    let name = node.torch_name().unwrap_or("");
    if node.is_leaf() {
        format!("{}{name}", branch(s))
    } else {
        name.to_string()
    }
}

/// A node's entries as `[a; b; ⋮; z]` with at most `most` numbers, or one number for a
/// scalar; entries after the first `rows` are not known yet.
fn entries(s: &Scene<'_>, m: &DMatrix<f64>, rows: Option<usize>, most: usize) -> String {
    let p = s.precision;
    let n = m.len();
    let one = |i: usize| {
        if rows.is_some_and(|r| i >= r) {
            s.glyphs.pending.to_string()
        } else {
            number::plain(m[i], p)
        }
    };
    if n == 1 {
        return one(0);
    }
    let shown: Vec<String> = if n <= most {
        (0..n).map(one).collect()
    } else {
        let head = most.saturating_sub(1).max(1);
        (0..head)
            .map(one)
            .chain([s.glyphs.vdots.to_string(), one(n - 1)])
            .collect()
    };
    format!("[{}]", shown.join("; "))
}

/// [`entries`] with as many numbers as fit in `w` columns; a matrix of several columns (X) by
/// its shape, as the matrix panel shows it whole.
fn fitted(s: &Scene<'_>, m: &DMatrix<f64>, rows: Option<usize>, w: usize) -> String {
    if m.ncols() > 1 {
        return format!("{}{}{}", m.nrows(), s.glyphs.times, m.ncols());
    }
    for most in (1..=4).rev() {
        let text = entries(s, m, rows, most);
        if width(&text) <= w {
            return text;
        }
    }
    // The first entry and the sign that more follow, or the first entry alone.
    let first = entries(s, m, rows, 1);
    let first = first
        .split("; ")
        .next()
        .unwrap_or(&first)
        .trim_start_matches('[');
    let short = format!("[{first}; {}]", s.glyphs.vdots);
    if width(&short) <= w {
        short
    } else {
        first.to_string()
    }
}

/// The table: a header, then one row per node in `backward()`'s order.
fn table(s: &Scene<'_>, room: usize) -> Vec<Spans> {
    let (theme, walk) = (s.theme, s.walk);
    let order = s.tape.backward_order(s.root);
    let name_w = order
        .iter()
        .map(|&id| width(&node_name(s, id)))
        .max()
        .unwrap_or(0)
        + 1;
    let label_w = order
        .iter()
        .map(|&id| width(&s.tape[id].label))
        .max()
        .unwrap_or(0)
        + 1;
    // Node numbers right-aligned, so a tape of ten nodes or more keeps its columns.
    let num_w = order.len().to_string().len();
    let fixed = 3 + num_w + name_w + label_w;
    let value_w = (room.saturating_sub(fixed) / 2).clamp(6, VALUE_W);
    let grad_title = s.glyphs.text(S::GraphGrad.get(s.lang)).into_owned();
    let mut out = vec![vec![(
        format!(
            "  {:>num_w$} {}{}{}{grad_title}",
            "#",
            pad(S::GraphNode.get(s.lang), name_w),
            pad(S::GraphCode.get(s.lang), label_w),
            pad(S::GraphValue.get(s.lang), value_w + 1),
        ),
        theme.frame(),
    )]];
    let current = walk.current();
    for (k, &id) in order.iter().enumerate() {
        let node = &s.tape[id];
        let (value_role, grad_role) = s.roles(id);
        let is_now = walk.now.contains(&id);
        let marker = if current == Some(id) {
            s.glyphs.pointer
        } else {
            " "
        };
        let name_style = if is_now {
            theme.current(None)
        } else {
            theme.plain()
        };
        let label = &node.label;
        let rows = if is_now && !walk.backward {
            walk.rows
        } else {
            None
        };
        let value = if walk.is_known(id) {
            fitted(s, &node.value, rows, value_w)
        } else {
            s.glyphs.pending.to_string()
        };
        let grad = match (&node.grad, walk.is_visited(id)) {
            (Some(g), true) => fitted(s, g, None, value_w),
            _ => s.glyphs.pending.to_string(),
        };
        let styled = |role: Role| {
            if is_now {
                theme.current(Some(role))
            } else {
                theme.role(Some(role))
            }
        };
        out.push(vec![
            (format!("{marker} "), theme.current(None)),
            (format!("{:>num_w$} ", k + 1), theme.frame()),
            (pad(&node_name(s, id), name_w), name_style),
            (pad(label, label_w), theme.code()),
            (pad(&value, value_w + 1), styled(value_role)),
            (grad, styled(grad_role)),
        ]);
    }
    out
}

/// The table in at most `most` lines: the header, then the rows around the marked node, a line
/// saying how many rows are left out where some are.
fn elide(s: &Scene<'_>, table: Vec<Spans>, most: usize) -> Vec<Spans> {
    if table.len() <= most || table.is_empty() {
        return table;
    }
    let order = s.tape.backward_order(s.root);
    let nodes = table.len() - 1;
    let at = s
        .walk
        .current()
        .and_then(|c| order.iter().position(|&id| id == c))
        .unwrap_or(0);
    // Header and two notes at most; at least the marked row.
    let mut k = most.saturating_sub(3).max(1);
    let mut start = at.saturating_sub(k / 2).min(nodes.saturating_sub(k));
    // A note on one side only gives its line back to the rows.
    if start == 0 || start + k >= nodes {
        k = (k + 1).min(nodes);
        start = at.saturating_sub(k / 2).min(nodes.saturating_sub(k));
    }
    let end = (start + k).min(nodes);
    let more = |n: usize| {
        let text = s
            .glyphs
            .text(S::GraphMore.get(s.lang))
            .replace("{n}", &n.to_string());
        vec![(format!("  {text}"), s.theme.frame())]
    };
    let mut out = vec![table[0].clone()];
    if start > 0 {
        out.push(more(start));
    }
    out.extend(table[1 + start..1 + end].iter().cloned());
    if end < nodes {
        out.push(more(nodes - end));
    }
    out
}

/// The step's part of the graph: a rule naming what the step does, then a group of lines for
/// each node visited before the step and each of the step's own (their values on the way
/// forward, their local rules with this batch's numbers on the way back), the marked node's last.
struct Below {
    heading: Spans,
    /// Every node's group but the marked one's, in order.
    earlier: Vec<Vec<Spans>>,
    /// The marked node's lines.
    current: Vec<Spans>,
}

fn now(s: &Scene<'_>, room: usize) -> Below {
    let (theme, walk) = (s.theme, s.walk);
    let rule = s.glyphs.rule;
    let title = &s.what;
    let heading = vec![
        (format!("{rule} "), theme.frame()),
        (title.clone(), theme.title()),
        (
            format!(" {}", rule.repeat(room.saturating_sub(width(title) + 3))),
            theme.frame(),
        ),
    ];
    let mut earlier_lines = Vec::new();
    let mut current = Vec::new();
    let opts = Options {
        ambiguous_wide: s.glyphs.ambiguous_wide,
    };
    let earlier: Vec<NodeId> = s
        .typeset
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !walk.now.contains(id))
        .collect();
    for &id in earlier.iter().chain(&walk.now) {
        let is_now = walk.now.contains(&id);
        let node = &s.tape[id];
        let name = node
            .torch_name()
            .unwrap_or(S::GraphDataName.get(s.lang))
            .to_string();
        let marker = if walk.current() == Some(id) {
            s.glyphs.pointer
        } else {
            " "
        };
        let typeset = s.typeset(id);
        if typeset.is_empty() && s.grids {
            let lines = grid::lines(s, id, &format!("{marker} {name}"), room);
            if walk.current() == Some(id) {
                current.extend(lines);
            } else {
                earlier_lines.push(lines);
            }
            continue;
        }
        if typeset.is_empty() {
            let (role, _) = s.roles(id);
            let rows = if walk.backward { None } else { walk.rows };
            let value = fitted(s, &node.value, rows, room.saturating_sub(4));
            let text = format!("{} = {value}", node.label);
            let line = vec![
                (format!("{marker} "), theme.current(None)),
                (pad(&name, 15), theme.plain()),
                (text, theme.current(Some(role))),
            ];
            if walk.current() == Some(id) {
                current.push(line);
            } else {
                earlier_lines.push(vec![line]);
            }
            continue;
        }
        // The node's name, then its rules: beside the name where a rule fits on the line,
        // else under it, broken before its `=` signs.
        let name_w = width(&name) + 3;
        let mut lines: Vec<Spans> = Vec::new();
        for t in typeset {
            let whole = t.block(usize::MAX, false, opts);
            let (indent, blocks) = if lines.is_empty() && name_w + whole.width <= room {
                (name_w, vec![whole])
            } else {
                let wide = room.saturating_sub(4);
                let blocks = t.blocks(wide, false, opts);
                // A member wider than the screen alone (Xᵀ of a long batch): the rule and its
                // result, as the derivation shortens it.
                match t.short() {
                    Some(short) if blocks.iter().any(|b| b.width > wide) => {
                        (4, short.blocks(wide, false, opts))
                    }
                    _ => (4, blocks),
                }
            };
            for block in blocks {
                let style = |r: Option<Role>| {
                    if is_now {
                        theme.role(r)
                    } else {
                        theme.inactive()
                    }
                };
                for line in math::tui::lines(&block, style) {
                    let mut spans = vec![(" ".repeat(indent), theme.plain())];
                    spans.extend(
                        line.spans
                            .into_iter()
                            .map(|s| (s.content.into_owned(), s.style)),
                    );
                    lines.push(spans);
                }
            }
        }
        let head = vec![
            (format!("{marker} "), theme.current(None)),
            (
                name,
                if is_now {
                    theme.title()
                } else {
                    theme.inactive()
                },
            ),
        ];
        match lines.first_mut() {
            Some(first) if first.first().is_some_and(|(t, _)| t.len() == name_w) => {
                first[0] = (" ".to_string(), theme.plain());
                let mut joined = head;
                joined.append(first);
                *first = joined;
            }
            _ => lines.insert(0, head),
        }
        // The marked node must show; the step's other nodes and those visited before it show
        // as room allows, the latest first.
        if walk.current() == Some(id) {
            current.extend(lines);
        } else {
            earlier_lines.push(lines);
        }
    }
    Below {
        heading,
        earlier: earlier_lines,
        current,
    }
}

/// The two sentences that tie the linear graph to the lesson's chain.
fn links(app: &App, l: &Linear) -> Vec<String> {
    let mean = l.objective == crate::engine::Objective::Mean;
    let (delta, grad) = if mean {
        (S::GraphDeltaLinkMean, S::GraphGradLinkMean)
    } else {
        (S::GraphDeltaLink, S::GraphGradLink)
    };
    [delta, grad]
        .iter()
        .map(|s| app.glyphs.text(s.get(app.lang)).into_owned())
        .collect()
}

/// The lesson's symbols inside a sentence, each in its role's colour (longest first, so δ₁
/// is not read as δ).
fn coloured(s: &Scene<'_>, line: &str) -> Spans {
    const SYMBOLS: [(&str, Role); 20] = [
        ("∂L/∂ŷ", Role::Delta),
        ("∂L/∂W₁", Role::GradW),
        ("∂L/∂W₂", Role::GradW),
        ("∂L/∂w", Role::GradW),
        ("Xᵀδ₁", Role::GradW),
        ("Hᵀδ", Role::GradW),
        ("Xᵀδ/N", Role::GradW),
        ("Xᵀδ", Role::GradW),
        ("W₁.grad", Role::GradW),
        ("W₂.grad", Role::GradW),
        ("w.grad", Role::GradW),
        ("Σδ₁", Role::GradB),
        ("Σδ", Role::GradB),
        ("δ₁", Role::Delta),
        ("δ/N", Role::Delta),
        ("δ", Role::Delta),
        ("ŷ", Role::YHat),
        ("Xᵀ", Role::X),
        ("W₂ᵀ", Role::W),
        ("σ′", Role::W),
    ];
    let theme = s.theme;
    let mut out: Spans = Vec::new();
    let mut plain = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match SYMBOLS.iter().find(|(sym, _)| rest.starts_with(sym)) {
            Some((sym, role)) => {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), theme.plain()));
                }
                out.push((sym.to_string(), theme.current(Some(*role))));
                rest = &rest[sym.len()..];
            }
            None => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push((plain, theme.plain()));
    }
    out
}
