//! Constructs with an explicit end: `\left..\right` and matrix environments.

use super::{Parsed, Parser, Stop, err, stray};
use crate::math::ast::{Delim, Node, Side};

impl Parser {
    /// A delimiter after `\left` or `\right`.
    pub(super) fn delim(&mut self, what: &str, at: usize) -> Parsed<Delim> {
        self.skip_ws();
        let d = match self.peek() {
            Some('(') => Delim::Paren(Side::Left),
            Some(')') => Delim::Paren(Side::Right),
            Some('[') => Delim::Bracket(Side::Left),
            Some(']') => Delim::Bracket(Side::Right),
            Some('|') => Delim::Bar,
            Some('.') => Delim::None,
            Some('\\') => {
                let start = self.pos;
                let name = self.command_name()?;
                let d = match name.as_str() {
                    "{" | "lbrace" => Delim::Brace(Side::Left),
                    "}" | "rbrace" => Delim::Brace(Side::Right),
                    "lbrack" => Delim::Bracket(Side::Left),
                    "rbrack" => Delim::Bracket(Side::Right),
                    "vert" => Delim::Bar,
                    _ => {
                        return Err(err(
                            start,
                            format!("unknown delimiter \\{name} after {what}"),
                        ));
                    }
                };
                return Ok(d);
            }
            _ => return Err(err(at, format!("missing delimiter after {what}"))),
        };
        self.pos += 1;
        Ok(d)
    }

    /// `\left( .. \right)`; `at` is the backslash of `\left`.
    pub(super) fn fenced(&mut self, at: usize) -> Parsed<Node> {
        let open = self.delim(r"\left", at)?;
        let opened = self.source(at);
        self.enter(at)?;
        let (body, stop) = self.row()?;
        self.depth -= 1;
        match stop {
            Stop::Right(right_at) => {
                let close = self.delim(r"\right", right_at)?;
                Ok(Node::Fenced { open, close, body })
            }
            Stop::Eof => Err(err(at, format!(r"{opened} without matching \right"))),
            other => Err(stray(other)),
        }
    }

    /// `\begin{bmatrix} a & b \\ c & d \end{bmatrix}`; `at` is the backslash
    /// of `\begin`.
    pub(super) fn matrix(&mut self, at: usize) -> Parsed<Node> {
        let env = self.name_arg(r"\begin", at)?;
        let (open, close) = match env.as_str() {
            "matrix" => (Delim::None, Delim::None),
            "pmatrix" => (Delim::Paren(Side::Left), Delim::Paren(Side::Right)),
            "bmatrix" => (Delim::Bracket(Side::Left), Delim::Bracket(Side::Right)),
            "Bmatrix" => (Delim::Brace(Side::Left), Delim::Brace(Side::Right)),
            "vmatrix" => (Delim::Bar, Delim::Bar),
            _ => return Err(err(at, format!("unknown environment {env}"))),
        };
        self.enter(at)?;
        let mut rows = Vec::new();
        let mut cells = Vec::new();
        loop {
            let (cell, stop) = self.row()?;
            cells.push(cell);
            match stop {
                Stop::Amp(_) => {}
                Stop::RowSep(_) => rows.push(std::mem::take(&mut cells)),
                Stop::End(end_at) => {
                    let end = self.name_arg(r"\end", end_at)?;
                    if end != env {
                        return Err(err(
                            end_at,
                            format!("\\end{{{end}}} does not match \\begin{{{env}}}"),
                        ));
                    }
                    break;
                }
                Stop::Eof => {
                    return Err(err(
                        at,
                        format!("\\begin{{{env}}} without matching \\end{{{env}}}"),
                    ));
                }
                other => return Err(stray(other)),
            }
        }
        self.depth -= 1;
        // A trailing `\\` before `\end` does not start a row.
        if !(cells.len() == 1 && cells.iter().all(Vec::is_empty)) || rows.is_empty() {
            rows.push(cells);
        }
        Ok(Node::Matrix { open, close, rows })
    }
}
