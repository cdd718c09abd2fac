//! Golden renderings of every formula the lesson and the UI use, in both the
//! two-dimensional and the one-line form. Checked by eye once; a change here
//! is a change in what the learner sees.

mod math_common;

use gradstep::math::{Options, layout, layout_inline, parse};

fn golden(src: &str, two_d: &[&str], inline: &[&str]) {
    let f = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let opts = Options::default();
    assert_eq!(layout(&f, opts).text_lines(), two_d, "2-D layout of {src}");
    assert_eq!(
        layout_inline(&f, opts).text_lines(),
        inline,
        "inline layout of {src}"
    );
}
#[test]
fn model() {
    golden(r"\hat{y} = Xw + b", &["ŷ = Xw + b"], &["ŷ = Xw + b"]);
}

#[test]
fn model_one_sample() {
    golden(
        r"\hat{y}^{(i)} = x^{(i)} w + b",
        &["ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b"],
        &["ŷ⁽ⁱ⁾ = x⁽ⁱ⁾w + b"],
    );
}

#[test]
fn loss_one_sample() {
    golden(
        r"l^{(i)} = \frac{1}{2} \left( \hat{y}^{(i)} - y^{(i)} \right)^2",
        &[
            "       1               ",
            "l⁽ⁱ⁾ = ─ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)²",
            "       2               ",
        ],
        &["l⁽ⁱ⁾ = 1/2 (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)²"],
    );
}

#[test]
fn loss_total() {
    golden(
        r"L = \sum_{i=1}^{N} l^{(i)} = \sum_{i=1}^{N} \frac{1}{2} \left( \hat{y}^{(i)} - y^{(i)} \right)^2",
        &[
            "     N          N  1               ",
            "L =  Σ  l⁽ⁱ⁾ =  Σ  ─ (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)²",
            "    i=1        i=1 2               ",
        ],
        &["L = Σᵢ₌₁ᴺ l⁽ⁱ⁾ = Σᵢ₌₁ᴺ 1/2 (ŷ⁽ⁱ⁾ - y⁽ⁱ⁾)²"],
    );
}

#[test]
fn grad_yhat() {
    golden(
        r"\frac{\partial L}{\partial \hat{y}^{(i)}} = \hat{y}^{(i)} - y^{(i)} = \delta^{(i)}",
        &[
            " ∂L                       ",
            "───── = ŷ⁽ⁱ⁾ - y⁽ⁱ⁾ = δ⁽ⁱ⁾",
            "∂ŷ⁽ⁱ⁾                     ",
        ],
        &["∂L/∂ŷ⁽ⁱ⁾ = ŷ⁽ⁱ⁾ - y⁽ⁱ⁾ = δ⁽ⁱ⁾"],
    );
}

#[test]
fn grad_w_chain_rule() {
    golden(
        r"\frac{\partial L}{\partial w} = \sum_{i=1}^{N} \frac{\partial L}{\partial \hat{y}^{(i)}} \cdot \frac{\partial \hat{y}^{(i)}}{\partial w}",
        &[
            "∂L    N   ∂L     ∂ŷ⁽ⁱ⁾",
            "── =  Σ  ───── · ─────",
            "∂w   i=1 ∂ŷ⁽ⁱ⁾    ∂w  ",
        ],
        &["∂L/∂w = Σᵢ₌₁ᴺ ∂L/∂ŷ⁽ⁱ⁾ · ∂ŷ⁽ⁱ⁾/∂w"],
    );
}

#[test]
fn grad_yhat_by_w() {
    golden(
        r"\frac{\partial \hat{y}^{(i)}}{\partial w} = x^{(i)}",
        &["∂ŷ⁽ⁱ⁾       ", "───── = x⁽ⁱ⁾", " ∂w         "],
        &["∂ŷ⁽ⁱ⁾/∂w = x⁽ⁱ⁾"],
    );
}

#[test]
fn grad_w() {
    golden(
        r"\frac{\partial L}{\partial w} = \sum_{i=1}^{N} \delta^{(i)} x^{(i)} = X^T \delta",
        &[
            "∂L    N                ",
            "── =  Σ  δ⁽ⁱ⁾x⁽ⁱ⁾ = Xᵀδ",
            "∂w   i=1               ",
        ],
        &["∂L/∂w = Σᵢ₌₁ᴺ δ⁽ⁱ⁾x⁽ⁱ⁾ = Xᵀδ"],
    );
}

