//! Ask any cell: where its number comes from, as the formula that produced it with the batch's
//! numbers in it, and which cells it was computed from.

use super::Dir;
use crate::lesson::latex::{count, lead, operand, paren_if_negative, role};
use crate::math::{self, Options, Role};
use crate::ui::app::App;
use crate::ui::canvas::{Canvas, wrap};
use crate::ui::matrices::GROUPS;
use crate::ui::progress::Id;
use crate::ui::strings::S;
use crate::ui::theme::Mark;

/// Sums longer than this show their first terms and the last around `\cdots`.
const MAX_TERMS: usize = 4;
/// `x⁽ⁱ⁾w` shows every product up to this many features.
const MAX_PRODUCTS: usize = 3;

/// What the inspect panel shows about one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The cell in words, e.g. "ŷ, row 3".
    pub cell: String,
    /// The formula first, then its numbers, as LaTeX.
    pub lines: Vec<String>,
    /// One line per term of a sum (∂L/∂w, ∂L/∂b), elided on screen when rows run short.
    pub terms: Vec<String>,
    /// The sum of the terms and its value, after them.
    pub result: Vec<String>,
    pub notes: Vec<String>,
    /// The cells it was computed from: None stands for every row or column.
    pub sources: Vec<(Id, Option<usize>, Option<usize>)>,
}

fn role_name(id: Id) -> &'static str {
    match id {
        Id::X | Id::XT => "x",
        Id::W | Id::WNew => "w",
        Id::B | Id::BNew => "b",
        Id::YHat => "yhat",
        Id::Y => "y",
        Id::LossSample => "l",
        Id::Loss => "L",
        Id::Delta => "delta",
        Id::GradW => "gradw",
        Id::GradB => "gradb",
    }
}

