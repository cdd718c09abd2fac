//! The only place ratatui appears: a [`Block`] as styled ratatui lines.

use super::{Block, Role};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// One ratatui line per line of the block, each span styled by `style` from
/// its role (`None` for operators, digits of constants, padding).
pub fn lines(block: &Block, style: impl Fn(Option<Role>) -> Style) -> Vec<Line<'static>> {
    block
        .lines
        .iter()
        .map(|line| {
            Line::from(
                line.iter()
                    .map(|s| Span::styled(s.text.clone(), style(s.role)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}
