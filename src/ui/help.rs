//! The help overlay: every key of the key table with what it does, then the 45-minute lesson
//! plan and the lesson's symbols (from assets/). It is modal: its own keys scroll and page it (see `keys::HELP_KEYS`).

use ratatui::layout::Rect;
use ratatui::symbols::border;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Widget};

use super::canvas::{Canvas, width, wrap};
use super::glyphs::Glyphs;
use super::keys::{HELP_KEYS, INSPECT_KEYS, KEYS, Key};
use super::message::Move;
use super::strings::S;
use super::theme::Theme;
use crate::lesson::Lang;

/// The plan for a 45-minute session, a heading line starting with `# `, paragraphs apart.
const PLAN_EN: &str = include_str!("../../assets/plan.en.txt");
const PLAN_ZH: &str = include_str!("../../assets/plan.zh.txt");

/// The help's pages: the keys, the plan, the symbols.
const PAGES: usize = 3;

/// Which page is shown and its first line. The view clamps the line to what the window can
/// show; `moved` keeps it below the page's length at the narrowest help, so scrolling back up
/// after overshooting is never long.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct At {
    pub page: usize,
    pub scroll: usize,
}

/// Lines a screen of scrolling moves: the smallest terminal's help body, less one for context.
const SCREEN: usize = 14;
/// The narrowest text the help lays out (the smallest terminal, less the frame).
const NARROWEST: usize = 56;

impl At {
    pub fn moved(self, m: Move, lang: Lang) -> At {
        let (page, scroll) = match m {
            Move::Down => (self.page, self.scroll.saturating_add(1)),
            Move::Up => (self.page, self.scroll.saturating_sub(1)),
            Move::ScreenDown => (self.page, self.scroll.saturating_add(SCREEN)),
            Move::ScreenUp => (self.page, self.scroll.saturating_sub(SCREEN)),
            Move::NextPage => ((self.page + 1).min(PAGES - 1), 0),
            Move::PrevPage => (self.page.saturating_sub(1), 0),
        };
        // Paging past the first or last page keeps the place.
        let scroll = if page == self.page && matches!(m, Move::NextPage | Move::PrevPage) {
            self.scroll
        } else {
            scroll
        };
        let longest = if page == 0 {
            lay_out(&key_rows(lang, None, false), 12, NARROWEST).len()
        } else {
            text_page(page, lang, &super::glyphs::Glyphs::new(false), NARROWEST)
                .1
                .len()
        };
        At {
            page,
            scroll: scroll.min(longest.saturating_sub(1)),
        }
    }
}

/// A page of text (the plan, the symbols): its title and its lines wrapped to `width`.
fn text_page(
    page: usize,
    lang: Lang,
    glyphs: &super::glyphs::Glyphs,
    width: usize,
) -> (S, Vec<(String, bool)>) {
    if page == 1 {
        (S::HelpPlan, plan_lines(lang, width))
    } else {
        (
            S::HelpSymbols,
            super::graph::legend_help_lines(lang, glyphs, width),
        )
    }
}

/// The plan in `lang`, wrapped to `width`: (line, whether it is a heading).
fn plan_lines(lang: Lang, width: usize) -> Vec<(String, bool)> {
    let text = match lang {
        Lang::En => PLAN_EN,
        Lang::Zh => PLAN_ZH,
    };
    let mut out = Vec::new();
    for para in text.split("\n\n") {
        if !out.is_empty() {
            out.push((String::new(), false));
        }
        let (para, heading) = match para.trim().strip_prefix("# ") {
            Some(h) => (h, true),
            None => (para.trim(), false),
        };
        out.extend(wrap(para, width).into_iter().map(|l| (l, heading)));
    }
    out
}

/// The keys page's entries: every table, with a heading before each mode's own. A student
/// following the teacher over `serve` sees first the keys that act while following, then those
/// that act once they explore; keys that never act for a student are left out.
fn key_rows(lang: Lang, glyphs: Option<&super::glyphs::Glyphs>, follower: bool) -> Vec<Row> {
    use super::keys::Student;
    let plain = super::glyphs::Glyphs::new(false);
    let glyphs = glyphs.unwrap_or(&plain);
    let entry = |b: &super::keys::Binding| -> Row {
        let keys: Vec<String> = b.keys.iter().map(|k| k.label(glyphs)).collect();
        (Some(keys.join(" ")), b.help.get(lang).to_string())
    };
    let mut rows: Vec<Row> = if follower {
        let of = |who: Student| KEYS.iter().filter(move |b| b.student == who).map(entry);
        let mut rows = vec![(None, S::HelpFollowing.get(lang).to_string())];
        rows.extend(of(Student::Following));
        rows.push((None, S::HelpExploring.get(lang).to_string()));
        rows.extend(of(Student::Exploring));
        rows
    } else {
        KEYS.iter().map(entry).collect()
    };
    rows.push((None, S::InInspect.get(lang).to_string()));
    rows.extend(INSPECT_KEYS.iter().map(entry));
    rows.push((None, S::InHelp.get(lang).to_string()));
    rows.extend(HELP_KEYS.iter().map(entry));
    rows
}

/// Box-drawing characters are ambiguous-width; `+-|` are not.
const ASCII: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// One entry of the overlay: keys and what they do, or a section heading (no keys).
type Row = (Option<String>, String);

/// What the overlay is drawn from: where it is, and in whose language, colours and glyphs.
pub struct Screen {
    pub at: At,
    pub lang: Lang,
    pub theme: Theme,
    pub glyphs: Glyphs,
    /// A student following the teacher over `serve` (see `key_rows`).
    pub follower: bool,
}

pub fn render(help: &Screen, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    if help.at.page == 0 {
        render_keys(help, area, buf);
    } else {
        render_plan(help, area, buf);
    }
}

