//! Where style is the point: highlights survive NO_COLOR, no colour leaks into a NO_COLOR
//! frame, and an ambiguous-wide terminal gets only characters it draws one column wide.

mod ui_common;

use gradstep::engine::Step;
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use ui_common::*;
use unicode_width::UnicodeWidthChar;

/// The row and column where a matrix row's opening bracket is, found by its sample number.
fn row_of_sample(buf: &Buffer, sample: usize) -> (u16, u16) {
    let needle = format!("{sample} [");
    let lines = text(buf);
    for (y, line) in lines.lines().enumerate() {
        if let Some(x) = line.find(&needle)
            && line[..x].trim().is_empty()
        {
            return (x as u16 + needle.len() as u16 - 1, y as u16);
        }
    }
    panic!("no row for sample {sample}:\n{lines}");
}

fn modifiers(buf: &Buffer, x: u16, y: u16, w: u16) -> Vec<Modifier> {
    (x..x + w).map(|x| buf[(x, y)].modifier).collect()
}

#[test]
fn no_color_frames_carry_no_colour_and_keep_their_highlights() {
    let mut app = app(Lang::En, false);
    to(&mut app, Step::ForwardSample { sample: 2 });
    let buf = render(&app, 80, 24);
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, Color::Reset, "{cell:?}");
    }
    // Row 3 of X is read: bold and underlined across both of its cells.
    let (x, y) = row_of_sample(&buf, 3);
    for m in modifiers(&buf, x + 1, y, 15) {
        assert!(m.contains(Modifier::BOLD | Modifier::UNDERLINED), "{m:?}");
    }
    // Rows 2 and 4 are not.
    let (x2, y2) = row_of_sample(&buf, 2);
    assert!(
        modifiers(&buf, x2 + 1, y2, 15)
            .iter()
            .all(|m| !m.contains(Modifier::UNDERLINED))
    );
    // ŷ⁽³⁾, on the same row, is the value being computed: reversed.
    let line: String = (0..80).map(|x| buf[(x, y)].symbol().to_string()).collect();
    let yhat = line.find("-0.002").expect("ŷ⁽³⁾ on the row") as u16;
    for m in modifiers(&buf, yhat, y, 6) {
        assert!(m.contains(Modifier::REVERSED | Modifier::BOLD), "{m:?}");
    }
}

#[test]
fn accumulation_highlights_the_column_of_x_transposed_and_delta() {
    let mut app = app(Lang::En, false);
    to(&mut app, Step::Accumulate { sample: 0 });
    let buf = render(&app, 120, 40);
    let lines = text(&buf);
    let (y, line) = lines
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("[218.644]"))
        .expect("the row of L and Xᵀ");
    // Xᵀ's first column holds x⁽¹⁾ = (-0.831, -0.284) and is read.
    let x = line.find("-0.831").expect("x⁽¹⁾₁") as u16;
    assert!(buf[(x, y as u16)].modifier.contains(Modifier::UNDERLINED));
    let other = line.find("-0.319").expect("x⁽²⁾₁") as u16;
    assert!(
        !buf[(other, y as u16)]
            .modifier
            .contains(Modifier::UNDERLINED)
    );
}

#[test]
fn highlights_use_the_role_colours_with_colour() {
    let mut app = app(Lang::En, true);
    to(&mut app, Step::ForwardSample { sample: 2 });
    let buf = render(&app, 80, 24);
    let (x, y) = row_of_sample(&buf, 3);
    assert_eq!(buf[(x + 2, y)].fg, Color::Cyan);
    // Only the 16 ANSI colours, so 16-colour terminals show them.
    for cell in buf.content() {
        for c in [cell.fg, cell.bg] {
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(16..)), "{c:?}");
        }
    }
}

