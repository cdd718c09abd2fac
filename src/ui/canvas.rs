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

/// Greedy word wrap by display width. Chinese breaks between any two characters, except before
/// closing punctuation, which stays with the character it follows.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut line_w = 0;
        for token in tokens(paragraph) {
            let space = token.starts_with(' ');
            let word = token.trim_start_matches(' ');
            let ww = self::width(word);
            let need = if space && line_w > 0 { ww + 1 } else { ww };
            if line_w + need <= width {
                if space && line_w > 0 {
                    line.push(' ');
                }
                line.push_str(word);
                line_w += need;
                continue;
            }
            if line_w > 0 {
                lines.push(std::mem::take(&mut line));
                line_w = 0;
            }
            // A word longer than the line is split at glyph boundaries.
            for c in word.chars() {
                let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                if line_w + cw > width && line_w > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0;
                }
                line.push(c);
                line_w += cw;
            }
        }
        lines.push(line);
    }
    lines
}

/// Words (with their leading space) and single wide characters (with trailing closing marks).
fn tokens(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut pending_space = false;
    for c in s.chars() {
        if c == ' ' {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            pending_space = true;
            continue;
        }
        let wide = unicode_width::UnicodeWidthChar::width(c) == Some(2);
        if is_closing(c)
            && cur.is_empty()
            && let Some(last) = out.last_mut()
        {
            last.push(c);
            continue;
        }
        if wide || is_closing(c) {
            if !cur.is_empty() && !is_closing(c) {
                out.push(std::mem::take(&mut cur));
            }
            if pending_space {
                cur.push(' ');
                pending_space = false;
            }
            cur.push(c);
            if wide {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if pending_space {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.push(' ');
            pending_space = false;
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '、' | '；' | '：' | '！' | '？' | '）' | '」' | '』' | '》' | '”' | '’'
    )
}