/// The frame around a page: its title and, in the bottom edge, how to move and close.
fn frame(help: &Screen, title: &str, more: bool) -> Block<'static> {
    let lang = help.lang;
    let theme = help.theme;
    let set = if help.glyphs.ambiguous_wide {
        ASCII
    } else {
        border::PLAIN
    };
    let next = if help.at.page + 1 < PAGES {
        Key::Right
    } else {
        Key::Left
    };
    let scroll = if more {
        format!("{} ", Key::Down.label(&help.glyphs))
    } else {
        String::new()
    };
    let moves = S::HelpMoves
        .get(lang)
        .replace("{next}", &format!("{scroll}{}", next.label(&help.glyphs)))
        .replace("{k}", &(help.at.page + 1).to_string())
        .replace("{n}", &PAGES.to_string());
    Block::new()
        .borders(Borders::ALL)
        .border_set(set)
        .border_style(theme.frame())
        .title(Line::styled(format!(" {title} "), theme.title()))
        // In the frame, so that every row inside is the page's.
        .title_bottom(Line::styled(
            help.glyphs
                .text(&format!(" {moves} · {} ", S::HelpClose.get(lang)))
                .into_owned(),
            theme.frame(),
        ))
}

/// A popup `w` × `h` in the middle of `area`.
fn centred(area: Rect, w: usize, h: usize) -> Rect {
    let w = w.min(usize::from(area.width)) as u16;
    let h = h.min(usize::from(area.height)) as u16;
    Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + area.height.saturating_sub(h) / 2,
        width: w,
        height: h,
    }
}

/// The second and third pages: the 45-minute plan, the symbols, scrolled.
fn render_plan(help: &Screen, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let theme = help.theme;
    let w = usize::from(area.width).min(80);
    let (title, lines) = text_page(help.at.page, help.lang, &help.glyphs, w.saturating_sub(4));
    let room = usize::from(area.height).saturating_sub(2);
    let scroll = help.at.scroll.min(lines.len().saturating_sub(room));
    let popup = centred(area, w, lines.len() + 2);
    Clear.render(popup, buf);
    let more = scroll + room < lines.len();
    let block = frame(help, title.get(help.lang), more);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut canvas = Canvas::new(buf, inner);
    for (y, (line, heading)) in lines.iter().skip(scroll).take(room).enumerate() {
        let style = if *heading {
            theme.title()
        } else {
            theme.plain()
        };
        canvas.text(1, y, &help.glyphs.text(line), style);
    }
}

/// The first page: every key, in one column or two, scrolled when even two do not fit.
fn render_keys(help: &Screen, area: Rect, buf: &mut ratatui::buffer::Buffer) {
    let lang = help.lang;
    let theme = help.theme;
    let rows = key_rows(lang, Some(&help.glyphs), help.follower);
    let key_w = rows
        .iter()
        .filter_map(|(k, _)| k.as_deref().map(width))
        .max()
        .unwrap_or(0);
    let text_w = rows.iter().map(|(_, t)| width(t)).max().unwrap_or(0);
    let max_h = usize::from(area.height);
    let max_w = usize::from(area.width);
    // One column if it fits, else two side by side with their texts wrapped.
    let one = (key_w + 2 + text_w + 4).min(max_w);
    let columns = if rows.len() + 2 <= max_h { 1 } else { 2 };
    let col_w = if columns == 1 {
        one.saturating_sub(4)
    } else {
        (max_w.saturating_sub(5) / 2).min(key_w + 2 + text_w)
    };
    let lines = lay_out(&rows, key_w, col_w);
    let per_column = lines.len().div_ceil(columns);
    // A column starts on an entry, never in the middle of a wrapped text.
    let split = (per_column..lines.len())
        .find(|&i| lines[i].0.is_some() || lines[i].2)
        .unwrap_or(lines.len());
    let (left, right) = if columns == 1 {
        (&lines[..], &lines[lines.len()..])
    } else {
        lines.split_at(split)
    };
    let body = left.len().max(right.len());
    let room = max_h.saturating_sub(2);
    let scroll = help.at.scroll.min(body.saturating_sub(room));
    let w = columns * col_w + (columns - 1) + 4;
    let popup = centred(area, w, body + 2);
    Clear.render(popup, buf);
    let block = frame(help, S::Help.get(lang), scroll + room < body);
    let inner = block.inner(popup);
    block.render(popup, buf);
    let mut canvas = Canvas::new(buf, inner);
    for (c, column) in [left, right].iter().enumerate() {
        let x0 = 1 + c * (col_w + 1);
        for (y, (keys, text, heading)) in column.iter().skip(scroll).take(room).enumerate() {
            if let Some(keys) = keys {
                canvas.text(x0, y, keys, theme.key());
            }
            let (x, style) = if *heading {
                (x0, theme.title())
            } else {
                (x0 + key_w + 2, theme.plain())
            };
            canvas.text(x, y, text, style);
        }
    }
}

/// Screen lines of the entries in a column `col_w` wide: (keys on the first line of an entry,
/// text, whether it is a heading).
fn lay_out(rows: &[Row], key_w: usize, col_w: usize) -> Vec<(Option<String>, String, bool)> {
    let text_room = col_w.saturating_sub(key_w + 2).max(8);
    let mut out = Vec::new();
    for (keys, text) in rows {
        match keys {
            None => {
                for (i, l) in wrap(text, col_w.max(8)).into_iter().enumerate() {
                    out.push((None, l, i == 0));
                }
            }
            Some(k) => {
                for (i, l) in wrap(text, text_room).into_iter().enumerate() {
                    out.push(((i == 0).then(|| k.clone()), l, false));
                }
            }
        }
    }
    out
}
