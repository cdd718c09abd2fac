//! Every cell's name as the lesson writes it, counted from 1: `ŷ⁽³⁾`, `∂L/∂w₂`, `δ₁⁽²⁾[1]`,
//! `W₁[1, 2]`. One function names a number wherever a number is asked about or listed (the quiz
//! of the explainer and of `serve`, the handout), in LaTeX, and the screen's spelling is that
//! LaTeX laid out on one line by [`crate::math`], so the two cannot drift apart.

use super::{Cell, Quantity};
use super::{Part, Symbol};
use crate::engine::tape::Layout;
use crate::lesson::Lang;
use crate::math;

/// `cell`'s name in the LaTeX subset [`crate::math::parse`] reads; None for a node of the tape
/// that no matrix holds (a node is named by its op, which a cell does not carry).
pub fn latex(cell: Cell) -> Option<String> {
    let (i, j) = (cell.row + 1, cell.col + 1);
    let Quantity::Of(symbol, part) = cell.q else {
        return None;
    };
    Some(match part {
        Part::Value | Part::New => entry(symbol, i, j),
        // Xᵀ's row is a feature and its column a sample.
        Part::Transposed => entry(symbol, j, i),
        Part::Grad => grad(symbol, i, j),
        // Indexed as the parameter is: `w.grad₂`, `W₁.grad[1, 2]`, `b.grad`.
        Part::Held => format!(r"\text{{{}.grad}}{}", symbol.text(), index(symbol, i, j)),
        // σ′(Z) is H's local derivative, entry by entry of Z.
        Part::Slope => format!(r"\sigma'({})", entry(Symbol::Z, i, j)),
        Part::Terms => format!("{} {}", entry(Symbol::Delta, i, j), entry(Symbol::X, i, j)),
        Part::EpochMean => entry(symbol, i, j),
    })
}

/// How an entry of `symbol` is indexed (row `i`, column `j`, from 1), after its LaTeX name: a
/// sample's as a superscript, a feature's or hidden unit's as a subscript, a matrix's in
/// brackets; nothing for a scalar.
fn index(symbol: Symbol, i: usize, j: usize) -> String {
    match symbol.layout() {
        Layout::SamplesByColumns => format!("_{{{j}}}^{{({i})}}"),
        Layout::PerSample => format!("^{{({i})}}"),
        Layout::PerFeature => format!("_{{{i}}}"),
        Layout::Matrix => format!("[{i},{j}]"),
        Layout::Row => format!("[{j}]"),
        Layout::Scalar => String::new(),
    }
}

/// An entry of `symbol`: one of a sample-by-column matrix (X, Z, H) by its lower-case letter,
/// `x_{j}^{(i)}`; of anything else by the symbol itself, `w_{2}`.
fn entry(symbol: Symbol, i: usize, j: usize) -> String {
    let name = symbol.latex();
    let letter = match symbol.layout() {
        Layout::SamplesByColumns => name.to_lowercase(),
        Layout::PerSample | Layout::PerFeature | Layout::Matrix | Layout::Row | Layout::Scalar => {
            name.to_string()
        }
    };
    format!("{letter}{}", index(symbol, i, j))
}

/// ∂L/∂ of an entry, or the lesson's own name for it where it has one: δ₁ for ∂L/∂Z, δ/N for
/// the ∂L/∂ŷ of a mean objective.
fn grad(symbol: Symbol, i: usize, j: usize) -> String {
    match symbol {
        Symbol::Z => format!(r"\delta_1^{{({i})}}[{j}]"),
        Symbol::YHat => format!(r"\frac{{\delta^{{({i})}}}}{{N}}"),
        other => format!(r"\partial L/\partial {}", entry(other, i, j)),
    }
}

