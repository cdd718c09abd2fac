//! `numbers()` against batches whose values were worked out by hand: the lesson's house example
//! (area 100, price 200, w = 1.8, b = 0 → ŷ = 180, δ = −20, l = 200) and its first batch.

use gradstep::data::{Dataset, Preset};
use gradstep::engine::{Batch, Hyper, Objective, Params, Session, Step};
use gradstep::lesson::{Lang, Lesson, numbers_latex};

fn session(preset: Preset, hyper: Hyper) -> Session {
    let data = match preset.fixed_data() {
        Some(Ok(d)) => d,
        _ => panic!("{preset:?} has fixed data"),
    };
    let init = preset.init().params(data.d(), hyper.seed);
    match Session::new(data, hyper, init) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The house preset's first batch: areas 100, 80, 120, 60; prices 200, 158, 243, 119; w = 1.8.
/// ŷ = 180, 144, 216, 108; δ = −20, −14, −27, −11; l = 200, 98, 364.5, 60.5; L = 723;
/// ∂L/∂w = −2000 − 1120 − 3240 − 660 = −7020; ∂L/∂b = −72;
/// w ← 1.8 − 0.00005/4 · (−7020) = 1.88775; b ← 0 − 0.00005/4 · (−72) = 0.0009.
fn house() -> Batch {
    session(Preset::House, Preset::House.hyper())
        .batch()
        .clone()
}

fn lines(step: Step, batch: &Batch, precision: usize) -> Vec<String> {
    numbers_latex(step, batch, precision, Lang::En)
}

#[test]
fn draw_gives_the_sizes_and_indices() {
    assert_eq!(
        lines(Step::Draw, &house(), 1),
        [
            r"N = \role{N}{4},\; d = 1",
            r"\text{data rows (from 0)} = 0,\, 1,\, 2,\, 3"
        ]
    );
    assert_eq!(
        numbers_latex(Step::Draw, &house(), 1, Lang::Zh)[1],
        r"\text{数据行号（从 0 起）} = 0,\, 1,\, 2,\, 3"
    );
}

#[test]
fn forward_sample_is_the_lessons_house() {
    assert_eq!(
        lines(Step::ForwardSample { sample: 0 }, &house(), 1),
        [
            r"\hat{y}^{(1)} = x^{(1)} w + b = \role{x}{100.0} \cdot \role{w}{1.8} + \role{b}{0.0} = \role{yhat}{180.0}"
        ]
    );
    assert_eq!(
        lines(Step::ForwardSample { sample: 3 }, &house(), 0),
        [
            r"\hat{y}^{(4)} = x^{(4)} w + b = \role{x}{60} \cdot \role{w}{2} + \role{b}{0} = \role{yhat}{108}"
        ]
    );
}

#[test]
fn forward_is_the_column_of_predictions() {
    assert_eq!(
        lines(Step::Forward, &house(), 1),
        [concat!(
            r"\hat{y} = Xw + b = X \begin{bmatrix} \role{w}{1.8} \end{bmatrix} + \role{b}{0.0} = ",
            r"\begin{bmatrix} \role{yhat}{180.0} \\ \role{yhat}{144.0} \\ \role{yhat}{216.0} \\ \role{yhat}{108.0} \end{bmatrix}"
        )]
    );
}

#[test]
fn loss_is_two_hundred_for_the_first_house() {
    assert_eq!(
        lines(Step::Loss, &house(), 1),
        [
            r"l^{(1)} = \frac{1}{2} (\hat{y}^{(1)} - y^{(1)})^2 = \frac{1}{2} (\role{yhat}{180.0} - \role{y}{200.0})^2 = \role{l}{200.0}",
            r"L = \sum l^{(i)} = \role{l}{200.0} + \role{l}{98.0} + \role{l}{364.5} + \role{l}{60.5} = \role{L}{723.0}",
        ]
    );
}

#[test]
fn errors_are_prediction_minus_target() {
    let out = lines(Step::Errors, &house(), 0);
    assert_eq!(
        out[1],
        r"\delta^{(1)} = \hat{y}^{(1)} - y^{(1)} = \role{yhat}{180} - \role{y}{200} = \role{delta}{-20}"
    );
    assert!(out[0].ends_with(
        r"= \begin{bmatrix} \role{delta}{-20} \\ \role{delta}{-14} \\ \role{delta}{-27} \\ \role{delta}{-11} \end{bmatrix}"
    ));
}

#[test]
fn accumulate_adds_one_sample_to_the_running_sum() {
    let b = house();
    assert_eq!(
        lines(Step::Accumulate { sample: 0 }, &b, 0),
        [
            r"\sum_{j=1}^{1} \delta^{(j)} x^{(j)} = 0 + (\role{delta}{-20}) \begin{bmatrix} \role{x}{100} \end{bmatrix} = \begin{bmatrix} \role{gradw}{-2000} \end{bmatrix}",
            r"\sum_{j=1}^{1} \delta^{(j)} = 0 + (\role{delta}{-20}) = \role{gradb}{-20}",
        ]
    );
    assert_eq!(
        lines(Step::Accumulate { sample: 1 }, &b, 0),
        [
            r"\sum_{j=1}^{2} \delta^{(j)} x^{(j)} = \begin{bmatrix} \role{gradw}{-2000} \end{bmatrix} + (\role{delta}{-14}) \begin{bmatrix} \role{x}{80} \end{bmatrix} = \begin{bmatrix} \role{gradw}{-3120} \end{bmatrix}",
            r"\sum_{j=1}^{2} \delta^{(j)} = \role{gradb}{-20} + (\role{delta}{-14}) = \role{gradb}{-34}",
        ]
    );
    assert!(lines(Step::Accumulate { sample: 4 }, &b, 0).is_empty());
}

#[test]
fn gradients_are_the_sums() {
    let b = house();
    assert_eq!(
        lines(Step::GradW, &b, 0),
        [
            r"\frac{\partial L}{\partial w} = X^T \delta = \begin{bmatrix} \role{gradw}{-7020} \end{bmatrix}"
        ]
    );
    assert_eq!(
        lines(Step::GradB, &b, 0),
        [
            r"\frac{\partial L}{\partial b} = \sum \delta^{(i)} = \role{delta}{-20} + (\role{delta}{-14}) + (\role{delta}{-27}) + (\role{delta}{-11}) = \role{gradb}{-72}"
        ]
    );
}

#[test]
fn update_divides_by_the_batch_rows() {
    assert_eq!(
        lines(Step::Update, &house(), 4),
        [
            r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w} = \begin{bmatrix} \role{w}{1.8000} \end{bmatrix} - \frac{\role{lr}{0.00005}}{\role{N}{4}} \cdot \begin{bmatrix} \role{gradw}{-7020.0000} \end{bmatrix} = \begin{bmatrix} \role{w}{1.8878} \end{bmatrix}",
            r"b \leftarrow b - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial b} = \role{b}{0.0000} - \frac{\role{lr}{0.00005}}{\role{N}{4}} \cdot (\role{gradb}{-72.0000}) = \role{b}{0.0009}",
        ]
    );
}

