//! Every cell's name as the lesson writes it, counted from 1: `ŷ⁽³⁾`, `∂L/∂w₂`, `δ₁⁽²⁾[1]`,
//! `W₁[1, 2]`. One function names a number wherever a number is asked about or listed (the quiz
//! of the explainer and of `serve`, the handout), in LaTeX, and the screen's spelling is that
//! LaTeX laid out on one line by [`crate::math`], so the two cannot drift apart.

use super::{Cell, Param, Quantity};
use crate::lesson::Lang;
use crate::math;

/// `cell`'s name in the LaTeX subset [`crate::math::parse`] reads; None for a node of the tape
/// that no matrix holds (a node is named by its op, which a cell does not carry).
pub fn latex(cell: Cell) -> Option<String> {
    let (i, j) = (cell.row + 1, cell.col + 1);
    let grad = |of: String| format!(r"\partial L/\partial {of}");
    let w1 = || format!("W_1[{i},{j}]");
    let b1 = || format!("b_1[{j}]");
    let w2 = || format!("W_2[{i},{j}]");
    Some(match cell.q {
        // Xᵀ's row is a feature and its column a sample.
        Quantity::X => format!("x_{{{j}}}^{{({i})}}"),
        Quantity::XT => format!("x_{{{i}}}^{{({j})}}"),
        Quantity::W | Quantity::WNew => format!("w_{{{i}}}"),
        Quantity::B | Quantity::BNew => "b".into(),
        Quantity::YHat => format!(r"\hat{{y}}^{{({i})}}"),
        Quantity::Y => format!("y^{{({i})}}"),
        Quantity::LossSample => format!("l^{{({i})}}"),
        Quantity::Delta => format!(r"\delta^{{({i})}}"),
        Quantity::Loss | Quantity::EpochLoss => "L".into(),
        Quantity::GradW => grad(format!("w_{{{i}}}")),
        Quantity::GradB => grad("b".into()),
        Quantity::Contribution => format!(r"\delta^{{({i})}} x_{{{j}}}^{{({i})}}"),
        Quantity::Node(_) => return None,
        Quantity::Z => format!("z_{{{j}}}^{{({i})}}"),
        Quantity::H => format!("h_{{{j}}}^{{({i})}}"),
        Quantity::W1 | Quantity::W1New => w1(),
        Quantity::B1 | Quantity::B1New => b1(),
        Quantity::W2 | Quantity::W2New => w2(),
        Quantity::B2 | Quantity::B2New => "b_2".into(),
        Quantity::Slope => format!(r"\sigma'(z_{{{j}}}^{{({i})}})"),
        Quantity::Delta1 => format!(r"\delta_1^{{({i})}}[{j}]"),
        Quantity::GradW1 => grad(w1()),
        Quantity::GradB1 => grad(b1()),
        Quantity::GradW2 => grad(w2()),
        Quantity::GradB2 => grad("b_2".into()),
        Quantity::Upstream => format!(r"\frac{{\delta^{{({i})}}}}{{N}}"),
        // Indexed as the parameter is: `w.grad₂`, `W₁.grad[1, 2]`, `b.grad`.
        Quantity::Held(p) => {
            let grad = p.grad_latex();
            match p {
                Param::W => format!("{grad}_{{{i}}}"),
                Param::B | Param::B2 => grad,
                Param::W1 | Param::W2 => format!("{grad}[{i},{j}]"),
                Param::B1 => format!("{grad}[{j}]"),
            }
        }
    })
}

/// Whether `q` is a parameter after the update (named as the parameter, said to be new).
fn after_update(q: Quantity) -> bool {
    matches!(
        q,
        Quantity::WNew
            | Quantity::BNew
            | Quantity::W1New
            | Quantity::B1New
            | Quantity::W2New
            | Quantity::B2New
    )
}

/// `cell`'s name on one line of a terminal (`opts` says how it draws ambiguous-width
/// characters), with a parameter after the update said to be new in `lang`.
pub fn name(cell: Cell, lang: Lang, opts: math::Options) -> Option<String> {
    let formula = math::parse(&latex(cell)?).ok()?;
    let text = math::layout_inline(&formula, opts).text_lines().concat();
    Some(if after_update(cell.q) {
        // A word of the name, not a sentence: kept beside the notation it qualifies.
        match lang {
            Lang::En => format!("{text} (new)"),
            Lang::Zh => format!("{text}（新）"),
        }
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(q: Quantity, row: usize, col: usize) -> String {
        name(Cell::new(q, row, col), Lang::En, math::Options::default()).expect("a name")
    }

    #[test]
    fn names_count_from_one_as_the_lesson_does() {
        assert_eq!(en(Quantity::YHat, 2, 0), "ŷ⁽³⁾");
        assert_eq!(en(Quantity::Delta, 0, 0), "δ⁽¹⁾");
        assert_eq!(en(Quantity::Loss, 0, 0), "L");
        assert_eq!(en(Quantity::GradW, 1, 0), "∂L/∂w₂");
        assert_eq!(en(Quantity::GradB, 0, 0), "∂L/∂b");
        assert_eq!(en(Quantity::WNew, 0, 0), "w₁ (new)");
        assert_eq!(en(Quantity::Contribution, 1, 0), "δ⁽²⁾x₁⁽²⁾");
        assert_eq!(en(Quantity::Z, 1, 0), "z₁⁽²⁾");
        assert_eq!(en(Quantity::H, 1, 2), "h₃⁽²⁾");
        assert_eq!(en(Quantity::Delta1, 1, 0), "δ₁⁽²⁾[1]");
        assert_eq!(en(Quantity::W1, 0, 1), "W₁[1, 2]");
        assert_eq!(en(Quantity::GradW1, 0, 1), "∂L/∂W₁[1, 2]");
        assert_eq!(en(Quantity::GradB2, 0, 0), "∂L/∂b₂");
        assert_eq!(en(Quantity::B1New, 0, 2), "b₁[3] (new)");
        assert_eq!(en(Quantity::Slope, 1, 0), "σ'(z₁⁽²⁾)");
        assert_eq!(en(Quantity::Upstream, 0, 0), "δ⁽¹⁾/N");
        assert_eq!(en(Quantity::Held(Param::W), 1, 0), "w.grad₂");
        assert_eq!(en(Quantity::Held(Param::B), 0, 0), "b.grad");
        assert_eq!(en(Quantity::Held(Param::W1), 0, 1), "W₁.grad[1, 2]");
        assert_eq!(en(Quantity::Held(Param::B1), 0, 2), "b₁.grad[3]");
        assert_eq!(en(Quantity::Held(Param::B2), 0, 0), "b₂.grad");
        let zh = name(
            Cell::new(Quantity::W2New, 1, 0),
            Lang::Zh,
            math::Options::default(),
        );
        assert_eq!(zh.as_deref(), Some("W₂[2, 1]（新）"));
        assert_eq!(latex(Cell::scalar(Quantity::Node(math::Role::YHat))), None);
    }
}
