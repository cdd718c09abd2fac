//! Below the minimum size the screen says what it needs instead of drawing garbage.

use ratatui::layout::Rect;

use super::app::App;
use super::canvas::{Canvas, wrap};
use super::strings::S;

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

pub fn fits(area: Rect) -> bool {
    area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT
}

pub fn render(app: &App, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let x = app.glyphs.times;
    let text = S::TooSmall
        .get(app.lang)
        .replace("{min}", &format!("{MIN_WIDTH}{x}{MIN_HEIGHT}"))
        .replace("{now}", &format!("{}{x}{}", area.width, area.height));
    let lines = wrap(&text, usize::from(area.width));
    let top = usize::from(area.height).saturating_sub(lines.len()) / 2;
    let mut canvas = Canvas::new(buf, area);
    for (i, line) in lines.iter().enumerate() {
        canvas.text(0, top + i, line, app.theme.title());
    }
}
