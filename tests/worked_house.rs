//! The worked equations against batches worked out by hand: the lesson's house example
//! (area 100, price 200, w = 1.8, b = 0 → ŷ = 180, δ = −20, l = 200) and its first batch.

use gradstep::data::Dataset;
use gradstep::engine::{Batch, Hyper, Objective, Params, Session, Step};
use gradstep::lesson::Lang;
use gradstep::math::Role;
use gradstep::preset::Preset;
use gradstep::worked::{Part, Symbol};
use gradstep::worked::{Quantity, SCREEN, check, latex, steps};

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
    session(Preset::House, Preset::House.spec().hyper)
        .batch()
        .clone()
}

/// The step's equations as the screen prints them, in LaTeX.
fn lines_in(step: Step, batch: &Batch, precision: usize, lang: Lang) -> Vec<String> {
    let eqs = steps::equations(step, batch, precision, lang);
    for eq in &eqs {
        assert!(check::consistent(eq), "{step:?} does not hold as printed");
    }
    eqs.iter().map(|e| latex::latex(e, SCREEN)).collect()
}

fn lines(step: Step, batch: &Batch, precision: usize) -> Vec<String> {
    lines_in(step, batch, precision, Lang::En)
}

#[test]
fn draw_gives_the_sizes_and_indices() {
    assert_eq!(
        lines(Step::Draw, &house(), 1),
        [
            "N = 4",
            "d = 1",
            r"\text{data rows (from 1)} = 1 ,\, 2 ,\, 3 ,\, 4"
        ]
    );
    assert_eq!(
        lines_in(Step::Draw, &house(), 1, Lang::Zh)[2],
        r"\text{数据行号（从 1 起）} = 1 ,\, 2 ,\, 3 ,\, 4"
    );
}

#[test]
fn forward_sample_is_the_lessons_house() {
    assert_eq!(
        lines(Step::ForwardSample { sample: 0 }, &house(), 1),
        [r"\hat{y}^{(1)} = x^{(1)} w + b = 100.0 \cdot 1.8 + 0.0 = 180.0"]
    );
    assert_eq!(
        lines(Step::ForwardSample { sample: 3 }, &house(), 0),
        [r"\hat{y}^{(4)} = x^{(4)} w + b = 60 \cdot 1.8 + 0 = 108"],
        "w = 1.8 would print as 2 at no decimals, and 60 · 2 is not 108: w gets a digit more, 60 and 0 need none"
    );
    let eq = &steps::equations(Step::ForwardSample { sample: 0 }, &house(), 3, Lang::En)[0];
    let roles: Vec<Role> = eq.values().iter().map(|v| v.cell.q.role()).collect();
    assert_eq!(roles, [Role::X, Role::W, Role::B, Role::YHat]);
    assert_eq!(eq.results()[0].value, 180.0);
    assert!(eq.results()[0].output);
}

#[test]
fn forward_is_x_times_w_plus_b() {
    assert_eq!(
        lines(Step::Forward, &house(), 1),
        [concat!(
            r"\hat{y} = Xw + b = \begin{bmatrix} 100.0 \\ 80.0 \\ 120.0 \\ 60.0 \end{bmatrix} ",
            r"\begin{bmatrix} 1.8 \end{bmatrix} + 0.0 = ",
            r"\begin{bmatrix} 180.0 \\ 144.0 \\ 216.0 \\ 108.0 \end{bmatrix}"
        )]
    );
}

#[test]
fn loss_is_two_hundred_for_the_first_house() {
    assert_eq!(
        lines(Step::Loss, &house(), 1),
        [
            r"l^{(1)} = \frac{1}{2} (\hat{y}^{(1)} - y^{(1)})^2 = \frac{1}{2} \left( 180.0 - 200.0 \right)^2 = 200.0",
            r"L = \sum_{i=1}^{N} l^{(i)} = 200.0 + 98.0 + 364.5 + 60.5 = 723.0",
        ]
    );
}

