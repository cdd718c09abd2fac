//! One cell's own equation, cut out of the equation of the step that wrote it: inspect asks for
//! the number in one cell, and the step's matrix equation already holds how it was computed.
//! Each operator knows which of its operands' entries make one entry of its result (a matrix
//! product a row times a column, a sum or ⊙ the same entry, a scalar itself), so no quantity
//! needs a formula of its own here.

use super::{Cell, Equation, Expr, Join, Term, Value};

/// An expression's shape: a number stands for itself at every entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Scalar,
    Grid(usize, usize),
}

fn shape(e: &Expr) -> Option<Shape> {
    Some(match e {
        Expr::Value(_) | Expr::Exact { .. } => Shape::Scalar,
        Expr::Notation(_) | Expr::List(_) => return None,
        Expr::Column(items, _) => Shape::Grid(items.len(), 1),
        Expr::Matrix(rows, _) => Shape::Grid(rows.len(), rows.first().map_or(0, Vec::len)),
        Expr::Sum(items) => items
            .iter()
            .map(shape)
            .try_fold(Shape::Scalar, |a, s| Some(wider(a, s?)))?,
        Expr::Difference(a, b) | Expr::Quotient(a, b) => wider(shape(a)?, shape(b)?),
        Expr::Product(a, b, join) => match (shape(a)?, shape(b)?) {
            (Shape::Grid(rows, _), Shape::Grid(_, cols)) if *join == Join::Juxtapose => {
                Shape::Grid(rows, cols)
            }
            (a, b) => wider(a, b),
        },
        Expr::HalfSquare(a) | Expr::Apply(_, a) => shape(a)?,
    })
}

/// The shape of an entry-by-entry operation: the larger, a row or a number broadcast.
fn wider(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Scalar, s) | (s, Shape::Scalar) => s,
        (Shape::Grid(r1, c1), Shape::Grid(r2, c2)) => Shape::Grid(r1.max(r2), c1.max(c2)),
    }
}

/// Entry `(r, c)` of `e` as an expression of numbers: `None` for what has no entries
/// (notation), or shapes that do not meet.
fn entry(e: &Expr, r: usize, c: usize) -> Option<Expr> {
    // A one-row or one-column operand is broadcast along its single row or column.
    let (r, c) = match shape(e)? {
        Shape::Scalar => (0, 0),
        Shape::Grid(rows, cols) => (if rows == 1 { 0 } else { r }, if cols == 1 { 0 } else { c }),
    };
    Some(match e {
        Expr::Value(_) | Expr::Exact { .. } => e.clone(),
        Expr::Notation(_) | Expr::List(_) => return None,
        Expr::Column(items, _) => items.get(r)?.clone(),
        Expr::Matrix(rows, _) => rows.get(r)?.get(c)?.clone(),
        Expr::Sum(items) => Expr::Sum(
            items
                .iter()
                .map(|i| entry(i, r, c))
                .collect::<Option<_>>()?,
        ),
        Expr::Difference(a, b) => Expr::difference(entry(a, r, c)?, entry(b, r, c)?),
        Expr::Quotient(a, b) => Expr::quotient(entry(a, r, c)?, entry(b, r, c)?),
        Expr::Product(a, b, Join::Juxtapose) => match (shape(a)?, shape(b)?) {
            // A row of the left times a column of the right.
            (Shape::Grid(_, inner), Shape::Grid(k, _)) if inner == k => {
                let mut terms: Vec<Expr> = (0..inner)
                    .map(|t| Some(Expr::product(entry(a, r, t)?, entry(b, t, c)?, Join::Dot)))
                    .collect::<Option<_>>()?;
                match terms.len() {
                    1 => terms.pop()?,
                    _ => Expr::Sum(terms),
                }
            }
            (Shape::Grid(..), Shape::Grid(..)) => return None,
            _ => Expr::product(entry(a, r, c)?, entry(b, r, c)?, Join::Dot),
        },
        Expr::Product(a, b, _) => Expr::product(entry(a, r, c)?, entry(b, r, c)?, Join::Dot),
        Expr::HalfSquare(a) => Expr::half_square(entry(a, r, c)?),
        Expr::Apply(f, a) => Expr::apply(*f, entry(a, r, c)?),
    })
}

