//! The classroom modes: the quiz hides exactly what a step produces, inspecting a cell explains
//! it with the batch's own numbers and highlights its sources, presenter mode, precision, themes,
//! the handout key, and the help listing every key.

mod scratch;
mod ui_common;

use gradstep::worked::{Part, Symbol};
use std::collections::HashMap;

use gradstep::engine::Step;
use gradstep::lesson::Lang;
use gradstep::ui::{App, INSPECT_KEYS, Id, KEYS, Message, Palette, Teach, UiOptions};
use gradstep::worked::{SCREEN, latex};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use scratch::scratch_dir;
use ui_common::*;

/// A result as the screen prints it at the default precision.
fn num(v: f64, p: usize) -> String {
    gradstep::number::plain(v, p)
}

fn teach(app: &mut App, t: Teach) {
    app.update(Message::Teach(t));
}

/// Every matrix cell on screen and where it is, found through the same mapping clicks use.
fn cells(app: &App, buf: &Buffer) -> HashMap<(Id, usize, usize), (u16, u16, u16)> {
    app.cells_on_screen(buf.area)
        .into_iter()
        .map(|h| {
            (
                (h.id, h.row, h.col),
                (h.x as u16, h.y as u16, h.width as u16),
            )
        })
        .collect()
}

fn cell_text(buf: &Buffer, (x, y, w): (u16, u16, u16)) -> String {
    (x..x + w)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect::<String>()
        .trim()
        .to_string()
}

fn modifier(buf: &Buffer, (x, y, w): (u16, u16, u16)) -> Modifier {
    // The last column: a right-aligned number's digits, never its padding.
    buf[(x + w - 1, y)].modifier
}

#[test]
fn quiz_hides_exactly_the_produced_value_until_enter() {
    let mut app = app(Lang::En, false);
    teach(&mut app, Teach::ToggleQuiz);
    to(&mut app, Step::ForwardSample { sample: 2 });
    let b = app.session().batch().clone();
    let y_hat = b.x[(2, 0)] * b.w[0] + b.x[(2, 1)] * b.w[1] + b.b;
    let buf = render(&app, 120, 40);
    let at = cells(&app, &buf);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), 2, 0)]),
        "?"
    );
    // The values it depends on, and the earlier predictions, stay visible.
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), 1, 0)]),
        num(b.y_hat[1], 3)
    );
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::X, Part::Value), 2, 0)]),
        num(b.x[(2, 0)], 3)
    );
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::W, Part::Value), 1, 0)]),
        num(b.w[1], 3)
    );
    let screen = text(&buf);
    // The operands keep the digits the revealed equation will need (see worked::check).
    let digits = app.worked()[0].operand_digits;
    // b = 0 is exact at 3 decimals and needs no more.
    assert_eq!(b.b, 0.0);
    let tail = format!("({}) + 0.000 = ?", num(b.w[1], digits));
    assert!(screen.contains(&tail), "{tail} not in {screen}");
    assert!(!screen.contains(&num(y_hat, 3)), "{screen}");
    assert!(screen.contains("quiz: Enter reveals"));

    app.update(Message::Teach(Teach::Reveal));
    let buf = render(&app, 120, 40);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), 2, 0)]),
        num(y_hat, 3)
    );
    assert!(text(&buf).contains(&format!("= {}", num(y_hat, 3))));

    // Forward and back: still revealed; the next step is hidden in its turn.
    app.update(Message::NextStep);
    let buf = render(&app, 120, 40);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), 3, 0)]),
        "?"
    );
    app.update(Message::PrevStep);
    let buf = render(&app, 120, 40);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), 2, 0)]),
        num(y_hat, 3)
    );
    assert!(!text(&buf).contains("= ?"));
}

