//! Arguments read as raw text: `\text{..}` and `{name}`s.

use super::{Parsed, Parser, err};
use crate::math::width::acceptable;

impl Parser {
    /// The `{name}` argument of `\begin`, `\end` and `\role`.
    pub(super) fn name_arg(&mut self, what: &str, at: usize) -> Parsed<String> {
        self.skip_ws();
        if self.peek() != Some('{') {
            return Err(err(at, format!("missing {{name}} after {what}")));
        }
        self.pos += 1;
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '}') {
            self.pos += 1;
        }
        if self.peek().is_none() {
            return Err(err(start - 1, "unclosed { (missing })"));
        }
        let name = self.source(start);
        self.pos += 1;
        Ok(name.trim().to_string())
    }

    /// The argument of `\text`: upright text, kept as written (whitespace
    /// runs become one space).
    pub(super) fn text_arg(&mut self, what: &str, at: usize) -> Parsed<String> {
        self.skip_ws();
        let open = self.pos;
        match self.peek() {
            Some('{') => self.pos += 1,
            Some(c) if acceptable(c) && c != '}' && c != '\\' => {
                self.pos += 1;
                return Ok(c.to_string());
            }
            _ => return Err(err(at, format!("missing argument for {what}"))),
        }
        let mut text = String::new();
        let mut nesting = 0usize;
        loop {
            let here = self.pos;
            let Some(c) = self.peek() else {
                return Err(err(open, "unclosed { (missing })"));
            };
            self.pos += 1;
            match c {
                '{' => nesting += 1,
                '}' if nesting == 0 => return Ok(text),
                '}' => nesting -= 1,
                '\\' => {
                    self.pos = here;
                    let name = self.command_name()?;
                    match name.as_str() {
                        "{" | "}" | "%" | "_" | "&" | "#" | "$" | "\\" => text.push_str(&name),
                        " " | "," | ";" | ":" => text.push(' '),
                        "quad" => text.push_str("  "),
                        _ => {
                            return Err(err(
                                here,
                                format!("\\{name} is not supported inside {what}"),
                            ));
                        }
                    }
                }
                '$' => return Err(err(here, format!("math inside {what} is not supported"))),
                '~' => text.push(' '),
                c if c.is_whitespace() => {
                    if !text.ends_with(' ') {
                        text.push(' ');
                    }
                }
                c if acceptable(c) => text.push(c),
                c => {
                    return Err(err(
                        here,
                        format!("unsupported character U+{:04X}", u32::from(c)),
                    ));
                }
            }
        }
    }
}
