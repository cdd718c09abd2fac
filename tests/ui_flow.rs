//! The classroom flow through the model: Esc closes one thing at a time and never quits, places
//! named in the go-to forms land where the engine puts those batches, bookmarks, the lesson
//! plan's stops and their changes, the saved place, and divergence said on screen before any
//! value overflows.

mod scratch;
mod ui_common;

use gradstep::data::Synthetic;
use gradstep::engine::{Hyper, Objective, Session, Step};
use gradstep::lesson::{Lang, Lesson};
use gradstep::run::goto::{Go, Miss, Part, Place, Target};
use gradstep::run::resume::{self, Resume, RunPrint, Saved};
use gradstep::ui::{App, Message, Teach, Theme, UiOptions, View};
use nalgebra::DMatrix;
use scratch::scratch_dir;
use ui_common::*;

/// |a − b| ≤ tol · max(1, |a|, |b|).
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * 1f64.max(a.abs()).max(b.abs())
}

fn house() -> Session {
    let preset = gradstep::preset::Preset::House;
    let data = preset
        .fixed_data()
        .expect("fixed data")
        .expect("house data");
    let hyper = preset.spec().hyper;
    let init = preset.init().params(data.d(), hyper.seed);
    Session::new(data, hyper, init).expect("valid preset")
}

fn go(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(Message::Go(Go::Type(c)));
    }
}

fn status(app: &App) -> String {
    let screen = text(&render(app, 120, 40));
    screen.lines().rev().nth(1).unwrap_or("").to_string()
}

#[test]
fn esc_closes_one_thing_at_a_time_and_never_quits() {
    let mut app = app(Lang::En, true);
    app.update(Message::Teach(Teach::ToggleQuiz));
    app.update(Message::Teach(Teach::TogglePresent));
    app.update(Message::CycleView);
    app.update(Message::Teach(Teach::ToggleInspect));
    app.update(Message::ToggleHelp);
    let open = |a: &App| {
        (
            a.help_open(),
            a.inspected().is_some(),
            a.view(),
            a.presenting(),
            a.quiz(),
        )
    };
    let expected = [
        (false, true, View::Pictures, true, true),
        (false, false, View::Pictures, true, true),
        (false, false, View::Lesson, true, true),
        (false, false, View::Lesson, false, true),
        (false, false, View::Lesson, false, false),
    ];
    for want in expected {
        assert!(app.update(Message::Back));
        assert_eq!(open(&app), want);
        assert!(!app.should_quit());
    }
    // Nothing left open: Esc changes nothing, and says so.
    let before = render(&app, 80, 24);
    assert!(!app.update(Message::Back));
    assert_eq!(render(&app, 80, 24), before);
    assert!(!app.should_quit());
    app.update(Message::Quit);
    assert!(app.should_quit());
}

/// Presses `code` as the run loop would: looked up in the app's current mode.
fn press(app: &mut App, code: crossterm::event::KeyCode) {
    use crossterm::event::{KeyEvent, KeyModifiers};
    use gradstep::ui::message_in;
    if let Some(m) = message_in(app.key_mode(), &KeyEvent::new(code, KeyModifiers::NONE)) {
        app.update(m);
    }
}

