//! Recursive-descent parser for the LaTeX subset the lesson uses.

use super::ParseError;
use super::ast::{Class, Glyph, Node};
use super::roles;
use super::symbols;
use super::width::acceptable;
use unicode_width::UnicodeWidthChar;

mod groups;
mod text;

/// Deep enough for any formula a person writes, shallow enough that the
/// recursion can never exhaust the stack (an abort, which no caller could
/// catch).
const MAX_DEPTH: usize = 64;

pub(crate) fn parse(src: &str) -> Result<Vec<Node>, ParseError> {
    let mut p = Parser {
        chars: src.chars().collect(),
        pos: 0,
        depth: 0,
        auto_roles: true,
    };
    match p.row()? {
        (row, Stop::Eof) => Ok(row),
        (_, stop) => Err(stray(stop)),
    }
}

/// What ended a row of items.
enum Stop {
    Eof,
    CloseBrace(usize),
    Right(usize),
    Amp(usize),
    RowSep(usize),
    End(usize),
}

fn err(offset: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        offset,
        message: message.into(),
    }
}

/// The error for a row ending where its container does not expect it.
fn stray(stop: Stop) -> ParseError {
    match stop {
        Stop::Eof => err(0, "unexpected end of formula"),
        Stop::CloseBrace(at) => err(at, "unexpected } (no { to close)"),
        Stop::Right(at) => err(at, r"\right without matching \left"),
        Stop::Amp(at) => err(at, "& outside a matrix"),
        Stop::RowSep(at) => err(at, r"\\ outside a matrix"),
        Stop::End(at) => err(at, r"\end without matching \begin"),
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
    /// Off inside `\mathrm{..}`: upright letters are names, not the lesson's
    /// symbols.
    auto_roles: bool,
}

type Parsed<T> = Result<T, ParseError>;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn source(&self, from: usize) -> String {
        self.chars
            .get(from..self.pos)
            .unwrap_or(&[])
            .iter()
            .collect()
    }

    fn enter(&mut self, at: usize) -> Parsed<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(err(at, "formula nested too deeply"));
        }
        Ok(())
    }

    /// Reads the name of the command whose backslash is at `self.pos`.
    fn command_name(&mut self) -> Parsed<String> {
        let at = self.pos;
        self.pos += 1;
        match self.peek() {
            None => Err(err(at, r"lone \ at the end of the formula")),
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.pos;
                while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
                    self.pos += 1;
                }
                Ok(self.source(start))
            }
            Some(c) => {
                self.pos += 1;
                Ok(c.to_string())
            }
        }
    }

    /// Items up to whatever ends the row.
    fn row(&mut self) -> Parsed<(Vec<Node>, Stop)> {
        let mut row = Vec::new();
        loop {
            self.skip_ws();
            let at = self.pos;
            let stop = match self.peek() {
                None => Stop::Eof,
                Some('}') => Stop::CloseBrace(at),
                Some('&') => Stop::Amp(at),
                Some(c @ ('^' | '_')) => {
                    self.pos += 1;
                    let base = row.pop().unwrap_or(Node::Group(Vec::new()));
                    row.push(self.scripts(base, c, at)?);
                    continue;
                }
                Some('\\') => {
                    let name = self.command_name()?;
                    self.pos = at;
                    match name.as_str() {
                        "right" => Stop::Right(at),
                        "end" => Stop::End(at),
                        "\\" => Stop::RowSep(at),
                        _ => {
                            row.extend(self.item(false)?);
                            continue;
                        }
                    }
                }
                Some(_) => {
                    row.extend(self.item(false)?);
                    continue;
                }
            };
            // Consume the stop itself: `}` and `&` are one character, the
            // commands are their whole name.
            match stop {
                Stop::Eof => {}
                Stop::CloseBrace(_) | Stop::Amp(_) => self.pos += 1,
                Stop::Right(_) | Stop::End(_) | Stop::RowSep(_) => {
                    self.command_name()?;
                }
            }
            return Ok((row, stop));
        }
    }

    /// A `{..}` group; `self.pos` is at the `{`.
    fn group(&mut self) -> Parsed<Vec<Node>> {
        let open = self.pos;
        self.pos += 1;
        self.enter(open)?;
        let (row, stop) = self.row()?;
        self.depth -= 1;
        match stop {
            Stop::CloseBrace(_) => Ok(row),
            Stop::Eof => Err(err(open, "unclosed { (missing })")),
            other => Err(stray(other)),
        }
    }

    /// The argument of `what` (a command or `^`/`_` at `at`): a group or a
    /// single token, as in TeX (`x^23` is `x²3`).
    fn arg(&mut self, what: &str, at: usize) -> Parsed<Vec<Node>> {
        self.skip_ws();
        let missing = || err(at, format!("missing argument for {what}"));
        match self.peek() {
            None | Some('}' | '&' | '^' | '_') => Err(missing()),
            Some('{') => self.group(),
            Some('\\') => {
                let start = self.pos;
                let name = self.command_name()?;
                self.pos = start;
                if matches!(name.as_str(), "right" | "end" | "\\") {
                    return Err(missing());
                }
                Ok(self.item(true)?.into_iter().collect())
            }
            Some(_) => Ok(self.item(true)?.into_iter().collect()),
        }
    }

    /// One item of a row (`single`: one character at most, for arguments).
    /// `None` for commands that draw nothing (`\displaystyle`).
    fn item(&mut self, single: bool) -> Parsed<Option<Node>> {
        let at = self.pos;
        self.enter(at)?;
        let node = self.item_inner(single, at);
        self.depth -= 1;
        node
    }

    fn item_inner(&mut self, single: bool, at: usize) -> Parsed<Option<Node>> {
        let Some(c) = self.peek() else {
            return Err(err(at, "unexpected end of formula"));
        };
        if c == '{' {
            return Ok(Some(Node::Group(self.group()?)));
        }
        if c == '\\' {
            return self.command(at);
        }
        if c.is_ascii_digit() || (c == '.' && self.peek_at(1).is_some_and(|d| d.is_ascii_digit())) {
            return Ok(Some(self.number(single)));
        }
        if c.is_ascii_alphabetic() {
            return Ok(Some(self.letters(single)));
        }
        self.pos += 1;
        let class = match c {
            '+' | '-' | '*' => Class::Bin,
            '=' | '<' | '>' | ':' => Class::Rel,
            ',' | ';' => Class::Punct,
            '(' | '[' => Class::Open,
            ')' | ']' | '!' | '?' => Class::Close,
            '|' | '/' | '\'' | '.' | '@' | '"' | '`' => Class::Ord,
            '~' => return Ok(Some(Node::Space(1))),
            '$' => {
                return Err(err(
                    at,
                    "$ is not needed: the whole formula is already math",
                ));
            }
            '%' => {
                return Err(err(
                    at,
                    r"% starts a comment in LaTeX; write \% for a percent sign",
                ));
            }
            '#' => return Err(err(at, r"# is not allowed; write \# for a hash sign")),
            c if !c.is_ascii() && acceptable(c) => {
                if let Some(sym) = symbols::lookup_glyph(c) {
                    return Ok(Some(self.symbol(sym)));
                }
                // Wide characters are CJK text written without `\text{}`.
                if c.width() == Some(2) {
                    Class::Text
                } else {
                    Class::Ord
                }
            }
            c => {
                return Err(err(
                    at,
                    format!("unsupported character U+{:04X}", u32::from(c)),
                ));
            }
        };
        Ok(Some(Node::atom(Glyph::Text(c.to_string()), class, None)))
    }

    /// `4.183`, `.5`, `1.2e-5` (a caller substituting numbers writes them
    /// this way, and `e-5` must not become `e - 5`).
    fn number(&mut self, single: bool) -> Node {
        let start = self.pos;
        let digits = |p: &mut Parser| {
            let from = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos > from
        };
        if single {
            self.pos += 1;
        } else {
            digits(self);
            if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
                self.pos += 1;
                digits(self);
            }
            if matches!(self.peek(), Some('e' | 'E')) {
                let mark = self.pos;
                self.pos += 1;
                if matches!(self.peek(), Some('+' | '-')) {
                    self.pos += 1;
                }
                if !digits(self) {
                    self.pos = mark;
                }
            }
        }
        Node::atom(Glyph::Text(self.source(start)), Class::Ord, None)
    }

    /// One letter, or the words `inf`/`NaN` a caller may substitute for a
    /// number (whose `N` is not the batch size).
    fn letters(&mut self, single: bool) -> Node {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        let word = self.source(start);
        let lower = word.to_ascii_lowercase();
        if !single && matches!(lower.as_str(), "inf" | "nan" | "infinity") {
            return Node::atom(Glyph::Text(word), Class::Ord, None);
        }
        self.pos = start + 1;
        let c = self.chars.get(start).copied().unwrap_or(' ');
        let role = if self.auto_roles {
            roles::of_letter(c)
        } else {
            None
        };
        Node::atom(Glyph::Text(c.to_string()), Class::Ord, role)
    }

    fn symbol(&self, sym: &'static crate::math::ast::Symbol) -> Node {
        let role = if self.auto_roles {
            roles::of_symbol(sym.name)
        } else {
            None
        };
        Node::atom(Glyph::Symbol(sym), sym.class, role)
    }

    /// A command; `self.pos` (= `at`) is at its backslash.
    fn command(&mut self, at: usize) -> Parsed<Option<Node>> {
        let name = self.command_name()?;
        let what = format!("\\{name}");
        let node = match name.as_str() {
            "frac" | "dfrac" | "tfrac" => {
                let num = self.arg(&what, at)?;
                let den = self.arg(&what, at)?;
                let role = roles::of_fraction(&num, &den);
                with_role(role, Node::Frac { num, den })
            }
            "hat" | "widehat" => {
                let base = single(self.arg(&what, at)?);
                let role = match &base {
                    Node::Atom(a) if a.glyph == Glyph::Text("y".into()) && self.auto_roles => {
                        Some(super::Role::YHat)
                    }
                    other => roles::of_base(other),
                };
                with_role(role, Node::Hat(Box::new(base)))
            }
            "text" | "textrm" | "textit" | "textbf" | "mbox" => {
                let text = self.text_arg(&what, at)?;
                let role = roles::of_text(&text);
                Node::atom(Glyph::Text(text), Class::Text, role)
            }
            "mathrm" | "operatorname" => {
                let saved = std::mem::replace(&mut self.auto_roles, false);
                let row = self.arg(&what, at);
                self.auto_roles = saved;
                let row = row?;
                let role = roles::of_text(&plain_text(&row));
                with_role(role, Node::Group(row))
            }
            "mathbf" | "mathit" | "boldsymbol" => Node::Group(self.arg(&what, at)?),
            "left" => self.fenced(at)?,
            "begin" => self.matrix(at)?,
            "role" => {
                let name = self.name_arg(&what, at)?;
                let Some(role) = roles::by_name(&name) else {
                    let known: Vec<&str> = roles::NAMES.iter().map(|(n, _)| *n).collect();
                    return Err(err(
                        at,
                        format!(
                            "unknown role name '{name}' in \\role (known: {})",
                            known.join(" ")
                        ),
                    ));
                };
                Node::Role(role, Box::new(Node::Group(self.arg(&what, at)?)))
            }
            "right" => return Err(err(at, r"\right without matching \left")),
            "end" => return Err(err(at, r"\end without matching \begin")),
            "\\" => return Err(err(at, r"\\ outside a matrix")),
            "displaystyle" | "textstyle" | "limits" | "nolimits" => return Ok(None),
            "," | ":" | ";" | " " => Node::Space(1),
            "!" => Node::Space(0),
            "quad" => Node::Space(2),
            "qquad" => Node::Space(4),
            "{" => Node::atom(Glyph::Text("{".into()), Class::Open, None),
            "}" => Node::atom(Glyph::Text("}".into()), Class::Close, None),
            "%" | "_" | "&" | "#" | "$" => Node::atom(Glyph::Text(name), Class::Ord, None),
            _ => match symbols::lookup(&name) {
                Some(sym) => self.symbol(sym),
                None => return Err(err(at, format!("unknown command {what}"))),
            },
        };
        Ok(Some(node))
    }

    /// `^` or `_` (`c`, at `at`) and its argument, attached to `base`.
    fn scripts(&mut self, base: Node, c: char, at: usize) -> Parsed<Node> {
        let what = c.to_string();
        let arg = self.arg(&what, at)?;
        let (base, mut sub, mut sup) = match base {
            Node::Scripts { base, sub, sup } => (*base, sub, sup),
            other => (other, None, None),
        };
        let (slot, double) = if c == '^' {
            (&mut sup, "double superscript")
        } else {
            (&mut sub, "double subscript")
        };
        if slot.is_some() {
            return Err(err(at, format!("{double}: use braces, e.g. {{x^a}}^b")));
        }
        // The scripts of a symbol belong to it: x⁽ⁱ⁾ is one sample's row.
        *slot = Some(Box::new(with_role(roles::of_base(&base), Node::Group(arg))));
        Ok(Node::Scripts {
            base: Box::new(base),
            sub,
            sup,
        })
    }
}

fn with_role(role: Option<super::Role>, node: Node) -> Node {
    match role {
        Some(r) => Node::Role(r, Box::new(node)),
        None => node,
    }
}

/// A one-item argument stands for itself; several make a group.
fn single(mut row: Vec<Node>) -> Node {
    if row.len() == 1
        && let Some(only) = row.pop()
    {
        return only;
    }
    Node::Group(row)
}

/// The letters of a row of plain atoms (`\mathrm{lr}` → "lr").
fn plain_text(row: &[Node]) -> String {
    row.iter()
        .map(|n| match n {
            Node::Atom(a) => match &a.glyph {
                Glyph::Text(t) => t.clone(),
                Glyph::Symbol(_) => "\u{0}".into(),
            },
            _ => "\u{0}".into(),
        })
        .collect()
}
