//! Rectangles of styled text and the ways to put them together.

use super::width::display_width;
use super::{Block, Options, Role, Span};

/// A run of text inside a fragment, with its width already measured.
#[derive(Clone, Debug)]
pub(crate) struct Piece {
    pub text: String,
    pub role: Option<Role>,
    pub cols: usize,
}

impl Piece {
    pub fn blank(cols: usize) -> Piece {
        Piece {
            text: " ".repeat(cols),
            role: None,
            cols,
        }
    }
}

/// A laid-out part of a formula: every row covers exactly `width` columns.
#[derive(Clone, Debug)]
pub(crate) struct Frag {
    pub width: usize,
    pub baseline: usize,
    pub rows: Vec<Vec<Piece>>,
}

impl Frag {
    pub fn height(&self) -> usize {
        self.rows.len()
    }

    /// Rows above the baseline.
    pub fn ascent(&self) -> usize {
        self.baseline
    }

    /// Rows below the baseline.
    pub fn descent(&self) -> usize {
        self.height().saturating_sub(self.baseline + 1)
    }

    /// One line of text.
    pub fn text(text: &str, role: Option<Role>, opts: Options) -> Frag {
        Frag::line(vec![Piece {
            text: text.to_string(),
            role,
            cols: display_width(text, opts),
        }])
    }

    /// One line made of the given pieces.
    pub fn line(pieces: Vec<Piece>) -> Frag {
        let width = pieces.iter().map(|p| p.cols).sum();
        Frag {
            width,
            baseline: 0,
            rows: vec![pieces],
        }
    }

    /// An empty line `cols` wide.
    pub fn space(cols: usize) -> Frag {
        Frag::line(vec![Piece::blank(cols)])
    }

    /// The same fragment with every piece, padding included, playing `role`.
    pub fn with_role(mut self, role: Role) -> Frag {
        for piece in self.rows.iter_mut().flatten() {
            piece.role = Some(role);
        }
        self
    }

    /// Side by side, baselines aligned.
    pub fn hcat(parts: Vec<Frag>) -> Frag {
        let ascent = parts.iter().map(Frag::ascent).max().unwrap_or(0);
        let descent = parts.iter().map(Frag::descent).max().unwrap_or(0);
        let mut col = 0;
        let mut placed = Vec::with_capacity(parts.len());
        for part in parts {
            let (c, r) = (col, ascent - part.ascent());
            col += part.width;
            placed.push(Placed::new(part, c, r));
        }
        place(col, ascent + descent + 1, ascent, placed)
    }

    /// Stacked top to bottom, each centred; `baseline` is a row of the result.
    pub fn vstack(parts: Vec<Frag>, baseline: usize) -> Frag {
        let width = parts.iter().map(|p| p.width).max().unwrap_or(0);
        let mut row = 0;
        let mut placed = Vec::with_capacity(parts.len());
        for part in parts {
            let (c, r) = ((width - part.width) / 2, row);
            row += part.height();
            placed.push(Placed::new(part, c, r));
        }
        place(width, row.max(1), baseline, placed)
    }

    /// Turns the fragment into the public block, merging neighbouring pieces
    /// of the same role into one span.
    pub fn into_block(self) -> Block {
        let lines: Vec<Vec<Span>> = self
            .rows
            .into_iter()
            .map(|row| {
                let mut spans: Vec<Span> = Vec::new();
                for piece in row.into_iter().filter(|p| !p.text.is_empty()) {
                    match spans.last_mut() {
                        Some(last) if last.role == piece.role => last.text.push_str(&piece.text),
                        _ => spans.push(Span {
                            text: piece.text,
                            role: piece.role,
                        }),
                    }
                }
                spans
            })
            .collect();
        Block {
            width: self.width,
            height: lines.len(),
            baseline: self.baseline,
            lines,
        }
    }
}

/// A fragment with its top-left corner at (`col`, `row`) of a larger one.
pub(crate) struct Placed {
    frag: Frag,
    col: usize,
    row: usize,
}

impl Placed {
    pub fn new(frag: Frag, col: usize, row: usize) -> Placed {
        Placed { frag, col, row }
    }
}

/// Composes fragments that do not overlap into one `width` × `height`
/// fragment, filling the gaps with spaces. Overlapping parts are dropped
/// rather than corrupting the column count (layout never produces them).
pub(crate) fn place(width: usize, height: usize, baseline: usize, mut items: Vec<Placed>) -> Frag {
    items.sort_by_key(|p| p.col);
    let rows = (0..height)
        .map(|r| {
            let mut line = Vec::new();
            let mut cursor = 0;
            for item in &items {
                let Some(pieces) = r.checked_sub(item.row).and_then(|i| item.frag.rows.get(i))
                else {
                    continue;
                };
                let fits = item.col >= cursor && item.col + item.frag.width <= width;
                debug_assert!(fits, "overlapping fragments");
                if !fits {
                    continue;
                }
                if item.col > cursor {
                    line.push(Piece::blank(item.col - cursor));
                }
                line.extend(pieces.iter().cloned());
                cursor = item.col + item.frag.width;
            }
            if cursor < width {
                line.push(Piece::blank(width - cursor));
            }
            line
        })
        .collect();
    Frag {
        width,
        baseline: baseline.min(height.saturating_sub(1)),
        rows,
    }
}
