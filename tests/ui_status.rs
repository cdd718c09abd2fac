//! The status line shows the current batch's own settings: its N (the rows it really has), and
//! "batch K/M" counted in its own epoch as the run is now scheduled.

mod ui_common;

use gradstep::data::Dataset;
use gradstep::engine::{Hyper, Params, Session};
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use ui_common::*;

fn status(app: &gradstep::ui::App) -> String {
    let screen = text(&render(app, 120, 40));
    screen.lines().rev().nth(1).unwrap_or("").to_string()
}

#[test]
fn a_small_data_set_shows_its_own_n() {
    // Six rows and the default batch size of 10: the one batch has 6 rows.
    let rows: Vec<f64> = (0..12).map(|k| k as f64 / 4.0).collect();
    let y: Vec<f64> = (0..6).map(|k| k as f64).collect();
    let data = Dataset::new(rows, y, vec!["a".into(), "b".into()], "y".into())
        .unwrap_or_else(|e| panic!("{e}"));
    let session =
        Session::new(data, Hyper::default(), Params::zeros(2)).unwrap_or_else(|e| panic!("{e}"));
    let app = app_with(session, Lang::En, false, false);
    let line = status(&app);
    assert!(line.contains("N 6"), "{line}");
    assert!(line.contains("batch 1/1"), "{line}");
}

#[test]
fn a_batch_size_change_shows_as_coming_then_as_the_batchs_own() {
    let mut app = app(Lang::En, false);
    app.update(Message::BatchUp);
    let line = status(&app);
    assert!(
        line.contains("N 10→20"),
        "this batch keeps its 10 rows: {line}"
    );
    app.update(Message::NextBatch);
    let line = status(&app);
    assert!(line.contains("N 20"), "{line}");
    // Batch 1 had 10 rows; the other 990 of the epoch go 20 at a time: 1 + 50 = 51 batches.
    assert!(line.contains("batch 2/51"), "{line}");
    for _ in 0..49 {
        app.update(Message::NextBatch);
    }
    let line = status(&app);
    assert!(line.contains("epoch 1/3  batch 51/51"), "{line}");
    app.update(Message::NextBatch);
    let line = status(&app);
    assert!(
        line.contains("epoch 2/3  batch 1/50"),
        "1000 rows, 20 at a time: {line}"
    );
}

#[test]
fn far_moves_name_their_destination_so_the_loop_can_compute_it_in_slices() {
    use gradstep::run::goto::Go;
    let mut app = app(Lang::En, false);
    for c in [Go::Open, Go::Type('3'), Go::Type(':'), Go::Type('5')] {
        app.update(Message::Go(c));
    }
    // Epoch 3, batch 5 of 100 per epoch: 0-based global batch 2 × 100 + 4.
    assert_eq!(app.destination(Message::Go(Go::Submit)), Some(204));
    assert_eq!(
        app.destination(Message::NextStep),
        None,
        "a step is never far"
    );
    // The first stop of the built-in plan is the first sample of batch 1.
    assert_eq!(app.destination(Message::NextStop), Some(0));
}

#[test]
fn the_go_to_prompt_explains_a_mistake_in_the_screens_language() {
    use gradstep::run::goto::Go;
    for (lang, says) in [
        (Lang::En, "epoch 9: this run has 3 epochs"),
        (Lang::Zh, "轮次 9：本次训练共 3 轮"),
    ] {
        let mut app = app(lang, false);
        for c in [
            Go::Open,
            Go::Type('9'),
            Go::Type(':'),
            Go::Type('1'),
            Go::Submit,
        ] {
            app.update(Message::Go(c));
        }
        let error = app.prompt().and_then(|p| p.error.clone());
        assert_eq!(error.as_deref(), Some(says));
    }
}

#[test]
fn tab_is_hinted_only_when_the_lesson_has_stops() {
    use gradstep::lesson::Lesson;
    use gradstep::ui::{App, Theme, UiOptions};
    let open = |lesson: Lesson, lang: Lang| {
        let opts = UiOptions {
            lang,
            ..UiOptions::default()
        };
        App::new(session(), lesson, &opts, Theme::new(false))
    };
    let lesson = Lesson::embedded().unwrap_or_else(|e| panic!("{e}"));
    // The built-in plan is for d2l's data; a run on other data drops it.
    let planned = lesson.clone().plan_for(Some("d2l"));
    let unplanned = lesson.plan_for(None);
    assert!(!planned.stops().is_empty());
    assert!(unplanned.stops().is_empty());
    for lang in [Lang::En, Lang::Zh] {
        for (w, h) in [(80, 24), (120, 40)] {
            let hints = |app: &App| {
                let screen = text(&render(app, w, h));
                screen.lines().last().unwrap_or("").to_string()
            };
            let with = hints(&open(planned.clone(), lang));
            assert!(with.contains("Tab "), "{lang:?} {w}×{h}: {with}");
            let without = hints(&open(unplanned.clone(), lang));
            assert!(!without.contains("Tab"), "{lang:?} {w}×{h}: {without}");
            // The room Tab leaves goes to the next hints, never to nothing.
            assert!(without.contains("? "), "{without}");
        }
    }
}

