//! The embedded lesson: it loads, says something on every step in both languages, and its
//! formulas parse.

use gradstep::engine::Step;
use gradstep::lesson::{Lang, Lesson};
use unicode_width::UnicodeWidthStr;

fn lesson() -> Lesson {
    match Lesson::embedded() {
        Ok(l) => l,
        Err(e) => panic!("the embedded lesson does not load: {e}"),
    }
}

fn every_step() -> [Step; 10] {
    [
        Step::Draw,
        Step::ForwardSample { sample: 0 },
        Step::Forward,
        Step::Loss,
        Step::Errors,
        Step::Accumulate { sample: 0 },
        Step::GradW,
        Step::GradB,
        Step::Update,
        Step::EpochSummary,
    ]
}

#[test]
fn embedded_lesson_loads_with_the_whole_chain() {
    let l = lesson();
    let ids: Vec<&str> = l.derivation().iter().map(|d| d.id.as_str()).collect();
    for id in [
        "model",
        "loss_sample",
        "loss_sum",
        "grad_w",
        "grad_b",
        "update_w",
        "update_b",
    ] {
        assert!(ids.contains(&id), "no formula {id} in {ids:?}");
    }
    let order = |id| ids.iter().position(|i| *i == id);
    assert!(order("model") < order("loss_sum"));
    assert!(order("loss_sum") < order("grad_w"));
    assert!(order("grad_w") < order("update_w"));
}

#[test]
fn every_step_speaks_both_languages() {
    let l = lesson();
    for step in every_step() {
        let t = l.step(step);
        for lang in [Lang::En, Lang::Zh] {
            assert!(
                !t.title.get(lang).trim().is_empty(),
                "{step:?} {lang:?} title"
            );
            assert!(
                !t.narrative.get(lang).trim().is_empty(),
                "{step:?} {lang:?} narrative"
            );
        }
        assert!(!t.code.trim().is_empty(), "{step:?} code");
        assert!(!t.derivation.is_empty(), "{step:?} refers to no formula");
        assert!(t.derivation.iter().all(|&i| i < l.derivation().len()));
        assert_ne!(t.narrative.en, t.narrative.zh, "{step:?} not translated");
    }
}

#[test]
fn titles_fit_the_status_line() {
    let l = lesson();
    for step in every_step() {
        for lang in [Lang::En, Lang::Zh] {
            let title = l.step(step).title.get(lang);
            assert!(
                title.width() <= 24,
                "{step:?} {lang:?}: {title:?} is {} columns",
                title.width()
            );
        }
    }
}

#[test]
fn chinese_narratives_fit_four_lines() {
    let l = lesson();
    for step in every_step() {
        let zh = &l.step(step).narrative.zh;
        assert!(
            zh.chars().count() <= 110,
            "{step:?}: {} characters",
            zh.chars().count()
        );
        // Four lines of a 76-column panel, with some slack for wrapping at word edges.
        assert!(
            zh.width() <= 4 * 76 - 20,
            "{step:?}: {} columns",
            zh.width()
        );
    }
}

#[test]
fn every_formula_parses() {
    for d in lesson().derivation() {
        if let Err(e) = gradstep::math::parse(&d.latex) {
            panic!("formula {}: {e}", d.id);
        }
    }
}

#[test]
fn steps_quote_the_training_loop() {
    let l = lesson();
    assert!(l.step(Step::Loss).code.contains("squared_loss"));
    assert!(l.step(Step::Errors).code.contains("backward()"));
    assert!(l.step(Step::GradW).code.contains("w.grad"));
    assert!(l.step(Step::Update).code.contains("zero_()"));
    assert!(l.step(Step::Update).narrative.en.contains("zero_()"));
    assert!(l.step(Step::Update).narrative.zh.contains("zero_()"));
}