#[test]
fn quiz_hides_a_running_sum_but_not_the_previous_one() {
    let mut app = app(Lang::En, true);
    teach(&mut app, Teach::ToggleQuiz);
    to(&mut app, Step::Accumulate { sample: 1 });
    let b = app.session().batch().clone();
    let screen = text(&render(&app, 120, 40));
    // The sum so far (after sample 1) is an input, the new one the result.
    assert!(screen.contains(&num(b.acc_w[0][0], 3)), "{screen}");
    assert!(!screen.contains(&num(b.acc_w[1][0], 3)), "{screen}");
    assert!(screen.contains("= ?"), "{screen}");
}

/// Inspects `cell` at the update step of the first batch and checks its explanation and the
/// highlights against values computed here: `values` are numbers the explanation must hold (the
/// cell and its value, computed by a second route), `texts` what its printed lines must say.
fn inspect(
    app: &mut App,
    cell: (Id, usize, usize),
    values: &[(Id, usize, usize, f64)],
    texts: &[String],
    sources: &[(Id, usize, usize)],
) {
    teach(
        app,
        Teach::Select {
            id: cell.0,
            row: cell.1,
            col: cell.2,
        },
    );
    let e = app.explanation().expect("inspecting").clone();
    let equations: Vec<_> = [e.lines.clone(), e.terms.clone(), e.result.clone()].concat();
    let printed: Vec<String> = equations
        .iter()
        .map(|eq| latex::latex(eq, SCREEN))
        .collect();
    let joined = [printed, e.notes.clone()].concat().join("\n");
    for &(id, r, c, v) in values {
        let found = equations.iter().flat_map(|eq| eq.values()).any(|leaf| {
            (leaf.cell.q, leaf.cell.row, leaf.cell.col) == (id, r, c)
                && (leaf.value - v).abs() <= 1e-12 * v.abs().max(1.0)
        });
        assert!(found, "{cell:?}: no {id:?}[{r},{c}] = {v} in\n{joined}");
    }
    for s in texts {
        assert!(
            joined.contains(s.as_str()),
            "{cell:?}: {s} not in\n{joined}"
        );
    }
    let buf = render(app, 120, 40);
    let at = cells(app, &buf);
    let m = modifier(&buf, at[&cell]);
    assert!(
        m.contains(Modifier::REVERSED | Modifier::BOLD),
        "{cell:?}: {m:?}"
    );
    for (k, &pos) in &at {
        let m = modifier(&buf, pos);
        if sources.contains(k) {
            assert!(
                m.contains(Modifier::UNDERLINED | Modifier::BOLD),
                "source {k:?} of {cell:?}"
            );
        } else if *k != cell {
            assert!(
                !m.intersects(Modifier::UNDERLINED | Modifier::REVERSED),
                "{k:?} highlighted for {cell:?}"
            );
        }
    }
    for s in sources {
        // Elided columns of Xᵀ aside, every source is on screen.
        assert!(
            at.contains_key(s) || s.0 == Id::Of(Symbol::X, Part::Transposed),
            "{s:?} not on screen"
        );
    }
}