/// The quit hint is the one a newcomer cannot do without: the status line keeps it whatever
/// else it drops, at both sizes, in both languages, in the plain, presenter and following views.
#[test]
fn the_quit_hint_is_on_every_status_line() {
    use gradstep::ui::Teach;
    for lang in [Lang::En, Lang::Zh] {
        // Written out by hand, not read from the program's strings.
        let quit = match lang {
            Lang::En => "q quit",
            Lang::Zh => "q 退出",
        };
        for view in ["normal", "presenter", "following"] {
            let mut app = app(lang, false);
            app.update(Message::NextStep);
            match view {
                "presenter" => {
                    app.update(Message::Teach(Teach::TogglePresent));
                }
                "following" => app.set_follower(true),
                _ => {}
            }
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = text(&render(&app, w, h));
                let bottom: Vec<&str> = screen.lines().rev().take(2).collect();
                assert!(
                    bottom.iter().any(|l| l.contains(quit)),
                    "{lang:?} {view} {w}x{h}: no `{quit}` in\n{}",
                    bottom.join("\n")
                );
            }
        }
    }
}

/// The hint line, checked by rule rather than by snapshot: at every width and in both
/// languages each hint on it is whole, they come in the key table's order, the quit hint is
/// there, and a hint is missing only if every hint shown is needed more (a lower rank).
#[test]
fn the_hint_line_drops_hints_by_rank_and_keeps_the_rest_whole() {
    // (English, Chinese, rank): written out by hand from the key table, in its order; quit is
    // never dropped (rank None); "M read on" is only offered while the narrative is cut.
    const HINTS: [(&str, &str, Option<u8>); 12] = [
        ("→ next", "→ 下一步", Some(5)),
        ("← back", "← 上一步", Some(6)),
        ("↓ batch", "↓ 换批", Some(11)),
        ("p play", "p 播放", Some(13)),
        ("g sample/matrix", "g 样本/矩阵", Some(15)),
        ("L 中文", "L English", Some(14)),
        ("v pictures", "v 图", Some(10)),
        ("G graph", "G 计算图", Some(17)),
        ("Tab stop", "Tab 下一站", Some(12)),
        ("M read on", "M 续读", Some(9)),
        ("? help", "? 帮助", Some(8)),
        ("q quit", "q 退出", None),
    ];
    const READ_ON: usize = 9;
    for lang in [Lang::En, Lang::Zh] {
        let name = |k: usize| match lang {
            Lang::En => HINTS[k].0,
            Lang::Zh => HINTS[k].1,
        };
        let mut app = app(lang, false);
        for steps in [0, 16] {
            for _ in 0..steps {
                app.update(Message::NextStep);
            }
            for (w, h) in [
                (80, 24),
                (90, 24),
                (100, 30),
                (110, 40),
                (120, 40),
                (200, 40),
            ] {
                let screen = text(&render(&app, w, h));
                let line = screen.lines().last().unwrap_or("").trim_end().to_string();
                let at = format!("{lang:?} {w}x{h} after {steps} steps: `{line}`");
                assert!(unicode_width::UnicodeWidthStr::width(line.as_str()) <= usize::from(w));
                // Each hint on the line is one of the table's, whole, in the table's order.
                let shown: Vec<usize> = line
                    .split("  ")
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| {
                        (0..HINTS.len())
                            .find(|&k| name(k) == t)
                            .unwrap_or_else(|| panic!("`{t}` is no whole hint: {at}"))
                    })
                    .collect();
                assert!(shown.windows(2).all(|p| p[0] < p[1]), "order: {at}");
                assert_eq!(shown.last(), Some(&(HINTS.len() - 1)), "quit: {at}");
                // What is dropped is needed less than all that is shown.
                let kept = shown.iter().filter_map(|&k| HINTS[k].2).max().unwrap_or(0);
                for k in (0..HINTS.len()).filter(|k| !shown.contains(k) && *k != READ_ON) {
                    assert!(HINTS[k].2.is_some_and(|r| r > kept), "{}: {at}", name(k));
                }
                if w >= 200 {
                    assert!(shown.len() >= HINTS.len() - 1, "room for all: {at}");
                }
            }
        }
    }
}