#[test]
fn help_is_modal_scrolls_and_has_the_lesson_plan_on_its_second_page() {
    use crossterm::event::KeyCode::{Char, Down, Esc, Right};
    for (lang, heading) in [
        (Lang::En, "The lesson plan's stops"),
        (Lang::Zh, "课程计划的停靠点"),
    ] {
        let mut app = app(lang, true);
        press(&mut app, Right);
        assert_eq!(app.session().steps().1, 1);
        // ? → → → Esc: the run behind has not moved.
        press(&mut app, Char('?'));
        assert!(app.help_open());
        let keys_page = text(&render(&app, 80, 24));
        for code in [
            Right,
            Right,
            Right,
            Char(' '),
            Char('j'),
            Char('n'),
            Char('Q'),
            Char('L'),
        ] {
            press(&mut app, code);
        }
        press(&mut app, Esc);
        assert!(!app.help_open());
        assert_eq!(
            app.session().steps().1,
            1,
            "no key stepped the run behind the help"
        );
        assert_eq!(app.lang(), lang);
        assert!(!app.quiz());
        // Playing waits while the help is open.
        press(&mut app, Char('p'));
        press(&mut app, Char('?'));
        for _ in 0..5 {
            app.update(Message::Tick);
        }
        assert_eq!(app.session().steps().1, 1);
        // It scrolls: at 80×24 the keys page does not fit, and ↓ shows lines further down.
        let first = text(&render(&app, 80, 24));
        assert_eq!(first, keys_page);
        press(&mut app, Down);
        press(&mut app, Down);
        let scrolled = text(&render(&app, 80, 24));
        assert_ne!(scrolled, first);
        let row = |s: &str, i: usize| s.lines().nth(i).unwrap_or("").to_string();
        assert_eq!(row(&scrolled, 1), row(&first, 3), "two lines further down");
        // Its second page is the 45-minute plan, in the class's language, scrolled to reach the end.
        press(&mut app, Right);
        let plan = text(&render(&app, 80, 24));
        assert!(
            !plan.contains(heading),
            "the first screen of the plan is its start"
        );
        let mut screens = String::new();
        for _ in 0..60 {
            press(&mut app, Down);
            screens.push_str(&text(&render(&app, 80, 24)));
        }
        assert!(screens.contains(heading), "{screens}");
        assert!(screens.contains("--resume"), "the plan's end: {screens}");
        // q still quits from inside the help.
        press(&mut app, Char('q'));
        assert!(app.should_quit());
    }
}

#[test]
fn keys_in_the_prompt_type_and_esc_leaves_it() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use gradstep::ui::{Mode, message_in};
    let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    let cases = [
        (Mode::Normal, key(KeyCode::Esc), Message::Back),
        (Mode::Normal, key(KeyCode::Char('q')), Message::Quit),
        (Mode::Normal, ctrl_c, Message::Quit),
        (Mode::Normal, key(KeyCode::Tab), Message::NextStop),
        (Mode::Normal, key(KeyCode::BackTab), Message::PrevStop),
        (Mode::Normal, key(KeyCode::Char(':')), Message::Go(Go::Open)),
        // In the prompt, q is a letter and Esc or Ctrl-C only close the prompt.
        (
            Mode::Prompt,
            key(KeyCode::Char('q')),
            Message::Go(Go::Type('q')),
        ),
        (Mode::Prompt, key(KeyCode::Esc), Message::Go(Go::Cancel)),
        (Mode::Prompt, ctrl_c, Message::Go(Go::Cancel)),
        (
            Mode::Prompt,
            key(KeyCode::Backspace),
            Message::Go(Go::Erase),
        ),
        // Waiting for a bookmark's digit, any other key only stops waiting.
        (
            Mode::Bookmark,
            key(KeyCode::Char('3')),
            Message::Go(Go::Digit('3')),
        ),
        (Mode::Bookmark, key(KeyCode::Right), Message::Go(Go::Cancel)),
    ];
    for (mode, event, want) in cases {
        assert_eq!(message_in(mode, &event), Some(want), "{mode:?} {event:?}");
    }
}

#[test]
fn targets_parse_and_say_what_is_wrong() {
    assert_eq!(Target::parse("26"), Ok(Target::Batch(26)));
    assert_eq!(
        Target::parse(" 2:26:18 "),
        Ok(Target::At {
            epoch: 2,
            batch: 26,
            step: 18
        })
    );
    assert_eq!(
        Target::parse("3:7"),
        Ok(Target::At {
            epoch: 3,
            batch: 7,
            step: 1
        })
    );
    assert_eq!(Target::parse("END"), Ok(Target::End));
    assert_eq!(Target::parse("0"), Err(Miss::Zero(Part::Batch)));
    assert_eq!(Target::parse("2:x"), Err(Miss::NotAPlace("2:x".into())));
    assert_eq!(
        Target::parse("1:2:3:4"),
        Err(Miss::NotAPlace("1:2:3:4".into()))
    );
}

/// Where the engine itself puts epoch `e`, batch `b`: found by walking the run batch by batch.
fn walked(session: &Session, epoch: usize, batch: usize) -> usize {
    let mut s = session.clone();
    s.first();
    loop {
        let here = s.batch();
        if (here.epoch, here.batch) == (epoch, batch) {
            return here.global;
        }
        assert!(s.next_batch(), "the run has no batch {epoch}:{batch}");
    }
}

