//! The pictures and the comparison at 80×24 and 120×40 in both languages, and what they must
//! keep without colour and in terminals that draw ambiguous characters wide.

mod ui_common;

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Session};
use gradstep::lesson::Lang;
use gradstep::ui::{App, Message};
use ratatui::style::Color;
use ui_common::*;

fn with_features(true_w: Vec<f64>, samples: usize) -> Session {
    session_with(
        Synthetic {
            samples,
            true_w,
            ..Synthetic::default()
        },
        Hyper::default(),
    )
}

fn diverging() -> Session {
    session_with(
        Synthetic::default(),
        Hyper {
            lr: 50.0,
            ..Hyper::default()
        },
    )
}

/// `views` presses of v, then `batches` batches and `steps` steps.
fn open(
    session: Session,
    lang: Lang,
    color: bool,
    wide: bool,
    views: usize,
    batches: usize,
) -> App {
    let mut app = app_with(session, lang, color, wide);
    for _ in 0..views {
        app.update(Message::CycleView);
    }
    for _ in 0..batches {
        app.update(Message::NextBatch);
    }
    app
}

fn cases() -> Vec<(&'static str, Session, usize, usize)> {
    vec![
        ("contour", session(), 1, 30),
        ("fit", with_features(vec![3.0], 50), 1, 12),
        (
            "traces",
            with_features(vec![1.0, 2.0, 3.0, 4.0], 1000),
            1,
            40,
        ),
        ("diverged", diverging(), 1, 200),
        ("compare", session(), 2, 6),
    ]
}

#[test]
fn every_view_at_both_sizes_in_both_languages() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (name, session, views, batches) in cases() {
            let app = open(session, lang, true, false, views, batches);
            for (w, h) in [(80, 24), (120, 40)] {
                let buf = render(&app, w, h);
                let rest = format!("{name}_{w}x{h}_{code}");
                let (shot, screen) = view_shot(&buf, name == "fit", "pictures", &rest);
                insta::assert_snapshot!(shot, screen);
            }
        }
    }
}

#[test]
fn without_colour_no_cell_carries_one_and_the_marks_are_letters() {
    for (name, session, views, batches) in cases() {
        let app = open(session, Lang::En, false, false, views, batches);
        let buf = render(&app, 120, 40);
        uncoloured(&buf, name);
        if name == "contour" {
            contour_marks(&text(&buf));
        }
    }
}

#[test]
fn ambiguous_wide_terminals_get_no_ambiguous_characters() {
    for (name, session, views, batches) in cases() {
        for lang in [Lang::En, Lang::Zh] {
            let app = open(session.clone(), lang, true, true, views, batches);
            let screen = text(&render(&app, 80, 24));
            for c in screen.chars() {
                assert!(
                    !is_ambiguous(c),
                    "{name}: {c:?} (U+{:04X}) in\n{screen}",
                    c as u32
                );
            }
        }
    }
}

/// As gradstep's own test: width differs in CJK mode, or a Greek letter CJK terminals widen.
fn is_ambiguous(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    c.width() != c.width_cjk() || matches!(c, '\u{0391}'..='\u{03A9}' | '\u{03B1}'..='\u{03C9}')
}

#[test]
fn tiny_terminals_do_not_panic_in_any_view() {
    for (_, session, views, batches) in cases() {
        let app = open(session, Lang::Zh, true, false, views, batches);
        for (w, h) in [(60, 18), (61, 19), (200, 18), (60, 60), (1, 1), (0, 0)] {
            let _ = render(&app, w, h);
        }
    }
}

/// The contour picture at 80×24 as the back row sees it: under the colour-blind theme no cell is
/// red or green (B and F take δ's and ∂L/∂w's colours there), and without colour the arrows, the
/// legend and the true w are still there as letters.
#[test]
fn contour_at_80x24_in_colour_blind_and_no_colour_modes() {
    use gradstep::ui::{Palette, Teach};
    let mut blind = open(session(), Lang::En, true, false, 1, 30);
    while blind.theme_palette() != Palette::Colorblind {
        blind.update(Message::Teach(Teach::CycleTheme));
    }
    let buf = render(&blind, 80, 24);
    let red_green = [Color::Red, Color::LightRed, Color::Green, Color::LightGreen];
    for cell in buf.content() {
        assert!(!red_green.contains(&cell.fg), "{cell:?}");
    }
    // B and F are drawn, in two colours that differ.
    let colour_of = |mark: &str| {
        buf.content()
            .iter()
            .find(|c| c.symbol() == mark)
            .map(|c| c.fg)
    };
    let (b, f) = (colour_of("B"), colour_of("F"));
    assert!(b.is_some() && f.is_some() && b != f, "{b:?} {f:?}");
    insta::assert_snapshot!("contour_colorblind_body_80x24_en", body(&buf));

    let plain = open(session(), Lang::En, false, false, 1, 30);
    let buf = render(&plain, 80, 24);
    uncoloured(&buf, "contour");
    let screen = text(&buf);
    contour_marks(&screen);
    insta::assert_snapshot!("contour_no_colour_body_80x24_en", body(&buf));
}

fn uncoloured(buf: &ratatui::buffer::Buffer, name: &str) {
    for cell in buf.content() {
        assert_eq!(cell.fg, Color::Reset, "{name}: {cell:?}");
    }
}

/// The contour's legend, whole, in letters: what each mark is, and the arrows' scale.
fn contour_marks(screen: &str) {
    for mark in [
        "o now",
        "B batch step",
        "F full step",
        "* true w",
        "path of w",
        "arrows ×",
    ] {
        assert!(screen.contains(mark), "{mark}: {screen}");
    }
}
