//! Drawing the graph view from what [`super::Graph`] holds: the nodes in `backward()`'s order
//! (L at the top, w and b as side branches), the step's nodes and their rules below, what links
//! them to the lesson, and the symbol table on the right where there is room.

use nalgebra::DMatrix;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::super::app::App;
use super::super::canvas::{Canvas, width, wrap};
use super::super::strings::S;
use super::{Graph, legend, pad, roles};
use crate::engine::Step;
use crate::engine::tape::{Linear, NodeId, Walk};
use crate::math::{self, Options, Role};
use crate::number;

/// Columns the table's value and gradient columns take each.
const VALUE_W: usize = 20;
/// The legend goes beside the graph from this width on.
const LEGEND_FROM: u16 = 116;
/// Columns the legend takes beside the graph.
const LEGEND_W: u16 = 40;

type Spans = Vec<(String, Style)>;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let graph = &app.graph;
    let (Some(l), Some(walk)) = (graph.linear(), graph.walk()) else {
        return;
    };
    let (main, side) = if area.width >= LEGEND_FROM {
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
    heading(app, &mut canvas, y, l);
    y += 1;
    for line in table(app, l, walk, room) {
        draw_spans(&mut canvas, 0, y, &line);
        y += 1;
    }
    let data = app.glyphs.text(S::GraphData.get(app.lang)).into_owned();
    let links = links(app, l, room);
    let below = now(app, graph, l, walk, room);
    let rows = canvas.height();
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
        canvas.text(0, y, &data, app.theme.frame());
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
        let full = legend::lines(app.lang, app.theme, &app.glyphs, w, true);
        let lines = if full.len() <= canvas.height() {
            full
        } else {
            legend::lines(app.lang, app.theme, &app.glyphs, w, false)
        };
        for (k, line) in lines.iter().enumerate() {
            draw_spans(&mut canvas, 0, k, line);
        }
    } else if spare > 0 {
        canvas.text(
            0,
            top.saturating_sub(1),
            &app.glyphs.text(S::GraphLegendInHelp.get(app.lang)),
            app.theme.frame(),
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
fn heading(app: &App, canvas: &mut Canvas<'_>, y: usize, l: &Linear) {
    let (theme, rule) = (app.theme, app.glyphs.rule);
    let b = app.session.batch();
    let root = format!("{}.backward()", l.tape[l.loss].label);
    let mut x = canvas.text(0, y, rule, theme.frame());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, S::GraphTitle.get(app.lang), theme.title());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &rule.repeat(2), theme.frame());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &root, theme.code());
    x += canvas.text(x, y, " ", theme.plain());
    x += canvas.text(x, y, &rule.repeat(2), theme.frame());
    let place = format!(" {} {}:{} ", S::Batch.get(app.lang), b.epoch, b.batch);
    x += canvas.text(x, y, &place, theme.plain());
    let fill = rule.repeat(canvas.width().saturating_sub(x));
    canvas.text(x, y, &fill, theme.frame());
}

/// How a leaf hangs off the op that uses it.
fn branch(app: &App) -> &'static str {
    if app.glyphs.ambiguous_wide {
        "`-"
    } else {
        "└ "
    }
}

/// A node's name in the table: PyTorch's, a leaf's under its consumer.
fn node_name(app: &App, l: &Linear, id: NodeId) -> String {
    let node = &l.tape[id];
    let name = node.torch_name().unwrap_or("");
    if node.is_leaf() {
        format!("{}{name}", branch(app))
    } else {
        name.to_string()
    }
}