#[test]
fn places_resolve_to_the_batches_the_engine_numbers_so() {
    let s = session();
    // 100 batches an epoch: epoch 2, batch 26 is global batch 100 + 25.
    let place = Target::parse("2:26:18").and_then(|t| t.resolve(&s));
    assert_eq!(
        place,
        Ok(Place {
            global: 125,
            step: 17,
            by_sample: true
        })
    );
    assert_eq!(walked(&s, 2, 26), 125);
    assert_eq!(
        Target::parse("end").and_then(|t| t.resolve(&s)),
        Ok(Place {
            global: 299,
            step: 27,
            by_sample: true
        })
    );
    let err = |t: &str| {
        Target::parse(t)
            .and_then(|t| t.resolve(&s))
            .unwrap_err()
            .to_string()
    };
    assert_eq!(err("4:1"), "epoch 4: this run has 3 epochs");
    assert_eq!(err("1:101"), "batch 101: epoch 1 has 100 batches");
    // 10 rows: 1 draw + 10 forward + 3 + 10 accumulate + 3 = 27 steps.
    assert_eq!(err("1:1:28"), "step 28: batch 1:1 has 27 steps");

    // After a change of batch size the epochs are cut anew; places follow.
    let mut changed = session();
    changed.go_to_batch(101);
    assert!(changed.change_hyper(0.03, 64).unwrap_or(false));
    let place = Target::parse("2:18")
        .and_then(|t| t.resolve(&changed))
        .expect("epoch 2 has 18 batches now");
    assert_eq!(place.global, walked(&changed, 2, 18));
    let mut there = changed.clone();
    gradstep::run::goto::jump(&mut there, place);
    // 1000 rows: 2 batches of 10, then 15 of 64 (980 − 960 = 20 left).
    assert_eq!(there.batch().rows(), 20);
    assert_eq!(there.batch().batch, 18);
}

#[test]
fn the_prompt_jumps_or_keeps_the_error_in_view() {
    let mut app = app(Lang::En, true);
    app.update(Message::Go(Go::Open));
    go(&mut app, "1:200");
    app.update(Message::Go(Go::Submit));
    let prompt = app.prompt().expect("still open");
    assert_eq!(
        prompt.error.as_deref(),
        Some("batch 200: epoch 1 has 100 batches")
    );
    let screen = text(&render(&app, 80, 24));
    assert!(
        screen.contains("go to: 1:200   batch 200: epoch 1 has 100 batches"),
        "{screen}"
    );
    for _ in 0..3 {
        app.update(Message::Go(Go::Erase));
    }
    go(&mut app, "30:5");
    app.update(Message::Go(Go::Submit));
    assert!(app.prompt().is_none());
    let b = app.session().batch();
    assert_eq!((b.epoch, b.batch, app.session().steps().1), (1, 30, 4));
    assert_eq!(b.global, walked(app.session(), 1, 30));
    // A plain number is a batch of the epoch the class is in.
    app.update(Message::NextEpoch);
    app.update(Message::Go(Go::Open));
    go(&mut app, "7");
    app.update(Message::Go(Go::Submit));
    let b = app.session().batch();
    assert_eq!((b.epoch, b.batch), (2, 7));
}

#[test]
fn bookmarks_come_back_to_the_very_step() {
    let mut app = app(Lang::Zh, true);
    app.update(Message::NextBatch);
    for _ in 0..5 {
        app.update(Message::NextStep);
    }
    let marked = render(&app, 80, 24);
    let place = (app.session().batch().global, app.session().step());
    app.update(Message::Go(Go::Mark));
    app.update(Message::Go(Go::Digit('2')));
    assert!(app.notice().is_some_and(|n| n.text.contains("书签 2")));
    app.update(Message::Last);
    app.update(Message::Go(Go::Recall));
    app.update(Message::Go(Go::Digit('2')));
    assert_eq!((app.session().batch().global, app.session().step()), place);
    assert_eq!(render(&app, 80, 24), marked);
    app.update(Message::Go(Go::Recall));
    app.update(Message::Go(Go::Digit('9')));
    assert!(
        app.notice()
            .is_some_and(|n| n.error && n.text.contains("书签 9"))
    );
}

