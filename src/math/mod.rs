//! PLACEHOLDER (to be replaced by the formula typesetter, issue 3). Only the API below is fixed.
//! LaTeX subset → styled 2-D terminal layout.

/// What a term of a formula stands for, so the UI can colour it like its matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    X,
    XRow,
    W,
    B,
    YHat,
    Y,
    Delta,
    LossSample,
    Loss,
    GradW,
    GradB,
    Lr,
    N,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub role: Option<Role>,
}

/// A laid-out formula: `lines.len() == height`, every line exactly `width` columns wide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub width: usize,
    pub height: usize,
    pub baseline: usize,
    pub lines: Vec<Vec<Span>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The terminal draws East-Asian ambiguous-width characters two columns wide.
    pub ambiguous_wide: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    src: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character offset into the source.
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at character {}: {}", self.offset + 1, self.message)
    }
}

impl std::error::Error for ParseError {}

pub fn parse(src: &str) -> Result<Formula, ParseError> {
    Ok(Formula {
        src: src.to_string(),
    })
}

pub fn layout(f: &Formula, opts: Options) -> Block {
    layout_inline(f, opts)
}

pub fn layout_inline(f: &Formula, _opts: Options) -> Block {
    let text = f.src.clone();
    let width = unicode_width::UnicodeWidthStr::width(text.as_str());
    Block {
        width,
        height: 1,
        baseline: 0,
        lines: vec![vec![Span { text, role: None }]],
    }
}

pub fn fit(f: &Formula, max_width: usize, opts: Options) -> Block {
    let b = layout(f, opts);
    if b.width <= max_width {
        b
    } else {
        layout_inline(f, opts)
    }
}

pub mod tui {
    use super::{Block, Role};
    use ratatui::style::Style;
    use ratatui::text::{Line, Span};

    pub fn lines(block: &Block, style: impl Fn(Option<Role>) -> Style) -> Vec<Line<'static>> {
        block
            .lines
            .iter()
            .map(|l| {
                Line::from(
                    l.iter()
                        .map(|s| Span::styled(s.text.clone(), style(s.role)))
                        .collect::<Vec<_>>(),
                )
            })
            .collect()
    }
}
