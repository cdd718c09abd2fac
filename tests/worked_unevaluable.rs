//! The display rule does not pass an equation it cannot read: a member the checker cannot
//! evaluate makes the equation inconsistent (and printed with ≈), where it used to count as
//! holding.

use gradstep::worked::check::{self, Unevaluable};
use gradstep::worked::{Axis, Cell, Equation, Expr, Join, Quantity};
use gradstep::worked::{Part, Symbol};

fn v(q: Quantity, row: usize, value: f64) -> Expr {
    Expr::value(Cell::new(q, row, 0), value, true)
}

fn column(values: &[f64]) -> Expr {
    Expr::Column(
        values
            .iter()
            .enumerate()
            .map(|(i, &x)| v(Quantity::Of(Symbol::Delta, Part::Value), i, x))
            .collect(),
        Axis::Samples,
    )
}

fn matrix(rows: &[&[f64]]) -> Expr {
    Expr::Matrix(
        rows.iter()
            .map(|r| r.iter().map(|&x| Expr::exact(x, None)).collect())
            .collect(),
        Axis::Samples,
    )
}

/// As printed, without [`Equation::new`] (which refuses such an equation in test builds).
fn printed(members: Vec<Expr>) -> Equation {
    Equation {
        members,
        precision: 3,
        operand_digits: 3,
        approx: false,
        unprinted: Vec::new(),
        terms: Vec::new(),
    }
}

#[test]
fn an_equation_with_an_unreadable_member_does_not_hold() {
    // A matrix times a matrix whose rows do not fit it (1×2 by 1×1): no product.
    let eq = printed(vec![
        Expr::notation("A B"),
        Expr::product(matrix(&[&[1.0, 2.0]]), matrix(&[&[3.0]]), Join::Juxtapose),
        column(&[11.0]),
    ]);
    assert!(!check::consistent(&eq));
    let why = check::unevaluable(&eq).expect("says why");
    assert!(why.0.contains("multiply"), "{why}");
    assert_eq!(check::plan(&eq), (3, true), "printed with ≈");

    // A column of 3 said to equal a column of 2.
    let eq = printed(vec![
        Expr::notation("a"),
        column(&[1.0, 2.0, 3.0]),
        column(&[1.0, 2.0]),
    ]);
    assert_eq!(
        check::unevaluable(&eq),
        Some(Unevaluable(
            "a member of 3 numbers equals a result of 2".into()
        ))
    );
    assert!(!check::consistent(&eq));

    // ½(…)² of a column.
    let eq = printed(vec![
        Expr::half_square(column(&[1.0, 2.0])),
        column(&[0.5, 2.0]),
    ]);
    assert!(check::unevaluable(&eq).is_some());
}

#[test]
fn a_matrix_product_and_an_entrywise_function_are_read() {
    // [1 2]·[[3], [4]] = 11: two layers need matrix by matrix (XW₁), worked left to right.
    let eq = printed(vec![
        Expr::notation("A B"),
        Expr::product(
            matrix(&[&[1.0, 2.0]]),
            matrix(&[&[3.0], &[4.0]]),
            Join::Juxtapose,
        ),
        column(&[11.0]),
    ]);
    assert!(check::consistent(&eq));
    // relu′ at exactly 0 is 0, as in PyTorch: (−2)·relu′(0) = 0 (a −0 is written 0).
    let eq = printed(vec![
        Expr::product(
            Expr::exact(-2.0, None),
            Expr::apply(gradstep::worked::Func::ReluSlope, Expr::exact(0.0, None)),
            Join::Dot,
        ),
        column(&[0.0]),
    ]);
    assert!(check::consistent(&eq), "{:?}", check::plan(&eq));
    // tanh(0.5) = 0.4621171…: holds at 3 digits as 0.462, and not as 0.463.
    let tanh = |shown: f64| {
        printed(vec![
            Expr::apply(
                gradstep::worked::Func::Sigma(gradstep::engine::Activation::Tanh),
                Expr::exact(0.5, None),
            ),
            column(&[shown]),
        ])
    };
    assert!(check::consistent(&tanh(0.462)));
    assert!(!check::consistent(&tanh(0.463)));
}

#[test]
fn what_it_can_read_is_still_checked() {
    // [1 2] [3; 4] = 11, and = 12 is caught.
    let product = || Expr::product(matrix(&[&[1.0, 2.0]]), column(&[3.0, 4.0]), Join::Juxtapose);
    let right = printed(vec![Expr::notation("A b"), product(), column(&[11.0])]);
    assert!(check::consistent(&right));
    assert_eq!(check::unevaluable(&right), None);
    let wrong = printed(vec![Expr::notation("A b"), product(), column(&[12.0])]);
    assert!(!check::consistent(&wrong));
    // Notation and hidden numbers are not numbers by design: nothing to check, not an error.
    let mut hidden = printed(vec![
        Expr::notation("L"),
        v(Quantity::Of(Symbol::Loss, Part::Value), 0, 13.0),
    ]);
    hidden.hide(|_| true);
    assert!(check::consistent(&hidden));
    assert_eq!(check::unevaluable(&hidden), None);
}