#[test]
fn tab_applies_each_stops_changes_and_shows_its_note() {
    let lesson = Lesson::embedded().expect("built-in lesson");
    let stops = lesson.stops().to_vec();
    assert!((5..=8).contains(&stops.len()), "{}", stops.len());
    let mut app = app(Lang::En, true);
    for (k, stop) in stops.iter().enumerate() {
        app.update(Message::NextStop);
        assert_eq!(app.stop_here(), Some((k, stops.len())));
        let screen = text(&render(&app, 120, 40));
        let head: String = stop.note.en.chars().take(30).collect();
        assert!(screen.contains(&head), "stop {}: {head}\n{screen}", k + 1);
        assert!(status(&app).contains(&format!("stop {}/{}", k + 1, stops.len())));
        let s = app.session();
        let b = s.batch();
        if let Some(quiz) = stop.quiz {
            assert_eq!(app.quiz(), quiz);
        }
        if let Some(objective) = stop.objective {
            assert_eq!(b.hyper.objective, objective);
        }
        let (lr, bs) = gradstep::run::experiments::upcoming(s);
        if let Some(want) = stop.lr {
            assert_eq!(lr, want);
        }
        if let Some(want) = stop.batch_size {
            assert_eq!(bs, want);
        }
        if stop.view.is_some() {
            assert_eq!(app.view(), View::Pictures);
        }
    }
    // Stop 5 (the mean): the same new w as the sum, recomputed by a run that keeps the sum.
    let mut sum = session();
    sum.go_to_batch(100);
    let mut mean_app = app_at_stop(5);
    let mean = mean_app.session().batch().clone();
    assert_eq!(mean.hyper.objective, Objective::Mean);
    for j in 0..2 {
        let (a, b) = (mean.w_next[j], sum.batch().w_next[j]);
        assert!(close(a, b, 1e-12), "{a} {b}");
    }
    // Its gradient is the sum's over N = 10.
    for j in 0..2 {
        let (a, b) = (mean.grad_w[j] * 10.0, sum.batch().grad_w[j]);
        assert!(close(a, b, 1e-12), "{a} {b}");
    }
    // Stop 7: the short last batch of epoch 2 after stop 6's 64 rows a batch.
    mean_app.update(Message::NextStop);
    mean_app.update(Message::NextStop);
    let b = mean_app.session().batch();
    assert_eq!((b.epoch, b.batch, b.rows()), (2, 18, 20));
    assert_eq!(mean_app.session().step(), Step::Update);
    // Shift-Tab goes back one stop.
    mean_app.update(Message::PrevStop);
    assert_eq!(mean_app.stop_here(), Some((5, stops.len())));
}

fn app_at_stop(k: usize) -> App {
    let mut app = app(Lang::En, true);
    for _ in 0..k {
        app.update(Message::NextStop);
    }
    app
}

/// A UI with a place to save to and, optionally, a saved place to reopen.
fn resumable(session: Session, saved: Option<Saved>) -> App {
    let lesson = Lesson::embedded().expect("embedded lesson");
    let run = RunPrint::new(
        "the d2l synthetic set",
        session.data(),
        &session.batch().hyper,
        &gradstep::engine::Params {
            w: session.batch().w.clone(),
            b: session.batch().b,
        },
        &[],
    );
    let opts = UiOptions {
        lang: Lang::En,
        seed: 42,
        resume: Some(Resume {
            path: std::env::temp_dir().join("gradstep-flow-unused.json"),
            args: vec!["--lang".into(), "en".into()],
            run,
            saved,
        }),
        ..UiOptions::default()
    };
    App::new(session, lesson, &opts, Theme::new(true))
}