#[test]
fn errors_are_prediction_minus_target() {
    let out = lines(Step::Errors, &house(), 0);
    assert_eq!(
        out[1],
        r"\delta^{(1)} = \hat{y}^{(1)} - y^{(1)} = 180 - 200 = -20"
    );
    assert!(out[0].ends_with(r"= \begin{bmatrix} -20 \\ -14 \\ -27 \\ -11 \end{bmatrix}"));
}

#[test]
fn accumulate_adds_one_sample_to_the_running_sum() {
    let b = house();
    assert_eq!(
        lines(Step::Accumulate { sample: 0 }, &b, 0),
        [
            r"\frac{\partial L}{\partial w} \;\text{so far} = \sum_{j=1}^{1} \delta^{(j)} x^{(j)T} = 0 + \left( -20 \right) \begin{bmatrix} 100 \end{bmatrix} = \begin{bmatrix} -2000 \end{bmatrix}",
            r"\frac{\partial L}{\partial b} \;\text{so far} = \sum_{j=1}^{1} \delta^{(j)} = 0 + \left( -20 \right) = -20",
        ]
    );
    assert_eq!(
        lines(Step::Accumulate { sample: 1 }, &b, 0)[0],
        r"\frac{\partial L}{\partial w} \;\text{so far} = \sum_{j=1}^{2} \delta^{(j)} x^{(j)T} = \begin{bmatrix} -2000 \end{bmatrix} + \left( -14 \right) \begin{bmatrix} 80 \end{bmatrix} = \begin{bmatrix} -3120 \end{bmatrix}",
    );
    assert!(lines(Step::Accumulate { sample: 4 }, &b, 0).is_empty());
}

#[test]
fn gradients_are_the_sums() {
    let b = house();
    assert_eq!(
        lines(Step::GradW, &b, 0),
        [concat!(
            r"\frac{\partial L}{\partial w} = X^T \delta = \begin{bmatrix} 100 & 80 & 120 & 60 \end{bmatrix} ",
            r"\begin{bmatrix} -20 \\ -14 \\ -27 \\ -11 \end{bmatrix} = \begin{bmatrix} -7020 \end{bmatrix}"
        )]
    );
    assert_eq!(
        lines(Step::GradB, &b, 0),
        [
            r"\frac{\partial L}{\partial b} = \sum \delta^{(i)} = -20 + \left( -14 \right) + \left( -27 \right) + \left( -11 \right) = -72"
        ]
    );
}

#[test]
fn update_divides_by_the_batch_rows() {
    assert_eq!(
        lines(Step::Update, &house(), 4),
        [
            r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w} = \begin{bmatrix} 1.8000 \end{bmatrix} - \frac{0.00005}{4} \cdot \begin{bmatrix} -7020.0000 \end{bmatrix} = \begin{bmatrix} 1.8878 \end{bmatrix}",
            r"b \leftarrow b - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial b} = 0.0000 - \frac{0.00005}{4} \cdot \left( -72.0000 \right) = 0.00090",
        ],
        "b = 0.0009 keeps its significant digits; it is not rounded to 0.0009's neighbour 0.001"
    );
}

#[test]
fn the_second_house_batch_holds_at_the_digits_it_prints() {
    // The issue's example: at 3 decimals ŷ⁽¹⁾ = 150.000 · 1.888 + 0.001 = 283.163 was false
    // (the printed operands give 283.201). w = 1.88775 and b = 0.0009 need more digits.
    let mut s = session(Preset::House, Preset::House.spec().hyper);
    assert!(s.next_batch());
    let b = s.batch();
    let line = &lines(Step::ForwardSample { sample: 0 }, b, 3)[0];
    let x = b.x[(0, 0)];
    let expected = x * 1.88775 + 0.0009;
    assert!((b.y_hat[0] - expected).abs() < 1e-9, "{}", b.y_hat[0]);
    assert!(line.ends_with(&format!("= {:.3}", b.y_hat[0])), "{line}");
    assert!(
        line.contains("1.88775"),
        "w printed with the digits it needs: {line}"
    );
    assert!(
        line.contains("0.00090"),
        "b printed with its significant digits: {line}"
    );
}

