//! Every worked equation holds at the digits it prints: on screen and in the handout, at every
//! precision from 0 to 8, for every step of the first three batches of the presets d2l, house
//! and tiny and of a CSV whose last batch is short (and of tiny without `zero_()`), in inspect,
//! in the autograd graph view (its local rules, under each objective), and every step of the
//! two-layer preset's first three batches for each activation. The check reads the text
//! that is shown (its own small parser and arithmetic, nothing of the program's), recomputes
//! each result from the operands as printed, and accepts a mismatch only where the equation
//! says ≈. No number anywhere is a negative zero.

use gradstep::worked::{Part, Symbol};
use ui_common::common;
mod ui_common;

use std::path::Path;

use gradstep::data::load_csv;
use gradstep::engine::{Hyper, Session};
use gradstep::handout::{HandoutOptions, render};
use gradstep::lesson::{Lang, Lesson};
use gradstep::math::{Options, layout_inline};
use gradstep::preset::Preset;
use gradstep::ui::{App, Id, Message, Teach};
use gradstep::worked::SCREEN;
use gradstep::worked::screen::Typeset;

// ---------------------------------------------------------------------------------------------
// Reading printed mathematics: screen text (`[a; b]`, `1/2`, `·`, `²`) and LaTeX alike.

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// A number as printed, and the power of ten it is multiplied by (scientific form).
    Num(String, i32),
    Plus,
    Minus,
    Dot,
    Slash,
    Open,
    Close,
    OpenBracket,
    CloseBracket,
    RowSep,
    ColSep,
    Squared,
    /// ⋯ ⋮ ⋱: entries left out.
    Gap,
    Rel(bool),
    /// ⊙: entry by entry.
    Hadamard,
    /// An entrywise function before its parenthesis: relu, relu′, tanh, sigmoid.
    Func(&'static str),
    /// Anything else: notation, not arithmetic.
    Symbol,
}

/// The functions two layers apply, by the name they are printed with, computed here from their
/// definitions (nothing of the program's): relu′ is 0 at exactly 0, as in PyTorch.
fn apply(name: &str, z: f64) -> f64 {
    match name {
        "relu" => {
            if z > 0.0 {
                z
            } else {
                0.0
            }
        }
        "relu'" => {
            if z > 0.0 {
                1.0
            } else {
                0.0
            }
        }
        "tanh" => z.tanh(),
        "sigmoid" => 1.0 / (1.0 + (-z).exp()),
        other => panic!("unknown function {other}"),
    }
}

fn superscript_digit(c: char) -> Option<char> {
    "⁰¹²³⁴⁵⁶⁷⁸⁹"
        .chars()
        .position(|d| d == c)
        .and_then(|i| char::from_digit(i as u32, 10))
}

/// Tokens of one line of screen text.
fn screen_tokens(s: &str) -> Vec<Tok> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let c = cs[i];
        if c.is_ascii_digit() {
            let start = i;
            while i < cs.len() && (cs[i].is_ascii_digit() || cs[i] == '.') {
                i += 1;
            }
            let text: String = cs[start..i].iter().collect();
            // m × 10ᵉ
            let rest: String = cs[i..].iter().take(6).collect();
            if rest.starts_with(" × 10") {
                i += 5;
                let mut exp = String::new();
                if i < cs.len() && cs[i] == '⁻' {
                    exp.push('-');
                    i += 1;
                }
                while i < cs.len() {
                    match superscript_digit(cs[i]) {
                        Some(d) => exp.push(d),
                        None => break,
                    }
                    i += 1;
                }
                out.push(Tok::Num(text, exp.parse().unwrap_or(0)));
            } else {
                out.push(Tok::Num(text, 0));
            }
            continue;
        }
        out.push(match c {
            ' ' => {
                i += 1;
                continue;
            }
            '+' => Tok::Plus,
            '-' => Tok::Minus,
            '·' => Tok::Dot,
            '/' => Tok::Slash,
            '(' => Tok::Open,
            ')' => Tok::Close,
            '[' => Tok::OpenBracket,
            ']' => Tok::CloseBracket,
            ';' => Tok::RowSep,
            ',' => Tok::ColSep,
            '²' => Tok::Squared,
            '⋯' | '⋮' | '⋱' => Tok::Gap,
            '=' => Tok::Rel(false),
            '≈' => Tok::Rel(true),
            _ => Tok::Symbol,
        });
        i += 1;
    }
    out
}

