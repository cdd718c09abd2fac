//! Writing into the buffer without ever indexing outside it: every write is clipped to the
//! panel's area and to the buffer, whatever the terminal's size.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Line;
use unicode_width::UnicodeWidthStr;

pub struct Canvas<'a> {
    buf: &'a mut Buffer,
    area: Rect,
}

impl<'a> Canvas<'a> {
    pub fn new(buf: &'a mut Buffer, area: Rect) -> Canvas<'a> {
        let area = area.intersection(buf.area);
        Canvas { buf, area }
    }

    pub fn width(&self) -> usize {
        self.area.width as usize
    }

    pub fn height(&self) -> usize {
        self.area.height as usize
    }

    /// Writes `text` at column `x`, row `y` of the area; returns the columns used. A glyph that
    /// would not fit whole is left out, never cut.
    pub fn text(&mut self, x: usize, y: usize, text: &str, style: Style) -> usize {
        let Some((ax, ay, room)) = self.at(x, y) else {
            return 0;
        };
        let (end, _) = self.buf.set_stringn(ax, ay, text, room, style);
        usize::from(end.saturating_sub(ax))
    }

    /// Writes a styled line at column `x`, row `y`; returns the columns used.
    pub fn line(&mut self, x: usize, y: usize, line: &Line<'_>) -> usize {
        let Some((ax, ay, room)) = self.at(x, y) else {
            return 0;
        };
        let (end, _) = self.buf.set_line(ax, ay, line, room as u16);
        usize::from(end.saturating_sub(ax))
    }

    /// Adds `style` to `width` cells from column `x` of row `y`.
    pub fn style(&mut self, x: usize, y: usize, width: usize, style: Style) {
        let Some((ax, ay, room)) = self.at(x, y) else {
            return;
        };
        let w = width.min(room) as u16;
        self.buf.set_style(Rect::new(ax, ay, w, 1), style);
    }

    /// Whether (x, y) of the area holds a space (or lies outside it).
    pub fn is_blank(&self, x: usize, y: usize) -> bool {
        self.at(x, y)
            .and_then(|(ax, ay, _)| self.buf.cell((ax, ay)))
            .is_none_or(|c| c.symbol() == " ")
    }

    /// Absolute position and the columns left on that row, if (x, y) is inside the area.
    fn at(&self, x: usize, y: usize) -> Option<(u16, u16, usize)> {
        if x >= self.width() || y >= self.height() {
            return None;
        }
        let ax = self.area.x + x as u16;
        let ay = self.area.y + y as u16;
        Some((ax, ay, self.width() - x))
    }
}

/// Display width, as the buffer measures it.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Greedy word wrap by display width, breaking where Unicode's line-breaking rules allow (UAX
/// #14): between words, and in Chinese between any two characters except before closing
/// punctuation, which stays with the character it follows. Hyphenated words (and numbers such
/// as 3.5e-16) and fractions written with a slash (∂L/∂wⱼ) stay whole; a word longer than the
/// line is split.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1))
        .word_separator(textwrap::WordSeparator::Custom(words))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .break_words(true);
    text.lines()
        .flat_map(|paragraph| textwrap::wrap(paragraph, &options))
        .map(std::borrow::Cow::into_owned)
        .collect()
}

/// Unicode's break opportunities, except right after a slash: UAX #14 allows "∂L/" | "∂w", which
/// would cut a derivative in two.
fn words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    use textwrap::core::Word;
    let mut out: Vec<Word<'_>> = Vec::new();
    // Byte offset where the last word kept starts, and where the next one starts.
    let (mut last_start, mut at) = (0, 0);
    for w in textwrap::WordSeparator::UnicodeBreakProperties.find_words(line) {
        let len = w.word.len() + w.whitespace.len();
        let glued = out
            .last()
            .is_some_and(|p| p.whitespace.is_empty() && p.word.ends_with('/'));
        match (glued, line.get(last_start..at + len)) {
            (true, Some(both)) => {
                out.pop();
                out.push(Word::from(both));
            }
            _ => {
                last_start = at;
                out.push(w);
            }
        }
        at += len;
    }
    Box::new(out.into_iter())
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn a_derivative_is_not_cut_at_its_slash() {
        let text = "and its dot product with δ is ∂L/∂wⱼ. It has";
        let lines = wrap(text, 32);
        assert_eq!(lines, ["and its dot product with δ is", "∂L/∂wⱼ. It has"]);
        // Chinese still breaks between characters, and words at spaces.
        assert_eq!(
            wrap("一二三四 five six", 5),
            ["一二", "三四", "five", "six"]
        );
    }
}