/// Where `cell` stands in `e` (a result member): its row and column there, which for a row of
/// a matrix (z⁽ⁱ⁾) is not the cell's own row.
fn position(e: &Expr, cell: Cell) -> Option<(usize, usize)> {
    let is = |e: &Expr| matches!(e, Expr::Value(v) if v.cell == cell);
    match e {
        Expr::Value(_) => is(e).then_some((0, 0)),
        Expr::Column(items, _) => items.iter().position(is).map(|r| (r, 0)),
        Expr::Matrix(rows, _) => rows
            .iter()
            .enumerate()
            .find_map(|(r, row)| Some((r, row.iter().position(is)?))),
        _ => None,
    }
}

/// `latex` naming entry `(r, c)` of a result of `shape`: subscripted by the index that varies.
fn indexed(latex: &str, shape: Shape, (r, c): (usize, usize)) -> String {
    let index = match shape {
        Shape::Grid(rows, cols) if rows > 1 && cols > 1 => format!("{},{}", r + 1, c + 1),
        Shape::Grid(rows, _) if rows > 1 => (r + 1).to_string(),
        Shape::Grid(_, cols) if cols > 1 => (c + 1).to_string(),
        _ => return latex.to_string(),
    };
    // An update rule (`W₁ ← …`) names the whole parameter; the numbers say which entry.
    if latex.contains(r"\leftarrow") {
        return latex.to_string();
    }
    format!("({latex})_{{{index}}}")
}

/// The equation of `cell` alone, cut out of `eq`, which computes it: its notation indexed, each
/// member of numbers at the cell's entry, the cell's value last. `None` when `eq` does not
/// compute the cell, or the cut meets a shape it cannot take apart.
pub fn of_cell(eq: &Equation, cell: Cell) -> Option<Equation> {
    let (last, operands) = eq.members.split_last()?;
    let at = position(last, cell)?;
    let result_shape = shape(last)?;
    let mut members = Vec::with_capacity(eq.members.len());
    for m in operands {
        members.push(match m {
            Expr::Notation(latex) => Expr::notation(indexed(latex, result_shape, at)),
            _ => entry(m, at.0, at.1)?,
        });
    }
    members.push(entry(last, at.0, at.1)?);
    let cut = Equation::new(members, eq.precision);
    super::check::consistent(&cut).then_some(cut)
}

/// A cut sum told term by term: the equation's definition (its notation), one line per term
/// (its name, its product, its value), and the total (the sum written as its terms' values).
#[derive(Clone, Debug, PartialEq)]
pub struct Terms {
    pub definition: Option<Equation>,
    pub lines: Vec<Equation>,
    pub total: Equation,
}

/// `cut` (of `eq`) told term by term, where `eq` says which terms its sums add
/// ([`Equation::terms`]): a sum of the cut whose every item is one of those terms, the product
/// of the term's cells, is written out one term a line. A term's value is hidden where a number
/// it multiplies is. `None` when no sum of the cut is made of `eq`'s terms.
pub fn by_terms(eq: &Equation, cut: &Equation) -> Option<Terms> {
    let p = cut.precision;
    let mut lines = Vec::new();
    let mut members = cut.members.clone();
    let last = members.len().checked_sub(1)?;
    for m in &mut members[..last] {
        summed(m, &eq.terms, p, &mut lines);
    }
    if lines.is_empty() {
        return None;
    }
    let notation: Vec<Expr> = cut
        .members
        .iter()
        .filter(|m| m.is_notation())
        .cloned()
        .collect();
    let definition = (notation.len() > 1).then(|| Equation::new(notation, p));
    // The total keeps the first name and the numbers.
    let total = members
        .into_iter()
        .enumerate()
        .filter(|(k, m)| *k == 0 || !m.is_notation())
        .map(|(_, m)| m)
        .collect();
    Some(Terms {
        definition,
        lines,
        total: Equation::new(total, p),
    })
}