/// The brace group starting at `s[0] == '{'`: its contents and the rest.
fn group(s: &str) -> (&str, &str) {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return (&s[1..i], &s[i + 1..]);
                }
            }
            _ => {}
        }
    }
    (s, "")
}

/// Tokens of one LaTeX formula.
fn latex_tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let take = |out: &mut Vec<Tok>, t: Tok, n: usize, rest: &mut &str| {
            out.push(t);
            *rest = &rest[n..];
        };
        if c.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            let text = rest[..end].to_string();
            rest = &rest[end..];
            if let Some(after) = rest.strip_prefix(r" \times 10^") {
                let (exp, after) = group(after);
                out.push(Tok::Num(text, exp.parse().unwrap_or(0)));
                rest = after;
            } else {
                out.push(Tok::Num(text, 0));
            }
            continue;
        }
        if let Some(after) = rest.strip_prefix(r"\frac") {
            let (num, after) = group(after);
            let (den, after) = group(after);
            out.push(Tok::Open);
            out.push(Tok::Open);
            out.extend(latex_tokens(num));
            out.push(Tok::Close);
            out.push(Tok::Slash);
            out.push(Tok::Open);
            out.extend(latex_tokens(den));
            out.push(Tok::Close);
            out.push(Tok::Close);
            rest = after;
            continue;
        }
        let words: [(&str, Tok); 17] = [
            (r"\text{relu'}", Tok::Func("relu'")),
            (r"\text{relu}", Tok::Func("relu")),
            (r"\text{tanh}", Tok::Func("tanh")),
            (r"\text{sigmoid}", Tok::Func("sigmoid")),
            (r"\odot", Tok::Hadamard),
            (r"\left(", Tok::Open),
            (r"\right)", Tok::Close),
            (r"\begin{bmatrix}", Tok::OpenBracket),
            (r"\end{bmatrix}", Tok::CloseBracket),
            (r"\\", Tok::RowSep),
            (r"\cdots", Tok::Gap),
            (r"\vdots", Tok::Gap),
            (r"\ddots", Tok::Gap),
            (r"\cdot", Tok::Dot),
            (r"\approx", Tok::Rel(true)),
            ("^2", Tok::Squared),
            (r"\,", Tok::Symbol),
        ];
        if let Some((w, t)) = words.iter().find(|(w, _)| rest.starts_with(w)) {
            take(&mut out, t.clone(), w.len(), &mut rest);
            continue;
        }
        let t = match c {
            ' ' => None,
            '+' => Some(Tok::Plus),
            '-' => Some(Tok::Minus),
            '&' => Some(Tok::ColSep),
            '=' => Some(Tok::Rel(false)),
            _ => Some(Tok::Symbol),
        };
        if let Some(t) = t {
            out.push(t);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A value being recomputed; None where entries were left out.
#[derive(Clone, Debug)]
enum V {
    S(Option<f64>),
    M(Vec<Vec<Option<f64>>>),
}

impl V {
    fn entries(&self) -> Vec<Option<f64>> {
        match self {
            V::S(v) => vec![*v],
            V::M(rows) => rows.iter().flatten().copied().collect(),
        }
    }
}

fn lift(a: Option<f64>, b: Option<f64>, f: &dyn Fn(f64, f64) -> f64) -> Option<f64> {
    Some(f(a?, b?))
}

fn elementwise(a: V, b: V, f: &dyn Fn(f64, f64) -> f64) -> Result<V, String> {
    Ok(match (a, b) {
        (V::S(a), V::S(b)) => V::S(lift(a, b, f)),
        (V::S(a), V::M(m)) => V::M(
            m.into_iter()
                .map(|r| r.into_iter().map(|b| lift(a, b, f)).collect())
                .collect(),
        ),
        (V::M(m), V::S(b)) => V::M(
            m.into_iter()
                .map(|r| r.into_iter().map(|a| lift(a, b, f)).collect())
                .collect(),
        ),
        (V::M(a), V::M(b)) => {
            if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| x.len() != y.len()) {
                return Err("shapes differ".into());
            }
            V::M(
                a.into_iter()
                    .zip(b)
                    .map(|(x, y)| x.into_iter().zip(y).map(|(a, b)| lift(a, b, f)).collect())
                    .collect(),
            )
        }
    })
}