/// Whether `q` is a parameter after the update (named as the parameter, said to be new).
fn after_update(q: Quantity) -> bool {
    matches!(q, Quantity::Of(_, Part::New))
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
    use crate::worked::Symbol;

    fn en(q: Quantity, row: usize, col: usize) -> String {
        name(Cell::new(q, row, col), Lang::En, math::Options::default()).expect("a name")
    }

    #[test]
    fn names_count_from_one_as_the_lesson_does() {
        assert_eq!(en(Quantity::Of(Symbol::YHat, Part::Value), 2, 0), "ŷ⁽³⁾");
        assert_eq!(en(Quantity::Of(Symbol::Delta, Part::Value), 0, 0), "δ⁽¹⁾");
        assert_eq!(en(Quantity::Of(Symbol::Loss, Part::Value), 0, 0), "L");
        assert_eq!(en(Quantity::Of(Symbol::W, Part::Grad), 1, 0), "∂L/∂w₂");
        assert_eq!(en(Quantity::Of(Symbol::B, Part::Grad), 0, 0), "∂L/∂b");
        assert_eq!(en(Quantity::Of(Symbol::W, Part::New), 0, 0), "w₁ (new)");
        assert_eq!(en(Quantity::Of(Symbol::W, Part::Terms), 1, 0), "δ⁽²⁾x₁⁽²⁾");
        assert_eq!(en(Quantity::Of(Symbol::Z, Part::Value), 1, 0), "z₁⁽²⁾");
        assert_eq!(en(Quantity::Of(Symbol::H, Part::Value), 1, 2), "h₃⁽²⁾");
        assert_eq!(en(Quantity::Of(Symbol::Z, Part::Grad), 1, 0), "δ₁⁽²⁾[1]");
        assert_eq!(en(Quantity::Of(Symbol::W1, Part::Value), 0, 1), "W₁[1, 2]");
        assert_eq!(
            en(Quantity::Of(Symbol::W1, Part::Grad), 0, 1),
            "∂L/∂W₁[1, 2]"
        );
        assert_eq!(en(Quantity::Of(Symbol::B2, Part::Grad), 0, 0), "∂L/∂b₂");
        assert_eq!(en(Quantity::Of(Symbol::B1, Part::New), 0, 2), "b₁[3] (new)");
        assert_eq!(en(Quantity::Of(Symbol::H, Part::Slope), 1, 0), "σ'(z₁⁽²⁾)");
        assert_eq!(en(Quantity::Of(Symbol::YHat, Part::Grad), 0, 0), "δ⁽¹⁾/N");
        assert_eq!(en(Symbol::W.held(), 1, 0), "w.grad₂");
        assert_eq!(en(Symbol::B.held(), 0, 0), "b.grad");
        assert_eq!(en(Symbol::W1.held(), 0, 1), "W₁.grad[1, 2]");
        assert_eq!(en(Symbol::B1.held(), 0, 2), "b₁.grad[3]");
        assert_eq!(en(Symbol::B2.held(), 0, 0), "b₂.grad");
        let zh = name(
            Cell::new(Quantity::Of(Symbol::W2, Part::New), 1, 0),
            Lang::Zh,
            math::Options::default(),
        );
        assert_eq!(zh.as_deref(), Some("W₂[2, 1]（新）"));
        assert_eq!(
            latex(Cell::scalar(Quantity::Unnamed(math::Role::YHat))),
            None
        );
    }

    /// Derived names reach pairs no screen shows yet (∂L/∂h, X.grad): each still parses, and
    /// is the node's own name for its value (the part adds to it, never replaces it), except
    /// where the lesson names a gradient itself (δ₁, δ/N).
    #[test]
    fn every_part_of_every_node_has_a_name_that_reads() {
        use Symbol::*;
        let symbols = [
            X, Y, W, B, YHat, Delta, LossSample, Loss, W1, B1, W2, B2, Z, H,
        ];
        let parts = [
            Part::Value,
            Part::Grad,
            Part::Held,
            Part::New,
            Part::Slope,
            Part::Terms,
            Part::Transposed,
            Part::EpochMean,
        ];
        for s in symbols {
            let value = en(Quantity::Of(s, Part::Value), 1, 0);
            for p in parts {
                let name = en(Quantity::Of(s, p), 1, 0);
                match p {
                    Part::Grad if matches!(s, Z | YHat) => {
                        assert!(name.starts_with('δ'), "{name}")
                    }
                    Part::Grad => assert_eq!(name, format!("∂L/∂{value}")),
                    Part::New => assert_eq!(name, format!("{value} (new)")),
                    Part::Value
                    | Part::Held
                    | Part::Slope
                    | Part::Terms
                    | Part::Transposed
                    | Part::EpochMean => assert!(!name.is_empty()),
                }
            }
        }
    }
}