#[test]
fn a_saved_place_reopens_the_same_screen_through_a_file() {
    let mut app = resumable(session(), None);
    app.update(Message::ToggleKeepGrad);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    app.update(Message::NextStop);
    app.update(Message::NextStep);
    app.update(Message::LrUp);
    app.update(Message::Teach(Teach::MorePrecision));
    app.update(Message::ToggleLang);
    app.update(Message::Go(Go::Mark));
    app.update(Message::Go(Go::Digit('1')));
    app.update(Message::CycleView);
    let left = render(&app, 100, 30);
    let (_, saved) = app.saved().expect("a place to save");
    let dir = scratch_dir("flow-save");
    let path = dir.join("gradstep").join("place.json");
    resume::save(&path, &saved).expect("save");
    let loaded = resume::load(&path).expect("load");
    assert_eq!(loaded, saved);
    let again = resumable(session(), Some(loaded));
    assert_eq!(render(&again, 100, 30), left);
    assert_eq!(again.session().batch(), app.session().batch());
    assert_eq!(again.session().segments(), app.session().segments());
    // Forgetting zero_() is part of the run as shown, and reopens with it.
    assert!(!again.session().batch().hyper.zero_grad);

    // A damaged or older file is refused with a reason, never misread.
    std::fs::write(&path, "{\"version\": 1, \"args\": [").expect("write");
    assert!(resume::load(&path).is_err_and(|e| e.contains("is damaged")));
    std::fs::write(&path, "{\"version\": 0}").expect("write");
    assert!(resume::load(&path).is_err_and(|e| e.contains("another version")));
    std::fs::remove_file(&path).expect("remove");
    assert!(resume::load(&path).is_err_and(|e| e.contains("no saved place")));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn other_data_or_options_are_named() {
    let s = session();
    let init = gradstep::engine::Params {
        w: s.batch().w.clone(),
        b: s.batch().b,
    };
    let hyper = s.batch().hyper.clone();
    let print = RunPrint::new("d2l", s.data(), &hyper, &init, &[]);
    assert!(print.differences(&print).is_empty());
    let faster = Hyper {
        lr: 0.1,
        epochs: 5,
        ..hyper.clone()
    };
    assert_eq!(
        print.differences(&RunPrint::new("d2l", s.data(), &faster, &init, &[])),
        ["--lr (saved 0.03, now 0.1)", "--epochs (saved 3, now 5)"]
    );
    // The same file name with other contents.
    let other = Synthetic {
        noise: 0.02,
        ..Synthetic::default()
    }
    .generate()
    .expect("data");
    assert_eq!(
        print.differences(&RunPrint::new("d2l", &other, &hyper, &init, &[])),
        ["the data (d2l has changed since the place was saved)"]
    );
}

/// The largest eigenvalue of the mean of x̃x̃ᵀ (x̃ = x with a 1), by nalgebra's symmetric
/// eigensolver: the second route to the curvature the banner quotes.
fn curvature(session: &Session) -> f64 {
    let data = session.data();
    let d = data.d() + 1;
    let mut m = DMatrix::<f64>::zeros(d, d);
    for i in 0..data.n() {
        let mut x: Vec<f64> = data.row(i).to_vec();
        x.push(1.0);
        for a in 0..d {
            for b in 0..d {
                m[(a, b)] += x[a] * x[b] / data.n() as f64;
            }
        }
    }
    m.symmetric_eigenvalues().max()
}

fn diverging(lr: f64) -> Session {
    session_with(
        Synthetic::default(),
        Hyper {
            lr,
            ..Hyper::default()
        },
    )
}

#[test]
fn the_divergence_banner_is_there_from_the_first_frame_with_its_advice() {
    let s = diverging(3.0);
    let lambda = curvature(&s);
    let app = app_with(s, Lang::En, true, false);
    let screen = text(&render(&app, 80, 24));
    let gain = format!("{:.3}", 3.0 * lambda);
    let limit = format!("{:.3}", 2.0 / lambda);
    assert!(
        screen.contains(&format!("lr × curvature = {gain} is above 2")),
        "{gain}\n{screen}"
    );
    assert!(
        screen.contains(&format!("below {limit}")),
        "{limit}\n{screen}"
    );
    let en = body(&render(&app, 80, 24));
    insta::assert_snapshot!("divergence_banner_body_80x24_en", en);
    let zh = app_with(diverging(3.0), Lang::Zh, true, false);
    insta::assert_snapshot!(
        "divergence_banner_body_80x24_zh",
        body(&render(&zh, 80, 24))
    );
    // A stable run has no banner.
    let calm = text(&render(
        &app_with(diverging(0.03), Lang::En, true, false),
        80,
        24,
    ));
    assert!(!calm.contains("will diverge"), "{calm}");
}

#[test]
fn a_growing_loss_is_called_diverging_before_anything_overflows() {
    let mut app = app_with(diverging(3.0), Lang::En, true, false);
    let mut seen = None;
    for _ in 0..200 {
        app.update(Message::NextBatch);
        let screen = text(&render(&app, 120, 40));
        if screen.contains("Diverging:") {
            seen = Some((app.session().batch().global, screen));
            break;
        }
    }
    let (g, screen) = seen.expect("said within 200 batches");
    assert_eq!(
        app.session().diverged_at(),
        None,
        "said before any overflow"
    );
    let losses = app.session().batch_losses();
    // The five batches before this one each lost more than the one before, tenfold in all.
    let window = &losses[g - 5..=g];
    assert!(window.windows(2).all(|w| w[1] > w[0]), "{window:?}");
    assert!(window[5] >= 10.0 * window[0]);
    // And not one batch earlier: the first window that holds.
    let earlier = &losses[g - 6..g];
    assert!(!(earlier.windows(2).all(|w| w[1] > w[0]) && earlier[5] >= 10.0 * earlier[0]));
    let said = format!(
        "Diverging: from batch {} the loss grew 5 times in a row",
        g - 4
    );
    assert!(screen.contains(&said), "{said}\n{screen}");
}

#[test]
fn the_epoch_end_says_whether_the_loss_fell_or_grew() {
    let mut calm = app(Lang::En, true);
    calm.update(Message::Go(Go::Open));
    go(&mut calm, "1:100:28");
    calm.update(Message::Go(Go::Submit));
    assert_eq!(calm.session().step(), Step::EpochSummary);
    let screen = text(&render(&calm, 120, 40));
    assert!(
        screen.contains("it fell, the model is learning"),
        "{screen}"
    );

    let mut wild = app_with(diverging(2.2), Lang::En, true, false);
    wild.update(Message::Go(Go::Open));
    go(&mut wild, "2:100:28");
    wild.update(Message::Go(Go::Submit));
    assert_eq!(wild.session().step(), Step::EpochSummary);
    let ends = wild.session().epoch_losses();
    assert!(ends[1].loss > ends[0].loss, "{ends:?}");
    let screen = text(&render(&wild, 120, 40));
    assert!(
        screen.contains("it grew, the model is not learning"),
        "{screen}"
    );
    assert!(!screen.contains("it fell"), "{screen}");
}

#[test]
fn names_and_units_come_from_the_data() {
    let mut app = app_with(house(), Lang::En, true, false);
    let screen = text(&render(&app, 80, 24));
    assert!(screen.contains("X: area (m²) → y: price (10k)"), "{screen}");
    insta::assert_snapshot!("names_house_body_80x24_en", body(&render(&app, 80, 24)));
    app.update(Message::Teach(Teach::Select {
        id: gradstep::ui::Id::Of(gradstep::worked::Symbol::Y, gradstep::worked::Part::Value),
        row: 0,
        col: 0,
    }));
    let inspect = text(&render(&app, 80, 24));
    assert!(inspect.contains("y, row 1 (price (10k))"), "{inspect}");
    let d2l_buf = render(&app_with(session(), Lang::Zh, true, false), 80, 24);
    let d2l = text(&d2l_buf);
    assert!(d2l.contains("X: x₁, x₂ → y: y"), "{d2l}");
    assert!(d2l.contains("数据行号（从 1 起）"), "{d2l}");
    insta::assert_snapshot!("names_d2l_body_80x24_zh", body(&d2l_buf));
}

#[test]
fn a_stops_handout_is_its_batch_with_the_note_on_top() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(["handout", "--stop", "7", "--lang", "en"])
        .output()
        .expect("run gradstep");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).expect("utf-8");
    // The first line after the YAML metadata block (the title).
    let first = md
        .split_once("\n---\n\n")
        .map_or("", |(_, body)| body.lines().next().unwrap_or(""));
    assert!(
        first.starts_with("> **Stop of the lesson plan at epoch 2, batch 18:** A short last batch"),
        "{first}"
    );
    // Epoch 1 has 100 batches of 10; epoch 2 two of 10, then 64 rows a batch: 15 of them and
    // one of 20 (1000 − 20 − 960); epoch 3 ⌈1000/64⌉ = 16.
    assert!(
        md.contains("batch 118 of 134 in the run: epoch 2, batch 18 of 18"),
        "{md}"
    );
    assert!(md.contains("$N = 20$"), "{md}");

    let other = std::process::Command::new(env!("CARGO_BIN_EXE_gradstep"))
        .args(["handout", "--stop", "1", "--preset", "house"])
        .output()
        .expect("run gradstep");
    assert_eq!(other.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&other.stderr),
        "error: --stop 1: the lesson's stops are planned for --preset d2l only\n"
    );
}