#[test]
fn inspecting_a_cell_explains_it_with_its_numbers_and_highlights_its_sources() {
    let mut app = app(Lang::En, false);
    to(&mut app, Step::Update);
    let b = app.session().batch().clone();
    let n = b.rows();
    let (r, j) = (2, 1);
    let x = |i: usize, j: usize| b.x[(i, j)];
    let y_hat = x(r, 0) * b.w[0] + x(r, 1) * b.w[1] + b.b;
    let delta = y_hat - b.y[r];
    let all = |id: Id| (0..n).map(move |i| (id, i, 0));
    let result = |v: f64| format!("= {}", num(v, 3));

    inspect(
        &mut app,
        (Id::Of(Symbol::X, Part::Value), r, j),
        &[(Id::Of(Symbol::X, Part::Value), r, j, x(r, j))],
        &[format!("row {}", b.indices[r] + 1)],
        &[(Id::Of(Symbol::X, Part::Transposed), j, r)],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::X, Part::Transposed), j, r),
        &[(Id::Of(Symbol::X, Part::Transposed), j, r, x(r, j))],
        &[],
        &[(Id::Of(Symbol::X, Part::Value), r, j)],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::Y, Part::Value), r, 0),
        &[(Id::Of(Symbol::Y, Part::Value), r, 0, b.y[r])],
        &[format!("row {}", b.indices[r] + 1)],
        &[],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::W, Part::Value), 0, 0),
        &[(Id::Of(Symbol::W, Part::Value), 0, 0, b.w[0])],
        &["initial".into()],
        &[],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::B, Part::Value), 0, 0),
        &[(Id::Of(Symbol::B, Part::Value), 0, 0, b.b)],
        &[],
        &[],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::YHat, Part::Value), r, 0),
        &[
            (Id::Of(Symbol::X, Part::Value), r, 0, x(r, 0)),
            (Id::Of(Symbol::W, Part::Value), 1, 0, b.w[1]),
            (Id::Of(Symbol::YHat, Part::Value), r, 0, y_hat),
        ],
        &[result(y_hat)],
        &[
            (Id::Of(Symbol::X, Part::Value), r, 0),
            (Id::Of(Symbol::X, Part::Value), r, 1),
            (Id::Of(Symbol::W, Part::Value), 0, 0),
            (Id::Of(Symbol::W, Part::Value), 1, 0),
            (Id::Of(Symbol::B, Part::Value), 0, 0),
        ],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::Delta, Part::Value), r, 0),
        &[
            (Id::Of(Symbol::YHat, Part::Value), r, 0, y_hat),
            (Id::Of(Symbol::Y, Part::Value), r, 0, b.y[r]),
            (Id::Of(Symbol::Delta, Part::Value), r, 0, delta),
        ],
        &[result(delta)],
        &[
            (Id::Of(Symbol::YHat, Part::Value), r, 0),
            (Id::Of(Symbol::Y, Part::Value), r, 0),
        ],
    );
    inspect(
        &mut app,
        (Id::Of(Symbol::LossSample, Part::Value), r, 0),
        &[(
            Id::Of(Symbol::LossSample, Part::Value),
            r,
            0,
            delta * delta / 2.0,
        )],
        &[result(delta * delta / 2.0)],
        &[
            (Id::Of(Symbol::YHat, Part::Value), r, 0),
            (Id::Of(Symbol::Y, Part::Value), r, 0),
        ],
    );
    let loss: f64 = (0..n).map(|i| b.losses[i]).sum();
    inspect(
        &mut app,
        (Id::Of(Symbol::Loss, Part::Value), 0, 0),
        &[
            (Id::Of(Symbol::LossSample, Part::Value), 0, 0, b.losses[0]),
            (Id::Of(Symbol::Loss, Part::Value), 0, 0, loss),
        ],
        &[result(loss)],
        &all(Id::Of(Symbol::LossSample, Part::Value)).collect::<Vec<_>>(),
    );
    // ∂L/∂w₂: one term δ⁽ⁱ⁾x₂⁽ⁱ⁾ per sample, each with its value, then their sum.
    let terms: Vec<f64> = (0..n).map(|i| b.delta[i] * x(i, j)).collect();
    let grad: f64 = terms.iter().sum();
    let mut values: Vec<(Id, usize, usize, f64)> = (0..n)
        .map(|i| (Id::Of(Symbol::W, Part::Terms), i, j, terms[i]))
        .collect();
    values.push((Id::Of(Symbol::W, Part::Grad), j, 0, grad));
    let mut texts: Vec<String> = terms.iter().map(|&t| result(t)).collect();
    texts.push(result(grad));
    let mut sources: Vec<(Id, usize, usize)> = all(Id::Of(Symbol::Delta, Part::Value)).collect();
    sources.extend((0..n).flat_map(|i| {
        [
            (Id::Of(Symbol::X, Part::Value), i, j),
            (Id::Of(Symbol::X, Part::Transposed), j, i),
        ]
    }));
    inspect(
        &mut app,
        (Id::Of(Symbol::W, Part::Grad), j, 0),
        &values,
        &texts,
        &sources,
    );
    let grad_b: f64 = (0..n).map(|i| b.delta[i]).sum();
    inspect(
        &mut app,
        (Id::Of(Symbol::B, Part::Grad), 0, 0),
        &[
            (Id::Of(Symbol::Delta, Part::Value), 0, 0, b.delta[0]),
            (Id::Of(Symbol::B, Part::Grad), 0, 0, grad_b),
        ],
        &[result(grad_b)],
        &all(Id::Of(Symbol::Delta, Part::Value)).collect::<Vec<_>>(),
    );
    let w_next = b.w[j] - b.hyper.lr / n as f64 * grad;
    inspect(
        &mut app,
        (Id::Of(Symbol::W, Part::New), j, 0),
        &[
            (Id::Of(Symbol::W, Part::Value), j, 0, b.w[j]),
            (Id::Of(Symbol::W, Part::New), j, 0, w_next),
        ],
        &[r"\frac{0.03}{10}".into(), result(w_next)],
        &[
            (Id::Of(Symbol::W, Part::Value), j, 0),
            (Id::Of(Symbol::W, Part::Grad), j, 0),
        ],
    );
    let b_next = b.b - b.hyper.lr / n as f64 * grad_b;
    inspect(
        &mut app,
        (Id::Of(Symbol::B, Part::New), 0, 0),
        &[(Id::Of(Symbol::B, Part::New), 0, 0, b_next)],
        &[result(b_next)],
        &[
            (Id::Of(Symbol::B, Part::Value), 0, 0),
            (Id::Of(Symbol::B, Part::Grad), 0, 0),
        ],
    );
}

