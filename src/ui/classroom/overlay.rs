//! Drawn over the finished screen: the transient notice and the badge of the active mode.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use crate::ui::app::App;
use crate::ui::canvas::{Canvas, width};
use crate::ui::strings::S;

/// Drawn over the finished screen: the transient notice in place of the key hints, and the
/// badge of the mode that changes what keys or cells mean.
pub fn overlay(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = app.theme;
    let bottom = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    let mut canvas = Canvas::new(buf, bottom);
    let badge = badge(app);
    let badge_w = badge.as_deref().map_or(0, width);
    if let Some(notice) = app.notice() {
        canvas.text(0, 0, &" ".repeat(canvas.width()), theme.plain());
        let style = if notice.error {
            theme.warning()
        } else {
            theme.title()
        };
        let room = canvas.width().saturating_sub(badge_w + 1);
        canvas.text(0, 0, &fit(&notice.text, room), style);
    }
    if let Some(badge) = badge {
        let x = canvas.width().saturating_sub(badge_w);
        // A key hint the badge would cut in half goes whole; hints are two spaces apart.
        let mut start = x;
        while start > 1 && !(canvas.is_blank(start - 1, 0) && canvas.is_blank(start - 2, 0)) {
            start -= 1;
        }
        canvas.text(start, 0, &" ".repeat(x - start), theme.plain());
        canvas.text(x, 0, &badge, theme.badge());
    }
}

/// The badge of the mode that changes what keys or cells mean, as drawn at the end of the
/// hints' line (the status line leaves it room, so the hints it keeps are the most needed).
pub fn badge(app: &App) -> Option<String> {
    let badge = if app.classroom.inspecting {
        Some(S::InspectBadge)
    } else if app.hiding() && app.follower {
        // The teacher reveals, never a following student: their Enter submits.
        Some(S::QuizBadgeFollower)
    } else if app.hiding() {
        Some(S::QuizBadge)
    } else {
        None
    };
    badge.map(|b| format!(" {} ", b.get(app.lang)))
}

/// The end of a long text is what matters (a file name), so it is the start that gives way.
fn fit(text: &str, room: usize) -> String {
    if width(text) <= room {
        return text.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    // Three dots, not U+2026, which is ambiguous-width.
    let mut used = 3;
    for c in text.chars().rev() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > room {
            break;
        }
        used += w;
        out.push(c);
    }
    out.extend(['.', '.', '.']);
    out.into_iter().rev().collect()
}