#[test]
fn a_cut_narrative_ends_with_an_ellipsis() {
    let mut app = app(Lang::En, true);
    for _ in 0..3 {
        app.update(Message::NextStop);
    }
    let screen = text(&render(&app, 60, 18));
    let heading = screen
        .lines()
        .position(|l| l.starts_with("─ Update w and b"))
        .expect("the narrative's heading");
    let matrices = screen
        .lines()
        .position(|l| l.starts_with("─ Matrices"))
        .expect("the matrices' heading");
    let last = screen.lines().nth(matrices - 1).unwrap_or("").trim_end();
    assert!(matrices > heading + 1);
    assert!(last.ends_with(" …"), "{screen}");
}

#[test]
fn the_handout_can_say_an_edited_lessons_narrative() {
    let edited = gradstep::lesson::EMBEDDED.replacen(
        "Each sample's loss is half its squared error",
        "Each sample's loss, as our class writes it, is half its squared error",
        1,
    );
    let lesson = Lesson::parse(&edited).expect("edited lesson");
    let said = gradstep::handout::narrative(&lesson, Step::Loss, Lang::En);
    assert!(
        said.starts_with("Each sample's loss, as our class writes it"),
        "{said}"
    );
}

#[test]
fn restart_goes_back_to_the_run_as_it_was_started() {
    let mut app = app_at_stop(5);
    app.update(Message::LrUp);
    app.update(Message::NextBatch);
    assert_eq!(app.session().batch().hyper.objective, Objective::Mean);
    assert_eq!(app.session().segments().len(), 2);
    app.update(Message::Restart);
    let fresh = session();
    assert_eq!(app.session().batch(), fresh.batch());
    assert_eq!(app.session().segments(), fresh.segments());
    assert_eq!(app.session().steps().1, 0);
    // And the help says what it resets.
    app.update(Message::ToggleHelp);
    let help = text(&render(&app, 200, 60));
    assert!(help.contains("restart with the start's settings"), "{help}");
}

