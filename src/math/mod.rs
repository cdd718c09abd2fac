//! Typesets the lesson's formulas in the terminal: a LaTeX subset laid out in
//! two dimensions (stacked fractions, Σ with limits, growing brackets,
//! matrices), every term tagged with the [`Role`] it plays so the UI can colour
//! it like its matrix.
//!
//! ```
//! use gradstep::math::{layout, parse, Options};
//! let f = parse(r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w}").unwrap();
//! let block = layout(&f, Options::default());
//! assert_eq!(block.height, 3);
//! ```
//!
//! What it reads: letters, numbers (`-0.018`, `1.2e-5`, `inf`, `NaN`),
//! `+ - = , ; ( ) [ ] |`, sub- and superscripts, `\frac`, `\hat`, `\sum`,
//! `\prod`, Greek letters, `\partial`, `\cdot`, `\times`, `\leftarrow`,
//! `\le`, `\approx`, `\ldots`, `\cdots`, `\vdots` and a few more relations,
//! `\text{..}` (Chinese included), `\mathrm{..}`, `\left.. \right..` with
//! `( ) [ ] \{ \} | .`, the spacing commands `\, \; \: \! \quad \qquad \ `,
//! the `matrix`/`pmatrix`/`bmatrix`/`Bmatrix`/`vmatrix` environments, and
//! `\role{name}{..}` to give substituted numbers a role. Anything else is a
//! [`ParseError`].
//!
//! Roles come from the symbols themselves (`X`, `x`, `w`, `b`, `\hat{y}`, `y`,
//! `\delta`, `l`, `L`, `N`, `\text{lr}`, and the fractions
//! `\frac{\partial L}{\partial w}` / `..{\partial b}`); scripts share the role
//! of their symbol.
//!
//! The core (parsing and layout) knows nothing of ratatui; [`tui`] is the thin
//! adapter that turns a [`Block`] into styled ratatui lines.

mod ast;
pub mod build;
mod frag;
mod glyphs;
mod layout;
mod parse;
mod roles;

/// The role `\role{name}{…}` names (`yhat`, `gradw`, …), for tables that colour a symbol.
pub fn role_named(name: &str) -> Option<Role> {
    roles::by_name(name)
}
mod scripts;
mod symbols;
pub mod tui;
mod width;

pub use width::display_width;
pub(crate) use width::unambiguous;

/// What a term of a formula stands for, so the UI can colour it like its matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// The input matrix `X`.
    X,
    /// One sample's row `x⁽ⁱ⁾` (any lower-case `x`).
    XRow,
    /// The weights `w`.
    W,
    /// The bias `b`.
    B,
    /// The predictions `ŷ`.
    YHat,
    /// The labels `y`.
    Y,
    /// The errors `δ`.
    Delta,
    /// One sample's loss `l`.
    LossSample,
    /// The batch loss `L`.
    Loss,
    /// The gradient `∂L/∂w` (the whole fraction).
    GradW,
    /// The gradient `∂L/∂b` (the whole fraction).
    GradB,
    /// The learning rate `lr`.
    Lr,
    /// The batch size `N`.
    N,
}

/// A run of text that plays one role (or none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub role: Option<Role>,
}

/// A laid-out formula: `lines.len() == height`, every line exactly `width`
/// display columns wide (measured as the [`Options`] say the terminal draws),
/// and `baseline` is the line the main row of the formula sits on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub width: usize,
    pub height: usize,
    pub baseline: usize,
    pub lines: Vec<Vec<Span>>,
}

impl Block {
    /// Blocks one under the other, left-aligned, padded to the widest; the baseline is the
    /// first block's.
    pub fn stack(blocks: Vec<Block>) -> Block {
        let width = blocks.iter().map(|b| b.width).max().unwrap_or(0);
        let baseline = blocks.first().map_or(0, |b| b.baseline);
        let mut lines = Vec::new();
        for b in blocks {
            for mut line in b.lines {
                if b.width < width {
                    line.push(Span {
                        text: " ".repeat(width - b.width),
                        role: None,
                    });
                }
                lines.push(line);
            }
        }
        Block {
            width,
            height: lines.len(),
            baseline,
            lines,
        }
    }

    /// The plain text of each line, roles dropped (handy for tests and logs).
    pub fn text_lines(&self) -> Vec<String> {
        self.lines
            .iter()
            .map(|line| line.iter().map(|s| s.text.as_str()).collect())
            .collect()
    }
}

/// How the terminal draws characters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The terminal draws East-Asian ambiguous-width characters two columns
    /// wide (common in Chinese locales). The renderer then emits only glyphs
    /// whose width does not depend on that setting.
    pub ambiguous_wide: bool,
}

/// A parsed formula, ready to be laid out any number of times.
#[derive(Clone, Debug, PartialEq)]
pub struct Formula {
    row: Vec<ast::Node>,
}

/// Why a source string is not a formula this renderer understands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Character (not byte) offset into the source.
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at character {}: {}", self.offset + 1, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses the LaTeX subset the lesson uses. Never panics: anything it does not
/// understand is a [`ParseError`] that names the command and where it is.
pub fn parse(src: &str) -> Result<Formula, ParseError> {
    parse::parse(src).map(|row| Formula { row })
}

/// Lays a formula out in two dimensions.
pub fn layout(f: &Formula, opts: Options) -> Block {
    layout::layout_row(&f.row, opts, false).into_block()
}

/// Lays a formula out on one line (`a/b` fractions, `Σᵢ₌₁ᴺ`, plain brackets).
pub fn layout_inline(f: &Formula, opts: Options) -> Block {
    layout::layout_row(&f.row, opts, true).into_block()
}

/// The two-dimensional layout if it is at most `max_width` columns wide,
/// otherwise the one-line form (which may itself be wider: it is never cut).
pub fn fit(f: &Formula, max_width: usize, opts: Options) -> Block {
    let block = layout(f, opts);
    if block.width <= max_width {
        block
    } else {
        layout_inline(f, opts)
    }
}
