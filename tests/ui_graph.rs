//! The autograd graph view: reached by its key and by the `v` cycle, snapshots at 80×24 and
//! 120×40 in both languages mid-forward and mid-backward, the node being visited marked and in
//! bold, and the values it shows are the tape's, checked against the lesson's closed form.

use ui_common::common;
mod ui_common;

use gradstep::engine::Step;
use gradstep::lesson::Lang;
use gradstep::preset::Preset;
use gradstep::ui::{App, Message, View};
use ratatui::style::Modifier;
use ui_common::*;

fn graph_app(lang: Lang, step: Step) -> App {
    let mut app = app(lang, true);
    app.update(Message::ToggleGraph);
    to(&mut app, step);
    app
}

const PLACES: [(&str, Step); 3] = [
    ("forward_sample", Step::ForwardSample { sample: 1 }),
    ("errors", Step::Errors),
    ("grad_w", Step::GradW),
];

#[test]
fn snapshots_mid_forward_and_mid_backward_in_both_languages() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (name, step) in PLACES {
            let app = graph_app(lang, step);
            for (w, h) in [(80, 24), (120, 40)] {
                let buf = render(&app, w, h);
                let rest = format!("{name}_{w}x{h}_{code}");
                let (shot, screen) = view_shot(&buf, step == Step::GradW, "graph", &rest);
                insta::assert_snapshot!(shot, screen);
            }
        }
    }
}

#[test]
fn the_key_and_the_v_cycle_reach_the_graph_and_esc_leaves_it() {
    let mut app = app(Lang::En, true);
    app.update(Message::ToggleGraph);
    assert_eq!(app.view(), View::Graph);
    app.update(Message::ToggleGraph);
    assert_eq!(app.view(), View::Lesson);
    for _ in 0..3 {
        app.update(Message::CycleView);
    }
    assert_eq!(app.view(), View::Graph);
    app.update(Message::Back);
    assert_eq!(app.view(), View::Lesson);
    let key = crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('G'),
        crossterm::event::KeyModifiers::SHIFT,
    );
    assert_eq!(gradstep::ui::message_for(&key), Some(Message::ToggleGraph));
}

#[test]
fn the_visited_node_is_marked_and_bold() {
    let app = graph_app(Lang::En, Step::Errors);
    let buf = render(&app, 80, 24);
    let screen = text(&buf);
    let (y, line) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("▶ 4 SubBackward0"))
        .unwrap_or_else(|| panic!("SubBackward0 marked:\n{screen}"));
    let x = line
        .find("SubBackward0")
        .map_or(0, |b| line[..b].chars().count()) as u16;
    assert!(buf[(x, y as u16)].modifier.contains(Modifier::BOLD));
    // Only one node of the table is marked.
    let marked = screen
        .lines()
        .take(10)
        .filter(|l| l.starts_with('▶'))
        .count();
    assert_eq!(marked, 1, "{screen}");
}

/// The tiny preset's first batch: δ = (−1, −5, 0), ∂L/∂w = Xᵀδ = (−11, −2), ∂L/∂b = −6, worked
/// out by hand from its rows (1, 2 → 1), (2, 0 → 5), (0, 1 → 0) with w = 0, b = 0.
#[test]
fn the_tiny_batch_shows_the_hand_computed_gradients() {
    let session = common::preset_session(Preset::Tiny);
    let mut app = app_with(session, Lang::En, false, false);
    app.update(Message::ToggleGraph);
    to(&mut app, Step::GradB);
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("[-11.000; -2.000]"),
        "w.grad = Xᵀδ:\n{screen}"
    );
    assert!(screen.contains("-6.000"), "b.grad = Σδ:\n{screen}");
    let results = app
        .graph_equations()
        .iter()
        .filter_map(|e| e.members.last())
        .flat_map(|m| m.values())
        .map(|v| v.value)
        .collect::<Vec<_>>();
    for want in [-11.0, -2.0, -6.0] {
        assert!(results.contains(&want), "{want} in {results:?}");
    }
}

/// The link to the lesson is drawn in the lesson's colours: δ as the matrices draw δ, ∂L/∂w as
/// they draw ∂L/∂w.
#[test]
fn the_links_to_the_lesson_take_the_role_colours() {
    use gradstep::math::Role;
    use gradstep::ui::Theme;
    let app = graph_app(Lang::En, Step::Errors);
    let buf = render(&app, 80, 24);
    let screen = text(&buf);
    let theme = Theme::new(true);
    for (start, symbol, role) in [
        ("δ = ∂L/∂ŷ is the gradient", "δ", Role::Delta),
        ("∂L/∂w = Xᵀδ is what", "∂L/∂w", Role::GradW),
    ] {
        let y = screen
            .lines()
            .position(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("{start}:\n{screen}"));
        let want = theme.role(Some(role)).fg;
        for x in 0..symbol.chars().count() as u16 {
            assert_eq!(buf[(x, y as u16)].fg, want.unwrap_or_default(), "{symbol}");
        }
    }
}

#[test]
fn an_ambiguous_wide_terminal_gets_only_narrow_characters() {
    use unicode_width::UnicodeWidthChar;
    for lang in [Lang::En, Lang::Zh] {
        for (_, step) in PLACES {
            let mut app = app_with(session(), lang, true, true);
            app.update(Message::ToggleGraph);
            to(&mut app, step);
            for (w, h) in [(80, 24), (120, 40)] {
                let buf = render(&app, w, h);
                for cell in buf.content() {
                    for c in cell.symbol().chars() {
                        assert_eq!(c.width(), c.width_cjk(), "{c:?} at {step:?} {w}x{h}");
                        assert!(!matches!(c, 'Α'..='Ω' | 'α'..='ω'), "{c:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn the_symbols_are_the_helps_third_page() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = app(lang, true);
        app.update(Message::ToggleHelp);
        // → pages the help, as its own key table says.
        let right = crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Right,
            crossterm::event::KeyModifiers::NONE,
        );
        let next = gradstep::ui::message_in(gradstep::ui::Mode::Help, &right)
            .unwrap_or_else(|| panic!("→ pages the help"));
        app.update(next);
        app.update(next);
        insta::assert_snapshot!(
            format!("help_symbols_80x24_{code}"),
            text(&render(&app, 80, 24))
        );
    }
}