#[test]
fn grad_b_chain_rule() {
    golden(
        r"\frac{\partial L}{\partial b} = \sum_{i=1}^{N} \frac{\partial L}{\partial \hat{y}^{(i)}} \cdot \frac{\partial \hat{y}^{(i)}}{\partial b} = \sum_{i=1}^{N} \delta^{(i)}",
        &[
            "∂L    N   ∂L     ∂ŷ⁽ⁱ⁾    N      ",
            "── =  Σ  ───── · ───── =  Σ  δ⁽ⁱ⁾",
            "∂b   i=1 ∂ŷ⁽ⁱ⁾    ∂b     i=1     ",
        ],
        &["∂L/∂b = Σᵢ₌₁ᴺ ∂L/∂ŷ⁽ⁱ⁾ · ∂ŷ⁽ⁱ⁾/∂b = Σᵢ₌₁ᴺ δ⁽ⁱ⁾"],
    );
}

#[test]
fn update_w() {
    golden(
        r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w}",
        &["        lr   ∂L", "w ← w - ── · ──", "        N    ∂w"],
        &["w ← w - lr/N · ∂L/∂w"],
    );
}

#[test]
fn update_b() {
    golden(
        r"b \leftarrow b - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial b}",
        &["        lr   ∂L", "b ← b - ── · ──", "        N    ∂b"],
        &["b ← b - lr/N · ∂L/∂b"],
    );
}

#[test]
fn delta_with_numbers() {
    golden(
        r"\delta^{(3)} = \hat{y}^{(3)} - y^{(3)} = \role{yhat}{4.183} - \role{y}{4.201} = \role{delta}{-0.018}",
        &["δ⁽³⁾ = ŷ⁽³⁾ - y⁽³⁾ = 4.183 - 4.201 = -0.018"],
        &["δ⁽³⁾ = ŷ⁽³⁾ - y⁽³⁾ = 4.183 - 4.201 = -0.018"],
    );
}

#[test]
fn w_as_column_vector() {
    golden(
        r"w = \begin{bmatrix} \role{w}{1.998} \\ \role{w}{-3.401} \end{bmatrix}",
        &["w = ⎡  1.998 ⎤", "    ⎣ -3.401 ⎦"],
        &["w = [1.998; -3.401]"],
    );
}

#[test]
fn loss_with_chinese_label() {
    golden(r"\text{损失} L = 200", &["损失 L = 200"], &["损失 L = 200"]);
}

#[test]
fn fraction_inside_bracket_inside_sum() {
    golden(
        r"\sum_{i=1}^{N} \left( \frac{1}{2} \left[ \frac{a + b}{c} \right]^{2} \right)",
        &[" N  ⎛1 ⎡a + b⎤²⎞", " Σ  ⎜─ ⎢─────⎥ ⎟", "i=1 ⎝2 ⎣  c  ⎦ ⎠"],
        &["Σᵢ₌₁ᴺ (1/2 [(a + b)/c]²)"],
    );
}

#[test]
fn scripts_without_unicode_forms_are_raised_and_lowered() {
    golden(
        r"x^{\frac{1}{2}} + \hat{x}_j^{(i)} + e^{-x_{k,m}}",
        &[
            " 1                 ",
            " ─            -x   ",
            " 2   ^          k,m",
            "x  + xⱼ⁽ⁱ⁾ + e     ",
        ],
        &["x^{1/2} + hat(x)ⱼ⁽ⁱ⁾ + e^{-x_{k,m}}"],
    );
}

#[test]
fn numbers_in_scientific_notation_and_non_finite_values_stay_whole() {
    golden(
        r"\delta = 1.2e-5 - \text{NaN} + inf",
        &["δ = 1.2e-5 - NaN + inf"],
        &["δ = 1.2e-5 - NaN + inf"],
    );
}

#[test]
fn matrix_with_two_columns_aligns_right() {
    golden(
        r"X = \begin{pmatrix} 1 & -0.5 \\ 10.25 & 3 \end{pmatrix}",
        &["X = ⎛     1  -0.5 ⎞", "    ⎝ 10.25     3 ⎠"],
        &["X = (1, -0.5; 10.25, 3)"],
    );
}

#[test]
fn every_lesson_formula_renders_in_both_forms() {
    for src in math_common::LESSON {
        let f = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let inline = layout_inline(&f, Options::default());
        assert_eq!(inline.height, 1, "{src}");
        assert!(layout(&f, Options::default()).height >= 1, "{src}");
    }
}

#[test]
fn fit_falls_back_to_one_line_when_too_narrow() {
    let f = parse(r"\frac{\partial L}{\partial w} = \sum_{i=1}^{N} \delta^{(i)} x^{(i)}").unwrap();
    let opts = Options::default();
    let wide = gradstep::math::fit(&f, 80, opts);
    assert_eq!(wide.height, 3);
    let narrow = gradstep::math::fit(&f, 15, opts);
    assert_eq!(narrow.text_lines(), ["∂L/∂w = Σᵢ₌₁ᴺ δ⁽ⁱ⁾x⁽ⁱ⁾"]);
}
