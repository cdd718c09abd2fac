mod ui_common;
use gradstep::lesson::Lang;
use gradstep::ui::Message;
use ui_common::*;

#[test]
#[ignore]
fn look() {
    let w: u16 = std::env::var("W")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(80);
    let h: u16 = std::env::var("H")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let n: usize = std::env::var("STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let lang = if std::env::var("ZH").is_ok() {
        Lang::Zh
    } else {
        Lang::En
    };
    let mut app = app(lang, true);
    for _ in 0..n {
        app.update(Message::NextStep);
    }
    println!("{}", text(&render(&app, w, h)));
}

#[test]
#[ignore]
fn chain() {
    use gradstep::math::{self, Options};
    let lesson = gradstep::lesson::Lesson::embedded().unwrap();
    for (i, d) in lesson.derivation().iter().enumerate() {
        let b = math::layout(&d.formula, Options::default());
        println!(
            "#{i} {} h={} w={} base={}",
            d.id, b.height, b.width, b.baseline
        );
        for l in b.text_lines() {
            println!("   |{l}|");
        }
    }
    let mut s = session();
    loop {
        let step = s.step();
        let t = lesson.step(step);
        println!("== {:?} {:?} {:?}", step, t.derivation, t.title.en);
        for f in lesson.numbers(step, s.batch(), 3, Lang::En) {
            let b = math::fit(&f, 76, Options::default());
            for l in b.text_lines() {
                println!("   |{l}|");
            }
        }
        if !s.next_step() || s.batch().global > 0 {
            break;
        }
    }
}