#[test]
fn mean_objective_shows_the_averaged_gradient_and_no_division() {
    let hyper = Hyper {
        objective: Objective::Mean,
        ..Preset::House.hyper()
    };
    let b = session(Preset::House, hyper).batch().clone();
    assert_eq!(
        lines(Step::GradW, &b, 0),
        [
            r"\frac{\partial L}{\partial w} = \frac{1}{\role{N}{4}} X^T \delta = \begin{bmatrix} \role{gradw}{-1755} \end{bmatrix}"
        ]
    );
    assert!(lines(Step::GradB, &b, 2)[0].ends_with(r"= \role{gradb}{-18.00}"));
    let update = lines(Step::Update, &b, 3);
    assert!(
        update[0].starts_with(r"w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w} = ")
    );
    assert!(update[0].ends_with(r"= \begin{bmatrix} \role{w}{1.888} \end{bmatrix}"));
}

#[test]
fn epoch_summary_names_the_epoch_in_each_language() {
    let mut s = session(Preset::House, Preset::House.hyper());
    assert!(lines(Step::EpochSummary, s.batch(), 3).is_empty());
    assert!(s.next_batch());
    let b = s.batch();
    let Some(mean) = b.epoch_loss else {
        panic!("the second house batch ends the epoch")
    };
    let value = format!("{mean:.3}");
    assert_eq!(
        lines(Step::EpochSummary, b, 3),
        [format!(
            r"\text{{epoch 1, mean loss}} = \role{{L}}{{{value}}}"
        )]
    );
    assert_eq!(
        numbers_latex(Step::EpochSummary, b, 3, Lang::Zh),
        [format!(
            r"\text{{第 1 轮，平均损失}} = \role{{L}}{{{value}}}"
        )]
    );
}