/// Replaces, inside `e`, each sum made of `terms` by their values, and adds a line per term.
fn summed(e: &mut Expr, terms: &[Term], p: usize, lines: &mut Vec<Equation>) {
    if let Expr::Sum(items) = e {
        let found: Option<Vec<(&Term, Vec<Value>)>> = items
            .iter()
            .map(|item| terms.iter().find_map(|t| Some((t, factors(item, t)?))))
            .collect();
        if let Some(found) = found {
            *items = found
                .into_iter()
                .map(|(t, factors)| {
                    let line = term_line(t, &factors, p);
                    let value = line.results().first().map(|v| **v);
                    lines.push(line);
                    Expr::Value(value.unwrap_or(t.value))
                })
                .collect();
            return;
        }
    }
    match e {
        Expr::Value(_) | Expr::Exact { .. } | Expr::Notation(_) => {}
        Expr::Column(items, _) | Expr::List(items) | Expr::Sum(items) => {
            items.iter_mut().for_each(|i| summed(i, terms, p, lines));
        }
        Expr::Matrix(rows, _) => rows
            .iter_mut()
            .flatten()
            .for_each(|i| summed(i, terms, p, lines)),
        Expr::Difference(a, b) | Expr::Product(a, b, _) | Expr::Quotient(a, b) => {
            summed(a, terms, p, lines);
            summed(b, terms, p, lines);
        }
        Expr::HalfSquare(a) | Expr::Apply(_, a) => summed(a, terms, p, lines),
    }
}

/// The numbers of `item` in the order of `t`'s cells, when `item` is their product (Xᵀ holds
/// X's numbers, so a cell of one stands for the other's).
fn factors(item: &Expr, t: &Term) -> Option<Vec<Value>> {
    let values = item.values();
    if values.len() != t.of.len() {
        return None;
    }
    t.of.iter()
        .map(|&c| {
            let v = values
                .iter()
                .find(|v| v.cell == c || v.cell.mirror() == Some(c))?;
            Some(Value { cell: c, ..**v })
        })
        .collect()
}