#[test]
fn inspect_mode_arrows_move_the_cursor_and_esc_leaves_where_it_was() {
    use crossterm::event::{KeyCode, KeyEvent};
    let mut app = app(Lang::En, true);
    to(&mut app, Step::ForwardSample { sample: 2 });
    let key = |app: &App, code| {
        gradstep::ui::message_in(app.key_mode(), &KeyEvent::from(code)).expect("bound")
    };
    let m = key(&app, KeyCode::Char('i'));
    app.update(m);
    assert_eq!(
        app.inspected(),
        Some((Id::Of(Symbol::YHat, Part::Value), 2, 0))
    );
    for code in [KeyCode::Right, KeyCode::Down, KeyCode::Char('h')] {
        let m = key(&app, code);
        app.update(m);
    }
    assert_eq!(
        app.inspected(),
        Some((Id::Of(Symbol::YHat, Part::Value), 3, 0))
    );
    assert_eq!(app.session().step(), Step::ForwardSample { sample: 2 });
    let m = key(&app, KeyCode::Esc);
    app.update(m);
    assert_eq!(app.inspected(), None);
    assert!(!app.should_quit());
    assert_eq!(app.session().step(), Step::ForwardSample { sample: 2 });
    // Outside the mode the arrows step again.
    let m = key(&app, KeyCode::Right);
    app.update(m);
    assert_eq!(app.session().step(), Step::ForwardSample { sample: 3 });
}

#[test]
fn a_click_on_a_cell_inspects_it_in_both_layouts() {
    for present in [false, true] {
        let mut app = app(Lang::En, true);
        to(&mut app, Step::Errors);
        if present {
            teach(&mut app, Teach::TogglePresent);
        }
        let buf = render(&app, 80, 24);
        let at = cells(&app, &buf);
        let (x, y, _) = at[&(Id::Of(Symbol::Delta, Part::Value), 1, 0)];
        app.click(Rect::new(0, 0, 80, 24), x + 2, y);
        assert_eq!(
            app.inspected(),
            Some((Id::Of(Symbol::Delta, Part::Value), 1, 0)),
            "present {present}"
        );
        // A click on no cell changes nothing.
        app.click(Rect::new(0, 0, 80, 24), 0, 0);
        assert_eq!(
            app.inspected(),
            Some((Id::Of(Symbol::Delta, Part::Value), 1, 0))
        );
    }
}