/// `a b` or `a · b`: a matrix times a matrix whose rows fit it (a column, XW₁, the outer
/// product δW₂ᵀ), else entry by entry (a scalar times anything).
fn product(a: V, b: V) -> Result<V, String> {
    if let (V::M(m), V::M(k)) = (&a, &b)
        && m.first().map_or(0, Vec::len) == k.len()
    {
        let cols = k.first().map_or(0, Vec::len);
        return Ok(V::M(
            m.iter()
                .map(|row| {
                    (0..cols)
                        .map(|j| {
                            let mut s = Some(0.0);
                            for (x, r) in row.iter().zip(k) {
                                s = lift(lift(*x, r[j], &|a, b| a * b), s, &|p, s| s + p);
                            }
                            s
                        })
                        .collect()
                })
                .collect(),
        ));
    }
    elementwise(a, b, &|x, y| x * y)
}

/// Sums a row-broadcast: a one-row matrix added to each row of a taller one (`XW₁ + b₁`).
fn broadcast(a: V, b: V, f: &dyn Fn(f64, f64) -> f64) -> Result<V, String> {
    match (&a, &b) {
        (V::M(m), V::M(r)) if r.len() == 1 && m.len() > 1 && m[0].len() == r[0].len() => Ok(V::M(
            m.iter()
                .map(|row| {
                    row.iter()
                        .zip(&r[0])
                        .map(|(x, y)| lift(*x, *y, f))
                        .collect()
                })
                .collect(),
        )),
        _ => elementwise(a, b, f),
    }
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn expr(&mut self) -> Result<V, String> {
        let mut acc = self.term()?;
        while let Some(t @ (Tok::Plus | Tok::Minus)) = self.peek().cloned() {
            self.pos += 1;
            let rhs = self.term()?;
            acc = if t == Tok::Plus {
                broadcast(acc, rhs, &|a, b| a + b)?
            } else {
                broadcast(acc, rhs, &|a, b| a - b)?
            };
        }
        Ok(acc)
    }

    fn term(&mut self) -> Result<V, String> {
        let mut acc = self.factor()?;
        loop {
            match self.peek() {
                Some(Tok::Dot) => {
                    self.pos += 1;
                    let rhs = self.factor()?;
                    acc = product(acc, rhs)?;
                }
                Some(Tok::Hadamard) => {
                    self.pos += 1;
                    let rhs = self.factor()?;
                    acc = elementwise(acc, rhs, &|a, b| a * b)?;
                }
                Some(Tok::Slash) => {
                    self.pos += 1;
                    let rhs = self.factor()?;
                    acc = elementwise(acc, rhs, &|a, b| a / b)?;
                }
                Some(Tok::Num(..) | Tok::Open | Tok::OpenBracket | Tok::Func(_)) => {
                    let rhs = self.factor()?;
                    acc = product(acc, rhs)?;
                }
                _ => return Ok(acc),
            }
        }
    }

    fn factor(&mut self) -> Result<V, String> {
        let base = self.unary()?;
        if self.peek() == Some(&Tok::Squared) {
            self.pos += 1;
            return elementwise(base.clone(), base, &|a, b| a * b);
        }
        Ok(base)
    }

    fn unary(&mut self) -> Result<V, String> {
        match self.next() {
            Some(Tok::Minus) => {
                let v = self.unary()?;
                elementwise(V::S(Some(-1.0)), v, &|a, b| a * b)
            }
            Some(Tok::Num(text, exp)) => Ok(V::S(Some(number(&text, exp)))),
            Some(Tok::Gap) => Ok(V::S(None)),
            Some(Tok::Func(name)) => {
                let arg = self.unary()?;
                let f = |x: Option<f64>| x.map(|z| apply(name, z));
                Ok(match arg {
                    V::S(x) => V::S(f(x)),
                    V::M(m) => V::M(
                        m.into_iter()
                            .map(|r| r.into_iter().map(f).collect())
                            .collect(),
                    ),
                })
            }
            Some(Tok::Open) => {
                let v = self.expr()?;
                match self.next() {
                    Some(Tok::Close) => Ok(v),
                    t => Err(format!("expected ), found {t:?}")),
                }
            }
            Some(Tok::OpenBracket) => {
                let mut rows = vec![Vec::new()];
                loop {
                    let entry = match self.expr()? {
                        V::S(v) => v,
                        V::M(_) => return Err("a matrix inside a matrix".into()),
                    };
                    if let Some(row) = rows.last_mut() {
                        row.push(entry);
                    }
                    match self.next() {
                        Some(Tok::ColSep) => {}
                        Some(Tok::RowSep) => rows.push(Vec::new()),
                        Some(Tok::CloseBracket) => break,
                        t => return Err(format!("in a matrix: {t:?}")),
                    }
                }
                // A gap row (⋮ under every column) stands for as many entries as its neighbours.
                let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                for r in &mut rows {
                    if r.len() == 1 && r[0].is_none() {
                        r.resize(width, None);
                    }
                }
                Ok(V::M(rows))
            }
            t => Err(format!("unexpected {t:?}")),
        }
    }
}

