//! A student's terminal at the other end of an SSH channel: the keys in the bytes they type, and
//! ratatui drawing at their window's size into the bytes that bring their screen to a frame.

use std::io;
use std::sync::{Arc, Mutex};

use crossterm::event::{Event, KeyCode, KeyEvent};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Widget};
use ratatui::{Terminal, TerminalOptions, Viewport};

/// Largest window drawn; bigger ones are drawn at this size. A screen costs two buffers of 48
/// bytes a cell (ratatui diffs the new frame against the last), so this bounds a student's
/// screen to about 3 MB.
pub const MAX_WIDTH: u16 = 320;
pub const MAX_HEIGHT: u16 = 100;
/// Bytes of an unfinished escape sequence kept for the next packet.
const MAX_PENDING: usize = 64;

/// The window size a client asks for, within bounds.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let fit = |v: u32, max: u16| u16::try_from(v).unwrap_or(max).clamp(1, max);
    (fit(cols, MAX_WIDTH), fit(rows, MAX_HEIGHT))
}

/// Where ratatui writes a student's frames, taken after each one.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

/// A student's screen: ratatui drawing at their window's size into bytes for their channel.
pub(super) struct Screen {
    sink: Sink,
    size: (u16, u16),
    terminal: Terminal<CrosstermBackend<Sink>>,
}

impl Screen {
    pub(super) fn new((w, h): (u16, u16)) -> io::Result<Screen> {
        let sink = Sink::default();
        let terminal = Terminal::with_options(
            CrosstermBackend::new(sink.clone()),
            TerminalOptions {
                viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
            },
        )?;
        Ok(Screen {
            sink,
            size: (w, h),
            terminal,
        })
    }

    pub(super) fn resize(&mut self, cols: u32, rows: u32) -> io::Result<()> {
        let (w, h) = clamp_size(cols, rows);
        self.size = (w, h);
        self.terminal.resize(Rect::new(0, 0, w, h))
    }

    /// The size drawn at: the client's window, clamped.
    pub(super) fn size(&self) -> (u16, u16) {
        self.size
    }

    /// Draws a frame with `render`; the bytes that bring the student's terminal to it.
    pub(super) fn frame(
        &mut self,
        render: impl FnOnce(&mut ratatui::Frame<'_>),
    ) -> io::Result<Vec<u8>> {
        crossterm::queue!(self.sink, BeginSynchronizedUpdate)?;
        self.terminal.draw(render)?;
        crossterm::queue!(self.sink, EndSynchronizedUpdate)?;
        Ok(self.sink.take())
    }
}

/// The keys in `bytes`, a split escape sequence's start kept in `pending` for the next packet.
pub(super) fn keys_in(pending: &mut Vec<u8>, bytes: &[u8]) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for (i, &b) in bytes.iter().enumerate() {
        pending.push(b);
        // ESC ESC is the Esc key, then the start of what follows (an arrow's ESC [ C).
        if *pending == [0x1b, 0x1b] {
            pending.remove(0);
            keys.push(KeyEvent::from(KeyCode::Esc));
        }
        // A lone Esc followed by more bytes is the start of a sequence, not the Esc key.
        if *pending == [0x1b] && i + 1 < bytes.len() {
            continue;
        }
        match terminput::Event::parse_from(pending) {
            Ok(Some(event)) => {
                pending.clear();
                if let Ok(Event::Key(key)) = terminput_crossterm::to_crossterm(event) {
                    keys.push(key);
                }
            }
            Ok(None) if pending.len() < MAX_PENDING => {}
            Ok(None) | Err(_) => pending.clear(),
        }
    }
    // Keys that arrived together, as they were typed: ESC q is Esc then q, not Alt+q.
    crate::ui::together::together(&keys)
}

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut b = self
            .0
            .lock()
            .map_err(|_| io::Error::other("frame buffer poisoned"))?;
        b.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Terminal set-up sent before the first frame: the alternate screen, no cursor.
pub fn opening() -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    crossterm::queue!(
        out,
        EnterAlternateScreen,
        crossterm::cursor::Hide,
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    Ok(out)
}

/// What gives the student's terminal back.
pub fn closing() -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    crossterm::queue!(out, LeaveAlternateScreen, crossterm::cursor::Show)?;
    Ok(out)
}

/// One reversed line just above the status line (its two rows at the bottom).
pub(super) fn draw_line(line: Line<'static>, area: Rect, buf: &mut Buffer) {
    if area.height >= 4 {
        reversed(line, area, area.height - 3, buf);
    }
}

/// The progress of a jump, reversed on the bottom row (as on the teacher's screen).
pub(super) fn draw_progress(text: String, area: Rect, buf: &mut Buffer) {
    if area.height > 0 {
        reversed(Line::from(text), area, area.height - 1, buf);
    }
}

/// `line` reversed across row `row` of `area`, over what was drawn there.
fn reversed(line: Line<'static>, area: Rect, row: u16, buf: &mut Buffer) {
    let rect = Rect {
        y: area.y + row,
        height: 1,
        ..area
    };
    Clear.render(rect, buf);
    Paragraph::new(line)
        .style(Style::default().add_modifier(Modifier::REVERSED))
        .render(rect, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_sizes_are_clamped() {
        assert_eq!(clamp_size(10_000, 10_000), (MAX_WIDTH, MAX_HEIGHT));
        assert_eq!(clamp_size(0, 0), (1, 1));
        assert_eq!(clamp_size(80, 24), (80, 24));
        assert_eq!(clamp_size(u32::MAX, 5), (MAX_WIDTH, 5));
    }
}