/// A node's entries as `[a; b; ⋮; z]` with at most `most` numbers, or one number for a
/// scalar; entries after the first `rows` are not known yet.
fn entries(app: &App, m: &DMatrix<f64>, rows: Option<usize>, most: usize) -> String {
    let p = app.precision();
    let n = m.len();
    let one = |i: usize| {
        if rows.is_some_and(|r| i >= r) {
            app.glyphs.pending.to_string()
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
            .chain([app.glyphs.vdots.to_string(), one(n - 1)])
            .collect()
    };
    format!("[{}]", shown.join("; "))
}

/// [`entries`] with as many numbers as fit in `w` columns; a matrix of several columns (X) by
/// its shape, as the matrix panel shows it whole.
fn fitted(app: &App, m: &DMatrix<f64>, rows: Option<usize>, w: usize) -> String {
    if m.ncols() > 1 {
        return format!("{}{}{}", m.nrows(), app.glyphs.times, m.ncols());
    }
    for most in (1..=4).rev() {
        let text = entries(app, m, rows, most);
        if width(&text) <= w {
            return text;
        }
    }
    // The first entry and the sign that more follow, or the first entry alone.
    let first = entries(app, m, rows, 1);
    let first = first
        .split("; ")
        .next()
        .unwrap_or(&first)
        .trim_start_matches('[');
    let short = format!("[{first}; {}]", app.glyphs.vdots);
    if width(&short) <= w {
        short
    } else {
        first.to_string()
    }
}

/// The table: a header, then one row per node in `backward()`'s order.
fn table(app: &App, l: &Linear, walk: &Walk, room: usize) -> Vec<Spans> {
    let theme = app.theme;
    let order = l.backward_order();
    let name_w = order
        .iter()
        .map(|&id| width(&node_name(app, l, id)))
        .max()
        .unwrap_or(0)
        + 1;
    let label_w = order
        .iter()
        .map(|&id| width(&l.tape[id].label))
        .max()
        .unwrap_or(0)
        + 1;
    let fixed = 4 + name_w + label_w;
    let value_w = (room.saturating_sub(fixed) / 2).clamp(6, VALUE_W);
    let grad_title = app.glyphs.text(S::GraphGrad.get(app.lang)).into_owned();
    let mut out = vec![vec![(
        format!(
            "  # {}{}{}{grad_title}",
            pad(S::GraphNode.get(app.lang), name_w),
            pad(S::GraphCode.get(app.lang), label_w),
            pad(S::GraphValue.get(app.lang), value_w + 1),
        ),
        theme.frame(),
    )]];
    let current = walk.current();
    for (k, &id) in order.iter().enumerate() {
        let node = &l.tape[id];
        let (value_role, grad_role) = roles(l, id);
        let is_now = walk.now.contains(&id);
        let marker = if current == Some(id) {
            app.glyphs.pointer
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
            fitted(app, &node.value, rows, value_w)
        } else {
            app.glyphs.pending.to_string()
        };
        let grad = match (&node.grad, walk.is_visited(id)) {
            (Some(g), true) => fitted(app, g, None, value_w),
            _ => app.glyphs.pending.to_string(),
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
            (format!("{} ", k + 1), theme.frame()),
            (pad(&node_name(app, l, id), name_w), name_style),
            (pad(label, label_w), theme.code()),
            (pad(&value, value_w + 1), styled(value_role)),
            (grad, styled(grad_role)),
        ]);
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

fn now(app: &App, graph: &Graph, l: &Linear, walk: &Walk, room: usize) -> Below {
    let theme = app.theme;
    let step = app.session.step();
    let what = if step.order() >= Step::Update.order() {
        S::GraphUpdate
    } else if walk.backward {
        S::GraphVisits
    } else {
        S::GraphComputes
    };
    let rule = app.glyphs.rule;
    let title = app.glyphs.text(what.get(app.lang)).into_owned();
    let heading = vec![
        (format!("{rule} "), theme.frame()),
        (title.clone(), theme.title()),
        (
            format!(" {}", rule.repeat(room.saturating_sub(width(&title) + 3))),
            theme.frame(),
        ),
    ];
    let mut earlier_lines = Vec::new();
    let mut current = Vec::new();
    let opts = Options {
        ambiguous_wide: app.glyphs.ambiguous_wide,
    };
    let earlier: Vec<NodeId> = graph
        .typeset
        .iter()
        .map(|(id, _)| *id)
        .filter(|id| !walk.now.contains(id))
        .collect();
    for &id in earlier.iter().chain(&walk.now) {
        let is_now = walk.now.contains(&id);
        let node = &l.tape[id];
        let name = node
            .torch_name()
            .unwrap_or(S::GraphDataName.get(app.lang))
            .to_string();
        let marker = if walk.current() == Some(id) {
            app.glyphs.pointer
        } else {
            " "
        };
        let typeset = graph.typeset(id);
        if typeset.is_empty() {
            let (role, _) = roles(l, id);
            let rows = if walk.backward { None } else { walk.rows };
            let value = fitted(app, &node.value, rows, room.saturating_sub(4));
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

/// The two sentences that tie the graph to the lesson's chain, their symbols in role colours.
fn links(app: &App, l: &Linear, room: usize) -> Vec<Spans> {
    let mean = l.objective == crate::engine::Objective::Mean;
    let (delta, grad) = if mean {
        (S::GraphDeltaLinkMean, S::GraphGradLinkMean)
    } else {
        (S::GraphDeltaLink, S::GraphGradLink)
    };
    let mut out = Vec::new();
    for s in [delta, grad] {
        let text = app.glyphs.text(s.get(app.lang)).into_owned();
        for line in wrap(&text, room) {
            out.push(coloured(app, &line));
        }
    }
    out
}

/// The lesson's symbols inside a sentence, each in its role's colour.
fn coloured(app: &App, line: &str) -> Spans {
    const SYMBOLS: [(&str, Role); 9] = [
        ("∂L/∂ŷ", Role::Delta),
        ("∂L/∂w", Role::GradW),
        ("Xᵀδ/N", Role::GradW),
        ("Xᵀδ", Role::GradW),
        ("w.grad", Role::GradW),
        ("δ/N", Role::Delta),
        ("δ", Role::Delta),
        ("ŷ", Role::YHat),
        ("Xᵀ", Role::X),
    ];
    let theme = app.theme;
    let mut out: Spans = Vec::new();
    let mut plain = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        match SYMBOLS.iter().find(|(s, _)| rest.starts_with(s)) {
            Some((s, role)) => {
                if !plain.is_empty() {
                    out.push((std::mem::take(&mut plain), theme.plain()));
                }
                out.push((s.to_string(), theme.current(Some(*role))));
                rest = &rest[s.len()..];
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