#[test]
fn mean_objective_shows_the_averaged_gradient_and_no_division() {
    let hyper = Hyper {
        objective: Objective::Mean,
        ..Preset::House.spec().hyper
    };
    let b = session(Preset::House, hyper).batch().clone();
    let grad_w = &lines(Step::GradW, &b, 0)[0];
    assert!(
        grad_w
            .starts_with(r"\frac{\partial L}{\partial w} = X^T \frac{\delta}{N} = \begin{bmatrix}")
    );
    assert!(
        grad_w.ends_with(r"= \begin{bmatrix} -1755 \end{bmatrix}"),
        "−7020 / 4"
    );
    assert!(
        lines(Step::GradB, &b, 2)[0].ends_with("= -18.00"),
        "−72 / 4"
    );
    let update = lines(Step::Update, &b, 3);
    assert!(
        update[0].starts_with(r"w \leftarrow w - \text{lr} \cdot \frac{\partial L}{\partial w} = ")
    );
    assert!(update[0].ends_with(r"= \begin{bmatrix} 1.888 \end{bmatrix}"));
}

#[test]
fn epoch_summary_names_the_epoch_in_each_language() {
    let mut s = session(Preset::House, Preset::House.spec().hyper);
    assert!(lines(Step::EpochSummary, s.batch(), 3).is_empty());
    assert!(s.next_batch());
    let b = s.batch();
    let Some(mean) = b.epoch_loss else {
        panic!("the second house batch ends the epoch")
    };
    let value = gradstep::number::plain(mean, 3);
    assert_eq!(
        lines(Step::EpochSummary, b, 3),
        [format!(
            r"\text{{epoch 1, mean loss}} = \frac{{1}}{{n}} \sum_{{i=1}}^{{n}} l^{{(i)}} = {value}"
        )]
    );
    assert!(
        lines_in(Step::EpochSummary, b, 3, Lang::Zh)[0].starts_with(r"\text{第 1 轮，平均损失}")
    );
}

#[test]
fn non_finite_values_render_as_words() {
    let mut b = house();
    // The largest weight sends the first prediction, so its error and loss, past f64.
    b.w[0] = f64::MAX;
    b.grad_w[0] = f64::NEG_INFINITY;
    b.grad_b = f64::NAN;
    b.w_next[0] = f64::NAN;
    b.b_next = f64::NAN;
    assert!(lines(Step::Loss, &b, 2)[1].ends_with(r"= \text{inf}"));
    assert!(lines(Step::Errors, &b, 2)[1].ends_with(r"= \text{inf}"));
    let update = lines(Step::Update, &b, 2);
    assert!(update[0].contains(r"\begin{bmatrix} -\text{inf} \end{bmatrix}"));
    assert!(update[1].ends_with(r"\cdot \text{NaN} = \text{NaN}"));
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
fn large_batches_are_elided_on_screen_but_checked_whole() {
    let b = wide();
    let count = |s: &str, pat: &str| s.matches(pat).count();

    let draw = lines(Step::Draw, &b, 2);
    assert_eq!(draw[0], "N = 1000");
    assert_eq!(
        draw[2],
        r"\text{data rows (from 1)} = 1 ,\, 2 ,\, 3 ,\, \cdots ,\, 1000"
    );

    let sample = &lines(Step::ForwardSample { sample: 999 }, &b, 2)[0];
    assert_eq!(count(sample, r"\cdot "), 3, "{sample}");
    assert_eq!(count(sample, r"\cdots"), 1);
    assert!(sample.starts_with(r"\hat{y}^{(1000)} = "));

    let loss = &lines(Step::Loss, &b, 2)[1];
    assert_eq!(count(loss, "+"), 4, "{loss}");
    assert_eq!(count(loss, r"\cdots"), 1);

    let eqs = steps::equations(Step::Forward, &b, 2, Lang::En);
    let values = eqs[0].values();
    assert_eq!(
        values
            .iter()
            .filter(|v| v.cell.q == Quantity::Of(Symbol::X, Part::Value))
            .count(),
        1000 * 100,
        "the check sees every operand, the screen shows a few"
    );
    for step in [Step::Forward, Step::GradW, Step::Update] {
        for line in lines(step, &b, 2) {
            assert!(line.len() < 1500, "{step:?}: {} bytes", line.len());
        }
    }
}