/// The matrices the cursor moves over, in the panel's order.
fn movable(app: &App, current: Id) -> Vec<Vec<Id>> {
    let only = app
        .presenting()
        .then(|| super::presenter::involved(app, Some(current)));
    GROUPS
        .iter()
        .map(|g| {
            g.iter()
                .copied()
                .filter(|id| only.as_ref().is_none_or(|o| o.contains(id)))
                .collect::<Vec<Id>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// Where the cursor starts: the first value the step computes, else the first cell of X.
pub fn start(app: &App) -> (Id, usize, usize) {
    let p = app.progress();
    for group in movable(app, Id::X) {
        for id in group {
            let (rows, cols) = id.shape(p.batch);
            for r in 0..rows {
                for c in 0..cols {
                    if p.mark(id, r, c) == Mark::Written {
                        return (id, r, c);
                    }
                }
            }
        }
    }
    (Id::X, 0, 0)
}

/// The cursor after one move: within the matrix, then on to its neighbour.
pub fn moved(app: &App, (id, r, c): (Id, usize, usize), dir: Dir) -> (Id, usize, usize) {
    let batch = app.session.batch();
    let (rows, cols) = id.shape(batch);
    let groups = movable(app, id);
    let Some((g, k)) = groups
        .iter()
        .enumerate()
        .find_map(|(g, ids)| Some((g, ids.iter().position(|&i| i == id)?)))
    else {
        return (id, r, c);
    };
    let clamp = |id: Id, r: usize, c: usize| {
        let (rows, cols) = id.shape(batch);
        (
            id,
            r.min(rows.saturating_sub(1)),
            c.min(cols.saturating_sub(1)),
        )
    };
    let flat: Vec<Id> = groups.iter().flatten().copied().collect();
    let at = flat.iter().position(|&i| i == id).unwrap_or(0);
    match dir {
        Dir::Left if c > 0 => (id, r, c - 1),
        Dir::Right if c + 1 < cols => (id, r, c + 1),
        Dir::Up if r > 0 => (id, r - 1, c),
        Dir::Down if r + 1 < rows => (id, r + 1, c),
        // Past the last matrix → goes on from the first, as past δ it goes on to L: the
        // matrices are one ring in reading order, both ways.
        Dir::Left => match flat.get((at + flat.len() - 1) % flat.len().max(1)) {
            Some(&prev) => clamp(prev, r, usize::MAX),
            None => (id, r, c),
        },
        Dir::Right => match flat.get((at + 1) % flat.len().max(1)) {
            Some(&next) => clamp(next, r, 0),
            None => (id, r, c),
        },
        Dir::Up | Dir::Down => {
            let other = if dir == Dir::Up {
                g.checked_sub(1)
            } else {
                Some(g + 1)
            };
            match other.and_then(|o| groups.get(o)) {
                Some(ids) => {
                    let target = ids[k.min(ids.len() - 1)];
                    let row = if dir == Dir::Up { usize::MAX } else { 0 };
                    clamp(target, row, c)
                }
                None => (id, r, c),
            }
        }
    }
}

/// A number in its role, or `?` where the screen does not show it (not computed yet, or hidden
/// by the quiz): an explanation never gives away what the matrices hide.
fn n(name: &str, v: Option<f64>, precision: usize, after_operator: bool) -> String {
    match v {
        Some(v) if after_operator => operand(name, v, precision),
        Some(v) => lead(name, v, precision),
        None => role(name, "?"),
    }
}

fn sup(i: usize) -> String {
    format!("^{{({})}}", i + 1)
}

/// `a + b + c + \cdots + z`.
fn sum(terms: Vec<String>) -> String {
    crate::lesson::latex::elide(terms, MAX_TERMS, 3, 1, r"\cdots").join(" + ")
}

pub fn explain(app: &App, (id, r, c): (Id, usize, usize)) -> Explanation {
    let p = app.progress();
    let b = p.batch;
    let lang = app.lang;
    let prec = app.precision();
    let hiding = app.hiding();
    let val = |id: Id, r: usize, c: usize| {
        if hiding && p.mark(id, r, c) == Mark::Written {
            None
        } else {
            p.value(id, r, c)
        }
    };
    let me = val(id, r, c);
    let result = n(role_name(id), me, prec, false);
    let n_rows = b.rows();
    let d = b.x.ncols();
    // ŷ⁽ⁱ⁾ − y⁽ⁱ⁾ with the sample's numbers, the sources of both l⁽ⁱ⁾ and δ⁽ⁱ⁾.
    let difference = |e: &mut Explanation, r: usize| {
        e.sources
            .extend([(Id::YHat, Some(r), None), (Id::Y, Some(r), None)]);
        format!(
            "{} - {}",
            n("yhat", val(Id::YHat, r, 0), prec, false),
            n("y", val(Id::Y, r, 0), prec, true)
        )
    };
    let mut e = Explanation {
        cell: cell_name(app, id, r, c),
        lines: Vec::new(),
        terms: Vec::new(),
        result: Vec::new(),
        notes: Vec::new(),
        sources: Vec::new(),
    };
    let data_row = |r: usize| {
        let row = b.indices.get(r).map_or("?".to_string(), |i| i.to_string());
        S::FromData.get(lang).replace("{row}", &row)
    };
    let parameter = || {
        if b.global == 0 {
            S::Initial.get(lang).to_string()
        } else {
            S::FromUpdate
                .get(lang)
                .replace("{k}", &b.global.to_string())
        }
    };
    match id {
        Id::X => {
            e.lines
                .push(format!("x_{{{}}}{} = {result}", c + 1, sup(r)));
            e.notes.push(data_row(r));
            e.sources.push((Id::XT, Some(c), Some(r)));
        }
        Id::XT => {
            e.lines.push(format!(
                "(X^T)_{{{},{}}} = x_{{{}}}{} = {result}",
                r + 1,
                c + 1,
                r + 1,
                sup(c)
            ));
            e.notes.push(data_row(c));
            e.sources.push((Id::X, Some(c), Some(r)));
        }
        Id::Y => {
            e.lines.push(format!("y{} = {result}", sup(r)));
            e.notes.push(data_row(r));
        }
        Id::W => {
            e.lines.push(format!("w_{{{}}} = {result}", r + 1));
            e.notes.push(parameter());
        }
        Id::B => {
            e.lines.push(format!("b = {result}"));
            e.notes.push(parameter());
        }
        Id::YHat => {
            let k = sup(r);
            let products: Vec<String> = (0..d)
                .map(|j| {
                    format!(
                        r"{} \cdot {}",
                        n("x", val(Id::X, r, j), prec, j > 0),
                        n("w", val(Id::W, j, 0), prec, true)
                    )
                })
                .collect();
            let products =
                crate::lesson::latex::elide(products, MAX_PRODUCTS, 2, 1, r"\cdots").join(" + ");
            e.lines.push(format!(
                r"\hat{{y}}{k} = \sum_j x_j{k} w_j + b = {products} + {} = {result}",
                n("b", val(Id::B, 0, 0), prec, true)
            ));
            e.sources.extend([
                (Id::X, Some(r), None),
                (Id::W, None, None),
                (Id::B, None, None),
            ]);
        }
        Id::LossSample => {
            let (k, diff) = (sup(r), difference(&mut e, r));
            e.lines.push(format!(
                r"l{k} = \frac{{1}}{{2}} (\hat{{y}}{k} - y{k})^2 = \frac{{1}}{{2}} ({diff})^2 = {result}"
            ));
        }
        Id::Loss => {
            let terms = (0..n_rows)
                .map(|i| n("l", val(Id::LossSample, i, 0), prec, i > 0))
                .collect();
            e.lines.push(format!(
                r"L = \sum_{{i=1}}^{{{n_rows}}} l^{{(i)}} = {} = {result}",
                sum(terms)
            ));
            e.sources.push((Id::LossSample, None, None));
        }
        Id::Delta => {
            let (k, diff) = (sup(r), difference(&mut e, r));
            e.lines.push(format!(
                r"\delta{k} = \hat{{y}}{k} - y{k} = {diff} = {result}"
            ));
        }
        Id::GradW | Id::GradB => gradient(&mut e, app, id, r, me, &val),
        Id::WNew | Id::BNew => {
            let (sym, old, grad, j) = if id == Id::WNew {
                (format!("w_{{{}}}", r + 1), Id::W, Id::GradW, r)
            } else {
                ("b".to_string(), Id::B, Id::GradB, 0)
            };
            let gsym = if id == Id::WNew {
                format!(r"\frac{{\partial L}}{{\partial w_{{{}}}}}", r + 1)
            } else {
                r"\frac{\partial L}{\partial b}".to_string()
            };
            let lr = role("lr", &count(b.hyper.lr));
            let (symbol, factor) = if b.divisor() == 1.0 {
                (r"\text{lr}".to_string(), lr)
            } else {
                let nn = paren_if_negative(role("N", &count(b.divisor())), b.divisor(), 0);
                (
                    r"\frac{\text{lr}}{N}".to_string(),
                    format!(r"\frac{{{lr}}}{{{nn}}}"),
                )
            };
            e.lines.push(format!(
                r"{sym} \leftarrow {sym} - {symbol} \cdot {gsym} = {} - {factor} \cdot {} = {result}",
                n(role_name(old), val(old, j, 0), prec, false),
                n(role_name(grad), val(grad, j, 0), prec, true)
            ));
            e.sources
                .extend([(old, Some(j), Some(0)), (grad, Some(j), Some(0))]);
        }
    }
    if me.is_none() {
        let note = if hiding && p.mark(id, r, c) == Mark::Written {
            S::HiddenQuiz
        } else {
            S::NotComputed
        };
        e.notes.push(note.get(lang).to_string());
    }
    e
}

/// ∂L/∂wⱼ = Σᵢ δ⁽ⁱ⁾xⱼ⁽ⁱ⁾ and ∂L/∂b = Σᵢ δ⁽ⁱ⁾: one line per sample's term, then their sum, which
/// during the accumulation covers the samples so far.
fn gradient(
    e: &mut Explanation,
    app: &App,
    id: Id,
    j: usize,
    me: Option<f64>,
    val: &dyn Fn(Id, usize, usize) -> Option<f64>,
) {
    let p = app.progress();
    let b = p.batch;
    let prec = app.precision();
    let result = n(role_name(id), me, prec, false);
    let count = match p.step {
        crate::engine::Step::Accumulate { sample } => sample + 1,
        _ => b.rows(),
    };
    let w = id == Id::GradW;
    let x_sym = |k: &str| {
        if w {
            format!("x_{{{}}}{k}", j + 1)
        } else {
            String::new()
        }
    };
    let mut values = Vec::new();
    for i in 0..count {
        let k = sup(i);
        let delta = val(Id::Delta, i, 0);
        let (term, value) = if w {
            let x = val(Id::X, i, j);
            (
                format!(
                    r"{} \cdot {}",
                    n("delta", delta, prec, true),
                    n("x", x, prec, true)
                ),
                delta.zip(x).map(|(d, x)| d * x),
            )
        } else {
            (n("delta", delta, prec, false), delta)
        };
        e.terms.push(if w {
            format!(
                r"\delta{k} {} = {term} = {}",
                x_sym(&k),
                n("gradw", value, prec, false)
            )
        } else {
            format!(r"\delta{k} = {term}")
        });
        values.push(value);
        e.sources.push((Id::Delta, Some(i), Some(0)));
        if w {
            e.sources.push((Id::X, Some(i), Some(j)));
            e.sources.push((Id::XT, Some(j), Some(i)));
        }
    }
    let plain: Option<f64> = values.iter().try_fold(0.0, |s, v| Some(s + (*v)?));
    // A mean objective divides the sum by N once the accumulation is over.
    let mean = matches!(
        (plain, me),
        (Some(s), Some(v)) if (s - v).abs() > 1e-9 * (1.0 + s.abs())
    );
    let factor = if mean {
        format!(r"\frac{{1}}{{{}}} ", role("N", &b.rows().to_string()))
    } else {
        String::new()
    };
    let name = if w { "gradw" } else { "gradb" };
    let sym = if w {
        format!(r"\frac{{\partial L}}{{\partial w_{{{}}}}}", j + 1)
    } else {
        r"\frac{\partial L}{\partial b}".to_string()
    };
    e.lines.push(format!(
        r"{sym} = {factor}\sum_{{i=1}}^{{{count}}} \delta^{{(i)}} {}",
        x_sym("^{(i)}")
    ));
    let terms: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| n(name, *v, prec, i > 0))
        .collect();
    let summed = if mean {
        format!("({})", sum(terms))
    } else {
        sum(terms)
    };
    e.result
        .push(format!("{sym} = {factor}{summed} = {result}"));
}

/// The cell in words: the matrix's name, then its row and column where it has more than one.
fn cell_name(app: &App, id: Id, r: usize, c: usize) -> String {
    let lang = app.lang;
    let name = match id {
        Id::X => "X".to_string(),
        Id::W => "w".to_string(),
        Id::B => "b".to_string(),
        Id::YHat => "ŷ".to_string(),
        Id::Y => "y".to_string(),
        Id::LossSample => "l".to_string(),
        Id::Delta => app.glyphs.text("δ").into_owned(),
        Id::Loss => "L".to_string(),
        Id::XT => "Xᵀ".to_string(),
        Id::GradW => app.glyphs.text("∂L/∂w").into_owned(),
        Id::GradB => app.glyphs.text("∂L/∂b").into_owned(),
        Id::WNew => S::NewW.get(lang).to_string(),
        Id::BNew => S::NewB.get(lang).to_string(),
    };
    let (rows, cols) = id.shape(app.session.batch());
    let mut out = name;
    if rows > 1 {
        out.push_str(&format!(", {} {}", S::Row.get(lang), r + 1));
    }
    if cols > 1 {
        out.push_str(&format!(", {} {}", S::Column.get(lang), c + 1));
    }
    // The data's own name of what the cell is about: a feature, or the target.
    let data = app.session.data();
    let about = match id {
        Id::X => Some(crate::ui::names::feature(data, c, &app.glyphs)),
        Id::XT | Id::W | Id::GradW | Id::WNew => {
            Some(crate::ui::names::feature(data, r, &app.glyphs))
        }
        Id::Y | Id::YHat => Some(crate::ui::names::target(data, &app.glyphs)),
        _ => None,
    };
    if let Some(about) = about {
        out.push_str(&format!(" ({about})"));
    }
    out
}

/// The explanation drawn into a panel: heading, formula, as many terms as fit, sum, notes.
pub fn render(app: &App, e: &Explanation, canvas: &mut Canvas<'_>, spacious: bool) {
    let theme = app.theme;
    let room = canvas.width();
    let opts = Options {
        ambiguous_wide: app.glyphs.ambiguous_wide,
    };
    let heading = format!("{}  {}", S::InspectHeading.get(app.lang), e.cell);
    let block_lines = |latex: &str, full: bool| {
        super::fitted(latex, room.saturating_sub(4), full, opts)
            .iter()
            .flat_map(|b| math::tui::lines(b, |r: Option<Role>| theme.role(r)))
            .collect::<Vec<_>>()
    };
    let notes: Vec<String> = e
        .notes
        .iter()
        .flat_map(|n| wrap(&app.glyphs.text(n), room.saturating_sub(2)))
        .collect();
    let head: Vec<_> = e.lines.iter().map(|l| block_lines(l, true)).collect();
    let tail: Vec<_> = e.result.iter().map(|l| block_lines(l, true)).collect();
    let fixed: usize = 1
        + head.iter().map(Vec::len).sum::<usize>()
        + tail.iter().map(Vec::len).sum::<usize>()
        + notes.len();
    let gap = usize::from(spacious && fixed + e.terms.len() + 3 <= canvas.height());
    // Terms are one line each; when they do not all fit, the first ones and the last stay.
    let spare = canvas.height().saturating_sub(fixed + 3 * gap);
    let shown = shown_terms(e.terms.len(), spare);
    let mut y = 0;
    canvas.text(0, y, &heading, theme.title());
    y += 1 + gap;
    for lines in head {
        for line in lines {
            canvas.line(2, y, &line);
            y += 1;
        }
    }
    y += gap;
    for t in shown {
        match t {
            Some(i) => {
                if let Some(line) = e.terms.get(i).map(|l| block_lines(l, false)) {
                    for l in line {
                        canvas.line(4, y, &l);
                        y += 1;
                    }
                }
            }
            None => {
                canvas.text(4, y, app.glyphs.vdots, theme.frame());
                y += 1;
            }
        }
    }
    for lines in tail {
        for line in lines {
            canvas.line(2, y, &line);
            y += 1;
        }
    }
    y += gap;
    for note in notes {
        canvas.text(2, y, &note, theme.plain());
        y += 1;
    }
}

/// Which of `n` terms fit in `rows` lines: all, or the first ones, a gap and the last.
fn shown_terms(n: usize, rows: usize) -> Vec<Option<usize>> {
    if n <= rows {
        return (0..n).map(Some).collect();
    }
    if rows < 3 {
        return Vec::new();
    }
    let head = rows - 2;
    (0..head).map(Some).chain([None, Some(n - 1)]).collect()
}