#[test]
fn presenter_mode_snapshots() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        for (name, step) in [
            ("forward_sample", Step::ForwardSample { sample: 2 }),
            ("accumulate", Step::Accumulate { sample: 1 }),
            ("update", Step::Update),
        ] {
            let mut app = app(lang, true);
            teach(&mut app, Teach::TogglePresent);
            to(&mut app, step);
            for (w, h) in [(80, 24), (120, 40)] {
                let buf = render(&app, w, h);
                let rest = format!("{name}_{w}x{h}_{code}");
                let (shot, screen) = view_shot(&buf, name == "accumulate", "present", &rest);
                insta::assert_snapshot!(shot, screen);
            }
        }
    }
}

#[test]
fn presenter_quiz_and_inspect_snapshots() {
    for (lang, code) in [(Lang::En, "en"), (Lang::Zh, "zh")] {
        let mut app = app(lang, true);
        teach(&mut app, Teach::TogglePresent);
        teach(&mut app, Teach::ToggleQuiz);
        to(&mut app, Step::Errors);
        insta::assert_snapshot!(
            format!("present_body_quiz_80x24_{code}"),
            body(&render(&app, 80, 24))
        );
        to(&mut app, Step::Update);
        teach(&mut app, Teach::Reveal);
        teach(
            &mut app,
            Teach::Select {
                id: Id::Of(Symbol::W, Part::Grad),
                row: 0,
                col: 0,
            },
        );
        for (w, h) in [(80, 24), (120, 40)] {
            insta::assert_snapshot!(
                format!("present_body_inspect_{w}x{h}_{code}"),
                body(&render(&app, w, h))
            );
        }
    }
}

#[test]
fn precision_changes_the_display_not_the_computation() {
    let mut app = app(Lang::En, true);
    to(&mut app, Step::Errors);
    let before = app.session().batch().clone();
    teach(&mut app, Teach::MorePrecision);
    teach(&mut app, Teach::MorePrecision);
    assert_eq!(app.precision(), 5);
    assert_eq!(*app.session().batch(), before);
    let buf = render(&app, 120, 40);
    let at = cells(&app, &buf);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::Delta, Part::Value), 0, 0)]),
        num(before.delta[0], 5)
    );
    assert!(text(&buf).contains(&num(before.delta[0], 5)));
    for _ in 0..10 {
        teach(&mut app, Teach::LessPrecision);
    }
    assert_eq!(app.precision(), 0);
    let buf = render(&app, 120, 40);
    // Narrower cells: the panel is laid out again.
    let at = cells(&app, &buf);
    assert_eq!(
        cell_text(&buf, at[&(Id::Of(Symbol::Delta, Part::Value), 0, 0)]),
        num(before.delta[0], 0)
    );
}

#[test]
fn precision_starts_from_the_option() {
    let lesson = gradstep::lesson::Lesson::embedded().expect("lesson");
    let opts = UiOptions {
        precision: Some(1),
        ..UiOptions::default()
    };
    let app = App::new(session(), lesson, &opts, gradstep::ui::Theme::new(true));
    assert_eq!(app.precision(), 1);
}

fn colours(buf: &Buffer) -> Vec<Color> {
    buf.content().iter().flat_map(|c| [c.fg, c.bg]).collect()
}

