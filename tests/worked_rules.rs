//! The worked equations as the tape's rules (`worked::rules`): for every tape PyTorch recorded
//! in the fixture, and for a linear batch worked by hand, each rule's printed operands compute
//! its printed result, each number sits in the cell of the node it belongs to, and the results
//! are PyTorch's own values.

mod common;

use gradstep::engine::Objective;
use gradstep::engine::config::Params;
use gradstep::engine::mlp::Activation;
use gradstep::engine::tape::{Linear, Tape};
use gradstep::number;
use gradstep::worked::check::{self, Val};
use gradstep::worked::rules::Graph;
use gradstep::worked::{Equation, Expr, Part, Quantity, Symbol};
use nalgebra::{DMatrix, DVector};

fn flat(v: Val) -> Vec<f64> {
    match v {
        Val::Scalar(x) => vec![x],
        Val::Column(c) => c,
        Val::Matrix(rows) => rows.into_iter().flatten().collect(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

/// Member 2 (the rule with numbers), evaluated with every operand at full precision, is the
/// last member (the node's value or gradient) entry by entry.
fn computes_its_result(eq: &Equation, what: &str) {
    let full = |v: f64| number::written(v, 17);
    assert!(eq.members.len() >= 3, "{what}: {eq:?}");
    let worked = eq.members[eq.members.len() - 2].clone();
    let got = check::eval(&worked, &full)
        .unwrap_or_else(|e| panic!("{what}: cannot evaluate: {e}"))
        .map(flat)
        .unwrap_or_else(|| panic!("{what}: no numbers"));
    let want: Vec<f64> = eq.results().iter().map(|v| v.value).collect();
    assert_eq!(got.len(), want.len(), "{what}");
    for (a, b) in got.iter().zip(&want) {
        assert!(
            close(*a, *b),
            "{what}: the rule gives {a}, the result says {b}"
        );
    }
    assert!(check::consistent(eq), "{what} holds as printed");
}

/// Each number of the equation is the entry of the node its cell names (a running sum's
/// earlier value, `partial`'s gradient read before it is whole, is not yet the node's).
fn cells_hold_their_nodes(eq: &Equation, g: &Graph<'_>, tape: &Tape, act: Option<Activation>) {
    cells_hold(eq, g, tape, act, None)
}

fn cells_hold(
    eq: &Equation,
    g: &Graph<'_>,
    tape: &Tape,
    act: Option<Activation>,
    partial: Option<Symbol>,
) {
    for v in eq.values() {
        if !v.output && partial.is_some_and(|s| v.cell.q == Quantity::Of(s, Part::Grad)) {
            continue;
        }
        let Quantity::Of(s, part) = v.cell.q else {
            panic!("an unnamed cell in a rule: {v:?}");
        };
        let id = g.node(s).unwrap_or_else(|| panic!("{s:?} on the tape"));
        let (r, c) = (v.cell.row, v.cell.col);
        let node = &tape[id];
        let want = match part {
            Part::Value => node.value[(r, c)],
            Part::Transposed => node.value[(c, r)],
            Part::Grad => node.grad.as_ref().expect("a gradient")[(r, c)],
            Part::Slope => {
                let z = &tape[node.inputs[0]].value;
                act.expect("an activation")
                    .slope(z[(r, c)], node.value[(r, c)])
            }
            Part::Terms => continue,
            other => panic!("a rule reads no {other:?}: {v:?}"),
        };
        assert_eq!(v.value.to_bits(), want.to_bits(), "{:?}", v.cell);
    }
}

/// Every equation the rules write for a tape: each named node's forward rule, whole and per
/// sample, each named gradient's backward rule, σ′ and δ/N.
fn every_rule(g: &Graph<'_>, rows: usize, hidden: bool) -> Vec<(String, Equation)> {
    let p = 3;
    let mut out = Vec::new();
    let mut forward = vec![
        Symbol::YHat,
        Symbol::Delta,
        Symbol::LossSample,
        Symbol::Loss,
    ];
    let mut backward = vec![];
    if hidden {
        forward.extend([Symbol::Z, Symbol::H]);
        backward.extend([Symbol::W1, Symbol::B1, Symbol::W2, Symbol::B2, Symbol::Z]);
    } else {
        backward.extend([Symbol::W, Symbol::B]);
    }
    for s in forward {
        // The lesson writes l one sample at a time (½ of a squared column is no notation).
        if s != Symbol::LossSample {
            let eq = g.forward(s, None, p).expect("a forward rule");
            out.push((format!("{s:?}"), eq));
        }
        if s != Symbol::Loss {
            for i in 0..rows {
                let eq = g.forward(s, Some(i), p).expect("a per-sample rule");
                out.push((format!("{s:?} of sample {i}"), eq));
            }
        }
    }
    for s in backward {
        out.push((
            format!("∂L/∂{s:?}"),
            g.backward(s, None, p).expect("a rule"),
        ));
    }
    if hidden {
        for i in 0..rows {
            out.push((format!("σ′ {i}"), g.slope(i, p).expect("σ′")));
            let eq = g.backward(Symbol::Z, Some(i), p).expect("δ₁ of one sample");
            out.push((format!("δ₁ of sample {i}"), eq));
        }
    }
    out.extend(g.mean_upstream(p).map(|eq| ("δ/N".to_string(), eq)));
    out
}

#[test]
fn every_rule_computes_pytorchs_numbers_from_its_operands() {
    let cases = common::mlp_cases();
    assert!(cases.len() >= 30);
    for c in &cases {
        let mut m = common::mlp_case(c);
        let (act, objective) = (m.activation, m.objective);
        let y = m.tape[m.y].value.clone();
        m.backward();
        let g = Graph::mlp(&m);
        let rules = every_rule(&g, y.nrows(), true);
        for (what, eq) in &rules {
            let what = format!("{} {act} {objective}: {what}", c["name"]);
            computes_its_result(eq, &what);
            cells_hold_their_nodes(eq, &g, &m.tape, Some(act));
        }
        // The results are PyTorch's: the gradients, δ₁ and what reaches ŷ.
        let result = |name: &str| {
            let (_, eq) = rules
                .iter()
                .find(|(w, _)| w == name)
                .unwrap_or_else(|| panic!("{name}"));
            eq.results().iter().map(|v| v.value).collect::<Vec<_>>()
        };
        for (name, key) in [
            ("∂L/∂W1", "grad_W1"),
            ("∂L/∂B1", "grad_b1"),
            ("∂L/∂W2", "grad_W2"),
            ("∂L/∂B2", "grad_b2"),
            ("∂L/∂Z", "delta1"),
            ("Loss", "loss"),
        ] {
            let ours = result(name);
            let theirs = common::json_numbers(&c[key]);
            assert_eq!(ours.len(), theirs.len(), "{name}");
            for (a, b) in ours.iter().zip(&theirs) {
                assert!(close(*a, *b), "{}: {name} {a} vs PyTorch {b}", c["name"]);
            }
        }
        // Each running sum, sample by sample, ends at the gradient to the bit.
        let last = y.nrows() - 1;
        for s in [Symbol::W1, Symbol::B1, Symbol::W2, Symbol::B2] {
            for i in 0..y.nrows() {
                let eq = g.running(s, i, "lhs".into(), 3).expect("a running sum");
                computes_its_result(&eq, &format!("{s:?} so far {i}"));
                if i == last {
                    cells_hold(&eq, &g, &m.tape, Some(act), Some(s));
                }
            }
            let full = g.backward(s, None, 3).expect("the gradient");
            let run = g.running(s, last, "lhs".into(), 3).expect("the last sum");
            let bits = |eq: &Equation| {
                eq.results()
                    .iter()
                    .map(|v| v.value.to_bits())
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(&run), bits(&full), "{s:?}");
        }
        if objective == Objective::Mean {
            for (a, b) in result("δ/N")
                .iter()
                .zip(common::json_numbers(&c["upstream"]))
            {
                assert!(close(*a, b), "δ/N {a} vs PyTorch {b}");
            }
        }
    }
}

/// X = [[1, 2], [3, 4]], y = (1, 2), w = (0.5, −1), b = 0, by hand:
/// ŷ = (0.5 − 2, 1.5 − 4) = (−1.5, −2.5), δ = (−2.5, −4.5), l = (3.125, 10.125), L = 13.25;
/// ∂L/∂w = Xᵀδ = (1·−2.5 + 3·−4.5, 2·−2.5 + 4·−4.5) = (−16, −23), ∂L/∂b = −7.
/// The mean halves L and both gradients: δ/N = (−1.25, −2.25).
#[test]
fn a_linear_batch_worked_by_hand() {
    let x = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 3.0, 4.0]);
    let y = DVector::from_vec(vec![1.0, 2.0]);
    let params = Params {
        w: DVector::from_vec(vec![0.5, -1.0]),
        b: 0.0,
    };
    let results = |eq: Option<Equation>| -> (String, Vec<f64>) {
        let eq = eq.expect("a rule");
        computes_its_result(&eq, "hand");
        let notation = match &eq.members[1] {
            Expr::Notation(n) => n.clone(),
            other => panic!("notation first: {other:?}"),
        };
        (notation, eq.results().iter().map(|v| v.value).collect())
    };
    for (objective, n) in [(Objective::Sum, 1.0), (Objective::Mean, 2.0)] {
        let mut l = Linear::record(x.clone(), &y, &params, objective).expect("shapes");
        l.backward();
        let g = Graph::linear(&l);
        for (what, eq) in every_rule(&g, 2, false) {
            computes_its_result(&eq, &what);
            cells_hold_their_nodes(&eq, &g, &l.tape, None);
        }
        assert_eq!(
            results(g.forward(Symbol::YHat, None, 3)),
            ("Xw + b".into(), vec![-1.5, -2.5])
        );
        assert_eq!(
            results(g.forward(Symbol::YHat, Some(1), 3)),
            ("x^{(2)} w + b".into(), vec![-2.5])
        );
        assert_eq!(
            results(g.forward(Symbol::Delta, None, 3)),
            (r"\hat{y} - y".into(), vec![-2.5, -4.5])
        );
        assert_eq!(
            results(g.forward(Symbol::LossSample, Some(0), 3)),
            (
                r"\frac{1}{2} (\hat{y}^{(1)} - y^{(1)})^2".into(),
                vec![3.125]
            )
        );
        let (sum, loss) = results(g.forward(Symbol::Loss, None, 3));
        assert_eq!(loss, vec![13.25 / n]);
        let (gw, w) = results(g.backward(Symbol::W, None, 3));
        assert_eq!(w, vec![-16.0 / n, -23.0 / n]);
        let (gb, b) = results(g.backward(Symbol::B, None, 3));
        assert_eq!(b, vec![-7.0 / n]);
        match objective {
            Objective::Mean => {
                assert_eq!(sum, r"\frac{1}{N} \sum_{i=1}^{N} l^{(i)}");
                assert_eq!(gw, r"X^T \frac{\delta}{N}");
                assert_eq!(gb, r"\sum \frac{\delta^{(i)}}{N}");
                let eq = g.mean_upstream(3).expect("δ/N under a mean");
                assert_eq!(
                    eq.results().iter().map(|v| v.value).collect::<Vec<_>>(),
                    [-1.25, -2.25]
                );
            }
            _ => {
                assert_eq!(sum, r"\sum_{i=1}^{N} l^{(i)}");
                assert_eq!(gw, r"X^T \delta");
                assert_eq!(gb, r"\sum \delta^{(i)}");
                assert!(g.mean_upstream(3).is_none(), "δ itself reaches ŷ");
            }
        }
        // The running sums, one sample at a time: x⁽¹⁾ = (1, 2) times δ⁽¹⁾/N = −2.5/N, then
        // plus x⁽²⁾ = (3, 4) times −4.5/N, which is ∂L/∂w itself; b's are −2.5/N and −7/N.
        let so_far = |s: Symbol, i: usize| {
            let eq = g.running(s, i, "lhs".into(), 3).expect("a running sum");
            computes_its_result(&eq, "running");
            // Only the last sum is the node's gradient; the others are its partial sums.
            if i == 1 {
                cells_hold(&eq, &g, &l.tape, None, Some(s));
            }
            eq.results().iter().map(|v| v.value).collect::<Vec<_>>()
        };
        assert_eq!(so_far(Symbol::W, 0), [-2.5 / n, -5.0 / n]);
        assert_eq!(so_far(Symbol::W, 1), [-16.0 / n, -23.0 / n]);
        assert_eq!(so_far(Symbol::B, 0), [-2.5 / n]);
        assert_eq!(so_far(Symbol::B, 1), [-7.0 / n]);
        // ∂L/∂w adds up the terms δ⁽ⁱ⁾xⱼ⁽ⁱ⁾ under the sum; the mean's δ/N has no such name.
        let eq = g.backward(Symbol::W, None, 3).expect("∂L/∂w");
        let terms: Vec<f64> = eq.terms.iter().map(|t| t.value.value).collect();
        match objective {
            Objective::Mean => assert!(terms.is_empty()),
            _ => assert_eq!(terms, [-2.5, -5.0, -13.5, -18.0]),
        }
    }
}