fn assert_unambiguous(buf: &Buffer, what: &str) {
    for cell in buf.content() {
        for c in cell.symbol().chars() {
            assert_eq!(c.width(), c.width_cjk(), "{c:?} ({}) in {what}", c as u32);
            assert!(
                !matches!(c, 'Α'..='Ω' | 'α'..='ω'),
                "Greek {c:?} drawn wide by CJK terminals, in {what}"
            );
        }
    }
}

#[test]
fn ambiguous_wide_mode_draws_only_unambiguous_characters() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app_with(session(), lang, true, true);
        let mut k = 0;
        loop {
            for (w, h) in [(80, 24), (120, 40), (50, 10)] {
                assert_unambiguous(&render(&app, w, h), &format!("step {k} at {w}x{h}"));
            }
            if k == 0 {
                app.update(Message::ToggleHelp);
                assert_unambiguous(&render(&app, 80, 24), "help");
                app.update(Message::ToggleHelp);
            }
            k += 1;
            if !app.update(Message::NextStep) || app.session().batch().global > 0 {
                break;
            }
        }
    }
}

#[test]
fn going_back_restores_the_screen_exactly() {
    let mut app = app(Lang::Zh, true);
    for _ in 0..40 {
        let before = render(&app, 80, 24);
        assert!(app.update(Message::NextStep));
        assert_ne!(render(&app, 80, 24), before);
        app.update(Message::PrevStep);
        assert_eq!(render(&app, 80, 24), before);
        app.update(Message::NextStep);
    }
}

/// Every role; the match below stops compiling when a role is added, so this list follows.
const ROLES: [gradstep::math::Role; 13] = {
    use gradstep::math::Role::*;
    [
        X, XRow, W, B, YHat, Y, Delta, LossSample, Loss, GradW, GradB, Lr, N,
    ]
};

/// The lesson's symbol a role draws: x⁽ⁱ⁾ is a row of X and l⁽ⁱ⁾ a term of L, so each pair is
/// one symbol with one colour.
fn symbol(role: gradstep::math::Role) -> &'static str {
    use gradstep::math::Role::*;
    match role {
        X | XRow => "X",
        W => "w",
        B => "b",
        YHat => "ŷ",
        Y => "y",
        Delta => "δ",
        LossSample | Loss => "L",
        GradW => "∂L/∂w",
        GradB => "∂L/∂b",
        Lr => "lr",
        N => "N",
    }
}

#[test]
fn every_symbol_keeps_its_own_colour_in_every_theme() {
    use gradstep::ui::{Palette, Theme};
    let palettes = Palette::NAMES.map(|n| n.parse::<Palette>().unwrap_or_else(|e| panic!("{e}")));
    for palette in palettes {
        let theme = Theme::new(true).with_palette(palette);
        let fg = |r| theme.role(Some(r)).fg;
        for (k, &a) in ROLES.iter().enumerate() {
            assert!(
                matches!(fg(a), Some(c) if !matches!(c, Color::Rgb(..) | Color::Indexed(_) | Color::Reset | Color::Black | Color::DarkGray)),
                "{palette:?} {a:?}: {:?} is not one of the ANSI colours a symbol may take",
                fg(a)
            );
            for &b in &ROLES[k + 1..] {
                if symbol(a) == symbol(b) {
                    assert_eq!(fg(a), fg(b), "{palette:?}: {a:?} and {b:?} are one symbol");
                } else {
                    assert_ne!(fg(a), fg(b), "{palette:?}: {a:?} and {b:?} share a colour");
                }
            }
        }
        // The case: δ and ∂L/∂b were both SGR 38;5;13 (light magenta) here.
        assert_ne!(
            fg(gradstep::math::Role::Delta),
            fg(gradstep::math::Role::GradB)
        );
        // Without colour no role carries any (symbols are told apart by their names; the
        // highlights by modifiers, which no_color_frames_… checks): no role is styled apart.
        let plain = Theme::new(false).with_palette(palette);
        for r in ROLES {
            assert_eq!(plain.role(Some(r)), ratatui::style::Style::new(), "{r:?}");
        }
    }
}