fn number(text: &str, exp: i32) -> f64 {
    let v: f64 = text.parse().unwrap_or(f64::NAN);
    v * 10f64.powi(exp)
}

/// The printed result's numbers: their text (with the exponent) or None for a gap.
fn printed(toks: &[Tok]) -> Vec<Option<(bool, String, i32)>> {
    let mut out = Vec::new();
    let mut negative = false;
    for t in toks {
        match t {
            Tok::Minus => negative = true,
            Tok::Num(text, exp) => {
                out.push(Some((negative, text.clone(), *exp)));
                negative = false;
            }
            Tok::Gap => out.push(None),
            _ => {}
        }
    }
    out
}

/// `v` written like `text`: as many decimals, the same power of ten.
fn like(v: f64, text: &str, exp: i32) -> String {
    let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
    let m = v / 10f64.powi(exp);
    let s = format!("{m:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

#[derive(Default, Debug)]
struct Tally {
    checked: usize,
    approx: usize,
    notation_only: usize,
}

/// Checks one equation; `what` says where it was shown.
fn check(toks: Vec<Tok>, what: &str, tally: &mut Tally) {
    // Split into members at the top-level relations.
    let mut members: Vec<Vec<Tok>> = vec![Vec::new()];
    let mut approx_last = false;
    let mut depth = 0i32;
    for t in toks {
        match t {
            Tok::Open | Tok::OpenBracket => depth += 1,
            Tok::Close | Tok::CloseBracket => depth -= 1,
            _ => {}
        }
        if let (Tok::Rel(a), 0) = (&t, depth) {
            approx_last = *a;
            members.push(Vec::new());
        } else if let Some(m) = members.last_mut() {
            m.push(t);
        }
    }
    let Some(result) = members.pop() else { return };
    if result.contains(&Tok::Symbol) || result.is_empty() {
        tally.notation_only += 1;
        return;
    }
    let shown = printed(&result);
    let mut any = false;
    for m in members
        .iter()
        .filter(|m| !m.contains(&Tok::Symbol) && !m.is_empty())
    {
        let mut p = Parser {
            toks: m.clone(),
            pos: 0,
        };
        let value = p.expr().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(p.pos, m.len(), "{what}: tokens left over");
        let computed = value.entries();
        if computed.len() != shown.len() {
            // A column of one entry per sample against a scalar result cannot be: say so.
            panic!(
                "{what}: {} values computed, {} printed",
                computed.len(),
                shown.len()
            );
        }
        let mut holds = true;
        for (c, s) in computed.iter().zip(&shown) {
            if let (Some(c), Some((negative, text, exp))) = (c, s) {
                let expected = like(*c, text, *exp);
                let got = if *negative {
                    format!("-{text}")
                } else {
                    text.clone()
                };
                if expected != got {
                    holds = false;
                }
                any = true;
            }
        }
        if !holds {
            assert!(approx_last, "{what}: does not hold as printed and says =");
        }
    }
    if any {
        if approx_last {
            tally.approx += 1;
        } else {
            tally.checked += 1;
        }
    }
}

/// No `-0`, `-0.000` (a negative zero) anywhere in `text`.
fn no_negative_zero(text: &str, what: &str) {
    let cs: Vec<char> = text.chars().collect();
    for i in 0..cs.len() {
        if cs[i] == '-' && cs.get(i + 1) == Some(&'0') && !(i > 0 && cs[i - 1].is_ascii_digit()) {
            let mut j = i + 1;
            while j < cs.len() && (cs[j].is_ascii_digit() || cs[j] == '.') {
                j += 1;
            }
            let digits: String = cs[i + 1..j].iter().collect();
            assert!(
                digits.chars().any(|c| c.is_ascii_digit() && c != '0'),
                "{what}: negative zero -{digits}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Walking the runs.

fn runs() -> Vec<(&'static str, Session)> {
    let csv = load_csv(Path::new("tests/fixtures/short_batch.csv"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let hyper = Hyper {
        batch_size: 3,
        lr: 0.01,
        ..Hyper::default()
    };
    let init = gradstep::engine::Init::Normal.params(csv.d(), hyper.seed);
    let csv = Session::new(csv, hyper, init).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csv.total_batches() % 3, 0);
    // Forgetting zero_(): the update reads the sum of every batch's gradient so far.
    let tiny = common::preset_session(Preset::Tiny);
    let keep = {
        let b = tiny.batch();
        let init = gradstep::engine::Params {
            w: b.w.clone(),
            b: b.b,
        };
        let hyper = Hyper {
            zero_grad: false,
            ..b.hyper.clone()
        };
        Session::new(tiny.data().clone(), hyper, init).unwrap_or_else(|e| panic!("{e}"))
    };
    vec![
        ("d2l", common::preset_session(Preset::D2l)),
        ("house", common::preset_session(Preset::House)),
        ("tiny", tiny),
        ("csv", csv),
        ("tiny keep-grad", keep),
    ]
}

fn screen_text(t: &Typeset) -> String {
    layout_inline(&t.formula(), Options::default())
        .text_lines()
        .join(" ")
}

/// The same equation with every sum written in full, as a wide screen shows it.
fn screen_text_whole(t: &Typeset) -> String {
    layout_inline(&t.formula_whole(), Options::default())
        .text_lines()
        .join(" ")
}

#[test]
fn every_worked_equation_holds_at_its_printed_digits_on_screen() {
    let mut tally = Tally::default();
    for (name, session) in runs() {
        let mut app = ui_common::app_with(session, Lang::En, false, false);
        let mut last_batch = 0;
        loop {
            let global = app.session().batch().global;
            if global >= 3 {
                break;
            }
            last_batch = last_batch.max(global);
            let step = app.session().step();
            for p in 0..=8u8 {
                set_precision(&mut app, p);
                for eq in app.worked() {
                    let t = Typeset::new(eq, SCREEN);
                    for text in [screen_text(&t), screen_text_whole(&t)] {
                        let what = format!("{name} batch {} {step:?} p{p}: {text}", global + 1);
                        no_negative_zero(&text, &what);
                        check(screen_tokens(&text), &what, &mut tally);
                    }
                }
            }
            if !app.update(Message::NextStep) || app.session().at_end() {
                break;
            }
        }
        assert!(
            last_batch >= 2 || name == "house",
            "{name}: three batches walked"
        );
    }
    assert!(tally.checked > 1000, "{tally:?}");
}

/// Precision as the keys set it, from 0 up.
fn set_precision(app: &mut App, p: u8) {
    for _ in 0..10 {
        app.update(Message::Teach(Teach::LessPrecision));
    }
    for _ in 0..p {
        app.update(Message::Teach(Teach::MorePrecision));
    }
}

/// Two layers: every equation of every step (by sample and as whole matrices) of the first
/// three batches of the two-layer preset, for each activation, with `zero_()` and without it
/// (the update reading the held sum), in both languages, at every precision, read back from
/// its LaTeX: σ, relu′, ⊙ and the matrix products recomputed here.
#[test]
fn every_two_layer_equation_holds_at_its_printed_digits() {
    use gradstep::engine::mlp::{Activation, TwoLayer};
    use gradstep::engine::mlp_session::MlpSession;
    use gradstep::worked::two_layer::{TwoLayerBatch, equations};
    use gradstep::worked::{HANDOUT, latex};
    let (data, preset_hyper, model) = common::two_layer_preset();
    let mut tally = Tally::default();
    for (activation, zero_grad) in Activation::ALL
        .into_iter()
        .flat_map(|a| [(a, true), (a, false)])
    {
        for matrices in [false, true] {
            let model = TwoLayer {
                activation,
                init: model.init.clone(),
            };
            let hyper = gradstep::engine::Hyper {
                zero_grad,
                ..preset_hyper.clone()
            };
            let mut s =
                MlpSession::new(data.clone(), hyper, model).unwrap_or_else(|e| panic!("{e}"));
            if matrices {
                s.toggle_granularity();
            }
            for _ in 0..3 {
                let t = TwoLayerBatch {
                    update: s.update(),
                    next: s.next_params(),
                    activation,
                };
                for &step in s.steps() {
                    for lang in [Lang::En, Lang::Zh] {
                        for p in 0..=8 {
                            for eq in equations(step, t, p, lang) {
                                let text = latex::latex(&eq, HANDOUT);
                                let what = format!(
                                    "{activation:?} zero_grad {zero_grad} batch {} {step:?} \
                                     p{p}: {text}",
                                    s.global() + 1
                                );
                                no_negative_zero(&text, &what);
                                check(latex_tokens(&text), &what, &mut tally);
                            }
                        }
                    }
                }
                s.next_batch();
            }
        }
    }
    assert!(tally.checked > 2000, "{tally:?}");
    // Printed with ≈ only where no digits could make it hold: a handful, not a habit.
    assert!(tally.approx * 20 < tally.checked, "{tally:?}");
}

#[test]
fn every_worked_equation_holds_at_its_printed_digits_in_the_handout() {
    let lesson = Lesson::embedded().unwrap_or_else(|e| panic!("{e}"));
    let mut tally = Tally::default();
    for (name, mut session) in runs() {
        for g in 0..3.min(session.total_batches()) {
            session.go_to_batch(g);
            for p in 0..=8 {
                let opts = HandoutOptions {
                    lang: Lang::En,
                    precision: p,
                    source: "test".into(),
                };
                let md = render(&lesson, &session, &opts);
                no_negative_zero(&md, &format!("{name} handout batch {} p{p}", g + 1));
                for display in md.split("$$\n").skip(1).step_by(2) {
                    let latex = display.trim_end_matches("\n");
                    if latex.contains(r"\quad") {
                        continue;
                    }
                    let what = format!("{name} handout batch {} p{p}: {latex}", g + 1);
                    check(latex_tokens(latex), &what, &mut tally);
                }
            }
        }
    }
    assert!(tally.checked > 300, "{tally:?}");
}

#[test]
fn inspect_explains_every_cell_with_equations_that_hold() {
    let mut tally = Tally::default();
    for (name, session) in runs() {
        let mut app = ui_common::app_with(session, Lang::En, false, false);
        // The update step: every matrix of the batch is computed by then.
        while app.session().step() != gradstep::engine::Step::Update {
            app.update(Message::NextStep);
        }
        let b = app.session().batch().clone();
        for p in [0u8, 3, 8] {
            set_precision(&mut app, p);
            for id in [
                Id::Of(Symbol::X, Part::Value),
                Id::Of(Symbol::YHat, Part::Value),
                Id::Of(Symbol::LossSample, Part::Value),
                Id::Of(Symbol::Loss, Part::Value),
                Id::Of(Symbol::Delta, Part::Value),
                Id::Of(Symbol::W, Part::Grad),
                Id::Of(Symbol::B, Part::Grad),
                Id::Of(Symbol::W, Part::New),
                Id::Of(Symbol::B, Part::New),
            ] {
                let (rows, cols) = id.shape(&b);
                for (row, col) in [(0, 0), (rows - 1, cols - 1)] {
                    app.update(Message::Teach(Teach::Select { id, row, col }));
                    let e = app
                        .explanation()
                        .cloned()
                        .unwrap_or_else(|| panic!("inspecting"));
                    for eq in e.lines.iter().chain(&e.terms).chain(&e.result) {
                        let text = screen_text(&Typeset::new(eq, SCREEN));
                        let what = format!("{name} inspect {id:?}[{row},{col}] p{p}: {text}");
                        no_negative_zero(&text, &what);
                        check(screen_tokens(&text), &what, &mut tally);
                    }
                }
            }
        }
    }
    assert!(tally.checked > 100, "{tally:?}");
}

#[test]
fn the_issues_cases_hold() {
    // The default run's fourth accumulation, the screen the README shows: [1.812; 3.267] +
    // (−9.055)·[1.533; −0.527] = [−12.067; 8.036] was false at its digits.
    let eq_text = |app: &App, k: usize| screen_text(&Typeset::new(&app.worked()[k], SCREEN));
    let mut app = ui_common::app(Lang::En, false);
    for _ in 0..17 {
        app.update(Message::NextStep);
    }
    let text = eq_text(&app, 0);
    assert!(text.ends_with("= [-12.067; 8.036]"), "{text}");
    let mut tally = Tally::default();
    check(screen_tokens(&text), &text, &mut tally);
    assert_eq!(tally.checked, 1, "{text}");
    // The parser itself catches the old, false line.
    let old = "= [1.812; 3.267] + (-9.055) [1.533; -0.527] = [-12.067; 8.036]";
    let result =
        std::panic::catch_unwind(|| check(screen_tokens(old), "old", &mut Tally::default()));
    assert!(result.is_err(), "the old line does not hold and says =");
}

/// The worked line of the loss step as the screen shows it, at `width`×`height`: the row with
/// the sum, and the result's row when the line was broken before its last `=`.
fn loss_sum_line(width: u16, height: u16) -> (String, Vec<f64>, f64) {
    let mut app = ui_common::app(Lang::En, false);
    ui_common::to(&mut app, gradstep::engine::Step::Loss);
    let b = app.session().batch();
    // Each sample's loss by hand: ½(x·w + b − y)².
    let losses: Vec<f64> = (0..b.rows())
        .map(|i| {
            let y_hat: f64 = (0..b.x.ncols()).map(|j| b.x[(i, j)] * b.w[j]).sum::<f64>() + b.b;
            0.5 * (y_hat - b.y[i]).powi(2)
        })
        .collect();
    let total = losses.iter().sum();
    let screen = ui_common::text(&ui_common::render(&app, width, height));
    let lines: Vec<&str> = screen.lines().collect();
    let k = lines
        .iter()
        .position(|l| l.contains("l⁽ⁱ⁾ = ") && l.contains(" + "))
        .unwrap_or_else(|| panic!("no worked sum on screen:\n{screen}"));
    let mut line = lines[k].trim().to_string();
    // Below the sum's row come the Σ's lower limit, then the result's row if it was broken.
    if let Some(next) = lines[k + 1..]
        .iter()
        .take(2)
        .map(|l| l.trim())
        .find(|l| l.starts_with("= "))
    {
        line = format!("{line} {next}");
    }
    (line, losses, total)
}

#[test]
fn a_sum_is_written_in_full_when_it_fits_and_elided_when_not() {
    // 120×40: all ten terms, each the sample's loss at its printed digits, and the sum holds.
    let (line, losses, total) = loss_sum_line(120, 40);
    assert_eq!(losses.len(), 10);
    assert!(!line.contains('⋯'), "{line}");
    let (_, numbers) = line
        .split_once("l⁽ⁱ⁾ = ")
        .unwrap_or_else(|| panic!("{line}"));
    let (terms, result) = numbers
        .rsplit_once(" = ")
        .unwrap_or_else(|| panic!("{line}"));
    let terms: Vec<&str> = terms.split(" + ").collect();
    assert_eq!(terms.len(), 10, "{line}");
    for (t, l) in terms.iter().zip(&losses) {
        let decimals = t.split_once('.').map_or(0, |(_, d)| d.len());
        assert_eq!(*t, format!("{l:.decimals$}"), "{line}");
    }
    let decimals = result.split_once('.').map_or(0, |(_, d)| d.len());
    assert_eq!(result, format!("{total:.decimals$}"), "{line}");
    let mut tally = Tally::default();
    check(screen_tokens(&line), &line, &mut tally);
    assert_eq!(tally.checked, 1, "{line}");
    // 80×24 has no room for them: the sum is elided, and says so with ⋯.
    let (line, _, _) = loss_sum_line(80, 24);
    assert!(line.contains(" + ⋯ + "), "{line}");
    assert_eq!(line.matches(" + ").count(), 4, "{line}");
}

#[test]
fn every_graph_view_equation_holds_at_its_printed_digits() {
    // The autograd graph's local rules, as the graph view typesets them (its own elision), at
    // every step of the first batches and every precision, for every objective.
    let mut tally = Tally::default();
    for (name, session) in runs() {
        for objective in [
            gradstep::engine::Objective::Sum,
            gradstep::engine::Objective::Mean,
            gradstep::engine::Objective::SumNoDiv,
        ] {
            let mut session = session.clone();
            if session.batch().hyper.objective != objective {
                let init = {
                    let b = session.batch();
                    gradstep::engine::Params {
                        w: b.w.clone(),
                        b: b.b,
                    }
                };
                let hyper = gradstep::engine::Hyper {
                    objective,
                    ..session.batch().hyper.clone()
                };
                session = Session::new(session.data().clone(), hyper, init)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let mut app = ui_common::app_with(session, Lang::En, false, false);
            app.update(Message::ToggleGraph);
            loop {
                let global = app.session().batch().global;
                if global >= 2 {
                    break;
                }
                let step = app.session().step();
                for p in [0u8, 1, 3, 5, 8] {
                    set_precision(&mut app, p);
                    for eq in app.graph_equations() {
                        let t = Typeset::new(eq, gradstep::worked::graph::ELISION);
                        let text = screen_text(&t);
                        let what = format!(
                            "{name} {objective:?} graph batch {} {step:?} p{p}: {text}",
                            global + 1
                        );
                        no_negative_zero(&text, &what);
                        check(screen_tokens(&text), &what, &mut tally);
                    }
                }
                if !app.update(Message::NextStep) || app.session().at_end() {
                    break;
                }
            }
        }
    }
    assert!(tally.checked > 500, "{tally:?}");
}