#[test]
fn non_finite_values_render_as_words() {
    let mut b = house();
    b.y_hat[0] = f64::INFINITY;
    b.delta[0] = f64::INFINITY;
    b.losses[0] = f64::INFINITY;
    b.loss = f64::INFINITY;
    b.grad_w[0] = f64::NEG_INFINITY;
    b.grad_b = f64::NAN;
    b.w_next[0] = f64::NAN;
    b.b_next = f64::NAN;
    assert!(lines(Step::Loss, &b, 2)[1].ends_with(r"= \role{L}{\text{inf}}"));
    assert!(lines(Step::Errors, &b, 2)[1].ends_with(r"= \role{delta}{\text{inf}}"));
    let update = lines(Step::Update, &b, 2);
    assert!(update[0].contains(r"\begin{bmatrix} \role{gradw}{-\text{inf}} \end{bmatrix}"));
    assert!(update[1].ends_with(r"\cdot \role{gradb}{\text{NaN}} = \role{b}{\text{NaN}}"));
    let lesson = match Lesson::embedded() {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    for step in [
        Step::Forward,
        Step::Loss,
        Step::Errors,
        Step::GradW,
        Step::GradB,
        Step::Update,
    ] {
        assert!(
            !lesson.numbers(step, &b, 3, Lang::En).is_empty(),
            "{step:?}"
        );
    }
}

/// N = 1000 samples of d = 100 features, all in one batch.
fn wide() -> Batch {
    let (n, d) = (1000, 100);
    let rows = (0..n * d).map(|k| ((k % 7) as f64 - 3.0) / 10.0).collect();
    let y = (0..n).map(|i| i as f64 / 100.0).collect();
    let names = (0..d).map(|j| format!("x{j}")).collect();
    let data = match Dataset::new(rows, y, names, "y".into()) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let hyper = Hyper {
        batch_size: n,
        shuffle: false,
        ..Hyper::default()
    };
    match Session::new(data, hyper, Params::zeros(d)) {
        Ok(s) => s.batch().clone(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn large_batches_are_elided() {
    let b = wide();
    let count = |s: &str, pat: &str| s.matches(pat).count();

    let draw = lines(Step::Draw, &b, 2);
    assert_eq!(draw[0], r"N = \role{N}{1000},\; d = 100");
    assert_eq!(
        draw[1],
        r"\text{data rows (from 0)} = 0,\, 1,\, 2,\, 3,\, \ldots,\, 999"
    );

    let sample = &lines(Step::ForwardSample { sample: 999 }, &b, 2)[0];
    assert_eq!(count(sample, r"\cdot "), 3);
    assert_eq!(count(sample, r"\cdots"), 1);
    assert!(sample.starts_with(r"\hat{y}^{(1000)} = "));

    let forward = &lines(Step::Forward, &b, 2)[0];
    assert_eq!(count(forward, r"\role{yhat}"), 5);
    assert_eq!(count(forward, r"\role{w}"), 5);
    assert_eq!(count(forward, r"\vdots"), 2);

    let loss = &lines(Step::Loss, &b, 2)[1];
    assert_eq!(count(loss, r"\role{l}"), 4);
    assert_eq!(count(loss, r"\cdots"), 1);

    let acc = lines(Step::Accumulate { sample: 500 }, &b, 2);
    assert_eq!(count(&acc[0], r"\role{x}"), 5);
    assert_eq!(count(&acc[0], r"\role{gradw}"), 10);
    assert!(acc[0].starts_with(r"\sum_{j=1}^{501} \delta^{(j)} x^{(j)} = "));

    for step in [Step::GradW, Step::Update] {
        for line in lines(step, &b, 2) {
            assert!(line.len() < 1200, "{step:?}: {} bytes", line.len());
        }
    }
}

#[test]
fn every_substituted_formula_parses() {
    let mut s = session(Preset::House, Preset::House.hyper());
    assert!(s.next_batch());
    let lesson = match Lesson::embedded() {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    for b in [s.batch().clone(), wide()] {
        let last = b.rows() - 1;
        for step in [
            Step::Draw,
            Step::ForwardSample { sample: last },
            Step::Forward,
            Step::Loss,
            Step::Errors,
            Step::Accumulate { sample: 0 },
            Step::Accumulate { sample: last },
            Step::GradW,
            Step::GradB,
            Step::Update,
            Step::EpochSummary,
        ] {
            for lang in [Lang::En, Lang::Zh] {
                for src in numbers_latex(step, &b, 3, lang) {
                    if let Err(e) = gradstep::math::parse(&src) {
                        panic!("{step:?}: {e}\n{src}");
                    }
                }
                let shown = lesson.numbers(step, &b, 3, lang);
                assert_eq!(shown.len(), numbers_latex(step, &b, 3, lang).len());
            }
        }
    }
}