/// One term's line: its name, the product of its factors and its value; a term that is a
/// number of the sum itself is its name and that number.
fn term_line(t: &Term, factors: &[Value], p: usize) -> Equation {
    let hidden = factors.iter().any(|v| v.hidden);
    let name = super::names::latex(t.value.cell).map(Expr::notation);
    let mut members: Vec<Expr> = name.into_iter().collect();
    if let [only] = factors
        && only.cell == t.value.cell
    {
        members.push(Expr::Value(*only));
        return Equation::new(members, p);
    }
    let product = factors
        .iter()
        .map(|&v| Expr::Value(v))
        .reduce(|a, b| Expr::product(a, b, Join::Dot));
    members.extend(product);
    members.push(Expr::Value(Value { hidden, ..t.value }));
    Equation::new(members, p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worked::{Axis, Part, Quantity, Symbol};

    fn v(q: Quantity, r: usize, c: usize, value: f64, output: bool) -> Expr {
        Expr::Value(Value::new(Cell::new(q, r, c), value, output))
    }

    /// δ₁⁽²⁾ = (δ⁽²⁾W₂ᵀ) ⊙ σ′(z⁽²⁾) of the two-layer preset's first batch, unit 1:
    /// (−0.4 · 0.5) · 1 = −0.2 by hand.
    #[test]
    fn one_entry_of_a_hadamard_of_an_outer_product() {
        let w2 = [0.5, -0.5, 0.5];
        let slope = [1.0, 0.0, 0.0];
        let delta1 = [-0.2, 0.0, 0.0];
        let eq = Equation::new(
            vec![
                Expr::notation(r"\delta_1^{(2)}"),
                Expr::product(
                    Expr::product(
                        v(Quantity::Of(Symbol::Delta, Part::Value), 1, 0, -0.4, false),
                        Expr::Matrix(
                            vec![
                                (0..3)
                                    .map(|j| {
                                        v(Quantity::Of(Symbol::W2, Part::Value), j, 0, w2[j], false)
                                    })
                                    .collect(),
                            ],
                            Axis::Features,
                        ),
                        Join::Juxtapose,
                    ),
                    Expr::Matrix(
                        vec![
                            (0..3)
                                .map(|j| {
                                    v(Quantity::Of(Symbol::H, Part::Slope), 1, j, slope[j], false)
                                })
                                .collect(),
                        ],
                        Axis::Features,
                    ),
                    Join::Hadamard,
                ),
                Expr::Matrix(
                    vec![
                        (0..3)
                            .map(|j| v(Quantity::Of(Symbol::Z, Part::Grad), 1, j, delta1[j], true))
                            .collect(),
                    ],
                    Axis::Features,
                ),
            ],
            1,
        );
        let cut =
            of_cell(&eq, Cell::new(Quantity::Of(Symbol::Z, Part::Grad), 1, 0)).expect("δ₁ unit 1");
        assert_eq!(cut.members[0], Expr::notation(r"(\delta_1^{(2)})_{1}"));
        let numbers: Vec<(Quantity, f64)> =
            cut.values().iter().map(|v| (v.cell.q, v.value)).collect();
        assert_eq!(
            numbers,
            [
                (Quantity::Of(Symbol::Delta, Part::Value), -0.4),
                (Quantity::Of(Symbol::W2, Part::Value), 0.5),
                (Quantity::Of(Symbol::H, Part::Slope), 1.0),
                (Quantity::Of(Symbol::Z, Part::Grad), -0.2)
            ]
        );
        assert!(crate::worked::check::consistent(&cut));
    }

    /// Entry (1, 2) of Xᵀδ₁ (2 samples, x = [1, 2], δ₁ column 2 = [3, 4]): 1·3 + 2·4 = 11.
    #[test]
    fn one_entry_of_a_matrix_product_is_a_row_times_a_column() {
        let xt = Expr::Matrix(
            vec![vec![
                v(Quantity::Of(Symbol::X, Part::Transposed), 0, 0, 1.0, false),
                v(Quantity::Of(Symbol::X, Part::Transposed), 0, 1, 2.0, false),
            ]],
            Axis::Features,
        );
        let d1 = Expr::Matrix(
            vec![
                vec![
                    v(Quantity::Of(Symbol::Z, Part::Grad), 0, 0, 0.0, false),
                    v(Quantity::Of(Symbol::Z, Part::Grad), 0, 1, 3.0, false),
                ],
                vec![
                    v(Quantity::Of(Symbol::Z, Part::Grad), 1, 0, 0.0, false),
                    v(Quantity::Of(Symbol::Z, Part::Grad), 1, 1, 4.0, false),
                ],
            ],
            Axis::Samples,
        );
        let grad = Expr::Matrix(
            vec![vec![
                v(Quantity::Of(Symbol::W1, Part::Grad), 0, 0, 0.0, true),
                v(Quantity::Of(Symbol::W1, Part::Grad), 0, 1, 11.0, true),
            ]],
            Axis::Features,
        );
        let eq = Equation::new(
            vec![
                Expr::notation("G"),
                Expr::product(xt, d1, Join::Juxtapose),
                grad,
            ],
            0,
        );
        let cut = of_cell(&eq, Cell::new(Quantity::Of(Symbol::W1, Part::Grad), 0, 1))
            .expect("a cell of the result");
        let numbers: Vec<f64> = cut.values().iter().map(|v| v.value).collect();
        assert_eq!(numbers, [1.0, 3.0, 2.0, 4.0, 11.0]);
        assert_eq!(cut.members[0], Expr::notation("(G)_{2}"));
        assert!(of_cell(&eq, Cell::new(Quantity::Of(Symbol::Z, Part::Grad), 0, 1)).is_none());
    }

    /// ∂L/∂w₁ = Xᵀδ over 2 samples, x₁ = [1, 2], δ = [3, 4], told term by term: δ⁽¹⁾x₁⁽¹⁾ =
    /// 3·1 = 3, δ⁽²⁾x₁⁽²⁾ = 4·2 = 8, and the total 3 + 8 = 11 (by hand). The terms name X's
    /// cells, which hold the numbers the product reads from Xᵀ.
    #[test]
    fn a_sum_of_named_terms_is_told_one_term_a_line() {
        let term = |i: usize, value: f64| Term {
            value: Value::new(
                Cell::new(Quantity::Of(Symbol::W, Part::Terms), i, 0),
                value,
                false,
            ),
            of: vec![
                Cell::new(Quantity::Of(Symbol::Delta, Part::Value), i, 0),
                Cell::new(Quantity::Of(Symbol::X, Part::Value), i, 0),
            ],
        };
        let xt = Expr::Matrix(
            vec![vec![
                v(Quantity::Of(Symbol::X, Part::Transposed), 0, 0, 1.0, false),
                v(Quantity::Of(Symbol::X, Part::Transposed), 0, 1, 2.0, false),
            ]],
            Axis::Features,
        );
        let delta = Expr::Column(
            vec![
                v(Quantity::Of(Symbol::Delta, Part::Value), 0, 0, 3.0, false),
                v(Quantity::Of(Symbol::Delta, Part::Value), 1, 0, 4.0, false),
            ],
            Axis::Samples,
        );
        let eq = Equation::new(
            vec![
                Expr::notation("G"),
                Expr::notation(r"X^T \delta"),
                Expr::product(xt, delta, Join::Juxtapose),
                Expr::Column(
                    vec![v(Quantity::Of(Symbol::W, Part::Grad), 0, 0, 11.0, true)],
                    Axis::Features,
                ),
            ],
            0,
        )
        .summing([term(0, 3.0), term(1, 8.0)]);
        let me = Cell::new(Quantity::Of(Symbol::W, Part::Grad), 0, 0);
        let cut = of_cell(&eq, me).expect("a cell of the result");
        let told = by_terms(&eq, &cut).expect("a sum of the terms");
        assert_eq!(told.definition.map(|d| d.members.len()), Some(2));
        let lines: Vec<Vec<(Quantity, usize, f64)>> = told
            .lines
            .iter()
            .map(|l| {
                l.values()
                    .iter()
                    .map(|v| (v.cell.q, v.cell.row, v.value))
                    .collect()
            })
            .collect();
        assert_eq!(
            lines,
            [
                vec![
                    (Quantity::Of(Symbol::Delta, Part::Value), 0, 3.0),
                    (Quantity::Of(Symbol::X, Part::Value), 0, 1.0),
                    (Quantity::Of(Symbol::W, Part::Terms), 0, 3.0)
                ],
                vec![
                    (Quantity::Of(Symbol::Delta, Part::Value), 1, 4.0),
                    (Quantity::Of(Symbol::X, Part::Value), 1, 2.0),
                    (Quantity::Of(Symbol::W, Part::Terms), 1, 8.0)
                ],
            ]
        );
        let total: Vec<f64> = told.total.values().iter().map(|v| v.value).collect();
        assert_eq!(total, [3.0, 8.0, 11.0]);
        assert!(told.lines.iter().all(crate::worked::check::consistent));
        assert!(crate::worked::check::consistent(&told.total));
        // Without the terms the sum stays one line.
        let plain = Equation::new(eq.members.clone(), 0);
        assert!(by_terms(&plain, &cut).is_none());
    }
}
