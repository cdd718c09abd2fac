//! Roles survive layout: the UI colours terms by them.

use gradstep::math::{Block, Options, Role, fit, layout, layout_inline, parse, tui};

fn two_d(src: &str) -> Block {
    layout(&parse(src).unwrap(), Options::default())
}

fn inline(src: &str) -> Block {
    layout_inline(&parse(src).unwrap(), Options::default())
}

/// The roles of the spans whose text passes `keep`, on any line.
fn roles_where(block: &Block, keep: impl Fn(&str) -> bool) -> Vec<Option<Role>> {
    block
        .lines
        .iter()
        .flatten()
        .filter(|s| keep(&s.text))
        .map(|s| s.role)
        .collect()
}

/// The roles of the spans whose text (trimmed) is `text`.
fn roles_of(block: &Block, text: &str) -> Vec<Option<Role>> {
    roles_where(block, |t| t.trim() == text)
}

/// The roles of the spans that contain `text` (unmarked text merges with the
/// operators and spaces around it).
fn roles_containing(block: &Block, text: &str) -> Vec<Option<Role>> {
    roles_where(block, |t| t.contains(text))
}

/// True if every span of the block plays `role`.
fn all_play(block: &Block, role: Role) -> bool {
    roles_where(block, |_| true)
        .iter()
        .all(|r| *r == Some(role))
}

/// The role at display column `col` of line `line`.
fn role_at(block: &Block, line: usize, col: usize) -> Option<Role> {
    let mut x = 0;
    for span in &block.lines[line] {
        let w = gradstep::math::display_width(&span.text, Options::default());
        if col < x + w {
            return span.role;
        }
        x += w;
    }
    panic!("column {col} outside line {line}");
}

#[test]
fn every_span_of_the_weight_gradient_fraction_is_grad_w() {
    let b = two_d(r"\frac{\partial L}{\partial w}");
    assert_eq!(b.text_lines(), ["∂L", "──", "∂w"]);
    assert!(all_play(&b, Role::GradW), "{b:?}");
    let b = two_d(r"\frac{\partial L}{\partial b}");
    assert!(all_play(&b, Role::GradB), "{b:?}");
}

#[test]
fn gradient_fraction_keeps_its_role_inside_a_longer_formula() {
    let src = r"\frac{\partial L}{\partial w} = \sum_{i=1}^{N} \delta^{(i)} x^{(i)} = X^T \delta";
    let b = two_d(src);
    for line in 0..3 {
        for col in 0..2 {
            assert_eq!(
                role_at(&b, line, col),
                Some(Role::GradW),
                "line {line} col {col}"
            );
        }
    }
    assert_eq!(role_at(&b, 1, 3), None, "the = sign");
    let b = inline(src);
    assert_eq!(b.lines[0][0].text, "∂L/∂w");
    assert_eq!(b.lines[0][0].role, Some(Role::GradW));
}

#[test]
fn substituted_numbers_carry_the_role_they_were_given() {
    let src = r"\delta^{(3)} = \hat{y}^{(3)} - y^{(3)} = \role{yhat}{4.183} - \role{y}{4.201} = \role{delta}{-0.018}";
    for b in [two_d(src), inline(src)] {
        assert_eq!(roles_of(&b, "4.183"), [Some(Role::YHat)]);
        assert_eq!(roles_of(&b, "4.201"), [Some(Role::Y)]);
        assert_eq!(roles_of(&b, "-0.018"), [Some(Role::Delta)]);
        assert_eq!(roles_of(&b, "δ⁽³⁾"), [Some(Role::Delta)]);
        assert_eq!(roles_of(&b, "ŷ⁽³⁾"), [Some(Role::YHat)]);
        assert_eq!(roles_of(&b, "y⁽³⁾"), [Some(Role::Y)]);
    }
}

#[test]
fn symbols_get_their_roles_and_scripts_follow_their_symbol() {
    let b = two_d(r"\hat{y}^{(i)} = x^{(i)} w + b");
    assert_eq!(roles_of(&b, "ŷ⁽ⁱ⁾"), [Some(Role::YHat)]);
    assert_eq!(roles_of(&b, "x⁽ⁱ⁾"), [Some(Role::XRow)]);
    assert_eq!(roles_of(&b, "w"), [Some(Role::W)]);
    assert_eq!(roles_of(&b, "b"), [Some(Role::B)]);
    assert_eq!(roles_of(&b, "="), [None]);

    let b = two_d(r"L = \sum_{i=1}^{N} l^{(i)} = X^T \delta");
    assert_eq!(roles_of(&b, "L"), [Some(Role::Loss)]);
    assert_eq!(roles_of(&b, "N"), [Some(Role::N)]);
    assert_eq!(roles_of(&b, "l⁽ⁱ⁾"), [Some(Role::LossSample)]);
    assert_eq!(roles_of(&b, "Xᵀ"), [Some(Role::X)]);
    assert_eq!(roles_of(&b, "δ"), [Some(Role::Delta)]);
    assert_eq!(roles_containing(&b, "Σ"), [None]);

    let b = inline(r"x_j^{(i)} + y");
    assert_eq!(roles_of(&b, "xⱼ⁽ⁱ⁾"), [Some(Role::XRow)]);
    assert_eq!(roles_of(&b, "y"), [Some(Role::Y)]);
}

#[test]
fn learning_rate_is_recognised_in_text_and_mathrm() {
    for src in [
        r"w \leftarrow w - \frac{\text{lr}}{N} \cdot \frac{\partial L}{\partial w}",
        r"w \leftarrow w - \frac{\mathrm{lr}}{N} \cdot \frac{\partial L}{\partial w}",
    ] {
        let b = two_d(src);
        assert_eq!(roles_of(&b, "lr"), [Some(Role::Lr)], "{src}");
        assert_eq!(roles_of(&b, "N"), [Some(Role::N)], "{src}");
    }
    // Other upright text is just text, even if it contains the lesson's letters.
    let b = two_d(r"\text{Loss} + \mathrm{x}");
    assert_eq!(roles_containing(&b, "Loss"), [None]);
    assert_eq!(roles_containing(&b, "x"), [None]);
}

#[test]
fn role_macro_colours_everything_inside() {
    let b = two_d(r"\role{gradw}{\begin{bmatrix} 0.5 \\ -1 \end{bmatrix}}");
    assert!(all_play(&b, Role::GradW), "{b:?}");
}

#[test]
fn neighbouring_spans_never_share_a_role() {
    let b = fit(
        &parse(r"L = \sum_{i=1}^{N} \frac{1}{2} \left( \hat{y}^{(i)} - y^{(i)} \right)^2").unwrap(),
        200,
        Options::default(),
    );
    for line in &b.lines {
        for pair in line.windows(2) {
            assert_ne!(pair[0].role, pair[1].role, "{line:?}");
        }
    }
}

#[test]
fn tui_lines_style_each_span_by_its_role() {
    use ratatui::style::{Color, Style};
    let b = two_d(r"\hat{y} = Xw + b");
    let lines = tui::lines(&b, |role| match role {
        Some(Role::YHat) => Style::new().fg(Color::Indexed(4)),
        Some(_) => Style::new().fg(Color::Indexed(2)),
        None => Style::new(),
    });
    assert_eq!(lines.len(), 1);
    let spans = &lines[0].spans;
    assert_eq!(spans[0].content, "ŷ");
    assert_eq!(spans[0].style.fg, Some(Color::Indexed(4)));
    assert_eq!(spans[1].content, " = ");
    assert_eq!(spans[1].style.fg, None);
    assert_eq!(lines[0].width(), b.width);
}