#[test]
fn the_new_texts_keep_to_narrow_glyphs_where_ambiguous_ones_draw_wide() {
    use unicode_width::UnicodeWidthChar;
    let ambiguous = |c: char| {
        c.width() != c.width_cjk() || matches!(c, '\u{0391}'..='\u{03A9}' | '\u{03B1}'..='\u{03C9}')
    };
    for lang in [Lang::En, Lang::Zh] {
        let mut app = app_with(diverging(3.0), lang, true, true);
        let mut screens = Vec::new();
        app.update(Message::Go(Go::Open));
        screens.push(text(&render(&app, 80, 24)));
        go(&mut app, "9");
        app.update(Message::Go(Go::Submit));
        screens.push(text(&render(&app, 80, 24)));
        app.update(Message::Go(Go::Cancel));
        for _ in 0..3 {
            app.update(Message::NextStop);
        }
        app.update(Message::Faster);
        screens.push(text(&render(&app, 80, 24)));
        for _ in 0..40 {
            app.update(Message::NextBatch);
        }
        screens.push(text(&render(&app, 80, 24)));
        for screen in screens {
            for c in screen.chars() {
                assert!(!ambiguous(c), "{c:?} (U+{:04X}) in\n{screen}", c as u32);
            }
        }
    }
}

#[test]
fn smaller_batches_stop_where_the_runs_history_would_no_longer_fit() {
    // `gradstep --epochs 2000000 --batch-size 1000`, then `{` nine times: each smaller batch
    // lengthens the rest of the run, and the history budget of start-up applies to every one.
    let hyper = Hyper {
        epochs: 2_000_000,
        batch_size: 1000,
        ..Hyper::default()
    };
    let mut app = app_with(
        session_with(Synthetic::default(), hyper),
        Lang::En,
        false,
        false,
    );
    let most = gradstep::engine::session::max_session_batches(app.session().data().d());
    let mut sizes = Vec::new();
    for _ in 0..9 {
        app.update(Message::BatchDown);
        let (_, bs) = gradstep::run::experiments::upcoming(app.session());
        sizes.push(bs);
        assert!(app.session().total_batches() <= most);
    }
    // 1000 rows: 500, 200 and 100 rows a batch fit (1 + 1999999 · 10 batches), 50 would not.
    assert_eq!(sizes, [500, 200, 100, 100, 100, 100, 100, 100, 100]);
    assert_eq!(app.session().total_batches(), 1 + 1_999_999 * 10);
    let notice = app.notice().expect("the refusal is said").clone();
    assert!(notice.error);
    assert!(notice.text.contains(&most.to_string()), "{notice:?}");
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("batch size not changed"), "{screen}");
    app.update(Message::ToggleLang);
    app.update(Message::BatchDown);
    let screen = text(&render(&app, 120, 40));
    assert!(screen.contains("批量未更改"), "{screen}");
}