#[test]
fn themes_use_ansi_colours_and_keep_their_highlights() {
    for palette in [Palette::Default, Palette::HighContrast, Palette::Colorblind] {
        let mut app = app(Lang::En, true);
        while app.theme_palette() != palette {
            teach(&mut app, Teach::CycleTheme);
        }
        to(&mut app, Step::Errors);
        let buf = render(&app, 120, 40);
        for c in colours(&buf) {
            assert!(!matches!(c, Color::Rgb(..) | Color::Indexed(16..)), "{c:?}");
        }
        let at = cells(&app, &buf);
        // δ is written (reversed), ŷ and y read (underlined), whatever the colours.
        assert!(
            modifier(&buf, at[&(Id::Of(Symbol::Delta, Part::Value), 0, 0)])
                .contains(Modifier::REVERSED)
        );
        assert!(
            modifier(&buf, at[&(Id::Of(Symbol::Y, Part::Value), 0, 0)])
                .contains(Modifier::UNDERLINED)
        );
        let fg = |id| buf[(at[&(id, 0, 0)].0 + 6, at[&(id, 0, 0)].1)].fg;
        assert_ne!(
            fg(Id::Of(Symbol::YHat, Part::Value)),
            fg(Id::Of(Symbol::Y, Part::Value)),
            "{palette:?}"
        );
        match palette {
            Palette::HighContrast => {
                for cell in buf.content() {
                    assert!(!cell.modifier.contains(Modifier::DIM));
                    assert_ne!(cell.fg, Color::DarkGray);
                }
            }
            Palette::Colorblind => {
                // No role is told apart by red against green.
                for id in [
                    Id::Of(Symbol::X, Part::Value),
                    Id::Of(Symbol::W, Part::Value),
                    Id::Of(Symbol::B, Part::Value),
                    Id::Of(Symbol::YHat, Part::Value),
                    Id::Of(Symbol::Y, Part::Value),
                    Id::Of(Symbol::Delta, Part::Value),
                    Id::Of(Symbol::LossSample, Part::Value),
                ] {
                    let c = fg(id);
                    assert!(
                        !matches!(
                            c,
                            Color::Red | Color::Green | Color::LightRed | Color::LightGreen
                        ),
                        "{id:?}: {c:?}"
                    );
                }
            }
            Palette::Default => {}
        }
    }
}

#[test]
fn theme_names_parse() {
    for name in Palette::NAMES {
        let p: Palette = name.parse().expect("known");
        assert_eq!(p.name(), name);
    }
    assert!("neon".parse::<Palette>().is_err());
}

