//! Each objective shown with its own formulas: what the screen, the handout and the quiz say is
//! chosen from what the run's tape records (`l.mean()` or `l.sum()` at the root, and whether
//! `sgd` divides), so a mean run is never described with the sum's formulas.

mod common;

use std::process::Command;

use common::default_run;
use gradstep::engine::batch::divisor;
use gradstep::engine::tape::{Linear, Recorded, root_value};
use gradstep::engine::{Hyper, Objective, Session, Step};
use gradstep::lesson::{Lang, Lesson};
use gradstep::worked::check;
use gradstep::worked::steps::equations;

const LANGS: [Lang; 2] = [Lang::En, Lang::Zh];

fn session(objective: Objective) -> Session {
    let (data, hyper, init) = default_run();
    Session::new(data, Hyper { objective, ..hyper }, init).expect("the default run is valid")
}

/// The main (▶) formula of a step, as the run reads it.
fn main_formula(lesson: &Lesson, step: Step, recorded: Recorded) -> String {
    let i = lesson.step(step).derivation[0];
    lesson.derivation()[i].latex_for(recorded).to_string()
}

#[test]
fn what_sgd_divides_is_what_the_engine_divides() {
    for objective in [Objective::Sum, Objective::Mean, Objective::SumNoDiv] {
        let hyper = Hyper {
            objective,
            batch_size: 3,
            ..Hyper::default()
        };
        assert_eq!(
            Recorded::of(objective).divides,
            divisor(&hyper, 3) != 1.0,
            "{objective}"
        );
        assert_eq!(
            Recorded::of(objective).is_mean(),
            objective == Objective::Mean
        );
    }
}

#[test]
fn a_mean_run_names_the_mean_at_every_step() {
    let lesson = Lesson::embedded().expect("the built-in lesson loads");
    let s = session(Objective::Mean);
    let b = s.batch();
    let mean = Recorded::of(Objective::Mean);
    let frac = r"\frac{1}{N}";
    // ▶ formulas.
    assert_eq!(
        main_formula(&lesson, Step::Loss, mean),
        r"L = \frac{1}{N} \sum_{i=1}^{N} l^{(i)}"
    );
    for step in [Step::Errors, Step::GradW, Step::GradB] {
        assert!(main_formula(&lesson, step, mean).contains(frac), "{step:?}");
    }
    let update = main_formula(&lesson, Step::Update, mean);
    assert_eq!(
        update,
        r"w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w}"
    );
    // The PyTorch lines.
    for step in [Step::Errors, Step::Accumulate { sample: 0 }] {
        assert_eq!(lesson.step(step).code_for(mean), "l.mean().backward()");
    }
    assert_eq!(
        lesson.step(Step::Update).code_for(mean),
        "param -= lr * param.grad; param.grad.zero_()"
    );
    // The narratives, in both languages.
    for lang in LANGS {
        let loss = lesson.step(Step::Loss).narrative_for(mean).get(lang);
        assert!(
            loss.contains("l.mean()") && !loss.contains("l.sum()"),
            "{loss}"
        );
        for step in [
            Step::Errors,
            Step::Accumulate { sample: 0 },
            Step::GradW,
            Step::GradB,
        ] {
            let said = lesson.step(step).narrative_for(mean).get(lang);
            let base = lesson.step(step).narrative.get(lang);
            assert!(said != base && said.contains("N"), "{step:?}: {said}");
        }
        let said = lesson.step(Step::Update).narrative_for(mean).get(lang);
        assert!(!said.contains("lr/N"), "{said}");
    }
    // The worked line prints the mean: the losses' sum over N by a second route, and the
    // tape's root, to the bit.
    let eqs = equations(Step::Loss, b, 3, Lang::En);
    let l = eqs.last().expect("the loss step has L");
    let shown = l.results()[0].value;
    let by_hand = b.losses.iter().sum::<f64>() / b.rows() as f64;
    assert!(
        (shown - by_hand).abs() <= 1e-12 * by_hand.abs(),
        "{shown} vs {by_hand}"
    );
    let params = gradstep::engine::Params {
        w: b.w.clone(),
        b: b.b,
    };
    let tape = Linear::batch(s.data(), &b.indices, &params, Objective::Mean).expect("fits");
    assert_eq!(shown.to_bits(), tape.loss_value().to_bits());
    assert_eq!(root_value(b).to_bits(), shown.to_bits());
    assert!(check::consistent(l));
    assert!(
        l.members.iter().any(
            |m| matches!(m, gradstep::worked::Expr::Notation(t) if t.contains(r"\frac{1}{N}"))
        )
    );
    // The update's worked line steps by lr alone.
    let update = equations(Step::Update, b, 3, Lang::En);
    assert!(update.iter().all(check::consistent));
}

#[test]
fn sum_nodiv_shows_its_own_update_and_sum_keeps_the_lessons() {
    let lesson = Lesson::embedded().expect("the built-in lesson loads");
    let nodiv = Recorded::of(Objective::SumNoDiv);
    let sum = Recorded::of(Objective::Sum);
    assert_eq!(
        main_formula(&lesson, Step::Update, nodiv),
        r"w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w}"
    );
    assert_eq!(
        lesson.step(Step::Update).code_for(nodiv),
        "param -= lr * param.grad; param.grad.zero_()"
    );
    assert_eq!(
        main_formula(&lesson, Step::Loss, nodiv),
        r"L = \sum_{i=1}^{N} l^{(i)}"
    );
    assert_eq!(
        lesson.step(Step::Errors).code_for(nodiv),
        "l.sum().backward()"
    );
    // The lesson's own run reads exactly as the file's base text.
    for step in [
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
    ] {
        let text = lesson.step(step);
        assert_eq!(text.code_for(sum), text.code);
        assert_eq!(text.narrative_for(sum), &text.narrative);
    }
    for d in lesson.derivation() {
        assert_eq!(d.latex_for(sum), d.latex);
    }
    // A sum run's L is the sum, to the bit.
    let s = session(Objective::Sum);
    assert_eq!(root_value(s.batch()).to_bits(), s.batch().loss.to_bits());
}

/// The built-in stop 5 switches to the mean: its handout never describes the sum's computation.
#[test]
fn the_handout_of_the_sum_vs_mean_stop_says_mean() {
    for lang in ["en", "zh"] {
        let out = Command::new(env!("CARGO_BIN_EXE_gradstep"))
            .args(["handout", "--stop", "5", "--lang", lang])
            .output()
            .expect("the binary runs");
        assert_eq!(out.status.code(), Some(0));
        let md = String::from_utf8_lossy(&out.stdout);
        assert!(md.contains("`mean`"), "the stop's run is a mean run");
        for wrong in [
            "l.sum()",
            "/ batch_size",
            r"L = \sum",
            r"\frac{\text{lr}}{N}",
            "not from a mean",
            "而不是从平均值出发",
        ] {
            assert!(
                !md.contains(wrong),
                "{lang}: the handout of a mean run says {wrong:?}"
            );
        }
        for right in [
            "l.mean().backward()",
            r"L = \frac{1}{N} \sum_{i=1}^{N} l^{(i)} = \frac{1}{10} \cdot",
            "param -= lr * param.grad; param.grad.zero_()",
            r"w \leftarrow w - \text{lr} \cdot",
        ] {
            assert!(
                md.contains(right),
                "{lang}: the handout of a mean run lacks {right:?}"
            );
        }
    }
}