#[test]
fn a_stop_whose_batch_size_would_not_fit_is_refused_with_a_notice() {
    // The built-in lesson without its stops, and one stop that halves the batch size.
    let Some(cut) = gradstep::lesson::EMBEDDED.find("\n[[stop]]") else {
        panic!("the built-in lesson has stops")
    };
    let text = format!(
        "{}\n[[stop]]\nat = \"2:1:1\"\nbatch_size = 500\nnote.en = \"halves\"\nnote.zh = \"减半\"\n",
        &gradstep::lesson::EMBEDDED[..cut]
    );
    let lesson = Lesson::parse(&text).expect("the edited lesson");
    // 1000 rows a batch, one batch an epoch, as many as fit: halving would double the rest.
    let data = Synthetic::default().generate().expect("data");
    let most = gradstep::engine::session::max_session_batches(data.d());
    let hyper = Hyper {
        epochs: most,
        batch_size: 1000,
        ..Hyper::default()
    };
    let init = gradstep::engine::Init::Normal.params(data.d(), hyper.seed);
    let session = Session::new(data, hyper, init.clone()).expect("fits");
    let opts = UiOptions {
        lang: Lang::En,
        seed: 42,
        ..UiOptions::default()
    };
    let mut app = App::new(session.clone(), lesson.clone(), &opts, Theme::new(false));
    app.update(Message::NextStop);
    assert_eq!(app.session().batch().global, 1);
    assert_eq!(app.session().total_batches(), most);
    assert_eq!(app.session().segments().len(), 1);
    let notice = app.notice().expect("said").clone();
    assert!(
        notice.error && notice.text.contains(&most.to_string()),
        "{notice:?}"
    );
    // The handout of that stop says why it cannot be made.
    let err = gradstep::run::stops::session_at(session, &init, &lesson, 1, Lang::En)
        .map(|_| ())
        .expect_err("refused");
    assert!(err.starts_with("stop at 2:1:1: this run has"), "{err}");
}

/// A student following over `serve` reads first what acts while following, then what `f`
/// (exploring) unlocks, from the key table's `student` column; keys that never act for a
/// student (the handout, written on the teacher's machine) are left out.
#[test]
fn a_followers_help_says_which_keys_act_while_following() {
    for (lang, following, exploring, handout) in [
        (
            Lang::En,
            "While you follow the teacher:",
            "After f, exploring on your own:",
            "write a handout (.md)",
        ),
        (
            Lang::Zh,
            "跟随老师时：",
            "按 f 自由探索后：",
            "写出讲义 (.md)",
        ),
    ] {
        let mut app = app(lang, false);
        app.update(Message::ToggleHelp);
        let alone = text(&render(&app, 200, 60));
        assert!(!alone.contains(following), "{alone}");
        assert!(alone.contains(handout), "{alone}");
        app.set_follower(true);
        let help = text(&render(&app, 200, 60));
        let at = |s: &str| help.find(s).unwrap_or_else(|| panic!("{s} in\n{help}"));
        // → moves the run: exploring only; L changes the language: following too.
        let (next, lang_key) = match lang {
            Lang::En => ("next step", "中文 / English"),
            Lang::Zh => ("下一步", "中文 / English"),
        };
        assert!(at(following) < at(lang_key) && at(lang_key) < at(exploring));
        assert!(at(exploring) < at(next));
        assert!(!help.contains(handout), "{help}");
    }
}