#[test]
fn the_handout_key_writes_the_current_batch_and_never_overwrites() {
    let dir = scratch_dir("handout-key");
    let mut app = app(Lang::En, true);
    app.set_handout_dir(dir.to_path_buf());
    app.update(Message::NextBatch);
    app.update(Message::NextBatch);
    teach(&mut app, Teach::Handout);
    let first = dir.join("gradstep-epoch1-batch3.md");
    let notice = app.notice().expect("a notice").clone();
    assert!(!notice.error, "{notice:?}");
    assert!(
        notice.text.contains("gradstep-epoch1-batch3.md"),
        "{notice:?}"
    );
    let text = std::fs::read_to_string(&first).expect("written");
    let b = app.session().batch();
    assert!(
        text.contains(&format!("{:.3}", b.grad_b)),
        "batch 3's numbers"
    );
    std::fs::write(&first, "the teacher's notes").expect("edit");
    teach(&mut app, Teach::Handout);
    assert_eq!(
        std::fs::read_to_string(&first).expect("kept"),
        "the teacher's notes"
    );
    assert!(dir.join("gradstep-epoch1-batch3-2.md").exists());
    assert!(app.notice().expect("notice").text.contains("batch3-2.md"));
    // The notice is on screen, and goes with the next key.
    assert!(text_of(&app).contains("batch3-2.md"));
    app.update(Message::NextStep);
    assert!(app.notice().is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_handout_that_cannot_be_written_says_why() {
    // A TempDir removes itself, so this test leaves nothing behind in the system's temp folder.
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut app = app(Lang::Zh, true);
    app.set_handout_dir(scratch.path().join("no-such-dir"));
    teach(&mut app, Teach::Handout);
    let notice = app.notice().expect("notice");
    assert!(notice.error);
    assert!(notice.text.starts_with("无法写出讲义"), "{notice:?}");
}

fn text_of(app: &App) -> String {
    text(&render(app, 80, 24))
}

#[test]
fn help_lists_every_key_of_both_tables_in_both_languages() {
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app(lang, true);
        app.update(Message::ToggleHelp);
        // Wide enough that no text wraps.
        let screen = text(&render(&app, 200, 60));
        for b in KEYS.iter().chain(INSPECT_KEYS) {
            assert!(screen.contains(b.help.get(lang)), "{:?}", b.help);
        }
        // At 80×24 it still fits, in two columns.
        let small = text(&render(&app, 80, 24));
        for word in ["Enter", "Esc i", "T ", "H "] {
            assert!(small.contains(word), "{word}\n{small}");
        }
    }
}

#[test]
fn tiny_terminals_never_panic_in_any_mode() {
    let mut app = app(Lang::Zh, true);
    teach(&mut app, Teach::ToggleQuiz);
    to(&mut app, Step::Accumulate { sample: 3 });
    teach(&mut app, Teach::ToggleInspect);
    for present in [false, true] {
        for (w, h) in [(1, 1), (60, 18), (61, 19), (200, 18), (60, 80)] {
            let buf = render(&app, w, h);
            let _ = app.cell_at(Rect::new(0, 0, w, h), w / 2, h / 2);
            let _ = buf;
        }
        teach(&mut app, Teach::TogglePresent);
        let _ = present;
    }
}

#[test]
fn the_quiz_hides_the_loss_in_the_status_line_too() {
    let mut app = app(Lang::En, false);
    teach(&mut app, Teach::ToggleQuiz);
    to(&mut app, Step::Loss);
    let loss = format!("{:.4}", app.session().batch().loss);
    let screen = text(&render(&app, 120, 40));
    assert!(!screen.contains(&loss), "{screen}");
    assert!(screen.contains("L ?"), "{screen}");
    app.update(Message::Teach(Teach::Reveal));
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains(&format!("L {loss}")), "{screen}");
}

#[test]
fn predictions_revealed_one_by_one_stay_revealed_in_the_whole_batch_step() {
    let mut app = app(Lang::En, false);
    teach(&mut app, Teach::ToggleQuiz);
    for i in 0..3 {
        to(&mut app, Step::ForwardSample { sample: i });
        assert!(app.hiding());
        teach(&mut app, Teach::Reveal);
    }
    to(&mut app, Step::Forward);
    let b = app.session().batch().clone();
    let buf = render(&app, 120, 40);
    let at = cells(&app, &buf);
    for i in 0..3 {
        assert_eq!(
            cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), i, 0)]),
            num(b.y_hat[i], 3),
            "ŷ⁽{}⁾",
            i + 1
        );
    }
    for i in 3..5 {
        assert_eq!(
            cell_text(&buf, at[&(Id::Of(Symbol::YHat, Part::Value), i, 0)]),
            "?",
            "ŷ⁽{}⁾",
            i + 1
        );
    }
    // In the worked equation too: the revealed ones are numbers, the others `?`.
    let hidden: Vec<bool> = app.worked()[0].results().iter().map(|v| v.hidden).collect();
    assert_eq!(&hidden[..4], [false, false, false, true]);
    teach(&mut app, Teach::Reveal);
    assert!(!app.hiding());
}

#[test]
fn inspecting_the_loss_of_a_mean_run_checks_the_mean() {
    use gradstep::engine::{Objective, Session};
    use gradstep::preset::Preset;
    let preset = Preset::Tiny;
    let Some(Ok(data)) = preset.fixed_data() else {
        panic!("the tiny preset has its data")
    };
    let mut hyper = preset.spec().hyper;
    hyper.objective = Objective::Mean;
    let init = preset.init().params(data.d(), hyper.seed);
    let session = Session::new(data, hyper, init).expect("valid preset");
    let mut app = app_with(session, Lang::En, false, false);
    to(&mut app, Step::Loss);
    teach(
        &mut app,
        Teach::Select {
            id: Id::Of(Symbol::Loss, Part::Value),
            row: 0,
            col: 0,
        },
    );
    let e = app.explanation().expect("inspecting").clone();
    let eq = e.lines.last().expect("the loss's equation");
    let printed = latex::latex(eq, SCREEN);
    assert!(printed.contains(r"\frac{1}{N}"), "{printed}");
    // By hand: rows (1,2)→1, (2,0)→5, (0,1)→0 with w = 0, b = 0 give l = ½, 12½, 0, and
    // L = (½ + 12½ + 0)/3 = 13/3, not the sum 13.
    let values: Vec<(Id, f64)> = eq.values().iter().map(|v| (v.cell.q, v.value)).collect();
    let losses: Vec<f64> = values
        .iter()
        .filter(|(q, _)| *q == Id::Of(Symbol::LossSample, Part::Value))
        .map(|&(_, v)| v)
        .collect();
    assert_eq!(losses, [0.5, 12.5, 0.0]);
    let result = eq.results().first().map(|v| v.value);
    assert_eq!(result, Some(13.0 / 3.0));
}

/// Inspect never gives away what the screen hides: a δ the quiz hides stays `?` (the ŷ and y
/// it is computed from, known, stay numbers), and a δ not computed yet shows the equation of
/// the step still to come with only the numbers known now.
#[test]
fn inspect_keeps_hidden_and_later_numbers_as_question_marks() {
    let select = |app: &mut App, id: Id, row: usize| {
        teach(app, Teach::Select { id, row, col: 0 });
        app.explanation().expect("inspecting").clone()
    };
    // (cell, value, hidden) of the explanation's one equation.
    let numbers = |e: &gradstep::ui::Explanation| -> Vec<(Id, f64, bool)> {
        assert_eq!(e.lines.len(), 1, "{e:?}");
        e.lines[0]
            .values()
            .iter()
            .map(|v| (v.cell.q, v.value, v.hidden))
            .collect()
    };
    let mut app = app(Lang::En, false);
    teach(&mut app, Teach::ToggleQuiz);
    to(&mut app, Step::Errors);
    let b = app.session().batch().clone();
    // δ⁽²⁾ = ŷ⁽²⁾ − y⁽²⁾, the difference computed here from the batch's ŷ and y.
    let e = select(&mut app, Id::Of(Symbol::Delta, Part::Value), 1);
    assert_eq!(
        numbers(&e),
        [
            (Id::Of(Symbol::YHat, Part::Value), b.y_hat[1], false),
            (Id::Of(Symbol::Y, Part::Value), b.y[1], false),
            (
                Id::Of(Symbol::Delta, Part::Value),
                b.y_hat[1] - b.y[1],
                true
            )
        ]
    );
    assert!(e.notes.iter().any(|n| n.contains("quiz")), "{e:?}");
    // Revealed, the same δ is a number.
    teach(&mut app, Teach::Reveal);
    let e = select(&mut app, Id::Of(Symbol::Delta, Part::Value), 1);
    assert!(numbers(&e).iter().all(|n| !n.2), "{e:?}");
    // At the loss step, before the errors step has computed δ.
    let mut app = ui_common::app(Lang::En, false);
    to(&mut app, Step::Loss);
    let e = select(&mut app, Id::Of(Symbol::Delta, Part::Value), 1);
    let hidden: Vec<(Id, bool)> = numbers(&e).iter().map(|n| (n.0, n.2)).collect();
    assert_eq!(
        hidden,
        [
            (Id::Of(Symbol::YHat, Part::Value), false),
            (Id::Of(Symbol::Y, Part::Value), false),
            (Id::Of(Symbol::Delta, Part::Value), true)
        ]
    );
    assert!(
        e.notes.iter().any(|n| n.contains("Not computed yet")),
        "{e:?}"
    );
}
